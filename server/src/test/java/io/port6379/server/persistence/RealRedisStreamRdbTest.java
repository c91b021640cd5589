// Streams in RDB files, both ways with a real redis-server 7.0: equal XINFO STREAM FULL after loading, redis-check-rdb.
package io.port6379.server.persistence;

import io.port6379.server.network.RedisServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streams cover what the STREAM_LISTPACKS_2 record holds: many nodes (split by entry count and by bytes),
 * entries with and without the master's fields, integer and binary values, deleted entries inside nodes, trimmed
 * fronts, an emptied stream that keeps its last ID, XSETID's counters, and consumer groups with PELs, consumers
 * without pending entries, an unknown read counter and claimed entries. After loading, XINFO STREAM FULL (with
 * the delivery and seen times the file carries), XINFO GROUPS and XRANGE must be the same bytes on both servers.
 */
class RealRedisStreamRdbTest {

    static List<String[]> streams() {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"CONFIG", "SET", "stream-node-max-entries", "7"});
        for (int i = 1; i <= 40; i++) {
            commands.add(i % 5 == 0
                    ? new String[] {"XADD", "log", i + "-" + (i % 3), "other", "x" + i, "n", Integer.toString(i * 1000)}
                    : new String[] {"XADD", "log", i + "-" + (i % 3), "event", "click", "n", Integer.toString(i)});
        }
        commands.add(new String[] {"XDEL", "log", "3-0", "4-1", "22-1", "40-1"});
        commands.add(new String[] {"XTRIM", "log", "MINID", "2"});
        commands.add(new String[] {"XGROUP", "CREATE", "log", "workers", "0"});
        commands.add(new String[] {"XREADGROUP", "GROUP", "workers", "alice", "COUNT", "5", "STREAMS", "log", ">"});
        commands.add(new String[] {"XREADGROUP", "GROUP", "workers", "bob", "COUNT", "3", "STREAMS", "log", ">"});
        commands.add(new String[] {"XACK", "log", "workers", "5-2"});
        commands.add(new String[] {"XCLAIM", "log", "workers", "carol", "0", "6-0", "TIME", "1000", "RETRYCOUNT", "4"});
        commands.add(new String[] {"XGROUP", "CREATECONSUMER", "log", "workers", "idle-one"});
        commands.add(new String[] {"XGROUP", "CREATE", "log", "audit", "$", "ENTRIESREAD", "30"});
        commands.add(new String[] {"XGROUP", "CREATE", "log", "late", "10-0"});
        commands.add(new String[] {"CONFIG", "SET", "stream-node-max-entries", "100"});
        commands.add(new String[] {"CONFIG", "SET", "stream-node-max-bytes", "200"});
        for (int i = 1; i <= 12; i++) {
            commands.add(new String[] {"XADD", "bytes", "5-" + i, "payload", "v".repeat(10 * i), "bin", "\u0000\r\n"});
        }
        commands.add(new String[] {"CONFIG", "SET", "stream-node-max-bytes", "4096"});
        commands.add(new String[] {"XADD", "emptied", "7-7", "a", "1"});
        commands.add(new String[] {"XDEL", "emptied", "7-7"});
        commands.add(new String[] {"XADD", "counters", "1-1", "a", "1"});
        commands.add(new String[] {"XSETID", "counters", "99-0", "ENTRIESADDED", "50", "MAXDELETEDID", "98-0"});
        commands.add(new String[] {"XGROUP", "CREATE", "made", "g", "$", "MKSTREAM"});
        commands.add(new String[] {"XADD", "big-ids", "18446744073709551615-0", "a", "1"});
        return commands;
    }

    private static final List<String> KEYS = List.of("log", "bytes", "emptied", "counters", "made", "big-ids");

    static void populate(RespConnection client) throws IOException {
        for (String[] command : streams()) {
            Object reply = client.callParsed(command);
            assertTrue(!(reply instanceof RespConnection.Error), () -> String.join(" ", command) + " -> " + reply);
        }
    }

    /** Per key: XINFO STREAM FULL COUNT 0, XINFO GROUPS, XRANGE, as raw replies. */
    static Map<String, String> describe(RespConnection client) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            out.put(key + " full", client.call("XINFO", "STREAM", key, "FULL", "COUNT", "0"));
            out.put(key + " groups", client.call("XINFO", "GROUPS", key));
            out.put(key + " range", client.call("XRANGE", key, "-", "+"));
            out.put(key + " type", client.call("OBJECT", "ENCODING", key));
        }
        return out;
    }

    @Test
    void streamsWrittenByRedisLoadIntoOursWithEqualInfo(@TempDir Path dir) throws Exception {
        Map<String, String> expected;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString());
             RespConnection client = new RespConnection(redis.port())) {
            populate(client);
            expected = describe(client);
            assertEquals("OK", client.callParsed("SAVE"));
        }
        try (RedisServer ours = RealRedisRdbTest.startOurs(dir);
             RespConnection client = new RespConnection(ours.port())) {
            assertEquals(expected, describe(client));
        }
    }

    @Test
    void streamsWrittenByUsPassRedisCheckRdbAndLoadIntoRedisWithEqualInfo(@TempDir Path dir) throws Exception {
        Map<String, String> expected;
        try (RedisServer ours = RealRedisRdbTest.startOurs(dir);
             RespConnection client = new RespConnection(ours.port())) {
            populate(client);
            expected = describe(client);
            assertEquals("OK", client.callParsed("SAVE"));
        }
        RealRedisRdbTest.checkRdb(dir.resolve("dump.rdb"));
        try (RealRedis redis = RealRedis.start("--dir", dir.toString());
             RespConnection client = new RespConnection(redis.port())) {
            assertEquals(expected, describe(client));
        }
    }

    @Test
    void theSameCommandsBuildTheSameStreamsOnBothServers() throws Exception {
        try (RealRedis redis = RealRedis.start();
             RespConnection real = new RespConnection(redis.port());
             RedisServer ours = RealRedisRdbTest.startOurs(Path.of(System.getProperty("java.io.tmpdir")));
             RespConnection client = new RespConnection(ours.port())) {
            populate(real);
            populate(client);
            Map<String, String> theirs = describe(real);
            Map<String, String> mine = describe(client);
            for (String key : theirs.keySet()) {
                assertEquals(masked(theirs.get(key)), masked(mine.get(key)), key);
            }
        }
    }

    /** Delivery and seen times are the clock's: masked (the loading tests compare them exactly). */
    private static String masked(String reply) {
        return reply.replaceAll(":\\d{13,}\r\n", ":<time>\r\n");
    }
}
