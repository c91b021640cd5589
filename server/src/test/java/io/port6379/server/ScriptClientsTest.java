// The script APIs of real client libraries against our server: Jedis, Lettuce, and a lock released by a script.
package io.port6379.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What applications do with scripts, through the libraries they use: Jedis's eval/evalsha/scriptLoad, Lettuce's
 * (in RESP3, as Lettuce 6+ speaks it), the NOSCRIPT fallback every library implements, and the lock of chapter 12
 * released the way Redisson and redis-py release theirs, with a compare-and-delete script.
 */
class ScriptClientsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    @Test
    void jedisEvalEvalshaAndScriptCache() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.select(5);
            jedis.flushDB();
            assertEquals(3L, jedis.eval("return redis.call('rpush', KEYS[1], ARGV[1], ARGV[2], ARGV[3])",
                    List.of("list"), List.of("a", "b", "c")));
            assertEquals(List.of("a", "b", "c"), jedis.eval("return redis.call('lrange', KEYS[1], 0, -1)", 1, "list"));
            String sha = jedis.scriptLoad("return ARGV[1] .. '!'");
            assertEquals("hi!", jedis.evalsha(sha, 0, "hi"));
            assertEquals(List.of(true, false), jedis.scriptExists(sha, "0000000000000000000000000000000000000000"));
            assertEquals("OK", jedis.scriptFlush());
            assertThrows(JedisNoScriptException.class, () -> jedis.evalsha(sha, 0, "hi"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.eval("return redis.call('nosuch')"));
            assertTrue(e.getMessage().startsWith("ERR Unknown Redis command called from script script: "), e.getMessage());
            assertEquals(List.of(1L, "two"), jedis.eval("return {1, 'two', nil, 4}"));
        }
    }

    @Test
    void aLockIsReleasedOnlyByItsOwner() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.select(6);
            jedis.flushDB();
            assertEquals("OK", jedis.set("lock:job", "token-1", SetParams.setParams().nx().px(30_000)));
            assertEquals(null, jedis.set("lock:job", "token-2", SetParams.setParams().nx().px(30_000)));
            assertEquals(0L, jedis.eval(RELEASE, List.of("lock:job"), List.of("token-2")));
            assertTrue(jedis.exists("lock:job"));
            assertEquals(1L, jedis.eval(RELEASE, List.of("lock:job"), List.of("token-1")));
            assertFalse(jedis.exists("lock:job"));
        }
    }

    @Test
    void lettuceScriptsInResp3() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.select(7);
            redis.flushdb();
            Long n = redis.eval("return redis.call('incrby', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER,
                    new String[]{"counter"}, "41");
            assertEquals(41L, n);
            String sha = redis.scriptLoad("return redis.call('incr', KEYS[1])");
            assertEquals(42L, (Long) redis.evalsha(sha, ScriptOutputType.INTEGER, "counter"));
            assertEquals("OK", redis.eval("return redis.status_reply('OK')", ScriptOutputType.STATUS));
            assertEquals(List.of(true), redis.scriptExists(sha));
            assertEquals(Boolean.TRUE, redis.eval("redis.setresp(3) return true", ScriptOutputType.BOOLEAN));
            assertEquals(List.of("a", "b"), redis.eval("return {'a', 'b'}", ScriptOutputType.MULTI));
        } finally {
            client.shutdown();
        }
    }
}
