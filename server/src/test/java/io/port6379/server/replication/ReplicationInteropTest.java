// Replication between our server and a real redis-server 7.0.15, both ways: full sync on disk and diskless, partial resync.
package io.port6379.server.replication;

import io.port6379.server.TestServer;
import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each test builds a master and a replica, one of them ours and the other Debian's redis-server, writes data of every
 * type on the master, waits until the replica's offset reaches the master's, and compares {@code DEBUG DIGEST} (the
 * same SHA-1 mixing on both servers). The link is cut with {@code CLIENT KILL TYPE master} on the replica: it must come
 * back with a partial resynchronisation ({@code sync_partial_ok} grows, {@code sync_full} does not). In CI a missing
 * redis-server fails the test (see {@link RealRedis}).
 */
class ReplicationInteropTest {

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable node : started.reversed()) {
            node.close();
        }
    }

    @Test
    void realRedisReplicatesFromOursDiskless() throws Exception {
        int master = ours("--repl-diskless-sync", "yes");
        int replica = real();
        fullThenPartial(master, replica);
    }

    @Test
    void realRedisReplicatesFromOursOnDisk() throws Exception {
        int master = ours("--repl-diskless-sync", "no");
        int replica = real();
        fullThenPartial(master, replica);
    }

    @Test
    void oursReplicatesFromRealRedisOnDisk() throws Exception {
        int master = real("--repl-diskless-sync", "no");
        int replica = ours("--repl-diskless-load", "disabled");
        fullThenPartial(master, replica);
    }

    @Test
    void oursReplicatesFromRealRedisDiskless() throws Exception {
        int master = real("--repl-diskless-sync", "yes");
        int replica = ours("--repl-diskless-load", "swapdb");
        fullThenPartial(master, replica);
    }

    @Test
    void oursReplicatesFromOurs() throws Exception {
        int master = ours();
        int replica = ours();
        fullThenPartial(master, replica);
    }

    /**
     * PSYNC2: a replica promoted with REPLICAOF NO ONE keeps the old history as replid2, so its former sibling (a
     * real redis-server) continues with a partial resync when it follows the new master.
     */
    @Test
    void promotedReplicaKeepsPartialResyncForItsSibling() throws Exception {
        int master = ours();
        int promoted = ours();
        int sibling = real();
        try (Jedis m = jedis(master); Jedis p = jedis(promoted); Jedis s = jedis(sibling)) {
            p.replicaof("127.0.0.1", master);
            s.replicaof("127.0.0.1", master);
            writeEverything(m, new Random(7), 200);
            awaitInSync(m, p);
            awaitInSync(m, s);
            p.replicaofNoOne();
            String promotedInfo = p.info("replication");
            assertEquals(field(m.info("replication"), "master_replid"), field(promotedInfo, "master_replid2"));
            s.replicaof("127.0.0.1", promoted);
            awaitInSync(p, s);
            assertEquals(1, stat(p, "sync_partial_ok"), "the sibling continued partially");
            assertEquals(0, stat(p, "sync_full"));
            writeEverything(p, new Random(8), 100);
            awaitInSync(p, s);
            assertEquals(digest(p), digest(s));
        }
    }

    /** A chain: a real redis-server replicates from our replica, which proxies exactly the bytes it applied. */
    @Test
    void realRedisReplicatesFromOurReplica() throws Exception {
        int master = ours();
        int middle = ours();
        int leaf = real();
        try (Jedis m = jedis(master); Jedis mid = jedis(middle); Jedis l = jedis(leaf)) {
            mid.replicaof("127.0.0.1", master);
            writeEverything(m, new Random(11), 200);
            awaitInSync(m, mid);
            m.select(3);
            m.set("in-db-3", "so the stream is in database 3 when the leaf syncs");
            m.select(0);
            awaitInSync(m, mid);
            l.replicaof("127.0.0.1", middle);
            writeEverything(m, new Random(12), 200);
            awaitInSync(m, mid);
            awaitInSync(mid, l);
            assertEquals(digest(m), digest(mid));
            assertEquals(digest(m), digest(l));
            assertEquals(field(m.info("replication"), "master_replid"), field(l.info("replication"), "master_replid"));
        }
    }

    /** Full sync, random writes, digest; then the link is cut, more writes, and the replica comes back partially. */
    private void fullThenPartial(int masterPort, int replicaPort) throws Exception {
        try (Jedis master = jedis(masterPort); Jedis replica = jedis(replicaPort)) {
            Random random = new Random(42);
            writeEverything(master, random, 300); // before the sync: part of the RDB
            assertEquals("OK", replica.replicaof("127.0.0.1", masterPort));
            writeEverything(master, random, 300); // during and after: the stream
            awaitInSync(master, replica);
            assertEquals(digest(master), digest(replica));
            long fullSyncs = stat(master, "sync_full");
            long partial = stat(master, "sync_partial_ok");
            assertEquals(1, fullSyncs);

            replica.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
                    .type(redis.clients.jedis.args.ClientType.MASTER));
            writeEverything(master, random, 200); // while the link is down: from the backlog
            awaitInSync(master, replica);
            assertEquals(partial + 1, stat(master, "sync_partial_ok"), "the replica continued partially");
            assertEquals(fullSyncs, stat(master, "sync_full"), "no second full sync");
            assertEquals(digest(master), digest(replica));
        }
    }

    // ---- the data ----------------------------------------------------------------------------------------------

    /** Writes of every type, with expiries far in the future, MULTI/EXEC, EVAL, and a second database. */
    static void writeEverything(Jedis jedis, Random random, int count) {
        for (int i = 0; i < count; i++) {
            String n = Integer.toString(random.nextInt(40));
            switch (random.nextInt(16)) {
                case 0 -> jedis.set("s" + n, "v" + random.nextInt(1000));
                case 1 -> jedis.append("s" + n, "+" + random.nextInt(9));
                case 2 -> jedis.incrBy("i" + n, random.nextInt(100) - 50);
                case 3 -> jedis.incrByFloat("f" + n, random.nextInt(1000) / 7.0);
                case 4 -> jedis.rpush("l" + n, "a" + random.nextInt(100), "b" + random.nextInt(100));
                case 5 -> jedis.lpop("l" + n);
                case 6 -> jedis.hset("h" + n, "f" + random.nextInt(20), "v" + random.nextInt(100));
                case 7 -> jedis.sadd("t" + n, "m" + random.nextInt(50));
                case 8 -> jedis.spop("t" + n);
                case 9 -> jedis.zadd("z" + n, random.nextInt(1000) / 3.0, "m" + random.nextInt(50));
                case 10 -> jedis.zpopmin("z" + n);
                case 11 -> jedis.xadd("x" + n, redis.clients.jedis.StreamEntryID.NEW_ENTRY, java.util.Map.of("f", "v" + i));
                case 12 -> jedis.expire("s" + n, 1000 + random.nextInt(1000));
                case 13 -> {
                    redis.clients.jedis.Transaction multi = jedis.multi();
                    multi.set("m" + n, "x");
                    multi.incr("mi" + n);
                    multi.exec();
                }
                case 14 -> jedis.eval("redis.call('set', KEYS[1], ARGV[1]); return redis.call('incr', KEYS[2])",
                        List.of("e" + n, "ei" + n), List.of("v" + i));
                default -> {
                    jedis.select(3);
                    jedis.sadd("db3-" + n, "m" + i);
                    jedis.select(0);
                }
            }
        }
    }

    // ---- waiting and reading -----------------------------------------------------------------------------------

    /** Polls until the replica's applied offset equals the master's (10 s at most). */
    static void awaitInSync(Jedis master, Jedis replica) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            String replicaInfo = replica.info("replication");
            long masterOffset = Long.parseLong(field(master.info("replication"), "master_repl_offset"));
            last = replicaInfo;
            if (field(replicaInfo, "master_link_status").equals("up")
                    && Long.parseLong(field(replicaInfo, "slave_repl_offset")) == masterOffset) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the replica did not catch up:\n" + last + "\nmaster:\n" + master.info("replication"));
    }

    static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return "";
    }

    static long stat(Jedis jedis, String name) {
        return Long.parseLong(field(jedis.info("stats"), name));
    }

    static String digest(Jedis jedis) {
        return SafeEncoder.encode((byte[]) jedis.sendCommand(cmd("DEBUG"), "DIGEST"));
    }

    static ProtocolCommand cmd(String name) {
        byte[] raw = SafeEncoder.encode(name);
        return () -> raw;
    }

    // ---- the servers -------------------------------------------------------------------------------------------

    private int ours(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--save", "", "--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0"));
        args.addAll(List.of(extra));
        TestServer server = TestServer.start(args.toArray(String[]::new));
        started.add(server);
        return server.port();
    }

    private int real(String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0"));
        args.addAll(List.of(extra));
        RealRedis redis = RealRedis.start(args.toArray(String[]::new));
        started.add(redis);
        return redis.port();
    }

    static Jedis jedis(int port) {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    static void assertEventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }
}
