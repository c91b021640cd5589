// redis-cli --cluster create builds a 6-node cluster of ours with one replica per master, and --cluster check is clean.
package io.port6379.server.cluster;

import static io.port6379.server.cluster.ClusterHarness.await;
import static io.port6379.server.cluster.ClusterHarness.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.port6379.server.embedded.EmbeddedServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

class ClusterCreateTest {

    @Test
    void redisCliCreatesAClusterOfSixOfOursThatClientsUseAcrossSlots() throws Exception {
        List<EmbeddedServer> nodes = new ArrayList<>();
        try {
            List<String> addresses = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // Nothing here waits for a failure to be detected, so the node timeout, which is also how long a
                // node waits for the answer to its MEET before forgetting the other, leaves room for a loaded machine.
                EmbeddedServer node = ClusterHarness.ours(5000);
                nodes.add(node);
                ports.add(node.port());
                addresses.add("127.0.0.1:" + node.port());
            }
            String created = ClusterHarness.create(ports, "--cluster-replicas", "1", "--cluster-yes");
            assertTrue(created.contains("[OK] All 16384 slots covered."), created);
            await("all six nodes to agree and say ok", 30, () -> ClusterHarness.agree(ports, 6));

            String check = cli("--cluster", "check", addresses.getFirst());
            assertTrue(check.contains("[OK] All nodes agree about slots configuration."), check);
            assertTrue(check.contains("[OK] All 16384 slots covered."), check);
            assertTrue(!check.contains("[WARNING]") && !check.contains("[ERR]"), check);
            String view = ClusterHarness.view(ports.getFirst());
            assertEquals(3, view.lines().filter(line -> line.contains(" master ")).count(), view);
            assertEquals(3, view.lines().filter(line -> line.contains(" slave ")).count(), view);

            Set<Integer> slots = new HashSet<>();
            try (JedisCluster client = new JedisCluster(new HostAndPort("127.0.0.1", ports.getFirst()))) {
                for (int i = 0; i < 200; i++) {
                    client.set("key:" + i, "value:" + i);
                    slots.add(KeySlot.slot(("key:" + i).getBytes()));
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals("value:" + i, client.get("key:" + i));
                }
            }
            assertTrue(slots.size() > 100);
            // Lettuce's cluster client reads the slot map with CLUSTER SLOTS and NODES, and follows MOVED itself
            RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", ports.get(2)));
            try (StatefulRedisClusterConnection<String, String> connection = lettuce.connect()) {
                RedisAdvancedClusterCommands<String, String> commands = connection.sync();
                for (int i = 0; i < 200; i++) {
                    assertEquals("value:" + i, commands.get("key:" + i));
                    commands.set("lettuce:" + i, "value:" + i);
                }
                assertEquals(200, commands.keys("lettuce:*").size()); // KEYS goes to every master
            } finally {
                lettuce.shutdown();
            }
            assertEquals("bar", cli("-c", "-p", Integer.toString(ports.get(5)), "set", "foo", "bar").trim()
                    .replace("OK", "bar"));
            assertEquals("bar", cli("-c", "-p", Integer.toString(ports.get(2)), "get", "foo").trim());

            // PUBLISH on one node reaches a subscriber on another, over the bus
            try (Jedis subscriber = new Jedis("127.0.0.1", ports.get(1));
                 Jedis publisher = new Jedis("127.0.0.1", ports.get(4))) {
                subscriber.getConnection().sendCommand(() -> "SUBSCRIBE".getBytes(), "news");
                assertEquals("subscribe", new String((byte[]) ((List<?>) subscriber.getConnection().getOne()).getFirst()));
                publisher.publish("news", "hello");
                List<?> message = (List<?>) subscriber.getConnection().getOne();
                assertEquals("hello", new String((byte[]) message.get(2)));
            }

            // CLUSTER FAILOVER on a replica: the master pauses, the replica catches up and takes over
            int replica = ClusterHarness.replicaOf(ports.getFirst(), ports.getFirst());
            await("every replica to be in sync", 30, () -> ClusterHarness.replicasSynced(ports));
            assertEquals("OK", ClusterHarness.cluster(replica, "FAILOVER"));
            await("the replica to be master and the master its replica", 20,
                    () -> ClusterHarness.role(replica).equals("master")
                            && ClusterHarness.role(ports.getFirst()).equals("slave") && ClusterHarness.agree(ports, 6));
            try (JedisCluster client = new JedisCluster(new HostAndPort("127.0.0.1", ports.get(3)))) {
                for (int i = 0; i < 200; i++) {
                    assertEquals("value:" + i, client.get("key:" + i));
                }
            }
        } finally {
            nodes.forEach(EmbeddedServer::stopNow);
        }
    }
}
