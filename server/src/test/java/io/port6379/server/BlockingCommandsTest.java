// Blocking commands over real sockets: waking, fairness, timeouts, CLIENT UNBLOCK, disconnects, and a work queue.
package io.port6379.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.KeyValue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each test talks raw RESP (inline commands) on its own sockets, so that it can watch a client that has no
 * reply yet, or close a socket in the middle of a wait. A client counts as blocked when it sent its command
 * and no reply came within 50 ms.
 */
class BlockingCommandsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @BeforeEach
    void flush() throws IOException {
        try (Connection c = new Connection()) {
            assertEquals("+OK", c.call("FLUSHALL"));
        }
    }

    /** One raw connection; replies are rendered by {@link ReplyCases#read}. */
    private static final class Connection implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Connection() throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(5_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        void send(String command) throws IOException {
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        String read() throws IOException {
            return ReplyCases.read(in, false);
        }

        String call(String command) throws IOException {
            send(command);
            return read();
        }

        /** True when no reply arrives within {@code millis}. */
        boolean silentFor(int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                in.mark(1);
                if (in.read() < 0) {
                    return false;
                }
                in.reset();
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            } finally {
                socket.setSoTimeout(5_000);
            }
        }

        long id() throws IOException {
            return Long.parseLong(call("CLIENT ID").substring(1));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Sends a blocking command and waits until the server has registered the client as blocked. */
    private static void block(Connection c, String command) throws IOException {
        c.send(command);
        assertTrue(c.silentFor(50), "the command should block: " + command);
    }

    @Test
    void aPushFromAnotherClientWakesTheWaiter() throws IOException {
        try (Connection waiter = new Connection(); Connection producer = new Connection()) {
            block(waiter, "BLPOP jobs 0");
            assertEquals(":1", producer.call("RPUSH jobs job-1"));
            assertEquals("*[\"jobs\", \"job-1\"]", waiter.read());
            assertEquals(":0", producer.call("EXISTS jobs"));
        }
    }

    @Test
    void infoCountsTheBlockedClients() throws IOException {
        try (Connection waiter = new Connection(); Connection admin = new Connection()) {
            block(waiter, "BRPOP q 0");
            assertTrue(admin.call("INFO clients").contains("blocked_clients:1"));
            assertTrue(admin.call("CLIENT LIST").contains("flags=b db=0"), "CLIENT LIST flags a blocked client with b");
            admin.call("RPUSH q x");
            assertEquals("*[\"q\", \"x\"]", waiter.read());
            assertTrue(admin.call("INFO clients").contains("blocked_clients:0"));
        }
    }

    @Test
    void waitersAreServedInArrivalOrder() throws IOException {
        List<Connection> waiters = new ArrayList<>();
        try (Connection producer = new Connection()) {
            for (int i = 0; i < 5; i++) {
                Connection waiter = new Connection();
                waiters.add(waiter);
                block(waiter, "BRPOP q 0");
            }
            for (int i = 0; i < 5; i++) {
                producer.call("LPUSH q item-" + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("*[\"q\", \"item-" + i + "\"]", waiters.get(i).read());
            }
        } finally {
            for (Connection waiter : waiters) {
                waiter.close();
            }
        }
    }

    // tag::servedInOrder[]
    @Test
    void oneRpushWithSeveralElementsServesSeveralWaitersBeforeTheNextCommand() throws IOException {
        try (Connection a = new Connection(); Connection b = new Connection(); Connection producer = new Connection()) {
            block(a, "BLPOP q 0");
            block(b, "BLPOP q 0");
            producer.send("RPUSH q x y z");
            producer.send("LRANGE q 0 -1");
            assertEquals(":3", producer.read());
            assertEquals("*[\"z\"]", producer.read());
            assertEquals("*[\"q\", \"x\"]", a.read());
            assertEquals("*[\"q\", \"y\"]", b.read());
        }
    }
    // end::servedInOrder[]

    @Test
    void pushesInsideATransactionWakeTheWaiterAfterExec() throws IOException {
        try (Connection waiter = new Connection(); Connection producer = new Connection()) {
            block(waiter, "BLPOP q 0");
            producer.call("MULTI");
            producer.call("RPUSH q a");
            producer.call("RPUSH q b");
            assertTrue(waiter.silentFor(50), "nothing is served before EXEC");
            assertEquals("*[:1, :2]", producer.call("EXEC"));
            assertEquals("*[\"q\", \"a\"]", waiter.read());
            assertEquals("*[\"b\"]", producer.call("LRANGE q 0 -1"));
        }
    }

    @Test
    void aTimeoutOfAFractionOfASecondRepliesNil() throws IOException {
        try (Connection waiter = new Connection()) {
            long start = System.nanoTime();
            assertEquals("*-1", waiter.call("BLPOP nothing 0.2"));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 190 && millis < 1500, "timed out after " + millis + " ms");
            assertEquals("*-1", waiter.call("BZPOPMIN nothing 0.05"));
            assertEquals("*-1", waiter.call("BLMOVE nothing dst LEFT LEFT 0.05"));
            assertEquals("+PONG", waiter.call("PING"));
        }
    }

    @Test
    void commandsPipelinedAfterABlockedOneRunOnceItIsServed() throws IOException {
        try (Connection waiter = new Connection(); Connection producer = new Connection()) {
            waiter.send("BLPOP q 0\r\nLLEN q\r\nPING");
            assertTrue(waiter.silentFor(100));
            producer.call("RPUSH q a b");
            assertEquals("*[\"q\", \"a\"]", waiter.read());
            assertEquals(":1", waiter.read());
            assertEquals("+PONG", waiter.read());
        }
    }

    // tag::disconnect[]
    @Test
    void aClientThatDisconnectsWhileBlockedLosesNothing() throws Exception {
        try (Connection producer = new Connection()) {
            Connection gone = new Connection();
            block(gone, "BLPOP q 0");
            gone.close();
            Thread.sleep(100); // the server notices the closed socket while the client is blocked
            assertEquals(":1", producer.call("RPUSH q precious"));
            assertEquals("*[\"precious\"]", producer.call("LRANGE q 0 -1"));
        }
    }
    // end::disconnect[]

    @Test
    void clientUnblockEndsTheWaitWithNilOrAnError() throws IOException {
        try (Connection a = new Connection(); Connection b = new Connection(); Connection admin = new Connection()) {
            long idA = a.id();
            long idB = b.id();
            block(a, "BLPOP q 0");
            block(b, "BZPOPMIN z 0");
            assertEquals(":1", admin.call("CLIENT UNBLOCK " + idA));
            assertEquals("*-1", a.read());
            assertEquals(":1", admin.call("CLIENT UNBLOCK " + idB + " ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK", b.read());
            assertEquals(":0", admin.call("CLIENT UNBLOCK " + idB));
            assertEquals("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR", admin.call("CLIENT UNBLOCK " + idB + " NOW"));
            assertEquals("+PONG", a.call("PING"));
        }
    }

    @Test
    void blmoveRotatesIntoAListAnotherClientWaitsOn() throws IOException {
        try (Connection mover = new Connection(); Connection consumer = new Connection(); Connection producer = new Connection()) {
            block(mover, "BLMOVE incoming processing RIGHT LEFT 0");
            block(consumer, "BRPOP processing 0");
            producer.call("LPUSH incoming task");
            assertEquals("\"task\"", mover.read());
            assertEquals("*[\"processing\", \"task\"]", consumer.read());
        }
    }

    @Test
    void bzpopmaxWakesOnZadd() throws IOException {
        try (Connection waiter = new Connection(); Connection producer = new Connection()) {
            block(waiter, "BZPOPMAX scores 0");
            producer.call("ZADD scores 10 low 99 high");
            assertEquals("*[\"scores\", \"high\", \"99\"]", waiter.read());
        }
    }

    // tag::work-queue[]
    @Test
    void workQueueDeliversEveryJobToExactlyOneWorker() throws Exception {
        int jobs = 200;
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
             Jedis producer = new Jedis("127.0.0.1", server.port())) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                running.add(workers.submit(() -> {
                    try (Jedis worker = new Jedis("127.0.0.1", server.port())) {
                        while (true) {
                            KeyValue<String, String> job = worker.brpop(1.0, "queue");
                            if (job == null || job.getValue().equals("stop")) {
                                return null;
                            }
                            done.add(job.getValue());
                        }
                    }
                }));
            }
            for (int i = 0; i < jobs; i++) {
                producer.lpush("queue", "job-" + i);
            }
            for (int w = 0; w < 4; w++) {
                producer.lpush("queue", "stop");
            }
            for (Future<?> worker : running) {
                worker.get(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(jobs, done.size());
        assertEquals(jobs, done.stream().distinct().count());
    }
    // end::work-queue[]

    @Test
    void jedisSeesTheTimeoutAsNull() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals(null, jedis.blpop(0.05, "nothing"));
            assertThrows(redis.clients.jedis.exceptions.JedisDataException.class, () -> jedis.blpop(-1, "q"));
        }
    }
}
