// The source is asked once per key until the entry expires or is invalidated.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    /** A slow database, as far as the cache knows: it records every lookup. */
    private final Map<String, String> database = new HashMap<>(Map.of("user:1", "alice", "user:2", "bob"));
    private final List<String> lookups = new ArrayList<>();

    private String load(String key) {
        lookups.add(key);
        return database.get(key);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aSecondReadIsServedFromRedis(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        Cache cache = new Cache(redis, 60, this::load);
        assertEquals("alice", cache.get("user:1"));
        assertEquals("alice", cache.get("user:1"));
        assertEquals("bob", cache.get("user:2"));
        assertEquals(List.of("user:1", "user:2"), lookups);
        long ttl = redis.ttl("cache:user:1");
        assertTrue(ttl > 0 && ttl <= 60, "ttl " + ttl);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void invalidatingAfterAWriteLoadsTheNewValue(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        Cache cache = new Cache(redis, 60, this::load);
        cache.get("user:1");
        database.put("user:1", "alicia");
        assertEquals("alice", cache.get("user:1"), "stale until invalidated or expired");
        cache.invalidate("user:1");
        assertEquals("alicia", cache.get("user:1"));
        assertEquals(List.of("user:1", "user:1"), lookups);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void anExpiredEntryIsLoadedAgain(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        Cache cache = new Cache(redis, 60, this::load);
        cache.get("user:1");
        redis.pexpire("cache:user:1", 30);
        Thread.sleep(80);
        cache.get("user:1");
        assertEquals(List.of("user:1", "user:1"), lookups);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aMissingValueIsNotCached(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        Cache cache = new Cache(redis, 60, this::load);
        assertNull(cache.get("user:3"));
        assertNull(cache.get("user:3"));
        assertEquals(List.of("user:3", "user:3"), lookups);
        assertEquals(0, redis.dbSize());
    }
}
