// Our cluster bus and a real redis-server meet, agree on each other's slots and epochs, and see a failure.
package io.port6379.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.datastructures.Clock;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import io.port6379.testing.RealRedis;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class MixedBusTest {

    /** A bus of ours inside the test: a server context without sockets, a state, and hooks that do nothing. */
    static final class OurNode implements AutoCloseable {
        final ServerContext server;
        final ClusterState state;
        final ClusterBusServer bus;

        OurNode(int clientsPort, long nodeTimeout) throws Exception {
            server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
            state = new ClusterState(System.currentTimeMillis());
            state.nodeTimeout = nodeTimeout;
            state.myself.port = clientsPort;
            bus = new ClusterBusServer(server, state, new ClusterBusServer.Hooks() {
                public void saveConfig(boolean fsync) {
                }

                public void deliver(byte[] channel, byte[] message, boolean sharded) {
                }

                public long replicationOffset() {
                    return 0;
                }

                public void replicaOf(String host, int port) {
                }

                public boolean follows(String host, int port) {
                    return true;
                }

                public void promote() {
                }
            });
            bus.start(List.of("127.0.0.1"), 0);
            state.myself.cport = bus.busPort();
        }

        <T> T locked(java.util.function.Supplier<T> action) {
            server.executionLock().lock();
            try {
                return action.get();
            } finally {
                server.executionLock().unlock();
            }
        }

        @Override
        public void close() {
            bus.stop();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static String cluster(Jedis jedis, String... args) {
        Object reply = jedis.sendCommand(() -> "CLUSTER".getBytes(), args);
        return reply instanceof byte[] bytes ? new String(bytes) : String.valueOf(reply);
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void ourNodeAndARealNodeMeetAndAgreeOnSlotsAndEpochs() throws Exception {
        int busPort = freePort();
        try (RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort),
                "--cluster-node-timeout", "1000");
             Jedis jedis = new Jedis("127.0.0.1", redis.port());
             OurNode ours = new OurNode(freePort(), 1000)) {
            cluster(jedis, "ADDSLOTSRANGE", "8192", "16383");
            cluster(jedis, "SET-CONFIG-EPOCH", "2");
            String realId = cluster(jedis, "MYID");
            ours.locked(() -> {
                for (int slot = 0; slot < 8192; slot++) {
                    ours.state.addSlot(slot, ours.state.myself);
                }
                ours.state.myself.configEpoch = 1;
                ours.state.currentEpoch = 1;
                return ours.bus.meet("127.0.0.1", redis.port(), busPort);
            });
            String ourId = ours.state.myself.name;
            await("the real node to list ours as a connected master with slots 0-8191", () -> {
                String nodes = cluster(jedis, "NODES");
                return nodes.lines().anyMatch(line -> line.startsWith(ourId + " ") && line.contains(" master ")
                        && line.endsWith(" 1 connected 0-8191"));
            });
            await("the real node to say ok", () -> cluster(jedis, "INFO").contains("cluster_state:ok"));
            await("our node to know the real node's slots", () -> ours.locked(() -> {
                ClusterNode real = ours.state.node(realId);
                return real != null && !real.has(ClusterNode.HANDSHAKE) && real.numSlots == 8192
                        && ours.state.slots[16383] == real && real.configEpoch == 2;
            }));
            assertEquals(2, (long) ours.locked(() -> ours.state.currentEpoch));
            assertTrue(ours.locked(() -> !ours.state.myself.ip.isEmpty()), "MEET taught us our address");
        }
    }

    @Test
    void aSilentRealNodeBecomesPfailAndComesBack() throws Exception {
        int busPort = freePort();
        try (RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort),
                "--cluster-node-timeout", "1000");
             Jedis jedis = new Jedis("127.0.0.1", redis.port());
             OurNode ours = new OurNode(freePort(), 1000)) {
            String realId = cluster(jedis, "MYID");
            ours.locked(() -> ours.bus.meet("127.0.0.1", redis.port(), busPort));
            await("the handshake", () -> ours.locked(() -> ours.state.node(realId) != null));
            new ProcessBuilder("kill", "-STOP", Long.toString(redis.pid())).start().waitFor();
            try {
                await("PFAIL", () -> ours.locked(() -> ours.state.node(realId).timedOut()));
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(redis.pid())).start().waitFor();
            }
            await("PFAIL cleared by a PONG", () -> ours.locked(() -> !ours.state.node(realId).timedOut()));
        }
    }
}
