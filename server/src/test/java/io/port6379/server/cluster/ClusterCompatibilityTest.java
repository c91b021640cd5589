// A cluster node of ours answers as a real redis-server node with the same nodes.conf: slot map, routing, errors.
package io.port6379.server.cluster;

import io.port6379.server.TestServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both servers start from the same {@code nodes.conf}: this node ("myself") serves slots 0-8191 and knows a second
 * master serving 8192-16383, whose address no one listens on. Without a link to it nobody sends it a PING, so it
 * never turns PFAIL, and the cluster stays ok: every redirection, refusal and slot-map reply is deterministic and
 * compared byte for byte (the servers' own ports replaced by {@code PORT} and {@code CPORT}; replies listing
 * nodes in Redis's hash order are compared sorted).
 */
class ClusterCompatibilityTest {

    static final String MYSELF = "a".repeat(40);
    static final String OTHER = "b".repeat(40);
    /** Slot 15495 is "a"'s, served by the other node; 12182 ("foo") too; 5061 ("bar") is ours. */
    static final String THEIR_KEY = "a";
    static final String OUR_KEY = "bar";

    private static final List<Server> servers = new ArrayList<>();
    private static int otherPort;

    record Server(String name, int port, int cport, AutoCloseable process, Path directory) {
        String call(String... args) throws IOException {
            try (RespConnection connection = new RespConnection(port)) {
                return normalise(connection.call(args));
            }
        }

        /**
         * The reply with this server's ports as PORT and CPORT, and without what depends on the bus's attempts to
         * reach the other node (message counts, PING times): bulk lengths are counted again after that.
         */
        String normalise(String reply) {
            String text = reply.replace(":" + port + "@" + cport, ":PORT@CPORT").replace(":" + port + "\r\n", ":PORT\r\n")
                    .replaceAll("cluster_stats_messages_[a-z-]+_(sent|received):\\d+\r\n", "")
                    .replaceAll("cluster_stats_messages_(sent|received):\\d+", "cluster_stats_messages_$1:N")
                    .replaceAll("(?m)^([0-9a-f]{40} \\S+ \\S+ \\S+) \\d+ \\d+ ", "$1 0 0 ");
            java.util.regex.Matcher bulk = java.util.regex.Pattern.compile("(?s)^\\$\\d+\r\n(.*)\r\n$").matcher(text);
            return bulk.matches() ? "$" + bulk.group(1).length() + "\r\n" + bulk.group(1) + "\r\n" : text;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        otherPort = freePort();
        int realCport = freePort();
        Path realDirectory = directory(realCport);
        RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", String.valueOf(realCport),
                "--cluster-node-timeout", "600000", "--dir", realDirectory.toString());
        servers.add(new Server("redis-server", redis.port(), realCport, redis, realDirectory));
        int ourCport = freePort();
        Path ourDirectory = directory(ourCport);
        TestServer ours = TestServer.start("--cluster-enabled", "yes", "--cluster-port", String.valueOf(ourCport),
                "--cluster-node-timeout", "600000", "--dir", ourDirectory.toString(), "--save", "");
        servers.add(new Server("port6379", ours.port(), ourCport, ours, ourDirectory));
        for (Server server : servers) {
            long deadline = System.currentTimeMillis() + 20_000; // a master waits 2 s after start-up before "ok"
            while (!server.call("CLUSTER", "INFO").contains("cluster_state:ok")) {
                assertTrue(System.currentTimeMillis() < deadline, server.name() + " never said cluster_state:ok");
                Thread.sleep(100);
            }
        }
    }

    /** A directory holding the two-node nodes.conf, with the bus port this server is given. */
    private static Path directory(int cport) throws IOException {
        Path directory = Files.createTempDirectory("cluster-node");
        Files.writeString(directory.resolve("nodes.conf"),
                MYSELF + " 127.0.0.1:0@" + cport + " myself,master - 0 0 1 connected 0-8191\n"
                + OTHER + " 127.0.0.1:" + otherPort + "@" + (otherPort + 1) + " master - 0 0 2 disconnected 8192-16383\n"
                + "vars currentEpoch 2 lastVoteEpoch 0\n");
        return directory;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Server server : servers) {
            server.process().close();
            try (var files = Files.walk(server.directory())) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        servers.clear();
    }

    @BeforeEach
    void emptyAndStable() throws IOException {
        for (Server server : servers) {
            server.call("FLUSHALL");
            server.call("CLUSTER", "SETSLOT", "5061", "STABLE");
            server.call("CLUSTER", "SETSLOT", "15495", "STABLE");
        }
    }

    /** Each connection's commands in order, on both servers: every reply must be the same. */
    private static void same(String[]... commands) throws IOException {
        List<List<String>> replies = new ArrayList<>();
        for (Server server : servers) {
            List<String> these = new ArrayList<>();
            try (RespConnection connection = new RespConnection(server.port())) {
                for (String[] command : commands) {
                    these.add(server.normalise(connection.call(command)));
                }
            }
            replies.add(these);
        }
        for (int i = 0; i < commands.length; i++) {
            assertEquals(replies.get(0).get(i), replies.get(1).get(i), "reply to " + Arrays.toString(commands[i]));
        }
    }

    private static String[] c(String... args) {
        return args;
    }

    /** A reply whose lines or elements come in the hash order of Redis's node table: compared sorted. */
    private static void sameSorted(String... command) throws IOException {
        List<String> sorted = new ArrayList<>();
        for (Server server : servers) {
            String reply = server.call(command);
            List<String> parts = new ArrayList<>(List.of(reply.split("\n")));
            parts.sort(null);
            sorted.add(String.join("\n", parts));
        }
        assertEquals(sorted.get(0), sorted.get(1), "reply to " + Arrays.toString(command));
    }

    @Test
    void infoAndMyIdAreRedis() throws IOException {
        same(c("CLUSTER", "INFO"), c("CLUSTER", "MYID"), c("INFO", "cluster"), c("CLUSTER", "KEYSLOT", "{user1000}.following"),
                c("CLUSTER", "KEYSLOT", "foo{}{bar}"), c("CLUSTER", "KEYSLOT", ""));
    }

    @Test
    void nodesSlotsAndShardsDescribeTheSameCluster() throws IOException {
        sameSorted("CLUSTER", "NODES");
        sameSorted("CLUSTER", "SLOTS");
        sameSorted("CLUSTER", "SHARDS");
        same(c("CLUSTER", "REPLICAS", MYSELF), c("CLUSTER", "SLAVES", OTHER), c("CLUSTER", "COUNT-FAILURE-REPORTS", OTHER));
    }

    @Test
    void aKeyOfAnotherNodesSlotIsMoved() throws IOException {
        same(c("SET", THEIR_KEY, "1"), c("GET", "foo"), c("SET", OUR_KEY, "1"), c("GET", OUR_KEY),
                c("MGET", OUR_KEY, THEIR_KEY), c("MSET", "{x}1", "a", "{x}2", "b"), c("DEL", "{bar}1", "{bar}2", OUR_KEY),
                c("SPUBLISH", THEIR_KEY, "m"), c("SPUBLISH", OUR_KEY, "m"), c("PING"), c("DBSIZE"), c("KEYS", "*"));
    }

    @Test
    void helloAndInfoSayClusterMode() throws IOException {
        List<String> replies = new ArrayList<>();
        for (Server server : servers) {
            try (RespConnection connection = new RespConnection(server.port())) {
                String hello = connection.call("HELLO", "2").replaceAll("\\$2\r\nid\r\n:\\d+", "\\$2\r\nid\r\n:ID");
                String info = connection.call("INFO", "server");
                replies.add(hello + info.substring(info.indexOf("redis_mode:"), info.indexOf("\r\n", info.indexOf("redis_mode:"))));
            }
        }
        assertEquals(replies.get(0), replies.get(1));
        assertTrue(replies.get(1).contains("cluster") && replies.get(1).endsWith("redis_mode:cluster"), replies.get(1));
    }

    @Test
    void oneDatabaseOnly() throws IOException {
        same(c("SELECT", "0"), c("SELECT", "1"), c("SELECT", "x"), c("SWAPDB", "0", "1"), c("MOVE", OUR_KEY, "1"),
                c("COPY", OUR_KEY, "{bar}x", "DB", "1"), c("COPY", OUR_KEY, "{bar}x", "DB", "0"), c("REPLICAOF", "NO", "ONE"),
                c("FAILOVER"));
    }

    @Test
    void migratingSlotAsksForMissingKeysAndTriesAgainForSomeMissing() throws IOException {
        same(c("SET", "{bar}here", "1"), c("CLUSTER", "SETSLOT", "5061", "MIGRATING", OTHER), c("GET", "{bar}here"),
                c("GET", "{bar}gone"), c("MGET", "{bar}here", "{bar}gone"), c("MGET", "{bar}here", "{bar}here"),
                c("CLUSTER", "COUNTKEYSINSLOT", "5061"),
                c("CLUSTER", "GETKEYSINSLOT", "5061", "10"), c("CLUSTER", "SETSLOT", "5061", "NODE", OTHER),
                c("CLUSTER", "SETSLOT", "5061", "STABLE"));
        sameSorted("CLUSTER", "NODES");
    }

    /** CLIENT LIST's {@code r} flag: on while READONLY holds, gone after READWRITE. */
    @Test
    void readonlyClientsCarryTheFlagR() throws IOException {
        List<List<String>> flags = new ArrayList<>();
        for (Server server : servers) {
            try (RespConnection connection = new RespConnection(server.port())) {
                List<String> seen = new ArrayList<>();
                for (String mode : new String[] {"READONLY", "READWRITE"}) {
                    connection.call(mode);
                    java.util.regex.Matcher flag = java.util.regex.Pattern.compile(" flags=(\\S*) ")
                            .matcher(connection.call("CLIENT", "INFO"));
                    seen.add(mode + " " + (flag.find() ? flag.group(1) : "none"));
                }
                flags.add(seen);
            }
        }
        assertEquals(List.of("READONLY r", "READWRITE N"), flags.get(0));
        assertEquals(flags.get(0), flags.get(1));
    }

    @Test
    void importingSlotServesAskingClientsOnce() throws IOException {
        same(c("CLUSTER", "SETSLOT", "15495", "IMPORTING", OTHER), c("GET", THEIR_KEY), c("ASKING"), c("GET", THEIR_KEY),
                c("GET", THEIR_KEY), c("ASKING"), c("SET", THEIR_KEY, "v"), c("ASKING"), c("MGET", THEIR_KEY, "{a}b"),
                c("ASKING"), c("MULTI"), c("GET", THEIR_KEY), c("GET", THEIR_KEY), c("EXEC"), c("GET", THEIR_KEY),
                c("READONLY"), c("GET", THEIR_KEY), c("READWRITE"), c("DEL", THEIR_KEY));
        sameSorted("CLUSTER", "NODES");
    }

    @Test
    void transactionsAreJudgedByEveryQueuedKey() throws IOException {
        same(c("MULTI"), c("SET", THEIR_KEY, "1"), c("SET", OUR_KEY, "1"), c("EXEC"),
                c("MULTI"), c("SET", OUR_KEY, "1"), c("SET", "{bar}2", "2"), c("EXEC"),
                c("MULTI"), c("GET", OUR_KEY), c("GET", "foo{x}"), c("EXEC"), c("DEL", OUR_KEY, "{bar}2"));
    }

    @Test
    void scriptsMayOnlyTouchLocalKeysOfOneSlot() throws IOException {
        same(c("EVAL", "return redis.call('get', KEYS[1])", "1", THEIR_KEY),
                c("EVAL", "return redis.call('get', KEYS[1])", "1", OUR_KEY),
                c("EVAL", "return redis.call('get', 'a')", "0"),
                c("EVAL", "redis.call('set', 'bar', 1) return redis.call('set', '{bar}x', 2)", "0"),
                c("EVAL", "#!lua\nredis.call('set', 'bar', 1) return redis.call('set', 'b', 2)", "0"),
                c("EVAL", "#!lua flags=allow-cross-slot-keys\nredis.call('set', 'bar', 1) return redis.call('set', 'b', 2)", "0"),
                c("EVAL", "#!lua flags=no-cluster\nreturn 1", "0"),
                c("EVAL", "return 1", "2", OUR_KEY, THEIR_KEY), c("DEL", OUR_KEY, "{bar}x"), c("DEL", "b"));
    }

    @Test
    void slotAssignmentErrorsAreRedis() throws IOException {
        same(c("CLUSTER", "ADDSLOTS", "1"), c("CLUSTER", "ADDSLOTS", "9000"), c("CLUSTER", "ADDSLOTS", "x"),
                c("CLUSTER", "ADDSLOTS", "16384"), c("CLUSTER", "ADDSLOTSRANGE", "1"), c("CLUSTER", "ADDSLOTSRANGE", "5", "3"),
                c("CLUSTER", "DELSLOTS", "8192"), c("CLUSTER", "DELSLOTSRANGE", "1", "2", "2", "3"),
                c("CLUSTER", "SETSLOT", "1", "foo"), c("CLUSTER", "SETSLOT", "1", "NODE", "abc"),
                c("CLUSTER", "SETSLOT", "9000", "MIGRATING", OTHER), c("CLUSTER", "SETSLOT", "1", "IMPORTING", OTHER),
                c("CLUSTER", "SETSLOT", "1", "MIGRATING", "abc"), c("CLUSTER", "SETSLOT", "x", "STABLE"),
                c("CLUSTER", "COUNTKEYSINSLOT", "x"), c("CLUSTER", "COUNTKEYSINSLOT", "16384"),
                c("CLUSTER", "GETKEYSINSLOT", "1", "-1"), c("CLUSTER", "FORGET", "abc"), c("CLUSTER", "FORGET", MYSELF),
                c("CLUSTER", "REPLICATE", MYSELF), c("CLUSTER", "REPLICATE", OTHER), c("CLUSTER", "REPLICAS", "abc"),
                c("CLUSTER", "FAILOVER"), c("CLUSTER", "FAILOVER", "foo"), c("CLUSTER", "FAILOVER", "force", "x"), c("CLUSTER", "Reset", "hard", "x"),
                c("CLUSTER", "MEET", "1.2.3.4", "5", "6", "7"), c("CLUSTER", "MEET", "x", "y"),
                c("CLUSTER", "MEET", "1.2.3.4", "5", "z"), c("CLUSTER", "MEET", "bad", "5"),
                c("CLUSTER", "SET-CONFIG-EPOCH", "-1"), c("CLUSTER", "SET-CONFIG-EPOCH", "5"), c("CLUSTER", "RESET", "foo"),
                c("CLUSTER", "HELP"), c("CLUSTER", "NOPE"),
                c("CLUSTER", "BUMPEPOCH"));
    }

    /**
     * A client blocked on a slot that this node stops serving, or while the cluster goes down, is answered by the
     * cron with the error it would get now (Redis's {@code clusterRedirectBlockedClientIfNeeded}); a slot being
     * imported keeps an ASKING client waiting until the import is abandoned.
     */
    @Test
    void blockedClientsAreToldWhenTheirSlotIsServedNoMore() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        for (Server server : servers) {
            List<String> these = new ArrayList<>();
            try (RespConnection blocked = new RespConnection(server.port());
                 RespConnection admin = new RespConnection(server.port())) {
                blocked.timeout(10_000);
                takeBackOurSlot(admin); // an earlier test may have given it to the other node
                awaitOk(admin);
                try {
                    these.add(waitThen(blocked, admin, c("BLMOVE", OUR_KEY, "{bar}x", "LEFT", "RIGHT", "30"),
                            c("CLUSTER", "SETSLOT", "5061", "NODE", OTHER)));
                    admin.call("CLUSTER", "DELSLOTS", "5061");
                    admin.call("CLUSTER", "ADDSLOTS", "5061");
                    awaitOk(admin);
                    these.add(waitThen(blocked, admin, c("BZPOPMIN", "{bar}z", "30"), c("CLUSTER", "DELSLOTS", "5061")));
                    admin.call("CONFIG", "SET", "cluster-require-full-coverage", "no");
                    admin.call("CLUSTER", "ADDSLOTS", "5061");
                    awaitOk(admin);
                    these.add(waitThen(blocked, admin, c("XREAD", "BLOCK", "30000", "STREAMS", OUR_KEY, "$"),
                            c("CLUSTER", "DELSLOTS", "5061")));
                    admin.call("CLUSTER", "ADDSLOTS", "5061");
                    admin.call("CLUSTER", "SETSLOT", "15495", "IMPORTING", OTHER);
                    blocked.call("ASKING");
                    blocked.send("BLPOP", THEIR_KEY, "30");
                    awaitBlocked(admin, 1);
                    Thread.sleep(300); // a few cron ticks: an importing slot keeps its waiters
                    these.add("importing: " + admin.call("INFO", "clients").contains("blocked_clients:1"));
                    admin.call("CLUSTER", "SETSLOT", "15495", "STABLE");
                    these.add(server.normalise(blocked.readReply()));
                    these.add(admin.call("PING"));
                } finally {
                    admin.call("CONFIG", "SET", "cluster-require-full-coverage", "yes");
                    admin.call("CLUSTER", "SETSLOT", "15495", "STABLE");
                    takeBackOurSlot(admin);
                }
                awaitOk(admin);
            }
            seen.add(these.stream().map(line -> line.replace(":" + otherPort, ":OTHERPORT")).toList());
            assertEquals(6, these.size(), server.name() + ": " + these);
        }
        assertEquals(List.of("-MOVED 5061 127.0.0.1:OTHERPORT\r\n", "-CLUSTERDOWN The cluster is down\r\n",
                "-CLUSTERDOWN Hash slot not served\r\n", "importing: true", "-MOVED 15495 127.0.0.1:OTHERPORT\r\n",
                "+PONG\r\n"), seen.get(0));
        assertEquals(seen.get(0), seen.get(1));
    }

    /** Sends {@code blocking}, waits until it blocks, runs {@code change} and returns the blocked client's reply. */
    private static String waitThen(RespConnection blocked, RespConnection admin, String[] blocking, String[] change)
            throws Exception {
        blocked.send(blocking);
        awaitBlocked(admin, 1);
        admin.call(change);
        return blocked.readReply();
    }

    /** Slot 5061 ours again, whoever serves it now, and every slot served (an earlier test may delete 8192). */
    private static void takeBackOurSlot(RespConnection admin) throws IOException {
        admin.call("CLUSTER", "DELSLOTS", "5061");
        admin.call("CLUSTER", "ADDSLOTS", "5061");
        admin.call("CLUSTER", "ADDSLOTS", "8192");
    }

    private static void awaitBlocked(RespConnection admin, int clients) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!admin.call("INFO", "clients").contains("blocked_clients:" + clients + "\r\n")) {
            assertTrue(System.currentTimeMillis() < deadline, "never blocked");
            Thread.sleep(20);
        }
    }

    private static void awaitOk(RespConnection admin) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!admin.call("CLUSTER", "INFO").contains("cluster_state:ok")) {
            assertTrue(System.currentTimeMillis() < deadline, () -> "never ok again: " + describe(admin));
            Thread.sleep(20);
        }
    }

    private static String describe(RespConnection admin) {
        try {
            return admin.call("CLUSTER", "INFO") + admin.call("CLUSTER", "NODES") + admin.call("CONFIG", "GET", "cluster-*");
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void flushSlotsNeedsAnEmptyDatabase() throws IOException {
        same(c("SET", OUR_KEY, "1"), c("CLUSTER", "FLUSHSLOTS"), c("CLUSTER", "RESET"), c("DEL", OUR_KEY));
    }

    @Test
    void getKeysInSlotListsTheNewestFirst() throws IOException {
        same(c("SET", "{bar}1", "1"), c("SET", "{bar}2", "2"), c("RPUSH", "{bar}3", "x"), c("DEL", "{bar}2"),
                c("CLUSTER", "COUNTKEYSINSLOT", "5061"), c("CLUSTER", "GETKEYSINSLOT", "5061", "10"),
                c("CLUSTER", "GETKEYSINSLOT", "5061", "1"), c("CLUSTER", "GETKEYSINSLOT", "5061", "0"),
                c("FLUSHALL"), c("CLUSTER", "COUNTKEYSINSLOT", "5061"));
    }
}
