// A failover by election: of two replicas of a failed master, the one with the greater replication offset wins.
package io.port6379.server.cluster;

import static io.port6379.server.cluster.ClusterHarness.await;
import static io.port6379.server.cluster.ClusterHarness.cli;
import static io.port6379.server.cluster.ClusterHarness.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.embedded.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis's {@code clusterGetSlaveRank}: a replica of a failed master delays its election by 500 ms, a random 0-500 ms
 * and one second per sibling replica with a greater offset (offsets travel in every PING and PONG header, and each
 * replica broadcasts a PONG to its siblings when it schedules its election), so the replica that lost the least of
 * the master's writes asks for votes first and wins. Three rounds, each on a fresh cluster of three masters and two
 * replicas of the first, the lagging replica being the first one, then the second, then the first: the replica whose
 * link was cut (and kept cut by a wrong {@code masterauth}) before the last writes is never the one promoted.
 */
class ElectionRankTest {

    @Test
    void theReplicaWithTheGreaterOffsetWinsTheElection() throws Exception {
        for (int round = 0; round < 3; round++) {
            electThe(round % 2 == 0 ? 1 : 0);
        }
    }

    /** A round in which replica {@code good} (0 or 1) has the master's last writes and the other has not. */
    private static void electThe(int good) throws Exception {
        List<EmbeddedServer> nodes = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                EmbeddedServer node = ClusterHarness.ours(1000);
                nodes.add(node);
                ports.add(node.port());
            }
            ClusterHarness.create(ports.subList(0, 3), "--cluster-replicas", "0", "--cluster-yes");
            int master = ports.getFirst();
            for (int replica : ports.subList(3, 5)) {
                cli("--cluster", "add-node", "127.0.0.1:" + replica, "127.0.0.1:" + master, "--cluster-slave",
                        "--cluster-master-id", cluster(master, "MYID"));
            }
            await("five nodes to agree", 60, () -> ClusterHarness.agree(ports, 5));
            await("both replicas to be in sync", 60, () -> ClusterHarness.replicasSynced(ports));
            int winner = ports.get(3 + good);
            int lagging = ports.get(3 + 1 - good);
            try (Jedis behind = new Jedis("127.0.0.1", lagging, 5000); Jedis writer = new Jedis("127.0.0.1", master, 5000);
                 Jedis ahead = new Jedis("127.0.0.1", winner, 5000)) {
                behind.configSet("masterauth", "not-the-password"); // the link cannot come back
                behind.sendCommand(() -> "CLIENT".getBytes(), "KILL", "TYPE", "master");
                await("the lagging replica's link to go down", 10,
                        () -> behind.info("replication").contains("master_link_status:down"));
                for (int i = 0, written = 0; written < 200; i++) {
                    String key = "key:" + i;
                    if (KeySlot.slot(key.getBytes()) <= 5460) { // the first master's slots
                        writer.set(key, "v");
                        written++;
                    }
                }
                long masterOffset = offset(writer.info("replication"), "master_repl_offset");
                await("the other replica to have every write", 10,
                        () -> offset(ahead.info("replication"), "slave_repl_offset") == masterOffset);
                assertTrue(offset(behind.info("replication"), "slave_repl_offset") < masterOffset, "a lagging replica");
            }
            nodes.getFirst().stopNow(); // what the others see of a SIGKILL: its sockets closed at once
            await("a replica to be promoted", 30,
                    () -> ClusterHarness.role(winner).equals("master") || ClusterHarness.role(lagging).equals("master"));
            assertEquals("master", ClusterHarness.role(winner), "the replica with the greater offset is promoted:\n"
                    + ClusterHarness.dump(ports.subList(1, 5)));
            assertEquals("slave", ClusterHarness.role(lagging));
        } finally {
            nodes.stream().filter(node -> !node.isStopped()).forEach(EmbeddedServer::stopNow);
        }
    }

    private static long offset(String info, String field) {
        return info.lines().filter(line -> line.startsWith(field + ":")).mapToLong(line -> Long.parseLong(
                line.substring(field.length() + 1).trim())).findFirst().orElse(-1);
    }
}
