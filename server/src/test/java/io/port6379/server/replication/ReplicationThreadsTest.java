// The threads of a replication link on both sides are platform threads, and they end with the link.
package io.port6379.server.replication;

import io.port6379.server.TestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.Set;
import java.util.stream.Collectors;

import static io.port6379.server.replication.ReplicationInteropTest.assertEventually;
import static io.port6379.server.replication.ReplicationInteropTest.awaitInSync;
import static io.port6379.server.replication.ReplicationInteropTest.jedis;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * WAIT waits for the replicas' ACKs, which cross three threads of ours: the master's writer of the replica's stream
 * (the GETACK), the replica's link (the ACK), the master's reader of the replica's connection (the ACK applied). As
 * virtual threads, each waited for a carrier behind every runnable client; they are platform threads, which the
 * kernel schedules at once. {@link Thread#getAllStackTraces()} lists platform threads only, so finding them there
 * is the proof. Ours alone: which threads a server runs is no Redis behaviour.
 */
class ReplicationThreadsTest {

    @Test
    void aReplicationLinksThreadsArePlatformThreadsThatEndWithTheLink() throws Exception {
        try (TestServer master = TestServer.start("--save", "", "--repl-diskless-sync-delay", "0");
             TestServer replica = TestServer.start("--save", "");
             Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
            r.replicaof("127.0.0.1", master.port());
            awaitInSync(m, r);
            m.set("k", "v");
            assertEquals(1L, m.waitReplicas(1, 5000));
            String id = m.clientList().lines().filter(line -> line.contains(" flags=S ")).findFirst().orElseThrow()
                    .replaceAll("^id=(\\d+) .*", "$1");
            Set<String> link = Set.of("replica-" + id, "outbox-" + id, "master-link-127.0.0.1:" + master.port());
            assertEquals(link, platformThreads().stream().filter(link::contains).collect(Collectors.toSet()),
                    "the link's threads among the platform threads");
            r.replicaofNoOne();
            assertEventually(() -> platformThreads().stream().noneMatch(link::contains), "the link's threads ended");
            assertEventually(() -> m.clientList().lines().noneMatch(line -> line.contains(" flags=S ")), "the master let go");
        }
    }

    private static Set<String> platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
