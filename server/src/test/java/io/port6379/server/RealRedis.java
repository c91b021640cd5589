// Test helper: a real redis-server child process on a free port, to prove that our expectations are Redis's.
package io.port6379.server;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code redis-server} from the PATH with no persistence, on a port the OS just handed out (never 6379).
 * When the binary is missing the calling test is skipped with a loud message, or fails when {@code CI=true}:
 * CI installs Redis, so its absence there is a broken build, not a reason to skip.
 */
public final class RealRedis implements AutoCloseable {

    private final Process process;
    private final int port;

    private RealRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A started server with the extra {@code redis-server} arguments given, e.g. {@code --requirepass x}. */
    public static RealRedis start(String... extraArguments) throws IOException, InterruptedException {
        Path binary = findOnPath("redis-server");
        if (binary == null) {
            String message = "redis-server is not on the PATH: the recorded cases were NOT re-checked against a real Redis";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message + " (CI=true requires it)");
            }
            System.err.println("WARNING: " + message + " (skipped; install redis-server to run this test)");
            Assumptions.abort(message);
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        RealRedis redis = new RealRedis(process, port);
        redis.awaitAccepting();
        return redis;
    }

    public int port() {
        return port;
    }

    private void awaitAccepting() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("redis-server did not start on port " + port, notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path findOnPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
