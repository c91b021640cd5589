// A real memcached and our server with memcached-port, side by side, and the byte-exact exchange the tests compare.
package io.port6379.server.memcached;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.testing.RealMemcached;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's memcached 1.6 and our server (with {@code memcached-port} on a free port), started once per test class.
 * {@link Conversation} is one connection to one of them: it sends a chunk of lines in one write (a pipeline), then
 * {@code mn}, whose {@code MN} reply marks the end of the chunk's replies, so nothing waits on a clock.
 */
final class MemcachedPeers implements AutoCloseable {

    final RealMemcached memcached;
    final EmbeddedServer ours;
    final int oursPort;

    private MemcachedPeers(RealMemcached memcached, EmbeddedServer ours, int oursPort) {
        this.memcached = memcached;
        this.ours = ours;
        this.oursPort = oursPort;
    }

    static MemcachedPeers start() throws IOException, InterruptedException {
        RealMemcached memcached = RealMemcached.start();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        EmbeddedServer ours = EmbeddedServer.builder().config("memcached-port", Integer.toString(port)).start();
        if (!RealMemcached.awaitListening(null, port)) {
            ours.close();
            memcached.close();
            throw new IOException("our memcached port " + port + " did not open");
        }
        return new MemcachedPeers(memcached, ours, port);
    }

    Conversation toMemcached() throws IOException {
        return new Conversation(memcached.port());
    }

    Conversation toOurs() throws IOException {
        return new Conversation(oursPort);
    }

    @Override
    public void close() {
        ours.close();
        memcached.close();
    }

    /** One connection: chunks out, their replies back, CAS uniques named by order of appearance. */
    static final class Conversation implements AutoCloseable {
        private static final byte[] MN = "mn\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final Pattern CAS_NAME = Pattern.compile("\\$(c\\d+)");
        /** A meta command's reply line, whose {@code c<unique>} words are CAS uniques. */
        private static final Pattern META_REPLY = Pattern.compile("(HD|VA|EN|NF|NS|EX)( |$)");

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final Map<String, String> casByName = new HashMap<>();
        private final Map<String, String> nameByCas = new HashMap<>();
        private boolean closed;

