// Renders command sequences as redis-cli input, so that a failing differential case can be pasted and replayed.
package io.port6379.server;

import java.util.List;

/** redis-cli's quoting: {@code "..."} with {@code \" \\ \r \n \t \xHH} escapes when an argument needs it. */
final class CliScript {

    private CliScript() {
    }

    /** One argument as redis-cli reads it (also in inline commands, which share the quoting rules). */
    static String quote(String arg) {
        boolean plain = !arg.isEmpty();
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 32 || c >= 127) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
            plain &= c > 32 && c < 127 && c != '"' && c != '\'' && c != '\\';
        }
        return plain ? arg : out.append('"').toString();
    }

    /** A command line: the arguments quoted and joined by spaces. */
    static String line(List<String> args) {
        return String.join(" ", args.stream().map(CliScript::quote).toList());
    }
}
