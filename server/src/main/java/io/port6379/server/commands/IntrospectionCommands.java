// The introspection family: LATENCY HISTOGRAM/HISTORY/DOCTOR/GRAPH, MEMORY STATS/DOCTOR/MALLOC-STATS/PURGE, LOLWUT.
package io.port6379.server.commands;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandTable;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.stats.LatencyHistogram;
import io.port6379.server.stats.LatencyMonitor;
import io.port6379.server.stats.ServerStats;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;
import io.port6379.server.util.RedisVersion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an operator asks a running server about itself, with Redis's reply shapes in RESP2 and RESP3: where time
 * went (LATENCY, fed by the dispatcher's timings), where memory went (MEMORY, from the JVM's heap, which plays
 * jemalloc's part), and LOLWUT (WAIT, whether writes reached replicas, is {@link ReplicationCommands}').
 */
public final class IntrospectionCommands {

    private static final int GRAPH_COLUMNS = 80; // Redis's LATENCY_GRAPH_COLS

    private IntrospectionCommands() {
    }

    // tag::histogram[]
    /**
     * LATENCY HISTOGRAM [command ...]: per command called since the last reset, {@code calls} and
     * {@code histogram_usec}, a map from a power-of-two number of microseconds to how many calls took up to that
     * long. No name means every command. A name is looked up as Redis's {@code lookupCommandBySds} does
     * ({@code client|id} names a subcommand); a container ({@code client}) stands for itself and each of its
     * subcommands. Names that do not exist or were never called are left out; a name given twice is listed twice.
     */
    static void latencyHistogram(Client client, byte[][] args, RespWriter reply) {
        ServerStats stats = client.server().stats();
        List<String> names = new ArrayList<>();
        if (args.length == 2) {
            stats.perCommand.forEach((name, command) -> names.add(name));
        } else {
            CommandTable table = client.server().commands();
            for (int i = 2; i < args.length; i++) {
                Command command = byFullName(table, Args.text(args[i]));
                if (command == null) {
                    continue;
                }
                names.add(command.name());
                if (command.isContainer()) {
                    table.subcommandsOf(command).all().forEach(sub -> names.add(sub.name()));
                }
            }
        }
        List<Map.Entry<String, ServerStats.CommandStats>> shown = new ArrayList<>();
        for (String name : names) {
            ServerStats.CommandStats command = stats.perCommand.get(name);
            if (command != null && command.latency != null && command.latency.totalCount() > 0) {
                shown.add(Map.entry(name, command));
            }
        }
        reply.mapHeader(shown.size());
        for (Map.Entry<String, ServerStats.CommandStats> entry : shown) {
            LatencyHistogram histogram = entry.getValue().latency;
            List<long[]> steps = histogram.cumulativeByPowersOfTwo();
            reply.bulkString(entry.getKey()).mapHeader(2);
            reply.bulkString("calls").integer(entry.getValue().calls);
            reply.bulkString("histogram_usec").mapHeader(steps.size());
            for (long[] step : steps) {
                reply.integer(step[0]).integer(step[1]);
            }
        }
    }

    /** Redis's {@code lookupCommandBySds}: {@code name} or {@code container|subcommand}, in any letter case. */
    private static Command byFullName(CommandTable table, String fullName) {
        String[] parts = fullName.split("\\|", -1);
        Command command = parts.length > 2 ? null : table.lookup(parts[0].getBytes(StandardCharsets.ISO_8859_1));
        if (command == null || parts.length == 1) {
            return command;
        }
        return command.isContainer() ? table.subcommandsOf(command).lookup(parts[1].getBytes(StandardCharsets.ISO_8859_1)) : null;
    }
    // end::histogram[]

    /** LATENCY HISTORY event: {@code [unix time, milliseconds]} per second with a spike, oldest first. */
    static void latencyHistory(Client client, byte[][] args, RespWriter reply) {
        List<LatencyMonitor.Sample> samples = client.server().latency().history(Args.text(args[2]));
        reply.arrayHeader(samples.size());
        for (LatencyMonitor.Sample sample : samples) {
            reply.arrayHeader(2).integer(sample.unixSeconds()).integer(sample.millis());
        }
    }

