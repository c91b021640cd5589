// The checks and canonical forms of the parameters whose values are not a single number, boolean or choice.
package io.port6379.server.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Redis's per-parameter checkers ({@code isValid…} and the special setters of {@code config.c}), with their error
 * texts, for the string parameters that have one and for the parameters made of several words.
 */
final class ValueChecks {

    /** The variables a {@code proc-title-template} may use. */
    private static final Set<String> TITLE_VARIABLES = Set.of("title", "listen-addr", "server-mode", "port", "tls-port",
            "unixsocket", "config-file");

    private ValueChecks() {
    }

    /** A string parameter: most take any text; these few are checked as Redis checks them. */
    static String string(String name, String value) {
        switch (name) {
            case "dbfilename", "appendfilename" -> {
                if (value.contains("/")) {
                    throw new IllegalArgumentException(name + " can't be a path, just a filename");
                }
            }
            case "appenddirname" -> {
                if (value.contains("/")) {
                    throw new IllegalArgumentException("appenddirname can't be a path, just a dirname");
                }
            }
            case "cluster-announce-hostname" -> {
                if (!value.matches("[A-Za-z0-9.-]*")) {
                    throw new IllegalArgumentException("Hostnames may only contain alphanumeric characters, hyphens or dots");
                }
            }
            case "proc-title-template" -> {
                if (!validTitleTemplate(value)) {
                    throw new IllegalArgumentException("template format is invalid or contains unknown variables");
                }
            }
            default -> { }
        }
        return value;
    }

    /** Redis's {@code sdstemplate}: {@code {name}} variables, {@code {{} and {@code }}} as literal braces. */
    private static boolean validTitleTemplate(String template) {
        StringBuilder expanded = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                expanded.append(c);
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0 || !TITLE_VARIABLES.contains(template.substring(i + 1, end))) {
                    return false;
                }
                expanded.append("x");
                i = end + 1;
            } else if (c == '}') {
                return false;
            } else {
                expanded.append(c);
                i++;
            }
        }
        return !expanded.toString().isBlank();
    }

    /** The parameters made of several words. */
    static String words(String name, String value) {
        List<String> words = split(value);
        return switch (name) {
            case "bind" -> {
                if (words.size() > 16) {
                    throw new IllegalArgumentException("Too many bind addresses specified.");
                }
                yield String.join(" ", words);
            }
            case "client-output-buffer-limit" -> OutputBufferLimit.merged(ServerConfig.DEFAULT_OUTPUT_LIMITS, value);
            case "oom-score-adj-values" -> oomScoreAdjValues(words);
            case "latency-tracking-info-percentiles" -> percentiles(words);
            case "replicaof" -> replicaOf(words);
            default -> String.join(" ", words);
        };
    }

    private static String oomScoreAdjValues(List<String> words) {
        if (words.size() != 3) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        List<String> values = new ArrayList<>();
        for (String word : words) {
            long score;
            try {
                score = Long.parseLong(word);
            } catch (NumberFormatException e) {
                score = Long.MAX_VALUE;
            }
            if (score < -2000 || score > 2000) {
                throw new IllegalArgumentException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            values.add(Long.toString(score));
        }
        return String.join(" ", values);
    }

    /** Each percentile as Redis prints it back: {@code %f} with the trailing zeros (and point) trimmed. */
    private static String percentiles(List<String> words) {
        List<String> values = new ArrayList<>();
        for (String word : words) {
            double percentile;
            try {
                percentile = Double.parseDouble(word);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (!(percentile >= 0.0 && percentile <= 100.0)) {
                throw new IllegalArgumentException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            String printed = new BigDecimal(String.format(Locale.ROOT, "%f", percentile)).stripTrailingZeros().toPlainString();
            values.add(printed);
        }
        return String.join(" ", values);
    }

    /** {@code replicaof host port} or {@code replicaof no one} (shown as empty). */
    private static String replicaOf(List<String> words) {
        if (words.size() == 2 && words.get(0).equalsIgnoreCase("no") && words.get(1).equalsIgnoreCase("one")) {
            return "";
        }
        if (words.isEmpty()) {
            return "";
        }
        if (words.size() != 2 || !words.get(1).matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        return words.get(0) + " " + Integer.parseInt(words.get(1));
    }

    /**
     * {@code shutdown-on-sigint}/{@code -sigterm}: any of {@code save nosave now force}, or {@code default};
     * shown in Redis's order, {@code default} alone when none is set.
     */
    static String flags(String value, List<String> choices, Supplier<IllegalArgumentException> notOneOf) {
        List<String> given = new ArrayList<>();
        for (String word : split(value)) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (!choices.contains(lower)) {
                throw notOneOf.get();
            }
            given.add(lower);
        }
        if (given.contains("save") && given.contains("nosave")) {
            throw new IllegalArgumentException("shutdown options SAVE and NOSAVE can't be used simultaneously");
        }
        List<String> shown = choices.stream().skip(1).filter(given::contains).toList();
        return shown.isEmpty() ? choices.get(0) : String.join(" ", shown);
    }

    private static List<String> split(String value) {
        String trimmed = value.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }
}
