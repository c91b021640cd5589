// Cross-checks with a real redis-server 7.0: redis-check-aof accepts our AOF directory, Redis loads it, and we load Redis's.
package io.port6379.server.persistence;

import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofRealRedisTest {

    @TempDir
    Path dir;

    /** Every type in both encodings (from the RDB cross-check), then the AOF round trip's writes, each with a real clock. */
    private static Dataset writeWithARewriteInTheMiddle(AofHarness aof) throws InterruptedException {
        aof.now.set(System.currentTimeMillis());
        for (String[] command : RealRedisRdbTest.everyType()) {
            aof.run(command);
        }
        aof.rewriteAndWait();
        AofRoundTripTest.writeEverything(aof);
        return aof.dataset();
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void ourAofPassesRedisCheckAofAndLoadsIntoRedisWithEqualData(String preamble) throws Exception {
        Dataset expected;
        try (AofHarness aof = new AofHarness(dir, "--aof-use-rdb-preamble", preamble)) {
            expected = writeWithARewriteInTheMiddle(aof);
        }
        String report = checkAof(dir.resolve("appendonlydir").resolve("appendonly.aof.manifest"));
        assertTrue(report.contains("All AOF files and manifest are valid"), report);
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes");
             RespConnection client = new RespConnection(redis.port())) {
            awaitLoaded(client);
            assertEquals(expected, Dataset.read(client, 16));
        }
    }

    /** Redis accepts connections while it loads, answering -LOADING: wait until PING gets PONG. */
    private static void awaitLoaded(RespConnection client) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"PONG".equals(client.callParsed("PING"))) {
            assertTrue(System.nanoTime() < deadline, "redis-server did not finish loading within 10 s");
            Thread.sleep(10);
        }
    }

    @Test
    void anAofWrittenByRedisLoadsIntoOursWithEqualData() throws Exception {
        Dataset expected;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes");
             RespConnection client = new RespConnection(redis.port())) {
            RealRedisRdbTest.populate(client);
            assertEquals("Background append only file rewriting started", client.callParsed("BGREWRITEAOF"));
            while (!((String) client.callParsed("INFO", "persistence")).contains("aof_rewrite_in_progress:0")) {
                Thread.sleep(10);
            }
            for (String[] command : new String[][] {{"SET", "after", "rewrite"}, {"INCRBYFLOAT", "f", "1.5"},
                    {"SADD", "s", "a", "b", "c"}, {"SPOP", "s", "2"}, {"SET", "v", "1", "EX", "1000"},
                    {"MULTI"}, {"LPUSH", "tx", "1"}, {"LPUSH", "tx", "2"}, {"EXEC"}, {"DEL", "plain"}}) {
                client.callParsed(command);
            }
            expected = Dataset.read(client, 16);
        }
        try (AofHarness ours = new AofHarness(dir)) {
            assertEquals(expected, ours.dataset());
        }
    }

    @Test
    void redisCheckAofAcceptsOurFilesAfterSeveralRewritesAndRestarts() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (AofHarness aof = new AofHarness(dir)) {
                aof.run("RPUSH", "rounds", Integer.toString(round));
                aof.rewriteAndWait();
                aof.run("SET", "round", Integer.toString(round));
            }
        }
        String report = checkAof(dir.resolve("appendonlydir").resolve("appendonly.aof.manifest"));
        assertTrue(report.contains("All AOF files and manifest are valid"), report);
        assertTrue(report.contains("appendonly.aof.4.base.rdb"), report);
    }

    /** Runs the real redis-check-aof on a manifest; it must exit with status 0. Returns its report. */
    static String checkAof(Path manifest) throws IOException, InterruptedException {
        Path tool = Binaries.require("redis-check-aof");
        Process process = new ProcessBuilder(tool.toString(), manifest.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }
}
