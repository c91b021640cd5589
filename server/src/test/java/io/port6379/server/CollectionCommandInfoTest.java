// Our command table rows for the list, hash, set and sorted-set commands must be Redis 7.0's.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("COMMAND INFO " + String.join(" ", COMMANDS) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            @SuppressWarnings("unchecked")
            List<Object> rows = (List<Object>) read(new BufferedInputStream(socket.getInputStream()));
            return rows;
        }
    }

    /** A RESP2 reply as Java values: strings, longs, lists, and null. */
    private static Object read(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\r'; ) {
            if (b < 0) {
                throw new IOException("closed");
            }
            line.append((char) b);
        }
        in.read();
        String rest = line.substring(1);
        return switch (line.charAt(0)) {
            case '+', '-' -> rest;
            case ':' -> Long.parseLong(rest);
            case '$' -> {
                int n = Integer.parseInt(rest);
                yield n < 0 ? null : new String(in.readNBytes(n + 2), 0, n, StandardCharsets.ISO_8859_1);
            }
            case '*' -> {
                int n = Integer.parseInt(rest);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                yield n < 0 ? null : items;
            }
            default -> throw new IOException("unexpected " + line);
        };
    }
}
