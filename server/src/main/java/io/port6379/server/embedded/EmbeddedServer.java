// Starts Port 6379 inside another Java program (a test suite, mostly): build from redis.conf names, start, reset, stop.
package io.port6379.server.embedded;

import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ConfigParameter;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.eviction.HeapSizing;
import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

// tag::usage[]
/**
 * A Port 6379 server in this JVM, for tests and tools that want a real Redis 7.0 without a process or a container:
 * <pre>{@code
 * try (EmbeddedServer redis = EmbeddedServer.builder().config("maxmemory", "64mb").start()) {
 *     Jedis jedis = new Jedis(redis.host(), redis.port());   // port 0 by default: a free port, read back here
 *     ...
 *     redis.reset();                                         // FLUSHALL, and every parameter back to its start value
 * }
 * }</pre>
 * Any number of servers may run in one JVM: each has its own keyspace, configuration, limits, clients and threads
 * (one virtual thread per client, a cron thread, one accept thread per address), and {@link #close} ends them all and
 * frees the port. The server logs through {@link System.Logger} {@code io.port6379.server}, never to standard output.
 * Thread-safe.
 */
// end::usage[]
public final class EmbeddedServer implements AutoCloseable {

    private final RedisServer server;
    private final ServerContext context;
    private final Path temporaryDirectory;
    /** Every parameter's value once listening (so {@code port 0} is the bound port): what {@link #reset} restores. */
    private final Map<String, String> startValues = new LinkedHashMap<>();
    private boolean stopped;

    private EmbeddedServer(RedisServer server, Path temporaryDirectory) {
        this.server = server;
        this.context = server.context();
        this.temporaryDirectory = temporaryDirectory;
    }

    /** A builder with the embedded defaults: {@code port 0} (a free port), {@code bind 127.0.0.1}, no persistence. */
    public static Builder builder() {
        return new Builder();
    }

    /** A server with the embedded defaults, started. */
    public static EmbeddedServer start() {
        return builder().start();
    }

    /** Collects redis.conf parameters, then {@link #start() starts} a server with them. Not thread-safe. */
    public static final class Builder {

        private Path configFile;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private boolean temporaryDirectory;

        private Builder() {
            parameters.put("port", "0");
            parameters.put("bind", "127.0.0.1");
            parameters.put("save", "");
            parameters.put("appendonly", "no");
        }

        /** A redis.conf file to read first; {@link #config} values then win over its lines, as redis-server's. */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /**
         * One parameter by its redis.conf name and value, as {@code --name value} on redis-server's command line:
         * {@code config("maxmemory-policy", "allkeys-lru")}, {@code config("save", "60 1000")}.
         */
        public Builder config(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        /** {@code port}: 0 (the default) lets the system choose a free one; {@link EmbeddedServer#port} tells it. */
        public Builder port(int port) {
            return config("port", Integer.toString(port));
        }

        /**
         * Persistence into a new temporary directory ({@code dir}), deleted with its files when the server stops:
         * RDB saves and the append-only file then work as in Redis without touching the working directory.
         */
        public Builder temporaryDataDirectory() {
            this.temporaryDirectory = true;
            return this;
        }

        /**
         * Builds and starts the server; returns once it is listening.
         *
         * @throws IllegalArgumentException for an unknown parameter or a value Redis would refuse at start-up
         * @throws UncheckedIOException     when the configuration file cannot be read or the port cannot be bound
         */
        public EmbeddedServer start() {
            Path directory = null;
            try {
                List<String> arguments = new ArrayList<>();
                if (configFile != null) {
                    arguments.add(configFile.toString());
                }
                if (temporaryDirectory) {
                    directory = Files.createTempDirectory("port6379-");
                    arguments.add("--dir");
                    arguments.add(directory.toString());
                }
                parameters.forEach((name, value) -> {
                    arguments.add("--" + name);
                    arguments.add(value);
                });
                ServerConfig config = ServerConfig.fromArguments(arguments.toArray(String[]::new));
                HeapSizing.checkAtStartup(config.number("maxmemory"));
                EmbeddedServer embedded = new EmbeddedServer(new RedisServer(Port6379.context(config, Clock.SYSTEM)),
                        directory);
                embedded.server.start();
                embedded.rememberStartValues();
                return embedded;
            } catch (IOException e) {
                deleteQuietly(directory);
                throw new UncheckedIOException(e.getMessage(), e);
            } catch (RuntimeException e) {
                deleteQuietly(directory);
                throw e;
            }
        }
    }

