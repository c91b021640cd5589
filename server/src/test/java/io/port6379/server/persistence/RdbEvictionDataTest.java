// LRU idle times and LFU counters survive a restart through the RDB file, between ours and a real redis-server both ways.
package io.port6379.server.persistence;

import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under an LRU policy Redis writes each key's idle seconds before it (RDB_OPCODE_IDLE), under an LFU policy its
 * counter (RDB_OPCODE_FREQ), and loading gives them back: without them every key would look just used after a
 * restart, and the first evictions would pick at random. Each direction is checked with the other server reading.
 */
class RdbEvictionDataTest {

    @Test
    void idleTimesWrittenByRedisLoadIntoOurs(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--maxmemory-policy", "allkeys-lru");
             RespConnection c = new RespConnection(redis.port())) {
            c.call("SET", "new", "v");
            restoreWithIdle(c, "old", 5000);
            checkAndSave(c, "OBJECT", "IDLETIME", "old", 5000);
        }
        try (RedisServer ours = startOurs(dir, "allkeys-lru"); RespConnection c = new RespConnection(ours.port())) {
            assertAbout(5000, c.call("OBJECT", "IDLETIME", "old"));
            assertAbout(0, c.call("OBJECT", "IDLETIME", "new"));
        }
    }

    @Test
    void idleTimesWrittenByUsLoadIntoRedis(@TempDir Path dir) throws Exception {
        try (RedisServer ours = startOurs(dir, "volatile-lru"); RespConnection c = new RespConnection(ours.port())) {
            c.call("SET", "new", "v");
            restoreWithIdle(c, "old", 7000);
            checkAndSave(c, "OBJECT", "IDLETIME", "old", 7000);
        }
        RealRedisRdbTest.checkRdb(dir.resolve("dump.rdb"));
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--maxmemory-policy", "volatile-lru");
             RespConnection c = new RespConnection(redis.port())) {
            assertAbout(7000, c.call("OBJECT", "IDLETIME", "old"));
            assertAbout(0, c.call("OBJECT", "IDLETIME", "new"));
        }
    }

    @Test
    void lfuCountersCrossBothWays(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--maxmemory-policy", "allkeys-lfu");
             RespConnection c = new RespConnection(redis.port())) {
            c.call("SET", "x", "v");
            c.call("RESTORE", "hot", "0", dumpOf(c, "x"), "FREQ", "77");
            checkAndSave(c, "OBJECT", "FREQ", "hot", 77);
        }
        try (RedisServer ours = startOurs(dir, "allkeys-lfu"); RespConnection c = new RespConnection(ours.port())) {
            assertEquals(":77\r\n", c.call("OBJECT", "FREQ", "hot"));
            c.call("RESTORE", "warm", "0", dumpOf(c, "x"), "FREQ", "33");
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--maxmemory-policy", "volatile-lfu");
             RespConnection c = new RespConnection(redis.port())) {
            assertEquals(":77\r\n", c.call("OBJECT", "FREQ", "hot"));
            assertEquals(":33\r\n", c.call("OBJECT", "FREQ", "warm"));
        }
    }

    private static void restoreWithIdle(RespConnection c, String key, int seconds) throws IOException {
        c.call("SET", "tmp", "v");
        assertEquals("+OK\r\n", c.call("RESTORE", key, "0", dumpOf(c, "tmp"), "IDLETIME", Integer.toString(seconds)));
        c.call("DEL", "tmp");
    }

    private static void checkAndSave(RespConnection c, String command, String sub, String key, int expected)
            throws IOException {
        assertAbout(expected, c.call(command, sub, key));
        assertEquals("+OK\r\n", c.call("SAVE"));
    }

    /** An integer reply within two seconds above {@code expected} (the clock moves on between save and load). */
    private static void assertAbout(long expected, String reply) {
        long value = Long.parseLong(reply.substring(1).strip());
        assertTrue(value >= expected && value <= expected + 2, "expected about " + expected + ", got " + value);
    }

    /** DUMP's payload as the ISO-8859-1 string RespConnection sends back byte for byte. */
    private static String dumpOf(RespConnection c, String key) throws IOException {
        String reply = c.call("DUMP", key);
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    private static RedisServer startOurs(Path dir, String policy) throws IOException {
        RedisServer server = Port6379.server(ServerConfig.fromArguments("--port", "0", "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--maxmemory-policy", policy));
        server.start();
        return server;
    }
}
