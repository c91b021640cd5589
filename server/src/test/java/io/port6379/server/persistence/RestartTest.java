// Data survives a restart: SAVE or a saving SHUTDOWN, then a new server on the same directory loads it.
package io.port6379.server.persistence;

import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.server.config.ServerConfig;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartTest {

    @TempDir
    Path dir;

    @Test
    void savedDataIsLoadedByTheNextServerOnTheSameDirectory() throws Exception {
        Dataset before;
        try (RedisServer server = RealRedisRdbTest.startOurs(dir);
             RespConnection client = new RespConnection(server.port())) {
            RealRedisRdbTest.populate(client);
            before = Dataset.read(client, 16);
            assertEquals("OK", client.callParsed("SAVE"));
        }
        try (RedisServer server = RealRedisRdbTest.startOurs(dir);
             RespConnection client = new RespConnection(server.port())) {
            assertEquals(before, Dataset.read(client, 16));
            assertEquals(Long.toString(before.keyCount()), infoField(client, "rdb_last_load_keys_loaded"));
        }
    }

    @Test
    void shutdownSavesWhenSaveRulesAreSet() throws Exception {
        try (RedisServer server = startOurs("--save", "3600 1");
             RespConnection client = new RespConnection(server.port())) {
            client.callParsed("SET", "k", "v");
            client.send("SHUTDOWN");
            assertThrows(IOException.class, client::readParsed, "SHUTDOWN replies nothing: the connection closes");
        }
        try (RedisServer server = startOurs();
             RespConnection client = new RespConnection(server.port())) {
            assertEquals("v", client.callParsed("GET", "k"));
        }
    }

    @Test
    void shutdownNosaveAndNoSaveRulesWriteNothing() throws Exception {
        try (RedisServer server = startOurs("--save", "3600 1");
             RespConnection client = new RespConnection(server.port())) {
            client.callParsed("SET", "k", "v");
            client.send("SHUTDOWN", "NOSAVE");
            assertThrows(IOException.class, client::readParsed);
        }
        try (RedisServer server = startOurs();
             RespConnection client = new RespConnection(server.port())) {
            client.callParsed("SET", "k", "v");
        }
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
    }

    @Test
    void sigtermSavesWhenSaveRulesAreSet() throws Exception {
        try (RedisServer server = startOurs("--save", "60 1000");
             RespConnection client = new RespConnection(server.port())) {
            client.callParsed("RPUSH", "list", "a", "b");
            server.terminate(); // what the JVM's shutdown hook runs on SIGTERM
        }
        try (RedisServer server = startOurs();
             RespConnection client = new RespConnection(server.port())) {
            assertEquals(List.of("a", "b"), client.callParsed("LRANGE", "list", "0", "-1"));
        }
    }

    @Test
    void shutdownThatCannotSaveRefusesAndKeepsServing() throws Exception {
        try (RedisServer server = startOurs("--save", "3600 1");
             RespConnection client = new RespConnection(server.port())) {
            client.callParsed("SET", "k", "v");
            Files.delete(dir); // nowhere to write the file
            assertEquals(new RespConnection.Error("ERR Errors trying to SHUTDOWN. Check logs."), client.callParsed("SHUTDOWN"));
            assertEquals("v", client.callParsed("GET", "k"));
            Files.createDirectory(dir);
        }
    }

    @Test
    void aCorruptedFileStopsTheStartWithRedisMessageAndLoadsNothing() throws Exception {
        try (RedisServer server = startOurs();
             RespConnection client = new RespConnection(server.port())) {
            RealRedisRdbTest.populate(client);
            client.callParsed("SAVE");
        }
        Path file = dir.resolve("dump.rdb");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        RedisServer corrupted = Port6379.server(ServerConfig.fromArguments("--port", "0",
                "--bind", "127.0.0.1", "--dir", dir.toString()));
        IOException failure = assertThrows(IOException.class, corrupted::start);
        assertTrue(failure.getMessage().contains("aborting now"), failure.getMessage());
        assertEquals(0, corrupted.context().databases().totalKeys(), "nothing half-loaded");

        Files.write(file, Arrays.copyOf(bytes, bytes.length / 3));
        RedisServer truncated = Port6379.server(ServerConfig.fromArguments("--port", "0",
                "--bind", "127.0.0.1", "--dir", dir.toString()));
        failure = assertThrows(IOException.class, truncated::start);
        assertTrue(failure.getMessage().startsWith("Short read or OOM loading DB"), failure.getMessage());
        assertEquals(0, truncated.context().databases().totalKeys());
    }

    private RedisServer startOurs(String... extra) throws IOException {
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString()}, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        RedisServer server = Port6379.server(ServerConfig.fromArguments(args));
        server.start();
        return server;
    }

    private static String infoField(RespConnection client, String field) throws IOException {
        for (String line : ((String) client.callParsed("INFO", "persistence")).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no INFO field " + field);
    }
}
