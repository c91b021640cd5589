// Entry point of the runnable jar: `java -jar port6379-server.jar [redis.conf] [--port 6379] [--bind ...]`.
package io.port6379.server.main;

import io.port6379.server.util.RedisVersion;
import io.port6379.server.util.Log;
import io.port6379.server.network.RedisServer;
import io.port6379.server.replication.Replication;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.eviction.HeapSizing;
import java.io.IOException;

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
            server = Port6379.server(config); // rename-command is checked here
        } catch (IllegalArgumentException | IOException e) {
            System.err.println();
            System.err.println("*** FATAL CONFIG FILE ERROR (Redis " + RedisVersion.REDIS_VERSION + ") ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return null;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::terminate, "sigterm"));
        try {
            server.start();
        } catch (IOException e) {
            Log.log("#", e.getMessage());
            System.exit(1);
        }
        Replication.of(server.context()).startFromConfig(); // replicaof in the configuration: connect once listening
        return server;
    }
}
