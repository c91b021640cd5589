// The dual-target harness: the same requests go to a real redis-server and to ours; the replies must be identical bytes.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every file under {@code src/test/resources/compat/} is a script of commands, one per line ({@code #} starts a
 * comment, {@code !} marks a command whose reply is not compared, {@code @} one compared with its times masked
 * ({@link #maskTimes}), {@code ~} one that must get no reply (the next reply
 * read proves it); arguments are split on spaces; {@code "..."} quotes one argument, with {@code \r \n \t \" \\ \xHH}
 * escapes). Each script runs on a fresh connection to both servers after FLUSHALL, and every reply must be
 * byte-for-byte Redis 7's. So the expectations are not ours: they are whatever the real Redis answers, and a
 * test that passes here proves compatibility rather than agreement with our own reading of the docs.
 *
 * <p>Scripts avoid replies that legitimately differ: client ids, times, hash-table order of several keys.
 */
class CompatibilityTest {

    private static final List<String> SCRIPTS = List.of("strings.redis", "keys.redis", "expire.redis",
            "connection.redis", "client.redis", "config.redis", "config-parameters.redis", "server.redis", "command.redis", "resp3.redis",
            "edge-cases.redis", "sorted-set-encodings.redis", "hash-encodings.redis", "set-encodings.redis", "numkeys-acl.redis", "command-getkeys.redis",
            "object-refcount.redis", "bitmaps.redis", "bitfield.redis",
            "hyperloglog.redis", "offsets.redis", "blocking-timeouts.redis", "reply-off-pubsub.redis", "dump-restore.redis", "sort.redis", "lcs.redis", "migrate.redis", "geo.redis",
            "introspection.redis", "tracking.redis", "streams.redis", "stream-groups.redis",
            "scripting.redis", "functions.redis", "struct-cmsgpack.redis", "lua-errors.redis", "cjson.redis");

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @TestFactory
    Stream<DynamicTest> scriptsGiveRedisReplies() {
        return SCRIPTS.stream().map(script -> DynamicTest.dynamicTest(script, () -> runScript(servers, script)));
    }

    /** Runs one script of {@code compat/} on {@code servers}, as this class does for its own pair. */
    static void runScript(BothServers servers, String script) throws IOException {
        runLines(servers, script, lines(script));
    }

    /** Runs {@code lines}, written as a script's, on {@code servers}; {@code script} names them in a failure. */
    static void runLines(BothServers servers, String script, List<String> lines) throws IOException {
        try (RespConnection real = new RespConnection(servers.redis().port()); RespConnection ourConnection = new RespConnection(servers.ours().port())) {
            real.call("FLUSHALL");
            ourConnection.call("FLUSHALL");
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("~")) { // a command that must get no reply at all (CLIENT REPLY OFF)
                    String[] args = split(line.substring(1).strip());
                    real.send(args);
                    ourConnection.send(args);
                    continue;
                }
                if (line.startsWith("!")) { // sent to both, replies not compared (they hold client ids, times)
                    String[] args = split(line.substring(1).strip());
                    real.call(args);
                    ourConnection.call(args);
                    continue;
                }
                if (line.startsWith("@")) { // compared with the clock's readings masked (stream delivery times, idle)
                    String[] args = split(line.substring(1).strip());
                    sameReply(maskTimes(real.call(args)), maskTimes(ourConnection.call(args)), script + ":" + (n + 1) + ": " + line);
                    continue;
                }
                String[] args = split(line);
                String expected = real.call(args);
                String actual = ourConnection.call(args);
                sameReply(expected, actual, script + ":" + (n + 1) + ": " + line);
            }
        }
    }

    /** Fails unless the replies are equal, saying both on one line (CR and LF written as backslash r and n): a report shows the first. */
    private static void sameReply(String expected, String actual, String where) {
        if (!expected.equals(actual)) {
            assertEquals(expected, actual, where + ": redis-server answered " + oneLine(expected) + ", ours " + oneLine(actual));
        }
    }

    private static String oneLine(String reply) {
        return reply.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * A reply with what the clock decides masked: Unix times in milliseconds (13 digits or more: XINFO STREAM FULL's
     * delivery and seen times), XINFO CONSUMERS' idle, and the idle column of XPENDING's rows [id, consumer, idle,
     * deliveries]. Everything else, the delivery counts included, is still compared.
     */
    static String maskTimes(String reply) {
        return reply.replaceAll(":\\d{13,}\r\n", ":<time>\r\n")
                .replaceAll("(\\$4\r\nidle\r\n):\\d+", "$1:<idle>")
                .replaceAll("(\\*4\r\n\\$\\d+\r\n[^\r\n]*\r\n\\$\\d+\r\n[^\r\n]*\r\n):\\d+\r\n", "$1:<idle>\r\n");
    }

    private static List<String> lines(String script) throws IOException {
        try (InputStream in = CompatibilityTest.class.getResourceAsStream("/compat/" + script)) {
            if (in == null) {
                throw new IOException("missing script " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Splits a script line into arguments; quoted arguments may hold spaces and escaped bytes. */
    static String[] split(String line) {
        List<String> args = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            StringBuilder arg = new StringBuilder();
            if (c == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    char d = line.charAt(i++);
                    if (d == '\\') {
                        char e = line.charAt(i++);
                        switch (e) {
                            case 'n' -> arg.append('\n');
                            case 'r' -> arg.append('\r');
                            case 't' -> arg.append('\t');
                            case 'x' -> {
                                arg.append((char) Integer.parseInt(line.substring(i, i + 2), 16));
                                i += 2;
                            }
                            default -> arg.append(e);
                        }
                    } else {
                        arg.append(d);
                    }
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    arg.append(line.charAt(i++));
                }
            }
            args.add(arg.toString());
        }
        return args.toArray(new String[0]);
    }
}
