// A JUnit extension that starts a real redis-server and ours with the same arguments for a dual-target test class.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The pair a dual-target test compares: a real {@code redis-server} and our server, both started once per test
 * class with the same command-line arguments, so every expectation is proven on Redis itself. Register it with
 * {@code @RegisterExtension static final BothServers servers = new BothServers("--requirepass", "secret");}.
 * A jqwik property class, which JUnit extensions do not reach, starts the pair in its {@code @BeforeContainer}
 * with {@link #start} and closes it in its {@code @AfterContainer}. Each server works in a temporary directory of
 * its own, so files saved by one test class (DEBUG RELOAD, LOADAOF, the AOF) are never loaded by another.
 * Starting Redis fails under {@code CI=true} when the binary is missing (see {@link RealRedis}).
 */
final class BothServers implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private final String[] arguments;
    private RealRedis redis;
    private TestServer ours;

    BothServers(String... arguments) {
        this.arguments = arguments;
    }

    /** Both servers, started now with {@code arguments}; close them when done. */
    static BothServers start(String... arguments) throws Exception {
        BothServers servers = new BothServers(arguments);
        servers.beforeAll(null);
        return servers;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis = RealRedis.start(arguments);
        ours = TestServer.start(arguments);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    RealRedis redis() {
        return redis;
    }

    TestServer ours() {
        return ours;
    }
}
