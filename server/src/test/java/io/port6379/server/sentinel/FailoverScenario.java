// The failover a production deployment fears: the master SIGKILLed under writes, Sentinel promoting a replica, and the count of what was lost.
package io.port6379.server.sentinel;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run, start to end:
 * <ol>
 * <li>a master and two replicas of the given kinds, three Sentinels that know them all;
 * <li>three clients that only know the Sentinels: Jedis's {@code JedisSentinelPool}, Jedis's
 * {@code RedisSentinelClient} (called {@code JedisSentineled} before Jedis 7) and Lettuce with a
 * {@code redis-sentinel://} URI; each writes a key;
 * <li>two writers on the master: one counts a write as acknowledged when SET answered OK, the other only when the
 * {@code WAIT 2 1000} after it answered 2 (both replicas have it);
 * <li>the master is SIGKILLed under that load; the Sentinels must agree it is down and promote a replica
 * ({@code +switch-master}), and the other replica must follow the new master;
 * <li>each client must write again, on the new master, without being told anything but the Sentinels' addresses;
 * <li>the old master is restarted (empty: it saves nothing) and must come back as a replica of the new one;
 * <li>the count: acknowledged keys missing on the settled master (for WAIT-acknowledged keys the callers require
 * 0; for the others it is the figure the chapter reports), and every node holding the same data.
 * </ol>
 */
final class FailoverScenario {

    /** What one run measured. */
    record Result(String kinds, long failoverMillis, long settleMillis, int plainAcked, int plainLost,
                  int waitedAcked, int waitedLost) {

        String csv() {
            return String.join(",", kinds, Long.toString(failoverMillis), Long.toString(settleMillis),
                    Integer.toString(plainAcked), Integer.toString(plainLost), Integer.toString(waitedAcked),
                    Integer.toString(waitedLost));
        }

        static final String CSV_HEADER = "kinds,failover_ms,settle_ms,plain_acked,plain_lost,waited_acked,waited_lost";
    }

    private static final long TIMEOUT_MS = 60_000;
    private static final long LOAD_MS = 1500;

    private FailoverScenario() {
    }

    static Result run(List<Node.Kind> kinds) throws Exception {
        String name = kinds.stream().map(k -> k.name().toLowerCase()).collect(Collectors.joining("+"));
        try (SentinelHarness harness = SentinelHarness.start(kinds)) {
            try {
                return run(name, harness);
            } catch (Throwable failure) {
                System.err.println("FailoverScenario " + name + " failed; the processes' logs:\n" + harness.logs());
                throw failure;
            }
        }
    }

    private static Result run(String name, SentinelHarness harness) throws Exception {
        harness.awaitReady(TIMEOUT_MS);
        Node oldMaster = harness.nodes().get(0);
        Set<HostAndPort> sentinels = harness.sentinelPorts().stream().map(p -> new HostAndPort("127.0.0.1", p))
                .collect(Collectors.toSet());
        JedisClientConfig config = DefaultJedisClientConfig.builder().timeoutMillis(2000).build();
        RedisURI.Builder uri = RedisURI.Builder.sentinel("127.0.0.1", harness.sentinelPorts().get(0), SentinelHarness.MASTER_NAME);
        for (int port : harness.sentinelPorts().subList(1, harness.sentinelPorts().size())) {
            uri.withSentinel("127.0.0.1", port);
        }
        RedisClient lettuce = RedisClient.create(uri.withTimeout(Duration.ofSeconds(2)).build());
        try (JedisSentinelPool pool = new JedisSentinelPool(SentinelHarness.MASTER_NAME, sentinels, config, config);
             RedisSentinelClient sentineled = RedisSentinelClient.builder().masterName(SentinelHarness.MASTER_NAME)
                     .sentinels(sentinels).clientConfig(config).sentinelClientConfig(config).build();
             StatefulRedisConnection<String, String> lettuceConnection = lettuce.connect()) {
            try (Jedis jedis = pool.getResource()) {
                assertEquals("OK", jedis.set("pool-before", "1"));
            }
            assertEquals("OK", sentineled.set("sentineled-before", "1"));
            assertEquals("OK", lettuceConnection.sync().set("lettuce-before", "1"));

            Writer plain = new Writer(oldMaster.port(), "plain:", false);
            Writer waited = new Writer(oldMaster.port(), "waited:", true);
            plain.start();
            waited.start();
            Thread.sleep(LOAD_MS);
            assertTrue(plain.acked.size() > 0 && waited.acked.size() > 0, "the writers wrote before the kill");

            // tag::kill[]
            long killed = System.nanoTime();
            oldMaster.kill();
            int newMaster = harness.awaitSwitchMaster(oldMaster.port(), TIMEOUT_MS);
            long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            plain.stopAndJoin();
            waited.stopAndJoin();

            // The clients find the new master by themselves; a write may fail while they do.
            retry("JedisSentinelPool", () -> {
                try (Jedis jedis = pool.getResource()) {
                    return "OK".equals(jedis.set("pool-after", "1"));
                }
            });
            retry("RedisSentinelClient", () -> "OK".equals(sentineled.set("sentineled-after", "1")));
            retry("Lettuce", () -> "OK".equals(lettuceConnection.sync().set("lettuce-after", "1")));
            // end::kill[]

            oldMaster.restart();
            int settled = harness.awaitSettled(harness.nodes().size() - 1, TIMEOUT_MS);
            long settleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            Node master = harness.node(settled);
            if (settled == newMaster) {
                for (String key : List.of("pool-after", "sentineled-after", "lettuce-after")) {
                    assertEquals("1", master.call("GET", key), key + " on the new master " + master);
                }
            }
            assertTrue(harness.node(settled) != oldMaster, "the restarted old master is a replica now");
            int plainLost = missing(master, plain.acked);
            int waitedLost = missing(master, waited.acked);
            assertReplicasEqual(harness, master);
            Result result = new Result(name, failoverMillis, settleMillis, plain.acked.size(), plainLost,
                    waited.acked.size(), waitedLost);
            System.out.println("FailoverScenario: " + Result.CSV_HEADER + "\nFailoverScenario: " + result.csv());
            return result;
        } finally {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** After WAIT for every replica, each node holds the master's keys: the same DBSIZE and the same DEBUG DIGEST. */
    private static void assertReplicasEqual(SentinelHarness harness, Node master) throws Exception {
        harness.await(TIMEOUT_MS, "every replica to reach the master's offset", () -> {
            try (Jedis jedis = new Jedis("127.0.0.1", master.port())) {
                jedis.set("sync-mark", Long.toString(System.nanoTime()));
                return jedis.waitReplicas(harness.nodes().size() - 1, 1000) == harness.nodes().size() - 1;
            }
        });
        Object dbsize = master.call("DBSIZE");
        Object digest = master.call("DEBUG", "DIGEST");
        for (Node node : harness.nodes()) {
            assertEquals(dbsize, node.call("DBSIZE"), node + " against the master " + master);
            assertEquals(digest, node.call("DEBUG", "DIGEST"), node + " against the master " + master);
        }
    }

    /** How many of {@code keys} the node does not hold. */
    private static int missing(Node node, List<String> keys) {
        try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Boolean>> exists = new ArrayList<>();
            for (String key : keys) {
                exists.add(pipeline.exists(key));
            }
            pipeline.sync();
            return (int) exists.stream().filter(r -> !r.get()).count();
        }
    }

    interface Attempt {
        boolean succeeded() throws Exception;
    }

    /** Tries every 100 ms for up to a minute; a client's exception counts as a failed attempt. */
    private static void retry(String client, Attempt attempt) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (attempt.succeeded()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(client + " did not reach the new master", last);
    }

    /** Writes {@code prefix + n} for n = 0, 1, ... to one node until stopped or until its connection breaks. */
    private static final class Writer extends Thread {

        final List<String> acked = new ArrayList<>();
        private final int port;
        private final String prefix;
        private final boolean waitForReplicas;
        private volatile boolean stopped;

        Writer(int port, String prefix, boolean waitForReplicas) {
            super("writer-" + prefix);
            this.port = port;
            this.prefix = prefix;
            this.waitForReplicas = waitForReplicas;
            setDaemon(true);
        }

        // tag::writer[]
        @Override
        public void run() {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 2000)) {
                for (int n = 0; !stopped; n++) {
                    String key = prefix + n;
                    if (!"OK".equals(jedis.set(key, "v"))) {
                        continue;
                    }
                    if (!waitForReplicas || jedis.waitReplicas(2, 1000) == 2) {
                        synchronized (acked) {
                            acked.add(key);
                        }
                    }
                }
            } catch (JedisException e) {
                // the master is gone: what was acknowledged so far is the record
            }
        }
        // end::writer[]

        void stopAndJoin() throws InterruptedException {
            stopped = true;
            join(10_000);
        }
    }
}
