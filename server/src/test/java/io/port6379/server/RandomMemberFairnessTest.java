// SRANDMEMBER with a negative count over a hashtable-encoded set draws every member equally often, as Redis does.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's own test ({@code unit/type/set.tcl}, "SRANDMEMBER histogram distribution"): 1000 picks of 10 members,
 * and the chi-square statistic of the counts must stay under 40 (9 degrees of freedom: a fair draw exceeds it
 * with probability 0.00001). A draw that picks a bucket first and then a member of its chain fails it, since members
 * sharing a chain come up half as often.
 */
class RandomMemberFairnessTest {

    private static final List<String> MEMBERS = List.of("MARY", "PATRICIA", "LINDA", "BARBARA", "ELIZABETH",
            "JENNIFER", "MARIA", "SUSAN", "MARGARET", "DOROTHY");

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void negativeCountDrawsEveryMemberOfAHashtableSetEquallyOften() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection connection = new RespConnection(port)) {
                connection.call("DEL", "myset");
                String[] sadd = new String[MEMBERS.size() + 2];
                sadd[0] = "SADD";
                sadd[1] = "myset";
                for (int i = 0; i < MEMBERS.size(); i++) {
                    sadd[i + 2] = MEMBERS.get(i);
                }
                connection.call(sadd);
                assertEquals("$9\r\nhashtable\r\n", connection.call("OBJECT", "ENCODING", "myset"));
                for (int round = 0; round < 3; round++) {
                    List<?> picks = (List<?>) connection.callParsed("SRANDMEMBER", "myset", "-1000");
                    double chi = chiSquare(picks);
                    assertTrue(chi < 40, "chi-square " + chi + " on port " + port);
                }
            }
        }
    }

    /** Redis's {@code chi_square_value}: the expected count is the picks divided by the distinct members seen. */
    private static double chiSquare(List<?> picks) {
        Map<Object, Integer> counts = new HashMap<>();
        picks.forEach(pick -> counts.merge(pick, 1, Integer::sum));
        double expected = picks.size() / counts.size();
        double chi = 0;
        for (int count : counts.values()) {
            chi += (count - expected) * (count - expected) / expected;
        }
        return chi;
    }
}
