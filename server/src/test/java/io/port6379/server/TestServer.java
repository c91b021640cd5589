// Starts a real server on a free loopback port for one test class, and stops it afterwards.
package io.port6379.server;

import java.io.IOException;

/** A {@link RedisServer} on {@code 127.0.0.1} and an ephemeral port, for integration tests. */
final class TestServer implements AutoCloseable {

    private final RedisServer server;

    private TestServer(RedisServer server) {
        this.server = server;
    }

    static TestServer start(String... extraArgs) throws IOException {
        String[] args = new String[4 + extraArgs.length];
        args[0] = "--port";
        args[1] = "0";
        args[2] = "--bind";
        args[3] = "127.0.0.1";
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        RedisServer server = new RedisServer(ServerConfig.fromArguments(args));
        server.start();
        return new TestServer(server);
    }

    int port() {
        return server.port();
    }

    RedisServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
