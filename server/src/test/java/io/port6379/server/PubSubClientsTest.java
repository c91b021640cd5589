// Pub/sub and transactions through real clients (Jedis, Lettuce sync/async/pub-sub) and over raw sockets, against our server.
package io.port6379.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.port6379.testing.Binaries;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Transaction;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PubSubClientsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port(), 10_000);
    }

    /** Counts messages and remembers them in order; the latch opens when all subscriptions are confirmed. */
    private static final class Recorder extends JedisPubSub {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch subscribed;

        Recorder(int subscriptions) {
            subscribed = new CountDownLatch(subscriptions);
        }

        @Override
        public void onMessage(String channel, String message) {
            received.add(channel + ":" + message);
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            received.add(pattern + ">" + channel + ":" + message);
        }

        @Override
        public void onSubscribe(String channel, int count) {
            subscribed.countDown();
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            subscribed.countDown();
        }
    }

    @Test
    void everySubscriberReceivesEveryMessageInOrder() throws Exception {
        int subscribers = 20;
        int messages = 200;
        List<Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Recorder recorder = new Recorder(1);
            recorders.add(recorder);
            threads.add(Thread.ofVirtual().start(() -> {
                try (Jedis jedis = jedis()) {
                    jedis.subscribe(recorder, "fanout");
                }
            }));
        }
        for (Recorder recorder : recorders) {
            assertTrue(recorder.subscribed.await(10, TimeUnit.SECONDS));
        }
        try (Jedis publisher = jedis()) {
            for (int m = 0; m < messages; m++) {
                assertEquals(subscribers, publisher.publish("fanout", "m" + m));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < messages; m++) {
            expected.add("fanout:m" + m);
        }
        for (Recorder recorder : recorders) {
            awaitSize(recorder.received, messages);
            assertEquals(expected, recorder.received);
            recorder.unsubscribe();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    @Test
    void patternSubscribersReceiveMatchingChannelsOnly() throws Exception {
        Recorder recorder = new Recorder(2);
        Thread listener = Thread.ofVirtual().start(() -> {
            try (Jedis jedis = jedis()) {
                jedis.psubscribe(recorder, "news.*", "h?llo");
            }
        });
        assertTrue(recorder.subscribed.await(10, TimeUnit.SECONDS));
        try (Jedis publisher = jedis()) {
            assertEquals(1, publisher.publish("news.tech", "a"));
            assertEquals(0, publisher.publish("sport.tech", "b"));
            assertEquals(1, publisher.publish("hallo", "c"));
            assertEquals(0, publisher.publish("hoolo", "d"));
            assertEquals(2L, publisher.pubsubNumPat());
        }
        awaitSize(recorder.received, 2);
        assertEquals(List.of("news.*>news.tech:a", "h?llo>hallo:c"), recorder.received);
        recorder.punsubscribe();
        listener.join(10_000);
    }

    @Test
    void lettuceResp3SubscriberRunsCommandsBetweenPushes() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + server.port()));
        try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
             StatefulRedisConnection<String, String> publisher = client.connect()) {
            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(channel + ":" + message);
                }
            });
            subscriber.sync().subscribe("events");
            publisher.sync().set("k", "v");
            for (int i = 0; i < 50; i++) {
                assertEquals(1L, publisher.sync().publish("events", "e" + i));
                assertEquals("v", subscriber.sync().get("k")); // a reply right among the pushes
            }
            for (int i = 0; i < 50; i++) {
                assertEquals("events:e" + i, messages.poll(10, TimeUnit.SECONDS));
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void lettuceAsyncTransactionReturnsEveryReplyInOrder() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            async.del("tx:n", "tx:l").get();
            async.multi().get();
            async.incr("tx:n");
            async.incrby("tx:n", 10);
            async.rpush("tx:l", "a", "b");
            async.incr("tx:l"); // WRONGTYPE at run time: in place, the rest still runs
            async.lrange("tx:l", 0, -1);
            TransactionResult result = async.exec().get(10, TimeUnit.SECONDS);
            assertEquals(5, result.size());
            assertEquals(1L, (Long) result.get(0));
            assertEquals(11L, (Long) result.get(1));
            assertEquals(2L, (Long) result.get(2));
            assertTrue(result.get(3) instanceof Exception);
            assertEquals(List.of("a", "b"), result.get(4));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    // tag::optimisticLock[]
    /**
     * The optimistic-lock pattern: WATCH the counter, read it, queue the write, EXEC; when EXEC answers nil
     * another client got there first, so read again and retry. Two clients racing must lose no increment.
     */
    @Test
    void watchRaceBetweenTwoClientsLosesNoIncrement() throws Exception {
        int perClient = 200;
        AtomicInteger retries = new AtomicInteger();
        try (Jedis setup = jedis()) {
            setup.set("counter", "0");
        }
        Runnable incrementer = () -> {
            try (Jedis jedis = jedis()) {
                for (int done = 0; done < perClient; ) {
                    jedis.watch("counter");
                    long value = Long.parseLong(jedis.get("counter"));
                    Transaction transaction = jedis.multi();
                    transaction.set("counter", Long.toString(value + 1));
                    if (transaction.exec() == null) {
                        retries.incrementAndGet(); // somebody else wrote between our GET and EXEC
                    } else {
                        done++;
                    }
                }
            }
        };
        Thread first = Thread.ofPlatform().start(incrementer);
        Thread second = Thread.ofPlatform().start(incrementer);
        first.join(30_000);
        second.join(30_000);
        try (Jedis check = jedis()) {
            assertEquals(Integer.toString(2 * perClient), check.get("counter"));
        }
        System.out.println("optimistic lock: " + retries.get() + " retries for " + 2 * perClient + " increments");
    }
    // end::optimisticLock[]

    @Test
    void jedisSeesANilExecAfterAWatchedKeyChanged() {
        try (Jedis watcher = jedis(); Jedis writer = jedis()) {
            watcher.set("w", "1");
            watcher.watch("w");
            writer.set("w", "2");
            Transaction transaction = watcher.multi();
            transaction.set("w", "3");
            assertNull(transaction.exec());
            assertEquals("2", watcher.get("w"));
        }
    }

    // tag::slowSubscriber[]
    /**
     * A subscriber that never reads: its socket buffers fill, its outbox grows past the lowered hard limit,
     * and the server disconnects it. Meanwhile the publisher is never held up and the server keeps serving.
     */
    @Test
    void slowSubscriberIsDisconnectedAtItsHardLimitWhileThePublisherNeverBlocks() throws Exception {
        try (Jedis admin = jedis(); Socket lazy = new Socket()) {
            admin.configSet("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1mb 0 0");
            lazy.setReceiveBufferSize(4096);
            lazy.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            lazy.getOutputStream().write(RespConnection.encode("SUBSCRIBE", "firehose").getBytes());
            awaitSubscribers(admin, "firehose", 1);
            String payload = "x".repeat(16 * 1024);
            long slowest = 0;
            for (int i = 0; i < 400 && subscribers(admin, "firehose") > 0; i++) {
                long start = System.nanoTime();
                admin.publish("firehose", payload);
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            awaitSubscribers(admin, "firehose", 0); // cut off after at most 400 x 16 KB
            assertTrue(slowest < TimeUnit.SECONDS.toNanos(1), "a publish waited " + slowest / 1_000_000 + " ms");
            assertEquals("PONG", admin.ping());
        } finally {
            try (Jedis admin = jedis()) {
                admin.configSet("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
            }
        }
    }
    // end::slowSubscriber[]

    @Test
    void subscriberAboveTheSoftLimitForLongerThanItsSecondsIsDisconnected() throws Exception {
        try (Jedis admin = jedis(); Socket lazy = new Socket()) {
            admin.configSet("client-output-buffer-limit", "pubsub 0 64kb 1");
            lazy.setReceiveBufferSize(4096);
            lazy.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            lazy.getOutputStream().write(RespConnection.encode("SUBSCRIBE", "trickle").getBytes());
            awaitSubscribers(admin, "trickle", 1);
            String payload = "y".repeat(128 * 1024); // more than the socket buffers absorb in a second
            long start = System.nanoTime();
            while (subscribers(admin, "trickle") > 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                admin.publish("trickle", payload);
                Thread.sleep(50);
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            awaitSubscribers(admin, "trickle", 0);
            assertTrue(elapsed >= 1000, "not before the soft limit's seconds: " + elapsed + " ms");
        } finally {
            try (Jedis admin = jedis()) {
                admin.configSet("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
            }
        }
    }

    @Test
    void redisCliInSubscribedModePrintsMessages() throws Exception {
        java.nio.file.Path cli = Binaries.require("redis-cli");
        Process process = new ProcessBuilder(cli.toString(), "-p", String.valueOf(server.port()), "SUBSCRIBE", "cli")
                .redirectErrorStream(true).start();
        try (Jedis publisher = jedis()) {
            awaitSubscribers(publisher, "cli", 1);
            publisher.publish("cli", "hello from jedis");
            String expected = "subscribe\ncli\n1\nmessage\ncli\nhello from jedis\n";
            byte[] out = new byte[expected.length()];
            int n = process.getInputStream().readNBytes(out, 0, out.length);
            assertEquals(expected, new String(out, 0, n));
        } finally {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static long subscribers(Jedis jedis, String channel) {
        return jedis.pubsubNumSub(channel).get(channel);
    }

    private static void awaitSubscribers(Jedis jedis, String channel, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (subscribers(jedis, channel) != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + count + " subscribers on " + channel);
            }
            Thread.sleep(10);
        }
    }

    private static void awaitSize(List<String> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
