// INFO latencystats against a real redis-server: the same lines, percentile names and value format.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After CONFIG RESETSTAT and a few commands, both servers list the same commands with the configured percentiles;
 * the durations themselves differ, so every value is compared by its shape (microseconds with three decimals).
 * With {@code latency-tracking no} the section is empty. Fails in CI without redis-server.
 */
class LatencyStatsTest {

    private static List<String> latencyStats(int port) throws IOException {
        try (RespConnection c = new RespConnection(port)) {
            c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.9 100");
            c.call("CONFIG", "RESETSTAT");
            c.call("SET", "a", "1");
            c.call("GET", "a");
            c.call("GET", "a");
            c.call("HSET", "h", "f", "v");
            c.call("CONFIG", "GET", "latency-tracking");
            String withTracking = c.call("INFO", "latencystats");
            c.call("CONFIG", "SET", "latency-tracking", "no");
            String withoutTracking = c.call("INFO", "latencystats");
            String everything = c.call("INFO", "everything");
            c.call("CONFIG", "SET", "latency-tracking", "yes", "latency-tracking-info-percentiles", "50 99 99.9");
            return List.of(normalized(withTracking), withoutTracking,
                    String.valueOf(everything.contains("# Latencystats\r\n")));
        }
    }

    /** The bulk reply's lines, sorted (Redis walks its command table in hash order), values replaced by their shape. */
    private static String normalized(String bulk) {
        String body = bulk.substring(bulk.indexOf("\r\n") + 2);
        String[] lines = body.replaceAll("=\\d+\\.\\d{3}", "=N.NNN").split("\r\n");
        Arrays.sort(lines);
        return String.join("\n", lines);
    }

    @Test
    void latencystatsListsTheSameCommandsAndPercentilesAsRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start()) {
            List<String> expected = latencyStats(redis.port());
            assertTrue(expected.get(0).contains("latency_percentiles_usec_get:p50=N.NNN,p99.9=N.NNN,p100=N.NNN"),
                    expected.get(0));
            assertEquals(expected, latencyStats(ours.port()));
        }
    }
}
