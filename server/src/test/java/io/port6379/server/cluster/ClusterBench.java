// bench/cluster's measurements: failure detection and failover times, and gossip traffic, at several cluster sizes.
package io.port6379.server.cluster;

import static io.port6379.server.cluster.ClusterHarness.await;
import static io.port6379.server.cluster.ClusterHarness.cli;
import static io.port6379.server.cluster.ClusterHarness.cluster;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.testing.RealRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of {@code mvn verify}): {@code bench/cluster} runs it. For each kind (ours, redis)
 * and size N, it builds a cluster of N nodes, N/2 masters with one replica each, with {@code redis-cli --cluster
 * create}, then:
 * <ul>
 * <li>gossip: every node's {@code cluster_stats_messages_sent} over a quiet window, per node and second; the bytes
 * are those messages times the size of a PING/PONG at this size, 2256 + 104 x min(max(N/10, 3), N-2), since a
 * heartbeat carries the header and that many gossip sections;</li>
 * <li>a master is killed (SIGKILL for redis-server; for ours, in this JVM, its sockets closed at once, which is what
 * the peers see of a SIGKILL): the time until a surviving node flags it {@code fail} (detection), until its replica
 * answers ROLE master (promotion), and until every survivor says {@code cluster_state:ok}.</li>
 * </ul>
 * One CSV row per kind and size.
 */
class ClusterBench {

    interface Node extends AutoCloseable {
        int port();

        void kill() throws Exception;
    }

    static Node start(String kind, long nodeTimeout) throws Exception {
        if (kind.equals("ours")) {
            EmbeddedServer server = ClusterHarness.ours(nodeTimeout);
            return new Node() {
                public int port() {
                    return server.port();
                }

                public void kill() {
                    server.stopNow();
                }

                public void close() {
                    if (!server.isStopped()) {
                        server.stopNow();
                    }
                }
            };
        }
        RealRedis redis = RealRedis.start("--cluster-enabled", "yes",
                "--cluster-port", Integer.toString(ClusterHarness.freePort()),
                "--cluster-node-timeout", Long.toString(nodeTimeout), "--repl-diskless-sync-delay", "0");
        return new Node() {
            public int port() {
                return redis.port();
            }

            public void kill() throws Exception {
                new ProcessBuilder("kill", "-9", Long.toString(redis.pid())).start().waitFor();
            }

            public void close() {
                redis.close();
            }
        };
    }

    static long messagesSent(int port) {
        return cluster(port, "INFO").lines().filter(line -> line.startsWith("cluster_stats_messages_sent:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).sum();
    }

    static int heartbeatBytes(int nodes) {
        int wanted = Math.min(Math.max(nodes / 10, 3), nodes - 2);
        return ClusterMessageCodec.HEADER_LEN + ClusterMessageCodec.GOSSIP_LEN * wanted;
    }

    @Test
    void measure() throws Exception {
        List<String> kinds = List.of(System.getProperty("cluster.kinds", "ours,redis").split(","));
        List<String> sizes = List.of(System.getProperty("cluster.sizes", "6,12").split(","));
        long nodeTimeout = Long.parseLong(System.getProperty("cluster.nodeTimeout", "1000"));
        long gossipSeconds = Long.parseLong(System.getProperty("cluster.gossipSeconds", "10"));
        Path csv = Path.of(System.getProperty("cluster.csv", "cluster.csv"));
        if (!Files.exists(csv)) {
            Files.writeString(csv, "kind,nodes,node_timeout_ms,messages_per_node_s,heartbeat_bytes,"
                    + "gossip_bytes_per_node_s,detect_ms,promote_ms,ok_ms\n");
        }
        for (String size : sizes) {
            for (String kind : kinds) {
                String row = run(kind, Integer.parseInt(size), nodeTimeout, gossipSeconds);
                System.out.println(row);
                Files.writeString(csv, row + "\n", StandardOpenOption.APPEND);
            }
        }
    }

    static String run(String kind, int size, long nodeTimeout, long gossipSeconds) throws Exception {
        List<Node> nodes = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Node node = start(kind, nodeTimeout);
                nodes.add(node);
                ports.add(node.port());
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            cli(create.toArray(String[]::new));
            await("the cluster to agree", 120, () -> ClusterHarness.agree(ports, size));
            await("the replicas to sync", 120, () -> ClusterHarness.replicasSynced(ports));

            long before = 0;
            for (int port : ports) {
                before += messagesSent(port);
            }
            long start = System.nanoTime();
            Thread.sleep(gossipSeconds * 1000);
            long after = 0;
            for (int port : ports) {
                after += messagesSent(port);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double perNode = (after - before) / seconds / size;

            Node victim = nodes.getFirst();
            int victimPort = victim.port();
            String victimId = ClusterHarness.lineAbout(ports.get(1), victimPort)[0];
            int replica = ClusterHarness.replicaOf(ports.get(1), victimPort);
            List<Integer> survivors = new ArrayList<>(ports);
            survivors.remove(Integer.valueOf(victimPort));
            int watcher = survivors.stream().filter(port -> port != replica).findFirst().orElseThrow();
            long killed = System.nanoTime();
            victim.kill();
            await("FAIL", 60, () -> cluster(watcher, "NODES").lines()
                    .anyMatch(line -> line.startsWith(victimId + " ") && line.split(" ")[2].contains("fail")
                            && !line.split(" ")[2].contains("fail?")));
            long detectMs = (System.nanoTime() - killed) / 1_000_000;
            await("promotion", 60, () -> ClusterHarness.role(replica).equals("master"));
            long promoteMs = (System.nanoTime() - killed) / 1_000_000;
            await("ok everywhere", 60, () -> survivors.stream()
                    .allMatch(port -> cluster(port, "INFO").contains("cluster_state:ok")));
            long okMs = (System.nanoTime() - killed) / 1_000_000;
            return String.format(java.util.Locale.ROOT, "%s,%d,%d,%.1f,%d,%.0f,%d,%d,%d", kind, size, nodeTimeout,
                    perNode, heartbeatBytes(size), perNode * heartbeatBytes(size), detectMs, promoteMs, okMs);
        } finally {
            for (Node node : nodes) {
                node.close();
            }
        }
    }
}
