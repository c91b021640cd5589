// The course's patterns on lists, hashes, sets and sorted sets, end to end through Jedis (RESP2) and Lettuce (RESP3).
package io.port6379.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.Tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an application does with these types, through the client libraries people use. */
class CollectionPatternsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();
    private Jedis jedis;

    @BeforeEach
    void connect() {
        jedis = new Jedis("127.0.0.1", server.port());
        jedis.flushAll();
    }

    @Test
    void leaderboardRanksPlayersByScore() {
        jedis.zadd("leaderboard", Map.of("ada", 120.0, "bob", 95.0, "cy", 150.0));
        assertEquals(135.0, jedis.zincrby("leaderboard", 40, "bob"));
        List<Tuple> top = jedis.zrevrangeWithScores("leaderboard", 0, 1);
        assertEquals(List.of(new Tuple("cy", 150.0), new Tuple("bob", 135.0)), top);
        assertEquals(0L, jedis.zrevrank("leaderboard", "cy"));
        assertEquals(2L, jedis.zrevrank("leaderboard", "ada"));
        assertEquals(0L, jedis.zrank("leaderboard", "ada"));
        assertNull(jedis.zrank("leaderboard", "nobody"));
        assertEquals(2L, jedis.zcount("leaderboard", 130, 200));
    }

    @Test
    void tagsAreComparedWithSetAlgebra() {
        jedis.sadd("tag:java", "post:1", "post:2", "post:3");
        jedis.sadd("tag:redis", "post:2", "post:3", "post:4");
        assertEquals(Set.of("post:2", "post:3"), jedis.sinter("tag:java", "tag:redis"));
        assertEquals(Set.of("post:1", "post:2", "post:3", "post:4"), jedis.sunion("tag:java", "tag:redis"));
        assertEquals(Set.of("post:1"), jedis.sdiff("tag:java", "tag:redis"));
        assertEquals(2L, jedis.sinterstore("tag:both", "tag:java", "tag:redis"));
        assertEquals(Set.of("post:2", "post:3"), jedis.smembers("tag:both"));
        assertEquals(1L, jedis.sintercard(1, "tag:java", "tag:redis"));
    }

    @Test
    void queueKeepsArrivalOrderAndDisappearsWhenDrained() {
        jedis.lpush("jobs", "first", "second");
        jedis.lpush("jobs", "third");
        assertEquals("first", jedis.rpop("jobs"));
        assertEquals(List.of("second", "third"), jedis.rpop("jobs", 5));
        assertFalse(jedis.exists("jobs"));
    }

    @Test
    void hashHoldsAnObjectsFields() {
        jedis.hset("user:1", Map.of("name", "Ada", "visits", "1"));
        assertEquals(2L, jedis.hincrBy("user:1", "visits", 1));
        assertEquals(Map.of("name", "Ada", "visits", "2"), jedis.hgetAll("user:1"));
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.hincrBy("user:1", "name", 1));
        assertEquals("ERR hash value is not an integer", e.getMessage());
        jedis.set("plain", "x");
        e = assertThrows(JedisDataException.class, () -> jedis.hget("plain", "f"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
    }

    @Test
    void scanningLargeCollectionsVisitsEveryElement() {
        Set<String> members = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            members.add("m" + i);
            jedis.hset("big-hash", "m" + i, "v" + i);
            jedis.zadd("big-zset", i, "m" + i);
        }
        jedis.sadd("big-set", members.toArray(String[]::new));
        assertEquals(members, scanAll(cursor -> {
            var page = jedis.sscan("big-set", cursor, new ScanParams().count(50));
            return Map.entry(page.getCursor(), page.getResult());
        }));
        assertEquals(members, scanAll(cursor -> {
            var page = jedis.hscan("big-hash", cursor, new ScanParams().count(50));
            return Map.entry(page.getCursor(), page.getResult().stream().map(Map.Entry::getKey).toList());
        }));
        assertEquals(members, scanAll(cursor -> {
            var page = jedis.zscan("big-zset", cursor, new ScanParams().count(50));
            return Map.entry(page.getCursor(), page.getResult().stream().map(Tuple::getElement).toList());
        }));
    }

    /** Follows the cursor from 0 back to 0, collecting what every call returned. */
    private static Set<String> scanAll(Function<String, Map.Entry<String, List<String>>> step) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            Map.Entry<String, List<String>> page = step.apply(cursor);
            seen.addAll(page.getValue());
            cursor = page.getKey();
            calls++;
        } while (!cursor.equals("0"));
        assertTrue(calls > 1, "a hash table is scanned in several calls");
        return seen;
    }

    @Test
    void lettuceReadsTheResp3Shapes() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.hset("h", Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), redis.hgetall("h"));   // a RESP3 map
            redis.sadd("s", "x", "y");
            assertEquals(Set.of("x", "y"), redis.smembers("s"));            // a RESP3 set
            redis.zadd("z", 1.5, "m", 0.1, "n");
            assertEquals(0.1, redis.zscore("z", "n"));                       // a RESP3 double
            assertEquals(List.of(ScoredValue.just(0.1, "n"), ScoredValue.just(1.5, "m")),
                    redis.zrangeWithScores("z", 0, -1));                       // [member, double] pairs
            assertEquals(ScoredValue.just(0.1, "n"), redis.zpopmin("z"));
            redis.rpush("l", "a", "b", "c");
            assertEquals(List.of("a", "b"), redis.lpop("l", 2));
            assertEquals(List.of("c"), redis.lrange("l", 0, -1));
        } finally {
            client.shutdown();
        }
    }
}
