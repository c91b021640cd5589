// The connection loop over real sockets: pipelining, protocol errors, MONITOR, CLIENT KILL, limits, SHUTDOWN.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aThousandPipelinedCommandsGetAThousandRepliesInOrder() throws IOException {
        try (RespConnection c = new RespConnection(server.port())) {
            c.call("SELECT", "5");
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                batch.append(RespConnection.encode("INCR", "pipelined"));
            }
            c.sendRaw(batch.toString());
            for (int i = 1; i <= 1000; i++) {
                assertEquals(":" + i + "\r\n", c.readReply());
            }
        }
    }

    @Test
    void aCommandSplitAcrossManyWritesIsExecutedOnce() throws Exception {
        try (RespConnection c = new RespConnection(server.port())) {
            String request = RespConnection.encode("ECHO", "split into single bytes");
            for (char ch : request.toCharArray()) {
                c.sendRaw(String.valueOf(ch));
            }
            assertEquals("$23\r\nsplit into single bytes\r\n", c.readReply());
        }
    }

    @Test
    void protocolErrorAnswersAfterTheGoodCommandsThenClosesOnlyThatConnection() throws IOException {
        try (RespConnection bystander = new RespConnection(server.port()); RespConnection c = new RespConnection(server.port())) {
            c.sendRaw("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$abc\r\nPING\r\n");
            assertEquals("+PONG\r\n+PONG\r\n-ERR Protocol error: invalid bulk length\r\n", c.readToEnd());
            assertEquals("+PONG\r\n", bystander.call("PING"));
        }
    }

    @Test
    void quitInAPipelineStopsTheRest() throws IOException {
        try (RespConnection c = new RespConnection(server.port())) {
            c.sendRaw(RespConnection.encode("PING") + RespConnection.encode("QUIT") + RespConnection.encode("PING"));
            assertEquals("+PONG\r\n+OK\r\n", c.readToEnd());
        }
    }

    @Test
    void monitorStreamsOtherClientsCommands() throws IOException {
        try (RespConnection monitor = new RespConnection(server.port()); RespConnection c = new RespConnection(server.port())) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            c.call("SET", "watched", "value");
            String line = monitor.readReply();
            assertTrue(line.matches("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+] \"SET\" \"watched\" \"value\"\r\n"), line);
        }
    }

    @Test
    void clientKillDisconnectsAnotherClient() throws IOException {
        try (RespConnection victim = new RespConnection(server.port()); RespConnection killer = new RespConnection(server.port())) {
            long id = Long.parseLong(victim.call("CLIENT", "ID").substring(1).trim());
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ID", String.valueOf(id)));
            assertEquals("", victim.readToEnd());
        }
    }

    @Test
    void debugSleepBlocksEveryoneBecauseCommandsAreAtomic() throws Exception {
        try (RespConnection sleeper = new RespConnection(server.port()); RespConnection other = new RespConnection(server.port())) {
            sleeper.send("DEBUG", "SLEEP", "0.3");
            Thread.sleep(50);
            long start = System.nanoTime();
            assertEquals("+PONG\r\n", other.call("PING"));
            assertTrue(System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(150));
            assertEquals("+OK\r\n", sleeper.readReply());
        }
    }

    @Test
    void maxclientsRejectsTheExtraConnectionWithRedisError() throws Exception {
        try (TestServer small = TestServer.start("--maxclients", "1");
             RespConnection first = new RespConnection(small.port());
             RespConnection second = new RespConnection(small.port())) {
            assertEquals("+PONG\r\n", first.call("PING"));
            assertEquals("-ERR max number of clients reached\r\n", second.readToEnd());
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (TestServer strict = TestServer.start("--timeout", "1", "--hz", "100");
             RespConnection idle = new RespConnection(strict.port())) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            assertEquals("", idle.readToEnd()); // closed by the cron after a second or so
        }
    }

    @Test
    void activeExpiryDeletesKeysNobodyReads() throws Exception {
        try (TestServer s = TestServer.start("--hz", "100"); RespConnection c = new RespConnection(s.port())) {
            for (int i = 0; i < 100; i++) {
                c.call("SET", "k" + i, "v", "PX", "50");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!c.call("DBSIZE").equals(":0\r\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(":0\r\n", c.call("DBSIZE"));
            assertTrue(c.call("INFO", "stats").contains("expired_keys:100\r\n"));
        }
    }

    @Test
    void shutdownClosesEveryConnectionAndStopsTheServer() throws Exception {
        TestServer doomed = TestServer.start();
        try (RespConnection other = new RespConnection(doomed.port()); RespConnection c = new RespConnection(doomed.port())) {
            other.call("PING");
            c.send("SHUTDOWN", "NOSAVE");
            assertEquals("", c.readToEnd());
            assertEquals("", other.readToEnd());
            doomed.server().awaitTermination();
        }
    }
}
