// Real redis-sentinel fails a SIGKILLed master over, and the clients follow: proven on Redis's own nodes.
package io.port6379.server.sentinel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.port6379.server.sentinel.Node.Kind.REDIS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link FailoverScenario} once per set of nodes; each run takes 15 to 30 s, most of it Sentinel's own timeouts. */
class FailoverTest {

    @Test
    @Timeout(180)
    void realNodesFailOverAndTheClientsFollowTheNewMaster() throws Exception {
        FailoverScenario.Result result = FailoverScenario.run(List.of(REDIS, REDIS, REDIS));
        assertEquals(0, result.waitedLost());
    }
}
