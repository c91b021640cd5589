// The two servers every transcript is replayed against: ours, in-process, and Debian's redis-server.
package io.port6379.book;

import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.server.config.ServerConfig;
import io.port6379.testing.RealRedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh, empty server on a free loopback port; closing it stops it. */
sealed interface ServerUnderTest extends AutoCloseable {

    String name();

    int port();

    @Override
    void close();

    /**
     * Our server, started in this JVM from the server module, as a reader's {@code ./run-server} would, in a
     * temporary directory so that a transcript's SAVE never writes a dump.rdb into the source tree.
     */
    static ServerUnderTest ours() throws IOException {
        Path dir = Files.createTempDirectory("book-ours");
        RedisServer server = Port6379.server(ServerConfig.fromArguments("--port", "0", "--bind", "127.0.0.1",
                "--dir", dir.toString()));
        server.start();
        return new Ours(server);
    }

    /** Debian's {@code redis-server}, without persistence, in a temporary directory. */
    static ServerUnderTest realRedis() throws IOException, InterruptedException {
        return new Theirs(RealRedis.start());
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
        public void close() {
            server.close();
        }
    }

    record Theirs(RealRedis redis) implements ServerUnderTest {
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
