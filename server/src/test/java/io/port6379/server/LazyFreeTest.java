// UNLINK, FLUSHALL ASYNC and the lazyfree-lazy-* parameters free big values in the background, counted as Redis counts them.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * INFO's {@code lazyfreed_objects} after each kind of deletion, on both servers: a value is freed lazily only when
 * the deletion is lazy and freeing it takes more than 64 allocations (a hash table or skiplist of more than 64
 * elements, a list of more than 64 quicklist nodes); a lazy flush counts one object per key.
 */
class LazyFreeTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static final String BIG_SET = "for i=1,100 do redis.call('sadd', KEYS[1], 'm'..i) end";

    @Test
    void unlinkFreesOnlyBigValuesLazily() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL", "SYNC");
                c.call("EVAL", BIG_SET, "1", "bigset");
                c.call("EVAL", "for i=1,10 do redis.call('sadd', KEYS[1], 'm'..i) end", "1", "smallset");
                c.call("EVAL", "for i=1,20000 do redis.call('rpush', KEYS[1], string.rep('x', 100)) end", "1", "biglist");
                c.call("EVAL", "for i=1,50 do redis.call('rpush', KEYS[1], 'x') end", "1", "smalllist");
                c.call("EVAL", "for i=1,600 do redis.call('hset', KEYS[1], 'f'..i, 'v') end", "1", "bighash");
                c.call("EVAL", "for i=1,100 do redis.call('hset', KEYS[1], 'f'..i, 'v') end", "1", "listpackhash");
                c.call("EVAL", "for i=1,200 do redis.call('zadd', KEYS[1], i, 'm'..i) end", "1", "bigzset");
                c.call("SET", "string", "x".repeat(100_000));
                long before = settledFreed(c);
                assertEquals(":8\r\n", c.call("UNLINK", "bigset", "smallset", "biglist", "smalllist", "bighash",
                        "listpackhash", "bigzset", "string"));
                assertEquals(before + 4, settledFreed(c), port + ": the set, list, hash and sorted set");
            }
        }
    }

    @Test
    void delIsLazyOnlyWithLazyfreeLazyUserDel() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("EVAL", BIG_SET, "1", "a");
                long before = settledFreed(c);
                c.call("DEL", "a");
                assertEquals(before, settledFreed(c), port + ": DEL by default");
                c.call("CONFIG", "SET", "lazyfree-lazy-user-del", "yes");
                c.call("EVAL", BIG_SET, "1", "a");
                c.call("DEL", "a");
                assertEquals(before + 1, settledFreed(c), port + ": DEL with lazyfree-lazy-user-del");
                c.call("CONFIG", "SET", "lazyfree-lazy-user-del", "no");
            }
        }
    }

    @Test
    void asyncFlushesCountOneObjectPerKey() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL", "SYNC");
                c.call("MSET", "a", "1", "b", "2", "c", "3");
                long before = settledFreed(c);
                c.call("FLUSHALL", "ASYNC");
                assertEquals(before + 3, settledFreed(c), port + ": FLUSHALL ASYNC");
                c.call("MSET", "a", "1", "b", "2");
                c.call("FLUSHDB");
                assertEquals(before + 3, settledFreed(c), port + ": FLUSHDB");
                c.call("CONFIG", "SET", "lazyfree-lazy-user-flush", "yes");
                c.call("MSET", "a", "1", "b", "2");
                c.call("FLUSHDB");
                assertEquals(before + 5, settledFreed(c), port + ": FLUSHDB with lazyfree-lazy-user-flush");
                c.call("MSET", "a", "1", "b", "2");
                c.call("FLUSHDB", "SYNC");
                assertEquals(before + 5, settledFreed(c), port + ": FLUSHDB SYNC with lazyfree-lazy-user-flush");
                c.call("CONFIG", "SET", "lazyfree-lazy-user-flush", "no");
            }
        }
    }

    @Test
    void expiryIsLazyWithLazyfreeLazyExpire() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
                c.call("EVAL", BIG_SET, "1", "e");
                long before = settledFreed(c);
                c.call("PEXPIRE", "e", "1");
                Thread.sleep(10);
                assertEquals(":0\r\n", c.call("EXISTS", "e"));
                assertEquals(before + 1, settledFreed(c), port + ": an expired big set");
                c.call("CONFIG", "SET", "lazyfree-lazy-expire", "no");
            }
        }
    }

    /** {@code lazyfreed_objects} once nothing is pending any more. */
    private static long settledFreed(RespConnection c) throws Exception {
        for (int i = 0; i < 200 && field(c, "lazyfree_pending_objects") != 0; i++) {
            Thread.sleep(10);
        }
        return field(c, "lazyfreed_objects");
    }

    private static long field(RespConnection c, String name) throws IOException {
        for (String line : c.call("INFO", "memory").split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in INFO memory");
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