    // tag::graph[]
    /**
     * LATENCY GRAPH event: Redis's sparkline of the samples, four rows high, each column a sample from the lowest
     * ({@code _}) to the highest ({@code #} over {@code |}), labelled below with how long ago it was.
     */
    static void latencyGraph(Client client, byte[][] args, RespWriter reply) {
        String event = Args.text(args[2]);
        ServerContext server = client.server();
        List<LatencyMonitor.Sample> samples = server.latency().history(event);
        if (samples.isEmpty()) {
            throw new RedisException("ERR No samples available for event '" + event + "'");
        }
        long allTimeHigh = 0;
        for (LatencyMonitor.Event e : server.latency().latest()) {
            if (e.name().equals(event)) {
                allTimeHigh = e.maxMillis();
            }
        }
        long now = server.wallClock().millis() / 1000;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        List<String> labels = new ArrayList<>();
        for (LatencyMonitor.Sample sample : samples) {
            min = Math.min(min, sample.millis());
            max = Math.max(max, sample.millis());
            long elapsed = now - sample.unixSeconds();
            labels.add(elapsed < 60 ? elapsed + "s" : elapsed < 3600 ? elapsed / 60 + "m"
                    : elapsed < 86400 ? elapsed / 3600 + "h" : elapsed / 86400 + "d");
        }
        StringBuilder graph = new StringBuilder(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(allTimeHigh).append(" ms)\n").append("-".repeat(GRAPH_COLUMNS)).append('\n');
        for (int start = 0; start < samples.size(); start += GRAPH_COLUMNS) {
            if (start != 0) {
                graph.append('\n');
            }
            sparkline(graph, samples, labels, min, max, start, Math.min(GRAPH_COLUMNS, samples.size() - start));
        }
        reply.verbatim("txt", graph.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Redis's {@code sparklineRenderRange} with SPARKLINE_FILL and four rows: bars, a blank line, then the labels. */
    private static void sparkline(StringBuilder out, List<LatencyMonitor.Sample> samples, List<String> labels,
                                  long min, long max, int offset, int length) {
        String charset = "_o#";
        int rows = 4;
        int steps = charset.length() * rows;
        double range = max - min == 0 ? 1 : max - min;
        for (int row = 0; ; row++) {
            boolean more = false;
            char[] line = new char[length];
            java.util.Arrays.fill(line, ' ');
            for (int j = 0; j < length; j++) {
                double value = samples.get(offset + j).millis() - min;
                int step = Math.clamp((int) ((int) (value * steps) / range), 0, steps - 1);
                if (row < rows) {
                    more = true;
                    int index = step - (rows - row - 1) * charset.length();
                    if (index >= 0 && index < charset.length()) {
                        line[j] = charset.charAt(index);
                    } else if (index >= charset.length()) {
                        line[j] = '|';
                    }
                } else if (row - rows < 1) { // one blank line between the bars and the labels
                    more = true;
                    break;
                } else {
                    String label = labels.get(offset + j);
                    int at = row - rows - 1;
                    if (label.length() > at) {
                        more = true;
                        line[j] = label.charAt(at);
                    }
                }
            }
            if (!more) {
                return;
            }
            out.append(line).append('\n');
        }
    }
    // end::graph[]

    /**
     * LATENCY DOCTOR: Redis's report, in its words: monitoring off, no spike, or per event its spikes (average, mean
     * deviation, period between spikes, worst), then the advice that applies to command latency.
     */
    static void latencyDoctor(Client client, byte[][] args, RespWriter reply) {
        ServerContext server = client.server();
        LatencyMonitor latency = server.latency();
        StringBuilder report = new StringBuilder();
        if (!latency.enabled() && latency.size() == 0) {
            report.append("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may "
                    + "use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a "
                    + "deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n");
        } else if (latency.size() == 0) {
            report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        } else {
            report.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, "
                    + "do you Dave?\n\n");
            int n = 1;
            boolean commands = false;
            for (LatencyMonitor.Event event : latency.latest()) {
                List<LatencyMonitor.Sample> samples = latency.history(event.name());
                double sum = 0;
                for (LatencyMonitor.Sample sample : samples) {
                    sum += sample.millis();
                }
                double average = sum / samples.size();
                double deviation = 0;
                for (LatencyMonitor.Sample sample : samples) {
                    deviation += Math.abs(sample.millis() - average);
                }
                deviation /= samples.size();
                double period = samples.size() < 2 ? 0
                        : (double) (samples.getLast().unixSeconds() - samples.getFirst().unixSeconds()) / samples.size();
                report.append(n++).append(". ").append(event.name()).append(": ").append(samples.size())
                        .append(" latency spikes (average ").append((long) average).append("ms, mean deviation ")
                        .append((long) deviation).append("ms, period ").append(String.format(Locale.ROOT, "%.2f", period))
                        .append(" sec). Worst all time event ").append(event.maxMillis()).append("ms.\n");
                commands |= event.name().equals("command") || event.name().equals("fast-command");
            }
            report.append("\nI have a few advices for you:\n\n");
            ServerConfig config = server.config();
            long slowlog = config.number("slowlog-log-slower-than");
            long threshold = config.number("latency-monitor-threshold");
            if (commands && slowlog / 1000 > threshold) {
                report.append("- Your current Slow Log configuration only logs events that are slower than your configured "
                        + "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ")
                        .append(threshold * 1000).append("'.\n");
            }
            if (commands) {
                report.append("- Check your Slow Log to understand what are the commands you are running which are too slow "
                        + "to execute. Please check https://redis.io/commands/slowlog for more information.\n");
                report.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                        + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                        + "fragment those objects into multiple smaller objects.\n");
            }
        }
        reply.verbatim("txt", report.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    // tag::memory-stats[]
    /**
     * MEMORY STATS: Redis's fields in its order. The JVM heap in use plays Redis's allocated memory, the committed heap
     * jemalloc's active pages, the process's RSS its resident memory; ratios are C floats, as Redis prints them.
     */
    static void memoryStats(Client client, byte[][] args, RespWriter reply) {
        ServerContext server = client.server();
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        long committed = runtime.totalMemory();
        long rss = ProcessMemory.rss();
        long clients = 0;
        for (Client c : server.clients()) {
            clients += c.outputMemory();
        }
        List<Integer> databases = new ArrayList<>();
        long keys = 0;
        for (int db = 0; db < server.databases().count(); db++) {
            int size = server.databases().get(db).size();
            keys += size;
            if (size > 0) {
                databases.add(db);
            }
        }
        long startup = ProcessMemory.startupHeap();
        long overhead = startup + clients;
        long dataset = Math.max(0, used - overhead);
        reply.mapHeader(27 + databases.size());
        reply.bulkString("peak.allocated").integer(ProcessMemory.peak(used));
        reply.bulkString("total.allocated").integer(used);
        reply.bulkString("startup.allocated").integer(startup);
        reply.bulkString("replication.backlog").integer(0);
        reply.bulkString("clients.slaves").integer(0);
        reply.bulkString("clients.normal").integer(clients);
        reply.bulkString("cluster.links").integer(0);
        reply.bulkString("aof.buffer").integer(0);
        reply.bulkString("lua.caches").integer(0);
        reply.bulkString("functions.caches").integer(0);
        for (int db : databases) {
            int size = server.databases().get(db).size();
            int volatiles = server.databases().get(db).volatileCount();
            reply.bulkString("db." + db).mapHeader(3);
            reply.bulkString("overhead.hashtable.main").integer(size * 24L + Integer.highestOneBit(Math.max(1, size)) * 16L);
            reply.bulkString("overhead.hashtable.expires").integer(volatiles * 24L);
            reply.bulkString("overhead.hashtable.slot-to-keys").integer(0);
        }
        reply.bulkString("overhead.total").integer(overhead);
        reply.bulkString("keys.count").integer(keys);
        reply.bulkString("keys.bytes-per-key").integer(keys == 0 ? 0 : (used - startup) / keys);
        reply.bulkString("dataset.bytes").integer(dataset);
        reply.bulkString("dataset.percentage").doubleValue(percent(dataset, used - startup));
        reply.bulkString("peak.percentage").doubleValue(percent(used, ProcessMemory.peak(used)));
        reply.bulkString("allocator.allocated").integer(used);
        reply.bulkString("allocator.active").integer(committed);
        reply.bulkString("allocator.resident").integer(rss);
        reply.bulkString("allocator-fragmentation.ratio").doubleValue(ratio(committed, used));
        reply.bulkString("allocator-fragmentation.bytes").integer(committed - used);
        reply.bulkString("allocator-rss.ratio").doubleValue(ratio(rss, committed));
        reply.bulkString("allocator-rss.bytes").integer(rss - committed);
        reply.bulkString("rss-overhead.ratio").doubleValue(1.0);
        reply.bulkString("rss-overhead.bytes").integer(0);
        reply.bulkString("fragmentation").doubleValue(ratio(rss, used));
        reply.bulkString("fragmentation.bytes").integer(rss - used);
    }
    // end::memory-stats[]

    private static double percent(long part, long whole) {
        return whole <= 0 ? 0 : (float) (part * 100.0 / whole);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (float) ((double) a / b);
    }

    /**
     * MEMORY DOCTOR: Redis's texts. "Empty" is judged by the data (no key), since the JVM's baseline heap is above
     * the 5 MB Redis uses as its threshold; then Redis's checks that apply here: a peak twice the current use, and
     * heavy fragmentation.
     */
    static void memoryDoctor(Client client, byte[][] args, RespWriter reply) {
        ServerContext server = client.server();
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        String text;
        if (server.databases().totalKeys() == 0) {
            text = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these "
                    + "conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be "
                    + "back to our programming as soon as I finished rebooting.\n";
        } else {
            StringBuilder issues = new StringBuilder();
            if (ProcessMemory.peak(used) > used * 3 / 2) {
                issues.append(" * Peak memory: In the past this instance used more than 150% the memory that is currently "
                        + "using. The allocator is normally not able to release memory after a peak, so you can expect to see "
                        + "a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and "
                        + "if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be "
                        + "used as soon as you fill the Redis instance with more data. If the memory peak was only occasional "
                        + "and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other "
                        + "option is to shutdown and restart the instance.\n\n");
            }
            text = issues.isEmpty()
                    ? "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
                    : "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues
                            + "I'm here to keep you safe, Sam. I want to help you.\n";
        }
        reply.verbatim("txt", text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** MEMORY MALLOC-STATS: what Redis answers when not built with jemalloc, as ours is not. */
    static void mallocStats(Client client, byte[][] args, RespWriter reply) {
        reply.verbatim("txt", "Stats not supported for the current allocator".getBytes(StandardCharsets.US_ASCII));
    }

    /** MEMORY PURGE: jemalloc's dirty pages have the garbage collector as their counterpart. */
    static void memoryPurge(Client client, byte[][] args, RespWriter reply) {
        System.gc();
        Replies.ok(reply);
    }


    // tag::lolwut[]
    /**
     * LOLWUT [VERSION v] [arguments], as Redis 7.0 chooses: the version as text ({@code v.0.0}, or Redis's own), and
     * 5.x (or 4.9) draws Schotter with up to three numbers (columns, squares per row, per column), 6.x (or 5.9) a
     * skyline with up to two (columns, rows), anything else answers the version line. See {@link Lolwut}.
     */
    static void lolwut(Client client, byte[][] args, RespWriter reply) {
        String version = RedisVersion.REDIS_VERSION;
        int first = 1;
        if (args.length >= 3 && Args.is(args[1], "version")) {
            version = Integer.toUnsignedString((int) Args.parseLong(args[2])) + ".0.0"; // C's %u of the long
            first = 3;
        }
        java.util.Random random = java.util.concurrent.ThreadLocalRandom.current();
        String art;
        if (version.startsWith("5.") && version.charAt(2) != '9' || version.startsWith("4.9")) {
            art = Lolwut.schotter(number(args, first, 66), number(args, first + 1, 8), number(args, first + 2, 12), random);
        } else if (version.startsWith("6.") && version.charAt(2) != '9' || version.startsWith("5.9")) {
            art = Lolwut.skyline(number(args, first, 80), number(args, first + 1, 20), random);
        } else {
            art = "Redis ver. " + RedisVersion.REDIS_VERSION + "\n";
        }
        reply.verbatim("txt", art.getBytes(StandardCharsets.UTF_8));
    }

    /** The artwork's argument at {@code index}, or its default when not given. */
    private static long number(byte[][] args, int index, long otherwise) {
        return index < args.length ? Args.parseLong(args[index]) : otherwise;
    }
    // end::lolwut[]

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("latency|histogram", IntrospectionCommands::latencyHistogram);
        table.handle("latency|history", IntrospectionCommands::latencyHistory);
        table.handle("latency|graph", IntrospectionCommands::latencyGraph);
        table.handle("latency|doctor", IntrospectionCommands::latencyDoctor);
        table.handle("memory|stats", IntrospectionCommands::memoryStats);
        table.handle("memory|doctor", IntrospectionCommands::memoryDoctor);
        table.handle("memory|malloc-stats", IntrospectionCommands::mallocStats);
        table.handle("memory|purge", IntrospectionCommands::memoryPurge);
        table.handle("lolwut", IntrospectionCommands::lolwut);
    }
}
