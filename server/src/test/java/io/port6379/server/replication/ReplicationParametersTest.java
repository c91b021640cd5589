// The replication parameters and rules beyond the stream itself, each checked on redis-servers and on ours alike.
package io.port6379.server.replication;

import io.port6379.server.TestServer;
import io.port6379.server.main.Main;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.port6379.server.replication.ReplicationInteropTest.assertEventually;
import static io.port6379.server.replication.ReplicationInteropTest.awaitInSync;
import static io.port6379.server.replication.ReplicationInteropTest.cmd;
import static io.port6379.server.replication.ReplicationInteropTest.field;
import static io.port6379.server.replication.ReplicationInteropTest.jedis;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each scenario runs on a pair of redis-servers 7.0.15, then on a pair of ours, and what both pairs showed must be
 * the same lines: {@code bind-source-addr}, {@code replica-ignore-maxmemory}, {@code replica-lazy-flush},
 * {@code rdb-del-sync-files}, {@code propagation-error-behavior}, {@code shutdown-timeout} (SHUTDOWN waits for a
 * lagging replica, SHUTDOWN ABORT), the expired keys of a master's RDB kept until its DEL, WATCHed keys touched by a
 * full sync, INFO's replication memory, and the role mark of a replica's log lines.
 */
class ReplicationParametersTest {

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable node : started.reversed()) {
            node.close();
        }
        started.clear();
    }

    /** A node: its port and its working directory. */
    record Node(int port, Path dir) {
    }

    private interface Scenario {
        void run(boolean real, List<String> lines) throws Exception;
    }

    /** Runs {@code scenario} on redis-servers and on ours; both must show the same lines, which are returned. */
    private List<String> onBoth(Scenario scenario) throws Exception {
        List<String> real = new ArrayList<>();
        scenario.run(true, real);
        stopAll();
        List<String> ours = new ArrayList<>();
        scenario.run(false, ours);
        assertEquals(String.join("\n", real), String.join("\n", ours));
        return ours;
    }

    @Test
    void bindSourceAddrIsTheAddressTheMasterSeesTheReplicaFrom() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            Node master = start(real, "--protected-mode", "no");
            Node replica = start(real, "--bind-source-addr", "127.0.0.2");
            try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                r.replicaof("127.0.0.1", master.port());
                awaitInSync(m, r);
                String slave = field(m.info("replication"), "slave0");
                out.add("replica seen from " + slave.substring(0, slave.indexOf(",port=")));
            }
        });
        assertEquals(List.of("replica seen from ip=127.0.0.2"), lines);
    }

    @Test
    void aReplicaIgnoresMaxmemoryUnlessToldOtherwise() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            for (String ignore : List.of("yes", "no")) {
                Node master = start(real);
                Node replica = start(real, "--maxmemory", "2mb", "--maxmemory-policy", "allkeys-random",
                        "--replica-ignore-maxmemory", ignore);
                try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                    r.replicaof("127.0.0.1", master.port());
                    awaitInSync(m, r);
                    String value = "x".repeat(2000);
                    for (int i = 0; i < 3000; i++) {
                        m.set("key:" + i, value);
                    }
                    awaitInSync(m, r);
                    out.add("ignore " + ignore + ": all keys on the replica " + (r.dbSize() == m.dbSize()));
                }
            }
        });
        assertEquals(List.of("ignore yes: all keys on the replica true", "ignore no: all keys on the replica false"), lines);
    }

    @Test
    void replicaLazyFlushCountsTheOldKeysAsFreedLazily() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            for (String lazy : List.of("yes", "no")) {
                Node master = start(real);
                Node replica = start(real, "--replica-lazy-flush", lazy, "--repl-diskless-load", "disabled");
                try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                    m.set("from-master", "1");
                    for (int i = 0; i < 100; i++) {
                        r.set("old:" + i, "v");
                    }
                    r.replicaof("127.0.0.1", master.port());
                    awaitInSync(m, r);
                    long expected = lazy.equals("yes") ? 100 : 0;
                    assertEventually(() -> field(r.info("memory"), "lazyfreed_objects").equals(Long.toString(expected)),
                            "lazyfreed_objects " + expected);
                    out.add("lazy " + lazy + ": lazyfreed_objects " + field(r.info("memory"), "lazyfreed_objects")
                            + ", keys " + r.dbSize());
                }
            }
        });
        assertEquals(List.of("lazy yes: lazyfreed_objects 100, keys 1", "lazy no: lazyfreed_objects 0, keys 1"), lines);
    }

    @Test
    void rdbDelSyncFilesRemovesTheReceivedRdbWhenPersistenceIsOff() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            for (String delete : List.of("yes", "no")) {
                Node master = start(real, "--repl-diskless-sync", "no");
                Node replica = start(real, "--rdb-del-sync-files", delete, "--repl-diskless-load", "disabled");
                try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                    m.set("k", "v");
                    r.replicaof("127.0.0.1", master.port());
                    awaitInSync(m, r);
                    Path rdb = replica.dir().resolve("dump.rdb");
                    if (delete.equals("yes")) {
                        assertEventually(() -> !Files.exists(rdb), "the RDB removed");
                    }
                    out.add("rdb-del-sync-files " + delete + ": the replica keeps dump.rdb " + Files.exists(rdb)
                            + ", get " + r.get("k"));
                }
            }
        });
        assertEquals(List.of("rdb-del-sync-files yes: the replica keeps dump.rdb false, get v",
                "rdb-del-sync-files no: the replica keeps dump.rdb true, get v"), lines);
    }

    /**
     * The master's side of {@code rdb-del-sync-files}: the RDB a full sync on disk saved in the master's directory is
     * deleted once sent when the master has no persistence (Redis's removeRDBUsedToSyncReplicas, from its once-a-second
     * replication cron), and kept when the parameter is off or when {@code save} points make it the master's own data.
     */
    @Test
    void rdbDelSyncFilesRemovesTheRdbAMasterSavedForAFullSync() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            for (List<String> settings : List.of(List.of("yes", ""), List.of("no", ""), List.of("yes", "3600 1"))) {
                Node master = start(real, "--repl-diskless-sync", "no", "--rdb-del-sync-files", settings.get(0),
                        "--save", settings.get(1));
                Node replica = start(real);
                try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                    m.set("k", "v");
                    r.replicaof("127.0.0.1", master.port());
                    awaitInSync(m, r);
                    Path rdb = master.dir().resolve("dump.rdb");
                    if (settings.equals(List.of("yes", ""))) {
                        assertEventually(() -> !Files.exists(rdb), "the RDB removed");
                    } else {
                        Thread.sleep(1500); // more than a turn of the cron that would delete it
                    }
                    out.add("rdb-del-sync-files " + settings.get(0) + ", save '" + settings.get(1)
                            + "': the master keeps dump.rdb " + Files.exists(rdb) + ", replica get " + r.get("k"));
                }
            }
        });
        assertEquals(List.of("rdb-del-sync-files yes, save '': the master keeps dump.rdb false, replica get v",
                "rdb-del-sync-files no, save '': the master keeps dump.rdb true, replica get v",
                "rdb-del-sync-files yes, save '3600 1': the master keeps dump.rdb true, replica get v"), lines);
    }

    /**
     * A command of the master's stream that fails on the replica (INCR of a key the replica holds as a list, written
     * while it was writable): logged and counted in {@code unexpected_error_replies}; with panic-on-replicas the
     * replica stops.
     */
    @Test
    void propagationErrorBehaviorDecidesWhetherAReplicaStopsOnAFailedCommand() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            for (String behavior : List.of("ignore", "panic-on-replicas")) {
                Node master = start(real);
                Node replica = start(real, "--propagation-error-behavior", behavior, "--replica-read-only", "no");
                try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                    r.replicaof("127.0.0.1", master.port());
                    awaitInSync(m, r);
                    r.rpush("k", "a");
                    r.configSet("replica-read-only", "yes");
                    m.incr("k");
                    m.set("after", "1");
                    if (behavior.equals("ignore")) {
                        awaitInSync(m, r);
                        out.add(behavior + ": unexpected_error_replies " + field(r.info("stats"), "unexpected_error_replies")
                                + ", then " + r.get("after"));
                    } else {
                        assertEventually(() -> !answers(replica.port()), "the replica stopped");
                        out.add(behavior + ": the replica stopped");
                    }
                }
            }
        });
        assertEquals(List.of("ignore: unexpected_error_replies 1, then 1", "panic-on-replicas: the replica stopped"), lines);
    }

    /**
     * SHUTDOWN on a master whose replica sleeps (DEBUG SLEEP) waits for its ACK, serving reads meanwhile; SHUTDOWN
     * ABORT from another client ends the wait with an error for SHUTDOWN; a SHUTDOWN not aborted ends once the replica
     * has acknowledged everything, which it then holds.
     */
    @Test
    void shutdownWaitsForALaggingReplicaAndAbortEndsTheWait() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            Node master = start(real);
            Node replica = start(real);
            try (Jedis m = jedis(master.port()); Jedis other = jedis(master.port()); Jedis r = jedis(replica.port())) {
                r.replicaof("127.0.0.1", master.port());
                awaitInSync(m, r);
                out.add("abort without shutdown: " + error(() -> other.sendCommand(cmd("SHUTDOWN"), "ABORT")));
                sleep(replica.port(), "3");
                m.set("k", "v");
                CompletableFuture<String> shutdown = CompletableFuture.supplyAsync(() -> error(() -> m.shutdown()));
                Thread.sleep(300);
                out.add("a read while shutting down: " + other.get("k"));
                out.add("abort: " + new String((byte[]) other.sendCommand(cmd("SHUTDOWN"), "ABORT"), StandardCharsets.UTF_8));
                out.add("shutdown aborted: " + shutdown.get(10, TimeUnit.SECONDS));
            }
            try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                assertEventually(() -> answers(replica.port()), "the replica woke");
                sleep(replica.port(), "1");
                m.set("k2", "v2");
                CompletableFuture<String> shutdown = CompletableFuture.supplyAsync(() -> error(() -> m.shutdown()));
                out.add("shutdown: " + shutdown.get(10, TimeUnit.SECONDS));
                assertEventually(() -> answers(replica.port()), "the replica woke");
                out.add("the replica holds the last write: " + r.get("k2"));
                out.add("the master answers: " + answers(master.port()));
            }
        });
        assertEquals(List.of("abort without shutdown: ERR No shutdown in progress.", "a read while shutting down: v",
                "abort: OK", "shutdown aborted: ERR Errors trying to SHUTDOWN. Check logs.", "shutdown: no error",
                "the replica holds the last write: v2", "the master answers: false"), lines);
    }

    /** Redis's rule: a replica loads the keys of its master's RDB even if already expired; the master's DEL removes them. */
    @Test
    void aReplicaKeepsExpiredKeysOfTheRdbUntilTheMastersDel() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            Node master = start(real);
            Node replica = start(real);
            try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                m.sendCommand(cmd("DEBUG"), "SET-ACTIVE-EXPIRE", "0");
                m.set("live", "1");
                m.psetex("gone", 50, "1");
                Thread.sleep(100);
                r.replicaof("127.0.0.1", master.port());
                awaitInSync(m, r);
                out.add("replica keys after the sync: " + r.dbSize() + ", get " + r.get("gone"));
                out.add("master get: " + m.get("gone"));
                awaitInSync(m, r);
                out.add("replica keys after the master's DEL: " + r.dbSize());
            }
        });
        assertEquals(List.of("replica keys after the sync: 2, get null", "master get: null",
                "replica keys after the master's DEL: 1"), lines);
    }

    @Test
    void aFullSyncTouchesTheWatchedKeysItFlushes() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            Node master = start(real);
            Node replica = start(real);
            try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port()); Jedis admin = jedis(replica.port())) {
                m.set("w", "from master");
                r.set("w", "mine");
                r.watch("w");
                admin.replicaof("127.0.0.1", master.port());
                awaitInSync(m, admin);
                Transaction multi = r.multi();
                multi.get("w");
                out.add("exec after the full sync: " + multi.exec());
            }
        });
        assertEquals(List.of("exec after the full sync: null"), lines);
    }

    @Test
    void replicationMemoryInInfoIsTheBacklogsWhileTheReplicasKeepUp() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            Node master = start(real);
            Node replica = start(real);
            try (Jedis m = jedis(master.port()); Jedis r = jedis(replica.port())) {
                out.add("no backlog yet: " + field(m.info("memory"), "mem_replication_backlog"));
                r.replicaof("127.0.0.1", master.port());
                for (int i = 0; i < 100; i++) {
                    m.set("key:" + i, "value");
                }
                awaitInSync(m, r);
                String memory = m.info("memory");
                out.add("backlog in use: " + (Long.parseLong(field(memory, "mem_replication_backlog")) > 0)
                        + ", replicas beyond it: " + field(memory, "mem_clients_slaves")
                        + ", total: " + (Long.parseLong(field(memory, "mem_total_replication_buffers")) > 0));
            }
        });
        assertEquals(List.of("no backlog yet: 0", "backlog in use: true, replicas beyond it: 0, total: true"),
                lines);
    }

    /** Redis marks a replica's log lines {@code pid:S} where a master's read {@code pid:M}. */
    @Test
    void aReplicasLogLinesCarryTheRoleMarkS() throws Exception {
        List<String> lines = onBoth((real, out) -> {
            Node master = start(real);
            int port = freePort();
            List<String> command = new ArrayList<>();
            if (real) {
                command.add(Binaries.require("redis-server").toString());
            } else {
                command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                        System.getProperty("java.class.path"), Main.class.getName()));
            }
            Path dir = Files.createTempDirectory("replica-log");
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--dir",
                    dir.toString(), "--replicaof", "127.0.0.1", Integer.toString(master.port())));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            started.add(() -> {
                process.destroyForcibly().waitFor();
                delete(dir);
            });
            try (BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = log.readLine()) != null && !line.contains("MASTER <-> REPLICA sync: Finished with success")) {
                    continue;
                }
                out.add("role mark: " + (line == null ? "none" : line.substring(line.indexOf(':') + 1, line.indexOf(':') + 2)));
            }
        });
        assertEquals(List.of("role mark: S"), lines);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void sleep(int port, String seconds) {
        Thread.ofVirtual().start(() -> {
            try (Jedis asleep = jedis(port)) {
                asleep.sendCommand(cmd("DEBUG"), "SLEEP", seconds);
            } catch (RuntimeException ignored) {
                // the sleeper's reply does not matter
            }
        });
        try {
            Thread.sleep(200); // the replica cannot tell it sleeps: it answers nobody until it wakes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean answers(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 500)) {
            return jedis.ping().equals("PONG");
        } catch (JedisConnectionException e) {
            return false;
        }
    }

    private static String error(Runnable call) {
        try {
            call.run();
            return "no error";
        } catch (JedisDataException e) {
            return e.getMessage();
        } catch (JedisConnectionException e) {
            return "closed";
        }
    }

    private Node start(boolean real, String... extra) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("replication-parameters");
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--save", "", "--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0"));
        args.addAll(List.of(extra));
        if (real) {
            RealRedis redis = RealRedis.start(args.toArray(String[]::new));
            started.add(() -> {
                redis.close();
                delete(dir);
            });
            return new Node(redis.port(), dir);
        }
        TestServer server = TestServer.start(args.toArray(String[]::new));
        started.add(() -> {
            server.close();
            delete(dir);
        });
        return new Node(server.port(), dir);
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
