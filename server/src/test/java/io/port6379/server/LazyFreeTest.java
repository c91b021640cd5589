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

    /** Redis's unit/lazyfree "lazy free a stream with all types of metadata", and the two sides of its threshold. */
    @Test
    void unlinkFreesAStreamLazilyByItsNodesAndItsGroups() throws Exception {
        String entries = "for i=1,1000 do redis.call('xadd', KEYS[1], i..'-1', 'foo', i) end";
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("CONFIG", "SET", "stream-node-max-entries", "5");
                c.call("EVAL", entries, "1", "manynodes");
                c.call("XGROUP", "CREATE", "manynodes", "g", "0");
                c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "manynodes", ">");
                c.call("XDEL", "manynodes", "1-1");
                c.call("XACK", "manynodes", "g", "2-1");
                c.call("CONFIG", "SET", "stream-node-max-entries", "100");
                c.call("EVAL", entries, "1", "fewnodes");
                c.call("EVAL", entries, "1", "bigpel");
                c.call("XGROUP", "CREATE", "bigpel", "g", "0");
                c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "100", "STREAMS", "bigpel", ">");
                long before = settledFreed(c);
                c.call("UNLINK", "manynodes");
                assertEquals(before + 1, settledFreed(c), port + ": 200 nodes");
                c.call("UNLINK", "fewnodes");
                assertEquals(before + 1, settledFreed(c), port + ": 10 nodes, no group");
                c.call("UNLINK", "bigpel");
                assertEquals(before + 2, settledFreed(c), port + ": 10 nodes, a group with 100 pending entries");
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
                c.call("EVAL", BIG_SET, "1", "e");
                c.call("EXPIRE", "e", "0");
                c.call("EVAL", BIG_SET, "1", "e");
                c.call("PEXPIREAT", "e", "1");
                assertEquals(before + 3, settledFreed(c), port + ": EXPIRE and PEXPIREAT with a time already past");
                c.call("CONFIG", "SET", "lazyfree-lazy-expire", "no");
                c.call("CONFIG", "SET", "lazyfree-lazy-server-del", "yes");
                c.call("EVAL", BIG_SET, "1", "e");
                c.call("EXPIRE", "e", "-1");
                assertEquals(before + 3, settledFreed(c), port + ": not lazyfree-lazy-server-del's to decide");
                c.call("CONFIG", "SET", "lazyfree-lazy-server-del", "no");
                c.call("CONFIG", "SET", "lazyfree-lazy-expire", "no");
            }
        }
    }

    @Test
    void serverDelFreesWhatAWriteReplacesOrDeletesLazily() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL", "SYNC");
                c.call("CONFIG", "SET", "lazyfree-lazy-server-del", "yes");
                long freed = settledFreed(c);
                c.call("EVAL", BIG_SET, "1", "a");
                c.call("SET", "a", "x");
                assertEquals(freed += 1, settledFreed(c), port + ": SET over a big set");
                c.call("EVAL", BIG_SET, "1", "b");
                c.call("RENAME", "a", "b");
                assertEquals(freed += 1, settledFreed(c), port + ": RENAME's destination");
                c.call("EVAL", BIG_SET, "1", "c");
                c.call("COPY", "b", "c", "REPLACE");
                assertEquals(freed += 1, settledFreed(c), port + ": COPY REPLACE");
                c.call("EVAL", BIG_SET, "1", "d");
                c.call("EVAL", "redis.call('restore', KEYS[1], 0, redis.call('dump', KEYS[2]), 'REPLACE')", "2", "d", "b");
                assertEquals(freed += 1, settledFreed(c), port + ": RESTORE REPLACE");
                c.call("EVAL", BIG_SET, "1", "e");
                c.call("SINTERSTORE", "e", "nosuchkey");
                assertEquals(freed += 1, settledFreed(c), port + ": an empty STORE deletes its destination");
                c.call("EVAL", BIG_SET, "1", "f");
                c.call("EVAL", BIG_SET, "1", "g");
                c.call("SUNIONSTORE", "f", "g");
                assertEquals(freed += 1, settledFreed(c), port + ": SUNIONSTORE over a big set");
                c.call("SUNION", "g");
                c.call("SDIFF", "g");
                c.call("SINTER", "g");
                assertEquals(freed += 2, settledFreed(c), port + ": SUNION's and SDIFF's result sets, not SINTER's");
                c.call("SPOP", "g", "1000");
                assertEquals(freed += 2, settledFreed(c), port + ": SPOP of the whole set");
                c.call("EVAL", BIG_SET, "1", "h");
                c.call("DEL", "h");
                c.call("EVAL", BIG_SET, "1", "h");
                c.call("SELECT", "1");
                c.call("SELECT", "0");
                c.call("MOVE", "h", "1");
                c.call("EVAL", "for i=1,200 do redis.call('zadd', KEYS[1], i, 'm'..i) end", "1", "z");
                c.call("ZPOPMIN", "z", "1000");
                c.call("SET", "s", "x".repeat(1000));
                c.call("SET", "s", "y");
                assertEquals(freed, settledFreed(c), port + ": DEL, MOVE, a popped set, a string");
                c.call("CONFIG", "SET", "lazyfree-lazy-server-del", "no");
                c.call("EVAL", BIG_SET, "1", "i");
                c.call("SET", "i", "x");
                assertEquals(freed, settledFreed(c), port + ": SET over a big set by default");
                c.call("SELECT", "1");
                c.call("FLUSHDB");
                c.call("SELECT", "0");
            }
        }
    }

    @Test
    void sortStoreOntoItsOwnKeyFreesTheSortedValueAtOnce() throws Exception {
        String bigList = "for i=1,20000 do redis.call('rpush', KEYS[1], string.rep('x', 100)) end";
        String bigZset = "for i=1,200 do redis.call('zadd', KEYS[1], i, 'm'..i) end";
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL", "SYNC");
                c.call("CONFIG", "SET", "lazyfree-lazy-server-del", "yes");
                long freed = settledFreed(c);
                c.call("EVAL", BIG_SET, "1", "s");
                assertEquals(":100\r\n", c.call("SORT", "s", "ALPHA", "STORE", "s"));
                c.call("EVAL", bigList, "1", "l");
                assertEquals(":20000\r\n", c.call("SORT", "l", "BY", "nosort", "STORE", "l"));
                c.call("EVAL", bigZset, "1", "z");
                assertEquals(":200\r\n", c.call("SORT", "z", "BY", "nosort", "STORE", "z"));
                c.call("DEL", "s");
                c.call("EVAL", BIG_SET, "1", "s");
                assertEquals(":0\r\n", c.call("SORT", "s", "ALPHA", "LIMIT", "0", "0", "STORE", "s"));
                assertEquals(":0\r\n", c.call("EXISTS", "s"));
                c.call("EVAL", BIG_SET, "1", "s");
                c.call("EVAL", "return redis.call('sort', KEYS[1], 'alpha', 'store', KEYS[1])", "1", "s");
                assertEquals(freed, settledFreed(c), port + ": the sorted value replaced or deleted by its own STORE");
                c.call("DEL", "z");
                c.call("EVAL", bigZset, "1", "z");
                c.call("EVAL", BIG_SET, "1", "t");
                c.call("SORT", "t", "ALPHA", "STORE", "z");
                assertEquals(freed + 1, settledFreed(c), port + ": another key's big value replaced by STORE");
                c.call("CONFIG", "SET", "lazyfree-lazy-server-del", "no");
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
