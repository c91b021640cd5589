// Cross-checks with a real redis-server 7.0: its dump.rdb loads into ours, and ours passes redis-check-rdb and loads into it.
package io.port6379.server.persistence;

import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.server.config.ServerConfig;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealRedisRdbTest {

    /**
     * Every type in both of Redis's encodings (listpack/intset when small, hashtable/skiplist/several quicklist
     * nodes when large), integer strings of each width, long compressible strings (LZF), binary data, expiry
     * times, and three databases.
     */
    static List<String[]> everyType() {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"SET", "plain", "hello world"});
        commands.add(new String[] {"SET", "int8", "100"});
        commands.add(new String[] {"SET", "int16", "-30000"});
        commands.add(new String[] {"SET", "int32", "2000000000"});
        commands.add(new String[] {"SET", "int64", "9000000000000000000"});
        commands.add(new String[] {"SET", "not-an-int", "007"});
        commands.add(new String[] {"SET", "compressible", "abcdefgh".repeat(500)});
        commands.add(new String[] {"SET", "binary\u0000key", "\u0000\u00ff\r\n\u0001"});
        commands.add(new String[] {"SET", "expiring", "soon", "PXAT", "4000000000000"});
        commands.add(new String[] {"RPUSH", "list:small", "a", "12", "-5", "bb".repeat(40)});
        String[] bigList = new String[2 + 3000];
        bigList[0] = "RPUSH";
        bigList[1] = "list:big";
        for (int i = 0; i < 3000; i++) {
            bigList[i + 2] = i % 3 == 0 ? Integer.toString(i * 1000) : "element-" + i;
        }
        commands.add(bigList);
        commands.add(new String[] {"SADD", "set:intset", "1", "-2", "300", "70000", "5000000000"});
        commands.add(withMany("SADD", "set:intset-big", 600, i -> Integer.toString(i * 7)));
        commands.add(new String[] {"SADD", "set:small", "x", "y", "1"});
        commands.add(withMany("SADD", "set:big", 700, i -> "member:" + i));
        commands.add(new String[] {"HSET", "hash:small", "f1", "v1", "n", "42"});
        commands.add(new String[] {"HSET", "hash:long-value", "f", "v".repeat(100)});
        commands.add(withMany("HSET", "hash:big", 1200, i -> i % 2 == 0 ? "field:" + i / 2 : Integer.toString(i)));
        commands.add(new String[] {"ZADD", "zset:small", "1", "one", "2.5", "two-and-a-half", "-inf", "bottom", "inf", "top"});
        commands.add(withMany("ZADD", "zset:big", 800, i -> i % 2 == 0 ? Double.toString(i * 0.25) : "m" + i));
        commands.add(new String[] {"PEXPIREAT", "hash:small", "4100000000000"});
        commands.add(new String[] {"PEXPIREAT", "list:big", "4100000000001"});
        commands.add(new String[] {"SELECT", "1"});
        commands.add(new String[] {"SET", "in-db-1", "1"});
        commands.add(new String[] {"RPUSH", "list:expiring", "x", "PXAT"});
        commands.add(new String[] {"PEXPIREAT", "list:expiring", "4200000000000"});
        commands.add(new String[] {"SELECT", "15"});
        commands.add(new String[] {"ZADD", "in-db-15", "0", "zero"});
        commands.add(new String[] {"SELECT", "0"});
        return commands;
    }

    private static String[] withMany(String command, String key, int count, IntFunction<String> arg) {
        String[] args = new String[2 + count];
        args[0] = command;
        args[1] = key;
        for (int i = 0; i < count; i++) {
            args[i + 2] = arg.apply(i);
        }
        return args;
    }

    static void populate(RespConnection client) throws IOException {
        for (String[] command : everyType()) {
            Object reply = client.callParsed(command);
            assertTrue(!(reply instanceof RespConnection.Error), () -> String.join(" ", command) + " -> " + reply);
        }
    }

    @Test
    void aDumpWrittenByRedisLoadsIntoOursWithEqualData(@TempDir Path dir) throws Exception {
        Dataset expected;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString());
             RespConnection client = new RespConnection(redis.port())) {
            populate(client);
            expected = Dataset.read(client, 16);
            assertEquals("OK", client.callParsed("SAVE"));
        }
        assertEquals(expected, RdbRoundTripProperties.read(Files.readAllBytes(dir.resolve("dump.rdb"))));
        try (RedisServer ours = startOurs(dir);
             RespConnection client = new RespConnection(ours.port())) {
            assertEquals(expected, Dataset.read(client, 16));
        }
    }

    @Test
    void ourDumpPassesRedisCheckRdbAndLoadsIntoRedisWithEqualData(@TempDir Path dir) throws Exception {
        Dataset expected;
        try (RedisServer ours = startOurs(dir);
             RespConnection client = new RespConnection(ours.port())) {
            populate(client);
            expected = Dataset.read(client, 16);
            assertEquals("OK", client.callParsed("SAVE"));
        }
        checkRdb(dir.resolve("dump.rdb"));
        try (RealRedis redis = RealRedis.start("--dir", dir.toString());
             RespConnection client = new RespConnection(redis.port())) {
            assertEquals(expected, Dataset.read(client, 16));
        }
    }

    /** Random datasets (binary keys, every integer width, odd scores) written by RdbWriter load into Redis as they are. */
    @Test
    void randomDatasetsWrittenByUsLoadIntoRedis(@TempDir Path dir) throws Exception {
        Arbitrary<Dataset> datasets = new RdbRoundTripProperties().datasets();
        for (int i = 0; i < 4; i++) {
            Dataset dataset = datasets.sample();
            Path file = dir.resolve("dump.rdb");
            Files.write(file, RdbRoundTripProperties.write(dataset, i % 2 == 0));
            checkRdb(file);
            try (RealRedis redis = RealRedis.start("--dir", dir.toString());
                 RespConnection client = new RespConnection(redis.port())) {
                assertEquals(dataset, Dataset.read(client, 16));
            }
        }
    }

    static RedisServer startOurs(Path dir) throws IOException {
        RedisServer server = Port6379.server(ServerConfig.fromArguments("--port", "0", "--bind", "127.0.0.1",
                "--dir", dir.toString()));
        server.start();
        return server;
    }

    /** Runs the real redis-check-rdb, which must accept the file. */
    static void checkRdb(Path file) throws IOException, InterruptedException {
        Path tool = Binaries.require("redis-check-rdb");
        Process process = new ProcessBuilder(tool.toString(), file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("RDB looks OK!"), output);
    }
}
