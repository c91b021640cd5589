// Jobs come out in order, a blocked worker wakes on submit, and a dead worker's job is not lost.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReliableQueueTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void jobsAreTakenInTheOrderTheyWereSubmitted(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        ReliableQueue queue = new ReliableQueue(redis, "mail");
        queue.submit("a");
        queue.submit("b");
        assertEquals("a", queue.take(1));
        assertEquals("b", queue.take(1));
        assertEquals(List.of("b", "a"), redis.lrange("queue:mail:processing", 0, -1));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void anAcknowledgedJobLeavesTheProcessingList(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        ReliableQueue queue = new ReliableQueue(redis, "mail");
        queue.submit("a");
        queue.acknowledge(queue.take(1));
        assertFalse(redis.exists("queue:mail:processing"));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void anIdleWorkerWaitsForTheNextJobOrItsTimeout(String server) throws Exception {
        Jedis worker = servers.fresh(server);
        Jedis producer = servers.connect(server);
        assertNull(new ReliableQueue(worker, "mail").take(0.1));
        CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> new ReliableQueue(worker, "mail").take(5));
        while (producer.clientList().lines().noneMatch(line -> line.contains("cmd=blmove"))) {
            Thread.sleep(5); // until the worker is blocked in BLMOVE
        }
        new ReliableQueue(producer, "mail").submit("c");
        assertEquals("c", taken.get(5, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aJobTakenByAWorkerThatDiedIsRequeuedFirst(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        ReliableQueue queue = new ReliableQueue(redis, "mail");
        queue.submit("a");
        queue.submit("b");
        try (Jedis doomed = servers.connect(server)) {
            assertEquals("a", new ReliableQueue(doomed, "mail").take(1)); // and the worker dies before acknowledging
        }
        assertEquals(1, queue.requeueAbandoned());
        assertEquals("a", queue.take(1));
        assertEquals("b", queue.take(1));
    }
}
