// The embedding API: start on a free port, independent servers in one JVM, reset, graceful and immediate stops.
package io.port6379.server.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedServerTest {

    @Test
    void portZeroStartsOnAFreePortThatIsReadBack() {
        try (EmbeddedServer server = EmbeddedServer.start(); Jedis jedis = new Jedis(server.host(), server.port())) {
            assertNotEquals(0, server.port());
            assertEquals("PONG", jedis.ping());
            assertEquals("redis://127.0.0.1:" + server.port(), server.uri().toString());
            assertEquals(String.valueOf(server.port()), jedis.configGet("port").get("port"));
        }
    }

    @Test
    void parametersHaveTheirRedisConfNames(@TempDir Path dir) {
        // its own directory: a dump.rdb another test left in the working directory must not be loaded here
        try (EmbeddedServer server = EmbeddedServer.builder().config("maxmemory", "10mb")
                .config("maxmemory-policy", "allkeys-lru").config("databases", "4").config("dir", dir.toString()).start();
             Jedis jedis = new Jedis(server.host(), server.port())) {
            assertEquals("10485760", jedis.configGet("maxmemory").get("maxmemory"));
            assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
            assertThrows(Exception.class, () -> jedis.select(4));
        }
    }

    @Test
    void anUnknownParameterIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedServer.builder().config("no-such-thing", "1").start());
    }

    @Test
    void serversInOneJvmKeepTheirOwnLimitsAndData() {
        try (EmbeddedServer small = EmbeddedServer.builder().config("hash-max-listpack-entries", "1")
                .config("proto-max-bulk-len", "1mb").config("set-max-intset-entries", "2")
                .config("zset-max-listpack-entries", "1").config("hll-sparse-max-bytes", "0").start();
             EmbeddedServer standard = EmbeddedServer.start();
             Jedis a = new Jedis(small.host(), small.port()); Jedis b = new Jedis(standard.host(), standard.port())) {
            for (Jedis jedis : new Jedis[] {a, b}) {
                jedis.hset("h", "f1", "v");
                jedis.hset("h", "f2", "v");
                jedis.sadd("s", "1", "2", "3");
                jedis.zadd("z", 1, "a");
                jedis.zadd("z", 2, "b");
                jedis.pfadd("hll", "a", "b", "c");
            }
            assertEquals("hashtable", a.objectEncoding("h"));
            assertEquals("listpack", b.objectEncoding("h"));
            assertEquals("hashtable", a.objectEncoding("s"));
            assertEquals("intset", b.objectEncoding("s"));
            assertEquals("skiplist", a.objectEncoding("z"));
            assertEquals("listpack", b.objectEncoding("z"));
            redis.clients.jedis.commands.ProtocolCommand pfdebug = () -> "PFDEBUG".getBytes();
            assertEquals("dense", new String((byte[]) a.sendCommand(pfdebug, "encoding", "hll")), "hll-sparse-max-bytes 0");
            assertEquals("sparse", new String((byte[]) b.sendCommand(pfdebug, "encoding", "hll")));
            a.set("k", "x");
            b.set("k", "x");
            assertThrows(Exception.class, () -> a.setrange("k", 2_000_000, "y"));
            assertEquals(2_000_001, b.setrange("k", 2_000_000, "y"));
            assertNull(a.get("absent"));
        }
    }

    @Test
    void resetFlushesTheDataAndPutsEveryParameterBack() {
        try (EmbeddedServer server = EmbeddedServer.builder().config("maxmemory", "20mb").start();
             Jedis jedis = new Jedis(server.host(), server.port())) {
            jedis.set("k", "v");
            jedis.select(3);
            jedis.set("k3", "v");
            jedis.configSet("maxmemory", "30mb");
            jedis.configSet("hash-max-listpack-entries", "1");
            jedis.scriptLoad("return 1");
            server.reset();
            assertEquals(0, jedis.dbSize());
            jedis.select(0);
            assertEquals(0, jedis.dbSize());
            assertEquals("20971520", jedis.configGet("maxmemory").get("maxmemory"));
            assertEquals("512", jedis.configGet("hash-max-listpack-entries").get("hash-max-listpack-entries"));
            jedis.hset("h", "a", "1");
            jedis.hset("h", "b", "2");
            assertEquals("listpack", jedis.objectEncoding("h"), "the limits are back too");
            assertEquals("PONG", jedis.ping(), "the client stays connected");
        }
    }

    @Test
    void stopFreesThePortAtOnce() throws IOException {
        EmbeddedServer server = EmbeddedServer.start();
        int port = server.port();
        server.stop();
        assertTrue(server.isStopped());
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        server.stop(); // idempotent
    }

    @Test
    void aGracefulStopSavesAndAnImmediateOneDoesNot() throws IOException {
        Path directory = Files.createTempDirectory("port6379-test");
        try {
            EmbeddedServer graceful = EmbeddedServer.builder().config("dir", directory.toString()).config("save", "3600 1")
                    .start();
            try (Jedis jedis = new Jedis(graceful.host(), graceful.port())) {
                jedis.set("k", "v");
            }
            graceful.stop();
            assertTrue(Files.size(directory.resolve("dump.rdb")) > 0, "SHUTDOWN's save wrote dump.rdb");
            Files.delete(directory.resolve("dump.rdb"));

            EmbeddedServer immediate = EmbeddedServer.builder().config("dir", directory.toString()).config("save", "3600 1")
                    .start();
            try (Jedis jedis = new Jedis(immediate.host(), immediate.port())) {
                jedis.set("k", "v");
            }
            immediate.stopNow();
            assertFalse(Files.exists(directory.resolve("dump.rdb")), "SHUTDOWN NOSAVE wrote nothing");
        } finally {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    @Test
    void aTemporaryDataDirectoryKeepsTheFilesUntilTheStop() throws IOException {
        EmbeddedServer server = EmbeddedServer.builder().temporaryDataDirectory().config("appendonly", "yes").start();
        Path directory = server.dataDirectory();
        try (Jedis jedis = new Jedis(server.host(), server.port())) {
            jedis.set("k", "v");
            assertEquals(directory.toString(), jedis.configGet("dir").get("dir"));
            jedis.save();
        }
        assertTrue(Files.exists(directory.resolve("dump.rdb")));
        assertTrue(Files.isDirectory(directory.resolve("appendonlydir")));
        server.stop();
        assertFalse(Files.exists(directory), "removed with its files");
    }

    @Test
    void startingAndStoppingWritesNothingToStandardOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            EmbeddedServer.start().close();
        } finally {
            System.setOut(original);
        }
        assertEquals("", captured.toString());
    }

    @Test
    void shutdownFromAClientStopsTheServer() {
        EmbeddedServer server = EmbeddedServer.start();
        try (Jedis jedis = new Jedis(server.host(), server.port())) {
            jedis.shutdown();
        } catch (Exception expected) {
            // the connection closes under the client
        }
        assertTrue(server.isStopped());
        server.close();
    }
}
