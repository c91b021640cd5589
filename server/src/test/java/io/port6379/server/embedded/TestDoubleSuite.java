// One test suite's worth of work (20 classes of 10 tiny Jedis tests) on ours, jedis-mock or a redis-server per class.
package io.port6379.server.embedded;

import com.github.fppt.jedismock.RedisServer;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@code bench/test-doubles}, one JVM per run, as a test run is: {@code TestDoubleSuite ours|jedis-mock|
 * redis-server} does what a JUnit suite of 20 test classes with 10 tests each does with a server per class: start
 * the server before the class, reset it after each test (EmbeddedServer.reset for ours, FLUSHALL for the others),
 * stop it after the class; each test opens a Jedis connection, runs SET, GET, INCR, RPUSH, LRANGE and DEL and checks
 * the replies. It prints {@code variant,first_command_ms,suite_ms}: the time from the JVM's start to the first reply
 * of the first test, and to the end of the last. JUnit itself is left out: it costs every variant the same.
 *
 * <p>{@code TestDoubleSuite memory ours|jedis-mock} starts 20 servers in this JVM and prints
 * {@code variant,heap_bytes_per_server,rss_bytes_per_server}: the live heap after a full collection and the
 * process's resident memory, before and after, divided by 20. A redis-server's is its process's resident memory.
 */
public final class TestDoubleSuite {

    private static final int CLASSES = 20;
    private static final int TESTS_PER_CLASS = 10;

    private TestDoubleSuite() {
    }

    /** A server the suite can start before a class and stop after it. */
    private interface Double extends AutoCloseable {
        int port();

        void reset(Jedis jedis);

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("memory")) {
            memory(args[1]);
            return;
        }
        String variant = args[0];
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long firstCommand = -1;
        for (int c = 0; c < CLASSES; c++) {
            try (Double server = start(variant)) {
                for (int t = 0; t < TESTS_PER_CLASS; t++) {
                    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                        check("OK", jedis.set("user:" + t, "ada"));
                        if (firstCommand < 0) {
                            firstCommand = System.currentTimeMillis() - jvmStart;
                        }
                        check("ada", jedis.get("user:" + t));
                        check(1L, jedis.incr("visits"));
                        check(2L, jedis.rpush("recent", "a", "b"));
                        check(List.of("a", "b"), jedis.lrange("recent", 0, -1));
                        check(1L, jedis.del("user:" + t));
                        server.reset(jedis);
                    }
                }
            }
        }
        System.out.println(variant + "," + firstCommand + "," + (System.currentTimeMillis() - jvmStart));
    }

    private static void check(Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("expected " + expected + ", got " + actual);
        }
    }

    private static Double start(String variant) throws Exception {
        return switch (variant) {
            case "ours" -> {
                EmbeddedServer server = EmbeddedServer.start();
                yield new Double() {
                    public int port() {
                        return server.port();
                    }

                    public void reset(Jedis jedis) {
                        server.reset();
                    }

                    public void close() {
                        server.close();
                    }
                };
            }
            case "jedis-mock" -> {
                RedisServer server = RedisServer.newRedisServer().start();
                yield new Double() {
                    public int port() {
                        return server.getBindPort();
                    }

                    public void reset(Jedis jedis) {
                        jedis.flushAll();
                    }

                    public void close() throws IOException {
                        server.stop();
                    }
                };
            }
            case "redis-server" -> {
                int port = freePort();
                Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                awaitPong(port);
                yield new Double() {
                    public int port() {
                        return port;
                    }

                    public void reset(Jedis jedis) {
                        jedis.flushAll();
                    }

                    public void close() throws InterruptedException {
                        process.destroy(); // SIGTERM: Redis exits at once without a save rule
                        process.waitFor();
                    }
                };
            }
            default -> throw new IllegalArgumentException("ours, jedis-mock or redis-server, not " + variant);
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPong(int port) throws InterruptedException {
        for (int i = 0; i < 4000; i++) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                if (jedis.ping().equals("PONG")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(1);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " never answered");
    }

    private static void memory(String variant) throws Exception {
        long heapBefore = liveHeap();
        long rssBefore = rss();
        List<Double> servers = new ArrayList<>();
        for (int i = 0; i < CLASSES; i++) {
            Double server = start(variant);
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                jedis.set("k", "v"); // a connection served and closed: the state a test leaves
            }
            servers.add(server);
        }
        Thread.sleep(200);
        long heap = (liveHeap() - heapBefore) / CLASSES;
        long rss = (rss() - rssBefore) / CLASSES;
        for (Double server : servers) {
            server.close();
        }
        System.out.println(variant + "," + heap + "," + rss);
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** This process's resident set (VmRSS), in bytes. */
    static long rss() throws IOException {
        return rssOf(Path.of("/proc/self/status"));
    }

    static long rssOf(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
