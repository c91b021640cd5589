// Resource limits: each test crosses one limit with one client and shows that the server still serves the others.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsTest {

    private static void stillServes(TestServer server) throws IOException {
        try (RespConnection other = new RespConnection(server.port())) {
            assertEquals("+PONG\r\n", other.call("PING"));
        }
    }

    private static void awaitClients(TestServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.server().context().clients().size() > count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, server.server().context().clients().size());
    }

    @Test
    void maxclientsRefusesTheExtraClientAndKeepsServingTheOthers() throws Exception {
        try (TestServer server = TestServer.start("--maxclients", "2");
             RespConnection first = new RespConnection(server.port());
             RespConnection second = new RespConnection(server.port())) {
            assertEquals("+PONG\r\n", first.call("PING"));
            try (RespConnection third = new RespConnection(server.port())) {
                assertEquals("-ERR max number of clients reached\r\n", third.readToEnd());
            }
            assertEquals("+PONG\r\n", second.call("PING"));
            second.close();
            awaitClients(server, 1); // the server notices the close on the connection's own thread, a moment later
            stillServes(server); // the slot freed by the second client is usable again
        }
    }

    @Test
    void aBulkLongerThanProtoMaxBulkLenIsAProtocolErrorAsInRedis() throws Exception {
        String request = "*2\r\n$4\r\nECHO\r\n$1048577\r\n";
        try (RealRedis redis = RealRedis.start("--proto-max-bulk-len", "1mb");
             TestServer server = TestServer.start("--proto-max-bulk-len", "1mb");
             RespConnection theirs = new RespConnection(redis.port());
             RespConnection mine = new RespConnection(server.port())) {
            theirs.sendRaw(request);
            mine.sendRaw(request);
            assertEquals(theirs.readToEnd(), mine.readToEnd());
            stillServes(server);
        }
    }

    @Test
    void aClientWhosePendingQueryExceedsTheQueryBufferLimitIsClosed() throws Exception {
        try (TestServer server = TestServer.start("--client-query-buffer-limit", "1mb");
             RespConnection greedy = new RespConnection(server.port())) {
            greedy.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n");
            String chunk = "x".repeat(64 * 1024);
            try {
                for (int sent = 0; sent < 2_000_000; sent += chunk.length()) {
                    greedy.sendRaw(chunk);
                }
            } catch (IOException closedWhileSending) {
                // expected: the server closed the connection under our feet
            }
            assertEquals("", readToEndQuietly(greedy));
            stillServes(server);
            try (RespConnection check = new RespConnection(server.port())) {
                assertEquals("$-1\r\n", check.call("GET", "k"));
            }
        }
    }

    @Test
    void repliesBeyondTheNormalOutputBufferLimitCloseTheClient() throws Exception {
        try (TestServer server = TestServer.start("--client-output-buffer-limit", "normal", "1mb", "0", "0");
             RespConnection greedy = new RespConnection(server.port())) {
            assertEquals("+OK\r\n", greedy.call("SET", "big", "v".repeat(300_000)));
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                pipeline.append(RespConnection.encode("GET", "big"));
            }
            greedy.sendRaw(pipeline.toString());
            String received = readToEndQuietly(greedy);
            assertTrue(received.length() < 1_048_576, "received " + received.length() + " bytes before the close");
            stillServes(server);
        }
    }

    @Test
    void withoutANormalOutputBufferLimitTheSamePipelineIsAnsweredInFull() throws Exception {
        try (TestServer server = TestServer.start(); RespConnection client = new RespConnection(server.port())) {
            String value = "v".repeat(300_000);
            client.call("SET", "big", value);
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                pipeline.append(RespConnection.encode("GET", "big"));
            }
            client.sendRaw(pipeline.toString());
            for (int i = 0; i < 10; i++) {
                assertEquals("$300000\r\n" + value + "\r\n", client.readReply());
            }
        }
    }

    @Test
    void anIdleClientIsClosedAfterTimeoutWhileABusyOneStays() throws Exception {
        try (TestServer server = TestServer.start("--timeout", "1", "--hz", "100");
             RespConnection idle = new RespConnection(server.port());
             RespConnection busy = new RespConnection(server.port())) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            long end = System.nanoTime() + 1_600_000_000L;
            while (System.nanoTime() < end) {
                assertEquals("+PONG\r\n", busy.call("PING"));
                Thread.sleep(100);
            }
            assertEquals("", readToEndQuietly(idle));
            assertEquals("+PONG\r\n", busy.call("PING"));
        }
    }

    /** Everything until the close; a reset (the server closed with our bytes unread) also ends the input. */
    private static String readToEndQuietly(RespConnection connection) {
        try {
            return connection.readToEnd();
        } catch (IOException reset) {
            return "";
        }
    }
}
