// Our command table rows for the list, hash, set and sorted-set commands must be Redis 7.0's.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares COMMAND INFO from our server with a real redis-server's for every command of the four collection
 * families, whole rows: name, arity, flags, first key, last key, step, ACL categories, tips and key
 * specifications, including the {@code keynum} specifications of the commands whose keys follow a
 * {@code numkeys} argument (LMPOP, ZUNION, ZUNIONSTORE...). Fails in CI without redis-server.
 */
class CollectionCommandInfoTest {

    static final List<String> COMMANDS = List.of(
            "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "llen", "lrange", "lindex", "lset", "linsert",
            "lrem", "ltrim", "lpos", "lmove", "rpoplpush", "lmpop", "blpop", "brpop", "blmove", "brpoplpush", "blmpop",
            "hset", "hsetnx", "hget", "hmget", "hmset", "hdel", "hlen", "hstrlen", "hexists", "hkeys", "hvals",
            "hgetall", "hincrby", "hincrbyfloat", "hrandfield", "hscan",
            "sadd", "srem", "sismember", "smismember", "smembers", "scard", "spop", "srandmember", "smove", "sinter",
            "sintercard", "sinterstore", "sunion", "sunionstore", "sdiff", "sdiffstore", "sscan",
            "zadd", "zincrby", "zscore", "zmscore", "zcard", "zcount", "zlexcount", "zrank", "zrevrank", "zrange",
            "zrangestore", "zrangebyscore", "zrevrangebyscore", "zrangebylex", "zrevrangebylex", "zrevrange", "zrem",
            "zremrangebyrank", "zremrangebyscore", "zremrangebylex", "zpopmin", "zpopmax", "zmpop", "bzpopmin",
            "bzpopmax", "bzmpop", "zunion", "zinter", "zdiff", "zunionstore", "zinterstore", "zdiffstore",
            "zintercard", "zrandmember", "zscan");

    @Test
    void commandInfoMatchesRedisForEveryCollectionCommand() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start()) {
            List<Object> expected = commandInfo(redis.port());
            List<Object> actual = commandInfo(ours.port());
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < COMMANDS.size(); i++) {
                Object want = expected.get(i);
                Object got = actual.get(i);
                if (!want.equals(got)) {
                    mismatches.add(COMMANDS.get(i) + ": expected " + want + " but got " + got);
                }
            }
            assertEquals("", String.join("\n", mismatches));
        }
    }

    private static List<Object> commandInfo(int port) throws IOException {
        List<String> command = new ArrayList<>(List.of("COMMAND", "INFO"));
        command.addAll(COMMANDS);
        try (RespConnection connection = new RespConnection(port)) {
            @SuppressWarnings("unchecked")
            List<Object> rows = (List<Object>) connection.callParsed(command.toArray(String[]::new));
            return rows;
        }
    }
}