    private void rememberStartValues() {
        ServerConfig config = context.config();
        for (ConfigParameter parameter : config.parameters()) {
            startValues.put(parameter.name(), config.get(parameter.name()));
        }
    }

    /** The port the server listens on (the one the system chose for {@code port 0}). */
    public int port() {
        return server.port();
    }

    /** The first {@code bind} address, to connect to ({@code 127.0.0.1} by default). */
    public String host() {
        String first = context.config().bindAddresses().getFirst();
        String host = first.startsWith("-") ? first.substring(1) : first;
        return host.equals("*") || host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }

    /** {@code redis://host:port}, the form Lettuce, Jedis and Spring Data Redis accept. */
    public URI uri() {
        return URI.create("redis://" + host() + ":" + port());
    }

    /** The data directory given by {@link Builder#temporaryDataDirectory}, or {@code null}. */
    public Path dataDirectory() {
        return temporaryDirectory;
    }

    /**
     * Back to the state at start, for the next test: FLUSHALL, SCRIPT FLUSH, SLOWLOG RESET and CONFIG RESETSTAT, and
     * each parameter changed since start (CONFIG SET by a test) set back to its start value, with the same effects
     * as CONFIG SET. Connected clients stay connected. Runs as one command would, between other clients' commands.
     */
    public synchronized void reset() {
        if (stopped) {
            throw new IllegalStateException("the server has stopped");
        }
        Client admin = Client.detached(-1, context);
        admin.authenticated(true);
        context.executionLock().lock();
        try {
            run(admin, "FLUSHALL");
            run(admin, "SCRIPT", "FLUSH");
            ServerConfig config = context.config();
            startValues.forEach((name, value) -> {
                if (!config.get(name).equals(value)) {
                    run(admin, "CONFIG", "SET", name, value);
                }
            });
            run(admin, "SLOWLOG", "RESET");
            run(admin, "CONFIG", "RESETSTAT");
        } finally {
            context.executionLock().unlock();
        }
    }

    private void run(Client as, String... words) {
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        RespWriter reply = new RespWriter();
        context.execute(as, args, reply);
        byte[] bytes = reply.toByteArray();
        if (bytes.length > 0 && bytes[0] == '-') {
            throw new IllegalStateException(String.join(" ", words) + ": "
                    + new String(bytes, 1, bytes.length - 3, StandardCharsets.UTF_8));
        }
    }

    /**
     * Stops as SHUTDOWN does: saves when save rules are set, flushes the append-only file, disconnects every client,
     * and returns once the port is free and the server's threads have ended. Idempotent.
     */
    public synchronized void stop() {
        stop(null);
    }

    /** Stops at once, as SHUTDOWN NOSAVE: nothing is saved (the append-only file is still flushed). Idempotent. */
    public synchronized void stopNow() {
        stop(false);
    }

    private void stop(Boolean save) {
        if (stopped) {
            return;
        }
        if (!context.requestShutdown(save)) {
            throw new IllegalStateException("the server could not save its data and keeps running (see its log)");
        }
        stopped = true;
        server.awaitStopped();
        deleteQuietly(temporaryDirectory);
    }

    /** Whether {@link #stop} or SHUTDOWN has stopped the server; a shutdown under way is waited for. */
    public boolean isStopped() {
        if (stopped) {
            return true;
        }
        if (server.isShutDown()) {
            server.awaitStopped();
            return true;
        }
        return false;
    }

    /** {@link #stop}. */
    @Override
    public void close() {
        stop();
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind is the system's to clean
        }
    }
}
