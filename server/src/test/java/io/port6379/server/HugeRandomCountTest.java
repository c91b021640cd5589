// SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a huge negative count: bounded like Redis's, and the server survives.
package io.port6379.server;

import io.port6379.server.commands.ReplyLimit;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A negative count asks for that many picks, repeats allowed: {@code SRANDMEMBER s -2000000000} is a reply of some
 * 14 GB. Redis stops building it once the client passes its output-buffer limit and disconnects the client; ours must
 * do the same (compared with a real redis-server, failing in CI without one) and, without any limit, stop at its heap
 * ceiling (see {@link ReplyLimit}) instead of running out of memory.
 */
class HugeRandomCountTest {

    private static final List<String[]> HUGE = List.of(
            new String[] {"SRANDMEMBER", "s", "-2000000000"},
            new String[] {"SRANDMEMBER", "s", "-9223372036854775807"},
            new String[] {"HRANDFIELD", "h", "-2000000000"},
            new String[] {"HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES"},
            new String[] {"ZRANDMEMBER", "z", "-2000000000"},
            new String[] {"ZRANDMEMBER", "z", "-2000000000", "WITHSCORES"});

    private static final List<String[]> REFUSED = List.of(
            new String[] {"HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"},
            new String[] {"ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"},
            new String[] {"SRANDMEMBER", "s", "-9223372036854775808"},
            new String[] {"ZRANDMEMBER", "z", "-9223372036854775808"});

    /** What each server answers: the refused counts' errors, then for each huge count all it sends before closing. */
    private static List<String> outcomes(int port) throws IOException {
        List<String> outcomes = new ArrayList<>();
        try (RespConnection setup = new RespConnection(port)) {
            setup.call("FLUSHALL");
            setup.call("SADD", "s", "a", "b", "c");
            setup.call("HSET", "h", "f1", "v1", "f2", "v2");
            setup.call("ZADD", "z", "1", "a", "2", "b");
            setup.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
            try {
                for (String[] command : REFUSED) {
                    outcomes.add(setup.call(command));
                }
                for (String[] command : HUGE) {
                    try (RespConnection asking = new RespConnection(port)) {
                        asking.send(command);
                        outcomes.add(String.join(" ", command) + " -> " + asking.readToEnd().length() + " bytes, closed");
                    }
                }
                outcomes.add(setup.call("SCARD", "s"));
            } finally {
                setup.call("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0");
            }
        }
        return outcomes;
    }

    @Test
    void hugeNegativeCountsStopAtTheOutputBufferLimitAsRedisDoes() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start()) {
            List<String> expected = outcomes(redis.port());
            assertEquals(expected, outcomes(ours.port()));
            try (RespConnection after = new RespConnection(ours.port())) {
                assertEquals("+PONG\r\n", after.call("PING"));
            }
        }
    }

    @Test
    void withoutALimitTheReplyStopsAtTheHeapCeilingAndOthersAreServed() throws Exception {
        ReplyLimit.ceiling(1 << 20);
        try (TestServer ours = TestServer.start(); RespConnection other = new RespConnection(ours.port())) {
            other.call("SADD", "s", "a", "b", "c");
            other.call("HSET", "h", "f1", "v1", "f2", "v2");
            other.call("ZADD", "z", "1", "a", "2", "b");
            for (String[] command : HUGE) {
                try (RespConnection asking = new RespConnection(ours.port())) {
                    asking.send(command);
                    assertEquals("", asking.readToEnd(), String.join(" ", command) + ": nothing of a cut reply is sent");
                }
            }
            assertEquals("+PONG\r\n", other.call("PING"));
            assertEquals("*4\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n",
                    other.call("SRANDMEMBER", "s", "-4").replaceAll("\\$1\r\n[abc]", "\\$1\r\na"),
                    "a small negative count still answers in full");
        } finally {
            ReplyLimit.ceiling(ReplyLimit.defaultCeiling());
        }
    }
}
