// MISCONF: writes refused while the data cannot be saved (a failed BGSAVE, a failed AOF write), on both servers.
package io.port6379.server.persistence;

import io.port6379.server.TestServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disk is made to fail in ways that stop root too (the tests may run as root, for whom file modes are no
 * obstacle): a directory where the RDB file should be renamed to, and {@code /dev/full} (every write fails with
 * {@code No space left on device}) where the append-only file's next incremental file will be opened.
 */
class MisconfTest {

    @Test
    void aFailedBgsaveRefusesWritesAndPingUntilASaveSucceeds() throws Exception {
        Binaries.require("redis-server");
        Path oursDir = Files.createTempDirectory("misconf");
        try (RealRedis redis = RealRedis.start("--save", "3600 1");
             TestServer ours = TestServer.start("--save", "3600 1", "--dir", oursDir.toString())) {
            assertEquals(bgsaveScenario(redis.port()), bgsaveScenario(ours.port()));
            assertTrue(bgsaveScenario(ours.port()).contains("SET k v -> -MISCONF Redis is configured to save RDB snapshots"));
        } finally {
            delete(oursDir);
        }
    }

    /**
     * A transaction queued before the save failed: EXEC counts as a write when its queue holds one, and is refused
     * with {@code EXECABORT Transaction discarded because of: MISCONF ...}, the transaction discarded; a queue of
     * reads and PING (a PING is refused only when it is itself the command) is still executed. A transaction that
     * queues a write after the failure gets MISCONF for it and {@code EXECABORT ... previous errors} at EXEC.
     */
    @Test
    void execOfAQueuedWriteIsRefusedOnceASaveFailed() throws Exception {
        Binaries.require("redis-server");
        Path oursDir = Files.createTempDirectory("misconf-exec");
        try (RealRedis redis = RealRedis.start("--save", "3600 1");
             TestServer ours = TestServer.start("--save", "3600 1", "--dir", oursDir.toString())) {
            String oursOutput = execScenario(ours.port());
            assertEquals(execScenario(redis.port()), oursOutput);
            assertTrue(oursOutput.contains("EXEC -> -EXECABORT Transaction discarded because of: MISCONF Redis is configured"));
            assertTrue(oursOutput.contains("EXEC -> *2\r\n+PONG\r\n$-1\r\n"));
        } finally {
            delete(oursDir);
        }
    }

    private static String execScenario(int port) throws Exception {
        try (RespConnection c = new RespConnection(port); RespConnection writer = new RespConnection(port);
             RespConnection reader = new RespConnection(port)) {
            Path blocker = Path.of(parsedConfig(c, "dir")).resolve("dump.rdb");
            Files.deleteIfExists(blocker);
            StringBuilder out = new StringBuilder();
            out.append(call(writer, "MULTI")).append(call(writer, "SET", "k", "v")).append(call(writer, "GET", "k"));
            out.append(call(reader, "MULTI")).append(call(reader, "PING")).append(call(reader, "GET", "k"));
            Files.createDirectory(blocker);
            out.append(call(c, "BGSAVE"));
            awaitInfo(c, "rdb_last_bgsave_status:err");
            out.append(call(writer, "EXEC")).append(call(writer, "EXEC")).append(call(reader, "EXEC"));
            out.append(call(writer, "MULTI")).append(call(writer, "INCR", "n")).append(call(writer, "GET", "k"))
                    .append(call(writer, "EXEC")).append(call(c, "EXISTS", "k", "n"));
            Files.delete(blocker);
            out.append(call(c, "BGSAVE"));
            awaitInfo(c, "rdb_last_bgsave_status:ok");
            out.append(call(writer, "MULTI")).append(call(writer, "INCR", "n")).append(call(writer, "EXEC"));
            return out.toString();
        }
    }

