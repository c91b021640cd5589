// Entry point of the runnable jar: `java -jar port6379-server.jar [redis.conf] [--port 6379] [--bind ...]`.
package io.port6379.server.main;

import io.port6379.server.util.RedisVersion;
import io.port6379.server.util.Log;
import io.port6379.server.network.JdkTlsProperties;
import io.port6379.server.network.RedisServer;
import io.port6379.server.replication.Replication;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.eviction.HeapSizing;
import io.port6379.server.ServerContext;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/** Starts a {@link RedisServer} with redis-server's command-line conventions and serves until stopped. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Log.toStandardOutput(); // the server is the process: Redis's log lines on standard output
        start(args).awaitTermination();
    }

    /**
     * Everything {@link #main} does before it waits for the end: also what the AOT cache's training run starts
     * ({@link AotTraining}), so that the classes and method handles of this path are in the cache too.
     */
    static RedisServer start(String[] args) {
        RedisServer server;
        try {
            ServerConfig config = ServerConfig.fromArguments(args);
            HeapSizing.checkAtStartup(config.number("maxmemory")); // refuses a maxmemory the heap cannot hold
            JdkTlsProperties.prepare(config); // before the first TLS context: the JDK reads them once
            server = Port6379.server(config); // rename-command is checked here
        } catch (IllegalArgumentException | IOException e) {
            System.err.println();
            System.err.println("*** FATAL CONFIG FILE ERROR (Redis " + RedisVersion.REDIS_VERSION + ") ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return null;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::terminate, "sigterm")); // any other way the JVM ends
        handleSignals(server);
        try {
            server.start();
        } catch (IOException e) {
            Log.log("#", e.getMessage());
            System.exit(1);
        }
        Replication.of(server.context()).startFromConfig(); // replicaof in the configuration: connect once listening
        return server;
    }

    /** Set by the first SIGTERM or SIGINT until its shutdown ends or fails (Redis's {@code shutdown_asap}). */
    private static final AtomicBoolean SHUTDOWN_ASAP = new AtomicBoolean();

    /**
     * SIGTERM and SIGINT as Redis 7.0 takes them (sigShutdownHandler, then prepareForShutdown from the cron), instead
     * of the JVM's exit: {@code shutdown-on-sigterm} and {@code shutdown-on-sigint} give SHUTDOWN's flags. Without
     * {@code now}, a master waits up to {@code shutdown-timeout} for its replicas as SHUTDOWN does (writes paused,
     * reads served, SHUTDOWN ABORT ends the wait); {@code save}/{@code nosave} override the save points; a failed save
     * keeps the server running, unless {@code force}. A second SIGINT exits at once.
     */
    private static void handleSignals(RedisServer server) {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (SHUTDOWN_ASAP.compareAndSet(false, true)) {
                        Log.lifecycle("Received SIG" + name + " scheduling shutdown...");
                        signalledShutdown(server, name.equals("TERM") ? "shutdown-on-sigterm" : "shutdown-on-sigint");
                    } else if (name.equals("INT")) {
                        Log.log("#", "You insist... exiting now.");
                        Runtime.getRuntime().halt(1); // not a clean shutdown: no save, no waiting
                    }
                });
            } catch (IllegalArgumentException reserved) {
                // the JVM keeps this signal (-Xrs): its shutdown hook stops the server instead
            }
        }
    }

    /** On the signal's own thread: SHUTDOWN with the flags of {@code parameter}. */
    private static void signalledShutdown(RedisServer server, String parameter) {
        ServerContext context = server.context();
        List<String> flags = List.of(context.config().get(parameter).split(" "));
        Boolean save = flags.contains("save") ? Boolean.TRUE : flags.contains("nosave") ? Boolean.FALSE : null;
        Replication replication = Replication.of(context);
        boolean proceed = true;
        if (!flags.contains("now") && replication != null) {
            context.executionLock().lock();
            try {
                proceed = replication.awaitReplicasBeforeShutdown(); // false after SHUTDOWN ABORT
            } finally {
                context.executionLock().unlock();
            }
        }
        if (proceed && !context.requestShutdown(save)) {
            if (flags.contains("force")) {
                Log.log("#", "Error trying to save the DB. Exit anyway.");
                proceed = context.requestShutdown(false);
            } else {
                proceed = false;
            }
        }
        if (!proceed) {
            Log.log("#", "Errors trying to shut down the server. Check the logs for more information.");
            context.unpauseClients();
            SHUTDOWN_ASAP.set(false);
        }
    }
}
