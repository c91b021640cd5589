// Test helper for tests outside this package (chapter 12's patterns): our server or a real redis-server on a free port.
package io.port6379.server;

import io.port6379.testing.RealRedis;

import java.io.IOException;

/**
 * Opens {@link TestServer} to other test packages, which cannot see it, and gives it and {@link RealRedis} one
 * shape. The real Redis follows {@link RealRedis}'s rule: missing binary, skipped with a loud message, or a
 * failure when {@code CI=true}.
 */
public final class TestTargets {

    /** A running server and the loopback port it listens on; closing it stops the server. */
    public record Target(String name, int port, AutoCloseable running) implements AutoCloseable {
        @Override
        public void close() {
            try {
                running.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop " + name, e);
            }
        }
    }

    private TestTargets() {
    }

    /** This repository's server, in this JVM. */
    public static Target ours() throws IOException {
        TestServer server = TestServer.start();
        return new Target("port6379", server.port(), server);
    }

    /** A redis-server child process. */
    public static Target redis() throws IOException, InterruptedException {
        RealRedis redis = RealRedis.start();
        return new Target("redis-server", redis.port(), redis);
    }
}
