// Replica migration: when a master loses its only replica, a spare replica of a better-served master moves to it.
package io.port6379.server.cluster;

import static io.port6379.server.cluster.ClusterHarness.await;
import static io.port6379.server.cluster.ClusterHarness.cli;
import static io.port6379.server.cluster.ClusterHarness.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.port6379.server.embedded.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaMigrationTest {

    @Test
    void aSpareReplicaMovesToAnOrphanedMaster() throws Exception {
        List<EmbeddedServer> nodes = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                EmbeddedServer node = ClusterHarness.ours(1000);
                nodes.add(node);
                ports.add(node.port());
            }
            ClusterHarness.create(ports.subList(0, 6), "--cluster-replicas", "1", "--cluster-yes");
            int spare = ports.get(6);
            int rich = ports.getFirst();
            cli("--cluster", "add-node", "127.0.0.1:" + spare, "127.0.0.1:" + rich, "--cluster-slave",
                    "--cluster-master-id", cluster(rich, "MYID"));
            await("seven nodes to agree", 30, () -> ClusterHarness.agree(ports, 7));
            await("every replica to be in sync", 30, () -> ClusterHarness.replicasSynced(ports));

            // the master on ports[1] loses its only replica: one of the two replicas of ports[0] moves to it
            int orphan = ports.get(1);
            int lostReplica = ClusterHarness.replicaOf(rich, orphan);
            String orphanId = cluster(orphan, "MYID");
            String lostId = cluster(lostReplica, "MYID");
            nodes.get(ports.indexOf(lostReplica)).stopNow();
            List<Integer> alive = new ArrayList<>(ports);
            alive.remove(Integer.valueOf(lostReplica));
            await("a replica to migrate to the orphaned master", 30, () -> cluster(rich, "NODES").lines()
                    .map(line -> line.split(" "))
                    .anyMatch(f -> f[3].equals(orphanId) && !f[0].equals(lostId)));
            String richId = cluster(rich, "MYID");
            assertEquals(1, cluster(rich, "NODES").lines().map(line -> line.split(" "))
                    .filter(f -> f[3].equals(richId)).count(), "the rich master keeps one replica");
        } finally {
            nodes.stream().filter(node -> !node.isStopped()).forEach(EmbeddedServer::stopNow);
        }
    }
}
