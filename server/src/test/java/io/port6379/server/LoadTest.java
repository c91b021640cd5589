// Many clients at once, and clients that vanish mid-request: the server must come back to an empty client list.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Dload.clients} (default 1 000) clients connect, all stay connected at the same time, then each runs
 * {@code -Dload.rounds} (default 10) rounds of a mixed command loop and checks its own replies. Afterwards the
 * server has no client left and, after a GC, the heap is back near where it started.
 */
class LoadTest {

    private static final int CLIENTS = Integer.getInteger("load.clients", 1_000);
    private static final int ROUNDS = Integer.getInteger("load.rounds", 10);

    @Test
    void aThousandConcurrentClientsComeAndGoWithoutLeaks() throws Exception {
        try (TestServer server = TestServer.start("--maxclients", String.valueOf(CLIENTS + 10))) {
            long heapBefore = usedHeapAfterGc();
            CountDownLatch allConnected = new CountDownLatch(CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> clients = new ArrayList<>();
            long start = System.nanoTime();
            int held;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CLIENTS; c++) {
                    int id = c;
                    clients.add(pool.submit(() -> {
                        try (RespConnection connection = new RespConnection(server.port())) {
                            // a reply proves the server accepted us: a connect alone may still sit in the kernel's backlog
                            assertEquals("+PONG\r\n", connection.call("PING"));
                            allConnected.countDown();
                            go.await();
                            mixedLoop(connection, id);
                        }
                        return null;
                    }));
                }
                assertTrue(allConnected.await(60, TimeUnit.SECONDS), "clients could not all connect");
                held = awaitClients(server, CLIENTS);
                go.countDown();
                for (Future<?> client : clients) {
                    client.get(60, TimeUnit.SECONDS); // rethrows a wrong reply
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            FuzzTest.awaitNoClients(server);
            long heapAfter = usedHeapAfterGc();
            System.out.printf("LoadTest: %d clients held at once, %d rounds each, %d ms, heap %d MB -> %d MB%n",
                    held, ROUNDS, millis, heapBefore >> 20, heapAfter >> 20);
            assertEquals(CLIENTS, held);
            assertTrue(heapAfter < heapBefore + (64L << 20), "heap " + heapBefore + " -> " + heapAfter);
        }
    }

    private static void mixedLoop(RespConnection c, int id) throws IOException {
        String key = "load:" + id;
        for (int round = 1; round <= ROUNDS; round++) {
            assertEquals("+OK\r\n", c.call("SET", key, "v" + round));
            assertEquals("$" + ("v" + round).length() + "\r\nv" + round + "\r\n", c.call("GET", key));
            assertEquals(":" + round + "\r\n", c.call("INCR", key + ":n"));
            assertEquals(":1\r\n", c.call("LPUSH", key + ":l", "x"));
            assertEquals("$1\r\nx\r\n", c.call("LPOP", key + ":l"));
            assertEquals(":1\r\n", c.call("HSET", key + ":h", "f" + round, "v"));
            c.sendRaw(RespConnection.encode("PING") + RespConnection.encode("EXISTS", key)); // a small pipeline
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals(":1\r\n", c.readReply());
        }
        assertEquals(":3\r\n", c.call("DEL", key, key + ":n", key + ":h"));
    }

    private static int awaitClients(TestServer server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.server().context().clients().size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return server.server().context().clients().size();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    // Abrupt disconnects: the client vanishes (a TCP reset, not a QUIT) at the worst moment.

    @Test
    void clientsVanishingMidCommandMidPipelineAndWhileBlockedLeaveNoTrace() throws Exception {
        try (TestServer server = TestServer.start(); RespConnection observer = new RespConnection(server.port())) {
            vanishAfter(server.port(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nval"); // mid-command
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 5_000; i++) {
                pipeline.append(RespConnection.encode("RPUSH", "pipelined", "x".repeat(100)));
            }
            vanishAfter(server.port(), pipeline.toString()); // mid-pipeline, replies unread

            Socket blocked = new Socket(InetAddress.getLoopbackAddress(), server.port());
            blocked.getOutputStream().write(RespConnection.encode("BLPOP", "queue", "0").getBytes(StandardCharsets.US_ASCII));
            awaitInfo(observer, "blocked_clients:1");
            blocked.setSoLinger(true, 0);
            blocked.close(); // while blocked in BLPOP
            awaitInfo(observer, "blocked_clients:0");

            assertEquals(":1\r\n", observer.call("LPUSH", "queue", "job"));
            assertEquals(":1\r\n", observer.call("LLEN", "queue")); // nobody took the job for the vanished client
            assertEquals("$-1\r\n", observer.call("GET", "k"));
            observer.close();
            FuzzTest.awaitNoClients(server);
        }
    }

    /** Sends {@code bytes} and resets the connection at once (SO_LINGER 0), without reading anything. */
    private static void vanishAfter(int port, String bytes) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static void awaitInfo(RespConnection observer, String line) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!observer.call("INFO", "clients").contains(line + "\r\n")) {
            assertTrue(System.nanoTime() < deadline, "INFO clients never showed " + line);
            Thread.sleep(10);
        }
    }
}
