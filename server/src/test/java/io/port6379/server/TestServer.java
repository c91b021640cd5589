// Starts a real server on a free loopback port for one test class, and stops it afterwards.
package io.port6379.server;

import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.server.config.ServerConfig;
import java.io.IOException;

/** A {@link RedisServer} on {@code 127.0.0.1} and an ephemeral port, for integration tests. */
public final class TestServer implements AutoCloseable {

    private final RedisServer server;

    private TestServer(RedisServer server) {
        this.server = server;
    }

    public static TestServer start(String... extraArgs) throws IOException {
        String[] args = new String[4 + extraArgs.length];
        args[0] = "--port";
        args[1] = "0";
        args[2] = "--bind";
        args[3] = "127.0.0.1";
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        RedisServer server = Port6379.server(ServerConfig.fromArguments(args));
        server.start();
        return new TestServer(server);
    }

    public int port() {
        return server.port();
    }

    public RedisServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
