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
 * with {@link #start} and closes it in its {@code @AfterContainer}.
 * Starting Redis fails under {@code CI=true} when the binary is missing (see {@link RealRedis}).
 */
final class BothServers implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private final String[] arguments;
    private final boolean ownDirectory;
    private RealRedis redis;
    private TestServer ours;

    BothServers(String... arguments) {
        this(false, arguments);
    }

    private BothServers(boolean ownDirectory, String... arguments) {
        this.arguments = arguments;
        this.ownDirectory = ownDirectory;
    }

    /**
     * A pair whose data files stay out of the build's directory: ours gets a fresh temporary {@code --dir} (Redis
     * always has one), for tests that save and load (DEBUG RELOAD, LOADAOF), whose files would be loaded by every
     * later server started in the same directory.
     */
    static BothServers inTemporaryDirectories(String... arguments) {
        return new BothServers(true, arguments);
    }

    /** {@link #start}, with {@link #inTemporaryDirectories}. */
    static BothServers startInTemporaryDirectories(String... arguments) throws Exception {
        BothServers servers = inTemporaryDirectories(arguments);
        servers.beforeAll(null);
        return servers;
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
        if (ownDirectory) {
            String[] withDirectory = java.util.Arrays.copyOf(arguments, arguments.length + 2);
            withDirectory[arguments.length] = "--dir";
            withDirectory[arguments.length + 1] = java.nio.file.Files.createTempDirectory("port6379-").toString();
            ours = TestServer.start(withDirectory);
        } else {
            ours = TestServer.start(arguments);
        }
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
