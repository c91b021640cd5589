// BGSAVE is point-in-time (writes made during the save are not in the file) and does not stop the world.
package io.port6379.server.persistence;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.ZAddOptions;
import io.port6379.server.network.RedisServer;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BgsaveTest {

    @TempDir
    Path dir;

    /** Strings, and collections in both encodings, straight into the keyspace (commands would be slower). */
    private static void fill(Keyspace db, int strings, int collections, long expireAt) {
        for (int i = 0; i < strings; i++) {
            db.set(Bytes.of("key:" + i), RedisString.of("value:" + i), expireAt >= 0 && i % 10 == 0 ? expireAt + i : -1);
        }
        for (int i = 0; i < collections; i++) {
            RedisList list = new RedisList();
            RedisHash hash = new RedisHash();
            RedisSet set = new RedisSet();
            RedisSortedSet zset = new RedisSortedSet();
            int size = i % 2 == 0 ? 20 : 300;
            for (int j = 0; j < size; j++) {
                list.pushRight(Dataset.bytes("element-" + j));
                hash.put(Dataset.bytes("field-" + j), Dataset.bytes(Integer.toString(j)), EncodingLimits.REDIS_DEFAULTS);
                set.add(Bytes.of(i % 4 == 0 ? Integer.toString(j) : "member-" + j), EncodingLimits.REDIS_DEFAULTS);
                zset.add(j * 0.5, Bytes.of("member-" + j), ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
            }
            db.set(Bytes.of("list:" + i), list);
            db.set(Bytes.of("hash:" + i), hash);
            db.set(Bytes.of("set:" + i), set);
            db.set(Bytes.of("zset:" + i), zset);
        }
    }

    private static Dataset contents(InProcessServer redis) {
        Dataset data = new Dataset();
        for (int db = 0; db < redis.server.databases().count(); db++) {
            int number = db;
            redis.server.databases().get(db).forEachEntry((key, value, expireAt) ->
                    data.put(number, Dataset.text(key), Dataset.of(value, expireAt)));
        }
        return data;
    }

    @Test
    void theFileHoldsTheDataAsItWasWhenBgsaveStarted() throws Exception {
        InProcessServer redis = new InProcessServer(dir);
        redis.server.executionLock().lock();
        try {
            fill(redis.server.databases().get(0), 5_000, 200, redis.now.get() + 3_600_000);
            fill(redis.server.databases().get(3), 500, 20, -1);
            for (int i = 0; i < 200; i++) { // strings that SETBIT and PFADD change in place
                redis.run("SETBIT", "bits:" + i, Integer.toString(8 * 1000 + i), "1");
                redis.run("PFADD", "hll:" + i, "a", "b", "c");
                if (i % 2 == 0) {
                    redis.run("PFDEBUG", "TODENSE", "hll:" + i);
                }
            }
        } finally {
            redis.server.executionLock().unlock();
        }
        Dataset atStart = contents(redis);
        // Holding the execution lock (commands take it again, it is reentrant) keeps the writer from freezing
        // any collection or finishing, so the first half of the changes surely overlaps the save; the second
        // half races with the writer, as real clients do.
        redis.server.executionLock().lock();
        try {
            assertEquals("+Background saving started\r\n", redis.run("BGSAVE"));
            changeEverything(redis, 0);
            assertEquals("1", redis.info("rdb_bgsave_in_progress"));
        } finally {
            redis.server.executionLock().unlock();
        }
        changeEverything(redis, 1);
        redis.run("SELECT", "3");
        redis.run("FLUSHDB");
        redis.run("SWAPDB", "0", "5");
        RdbSaver.of(redis.server).awaitBackgroundSave();
        assertEquals("ok", redis.info("rdb_last_bgsave_status"));
        Dataset inFile = RdbRoundTripProperties.read(Files.readAllBytes(dir.resolve("dump.rdb")));
        assertEquals(atStart.keyCount(), inFile.keyCount());
        assertEquals(atStart, inFile);
    }

    /**
     * Changes every kind of value of every other group of keys: in place (copy-on-write, and the strings SETBIT and
     * PFADD write in place), replaced, deleted, added.
     */
    private static void changeEverything(InProcessServer redis, int half) {
        for (int i = 199 - half; i >= 0; i -= 2) {
            redis.run("RPUSH", "list:" + i, "late");
            redis.run("LPOP", "list:" + i);
            redis.run("HSET", "hash:" + i, "field-0", "changed", "new-field", "x");
            redis.run("SADD", "set:" + i, "late-member", "12345");
            redis.run("ZADD", "zset:" + i, "-1", "member-3", "7", "late");
            redis.run("SET", "key:" + i, "overwritten");
            redis.run("DEL", "key:" + (i + 1000));
            redis.run("EXPIRE", "key:" + (i + 2000), "100");
            redis.run("SET", "new:" + i, "added");
            redis.run("SETBIT", "bits:" + i, "3", "1");
            redis.run("PFADD", "hll:" + i, "late", "later");
        }
    }

    /**
     * Clients keep being served during a BGSAVE. Prints the longest PING round trip seen while the save ran,
     * next to the snapshot's own pause (our "fork time") and the save's duration. 100,000 keys by default, to
     * keep the suite fast; the figure for a million keys: {@code -Dport6379.bgsave.keys=1000000}.
     */
    @Test
    void clientsAreServedWhileTheKeysAreSaved() throws Exception {
        int keys = Integer.getInteger("port6379.bgsave.keys", 100_000);
        try (RedisServer server = RealRedisRdbTest.startOurs(dir);
             RespConnection admin = new RespConnection(server.port());
             RespConnection pinger = new RespConnection(server.port())) {
            server.context().executionLock().lock();
            try {
                fill(server.context().databases().get(0), keys, 0, -1);
            } finally {
                server.context().executionLock().unlock();
            }
            AtomicBoolean saving = new AtomicBoolean(true);
            List<Long> roundTrips = new ArrayList<>();
            Thread pings = Thread.ofPlatform().start(() -> {
                try {
                    while (saving.get()) {
                        long start = System.nanoTime();
                        pinger.callParsed("PING");
                        roundTrips.add(System.nanoTime() - start);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            assertEquals("Background saving started", admin.callParsed("BGSAVE"));
            RdbSaver.of(server.context()).awaitBackgroundSave();
            long saveNanos = System.nanoTime() - start;
            saving.set(false);
            pings.join();
            long longest = roundTrips.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf(Locale.ROOT, "BGSAVE of %d keys: snapshot pause %.1f ms, longest PING %.1f ms over %d PINGs,"
                            + " save %.0f ms, file %d bytes%n", keys, RdbSaver.of(server.context()).latestPauseMicros() / 1e3,
                    longest / 1e6, roundTrips.size(), saveNanos / 1e6, Files.size(dir.resolve("dump.rdb")));
            assertTrue(roundTrips.size() > 10, "clients must be served during the save");
            assertTrue(longest < saveNanos, "no client waits for the whole save");
            assertEquals((long) keys, admin.callParsed("DBSIZE"));
        }
    }
}
