// Test harness: command/reply cases stored as text, run over a socket against our server or a real redis-server.
package io.port6379.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .cases} file is a script for one connection, after FLUSHALL and HELLO 2. Each case is a line
 * {@code > COMMAND args} (sent as an inline command, so Redis's quoting applies: {@code "a b"}, {@code "\x00"})
 * followed by the expected reply on the next line, written as {@link #read} renders it: {@code +OK},
 * {@code -ERR ...}, {@code :3}, {@code "bulk"}, {@code $-1}, {@code *-1}, {@code _}, {@code ,1.5},
 * {@code *[...]}, {@code ~[...]}, {@code %{k: v}}. A {@code >~} line sorts the elements of the top-level
 * reply first (for sets and hashes, whose order is the hash table's); a {@code >!} line has no expected reply
 * (HELLO 3, whose reply names the server). Lines starting with {@code #} are comments.
 *
 * <p>The expectations were recorded from redis-server 7.0.15 and are re-proven against it by
 * {@code RealRedisCasesTest} whenever the binary is installed (always in CI).
 */
record ReplyCases(String file, List<Case> cases) {

    /** One command, where it is in its file, what must come back, and whether to sort the reply. */
    record Case(int line, String command, String expected, boolean sorted) {
    }

    static final List<String> FILES = List.of("lists", "hashes", "sets", "sorted-sets", "blocking");

    static ReplyCases load(String name) {
        String resource = "/io/port6379/server/cases/" + name + ".cases";
        try (InputStream in = ReplyCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n", -1);
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].startsWith(">")) {
                    continue;
                }
                int space = lines[i].indexOf(' ');
                String mark = lines[i].substring(0, space);
                String expected = mark.contains("!") ? null : lines[i + 1];
                cases.add(new Case(i + 1, lines[i].substring(space + 1), expected, mark.contains("~")));
            }
            return new ReplyCases(name, cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs every case on a fresh connection to {@code port}; returns one message per mismatch. */
    List<String> runAgainst(int port) throws IOException {
        List<String> mismatches = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (String setup : List.of("FLUSHALL", "HELLO 2")) {
                send(out, setup);
                read(in, false);
            }
            for (Case c : cases) {
                send(out, c.command());
                String actual = read(in, c.sorted());
                if (c.expected() != null && !c.expected().equals(actual)) {
                    mismatches.add(file + ".cases:" + c.line() + ": " + c.command() + "\n    expected " + c.expected()
                            + "\n    but got  " + actual);
                }
            }
        }
        return mismatches;
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    // tag::render[]
    /** Reads one reply and renders it on one line; {@code sorted} sorts the top-level elements. */
    static String read(InputStream in, boolean sorted) throws IOException {
        String line = readLine(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', '-', ':', ',', '#', '(', '_' -> {
                return line;
            }
            case '$', '=' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return "$-1";
                }
                byte[] payload = in.readNBytes(length + 2);
                String text = escape(payload, length);
                return type == '$' ? '"' + text + '"' : "=" + text;
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(rest);
                if (count < 0) {
                    return "*-1";
                }
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in, false));
                }
                if (sorted) {
                    items.sort(null);
                }
                return type + "[" + String.join(", ", items) + "]";
            }
            case '%' -> {
                int count = Integer.parseInt(rest);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in, false) + ": " + read(in, false));
                }
                if (sorted) {
                    items.sort(null);
                }
                return "%{" + String.join(", ", items) + "}";
            }
            default -> throw new IOException("unexpected reply type: " + line);
        }
    }
    // end::render[]

    private static String escape(byte[] payload, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int c = payload[i] & 0xff;
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '"') {
                out.append("\\\"");
            } else if (c >= 32 && c < 127) {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed after: " + line);
            }
            line.append((char) b);
        }
        in.read(); // '\n'
        return line.toString();
    }
}
