// INFO keyspace_hits/keyspace_misses on our server alone, with a clock the test moves: which lookups count, and TOUCH.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import static io.port6379.server.CommandRunner.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyspaceHitsTest {

    private final CommandRunner redis = new CommandRunner();

    /** Runs {@code command} and returns how much it moved {hits, misses}. */
    private long[] moved(String... command) {
        long hits = redis.server.stats().keyspaceHits;
        long misses = redis.server.stats().keyspaceMisses;
        redis.run(command);
        return new long[] {redis.server.stats().keyspaceHits - hits, redis.server.stats().keyspaceMisses - misses};
    }

    private void assertMoved(long hits, long misses, String... command) {
        long[] moved = moved(command);
        assertEquals(hits + "/" + misses, moved[0] + "/" + moved[1], String.join(" ", command));
    }

    @Test
    void everyKeyAReadLooksUpIsAHitOrAMiss() {
        redis.run("SET", "s", "v");
        redis.run("RPUSH", "l", "a");
        assertMoved(1, 0, "GET", "s");
        assertMoved(0, 1, "GET", "missing");
        assertMoved(2, 2, "MGET", "s", "missing", "l", "missing");
        assertMoved(1, 1, "EXISTS", "s", "missing");
        redis.run("SADD", "set", "a");
        assertMoved(1, 1, "SUNION", "set", "missing");
        assertMoved(0, 1, "LRANGE", "missing", "0", "-1");
    }

    @Test
    void aKeyOfTheWrongTypeIsAHitBeforeItsError() {
        redis.run("SET", "s", "v");
        assertMoved(1, 0, "LLEN", "s");
        assertMoved(1, 0, "HGET", "s", "f");
        assertMoved(1, 1, "SINTER", "missing", "s", "never-read");
        assertMoved(1, 0, "GETDEL", "s");
    }

    @Test
    void writesAndArgumentErrorsCountNothing() {
        redis.run("SET", "s", "v");
        assertMoved(0, 0, "SET", "s", "w");
        assertMoved(0, 0, "INCR", "n");
        assertMoved(0, 0, "LPOP", "missing");
        assertMoved(0, 0, "LMOVE", "missing", "d", "LEFT", "LEFT");
        assertMoved(0, 0, "DEL", "s", "missing");
        assertMoved(0, 0, "LRANGE", "missing", "x", "1"); // the indexes are parsed before the lookup
        assertMoved(0, 1, "LINDEX", "missing", "x"); // but LINDEX looks first
    }

    @Test
    void touchRestartsTheIdleTimeWhileExistsTypeTtlAndObjectDoNot() {
        redis.run("SET", "k", "v");
        redis.clock.advance(5_000);
        redis.run("EXISTS", "k");
        redis.run("TYPE", "k");
        redis.run("TTL", "k");
        redis.run("OBJECT", "ENCODING", "k");
        assertEquals(integer(5), redis.run("OBJECT", "IDLETIME", "k"));
        assertEquals(integer(1), redis.run("TOUCH", "k", "missing"));
        assertEquals(integer(0), redis.run("OBJECT", "IDLETIME", "k"));
    }

    @Test
    void configResetstatZeroesBoth() {
        redis.run("GET", "missing");
        redis.run("SET", "k", "v");
        redis.run("GET", "k");
        assertTrue(redis.server.stats().keyspaceHits > 0 && redis.server.stats().keyspaceMisses > 0);
        redis.run("CONFIG", "RESETSTAT");
        assertEquals(0, redis.server.stats().keyspaceHits + redis.server.stats().keyspaceMisses);
    }
}
