// SET with EXAT/PXAT already past: Redis 7.0 stores the key, already expired, and DBSIZE counts it until reclaimed.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis 7.0.15's SET does not check whether an absolute expiry has passed (7.2 does): the key is written with that
 * expiry, so DBSIZE counts it, while any lookup finds it expired, deletes it and answers as for a missing key. The
 * commands go in one pipeline, so that no active-expiry cycle can run between them on either server (Redis runs
 * it between event-loop iterations, ours between batches). Compared with a real redis-server; fails in CI without one.
 */
class SetInThePastTest {

    private static final String[][] PIPELINE = {
            {"FLUSHALL"},
            {"SET", "a", "m1", "PXAT", "1"},
            {"DBSIZE"},
            {"SET", "b", "v", "EXAT", "1", "GET"},
            {"DBSIZE"},
            {"EXISTS", "a"},
            {"DBSIZE"},
            {"SET", "b", "w", "PXAT", "1", "GET"},
            {"GET", "b"},
            {"DBSIZE"},
            {"SET", "c", "v", "PXAT", "1", "NX"},
            {"SET", "c", "v", "PXAT", "1", "XX"},
            {"DBSIZE"},
    };

    private static List<String> replies(int port) throws IOException {
        try (RespConnection connection = new RespConnection(port)) {
            StringBuilder pipeline = new StringBuilder();
            for (String[] command : PIPELINE) {
                pipeline.append(RespConnection.encode(command));
            }
            connection.sendRaw(pipeline.toString());
            List<String> replies = new ArrayList<>();
            for (String[] command : PIPELINE) {
                replies.add(String.join(" ", command) + " -> " + connection.readReply());
            }
            return replies;
        }
    }

    @Test
    void setWithATimeAlreadyPastStoresAKeyThatDbsizeCountsUntilALookup() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start()) {
            List<String> expected = replies(redis.port());
            assertEquals("DBSIZE -> :1\r\n", expected.get(2), "what redis-server 7.0.15 was seen to answer");
            assertEquals(expected, replies(ours.port()));
        }
    }
}
