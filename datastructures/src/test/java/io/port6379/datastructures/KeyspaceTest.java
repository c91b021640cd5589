// The keyspace's contract: lazy and active expiry, counts, rename, random key, type checks.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyspaceTest {

    private final FakeClock clock = new FakeClock(1_000_000);
    private final Keyspace keyspace = new Keyspace(clock, new SplittableRandom(42));

    private static Bytes key(String k) {
        return Bytes.of(k);
    }

    @Test
    void anExpiredKeyIsInvisibleAndDeletedOnAccess() {
        keyspace.set(key("k"), RedisString.of("v"), clock.millis() + 100);
        assertTrue(keyspace.exists(key("k")));
        clock.advance(99);
        assertEquals(1, keyspace.volatileCount());
        clock.advance(1);
        assertEquals(1, keyspace.size(), "not collected yet, as DBSIZE counts it");
        assertNull(keyspace.get(key("k")));
        assertEquals(0, keyspace.size());
        assertEquals(0, keyspace.volatileCount());
        assertEquals(-2, keyspace.expireTime(key("k")));
    }

    @Test
    void idleSecondsCountFromTheLastReadOrWriteButNotFromPeeks() {
        assertEquals(-1, keyspace.idleSeconds(key("k")));
        keyspace.set(key("k"), RedisString.of("v"));
        clock.advance(10_000);
        keyspace.peek(key("k"));
        keyspace.exists(key("k"));
        keyspace.expireTime(key("k"));
        assertEquals(10, keyspace.idleSeconds(key("k")));
        keyspace.get(key("k"));
        assertEquals(0, keyspace.idleSeconds(key("k")));
        clock.advance(3_000);
        keyspace.expireAt(key("k"), clock.millis() + 60_000); // a write is an access, and keeps counting after
        clock.advance(2_000);
        assertEquals(2, keyspace.idleSeconds(key("k")));
        keyspace.set(key("k"), RedisString.of("w"));
        assertEquals(0, keyspace.idleSeconds(key("k")));
    }

    @Test
    void setClearsTheExpiryAndSetKeepTtlKeepsIt() {
        keyspace.set(key("k"), RedisString.of("v"), clock.millis() + 100);
        keyspace.setKeepTtl(key("k"), RedisString.of("w"));
        assertEquals(clock.millis() + 100, keyspace.expireTime(key("k")));
        keyspace.set(key("k"), RedisString.of("x"));
        assertEquals(-1, keyspace.expireTime(key("k")));
        assertEquals(0, keyspace.volatileCount());
    }

    @Test
    void expireAtInThePastDeletesAndPersistRemovesTheExpiry() {
        keyspace.set(key("a"), RedisString.of("1"));
        keyspace.set(key("b"), RedisString.of("2"));
        assertTrue(keyspace.expireAt(key("a"), clock.millis()));
        assertFalse(keyspace.exists(key("a")));
        assertFalse(keyspace.expireAt(key("missing"), clock.millis() + 5));
        assertTrue(keyspace.expireAt(key("b"), clock.millis() + 5));
        assertTrue(keyspace.persist(key("b")));
        assertFalse(keyspace.persist(key("b")));
        clock.advance(10);
        assertTrue(keyspace.exists(key("b")));
    }

    @Test
    void getWithAnotherTypeRaisesWrongType() {
        keyspace.set(key("k"), new RedisList());
        var e = assertThrows(WrongTypeException.class, () -> keyspace.get(key("k"), RedisString.class));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
        assertNull(keyspace.get(key("other"), RedisString.class));
    }

    @Test
    void renameMovesTheValueAndTheExpiryAndReplacesTheDestination() {
        keyspace.set(key("src"), RedisString.of("v"), clock.millis() + 500);
        keyspace.set(key("dst"), new RedisList());
        assertTrue(keyspace.rename(key("src"), key("dst")));
        assertFalse(keyspace.exists(key("src")));
        assertEquals("string", keyspace.get(key("dst")).type());
        assertEquals(clock.millis() + 500, keyspace.expireTime(key("dst")));
        assertEquals(1, keyspace.volatileCount());
        assertFalse(keyspace.rename(key("src"), key("x")));
        assertTrue(keyspace.rename(key("dst"), key("dst")));
        assertTrue(keyspace.exists(key("dst")));
    }

    @Test
    void randomKeySkipsAndDeletesExpiredKeys() {
        assertNull(keyspace.randomKey());
        for (int i = 0; i < 10; i++) {
            keyspace.set(key("gone" + i), RedisString.of("v"), clock.millis() + 1);
        }
        keyspace.set(key("live"), RedisString.of("v"));
        clock.advance(1);
        int before = keyspace.size();
        assertEquals(key("live"), keyspace.randomKey());
        assertTrue(keyspace.size() <= before);
        for (int i = 0; i < 100; i++) {
            assertEquals(key("live"), keyspace.randomKey());
        }
    }

    @Test
    void randomKeyReachesEveryKey() {
        for (int i = 0; i < 20; i++) {
            keyspace.set(key("k" + i), RedisString.of("v"));
        }
        Set<Bytes> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(keyspace.randomKey());
        }
        assertEquals(20, seen.size());
    }

    @Test
    void activeExpiryRemovesExpiredKeysAndKeepsLiveOnes() {
        for (int i = 0; i < 1000; i++) {
            keyspace.set(key("v" + i), RedisString.of("x"), clock.millis() + 10);
            keyspace.set(key("p" + i), RedisString.of("x"));
        }
        keyspace.set(key("later"), RedisString.of("x"), clock.millis() + 1_000);
        clock.advance(10);
        int removed = keyspace.activeExpireCycle(25_000_000);
        assertTrue(removed > 0);
        for (int i = 0; i < 100 && keyspace.volatileCount() > 1; i++) {
            keyspace.activeExpireCycle(25_000_000);
        }
        assertEquals(1, keyspace.volatileCount());
        assertEquals(1001, keyspace.size());
        assertNotNull(keyspace.get(key("later")));
    }

    @Test
    void activeExpiryStopsWhenFewSampledKeysHaveExpired() {
        for (int i = 0; i < 1000; i++) {
            keyspace.set(key("v" + i), RedisString.of("x"), clock.millis() + (i < 10 ? 1 : 1_000_000));
        }
        clock.advance(1);
        keyspace.activeExpireCycle(25_000_000);
        assertTrue(keyspace.volatileCount() > 985, "one round of 20 samples finds at most a few of the 10");
    }

    @Test
    void keysSkipsExpiredKeysWithoutDeletingThem() {
        keyspace.set(key("a"), RedisString.of("1"));
        keyspace.set(key("b"), RedisString.of("1"), clock.millis() + 1);
        clock.advance(1);
        assertEquals(java.util.List.of(key("a")), keyspace.keys());
        assertEquals(2, keyspace.size());
    }

    @Test
    void stringsInTheDefaultEncodingAreStoredBareAndReadBackEqual() {
        keyspace.set(key("k"), RedisString.of("value"));
        RedisString s = keyspace.get(key("k"), RedisString.class);
        assertEquals("value", new String(s.bytes()));
        keyspace.set(key("r"), RedisString.raw(new byte[] {1}));
        assertEquals("raw", keyspace.get(key("r")).encoding());
    }
}
