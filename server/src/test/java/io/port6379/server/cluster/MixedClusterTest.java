// Real redis-server nodes and ours in one cluster: they agree on CLUSTER NODES and SHARDS, and fail over both ways.
package io.port6379.server.cluster;

import static io.port6379.server.cluster.ClusterHarness.await;
import static io.port6379.server.cluster.ClusterHarness.cli;
import static io.port6379.server.cluster.ClusterHarness.cluster;
import static io.port6379.server.cluster.ClusterHarness.role;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.testing.RealRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

class MixedClusterTest {

    static final long NODE_TIMEOUT = 1000;

    static RealRedis real() throws Exception {
        return RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(ClusterHarness.freePort()),
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT), "--repl-diskless-sync-delay", "0");
    }

    /** A real node whose nodes.conf stays in {@code dir}, so that it can be started again on the same ports. */
    static RealRedis real(Path dir, int busPort, String... more) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-port",
                Integer.toString(busPort), "--cluster-node-timeout", Long.toString(NODE_TIMEOUT),
                "--repl-diskless-sync-delay", "0", "--dir", dir.toString()));
        arguments.addAll(List.of(more));
        return RealRedis.start(arguments.toArray(String[]::new));
    }

    /** CLUSTER SHARDS reduced to what all nodes must agree on: each shard's slots and its nodes' ids and roles. */
    static String shards(int port) {
        return shards(port, false);
    }

    /** CLUSTER SHARDS reduced to each shard's slots and its nodes' ids and roles, and their health if asked. */
    static String shards(int port, boolean health) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 2000)) {
            List<String> shards = new ArrayList<>();
            for (Object shard : (List<?>) jedis.sendCommand(() -> "CLUSTER".getBytes(), "SHARDS")) {
                List<?> fields = (List<?>) shard;
                List<String> slots = ((List<?>) fields.get(1)).stream().map(String::valueOf).toList();
                List<String> nodes = new ArrayList<>();
                for (Object node : (List<?>) fields.get(3)) {
                    List<?> nodeFields = (List<?>) node;
                    java.util.Map<String, String> map = new java.util.HashMap<>();
                    for (int i = 0; i + 1 < nodeFields.size(); i += 2) {
                        Object value = nodeFields.get(i + 1);
                        map.put(new String((byte[]) nodeFields.get(i)),
                                value instanceof byte[] bytes ? new String(bytes) : String.valueOf(value));
                    }
                    nodes.add(map.get("id") + " " + map.get("port") + " " + map.get("role")
                            + (health ? " " + map.get("health") : ""));
                }
                java.util.Collections.sort(nodes);
                shards.add(slots + " " + nodes);
            }
            java.util.Collections.sort(shards);
            return String.join("\n", shards);
        }
    }

    @Test
    void threeRealNodesAndThreeOfOursFormOneClusterAndFailOverEitherWay() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Path r0Dir = Files.createTempDirectory("cluster-real");
            open.add(() -> delete(r0Dir));
            int r0BusPort = ClusterHarness.freePort();
            RealRedis r0 = real(r0Dir, r0BusPort);
            open.add(r0);
            RealRedis r1 = real();
            open.add(r1);
            RealRedis r2 = real();
            open.add(r2);
            ClusterHarness.OurProcess o0 = ClusterHarness.OurProcess.start(NODE_TIMEOUT);
            open.add(o0);
            EmbeddedServer o1 = ClusterHarness.ours(NODE_TIMEOUT);
            open.add(o1::stopNow);
            EmbeddedServer o2 = ClusterHarness.ours(NODE_TIMEOUT);
            open.add(o2::stopNow);
            // masters: ours (a process), real, ours; redis-cli gives each master one replica of the others
            List<Integer> ports = new ArrayList<>(List.of(o0.port, r0.port(), o1.port(), r1.port(), o2.port(), r2.port()));
            String created = ClusterHarness.create(ports, "--cluster-replicas", "1", "--cluster-yes");
            assertTrue(created.contains("[OK] All 16384 slots covered."), created);
            await("the six nodes to agree", 30, () -> ClusterHarness.agree(ports, 6));
            for (int port : ports) {
                assertEquals(shards(ports.getFirst()), shards(port));
                assertEquals(3, shards(port).lines().count(), "three shards as " + port + " sees them");
            }
            String check = cli("--cluster", "check", "127.0.0.1:" + r2.port());
            assertTrue(check.contains("[OK] All nodes agree about slots configuration."), check);
            // A replica's health is "loading" while its replication offset is 0 (Redis's addNodeDetailsToShardReply),
            // so, before any write, until its master's first replication PING, sent every repl-ping-replica-period
            // (10 s): then every node, real or ours, shows all six online, whichever kind each master is.
            await("every replica to be in sync", 30, () -> ClusterHarness.replicasSynced(ports));
            await("every node to show every node online", 30, () -> ports.stream()
                    .allMatch(port -> shards(port, true).equals(shards(ports.getFirst(), true))
                            && !shards(port, true).contains("loading") && !shards(port, true).contains("fail")));
            assertEquals(6, Pattern.compile(" online[],]").matcher(shards(ports.getFirst(), true)).results()
                    .count(), shards(ports.getFirst(), true));
            try (JedisCluster client = new JedisCluster(new HostAndPort("127.0.0.1", r0.port()))) {
                for (int i = 0; i < 300; i++) {
                    client.set("k" + i, "v" + i);
                }
            }

            await("every replica to be in sync", 30, () -> ClusterHarness.replicasSynced(ports));

            // SIGKILL our master: its replica (whichever kind redis-cli chose) is promoted, the cluster is ok again
            int replica = ClusterHarness.replicaOf(r0.port(), o0.port);
            long killed = System.nanoTime();
            o0.kill();
            open.remove(o0);
            List<Integer> alive = new ArrayList<>(ports);
            alive.remove(Integer.valueOf(o0.port));
            try {
                await("the replica of our killed master to be promoted", 20, () -> role(replica).equals("master"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ", replica " + replica + "\n" + ClusterHarness.dump(alive), e);
            }
            long promotedMillis = (System.nanoTime() - killed) / 1_000_000;
            await("every node to say ok again", 20, () -> alive.stream()
                    .allMatch(port -> cluster(port, "INFO").contains("cluster_state:ok")));
            System.out.println("ours killed -> replica promoted in " + promotedMillis + " ms");

            // the killed node comes back with its nodes.conf, as a replica of the node that took its slots
            ClusterHarness.OurProcess back = o0.restart(NODE_TIMEOUT);
            open.add(back);
            await("the old master to rejoin as a replica", 30, () -> role(back.port).equals("slave")
                    && ClusterHarness.agree(ports, 6));
            assertEquals(ClusterHarness.lineAbout(r1.port(), replica)[0], ClusterHarness.lineAbout(r1.port(), back.port)[3]);

            // SIGKILL a real master whose replica is one of ours: redis-cli chose the replicas at random, so one of
            // our replicas and the real master's replica change masters with CLUSTER REPLICATE when needed
            await("every replica to be in sync", 30, () -> ClusterHarness.replicasSynced(ports));
            String r0Id = ClusterHarness.lineAbout(r1.port(), r0.port())[0];
            int ourReplica = ClusterHarness.replicaOf(r1.port(), r0.port());
            if (ourReplica != o2.port() && ourReplica != back.port) {
                int swapped = role(o2.port()).equals("slave") ? o2.port() : back.port;
                String otherMaster = ClusterHarness.lineAbout(r1.port(), swapped)[3];
                assertEquals("OK", cluster(swapped, "REPLICATE", r0Id));
                assertEquals("OK", cluster(ourReplica, "REPLICATE", otherMaster));
                ourReplica = swapped;
            }
            int promoted = ourReplica;
            await("our replica of the real master to be in sync", 30, () -> ClusterHarness.agree(ports, 6)
                    && ClusterHarness.lineAbout(r1.port(), promoted)[3].equals(r0Id)
                    && ClusterHarness.replicasSynced(ports));
            ProcessHandle.of(r0.pid()).orElseThrow().destroyForcibly(); // SIGKILL
            ProcessHandle.of(r0.pid()).ifPresent(process -> process.onExit().join());
            await("our replica of the real killed master to be promoted", 20, () -> role(promoted).equals("master"));
            List<Integer> stillAlive = new ArrayList<>(ports);
            stillAlive.remove(Integer.valueOf(r0.port()));
            await("every node to say ok again", 20, () -> stillAlive.stream()
                    .allMatch(port -> cluster(port, "INFO").contains("cluster_state:ok")));

            // the real node comes back with its nodes.conf, as a replica of ours that took its slots
            RealRedis r0Back = real(r0Dir, r0BusPort, "--port", Integer.toString(r0.port()));
            open.add(r0Back);
            await("the real old master to rejoin as a replica", 30, () -> role(r0.port()).equals("slave")
                    && ClusterHarness.agree(ports, 6));
            assertEquals(ClusterHarness.lineAbout(r1.port(), promoted)[0], ClusterHarness.lineAbout(r1.port(), r0.port())[3]);
            try (JedisCluster client = new JedisCluster(new HostAndPort("127.0.0.1", r1.port()))) {
                for (int i = 0; i < 300; i++) {
                    assertEquals("v" + i, client.get("k" + i));
                }
            }
        } finally {
            for (AutoCloseable node : open.reversed()) {
                node.close();
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