        Conversation(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Sends {@code chunk} ($cN replaced by this server's N-th CAS unique) and returns its replies, normalized. */
        String exchange(byte[] chunk) throws IOException {
            if (closed) {
                return "<closed>";
            }
            byte[] bytes = substitute(chunk);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(bytes);
            request.write(MN);
            out.write(request.toByteArray());
            out.flush();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int noOps = 1; // the chunk's own mn lines answer MN too: read until the last one, ours, has come
            for (String line : new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n")) {
                if (line.equals("mn")) {
                    noOps++;
                }
            }
            while (!endsWith(reply, MN_REPLY) || countLines(reply.toByteArray(), MN_REPLY) < noOps) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (java.net.SocketException reset) {
                    n = -1;
                }
                if (n < 0) {
                    closed = true;
                    return normalize(reply.toByteArray()) + "<closed>";
                }
                reply.write(buffer, 0, n);
            }
            byte[] all = reply.toByteArray();
            return normalize(java.util.Arrays.copyOf(all, all.length - MN_REPLY.length));
        }

        private static final byte[] MN_REPLY = "MN\r\n".getBytes(StandardCharsets.US_ASCII);

        /** How many lines of {@code reply} are {@code line}. */
        private static int countLines(byte[] reply, byte[] line) {
            int count = 0;
            for (int at = 0; at + line.length <= reply.length; at++) {
                if ((at == 0 || reply[at - 1] == '\n')
                        && java.util.Arrays.equals(reply, at, at + line.length, line, 0, line.length)) {
                    count++;
                }
            }
            return count;
        }

        private static boolean endsWith(ByteArrayOutputStream stream, byte[] suffix) {
            byte[] bytes = stream.toByteArray();
            if (bytes.length < suffix.length) {
                return false;
            }
            for (int i = 0; i < suffix.length; i++) {
                if (bytes[bytes.length - suffix.length + i] != suffix[i]) {
                    return false;
                }
            }
            return true;
        }

        private byte[] substitute(byte[] chunk) {
            String text = new String(chunk, StandardCharsets.ISO_8859_1);
            if (!text.contains("$c")) {
                return chunk;
            }
            Matcher m = CAS_NAME.matcher(text);
            StringBuilder result = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(result, casByName.getOrDefault(m.group(1), "0"));
            }
            m.appendTail(result);
            return result.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        /**
         * The replies as text, with each CAS unique of a VALUE line replaced by its name ($c1 for the first one this
         * connection saw, ...) and the memcached patch level left out of VERSION: numbers differ, behaviour must not.
         */
        private String normalize(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            StringBuilder result = new StringBuilder();
            int p = 0;
            while (p < text.length()) {
                int eol = text.indexOf("\r\n", p);
                if (eol < 0) {
                    result.append(text, p, text.length());
                    break;
                }
                String line = text.substring(p, eol);
                p = eol + 2;
                String[] words = line.split(" ");
                if (line.startsWith("VALUE ") && (words.length == 4 || words.length == 5)) {
                    if (words.length == 5) {
                        String name = name(words[4]);
                        line = words[0] + " " + words[1] + " " + words[2] + " " + words[3] + " $" + name;
                    }
                    int length = Integer.parseInt(words[3]);
                    result.append(line).append("\r\n");
                    int end = Math.min(text.length(), p + length + 2);
                    result.append(text, p, end);
                    p = end;
                    continue;
                }
                if (line.startsWith("ME ")) { // me's debug line: cas=<unique>
                    Matcher cas = Pattern.compile("cas=(\\d+)").matcher(line);
                    if (cas.find()) {
                        line = line.substring(0, cas.start(1)) + "$" + name(cas.group(1)) + line.substring(cas.end(1));
                    }
                }
                if (META_REPLY.matcher(line).lookingAt()) {
                    StringBuilder named = new StringBuilder(words[0]);
                    for (int i = 1; i < words.length; i++) {
                        String word = words[i];
                        if (word.matches("c\\d+")) {
                            word = "c$" + name(word.substring(1));
                        }
                        named.append(' ').append(word);
                    }
                    result.append(named).append("\r\n");
                    if (words[0].equals("VA") && words.length > 1 && words[1].matches("\\d+")) {
                        int end = Math.min(text.length(), p + Integer.parseInt(words[1]) + 2);
                        result.append(text, p, end);
                        p = end;
                    }
                    continue;
                }
                if (line.matches("VERSION 1\\.6\\.\\d+")) {
                    line = "VERSION 1.6.x";
                }
                result.append(line).append("\r\n");
            }
            return result.toString();
        }

        /** The name of a CAS unique: c1 for the first one this connection saw, and so on. */
        private String name(String cas) {
            return nameByCas.computeIfAbsent(cas, unique -> {
                String fresh = "c" + (nameByCas.size() + 1);
                casByName.put(fresh, unique);
                return fresh;
            });
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A script case: its name, and its chunks of bytes to send (each ends where the script has a line "~"). */
    record Case(String name, int line, List<byte[]> chunks, int commandLines) {
    }

    /**
     * Reads a script: "=== name" starts a case, "~" ends a chunk, "#" starts a comment. Each other line is sent with
     * "\r\n" after it, except a line ending in the escape \n or \r, which is sent as it is. Escapes: \t \r \n \\ and
     * {x*N} for N copies of the character x.
     */
    static List<Case> parse(String script) {
        List<Case> cases = new ArrayList<>();
        String name = null;
        int caseLine = 0;
        int commandLines = 0;
        List<byte[]> chunks = new ArrayList<>();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        String[] lines = script.split("\n", -1);
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "=== end";
            if (line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("=== ") || line.equals("~")) {
                if (chunk.size() > 0) {
                    chunks.add(chunk.toByteArray());
                    chunk.reset();
                }
                if (line.startsWith("=== ")) {
                    if (name != null) {
                        cases.add(new Case(name, caseLine, List.copyOf(chunks), commandLines));
                    }
                    name = line.substring(4).trim();
                    caseLine = i + 1;
                    chunks.clear();
                    commandLines = 0;
                }
                continue;
            }
            if (name == null || line.isEmpty() && i == lines.length - 1) {
                continue;
            }
            byte[] bytes = unescape(line);
            chunk.writeBytes(bytes);
            commandLines++;
            if (!(line.endsWith("\\n") || line.endsWith("\\r"))) {
                chunk.writeBytes(new byte[] {'\r', '\n'});
            }
        }
        return cases;
    }

    private static byte[] unescape(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char e = line.charAt(++i);
                out.write(switch (e) {
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    default -> e;
                });
            } else if (c == '{' && line.indexOf("*", i) == i + 2 && line.indexOf('}', i) > i + 3) {
                int close = line.indexOf('}', i);
                int count = Integer.parseInt(line.substring(i + 3, close));
                for (int k = 0; k < count; k++) {
                    out.write(line.charAt(i + 1));
                }
                i = close;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
