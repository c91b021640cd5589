// RealRedis: a redis-server that is ready when start returns, whatever its options, and gone after close.
package io.port6379.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealRedisTest {

    @Test
    void aServerStartedWithAPasswordIsReadyAndAsksForIt() throws Exception {
        try (RealRedis redis = RealRedis.start("--requirepass", "secret");
             RespConnection connection = new RespConnection(redis.port())) {
            assertEquals("-NOAUTH Authentication required.\r\n", connection.call("PING"));
            assertEquals("+OK\r\n", connection.call("AUTH", "secret"));
            assertEquals(":0\r\n", connection.call("DBSIZE"));
        }
    }

    @Test
    void twoServersListenOnTwoPortsAndNeitherSaves() throws Exception {
        try (RealRedis one = RealRedis.start(); RealRedis two = RealRedis.start();
             RespConnection connection = new RespConnection(one.port())) {
            assertNotEquals(one.port(), two.port());
            assertEquals(List.of("save", ""), connection.callParsed("CONFIG", "GET", "save"));
            assertEquals(List.of("appendonly", "no"), connection.callParsed("CONFIG", "GET", "appendonly"));
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() throws Exception {
        RealRedis redis = RealRedis.start();
        Path directory;
        try (RespConnection connection = new RespConnection(redis.port())) {
            directory = Path.of((String) ((List<?>) connection.callParsed("CONFIG", "GET", "dir")).get(1));
            assertTrue(Files.isDirectory(directory));
        }
        redis.close();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", redis.port()).close());
        assertFalse(Files.exists(directory));
    }

    @Test
    void anOptionRedisRefusesFailsTheStartWithRedissOwnExplanation() {
        IOException failure = assertThrows(IOException.class, () -> RealRedis.start("--no-such-option", "1"));
        assertTrue(failure.getMessage().contains("Bad directive or wrong number of arguments"), failure.getMessage());
    }
}
