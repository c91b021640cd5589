// Real redis-sentinel fails a SIGKILLed master over and the clients follow: on Redis's own nodes, on ours, and mixed.
package io.port6379.server.sentinel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.port6379.server.sentinel.Node.Kind.PORT6379;
import static io.port6379.server.sentinel.Node.Kind.REDIS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FailoverScenario} once per set of nodes (master first). Each run takes 15 to 30 s, most of it Sentinel's
 * own timeouts; bench/failover runs it many times and counts. The all-Redis run proves the scenario's expectations
 * on Redis itself; the other two are the point: Sentinel manages our nodes, and real replicas follow our master.
 */
class FailoverTest {

    @Test
    @Timeout(180)
    void realNodesFailOverAndTheClientsFollowTheNewMaster() throws Exception {
        assertEquals(0, FailoverScenario.run(List.of(REDIS, REDIS, REDIS)).waitedLost());
    }

    @Test
    @Timeout(180)
    void ourNodesFailOverAndTheClientsFollowTheNewMaster() throws Exception {
        assertEquals(0, FailoverScenario.run(List.of(PORT6379, PORT6379, PORT6379)).waitedLost());
    }

    @Test
    @Timeout(180)
    void realReplicasOfOurMasterFailOverAndTheClientsFollowTheNewMaster() throws Exception {
        assertEquals(0, FailoverScenario.run(List.of(PORT6379, REDIS, REDIS)).waitedLost());
    }
}
