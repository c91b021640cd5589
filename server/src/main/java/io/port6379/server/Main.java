// Entry point of the runnable jar: `java -jar port6379-server.jar [redis.conf] [--port 6379] [--bind ...]`.
package io.port6379.server;

import java.io.IOException;

/** Starts a {@link RedisServer} with redis-server's command-line conventions and serves until stopped. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        RedisServer server;
        try {
            server = new RedisServer(ServerConfig.fromArguments(args)); // rename-command is checked here
        } catch (IllegalArgumentException | IOException e) {
            System.err.println();
            System.err.println("*** FATAL CONFIG FILE ERROR (Redis " + ConnectionCommands.REDIS_VERSION + ") ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::terminate, "sigterm"));
        try {
            server.start();
        } catch (IOException e) {
            RedisServer.log("#", e.getMessage());
            System.exit(1);
        }
        server.awaitTermination();
    }
}
