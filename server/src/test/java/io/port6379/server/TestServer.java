// Starts a real server on a free loopback port for one test class, and stops it afterwards.
package io.port6379.server;

import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A {@link RedisServer} on {@code 127.0.0.1} and an ephemeral port, for integration tests. Unless the caller gives
 * a {@code --dir}, the server works in a fresh temporary directory deleted on {@link #close()}, as
 * {@code RealRedis} does for redis-server: the files it writes (a replica's synced {@code dump.rdb}, DEBUG
 * RELOAD's, SHUTDOWN's save, the AOF) would otherwise land in the module's directory and be loaded by every
 * later server started there, making tests depend on their order.
 */
public final class TestServer implements AutoCloseable {

    private final RedisServer server;
    private final Path temporaryDirectory;

    private TestServer(RedisServer server, Path temporaryDirectory) {
        this.server = server;
        this.temporaryDirectory = temporaryDirectory;
    }

    public static TestServer start(String... extraArgs) throws IOException {
        Path directory = givesDirectory(extraArgs) ? null : Files.createTempDirectory("port6379-");
        int fixed = directory == null ? 4 : 6;
        String[] args = new String[fixed + extraArgs.length];
        args[0] = "--port";
        args[1] = "0";
        args[2] = "--bind";
        args[3] = "127.0.0.1";
        if (directory != null) {
            args[4] = "--dir";
            args[5] = directory.toString();
        }
        System.arraycopy(extraArgs, 0, args, fixed, extraArgs.length);
        try {
            RedisServer server = Port6379.server(ServerConfig.fromArguments(args));
            server.start();
            return new TestServer(server, directory);
        } catch (IOException | RuntimeException e) {
            delete(directory);
            throw e;
        }
    }

    private static boolean givesDirectory(String... args) {
        for (String arg : args) {
            if (arg.equalsIgnoreCase("--dir")) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return server.port();
    }

    public RedisServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            delete(temporaryDirectory);
        }
    }

    /** Best effort: a file still being written by a thread that outlives the server is left to the system. */
    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // the directory is under the system's temporary directory, which the system cleans
        }
    }
}
