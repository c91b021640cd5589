// How many of the compatibility cases (compat/*.redis, Redis's replies as the truth) ours and jedis-mock each pass.
package io.port6379.server.embedded;

import com.github.fppt.jedismock.RedisServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Run by {@code bench/test-doubles} (a program, not a test): replays every script that {@code CompatibilityTest}
 * runs against a real redis-server, with the same rules ({@code !} not compared, {@code @} times masked, {@code ~} no
 * reply), on three servers at once: Debian's redis-server, an {@link EmbeddedServer} and jedis-mock. A case is one
 * compared line; it passes when the server's reply is Redis's, byte for byte. A server that closes the connection or
 * does not answer (jedis-mock within 5 s, the others within a minute) fails that case and gets a new connection for the next one; a wrong reply may
 * leave different data behind, so later cases of the same file can fail as a consequence, as they would in a test
 * suite. Writes {@code file,cases,ours,jedis_mock} rows as CSV to the path given (and a total row).
 */
public final class CompatibilityVsJedisMock {

    private static final String NO_REPLY = "<no reply: ";

    private CompatibilityVsJedisMock() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "compat-vs-jedis-mock.csv");
        List<String> scripts = List.of(args.length > 1 && !args[1].isEmpty() ? args[1].split(",") : scriptNames());
        RedisServer mock = RedisServer.newRedisServer().start();
        try (RealRedis redis = RealRedis.start(); EmbeddedServer ours = EmbeddedServer.start();
             PrintStream csv = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
            csv.println("file,cases,ours,jedis_mock");
            int cases = 0;
            int oursPassed = 0;
            int mockPassed = 0;
            for (String script : scripts) {
                Target real = new Target(port -> redis.port(), 60_000);
                Target embedded = new Target(port -> ours.port(), 60_000);
                Target mocked = new Target(port -> mock.getBindPort(), 5_000);
                int[] counts = replay(script, real, embedded, mocked);
                csv.println(script + "," + counts[0] + "," + counts[1] + "," + counts[2]);
                System.out.printf("%-28s %4d cases: ours %4d, jedis-mock %4d%n", script, counts[0], counts[1], counts[2]);
                cases += counts[0];
                oursPassed += counts[1];
                mockPassed += counts[2];
                real.close();
                embedded.close();
                mocked.close();
            }
            csv.println("total," + cases + "," + oursPassed + "," + mockPassed);
            System.out.printf("%-28s %4d cases: ours %4d, jedis-mock %4d%n", "total", cases, oursPassed, mockPassed);
        } finally {
            mock.stop();
        }
    }

    /** The scripts CompatibilityTest lists, read from its source so that the two never differ. */
    private static String[] scriptNames() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/port6379/server/CompatibilityTest.java"));
        String list = source.substring(source.indexOf("SCRIPTS = List.of("), source.indexOf(");", source.indexOf("SCRIPTS")));
        return java.util.regex.Pattern.compile("\"([a-z0-9-]+\\.redis)\"").matcher(list).results()
                .map(m -> m.group(1)).toArray(String[]::new);
    }

    /** One server's connection, opened again after the server closed it or timed out. */
    private static final class Target implements AutoCloseable {
        private final IntFunction<Integer> port;
        private final int timeoutMillis;
        private RespConnection connection;

        Target(IntFunction<Integer> port, int timeoutMillis) {
            this.port = port;
            this.timeoutMillis = timeoutMillis;
        }

        RespConnection connection() throws IOException {
            if (connection == null) {
                connection = new RespConnection(port.apply(0));
                connection.timeout(timeoutMillis);
            }
            return connection;
        }

        /** The reply, or a marker that never equals a Redis reply when the server failed to give one. */
        String call(String... args) {
            try {
                return connection().call(args);
            } catch (IOException | RuntimeException e) {
                close();
                return NO_REPLY + e + ">";
            }
        }

        void send(String... args) {
            try {
                connection().send(args);
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // a new connection replaces it
                }
                connection = null;
            }
        }
    }

    /** {cases, ours passed, mock passed} for one script. */
    private static int[] replay(String script, Target real, Target ours, Target mock) throws IOException {
        List<String> lines;
        try (InputStream in = CompatibilityVsJedisMock.class.getResourceAsStream("/compat/" + script)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (Target t : List.of(real, ours, mock)) {
            t.call("FLUSHALL");
        }
        int cases = 0;
        int oursPassed = 0;
        int mockPassed = 0;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            char mark = line.charAt(0);
            String[] args = io.port6379.server.CompatibilityCases.split(mark == '~' || mark == '!' || mark == '@'
                    ? line.substring(1).strip() : line);
            if (mark == '~') {
                real.send(args);
                ours.send(args);
                mock.send(args);
                continue;
            }
            String expected = real.call(args);
            String fromOurs = ours.call(args);
            String fromMock = mock.call(args);
            if (mark == '!') {
                continue;
            }
            if (mark == '@') {
                expected = io.port6379.server.CompatibilityCases.maskTimes(expected);
                fromOurs = io.port6379.server.CompatibilityCases.maskTimes(fromOurs);
                fromMock = io.port6379.server.CompatibilityCases.maskTimes(fromMock);
            }
            if (expected.startsWith(NO_REPLY)) { // Redis itself did not answer in time (a loaded machine): no case
                continue;
            }
            cases++;
            oursPassed += expected.equals(fromOurs) ? 1 : 0;
            mockPassed += expected.equals(fromMock) ? 1 : 0;
        }
        return new int[] {cases, oursPassed, mockPassed};
    }
}
