// Every command family through the clients' other APIs: Lettuce async (RESP3) and Jedis in RESP3 mode.
package io.port6379.server;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.resps.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synchronous Jedis API in RESP2 and Lettuce's sync API are covered by {@code RealClientsTest} and
 * {@code CollectionPatternsTest}, pub/sub by {@code PubSubClientsTest}; this class fills the rest: Lettuce's
 * async API pipelining a command of every family at once (futures complete in order), and Jedis decoding
 * RESP3 maps, sets, doubles and nulls of the collection commands.
 */
class ClientFamiliesTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static <T> T await(RedisFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void lettuceAsyncRunsEveryFamilyPipelined() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            await(redis.select(9));
            await(redis.flushdb());
            connection.setAutoFlushCommands(false); // everything below leaves in one write
            RedisFuture<String> set = redis.setex("s", 100, "v");
            RedisFuture<Long> incr = redis.incrby("n", 5);
            RedisFuture<Long> rpush = redis.rpush("l", "a", "b", "c", "b");
            RedisFuture<Long> lpos = redis.lpos("l", "b", LPosArgs.Builder.rank(2));
            RedisFuture<List<String>> lrange = redis.lrange("l", -2, -1);
            RedisFuture<Long> hset = redis.hset("h", Map.of("f1", "1", "f2", "2"));
            RedisFuture<Long> hincr = redis.hincrby("h", "f1", 41);
            RedisFuture<Map<String, String>> hgetall = redis.hgetall("h");
            RedisFuture<Long> sadd = redis.sadd("s1", "x", "y", "z");
            RedisFuture<Long> sadd2 = redis.sadd("s2", "y", "w");
            RedisFuture<Set<String>> sinter = redis.sinter("s1", "s2");
            RedisFuture<Long> zadd = redis.zadd("z", ScoredValue.just(1, "one"), ScoredValue.just(2.5, "two"));
            RedisFuture<Double> zincr = redis.zincrby("z", 1, "one");
            RedisFuture<List<ScoredValue<String>>> zrange = redis.zrangeWithScores("z", 0, -1);
            RedisFuture<List<String>> zbyscore = redis.zrangebyscore("z", Range.create(2.0, 2.5));
            RedisFuture<Long> ttl = redis.ttl("s");
            RedisFuture<String> type = redis.type("z");
            RedisFuture<Long> del = redis.del("n", "missing");
            connection.flushCommands();
            assertEquals("OK", await(set));
            assertEquals(5L, await(incr));
            assertEquals(4L, await(rpush));
            assertEquals(3L, await(lpos));
            assertEquals(List.of("c", "b"), await(lrange));
            assertEquals(2L, await(hset));
            assertEquals(42L, await(hincr));
            assertEquals(Map.of("f1", "42", "f2", "2"), await(hgetall));
            assertEquals(3L, await(sadd));
            assertEquals(2L, await(sadd2));
            assertEquals(Set.of("y"), await(sinter));
            assertEquals(2L, await(zadd));
            assertEquals(2.0, await(zincr));
            assertEquals(List.of(ScoredValue.just(2, "one"), ScoredValue.just(2.5, "two")), await(zrange));
            assertEquals(List.of("one", "two"), await(zbyscore));
            assertTrue(await(ttl) > 98);
            assertEquals("zset", await(type));
            assertEquals(1L, await(del));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void lettuceAsyncTransactionAndScan() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            await(redis.select(10));
            await(redis.flushdb());
            for (int i = 0; i < 200; i++) {
                redis.set("key:" + i, String.valueOf(i));
            }
            await(redis.set("other", "x"));
            Set<String> seen = new HashSet<>();
            KeyScanCursor<String> cursor = await(redis.scan(ScanArgs.Builder.matches("key:*").limit(30)));
            seen.addAll(cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = await(redis.scan(cursor, ScanArgs.Builder.matches("key:*").limit(30)));
                seen.addAll(cursor.getKeys());
            }
            assertEquals(200, seen.size());

            await(redis.multi());
            redis.incr("key:1");
            redis.lpush("key:2", "x"); // WRONGTYPE at EXEC, in place
            redis.get("key:1");
            TransactionResult result = await(redis.exec());
            assertEquals(3, result.size());
            assertEquals(2L, (Long) result.get(0));
            assertTrue(result.get(1) instanceof Exception);
            assertEquals("2", result.get(2));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void jedisInResp3DecodesTheCollectionReplies() {
        DefaultJedisClientConfig resp3 = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()), resp3)) {
            jedis.select(11);
            jedis.flushDB();
            assertEquals(3, jedis.rpush("q", "a", "b", "c"));
            assertEquals("a", jedis.lmove("q", "q2", ListDirection.LEFT, ListDirection.RIGHT));
            assertEquals(List.of("b", "c"), jedis.lrange("q", 0, -1));
            assertEquals(2, jedis.hset("h", Map.of("a", "1", "b", "2")));
            assertEquals(Map.of("a", "1", "b", "2"), jedis.hgetAll("h"));
            assertEquals(3.5, jedis.hincrByFloat("h", "a", 2.5));
            assertEquals(2, jedis.sadd("s", "x", "y"));
            assertEquals(Set.of("x", "y"), jedis.smembers("s"));
            assertEquals(List.of(true, false), jedis.smismember("s", "x", "nope"));
            jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
            assertEquals(2.0, jedis.zscore("z", "b"));
            assertNull(jedis.zscore("z", "nope"));
            List<Tuple> top = jedis.zrevrangeWithScores("z", 0, 1);
            assertEquals(List.of(new Tuple("c", 3.0), new Tuple("b", 2.0)), top);
            assertEquals(new Tuple("a", 1.0), jedis.zpopmin("z"));
            Transaction multi = jedis.multi();
            multi.incr("counter");
            multi.incrBy("counter", 9);
            assertEquals(new ArrayList<>(List.of(1L, 10L)), multi.exec());
        }
    }
}
