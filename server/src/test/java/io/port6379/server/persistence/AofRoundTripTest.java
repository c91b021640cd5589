// Commands -> append-only file -> restart -> the same data: every type, expiries, databases, after rewrites, truncated tails.
package io.port6379.server.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofRoundTripTest {

    @TempDir
    Path dir;

    /** Writes of every type, in two databases, with relative and absolute expiries, overwrites and deletions. */
    static void writeEverything(AofHarness aof) {
        aof.run("SET", "string", "value");
        aof.run("SET", "binary", "a\r\nb\u0000c\u00ff");
        aof.run("SET", "counter", "10");
        aof.run("INCRBY", "counter", "5");
        aof.run("INCRBYFLOAT", "float", "2.5");
        aof.run("APPEND", "string", "-more");
        aof.run("SET", "volatile", "v", "EX", "1000");
        aof.run("RPUSH", "list", "a", "b", "c", "d");
        aof.run("LPOP", "list");
        aof.run("LSET", "list", "0", "B");
        aof.run("HSET", "hash", "f1", "v1", "f2", "v2", "f3", "v3");
        aof.run("HDEL", "hash", "f2");
        aof.run("HINCRBYFLOAT", "hash", "n", "0.25");
        aof.run("SADD", "set", "x", "y", "z", "w");
        aof.run("SPOP", "set");
        aof.run("SADD", "intset", "1", "2", "3");
        aof.run("ZADD", "zset", "1", "one", "2.5", "two", "-inf", "low", "inf", "high");
        aof.run("ZINCRBY", "zset", "0.1", "one");
        aof.run("PEXPIRE", "zset", "123456");
        aof.run("EXPIREAT", "hash", "1800000000");
        aof.run("SET", "gone", "soon");
        aof.run("DEL", "gone");
        aof.run("SELECT", "5");
        aof.run("SET", "in5", "five", "PX", "99999");
        aof.run("LPUSH", "list5", "q");
        aof.run("SELECT", "0");
        aof.run("MULTI");
        aof.run("SET", "tx1", "1");
        aof.run("SET", "tx2", "2");
        aof.run("EXEC");
    }

    private Dataset reopened() {
        try (AofHarness again = new AofHarness(dir)) {
            return again.dataset();
        }
    }

    @Test
    void replayRebuildsEveryTypeWithItsExpiry() {
        Dataset written;
        try (AofHarness aof = new AofHarness(dir)) {
            writeEverything(aof);
            written = aof.dataset();
        }
        assertEquals(14, written.keyCount());
        assertEquals(written, reopened());
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void aRewriteKeepsTheDataAndStartsNewParts(String preamble) throws Exception {
        Dataset written;
        try (AofHarness aof = new AofHarness(dir, "--aof-use-rdb-preamble", preamble)) {
            writeEverything(aof);
            aof.rewriteAndWait();
            aof.run("SET", "after", "rewrite");
            aof.run("DEL", "string");
            written = aof.dataset();
        }
        AofManifest manifest = AofDirectory.of(new AofHarness(dir).server.config()).readManifest();
        String extension = preamble.equals("yes") ? "rdb" : "aof";
        assertEquals(List.of(
                new AofManifest.Entry("appendonly.aof.2.base." + extension, 2, AofManifest.Type.BASE),
                new AofManifest.Entry("appendonly.aof.2.incr.aof", 2, AofManifest.Type.INCR)), manifest.entries());
        Path parts = dir.resolve("appendonlydir");
        assertFalse(Files.exists(parts.resolve("appendonly.aof.1.incr.aof")), "the old incremental file is deleted");
        assertFalse(Files.exists(parts.resolve("appendonly.aof.1.base.rdb")), "the old base is deleted");
        assertEquals(written, reopened());
    }

    @Test
    void theFirstStartWritesABaseAnEmptyIncrementalFileAndTheManifest() throws IOException {
        new AofHarness(dir).close();
        Path parts = dir.resolve("appendonlydir");
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(parts.resolve("appendonly.aof.manifest")));
        assertTrue(Files.readString(parts.resolve("appendonly.aof.1.base.rdb"), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("REDIS0010"));
        assertEquals(0, Files.size(parts.resolve("appendonly.aof.1.incr.aof")));
    }

    /** Writes two commands, then cuts {@code cut} bytes off the end of the incremental file. */
    private Path twoCommandsThenCut(int cut) {
        try (AofHarness aof = new AofHarness(dir)) {
            aof.run("SET", "first", "1");
            aof.run("SET", "second", "2");
        }
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        try (FileChannel file = FileChannel.open(incr, StandardOpenOption.WRITE)) {
            file.truncate(file.size() - cut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return incr;
    }

    @Test
    void aTruncatedTailIsCutAfterTheLastCompleteCommandByDefault() throws IOException {
        Path incr = twoCommandsThenCut(3);
        Dataset loaded = reopened();
        assertEquals(1, loaded.keyCount());
        assertEquals("1", loaded.databases.get(0).get("first").content());
        long expected = ("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n" + "*3\r\n$3\r\nSET\r\n$5\r\nfirst\r\n$1\r\n1\r\n").length();
        assertEquals(expected, Files.size(incr), "cut after the last complete command");
    }

    @Test
    void aTruncatedTailStopsTheStartWhenAofLoadTruncatedIsNo() {
        twoCommandsThenCut(3);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new AofHarness(dir, "--aof-load-truncated", "no"));
        assertEquals("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: "
                + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
                e.getCause().getMessage());
    }

    @Test
    void aTransactionWithoutExecAtTheEndIsDropped() throws IOException {
        try (AofHarness aof = new AofHarness(dir)) {
            aof.run("SET", "before", "1");
            aof.run("MULTI");
            aof.run("SET", "in", "1");
            aof.run("SET", "tx", "2");
            aof.run("EXEC");
        }
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        try (FileChannel file = FileChannel.open(incr, StandardOpenOption.WRITE)) {
            file.truncate(file.size() - "*1\r\n$4\r\nEXEC\r\n".length());
        }
        Dataset loaded = reopened();
        assertEquals(1, loaded.keyCount(), "only the command before MULTI");
    }

    @Test
    void turningTheAofOnAtRunTimeWritesTheDataSoFarAsTheBase() {
        Dataset written;
        try (AofHarness aof = new AofHarness(dir, "--appendonly", "no")) {
            aof.run("SET", "before", "on");
            aof.run("RPUSH", "list", "1", "2");
            assertEquals("+OK\r\n", aof.run("CONFIG", "SET", "appendonly", "yes"));
            aof.run("SET", "after", "on");
            written = aof.dataset();
        }
        assertEquals(3, written.keyCount());
        assertEquals(written, reopened());
    }

    @Test
    void infoPersistenceReportsTheAofAndConfigSetAppendonlyNoClosesIt() throws Exception {
        try (AofHarness aof = new AofHarness(dir)) {
            aof.run("SET", "k", "v");
            aof.rewriteAndWait();
            String info = aof.run("INFO", "persistence");
            for (String line : List.of("aof_enabled:1", "aof_rewrite_in_progress:0", "aof_last_bgrewrite_status:ok",
                    "aof_rewrites:2", "aof_last_write_status:ok", "aof_buffer_length:0")) {
                assertTrue(info.contains("\r\n" + line + "\r\n"), line + " in " + info);
            }
            assertEquals("+OK\r\n", aof.run("CONFIG", "SET", "appendonly", "no"));
            assertTrue(aof.run("INFO", "persistence").contains("\r\naof_enabled:0\r\n"));
            aof.run("SET", "not", "recorded");
        }
        assertEquals(1, reopened().keyCount(), "only the key written while the AOF was on");
    }

    @Test
    void theFileRewritesItselfWhenItHasGrownByAutoAofRewritePercentage() throws Exception {
        try (AofHarness aof = new AofHarness(dir, "--auto-aof-rewrite-min-size", "1kb", "--auto-aof-rewrite-percentage", "100")) {
            for (int i = 0; i < 200; i++) {
                aof.run("INCR", "counter"); // 200 commands for one small key: the base will be far smaller
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!aof.run("INFO", "persistence").contains("\r\naof_rewrites:2\r\n")) {
                assertTrue(System.nanoTime() < deadline, "no automatic rewrite within 5 s");
                Thread.sleep(50);
            }
            assertEquals(2, AofDirectory.of(aof.server.config()).readManifest().baseSeq(), "a second base replaced the first");
        }
        assertEquals("200", reopened().databases.get(0).get("counter").content());
    }

    @Test
    void aFileThatIsNotCommandsStopsTheStartWithRedisMessage() throws IOException {
        new AofHarness(dir).close();
        Files.writeString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"), "*2\r\n$3\r\nDEL\r\n:1\r\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new AofHarness(dir));
        assertEquals("Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF "
                + "file, then use ./redis-check-aof --fix <filename.manifest>", e.getCause().getMessage());
    }

    @Test
    void aFileTheManifestListsButTheDirectoryLacksStopsTheStart() throws IOException {
        new AofHarness(dir).close();
        Files.delete(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new AofHarness(dir));
        assertEquals("Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory",
                e.getCause().getMessage()); // redis-server 7.0.15's words
    }
}
