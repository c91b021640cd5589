// Sessions live as long as they are used: created with a timeout, pushed back on each load, gone when idle.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStoreTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aNewSessionHoldsItsFieldsAndItsIdleTimeout(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        SessionStore sessions = new SessionStore(redis, 1800);
        String id = sessions.create(Map.of("user", "alice", "cart", "3"));
        assertEquals(Map.of("user", "alice", "cart", "3"), sessions.load(id));
        long ttl = redis.ttl(SessionStore.key(id));
        assertTrue(ttl > 1790 && ttl <= 1800, "ttl " + ttl);
        assertNotEquals(id, sessions.create(Map.of("user", "bob")));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void loadingASessionRestartsItsTimeout(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        SessionStore sessions = new SessionStore(redis, 1800);
        String id = sessions.create(Map.of("user", "alice"));
        redis.expire(SessionStore.key(id), 5); // as if it had been idle for almost half an hour
        sessions.load(id);
        assertTrue(redis.ttl(SessionStore.key(id)) > 1790);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void anIdleSessionExpiresByItself(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        SessionStore sessions = new SessionStore(redis, 1);
        String id = sessions.create(Map.of("user", "alice"));
        redis.pexpire(SessionStore.key(id), 50); // a timeout shorter than a second, to keep the test fast
        Thread.sleep(120);
        assertEquals(Map.of(), sessions.load(id));
        assertFalse(redis.exists(SessionStore.key(id)));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void loggingOutDeletesTheSessionAtOnce(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        SessionStore sessions = new SessionStore(redis, 1800);
        String id = sessions.create(Map.of("user", "alice"));
        sessions.destroy(id);
        assertEquals(Map.of(), sessions.load(id));
    }
}
