// Real client libraries against our server: Jedis (RESP2) and Lettuce (RESP3 after HELLO 3, COMMAND on connect).
package io.port6379.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealClientsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void jedisStringsKeysAndExpiry() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.select(1);
            jedis.flushDB();
            assertEquals("OK", jedis.set("k", "v", SetParams.setParams().ex(100)));
            assertTrue(jedis.ttl("k") > 98);
            assertEquals("v", jedis.getSet("k", "w"));
            assertEquals(-1, jedis.ttl("k"));
            assertEquals(11, jedis.incrBy("n", 11));
            assertEquals(10.5, jedis.incrByFloat("n", -0.5));
            assertEquals(List.of("w", "10.5"), jedis.mget("k", "n"));
            assertEquals(1, jedis.msetnx("a", "1", "b", "2"));
            assertEquals(4, jedis.dbSize());
            assertEquals("string", jedis.type("a"));
            assertEquals(2, jedis.del("a", "b"));
            assertEquals("OK", jedis.rename("k", "k2"));
            assertTrue(jedis.copy("k2", "k3", false));
            assertEquals(Set.of("k2", "k3", "n"), jedis.keys("*"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.incr("k2"));
            assertEquals("ERR value is not an integer or out of range", e.getMessage());
        }
    }

    @Test
    void jedisScanVisitsEveryKeyOnce() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.select(2);
            jedis.flushDB();
            for (int i = 0; i < 500; i++) {
                jedis.set("key:" + i, "v");
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("key:*").count(50));
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
            assertEquals(500, seen.size());
        }
    }

    @Test
    void jedisPipelineGetsEveryReplyInOrder() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.select(3);
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 1000; i++) {
                pipeline.incr("counter");
            }
            List<Object> replies = pipeline.syncAndReturnAll();
            assertEquals(1000, replies.size());
            assertEquals(1000L, replies.get(999));
        }
    }

    @Test
    void jedisClientCommandsAndInfo() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("OK", jedis.clientSetname("jedis-test"));
            assertEquals("jedis-test", jedis.clientGetname());
            assertTrue(jedis.clientList().contains("name=jedis-test"));
            assertTrue(jedis.info("server").contains("redis_version:7.0.15"));
            assertEquals("10", jedis.configGet("hz").get("hz"));
            assertEquals(2, jedis.time().size());
        }
    }

    @Test
    void jedisInResp3ReadsMapsAndNulls() {
        DefaultJedisClientConfig resp3 = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()), resp3)) {
            jedis.select(7);
            assertEquals("OK", jedis.set("k", "v"));
            assertEquals("v", jedis.get("k"));
            assertNull(jedis.get("missing"));
            assertEquals("10", jedis.configGet("hz").get("hz"));
            assertTrue(jedis.info("server").contains("redis_version:7.0.15"));
        }
    }

    @Test
    void lettuceSpeaksResp3AfterHello() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.select(4);
            redis.flushdb();
            assertEquals("PONG", redis.ping());
            assertEquals("OK", redis.set("k", "v", SetArgs.Builder.px(Duration.ofSeconds(100))));
            assertEquals("v", redis.get("k"));
            assertNull(redis.get("missing"));
            assertEquals(3L, redis.incrby("n", 3));
            assertTrue(redis.pttl("k") > 99_000);
            assertEquals(1L, redis.exists("k"));
            Map<String, String> hz = redis.configGet("hz");
            assertEquals("10", hz.get("hz"));
            assertEquals(Long.valueOf(2), redis.dbsize());
            assertTrue(redis.info("keyspace").contains("db4:keys=2"));
            assertTrue(redis.command().size() > 50);
            assertEquals(1, redis.commandInfo("get").size());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
