// How a replica loads its master's RDB: swapdb's synchronous and asynchronous loading, a failed transfer, caches, disk errors.
package io.port6379.server.replication;

import io.port6379.server.TestServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import io.port6379.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.port6379.server.replication.ReplicationInteropTest.assertEventually;
import static io.port6379.server.replication.ReplicationInteropTest.awaitInSync;
import static io.port6379.server.replication.ReplicationInteropTest.field;
import static io.port6379.server.replication.ReplicationInteropTest.jedis;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each scenario runs three times: a real replica of a real master (what Redis 7.0.15 does), then our replica of a
 * real master, then our replica of our master; the three must show the same lines. The loads are slowed down with
 * {@code key-load-delay} (microseconds per key) so that a client can look at the replica while it loads, and the
 * real replica serves clients between chunks of its load ({@code loading-process-events-interval-bytes}).
 */
class ReplicaLoadingTest {

    private static final int KEYS = 4000;
    private static final String PAD = "x".repeat(4000); // 16 MB of RDB: more than the sockets between hold

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable node : started.reversed()) {
            try {
                node.close();
            } catch (RuntimeException | IOException ignored) {
                // a node that panicked is already gone
            }
        }
        started.clear();
    }

    private interface Scenario {
        void run(boolean realMaster, boolean realReplica, List<String> lines) throws Exception;
    }

    /** Runs {@code scenario} with a real replica of a real master, ours of a real one and ours of ours. */
    private List<String> onAll(Scenario scenario) throws Exception {
        List<String> reference = new ArrayList<>();
        scenario.run(true, true, reference);
        stopAll();
        for (boolean realMaster : new boolean[] {true, false}) {
            List<String> ours = new ArrayList<>();
            scenario.run(realMaster, false, ours);
            stopAll();
            assertEquals(String.join("\n", reference), String.join("\n", ours),
                    "our replica of " + (realMaster ? "a real" : "our") + " master");
        }
        return reference;
    }

    @Test
    void swapdbLoadsSynchronouslyTheDataOfAnotherHistory() throws Exception {
        List<String> lines = onAll((realMaster, realReplica, out) -> {
            int master = start(realMaster);
            int replica = start(realReplica, "--repl-diskless-load", "swapdb", "--key-load-delay", "500");
            try (Jedis m = jedis(master); Jedis r = jedis(replica)) {
                populate(m, "new");
                r.set("k:1", "old");
                r.replicaof("127.0.0.1", master);
                out.add("while loading: " + awaitLoading(r));
                out.add("GET k:1 while loading: " + get(r, "k:1"));
                out.add("INFO persistence ends with: " + loadingFields(r));
                out.add("a streamed RDB: " + streamedLoadProgress(r));
                awaitInSync(m, r);
                out.add("after: " + get(r, "k:1") + ", keys " + r.dbSize());
                assertEventually(() -> !field(r.info("memory"), "lazyfreed_objects").equals("0"), "the old data freed");
                out.add("the old data freed in the background: " + field(r.info("memory"), "lazyfreed_objects"));
            }
        });
        assertEquals(List.of("while loading: loading:1 async_loading:0",
                "GET k:1 while loading: LOADING Redis is loading the dataset in memory",
                "INFO persistence ends with: loading_start_time loading_total_bytes loading_rdb_used_mem "
                        + "loading_loaded_bytes loading_loaded_perc loading_eta_seconds",
                "a streamed RDB: loading_total_bytes 0, loading_loaded_perc reckoned on loading_rdb_used_mem",
                "after: new, keys 4000",
                "the old data freed in the background: 1"), lines);
    }

    @Test
    void swapdbServesTheOldDataWhileTheSameHistoryLoadsAsynchronously() throws Exception {
        List<String> lines = onAll((realMaster, realReplica, out) -> {
            int master = start(realMaster, "--repl-backlog-size", "16384");
            int replica = start(realReplica, "--repl-diskless-load", "swapdb");
            TcpProxy proxy = TcpProxy.start(master);
            started.add(proxy);
            try (Jedis m = jedis(master); Jedis r = jedis(replica)) {
                populate(m, "v1");
                r.replicaof("127.0.0.1", proxy.port());
                awaitInSync(m, r);
                r.configSet("key-load-delay", "500");
                proxy.cut();
                assertEventually(() -> field(r.info("replication"), "master_link_status").equals("down"), "link down");
                populate(m, "v2"); // far beyond the 16 KB backlog: the replica's PSYNC gets a full resync
                proxy.restore();
                out.add("while loading: " + awaitLoading(r));
                out.add("GET k:1 while loading: " + get(r, "k:1"));
                awaitInSync(m, r);
                out.add("after: " + get(r, "k:1") + ", keys " + r.dbSize());
            }
        });
        assertEquals(List.of("while loading: loading:0 async_loading:1", "GET k:1 while loading: v1",
                "after: v2, keys 4000"), lines);
    }

    @Test
    void aFailedSwapdbTransferKeepsTheOldData() throws Exception {
        List<String> lines = onAll((realMaster, realReplica, out) -> {
            int master = start(realMaster);
            int replica = start(realReplica, "--repl-diskless-load", "swapdb", "--key-load-delay", "500");
            TcpProxy proxy = TcpProxy.start(master);
            started.add(proxy);
            try (Jedis m = jedis(master); Jedis r = jedis(replica)) {
                populate(m, "new");
                r.set("k:1", "old");
                r.set("only-here", "1");
                r.replicaof("127.0.0.1", proxy.port());
                out.add("while loading: " + awaitLoading(r));
                proxy.cut(); // the transfer breaks in the middle; no new connection gets through
                assertEventually(() -> loadingFlags(r).equals("loading:0 async_loading:0"), "the load given up");
                out.add("after the failed transfer: " + get(r, "k:1") + ", keys " + r.dbSize());
            }
        });
        assertEquals(List.of("while loading: loading:1 async_loading:0", "after the failed transfer: old, keys 2"), lines);
    }

    @Test
    void aFullSyncInvalidatesEveryClientSideCache() throws Exception {
        List<String> lines = onAll((realMaster, realReplica, out) -> {
            for (String load : List.of("disabled", "swapdb")) {
                int first = start(realMaster);
                int second = start(realMaster);
                int replica = start(realReplica, "--repl-diskless-load", load);
                try (Jedis a = jedis(first); Jedis b = jedis(second); Jedis r = jedis(replica);
                     RespConnection tracker = new RespConnection(replica)) {
                    a.set("k", "from-first");
                    b.set("k", "from-second");
                    r.replicaof("127.0.0.1", first);
                    awaitInSync(a, r);
                    tracker.call("HELLO", "3");
                    tracker.call("CLIENT", "TRACKING", "ON");
                    out.add(load + ": GET k " + printable(tracker.call("GET", "k")));
                    r.replicaof("127.0.0.1", second);
                    awaitInSync(b, r);
                    tracker.timeout(10_000);
                    out.add(load + ": then " + printable(tracker.readReply()));
                    out.add(load + ": GET k " + printable(tracker.call("GET", "k")));
                }
                stopAll();
            }
        });
        assertEquals(List.of("disabled: GET k $10 from-first", "disabled: then >2 $10 invalidate _",
                "disabled: GET k $11 from-second", "swapdb: GET k $10 from-first", "swapdb: then >2 $10 invalidate _",
                "swapdb: GET k $11 from-second"), lines);
    }

    @Test
    void replicaIgnoreDiskWriteErrorsDecidesWhetherTheStreamIsStillApplied() throws Exception {
        List<String> lines = onAll((realMaster, realReplica, out) -> {
            for (String ignore : List.of("yes", "no")) {
                int master = start(realMaster);
                Path dir = Files.createTempDirectory("disk-error");
                int replica = start(realReplica, dir, "--save", "3600 1", "--repl-diskless-load", "on-empty-db",
                        "--replica-ignore-disk-write-errors", ignore);
                try (Jedis m = jedis(master); Jedis r = jedis(replica)) {
                    r.replicaof("127.0.0.1", master);
                    awaitInSync(m, r);
                    Files.createDirectories(dir.resolve("dump.rdb").resolve("in-the-way")); // the rename fails
                    r.bgsave();
                    assertEventually(() -> field(r.info("persistence"), "rdb_last_bgsave_status").equals("err"),
                            "the save failed");
                    out.add(ignore + ": a client's write " + error(() -> r.set("client", "1")).substring(0, 7));
                    m.set("from-master", "1");
                    if (ignore.equals("yes")) {
                        awaitInSync(m, r);
                        out.add(ignore + ": the master's write applied " + r.get("from-master"));
                    } else {
                        assertEventually(() -> !answers(replica), "the replica stopped");
                        out.add(ignore + ": the replica stopped");
                    }
                }
                stopAll();
            }
        });
        assertEquals(List.of("yes: a client's write MISCONF", "yes: the master's write applied 1",
                "no: a client's write MISCONF", "no: the replica stopped"), lines);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** {@value #KEYS} keys {@code k:0..}, each {@code value} then 4000 bytes of padding, except k:1 = {@code value}. */
    private static void populate(Jedis jedis, String value) {
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < KEYS; i++) {
            pipeline.set("k:" + i, i == 1 ? value : value + PAD);
        }
        pipeline.sync();
    }

    /** Waits for the replica's load to start and returns its flags, as INFO persistence shows them then. */
    private static String awaitLoading(Jedis replica) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            String flags = loadingFlags(replica);
            if (!flags.equals("loading:0 async_loading:0")) {
                return flags;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the replica never loaded");
    }

    private static String loadingFlags(Jedis replica) {
        String info = replica.info("persistence");
        return "loading:" + field(info, "loading") + " async_loading:" + field(info, "async_loading");
    }

    /** The names of the lines after module_fork_last_cow_size (the AOF's size lines are not there: it is off). */
    /**
     * A diskless master streams its RDB with {@code $EOF:}, announcing no size: loading_total_bytes stays 0 and Redis
     * reckons the progress on the RDB's used-mem instead (capped at 99.99 %), once the first bytes are loaded.
     */
    private static String streamedLoadProgress(Jedis replica) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            String info = replica.info("persistence");
            if (field(info, "loading").equals("1") && Long.parseLong(field(info, "loading_loaded_bytes")) > 0) {
                double loaded = Long.parseLong(field(info, "loading_loaded_bytes"));
                long usedMem = Long.parseLong(field(info, "loading_rdb_used_mem"));
                String expected = usedMem == 0 ? "0.00"
                        : String.format(java.util.Locale.ROOT, "%.2f", Math.min(loaded / usedMem * 100, 99.99));
                String perc = field(info, "loading_loaded_perc");
                return "loading_total_bytes " + field(info, "loading_total_bytes") + ", loading_loaded_perc "
                        + (usedMem > 0 && perc.equals(expected) ? "reckoned on loading_rdb_used_mem"
                        : perc + " with loading_rdb_used_mem " + usedMem);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no bytes loaded while loading");
    }

    private static String loadingFields(Jedis replica) {
        String info = replica.info("persistence");
        String tail = info.substring(info.indexOf("module_fork_last_cow_size:"));
        List<String> names = new ArrayList<>();
        for (String line : tail.split("\r\n")) {
            if (line.contains(":") && !line.startsWith("module_fork_last_cow_size")) {
                names.add(line.substring(0, line.indexOf(':')));
            }
        }
        return String.join(" ", names);
    }

    private static String get(Jedis jedis, String key) {
        try {
            String value = jedis.get(key);
            return value == null ? "(nil)" : value;
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    private static String error(Runnable call) {
        try {
            call.run();
            return "no error";
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    private static boolean answers(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 500)) {
            jedis.ping();
            return true;
        } catch (JedisDataException e) {
            return true; // MISCONF: alive, and refusing PING as a health check should notice
        } catch (JedisConnectionException e) {
            return false;
        }
    }

    private static String printable(String frame) {
        return frame.replace("\r\n", " ").strip();
    }

    private int start(boolean real, String... extra) throws IOException, InterruptedException {
        return start(real, Files.createTempDirectory("replica-loading"), extra);
    }

    private int start(boolean real, Path dir, String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--save", "", "--repl-diskless-sync-delay",
                "0", "--loading-process-events-interval-bytes", "1024"));
        args.addAll(List.of(extra));
        if (real) {
            RealRedis redis = RealRedis.start(args.toArray(String[]::new));
            started.add(() -> {
                redis.close();
                delete(dir);
            });
            return redis.port();
        }
        TestServer server = TestServer.start(args.toArray(String[]::new));
        started.add(() -> {
            server.close();
            delete(dir);
        });
        return server.port();
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
