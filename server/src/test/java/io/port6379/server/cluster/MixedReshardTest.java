// redis-cli --cluster reshard moves 1000 slots with their keys from a real node to one of ours and back, under load.
package io.port6379.server.cluster;

import static io.port6379.server.cluster.ClusterHarness.await;
import static io.port6379.server.cluster.ClusterHarness.cli;
import static io.port6379.server.cluster.ClusterHarness.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.testing.RealRedis;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Pipeline;

class MixedReshardTest {

    static final int KEYS = 100_000;

    @Test
    void a1000SlotReshardFromARealNodeToOursAndBackLosesNoKeyUnderLoad() throws Exception {
        try (RealRedis r0 = real(); RealRedis r1 = real()) {
            EmbeddedServer ours = ClusterHarness.ours(2000);
            try {
                List<Integer> ports = List.of(r0.port(), r1.port(), ours.port());
                ClusterHarness.create(ports, "--cluster-yes");
                await("the three masters to agree", 30, () -> ClusterHarness.agree(ports, 3));
                int[] owners = owners(ports.getFirst());
                for (int port : ports) { // each node loads the keys of its own slots, pipelined
                    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                        Pipeline pipeline = jedis.pipelined();
                        for (int i = 0; i < KEYS; i++) {
                            String key = "key:" + i;
                            if (owners[KeySlot.slot(key.getBytes())] == port) {
                                pipeline.set(key, "v" + i);
                            }
                        }
                        pipeline.sync();
                    }
                }
                assertEquals(KEYS, ports.stream().mapToLong(port -> dbsize(port)).sum());

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong operations = new AtomicLong();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread load = Thread.ofPlatform().start(() -> {
                    try (JedisCluster client = new JedisCluster(new HostAndPort("127.0.0.1", r1.port()))) {
                        int i = 0;
                        while (running.get()) {
                            String key = "key:" + (i % 3000);
                            if (!("v" + (i % 3000)).equals(client.get(key))) {
                                throw new AssertionError("lost or wrong value for " + key);
                            }
                            client.set(key, "v" + (i % 3000));
                            operations.incrementAndGet();
                            i += 7;
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                String from = cluster(r0.port(), "MYID");
                String to = cluster(ours.port(), "MYID");
                String there = cli("--cluster", "reshard", "127.0.0.1:" + r0.port(), "--cluster-from", from,
                        "--cluster-to", to, "--cluster-slots", "1000", "--cluster-yes");
                assertTrue(!there.contains("ERR"), there);
                await("the slots to be ours everywhere", 30, () -> ClusterHarness.agree(ports, 3));
                String back = cli("--cluster", "reshard", "127.0.0.1:" + ours.port(), "--cluster-from", to,
                        "--cluster-to", from, "--cluster-slots", "1000", "--cluster-yes");
                assertTrue(!back.contains("ERR"), back);
                await("the slots to be back everywhere", 30, () -> ClusterHarness.agree(ports, 3));
                running.set(false);
                load.join();
                if (failure.get() != null) {
                    throw new AssertionError("the client under load failed", failure.get());
                }
                assertTrue(operations.get() > 0);
                String check = cli("--cluster", "check", "127.0.0.1:" + r1.port());
                assertTrue(check.contains("[OK] All 16384 slots covered.") && !check.contains("[WARNING]"), check);
                assertEquals(KEYS, ports.stream().mapToLong(port -> dbsize(port)).sum());
                try (JedisCluster client = new JedisCluster(new HostAndPort("127.0.0.1", ours.port()))) {
                    for (int i = 0; i < KEYS; i += 97) {
                        assertEquals("v" + i, client.get("key:" + i));
                    }
                }
            } finally {
                ours.stopNow();
            }
        }
    }

    static RealRedis real() throws Exception {
        return RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(ClusterHarness.freePort()),
                "--cluster-node-timeout", "2000");
    }

    static long dbsize(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            return jedis.dbSize();
        }
    }

    /** The port of the node serving each slot, from CLUSTER SLOTS. */
    static int[] owners(int port) {
        int[] owners = new int[KeySlot.SLOTS];
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (Object range : jedis.clusterSlots()) {
                List<?> fields = (List<?>) range;
                int owner = ((Long) ((List<?>) fields.get(2)).get(1)).intValue();
                for (long slot = (Long) fields.get(0); slot <= (Long) fields.get(1); slot++) {
                    owners[(int) slot] = owner;
                }
            }
        }
        return owners;
    }
}
