// Every pattern test runs twice: against our server and against a real redis-server, with the same client code.
package io.port6379.patterns;

import io.port6379.server.TestTargets;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JUnit extension that starts each server the first time a test asks for it and stops both after the class:
 * {@code @RegisterExtension static final BothServers servers = new BothServers();} and a
 * {@code @ParameterizedTest @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})}. Starting lazily means
 * that without {@code redis-server} only the Redis half is skipped (or fails, with {@code CI=true}).
 */
final class BothServers implements AfterAllCallback {

    static final String OURS = "port6379";
    static final String REDIS = "redis-server";

    private final Map<String, TestTargets.Target> started = new LinkedHashMap<>();
    private final List<Jedis> connections = new ArrayList<>();

    /** A new connection to the named server, which is emptied when this is the test's first connection to it. */
    synchronized Jedis connect(String server) throws Exception {
        TestTargets.Target target = started.get(server);
        if (target == null) {
            target = server.equals(OURS) ? TestTargets.ours() : TestTargets.redis();
            started.put(server, target);
        }
        Jedis jedis = new Jedis("127.0.0.1", target.port(), 5_000);
        connections.add(jedis);
        return jedis;
    }

    /** A connection to an empty server: every test starts from nothing. */
    Jedis fresh(String server) throws Exception {
        Jedis jedis = connect(server);
        jedis.flushAll();
        return jedis;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        for (Jedis jedis : connections) {
            jedis.close();
        }
        for (TestTargets.Target target : started.values()) {
            target.close();
        }
    }
}
