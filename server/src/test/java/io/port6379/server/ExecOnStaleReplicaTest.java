// EXEC on a replica whose link is down is refused when a command it queued may not run stale, as in Redis.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis's processCommand judges EXEC by what it queued as well as by its own flags: EXEC itself may run on a stale
 * replica ({@code replica-serve-stale-data no}, link down), but not when a queued command lacks the {@code stale}
 * flag (GET, PING), even if the replica became stale only after the command was queued. MULTI is allowed there.
 */
class ExecOnStaleReplicaTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void execOfACommandThatMayNotRunStaleIsRefusedOnAStaleReplica() throws Exception {
        List<String> redis = staleExec(servers.redis().port());
        assertEquals(redis, staleExec(servers.ours().port()));
        String masterDown = "-EXECABORT Transaction discarded because of: MASTERDOWN Link with MASTER is down and "
                + "replica-serve-stale-data is set to 'no'.\r\n";
        assertEquals(List.of(masterDown, masterDown, "*1\r\n$1\r\n1\r\n"), redis);
    }

    private static List<String> staleExec(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RespConnection c = new RespConnection(port); RespConnection admin = new RespConnection(port)) {
            admin.call("CONFIG", "SET", "replica-serve-stale-data", "no");
            admin.call("SET", "xx", "1");
            try {
                for (String[] queued : new String[][] {{"GET", "xx"}, {"PING"}}) {
                    c.call("MULTI");
                    c.call(queued);
                    admin.call("REPLICAOF", "localhsot", "0"); // a name that never resolves: the link stays down
                    replies.add(c.call("EXEC"));
                    admin.call("REPLICAOF", "NO", "ONE");
                }
                admin.call("REPLICAOF", "localhsot", "0");
                c.call("MULTI"); // allowed while stale; GET is queued once the replica is a master again
                admin.call("REPLICAOF", "NO", "ONE");
                c.call("GET", "xx");
                replies.add(c.call("EXEC"));
            } finally {
                admin.call("REPLICAOF", "NO", "ONE");
                admin.call("CONFIG", "SET", "replica-serve-stale-data", "yes");
                admin.call("DEL", "xx");
            }
        }
        return replies;
    }
}
