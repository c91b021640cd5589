// BGREWRITEAOF works from a copy-on-write snapshot: its base is point-in-time, and writes made meanwhile land once.
package io.port6379.server.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofRewriteTest {

    private static final int KEYS = 200;

    @TempDir
    Path dir;

    /** Every type, some keys with an expiry. */
    private static void fill(AofHarness aof) {
        for (int i = 0; i < KEYS; i++) {
            aof.run("SET", "counter:" + i, "0");
            aof.run("RPUSH", "list:" + i, "a", "b", "c");
            aof.run("HSET", "hash:" + i, "f", "v", "n", "0");
            aof.run("SADD", "set:" + i, "m1", "m2");
            aof.run("ZADD", "zset:" + i, "1", "one", "2", "two");
            if (i % 10 == 0) {
                aof.run("EXPIRE", "zset:" + i, "5000");
            }
        }
    }

    /**
     * Changes every other group of keys with commands that are not idempotent (INCR, RPUSH, HINCRBY, ZINCRBY): a
     * change lost or replayed twice after the restart shows in the values.
     */
    private static void change(AofHarness aof, int half) {
        for (int i = half; i < KEYS; i += 2) {
            aof.run("INCR", "counter:" + i);
            aof.run("RPUSH", "list:" + i, "late");
            aof.run("HINCRBY", "hash:" + i, "n", "1");
            aof.run("SADD", "set:" + i, "late");
            aof.run("ZINCRBY", "zset:" + i, "1", "one");
            aof.run("SET", "new:" + i, "added");
            aof.run("EXPIRE", "counter:" + i, "1000");
        }
        aof.run("DEL", "list:" + half);
    }

    private static void awaitRewrite(AofHarness aof) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            if (aof.locked(() -> !RdbSaver.of(aof.server).aofRewriteInProgress() && !RdbSaver.of(aof.server).aofRewriteScheduled())) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the rewrite did not finish within 10 s");
            Thread.sleep(10);
        }
    }

    /** The data a server started afresh on the directory's files loads, once {@code aof} has closed them. */
    private Dataset reloaded(AofHarness aof) {
        aof.close();
        try (AofHarness reopened = new AofHarness(dir)) {
            return reopened.dataset();
        }
    }

    /** The data the current base holds on its own: copied into a directory whose manifest lists only it. */
    private Dataset baseAlone() throws IOException {
        AofDirectory directory = new AofDirectory(dir.resolve("appendonlydir"), "appendonly.aof");
        AofManifest.Entry base = directory.readManifest().base().orElseThrow();
        Path other = dir.resolve("base-alone");
        AofDirectory copy = new AofDirectory(other.resolve("appendonlydir"), "appendonly.aof");
        Files.createDirectories(copy.root());
        Files.copy(directory.path(base.file()), copy.path(base.file()));
        Files.writeString(copy.manifestPath(), new AofManifest(List.of(base)).format());
        try (AofHarness alone = new AofHarness(other)) {
            return alone.dataset();
        }
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void writesDuringARewriteAreInTheIncrementalFileOnceAndTheBaseIsPointInTime(String preamble) throws Exception {
        Dataset atStart;
        Dataset atEnd;
        try (AofHarness aof = new AofHarness(dir, "--aof-use-rdb-preamble", preamble)) {
            fill(aof);
            atStart = aof.dataset();
            // Holding the execution lock (reentrant: commands take it again) keeps the rewrite from freezing any
            // collection or installing its base, so the first half of the changes surely overlaps it; the
            // second half races with its thread, as real clients do.
            aof.locked(() -> {
                assertEquals("+Background append only file rewriting started\r\n", aof.run("BGREWRITEAOF"));
                assertEquals("-ERR Background append only file rewriting already in progress\r\n", aof.run("BGREWRITEAOF"));
                change(aof, 0);
            });
            change(aof, 1);
            awaitRewrite(aof);
            assertTrue(aof.run("INFO", "persistence").contains("\r\naof_last_bgrewrite_status:ok\r\n"));
            atEnd = aof.dataset();
        }
        assertEquals(atStart, baseAlone(), "the base holds the data as it was when BGREWRITEAOF started");
        try (AofHarness reopened = new AofHarness(dir)) {
            assertEquals(atEnd, reopened.dataset(), "base + incremental file = every write, each once");
        }
    }

    @Test
    void bgrewriteaofDuringABgsaveIsScheduledAndTheCronStartsItWhenTheSaveEnds() throws Exception {
        try (AofHarness aof = new AofHarness(dir)) {
            fill(aof);
            aof.locked(() -> {
                assertEquals("+Background saving started\r\n", aof.run("BGSAVE"));
                assertEquals("+Background append only file rewriting scheduled\r\n", aof.run("BGREWRITEAOF"));
                assertEquals("+Background append only file rewriting scheduled\r\n", aof.run("BGREWRITEAOF"));
                String info = aof.run("INFO", "persistence");
                assertTrue(info.contains("\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:1\r\n"), info);
                change(aof, 0);
            });
            RdbSaver.of(aof.server).awaitBackgroundSave();
            aof.locked(() -> {
                RdbSaver.of(aof.server).cron();
                assertTrue(RdbSaver.of(aof.server).aofRewriteInProgress(), "the cron started the scheduled rewrite");
                assertEquals("-ERR Another child process is active (AOF?): can't BGSAVE right now. "
                        + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n", aof.run("BGSAVE"));
                change(aof, 1);
            });
            awaitRewrite(aof);
            String info = aof.run("INFO", "persistence");
            assertTrue(info.contains("\r\naof_rewrite_scheduled:0\r\n") && info.contains("\r\naof_rewrites:2\r\n"), info);
            assertEquals(aof.dataset(), reloaded(aof));
        }
    }

    @Test
    void bgrewriteaofInsideExecIsScheduledSoTheTransactionIsNotSplit() throws Exception {
        try (AofHarness aof = new AofHarness(dir)) {
            aof.run("SET", "counter", "0");
            aof.run("MULTI");
            aof.run("INCR", "counter");
            aof.run("BGREWRITEAOF");
            aof.run("INCR", "counter");
            assertEquals("*3\r\n:1\r\n+Background append only file rewriting scheduled\r\n:2\r\n", aof.run("EXEC"));
            aof.locked(() -> {
                RdbSaver.of(aof.server).cron();
            });
            awaitRewrite(aof);
            assertEquals("$1\r\n2\r\n", aof.run("GET", "counter"));
            assertEquals(aof.dataset(), reloaded(aof));
        }
    }

    @Test
    void configSetAppendonlyYesAnswersAtOnceAndWritesTheFirstBaseInTheBackground() throws Exception {
        try (AofHarness aof = new AofHarness(dir, "--appendonly", "no")) {
            fill(aof);
            aof.locked(() -> {
                assertEquals("+OK\r\n", aof.run("CONFIG", "SET", "appendonly", "yes"));
                String info = aof.run("INFO", "persistence");
                assertTrue(info.contains("\r\naof_enabled:1\r\n") && info.contains("\r\naof_rewrite_in_progress:1\r\n"), info);
                assertNull(AofDirectory.of(aof.server.config()).readManifest(), "listed only with its base");
                change(aof, 0);
            });
            change(aof, 1);
            awaitRewrite(aof);
            assertEquals(aof.dataset(), reloaded(aof));
        }
    }

    @Test
    void configSetAppendonlyYesDuringABgsaveSchedulesTheFirstBase() throws Exception {
        try (AofHarness aof = new AofHarness(dir, "--appendonly", "no")) {
            fill(aof);
            aof.locked(() -> {
                assertEquals("+Background saving started\r\n", aof.run("BGSAVE"));
                assertEquals("+OK\r\n", aof.run("CONFIG", "SET", "appendonly", "yes"));
                String info = aof.run("INFO", "persistence");
                assertTrue(info.contains("\r\naof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:1\r\n"), info);
                change(aof, 0);
            });
            RdbSaver.of(aof.server).awaitBackgroundSave();
            aof.locked(() -> {
                RdbSaver.of(aof.server).cron();
            });
            change(aof, 1);
            awaitRewrite(aof);
            assertEquals(aof.dataset(), reloaded(aof));
        }
    }

    @Test
    void aShutdownBeforeTheFirstBaseIsInstalledWritesItFirst() throws Exception {
        AofHarness aof = new AofHarness(dir, "--appendonly", "no");
        fill(aof);
        Dataset atEnd = aof.locked(() -> {
            assertEquals("+OK\r\n", aof.run("CONFIG", "SET", "appendonly", "yes"));
            change(aof, 0);
            Dataset data = aof.dataset();
            aof.close();
            return data;
        });
        try (AofHarness reopened = new AofHarness(dir)) {
            assertEquals(atEnd, reopened.dataset());
        }
    }
}