    private static String bgsaveScenario(int port) throws Exception {
        try (RespConnection c = new RespConnection(port)) {
            Path dir = Path.of(parsedConfig(c, "dir"));
            Path blocker = dir.resolve("dump.rdb");
            Files.deleteIfExists(blocker);
            Files.createDirectory(blocker); // the rename of the finished snapshot onto it fails
            StringBuilder out = new StringBuilder();
            out.append(call(c, "SET", "k", "before")).append(call(c, "BGSAVE"));
            awaitInfo(c, "rdb_last_bgsave_status:err");
            out.append(call(c, "SET", "k", "v")).append(call(c, "PING")).append(call(c, "GET", "k"))
                    .append(call(c, "MULTI")).append(call(c, "INCR", "n")).append(call(c, "EXEC"))
                    .append(call(c, "CONFIG", "SET", "stop-writes-on-bgsave-error", "no")).append(call(c, "SET", "k", "v2"))
                    .append(call(c, "CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")).append(call(c, "DEL", "k"))
                    .append(call(c, "CONFIG", "SET", "save", "")).append(call(c, "DEL", "k"))
                    .append(call(c, "CONFIG", "SET", "save", "3600 1")).append(call(c, "DEL", "k"));
            Files.delete(blocker);
            out.append(call(c, "BGSAVE"));
            awaitInfo(c, "rdb_last_bgsave_status:ok");
            out.append(call(c, "DEL", "k")).append(call(c, "PING"));
            return out.toString();
        }
    }

    @Test
    void aFailedAppendOnlyWriteRefusesWritesUntilAWriteSucceeds() throws Exception {
        Binaries.require("redis-server");
        Path oursDir = Files.createTempDirectory("misconf-aof");
        try (RealRedis redis = RealRedis.start("--appendonly", "yes");
             TestServer ours = TestServer.start("--appendonly", "yes", "--dir", oursDir.toString())) {
            assertEquals(aofScenario(redis.port()), aofScenario(ours.port()));
            assertTrue(aofScenario(ours.port()).contains("-MISCONF Errors writing to the AOF file: No space left on device"));
        } finally {
            delete(oursDir);
        }
    }

    private static String aofScenario(int port) throws Exception {
        try (RespConnection c = new RespConnection(port)) {
            Path aofDir = Path.of(parsedConfig(c, "dir")).resolve(parsedConfig(c, "appenddirname"));
            awaitInfo(c, "aof_rewrite_in_progress:0");
            String next = nextIncrementalFile(aofDir);
            Files.createSymbolicLink(aofDir.resolve(next), Path.of("/dev/full"));
            StringBuilder out = new StringBuilder();
            out.append(call(c, "BGREWRITEAOF"));
            awaitInfo(c, "aof_rewrite_in_progress:0");
            try (RespConnection queued = new RespConnection(port)) {
                out.append(call(queued, "MULTI")).append(call(queued, "INCR", "n"));
                c.call("SET", "a", "1"); // its write fails: the reply may leave before the failure is known
                awaitInfo(c, "aof_last_write_status:err");
                out.append(call(queued, "EXEC")); // queued before the failure, refused at EXEC
            }
            out.append(call(c, "SET", "b", "2")).append(call(c, "PING")).append(call(c, "GET", "a"));
            out.append(call(c, "BGREWRITEAOF")); // a new incremental file, on the real disk
            awaitInfo(c, "aof_last_write_status:ok");
            out.append(call(c, "SET", "c", "3")).append(call(c, "PING"));
            return out.toString();
        }
    }

    /** The manifest's incremental file with the next sequence number: appendonly.aof.2.incr.aof after .1. */
    private static String nextIncrementalFile(Path aofDir) throws IOException {
        int highest = 0;
        try (Stream<Path> files = Files.list(aofDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".incr.aof") || name.endsWith(".base.rdb") || name.endsWith(".base.aof")) {
                    String[] parts = name.split("\\.");
                    highest = Math.max(highest, Integer.parseInt(parts[parts.length - 3]));
                }
            }
        }
        return "appendonly.aof." + (highest + 1) + ".incr.aof";
    }

    private static String call(RespConnection c, String... command) throws IOException {
        return String.join(" ", command) + " -> " + c.call(command) + "\n";
    }

    private static String parsedConfig(RespConnection c, String name) throws IOException {
        return (String) ((List<?>) c.callParsed("CONFIG", "GET", name)).get(1);
    }

    private static void awaitInfo(RespConnection c, String line) throws Exception {
        for (int i = 0; i < 1000; i++) {
            if (c.call("INFO", "persistence").contains(line + "\r\n")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("INFO persistence never showed " + line);
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList())) {
                Files.deleteIfExists(file);
            }
        }
    }
}
