// A real redis-server child process on a free port, to prove that a test's expectations are Redis's own.
package io.port6379.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts Debian's {@code redis-server} from the PATH ({@link Binaries#require}: a failure with {@code CI=true}
 * when it is missing, a loud skip elsewhere) on a port the OS just handed out, never 6379, with no persistence,
 * in a fresh temporary directory that is deleted on {@link #close()}:
 * <pre>{@code
 * try (RealRedis redis = RealRedis.start("--requirepass", "secret")) { ... redis.port() ... }
 * }</pre>
 *
 * <p>Why it waits for the log line rather than a PING: a PING can be answered by another process that took the
 * free port between our probe and Redis's bind, and it is refused by a server started with {@code --requirepass}
 * or with PING renamed. Redis prints "Ready to accept connections" once it listens and has loaded its data; if
 * instead the port was taken, it prints why and exits, and we start again on another port. Any other failure
 * to start is reported with Redis's log, which says why.
 */
public final class RealRedis implements AutoCloseable {

    private static final String READY = "Ready to accept connections";
    private static final String PORT_TAKEN = "Address already in use";
    private static final int ATTEMPTS = 3;
    private static final long START_TIMEOUT_SECONDS = 10;

    private final Process process;
    private final int port;
    private final Path directory;

    private RealRedis(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /**
     * A started server, ready for commands. The extra arguments come after ours, so they win: {@code --dir} to
     * load or keep a dump, {@code --appendonly yes}, {@code --requirepass x}, {@code --rename-command ...}.
     */
    public static RealRedis start(String... extraArguments) throws IOException, InterruptedException {
        return launch(null, extraArguments);
    }

    /** A started server that reads {@code configFile} first (CONFIG REWRITE then writes it back); see {@link #start}. */
    public static RealRedis startWithConfigFile(Path configFile, String... extraArguments)
            throws IOException, InterruptedException {
        return launch(configFile, extraArguments);
    }

    private static RealRedis launch(Path configFile, String... extraArguments) throws IOException, InterruptedException {
        Path binary = Binaries.require("redis-server");
        for (int attempt = 1; ; attempt++) {
            Path directory = Files.createTempDirectory("real-redis");
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            if (configFile != null) {
                command.add(configFile.toString());
            }
            command.addAll(List.of("--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--dir", directory.toString()));
            command.addAll(List.of(extraArguments));
            Path log = directory.resolve("redis.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (awaitReady(process, log)) {
                return new RealRedis(process, port, directory);
            }
            stop(process);
            String output = Files.readString(log, StandardCharsets.ISO_8859_1);
            delete(directory);
            if (!output.contains(PORT_TAKEN) || attempt == ATTEMPTS) {
                throw new IOException("redis-server did not start on port " + port + "; its log:\n" + output);
            }
        }
    }

    /** The loopback port it listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The process id, for signals (SIGSTOP/SIGKILL in failure tests). */
    public long pid() {
        return process.pid();
    }

    /** True when the log says the server listens, false when it exited or took too long. */
    private static boolean awaitReady(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(READY)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, as a user would stop it; SIGKILL if it has not exited ten seconds later. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Stops the server and deletes its temporary directory (and what it wrote there). */
    @Override
    public void close() {
        try {
            stop(process);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        delete(directory);
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }
}
