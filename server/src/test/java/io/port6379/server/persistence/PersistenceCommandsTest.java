// SAVE, BGSAVE, LASTSAVE, the save rules and INFO persistence, run without sockets.
package io.port6379.server.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistenceCommandsTest {

    @TempDir
    Path dir;

    @Test
    void saveWritesTheFileAndUpdatesLastsave() throws IOException {
        InProcessServer redis = new InProcessServer(dir);
        assertEquals(":1700000000\r\n", redis.run("LASTSAVE")); // start-up time until the first save
        redis.run("SET", "k", "v");
        assertEquals("1", redis.info("rdb_changes_since_last_save"));
        redis.now.addAndGet(5000);
        assertEquals("+OK\r\n", redis.run("SAVE"));
        assertEquals(":1700000005\r\n", redis.run("LASTSAVE"));
        assertEquals("0", redis.info("rdb_changes_since_last_save"));
        assertEquals("1", redis.info("rdb_saves"));
        assertTrue(Files.size(dir.resolve("dump.rdb")) > 9);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void saveIntoAMissingDirectoryAnswersBareErr() throws IOException {
        InProcessServer redis = new InProcessServer(dir);
        redis.run("CONFIG", "SET", "dbfilename", "dump.rdb");
        Files.delete(dir);
        assertEquals("-ERR\r\n", redis.run("SAVE"));
    }

    @Test
    void bgsaveStartsAndRefusesASecondOneWhileRunning() throws Exception {
        InProcessServer redis = new InProcessServer(dir);
        redis.server.executionLock().lock(); // hold the writer at its final bookkeeping
        try {
            assertEquals("+Background saving started\r\n", redis.run("BGSAVE"));
            assertEquals("-ERR Background save already in progress\r\n", redis.run("BGSAVE"));
            assertEquals("-ERR Background save already in progress\r\n", redis.run("SAVE"));
            assertEquals("1", redis.info("rdb_bgsave_in_progress"));
        } finally {
            redis.server.executionLock().unlock();
        }
        RdbSaver.of(redis.server).awaitBackgroundSave();
        assertEquals("0", redis.info("rdb_bgsave_in_progress"));
        assertEquals("ok", redis.info("rdb_last_bgsave_status"));
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }

    @Test
    void bgsaveDuringAnAofRewriteIsRefusedUnlessScheduled() throws Exception {
        InProcessServer redis = new InProcessServer(dir, "--appendonly", "yes");
        StartupLoader.load(redis.server); // opens the append-only file
        redis.run("SET", "k", "v");
        redis.server.executionLock().lock(); // the rewrite cannot finish meanwhile
        try {
            redis.run("BGREWRITEAOF");
            assertTrue(RdbSaver.of(redis.server).aofRewriteInProgress());
            assertEquals("-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE "
                    + "in order to schedule a BGSAVE whenever possible.\r\n", redis.run("BGSAVE"));
            assertEquals("+Background saving scheduled\r\n", redis.run("BGSAVE", "SCHEDULE"));
        } finally {
            redis.server.executionLock().unlock();
        }
        while (underLock(redis, () -> RdbSaver.of(redis.server).aofRewriteInProgress())) {
            Thread.sleep(10);
        }
        runCron(redis); // the scheduled save starts once the rewrite is over
        RdbSaver.of(redis.server).awaitBackgroundSave();
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
        underLock(redis, () -> {
            AppendOnlyFile.of(redis.server).close(); // before the temporary directory is deleted
            return true;
        });
    }

    private static boolean underLock(InProcessServer redis, BooleanSupplier action) {
        redis.server.executionLock().lock();
        try {
            return action.getAsBoolean();
        } finally {
            redis.server.executionLock().unlock();
        }
    }

    @Test
    void bgsaveWithAnUnknownArgumentIsASyntaxError() {
        assertEquals("-ERR syntax error\r\n", new InProcessServer(dir).run("BGSAVE", "NOW"));
    }

    @Test
    void bgsaveInsideExecIsScheduledForTheCron() throws Exception {
        InProcessServer redis = new InProcessServer(dir);
        redis.run("MULTI");
        redis.run("SET", "k", "v");
        redis.run("BGSAVE");
        assertEquals("*2\r\n+OK\r\n+Background saving scheduled\r\n", redis.run("EXEC"));
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
        runCron(redis);
        RdbSaver.of(redis.server).awaitBackgroundSave();
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }

    @Test
    void saveRulesStartABackgroundSaveOnceEnoughChangesAreOldEnough() throws Exception {
        InProcessServer redis = new InProcessServer(dir, "--save", "10 2");
        redis.run("SET", "a", "1");
        redis.now.addAndGet(11_000);
        runCron(redis);
        assertEquals("0", redis.info("rdb_bgsave_in_progress"), "one change is not enough");
        redis.run("SET", "b", "2");
        runCron(redis);
        RdbSaver.of(redis.server).awaitBackgroundSave();
        assertEquals("1", redis.info("rdb_saves"));
        assertEquals("0", redis.info("rdb_changes_since_last_save"));
        assertEquals(String.valueOf(redis.now.get() / 1000), redis.info("rdb_last_save_time"));
    }

    @Test
    void flushallWithSaveRulesSavesTheEmptyDatasetAtOnce() throws IOException {
        InProcessServer redis = new InProcessServer(dir, "--save", "3600 1");
        redis.run("SET", "k", "v");
        redis.run("SAVE");
        redis.run("FLUSHALL");
        assertEquals(0, RdbRoundTripProperties.read(Files.readAllBytes(dir.resolve("dump.rdb"))).keyCount());
    }

    @Test
    void flushallCancelsARunningBgsaveWhoseFileWouldBringTheDataBack() throws Exception {
        InProcessServer redis = new InProcessServer(dir);
        redis.run("SET", "k", "v");
        redis.server.executionLock().lock(); // the writer cannot finish before FLUSHALL
        try {
            redis.run("BGSAVE");
            redis.run("FLUSHALL");
        } finally {
            redis.server.executionLock().unlock();
        }
        RdbSaver.of(redis.server).awaitBackgroundSave();
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the cancelled save's temporary file is deleted");
        }
    }

    @Test
    void infoPersistenceHasRedisFieldsInRedisOrder() {
        String info = new InProcessServer(dir).run("INFO", "persistence");
        String[] fields = {"loading:0", "async_loading:0", "rdb_changes_since_last_save:0", "rdb_bgsave_in_progress:0",
                "rdb_last_save_time:1700000000", "rdb_last_bgsave_status:ok", "rdb_last_bgsave_time_sec:-1",
                "rdb_current_bgsave_time_sec:-1", "rdb_saves:0"};
        int at = 0;
        for (String field : fields) {
            int found = info.indexOf("\r\n" + field + "\r\n");
            assertTrue(found > at, field + " in order in " + info);
            at = found;
        }
    }

    private static void runCron(InProcessServer redis) {
        redis.server.executionLock().lock();
        try {
            RdbSaver.of(redis.server).cron();
        } finally {
            redis.server.executionLock().unlock();
        }
    }
}
