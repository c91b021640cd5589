// LATENCY, MEMORY STATS, WAIT and CLIENT PAUSE against both servers where their replies depend on time.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of the introspection commands that the scripts cannot compare byte for byte: durations, memory figures,
 * waits. Each check runs the same calls on both servers and compares what Redis promises: the reply's shape, the
 * names, the order of fields, and how long a call was held back.
 */
class IntrospectionCommandsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @Test
    void latencyHistoryGraphAndDoctorDescribeTheSameSpikes() throws IOException {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("LATENCY", "RESET");
                c.call("CONFIG", "SET", "latency-monitor-threshold", "1");
                c.call("DEBUG", "SLEEP", "0.03");
                String history = c.call("LATENCY", "HISTORY", "command");
                assertTrue(history.matches("\\*1\\r\\n\\*2\\r\\n:\\d+\\r\\n:(3\\d|[4-9]\\d)\\r\\n"), port + ": " + history);
                String graph = c.call("LATENCY", "GRAPH", "command");
                // One sample is both the highest and the lowest: the bottom row's lowest mark, then its age.
                assertTrue(graph.matches("(?s)=\\d+\r\ntxt:command - high \\d+ ms, low \\d+ ms \\(all time high \\d+ ms\\)\n-{80}\n"
                        + " \n \n \n_\n \n\\d\ns\n\r\n") || graph.matches("(?s)\\$\\d+\r\ncommand - high .*\n \n \n \n_\n \n\\d\ns\n\r\n"),
                        port + ": " + graph);
                String doctor = c.call("LATENCY", "DOCTOR").replaceAll("\\d+", "N");
                assertTrue(doctor.contains("N. command: N latency spikes (average Nms, mean deviation Nms, period N.N sec). "
                        + "Worst all time event Nms.\n\nI have a few advices for you:\n\n- Your current Slow Log"), port + ": " + doctor);
                c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
                c.call("LATENCY", "RESET");
            }
        }
    }

    @Test
    void latencyHistogramCountsCallsInPowerOfTwoBuckets() throws IOException {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("CONFIG", "RESETSTAT");
                for (int i = 0; i < 5; i++) {
                    c.call("SET", "k", "v");
                }
                String histogram = c.call("LATENCY", "HISTOGRAM", "set");
                assertTrue(histogram.matches("\\*2\\r\\n\\$3\\r\\nset\\r\\n\\*4\\r\\n\\$5\\r\\ncalls\\r\\n:5\\r\\n"
                        + "\\$14\\r\\nhistogram_usec\\r\\n\\*\\d+\\r\\n(:\\d+\\r\\n:[1-5]\\r\\n)+"), port + ": " + histogram);
                assertTrue(histogram.endsWith(":5\r\n"), port + ": " + histogram);
            }
        }
    }

    @Test
    void latencyHistogramOfAContainerListsItsSubcommandsAndFullNamesNameOne() throws IOException {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("CONFIG", "RESETSTAT");
                c.call("CLIENT", "ID");
                c.call("CLIENT", "GETNAME");
                assertEquals(List.of("client|getname", "client|id"), histogramNames(c, "client"), "port " + port);
                assertEquals(List.of("client|id"), histogramNames(c, "CLIENT|ID"), "port " + port);
                assertEquals(List.of("client|id", "client|id"), histogramNames(c, "client|id", "client|id"), "port " + port);
                assertEquals(List.of(), histogramNames(c, "client|nosuch", "set|x", "client|id|x", "nosuch"), "port " + port);
            }
        }
    }

    /** The command names of a LATENCY HISTOGRAM reply, sorted. */
    private static List<String> histogramNames(RespConnection c, String... commands) throws IOException {
        String[] call = new String[commands.length + 2];
        call[0] = "LATENCY";
        call[1] = "HISTOGRAM";
        System.arraycopy(commands, 0, call, 2, commands.length);
        List<?> reply = (List<?>) c.callParsed(call);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < reply.size(); i += 2) {
            names.add((String) reply.get(i));
        }
        return names.stream().sorted().toList();
    }

    /**
     * Redis's activeExpireCycle records its time as the event {@code expire-cycle} when it reaches the threshold.
     * Many keys expiring at once keep the cycle busy for its whole budget (25 ms with hz 10) on both servers.
     */
    @Test
    void aLongActiveExpireCycleIsALatencyEvent() throws Exception {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL");
                c.call("LATENCY", "RESET");
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
                c.call("EVAL", "for i = 1, tonumber(ARGV[1]) do redis.call('set', 'k' .. i, 'v', 'px', 10) end", "0", "200000");
                c.call("CONFIG", "SET", "latency-monitor-threshold", "10");
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
                String latest = "";
                for (int i = 0; i < 100 && !latest.contains("expire-cycle"); i++) {
                    Thread.sleep(50);
                    latest = c.call("LATENCY", "LATEST");
                }
                c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
                assertTrue(latest.contains("$12\r\nexpire-cycle\r\n"), port + ": " + latest);
                assertTrue(c.call("LATENCY", "HISTORY", "expire-cycle").matches("\\*[1-9]\\d*\r\n(\\*2\r\n:\\d+\r\n:\\d+\r\n)+"));
                c.call("LATENCY", "RESET");
                c.call("FLUSHALL");
            }
        }
    }

    @Test
    void memoryStatsHasRedisFieldsInRedisOrder() throws IOException {
        List<List<String>> names = new ArrayList<>();
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("FLUSHALL");
                c.call("SET", "a", "1");
                c.call("HELLO", "3");
                String stats = c.call("MEMORY", "STATS");
                List<String> fields = new ArrayList<>();
                stats.lines().filter(line -> line.matches("[a-z][a-z.0-9-]+")).forEach(fields::add);
                assertTrue(stats.startsWith("%28\r\n"), port + ": " + stats); // 27 fields and db.0
                names.add(fields);
            }
        }
        assertEquals(names.get(0), names.get(1));
    }

    @Test
    void waitForReplicasThatNeverComeLastsTheTimeout() throws IOException {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                long start = System.nanoTime();
                assertEquals(":0\r\n", c.call("WAIT", "1", "300"));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis >= 290 && millis < 3000, port + ": " + millis + " ms");
                start = System.nanoTime();
                assertEquals(":0\r\n", c.call("WAIT", "0", "0"));
                assertTrue((System.nanoTime() - start) / 1_000_000 < 200);
            }
        }
    }

    @Test
    void clientPauseWriteHoldsBackWritesNotReads() throws Exception {
        for (int port : ports()) {
            try (RespConnection pauser = new RespConnection(port); RespConnection other = new RespConnection(port)) {
                assertEquals("+OK\r\n", pauser.call("CLIENT", "PAUSE", "400", "WRITE"));
                long start = System.nanoTime();
                assertEquals("$-1\r\n", other.call("GET", "nothing"));
                assertTrue((System.nanoTime() - start) / 1_000_000 < 200, "a read is not held back");
                start = System.nanoTime();
                assertEquals("+OK\r\n", other.call("SET", "paused", "1"));
                long held = (System.nanoTime() - start) / 1_000_000;
                assertTrue(held >= 300, port + ": a write waited " + held + " ms");
            }
        }
    }

    @Test
    void clientUnpauseReleasesHeldCommandsAndPauseAllHoldsEverything() throws Exception {
        for (int port : ports()) {
            try (RespConnection pauser = new RespConnection(port); RespConnection other = new RespConnection(port)) {
                assertEquals("+OK\r\n", pauser.call("CLIENT", "PAUSE", "10000", "WRITE"));
                other.send("SET", "released", "1");
                Thread.sleep(100);
                assertEquals("+OK\r\n", pauser.call("CLIENT", "UNPAUSE"));
                assertEquals("+OK\r\n", other.readReply());
                assertEquals("+OK\r\n", pauser.call("CLIENT", "PAUSE", "300", "ALL"));
                long start = System.nanoTime();
                assertEquals("+PONG\r\n", other.call("PING"));
                assertTrue((System.nanoTime() - start) / 1_000_000 >= 200, "ALL holds back reads too");
            }
        }
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
