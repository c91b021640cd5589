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

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
