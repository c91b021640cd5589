// RESP2 as the track's checks write their expectations: commands, replies, and a printable form of both.
package io.port6379.exercises.track;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builders for the exact bytes of replies, so a check reads like the reply it expects: {@code bulk("apple")}. */
public final class Resp {

    public static final String OK = "+OK\r\n";
    public static final String PONG = "+PONG\r\n";
    public static final String QUEUED = "+QUEUED\r\n";
    /** The null bulk string: GET of a missing key. */
    public static final String NIL = "$-1\r\n";
    /** The null array: a blocking pop that timed out. */
    public static final String NIL_ARRAY = "*-1\r\n";
    public static final String EMPTY_ARRAY = "*0\r\n";
    public static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    private Resp() {
    }

    public static String bulk(String value) {
        return "$" + value.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n" + value + "\r\n";
    }

    public static String integer(long value) {
        return ":" + value + "\r\n";
    }

    public static String error(String message) {
        return "-" + message + "\r\n";
    }

    /** An array of these already-encoded replies. */
    public static String array(String... elements) {
        return "*" + elements.length + "\r\n" + String.join("", elements);
    }

    /** An array of bulk strings. */
    public static String bulks(String... values) {
        StringBuilder reply = new StringBuilder("*").append(values.length).append("\r\n");
        for (String value : values) {
            reply.append(bulk(value));
        }
        return reply.toString();
    }

    /** A command as a client sends it: an array of bulk strings. */
    public static String command(String... args) {
        return bulks(args);
    }

    /** The elements of an array of bulk strings, or null when {@code reply} is anything else. */
    static List<String> bulkArray(String reply) {
        if (!reply.startsWith("*")) {
            return null;
        }
        int lineEnd = reply.indexOf("\r\n");
        int count = Integer.parseInt(reply.substring(1, lineEnd));
        List<String> elements = new ArrayList<>();
        int position = lineEnd + 2;
        for (int i = 0; i < count; i++) {
            if (reply.charAt(position) != '$') {
                return null;
            }
            lineEnd = reply.indexOf("\r\n", position);
            int length = Integer.parseInt(reply.substring(position + 1, lineEnd));
            if (length < 0) {
                return null;
            }
            elements.add(reply.substring(lineEnd + 2, lineEnd + 2 + length));
            position = lineEnd + 2 + length + 2;
        }
        return position == reply.length() ? elements : null;
    }

    /** Whether two lists hold the same groups of {@code groupSize} elements, in any order. */
    static boolean sameUnordered(List<String> expected, List<String> got, int groupSize) {
        if (expected.size() != got.size()) {
            return false;
        }
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i < expected.size(); i += groupSize) {
            counts.merge(expected.subList(i, i + groupSize), 1, Integer::sum);
        }
        for (int i = 0; i < got.size(); i += groupSize) {
            if (counts.merge(got.subList(i, i + groupSize), -1, Integer::sum) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Bytes as a participant reads them in a report: CR, LF and other control bytes escaped, long runs cut. */
    public static String show(String bytes) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < bytes.length() && shown.length() < 300; i++) {
            char c = bytes.charAt(i);
            switch (c) {
                case '\r' -> shown.append("\\r");
                case '\n' -> shown.append("\\n");
                case '\\' -> shown.append("\\\\");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        shown.append(String.format("\\x%02x", (int) c));
                    } else {
                        shown.append(c);
                    }
                }
            }
        }
        if (shown.length() >= 300) {
            shown.append("... (").append(bytes.length()).append(" bytes in all)");
        }
        return shown.isEmpty() ? "(nothing)" : shown.toString();
    }
}
