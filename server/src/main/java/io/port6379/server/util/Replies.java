// Reply shapes shared by several commands: OK, verbatim text, HELP listings, quoted strings.
package io.port6379.server.util;

import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;

/** Helpers on top of {@link RespWriter} for shapes the commands of many families write. */
public final class Replies {

    private Replies() {
    }

    /** A bulk string in RESP2, a verbatim {@code txt} string in RESP3 (INFO, CLIENT LIST). */
    public static void verbatim(RespWriter reply, String text) {
        reply.verbatim("txt", text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static void ok(RespWriter reply) {
        reply.simpleString("OK");
    }

    // tag::repr[]
    /** Appends {@code bytes} quoted and escaped as Redis's {@code sdscatrepr}: {@code "a\"b\x00"}. */
    public static void appendQuoted(StringBuilder out, byte[] bytes) {
        out.append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        out.append('"');
    }
    // end::repr[]

    /** A HELP subcommand's reply: the lines given, then Redis's closing {@code HELP} entry, as status lines. */
    public static void help(RespWriter reply, String... lines) {
        reply.arrayHeader(lines.length + 2);
        for (String line : lines) {
            reply.simpleString(line);
        }
        reply.simpleString("HELP");
        reply.simpleString("    Prints this help.");
    }
}
