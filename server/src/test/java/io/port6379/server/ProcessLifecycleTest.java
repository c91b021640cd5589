// The server as a process: the start-up log, a fatal config error, and a clean exit on SIGTERM and on SHUTDOWN.
package io.port6379.server;

import io.port6379.server.main.Main;
import io.port6379.testing.Binaries;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessLifecycleTest {

    private static Process startServer(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads log lines until one contains {@code text}; returns every line read. */
    private static List<String> readUntil(BufferedReader log, String text) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = log.readLine()) != null) {
            lines.add(line);
            if (line.contains(text)) {
                return lines;
            }
        }
        throw new AssertionError("log ended before '" + text + "': " + lines);
    }

    @Test
    void sigtermShutsDownCleanly() throws Exception {
        int port = freePort();
        Process server = startServer("--port", String.valueOf(port), "--bind", "127.0.0.1");
        try (BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            readUntil(log, "Ready to accept connections tcp");
            try (RespConnection c = new RespConnection(port)) {
                assertEquals("+PONG\r\n", c.call("PING"));
            }
            new ProcessBuilder("kill", "-TERM", String.valueOf(server.pid())).start().waitFor(); // not destroy(): it closes our end of the log
            List<String> lines = readUntil(log, "Redis is now ready to exit, bye bye...");
            assertTrue(lines.stream().anyMatch(l -> l.matches("\\d+:M \\d\\d \\w{3} \\d{4} [\\d:.]+ # Received SIGTERM scheduling shutdown...")), lines.toString());
            assertTrue(server.waitFor(10, TimeUnit.SECONDS));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void shutdownCommandEndsTheProcessWithStatusZero() throws Exception {
        int port = freePort();
        Process server = startServer("--port", String.valueOf(port), "--bind", "127.0.0.1");
        try (BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            readUntil(log, "Ready to accept connections tcp");
            try (RespConnection c = new RespConnection(port)) {
                c.send("SHUTDOWN", "NOSAVE");
                assertEquals("", c.readToEnd());
            }
            readUntil(log, "User requested shutdown...");
            assertTrue(server.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void badConfigurationIsFatal() throws Exception {
        Process server = startServer("--hz", "often");
        String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(server.waitFor(10, TimeUnit.SECONDS));
        assertEquals(1, server.exitValue());
        assertTrue(output.contains("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***"), output);
        assertTrue(output.contains("argument couldn't be parsed into an integer"), output);
    }

    /** A cluster node follows the master the cluster gives it: both servers refuse replicaof at start-up. */
    @Test
    void replicaofIsFatalInClusterMode(@TempDir Path dir) throws Exception {
        String[] args = {"--cluster-enabled", "yes", "--replicaof", "127.0.0.1", "1", "--dir", dir.toString(),
            "--save", ""};
        List<String> real = new ArrayList<>(List.of(Binaries.require("redis-server").toString()));
        real.addAll(List.of(args));
        for (Process server : List.of(new ProcessBuilder(real).redirectErrorStream(true).start(), startServer(args))) {
            String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(server.waitFor(10, TimeUnit.SECONDS));
            assertEquals(1, server.exitValue(), output);
            assertTrue(output.contains("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                    + "replicaof directive not allowed in cluster mode\n"), output);
        }
    }

    /**
     * SIGTERM takes SHUTDOWN's path, with the flags of {@code shutdown-on-sigterm}: by default a master waits for a
     * replica that has not acknowledged its last write (here asleep in DEBUG SLEEP), serving reads meanwhile, and exits
     * once the replica woke and acknowledged; with {@code now} it exits at once, and {@code save} saves although no save
     * point is configured. The same lines for a redis-server process and for ours.
     */
    @Test
    void sigtermWaitsForLaggingReplicasAsShutdownDoes(@TempDir Path dir) throws Exception {
        List<String> real = sigtermWithALaggingReplica(true, dir.resolve("real"));
        List<String> ours = sigtermWithALaggingReplica(false, dir.resolve("ours"));
        assertEquals(String.join("\n", real), String.join("\n", ours));
        assertEquals(List.of("default: waited true, answered +PONG while waiting, exit 0 after the replica woke true, saved false",
                "now save: waited false, exit 0 after the replica woke false, saved true"), ours);
    }

    private static List<String> sigtermWithALaggingReplica(boolean real, Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String flags : List.of("default", "now save")) {
            Path master = dir.resolve(flags.replace(' ', '-'));
            java.nio.file.Files.createDirectories(master);
            int port = freePort();
            String[] args = {"--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--dir", master.toString(),
                "--shutdown-on-sigterm", flags, "--shutdown-timeout", "20", "--repl-diskless-sync-delay", "0"};
            List<String> command = new ArrayList<>(List.of(Binaries.require("redis-server").toString()));
            command.addAll(List.of(args));
            Process server = real ? new ProcessBuilder(command).redirectErrorStream(true).start() : startServer(args);
            AutoCloseable replica = real ? io.port6379.testing.RealRedis.start("--enable-debug-command", "yes")
                    : TestServer.start("--enable-debug-command", "yes", "--save", "");
            int replicaPort = replica instanceof TestServer ours ? ours.port()
                    : ((io.port6379.testing.RealRedis) replica).port();
            try (replica; BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)); RespConnection m = new RespConnection(awaitListening(port, log));
                 RespConnection r = new RespConnection(replicaPort)) {
                r.call("REPLICAOF", "127.0.0.1", String.valueOf(port));
                readUntil(log, "Synchronization with replica");
                while (!m.call("WAIT", "1", "100").equals(":1\r\n")) {
                    Thread.sleep(20); // until the replica acknowledged the stream once
                }
                Thread sleeper = Thread.ofVirtual().start(() -> {
                    try (RespConnection asleep = new RespConnection(replicaPort)) {
                        asleep.call("DEBUG", "SLEEP", "5");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                // The replica sleeps once a write goes unacknowledged for 300 ms: an ACK that beat DEBUG SLEEP
                // would let the master exit without waiting, so write again until one stays unacknowledged.
                do {
                    m.call("SET", "k", "v");
                } while (!m.call("WAIT", "1", "300").equals(":0\r\n"));
                new ProcessBuilder("kill", "-TERM", String.valueOf(server.pid())).start().waitFor();
                String line = flags + ":";
                if (flags.equals("default")) {
                    readUntil(log, "Waiting for replicas before shutting down");
                    line += " waited true, answered " + m.call("PING").strip() + " while waiting,";
                }
                List<String> read = readUntil(log, "ready to exit, bye bye");
                if (!flags.equals("default")) {
                    line += " waited " + read.stream().anyMatch(l -> l.contains("Waiting for replicas")) + ",";
                }
                assertTrue(server.waitFor(20, TimeUnit.SECONDS));
                sleeper.join(500); // the replica's reply to DEBUG SLEEP and its ACK leave together
                lines.add(line + " exit " + server.exitValue() + " after the replica woke " + !sleeper.isAlive()
                        + ", saved " + java.nio.file.Files.exists(master.resolve("dump.rdb")));
                sleeper.join();
            } finally {
                server.destroyForcibly();
            }
        }
        return lines;
    }

    /** Reads the log until the server listens on {@code port}; returns the port. */
    private static int awaitListening(int port, BufferedReader log) throws IOException {
        readUntil(log, "Ready to accept connections");
        return port;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
