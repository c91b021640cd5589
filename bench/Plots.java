// Draws the book's performance charts (SVG) from the CSV files the bench/ scripts write. Run by bench/plots.
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Horizontal bar charts, one group of bars per benchmark test, with the targets drawn as dashed lines.
 * Plain SVG text, no library: the same CSV always gives the same bytes, so a regenerated chart only shows up
 * in a diff when a figure changed.
 *
 * <pre>java bench/Plots.java bench/results chapters/images</pre>
 */
public final class Plots {

    record Series(String name, String color, List<Double> values) { }

    record Target(double value, String label) { }

    record Chart(String title, String axis, List<String> groups, List<Series> series, List<Target> targets) { }

    private static final int WIDTH = 720;
    private static final int LEFT = 110;
    private static final int RIGHT = 30;
    private static final int TOP = 56;
    private static final int BAR = 9;
    private static final int GROUP_GAP = 8;

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
        Path images = Path.of(args.length > 1 ? args[1] : "chapters/images");
        List<Map<String, String>> vsRedis = csv(results.resolve("vs-redis.csv"));
        write(images.resolve("perf-throughput.svg"), ratioChart(vsRedis, "ratio",
                "Throughput, ours / Redis (requests per second, same run)", "ours / Redis (higher is better)",
                List.of(new Target(0.8, "target 0.8 (-P 1)"), new Target(1.0, "target 1.0 (-P 16)"))));
        write(images.resolve("perf-p99.svg"), ratioChart(vsRedis, "p99_ratio",
                "p99 latency, ours / Redis (same run)", "ours / Redis (lower is better)",
                List.of(new Target(1.5, "target 1.5"))));
        write(images.resolve("perf-memory.svg"), memoryChart(csv(results.resolve("memory.csv"))));
        String lowerIsBetter = "ours / Redis (lower is better)";
        variantChart(results, "before-after.csv", images, "perf-cpu-before-after.svg", "cpu_ratio",
                "Server CPU time per request, ours / Redis (bench/ab, same run)", lowerIsBetter);
        variantChart(results, "second-pass.csv", images, "perf-cpu-second-pass.svg", "cpu_ratio",
                "Server CPU time per request, ours / Redis, before and after the second pass (bench/ab)", lowerIsBetter);
        variantChart(results, "third-pass.csv", images, "perf-p99-third-pass.svg", "p99_ratio",
                "p99 latency, ours / Redis, before and after the third pass (bench/ab)", lowerIsBetter);
        variantChart(results, "floor.csv", images, "perf-floor-cpu.svg", "cpu_ratio",
                "Server CPU time per request, floor servers and ours / Redis (bench/floor)", lowerIsBetter);
        variantChart(results, "yield-after.csv", images, "perf-cpu-yield-after.svg", "cpu_ratio",
                "Server CPU time per request, ours / Redis, yield before and after the write (bench/ab)", lowerIsBetter);
    }

    /** Draws one bench/ab result file, when it has been recorded, as one bar per variant. */
    static void variantChart(Path results, String csvName, Path images, String svgName, String column, String title,
                             String axis) throws IOException {
        Path file = results.resolve(csvName);
        if (Files.exists(file)) {
            write(images.resolve(svgName), variantChart(csv(file), column, title, axis));
        }
    }

    /** bench/ab's results: one group per test and pipeline depth, one bar per variant. */
    static Chart variantChart(List<Map<String, String>> rows, String column, String title, String axis) {
        List<String> variants = rows.stream().map(row -> row.get("variant")).distinct().toList();
        Map<String, Map<String, Double>> byGroup = new TreeMap<>();
        for (Map<String, String> row : rows) {
            String group = String.format(Locale.ROOT, "%s -P %2s", row.get("test"), row.get("pipeline"));
            byGroup.computeIfAbsent(group, g -> new TreeMap<>()).put(row.get("variant"), number(row.get(column)));
        }
        String[] colors = {"#bab0ac", "#f28e2b", "#59a14f", "#4e79a7", "#b07aa1"};
        List<Series> series = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            String variant = variants.get(v);
            series.add(new Series(variant, colors[v % colors.length],
                    byGroup.values().stream().map(values -> values.get(variant)).toList()));
        }
        return new Chart(title, axis, List.copyOf(byGroup.keySet()), series, List.of(new Target(1.0, "Redis = 1")));
    }

    /** One group per test, one bar per pipeline depth. */
    static Chart ratioChart(List<Map<String, String>> rows, String column, String title, String axis, List<Target> targets) {
        Map<String, Double[]> byTest = new TreeMap<>();
        for (Map<String, String> row : rows) {
            Double[] values = byTest.computeIfAbsent(row.get("test"), test -> new Double[2]);
            values[row.get("pipeline").equals("1") ? 0 : 1] = number(row.get(column));
        }
        List<Double> p1 = new ArrayList<>();
        List<Double> p16 = new ArrayList<>();
        byTest.values().forEach(values -> {
            p1.add(values[0]);
            p16.add(values[1]);
        });
        return new Chart(title, axis, List.copyOf(byTest.keySet()),
                List.of(new Series("-P 1", "#4e79a7", p1), new Series("-P 16", "#f28e2b", p16)), targets);
    }

    /** One group per data set: Redis and ours, data (used_memory, live heap) and process RSS, in bytes per item. */
    static Chart memoryChart(List<Map<String, String>> rows) {
        List<String> groups = new ArrayList<>();
        List<Double> redisData = new ArrayList<>();
        List<Double> oursData = new ArrayList<>();
        List<Double> redisRss = new ArrayList<>();
        List<Double> oursRss = new ArrayList<>();
        for (Map<String, String> row : rows) {
            double n = number(row.get("n"));
            groups.add(row.get("dataset"));
            redisData.add(number(row.get("redis_bytes")) / n);
            oursData.add(number(row.get("ours_bytes")) / n);
            redisRss.add(number(row.get("redis_rss")) / n);
            oursRss.add(number(row.get("ours_rss")) / n);
        }
        return new Chart("Memory per item (1 M items)", "bytes per item", groups, List.of(
                new Series("Redis used_memory", "#4e79a7", redisData),
                new Series("ours: live heap", "#f28e2b", oursData),
                new Series("Redis RSS", "#a0cbe8", redisRss),
                new Series("ours: RSS", "#ffbe7d", oursRss)), List.of());
    }

    static String svg(Chart chart) {
        int groupHeight = chart.series().size() * BAR + GROUP_GAP;
        int plotHeight = chart.groups().size() * groupHeight;
        int height = TOP + plotHeight + 56 + 13 * chart.targets().size();
        double max = chart.targets().stream().mapToDouble(Target::value).max().orElse(0);
        for (Series series : chart.series()) {
            for (Double value : series.values()) {
                max = value == null ? max : Math.max(max, value);
            }
        }
        double step = niceStep(max);
        double axisMax = Math.ceil(max / step) * step;
        int plotWidth = WIDTH - LEFT - RIGHT;
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(format("<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, escape(chart.title())));
        for (int s = 0; s < chart.series().size(); s++) { // the legend
            Series series = chart.series().get(s);
            int x = LEFT + s * 150;
            svg.append(format("<rect x=\"%d\" y=\"30\" width=\"10\" height=\"10\" fill=\"%s\"/>%n", x, series.color()));
            svg.append(format("<text x=\"%d\" y=\"39\">%s</text>%n", x + 14, escape(series.name())));
        }
        for (double tick = 0; tick <= axisMax + step / 2; tick += step) { // grid and scale
            double x = LEFT + tick / axisMax * plotWidth;
            svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x, TOP + plotHeight));
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + plotHeight + 14, label(tick)));
        }
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotWidth / 2, TOP + plotHeight + 32, escape(chart.axis())));
        for (int g = 0; g < chart.groups().size(); g++) {
            int y = TOP + g * groupHeight;
            svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + chart.series().size() * BAR / 2 + 4, escape(chart.groups().get(g))));
            for (int s = 0; s < chart.series().size(); s++) {
                Double value = chart.series().get(s).values().get(g);
                if (value == null) {
                    continue; // n/a: the test did not run on one of the servers
                }
                double w = value / axisMax * plotWidth;
                svg.append(format("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
                        LEFT, y + s * BAR, w, BAR - 1, chart.series().get(s).color(),
                        escape(chart.groups().get(g)), escape(chart.series().get(s).name()), label(value)));
            }
        }
        for (int t = 0; t < chart.targets().size(); t++) {
            Target target = chart.targets().get(t);
            double x = LEFT + target.value() / axisMax * plotWidth;
            svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c00\" stroke-dasharray=\"4 3\"/>%n",
                    x, TOP - 4, x, TOP + plotHeight));
            svg.append(format("<text x=\"%.1f\" y=\"%d\" fill=\"#c00\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP + plotHeight + 48 + 13 * t, escape(target.label())));
        }
        return svg.append("</svg>\n").toString();
    }

    /** 1, 2 or 5 times a power of ten, so that the axis has 4 to 10 ticks. */
    static double niceStep(double max) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(max, 1e-9) / 4)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (max / (factor * magnitude) <= 10) {
                return factor * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.getFirst().split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            Map<String, String> row = new TreeMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cells.length ? cells[i] : "n/a");
            }
            rows.add(row);
        }
        return rows;
    }

    private static Double number(String cell) {
        return cell == null || cell.equals("n/a") ? null : Double.parseDouble(cell);
    }

    private static String label(double value) {
        return value == Math.rint(value) && Math.abs(value) >= 10 ? format("%.0f", value) : format("%.2f", value);
    }

    private static void write(Path file, Chart chart) throws IOException {
        Files.writeString(file, svg(chart));
        System.out.println("wrote " + file);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
