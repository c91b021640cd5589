// Runs the bench/ scripts behind chapter 15 end to end, with tiny settings, so that `mvn verify` finds a broken one.
package io.port6379.book;

import io.port6379.testing.Binaries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The performance chapter's figures and charts come from bench/vs-redis, vs-redis-data, ab, memory, startup, floor and plots,
 * the replication chapter's from bench/replication and bench/replica-heap, the cluster chapter's from bench/cluster
 * (bench/profile, bench/jmh and bench/failover are left out: the first downloads async-profiler, the second runs for
 * minutes, the third runs FailoverTest's scenario through Maven);
 * bench/redis-test-suite, which runs Redis's own test suite against both servers, runs a few units that ours passes
 * completely.
 * Each test runs one script with a handful of requests, writes its CSV into a temporary directory (never over
 * bench/results, which holds the recorded runs) and checks the file the chapter and bench/Plots.java read: the
 * header, one row per test, pipeline depth and variant, and positive figures. The numbers themselves mean
 * nothing at this size; what is tested is that the scripts still run and still write what the book reads.
 *
 * <p>The scripts run server/target/port6379-server.jar. In {@code mvn verify} it is there: the root pom lists
 * the modules protocol, datastructures, server, exercises, book, the book depends on the server, and Maven runs
 * a module's phases up to verify before it starts the next one, so the server's package phase (maven-shade-plugin,
 * finalName port6379-server) has run before these tests do. A plain {@code mvn test} packages nothing: then the
 * jar may be missing, and the tests skip (fail with {@code CI=true}) instead of letting the scripts start a build.
 *
 * <p>Ports: the scripts take every port from bench/lib.sh's free_port (the kernel's ephemeral range), and
 * {@link #everyServerAndClientInTheScriptsIsGivenAPort()} checks that no redis-cli or redis-benchmark call falls
 * back on the default port 6379, where the user may be running a server.
 */
class BenchScriptsTest {

    private static final String TESTS = "get,set";
    private static final List<String> PIPELINES = List.of("1", "16");
    /**
     * The units of Redis's test suite that CI runs (109 tests): ours passes every test of them, and both servers
     * run them in about half a minute.
     */
    private static final String REDIS_SUITE_UNITS = "unit/type/incr unit/protocol unit/keyspace unit/info-command unit/quit";

    @TempDir
    Path temp;

    private Path root;
    private Path jar;

    @BeforeEach
    void requireTheScriptsTools() {
        for (String tool : List.of("redis-server", "redis-cli", "redis-benchmark", "python3")) {
            require(Binaries.onPath(tool), tool + " is not installed (apt-get install redis-server redis-tools python3)");
        }
        root = Chapters.root();
        jar = root.resolve("server/target/port6379-server.jar");
        require(Files.isRegularFile(jar), jar + " has not been built (mvn verify, or mvn -pl server -am package)");
    }

    @Test
    @Timeout(120)
    void vsRedisWritesBothServersFiguresForEveryTestAndDepth() throws Exception {
        Path out = temp.resolve("vs-redis.csv");
        run(script().with("ROUNDS", "1").with("TESTS", TESTS).with("REQUESTS", "2000").with("REQUESTS_P16", "20000")
                .with("JAR", jar.toString()).with("OUT", out.toString()), "bash", "bench/vs-redis");

        List<Map<String, String>> rows = rows(out, "test,pipeline,redis_rps,ours_rps,ratio,redis_p50_ms,ours_p50_ms,"
                + "redis_p99_ms,ours_p99_ms,p99_ratio,startup_ms");
        assertEquals(expectedGroups(List.of()), groups(rows, "test", "pipeline"), "one row per test and depth");
        for (Map<String, String> row : rows) {
            for (String column : List.of("redis_rps", "ours_rps", "ratio", "redis_p50_ms", "ours_p50_ms",
                    "redis_p99_ms", "ours_p99_ms", "p99_ratio", "startup_ms")) {
                assertPositive(row, column);
            }
        }
    }

    @Test
    @Timeout(120)
    void vsRedisDataWritesBothServersFiguresForEveryTestAndDepth() throws Exception {
        Path out = temp.resolve("vs-redis-data.csv");
        List<String> tests = List.of("setbit", "bitcount", "pfadd", "pfcount", "geoadd", "geosearch");
        run(script().with("ROUNDS", "1").with("REQUESTS", "2000").with("REQUESTS_P16", "4000")
                .with("JAR", jar.toString()).with("OUT", out.toString()), "bash", "bench/vs-redis-data");

        List<Map<String, String>> rows = rows(out, "test,pipeline,redis_rps,ours_rps,ratio,redis_p50_ms,ours_p50_ms,"
                + "redis_p99_ms,ours_p99_ms,p99_ratio");
        Set<List<String>> expected = new HashSet<>();
        for (String test : tests) {
            for (String pipeline : PIPELINES) {
                expected.add(List.of(test, pipeline));
            }
        }
        assertEquals(expected, groups(rows, "test", "pipeline"), "one row per test and depth");
        for (Map<String, String> row : rows) {
            for (String column : List.of("redis_rps", "ours_rps", "ratio", "redis_p99_ms", "ours_p99_ms")) {
                assertPositive(row, column);
            }
        }
    }

    @Test
    @Timeout(120)
    void vsRedisTlsWritesBothServersFiguresOverTlsAndTheUnixSocket() throws Exception {
        require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is missing");
        Path out = temp.resolve("vs-redis-tls.csv");
        run(script().with("ROUNDS", "1").with("TESTS", TESTS).with("REQUESTS", "2000").with("JAR", jar.toString())
                .with("OUT", out.toString()), "bash", "bench/vs-redis-tls");
        List<Map<String, String>> rows = rows(out, "transport,test,redis_rps,ours_rps,ratio,redis_p99_ms,ours_p99_ms,p99_ratio");
        assertEquals(4, rows.size(), "one row per transport and test");
        for (Map<String, String> row : rows) {
            for (String column : List.of("redis_rps", "ours_rps", "ratio")) {
                assertPositive(row, column);
            }
        }
    }

    @Test
    @Timeout(600)
    void testDoublesWritesTimesMemoryAndCompatibilityForEveryServer() throws Exception {
        run(script().with("RUNS", "1").with("RESULTS", temp.toString()).with("SCRIPTS", "strings.redis"),
                "bash", "bench/test-doubles");
        List<Map<String, String>> times = rows(temp.resolve("test-doubles.csv"),
                "variant,runs,median_first_command_ms,median_suite_ms,min_suite_ms,max_suite_ms");
        assertEquals(List.of("ours", "jedis-mock", "redis-server"), times.stream().map(r -> r.get("variant")).toList());
        for (Map<String, String> row : times) {
            assertPositive(row, "median_first_command_ms");
            assertPositive(row, "median_suite_ms");
        }
        List<Map<String, String>> memory = rows(temp.resolve("test-doubles-memory.csv"),
                "variant,heap_bytes_per_server,rss_bytes_per_server");
        assertEquals(List.of("ours", "jedis-mock", "redis-server"), memory.stream().map(r -> r.get("variant")).toList());
        List<Map<String, String>> compat = rows(temp.resolve("compat-vs-jedis-mock.csv"), "file,cases,ours,jedis_mock");
        assertEquals(List.of("strings.redis", "total"), compat.stream().map(r -> r.get("file")).toList());
        assertEquals(compat.getFirst().get("cases"), compat.getFirst().get("ours"), "ours passes every case");
    }

    @Test
    @Timeout(120)
    void vsRedisScriptsWritesEvalshaAndFcallFiguresOfBothServers() throws Exception {
        Path out = temp.resolve("vs-redis-scripts.csv");
        run(script().with("ROUNDS", "1").with("REQUESTS", "2000").with("REQUESTS_P16", "20000").with("JAR", jar.toString())
                .with("OUT", out.toString()), "bash", "bench/vs-redis-scripts");
        List<Map<String, String>> rows = rows(out, "test,pipeline,redis_rps,ours_rps,ratio,redis_cpu_us,ours_cpu_us,cpu_ratio");
        assertEquals(4, rows.size(), "one row per command and depth");
        for (Map<String, String> row : rows) {
            for (String column : List.of("redis_rps", "ours_rps", "ratio")) {
                assertPositive(row, column);
            }
        }
    }

    @Test
    @Timeout(180)
    void vsRedisStreamsWritesXaddAndRoundTripFiguresForBothServers() throws Exception {
        Path out = temp.resolve("vs-redis-streams.csv");
        run(script().with("ROUNDS", "1").with("REQUESTS", "2000").with("REQUESTS_P16", "20000").with("CONSUMERS", "4")
                .with("ROUND_TRIPS", "50").with("JAR", jar.toString()).with("OUT", out.toString()),
                "bash", "bench/vs-redis-streams");
        List<Map<String, String>> rows = rows(out, "test,pipeline,redis_rps,ours_rps,ratio,redis_cpu_us,ours_cpu_us,cpu_ratio");
        assertEquals(List.of("xadd 1", "xadd 16", "xreadgroup_xack 1"),
                rows.stream().map(row -> row.get("test") + " " + row.get("pipeline")).toList());
        for (Map<String, String> row : rows) {
            for (String column : List.of("redis_rps", "ours_rps", "ratio")) {
                assertPositive(row, column);
            }
        }
    }

    @Test
    @Timeout(120)
    void abWritesARatioPerTestDepthAndVariant() throws Exception {
        Path out = temp.resolve("ab.csv");
        String packaged = root.relativize(jar).toString(); // a word ending in .jar; the script runs in the root
        run(script().with("ROUNDS", "1").with("TESTS", TESTS).with("REQUESTS", "2000").with("REQUESTS_P16", "20000")
                        .with("OUT", out.toString()),
                "bash", "bench/ab", "defaults=" + packaged, "tuned=" + packaged + " @server/jvm.options");

        List<Map<String, String>> rows = rows(out, "test,pipeline,variant,ratio,p99_ratio,cpu_ratio");
        assertEquals(expectedGroups(List.of("defaults", "tuned")), groups(rows, "test", "pipeline", "variant"),
                "one row per test, depth and variant");
        for (Map<String, String> row : rows) {
            assertPositive(row, "ratio");
            assertPositive(row, "p99_ratio");
            // Some 2 000 requests take Redis a few clock ticks of CPU, or none: n/a when it measured 0.
            assertNonNegativeOrNa(row, "cpu_ratio");
        }
    }

    @Test
    @Timeout(120)
    void memoryWritesBothDatasetsWithPositiveByteCounts() throws Exception {
        Path out = temp.resolve("memory.csv");
        run(script().with("KEYS", "2000").with("JAR", jar.toString()).with("OUT", out.toString()),
                "bash", "bench/memory");

        List<Map<String, String>> rows = rows(out, "dataset,n,redis_bytes,ours_bytes,ratio,redis_bytes_per_item,"
                + "ours_bytes_per_item,redis_rss,ours_rss");
        assertEquals(Set.of(List.of("strings"), List.of("zset")), groups(rows, "dataset"), "both datasets");
        for (Map<String, String> row : rows) {
            assertEquals("2000", row.get("n"), row.toString());
            for (String column : List.of("redis_bytes", "ours_bytes", "ratio", "redis_bytes_per_item",
                    "ours_bytes_per_item", "redis_rss", "ours_rss")) {
                assertPositive(row, column);
            }
        }
    }

    @Test
    @Timeout(180)
    void evictionWritesBothHitRatiosForEveryPolicyAndTrace() throws Exception {
        Path out = temp.resolve("eviction.csv");
        // Redis's used_memory starts near 0.9 MB: 1.1 MB leaves it room for about a thousand of the 2 000 keys.
        run(script().with("KEYS", "2000").with("REQUESTS", "10000").with("MAXMEMORY", "1100000")
                .with("POLICIES", "allkeys-lru allkeys-lfu")
                .with("TRACES", "1.1:0").with("JAR", jar.toString()).with("OUT", out.toString()), "bash", "bench/eviction");

        List<Map<String, String>> rows = rows(out, "policy,trace,redis_hit_ratio,ours_hit_ratio,difference_pp,"
                + "ours_same_keys_hit_ratio,same_keys_difference_pp,redis_max_used_over_maxmemory,"
                + "ours_max_used_over_maxmemory,redis_keys_held,ours_keys_held");
        assertEquals(Set.of(List.of("allkeys-lru"), List.of("allkeys-lfu")), groups(rows, "policy"), "both policies");
        for (Map<String, String> row : rows) {
            for (String column : List.of("redis_hit_ratio", "ours_hit_ratio", "ours_same_keys_hit_ratio",
                    "redis_keys_held", "ours_keys_held")) {
                assertPositive(row, column);
            }
        }
    }

    @Test
    @Timeout(180)
    void soakWritesSlicesAndASummaryForBothServers() throws Exception {
        Path out = temp.resolve("soak.csv");
        run(script().with("DURATION", "15").with("SLICE", "5").with("MAXMEMORY", "32mb").with("JAR", jar.toString())
                .with("OUT", out.toString()), "bash", "bench/soak");

        List<Map<String, String>> rows = rows(out, "server,elapsed_s,rps,p99_ms,used_memory,maxmemory,rss,evicted_keys");
        // one row per slice, so a server has as many rows as slices fitted in DURATION
        assertEquals(Set.of("ours", "redis"), rows.stream().map(row -> row.get("server")).collect(Collectors.toSet()),
                "slices of both servers");
        for (Map<String, String> row : rows) {
            for (String column : List.of("rps", "used_memory", "maxmemory", "rss")) {
                assertPositive(row, column);
            }
        }
        List<Map<String, String>> summary = rows(temp.resolve("soak-summary.csv"), "server,slices,median_rps,"
                + "median_p99_ms,max_used_over_maxmemory,first_rss,last_rss,jvm_oom_errors");
        assertEquals(Set.of(List.of("ours"), List.of("redis")), groups(summary, "server"), "a summary per server");
        assertEquals("0", summary.stream().filter(r -> r.get("server").equals("ours")).findFirst().orElseThrow()
                .get("jvm_oom_errors"), "no OutOfMemoryError in our log");
    }

    @Test
    @Timeout(180)
    void replicationWritesEveryFigureForBothServers() throws Exception {
        Path out = temp.resolve("replication.csv");
        run(script().with("REQUESTS", "20000").with("KEYS", "2000").with("WAIT_SECONDS", "1").with("JAR", jar.toString())
                .with("OUT", out.toString()), "bash", "bench/replication");

        List<Map<String, String>> rows = rows(out, "metric,redis,ours,ratio");
        assertEquals(Set.of(List.of("set_rps_no_replica"), List.of("set_rps_two_replicas"), List.of("lag_p50_bytes"),
                List.of("lag_max_bytes"), List.of("lag_samples"), List.of("catchup_ms"), List.of("loaded_wait_acked_per_s"),
                List.of("loaded_wait_p50_us"), List.of("wait_acked_per_s"), List.of("wait_p50_us"), List.of("full_sync_ms")),
                groups(rows, "metric"), "one row per figure");
        for (Map<String, String> row : rows) {
            if (List.of("set_rps_no_replica", "set_rps_two_replicas", "full_sync_ms", "wait_acked_per_s", "wait_p50_us")
                    .contains(row.get("metric"))) {
                assertPositive(row, "redis");
                assertPositive(row, "ours");
                assertPositive(row, "ratio");
            } else {
                assertNonNegativeOrNa(row, "redis");
                assertNonNegativeOrNa(row, "ours");
            }
        }
    }

    /**
     * One mode of the full sync's allocation count (the loop over modes is the same for each), with 2 000 keys: the
     * payload is small enough that JFR's samples may not catch its bytes, so the figures need only be counts.
     */
    @Test
    @Timeout(120)
    void replicaHeapWritesTheAllocationsOfAFullSync() throws Exception {
        Path out = temp.resolve("replica-heap.csv");
        run(script().with("KEYS", "2000").with("MODES", "swapdb").with("JARS", jar.toString()).with("OUT", out.toString()),
                "bash", "bench/replica-heap");

        List<Map<String, String>> rows = rows(out, "jar,mode,keys,rdb_bytes,payload_alloc,total_alloc");
        assertEquals(List.of(List.of("port6379-server.jar", "swapdb", "2000")),
                rows.stream().map(row -> List.of(row.get("jar"), row.get("mode"), row.get("keys"))).toList());
        assertPositive(rows.getFirst(), "rdb_bytes");
        assertNonNegativeOrNa(rows.getFirst(), "payload_alloc");
        assertNonNegativeOrNa(rows.getFirst(), "total_alloc");
    }

    /**
     * The smallest cluster the script builds, 6 nodes of each kind, with a gossip window of one second: a row per kind,
     * a heartbeat of the header and three gossip sections, and the three times of the failover in the order they are
     * taken (each is awaited after the one before).
     */
    @Test
    @Timeout(120)
    void clusterWritesGossipAndFailoverFiguresForBothKinds() throws Exception {
        Path out = temp.resolve("cluster.csv");
        run(script().with("SIZES", "6").with("GOSSIP_SECONDS", "1").with("JAR", jar.toString()).with("OUT", out.toString()),
                "bash", "bench/cluster");

        List<Map<String, String>> rows = rows(out, "kind,nodes,node_timeout_ms,messages_per_node_s,heartbeat_bytes,"
                + "gossip_bytes_per_node_s,detect_ms,promote_ms,ok_ms");
        assertEquals(List.of(List.of("ours", "6", "1000"), List.of("redis", "6", "1000")),
                rows.stream().map(row -> List.of(row.get("kind"), row.get("nodes"), row.get("node_timeout_ms"))).toList());
        for (Map<String, String> row : rows) {
            assertEquals("2568", row.get("heartbeat_bytes"), "2256 bytes of header and 3 gossip sections of 104: " + row);
            for (String column : List.of("messages_per_node_s", "gossip_bytes_per_node_s", "detect_ms")) {
                assertPositive(row, column);
            }
            assertTrue(number(row, "detect_ms") <= number(row, "promote_ms")
                    && number(row, "promote_ms") <= number(row, "ok_ms"), "detection, promotion, ok: " + row);
        }
    }

    @Test
    @Timeout(180)
    void connectionsWritesBothServersFiguresForEveryShapeAndTheIdleConnectionsMemory() throws Exception {
        Path out = temp.resolve("connections.csv");
        run(script().with("ROUNDS", "1").with("CONNECTIONS", "200").with("SIZES", "20000").with("TESTS", TESTS)
                .with("REQUESTS", "2000").with("IDLE", "300").with("JAR", jar.toString()).with("OUT", out.toString()),
                "bash", "bench/connections");

        List<Map<String, String>> rows = rows(out, "shape,test,redis_rps,ours_rps,ratio,redis_p99_ms,ours_p99_ms,p99_ratio");
        assertEquals(Set.of(List.of("c200", "get"), List.of("c200", "set"), List.of("d20000", "get"),
                List.of("d20000", "set")), groups(rows, "shape", "test"), "one row per shape and test");
        for (Map<String, String> row : rows) {
            for (String column : List.of("redis_rps", "ours_rps", "ratio", "redis_p99_ms", "ours_p99_ms")) {
                assertPositive(row, column);
            }
        }
        List<Map<String, String>> idle = rows(temp.resolve("connections-idle.csv"), "connections,"
                + "redis_rss_bytes_per_connection,ours_rss_bytes_per_connection,ratio,redis_used_memory_per_connection,"
                + "ours_used_memory_per_connection");
        assertEquals(1, idle.size());
        assertEquals("300", idle.getFirst().get("connections"));
        for (String column : List.of("redis_rss_bytes_per_connection", "ours_rss_bytes_per_connection")) {
            number(idle.getFirst(), column); // a number, of either sign: a collection may shrink an RSS meanwhile
        }
    }

    @Test
    @Timeout(120)
    void startupWritesAMedianForBothServers() throws Exception {
        Path out = temp.resolve("startup.csv");
        run(script().with("RUNS", "2").with("JAR", jar.toString()).with("OUT", out.toString()), "bash", "bench/startup");

        List<Map<String, String>> rows = rows(out, "server,runs,median_ms,min_ms,max_ms,median_cpu_ms");
        assertEquals(Set.of(List.of("redis"), List.of("ours")), groups(rows, "server"), "both servers");
        for (Map<String, String> row : rows) {
            assertEquals("2", row.get("runs"), row.toString());
            assertPositive(row, "median_ms");
            assertPositive(row, "min_ms");
            assertTrue(number(row, "min_ms") <= number(row, "max_ms"), "min <= max: " + row);
            // Redis reaches its first PONG on less CPU than one clock tick: 0 is a fair reading.
            assertNonNegativeOrNa(row, "median_cpu_ms");
        }
        Map<String, String> ours = rows.stream().filter(row -> row.get("server").equals("ours")).findFirst().orElseThrow();
        assertPositive(ours, "median_cpu_ms"); // a JVM never starts within one clock tick of CPU
    }

    @Test
    @Timeout(120)
    void floorWritesEveryVariantBesideRedis() throws Exception {
        Path protocolClasses = root.resolve("protocol/target/classes/io/port6379/protocol");
        require(Files.isDirectory(protocolClasses), protocolClasses + " has not been built (FloorServers needs it)");
        Path out = temp.resolve("floor.csv");
        run(script().with("ROUNDS", "1").with("TESTS", TESTS).with("REQUESTS", "2000").with("REQUESTS_P16", "20000")
                .with("VARIANTS", "ours vthread eventloop").with("OUT", out.toString()), "bash", "bench/floor");

        List<Map<String, String>> rows = rows(out,
                "test,pipeline,variant,rps,redis_rps,ratio,p99_ratio,cpu_ratio,cpu_us,redis_cpu_us");
        assertEquals(expectedGroups(List.of("ours", "vthread", "eventloop")),
                groups(rows, "test", "pipeline", "variant"), "one row per test, depth and variant");
        for (Map<String, String> row : rows) {
            for (String column : List.of("rps", "redis_rps", "ratio", "p99_ratio")) {
                assertPositive(row, column);
            }
            for (String column : List.of("cpu_ratio", "cpu_us", "redis_cpu_us")) {
                assertNonNegativeOrNa(row, column);
            }
        }
    }

    /**
     * A handful of units of Redis's own test suite that pass completely on ours: the script downloads (or finds in
     * the user's cache) the redis 7.0.15 source, and both servers must pass the same number of tests with none
     * failing. Without tclsh, or without the source and no way to download it, the script fails, and so does this test.
     */
    @Test
    @Timeout(120)
    void redisTestSuitePassesItsShortListOfUnitsOnBothServers() throws Exception {
        require(Binaries.onPath("tclsh"), "tclsh is not installed (apt-get install tcl)");
        Path out = temp.resolve("redis-test-suite.csv");
        List<String> units = List.of(REDIS_SUITE_UNITS.split(" "));
        run(script().with("UNITS", REDIS_SUITE_UNITS).with("UNIT_TIMEOUT", "60").with("LOGS", temp.resolve("logs").toString())
                .with("JAR", jar.toString()).with("OUT", out.toString()), "bash", "bench/redis-test-suite");

        List<Map<String, String>> rows = rows(out, "unit,redis_passed,redis_failed,redis_skipped,ours_passed,ours_failed,"
                + "ours_skipped,ours_failures");
        assertEquals(units, rows.stream().map(row -> row.get("unit")).toList(), "one row per unit, in order");
        for (Map<String, String> row : rows) {
            String logs = suiteLog(row.get("unit"), "redis") + suiteLog(row.get("unit"), "ours");
            assertPositive(row, "redis_passed");
            assertEquals("0", row.get("redis_failed"), "redis-server fails a test: " + row + logs);
            assertEquals("0", row.get("ours_failed"), "ours fails a test: " + row + logs);
            assertEquals(row.get("redis_passed"), row.get("ours_passed"), "the same tests pass on both: " + row + logs);
        }
    }

    /** The last lines of the suite's output for one unit and server, to read a failure by. */
    private String suiteLog(String unit, String server) throws IOException {
        Path log = temp.resolve("logs").resolve(unit.replace('/', '_') + "." + server + ".log");
        if (!Files.isRegularFile(log)) {
            return "\n" + log.getFileName() + ": not written";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return "\n--- " + log.getFileName() + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Test
    @Timeout(120)
    void plotsDrawsEveryChartTheChaptersIncludeAsCommitted() throws Exception {
        Path images = Files.createDirectories(temp.resolve("images"));
        // bench/plots itself writes into chapters/images: run its one line with a temporary output directory,
        // and the java that bench/lib.sh chooses. The recorded results are only read.
        run(script(), "bash", "-c", "source bench/lib.sh && \"$(find_java21)\" bench/Plots.java \"$1\" \"$2\"",
                "plots", root.resolve("bench/results").toString(), images.toString());

        Set<String> charts = includedCharts();
        assertFalse(charts.isEmpty(), "the chapters include no image::perf-*.svg");
        for (String chart : charts) {
            Path svg = images.resolve(chart);
            assertTrue(Files.isRegularFile(svg), "bench/Plots.java did not write " + chart);
            String text = Files.readString(svg).strip();
            assertTrue(text.startsWith("<svg") || text.startsWith("<?xml"), chart + " is no SVG: " + text.lines().findFirst());
            assertTrue(text.endsWith("</svg>"), chart + " is cut short");
            // Plots.java is deterministic: a chart in the book that differs was not redrawn after its results changed.
            String committed = Files.readString(root.resolve("chapters/images").resolve(chart));
            assertTrue(committed.equals(Files.readString(svg)),
                    "chapters/images/" + chart + " is not what bench/results draws: run bench/plots");
        }
    }

    @Test
    void everyServerAndClientInTheScriptsIsGivenAPort() throws IOException {
        Pattern client = Pattern.compile("\\bredis-(cli|benchmark)\\b");
        for (String name : List.of("lib.sh", "vs-redis", "vs-redis-data", "ab", "memory", "startup", "floor", "profile", "eviction",
                "test-doubles", "replication", "replica-heap", "connections", "redis-test-suite")) {
            List<String> lines = Files.readAllLines(root.resolve("bench").resolve(name));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("#")) {
                    continue;
                }
                String where = "bench/" + name + ":" + (i + 1) + ": " + line;
                if (client.matcher(line).find()) {
                    assertTrue(line.matches(".*\\bredis-(cli|benchmark) -p \"\\$.*"), "a client without -p $port, "
                            + "which would talk to port 6379: " + where);
                }
                if (line.contains("redis-server ") && !line.contains("redis-server --version")) {
                    assertTrue(line.contains("--port \"$"), "a redis-server without --port $port: " + where);
                }
            }
        }
    }

    private BenchScript script() throws IOException {
        return new BenchScript(root, Files.createDirectories(temp.resolve("run")));
    }

    private static void run(BenchScript script, String... command) throws IOException, InterruptedException {
        BenchScript.Result result = script.run(command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + " failed" + result.tail());
    }

    /** The perf-*.svg files the chapters include, e.g. perf-throughput.svg. */
    private static Set<String> includedCharts() {
        Pattern image = Pattern.compile("image::(perf-[\\w-]+\\.svg)\\[");
        Set<String> charts = new TreeSet<>();
        for (Path chapter : Chapters.chapterFiles()) {
            for (String line : Chapters.lines(chapter)) {
                Matcher matcher = image.matcher(line);
                if (matcher.find()) {
                    charts.add(matcher.group(1));
                }
            }
        }
        return charts;
    }

    /** A CSV file with the given header line, as one map per row (the scripts write no quoted fields). */
    private static List<Map<String, String>> rows(Path csv, String header) throws IOException {
        assertTrue(Files.isRegularFile(csv), csv + " was not written");
        List<String> lines = Files.readAllLines(csv);
        assertFalse(lines.isEmpty(), csv + " is empty");
        assertEquals(header, lines.getFirst(), "the header bench/Plots.java and chapter 15 read");
        String[] columns = header.split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(columns.length, cells.length, "cells in " + line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.length; i++) {
                row.put(columns[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The rows' values in {@code columns}; a duplicate row fails, so the set's size is the row count. */
    private static Set<List<String>> groups(List<Map<String, String>> rows, String... columns) {
        Set<List<String>> groups = new HashSet<>();
        for (Map<String, String> row : rows) {
            List<String> key = Arrays.stream(columns).map(row::get).toList();
            assertTrue(groups.add(key), "two rows for " + key);
        }
        return groups;
    }

    /** (test, depth) for every test and depth, followed by each variant when there are variants. */
    private static Set<List<String>> expectedGroups(List<String> variants) {
        Set<List<String>> groups = new HashSet<>();
        for (String test : TESTS.split(",")) {
            for (String pipeline : PIPELINES) {
                if (variants.isEmpty()) {
                    groups.add(List.of(test, pipeline));
                }
                for (String variant : variants) {
                    groups.add(List.of(test, pipeline, variant));
                }
            }
        }
        return groups;
    }

    private static double number(Map<String, String> row, String column) {
        try {
            return Double.parseDouble(row.get(column));
        } catch (NumberFormatException | NullPointerException e) {
            return fail(column + " is not a number in " + row);
        }
    }

    private static void assertPositive(Map<String, String> row, String column) {
        assertTrue(number(row, column) > 0, column + " is not positive in " + row);
    }

    private static void assertNonNegativeOrNa(Map<String, String> row, String column) {
        if (!"n/a".equals(row.get(column))) {
            assertTrue(number(row, column) >= 0, column + " is negative in " + row);
        }
    }

    /** Missing tools or build output: {@link Binaries#require(boolean, String)}, fail with CI=true, else skip loudly. */
    private static void require(boolean present, String message) {
        Binaries.require(present, message + ": the bench/ scripts cannot be checked");
    }
}
