// The two servers every transcript is replayed against: ours, in-process, and Debian's redis-server.
package io.port6379.book;

import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.server.config.ServerConfig;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fresh, empty server on a free loopback port; closing it stops it. */
sealed interface ServerUnderTest extends AutoCloseable {

    String name();

    int port();

    /** The tls-port, or 0 when the server was started without one. */
    int tlsPort();

    @Override
    void close();

    /**
     * Our server, started in this JVM from the server module, as a reader's {@code ./run-server} would, in a
     * temporary directory so that a transcript's SAVE never writes a dump.rdb into the source tree.
     */
    static ServerUnderTest ours(Path certificates, boolean cluster) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("book-ours");
        List<String> tls = tlsArguments(certificates);
        // a port the system chooses; with a tls-port, though, port 0 means TLS alone, as in Redis, and a cluster node
        // gives its port to the others
        String port = tls.isEmpty() && !cluster ? "0" : String.valueOf(freePort());
        List<String> arguments = new ArrayList<>(List.of("--port", port, "--bind", "127.0.0.1", "--dir", dir.toString()));
        arguments.addAll(tls);
        arguments.addAll(clusterArguments(cluster));
        RedisServer server = Port6379.server(ServerConfig.fromArguments(arguments.toArray(String[]::new)));
        server.start();
        if (cluster) {
            serveEverySlot(server.port());
        }
        return new Ours(server);
    }

    /** Debian's {@code redis-server}, without persistence, in a temporary directory. */
    static ServerUnderTest realRedis(Path certificates, boolean cluster) throws IOException, InterruptedException {
        List<String> arguments = tlsArguments(certificates);
        List<String> all = new ArrayList<>(arguments);
        all.addAll(clusterArguments(cluster));
        RealRedis redis = RealRedis.start(all.toArray(String[]::new));
        if (cluster) {
            serveEverySlot(redis.port());
        }
        return new Theirs(redis, arguments.isEmpty() ? 0 : Integer.parseInt(arguments.get(1)));
    }

    /** A cluster node of its own (no slots yet), its nodes.conf in the server's directory, on a free bus port. */
    private static List<String> clusterArguments(boolean cluster) throws IOException {
        return cluster ? List.of("--cluster-enabled", "yes", "--cluster-port", String.valueOf(freePort())) : List.of();
    }

    /**
     * The node is given every slot, as the chapter's reader does with {@code CLUSTER ADDSLOTSRANGE 0 16383}, and
     * the transcript starts once it says {@code cluster_state:ok}: a fresh master waits two seconds after start-up
     * (Redis's {@code CLUSTER_WRITABLE_DELAY}), and after counting itself in a minority up to its rejoin delay.
     */
    private static void serveEverySlot(int port) throws IOException, InterruptedException {
        try (RespConnection connection = new RespConnection(port)) {
            connection.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!connection.call("CLUSTER", "INFO").contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster node on " + port + " never said cluster_state:ok");
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /**
     * With {@code certificates} (a directory holding the chapter's {@code ca.crt}, {@code server.crt} and
     * {@code server.key}), a tls-port with them, as chapter 13's {@code ./run-server} line; nothing without.
     */
    private static List<String> tlsArguments(Path certificates) throws IOException {
        if (certificates == null) {
            return List.of();
        }
        try (ServerSocket free = new ServerSocket(0)) {
            return List.of("--tls-port", String.valueOf(free.getLocalPort()),
                    "--tls-cert-file", certificates.resolve("server.crt").toString(),
                    "--tls-key-file", certificates.resolve("server.key").toString(),
                    "--tls-ca-cert-file", certificates.resolve("ca.crt").toString());
        }
    }

    record Ours(RedisServer server) implements ServerUnderTest {
        @Override
        public String name() {
            return "port6379";
        }

        @Override
        public int port() {
            return server.port();
        }

        @Override
        public int tlsPort() {
            return server.tlsPort();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    record Theirs(RealRedis redis, int tlsPort) implements ServerUnderTest {
        @Override
        public String name() {
            return "redis-server";
        }

        @Override
        public int port() {
            return redis.port();
        }

        @Override
        public void close() {
            redis.close();
        }
    }
}
