// ROLE, INFO replication, WAIT, READONLY, NOREPLICAS, REPLCONF and REPLICAOF: a pair of ours answers as a pair of redis-servers.
package io.port6379.server.replication;

import io.port6379.server.TestServer;
import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static io.port6379.server.replication.ReplicationInteropTest.cmd;
import static io.port6379.server.replication.ReplicationInteropTest.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each check runs on a master with one replica made of redis-servers, then on the same made of ours, and compares what
 * the two answered: error texts byte for byte, INFO's field names, ROLE's shape.
 */
class ReplicationCommandsTest {

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable node : started.reversed()) {
            node.close();
        }
    }

    /** What one pair answered, for comparison with the other pair. */
    private record Answers(List<String> lines) {
    }

    @Test
    void pairsOfOursAnswerAsPairsOfRedisServers() throws Exception {
        Answers real = exercise(true);
        Answers ours = exercise(false);
        assertEquals(String.join("\n", real.lines()), String.join("\n", ours.lines()));
    }

    @Test
    void failoverHandsTheMasterRoleToTheReplicaAsRedisDoes() throws Exception {
        Answers real = failover(true);
        Answers ours = failover(false);
        assertEquals(String.join("\n", real.lines()), String.join("\n", ours.lines()));
    }

    @Test
    void waitCountsTheReplicasThatHaveTheClientsOwnLastWrite() throws Exception {
        Answers real = waitForOwnWrite(true);
        Answers ours = waitForOwnWrite(false);
        assertEquals(String.join("\n", real.lines()), String.join("\n", ours.lines()));
        assertEquals(List.of("first: 1", "never wrote: 1", "b's write acknowledged: 1", "a's write, replica asleep: 0",
                "a's write, replica awake: 1"), ours.lines());
    }

    @Test
    void waitIsNotPropagatedWhileOtherClientsWrite() throws Exception {
        Answers real = waitWhileOthersWrite(true);
        Answers ours = waitWhileOthersWrite(false);
        assertEquals(String.join("\n", real.lines()), String.join("\n", ours.lines()));
        assertEquals(List.of("wait: 1", "replica keys: 51", "unexpected_error_replies: 0"), ours.lines());
    }

    @Test
    void aClientBlockedInWaitIsABlockedClientAsInRedis() throws Exception {
        Answers real = blockedInWait(true);
        Answers ours = blockedInWait(false);
        assertEquals(String.join("\n", real.lines()), String.join("\n", ours.lines()));
        assertEquals(List.of("answered: +OK\r\n:1\r\n+PONG\r\n", "blocked: 1, in timeout table: 0, flags: b",
                "unblock: 1", "unblocked: :1\r\n+PONG\r\n", "unblock error: 1",
                "unblocked with an error: -UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n",
                "timed: blocked 1, in timeout table 1", "timed out: :1\r\n", "after a disconnect: blocked 0"), ours.lines());
    }

    /**
     * WAIT blocks its client as Redis's {@code BLOCKED_WAIT} does: answered with a PING pipelined behind it, in order;
     * counted in {@code blocked_clients} (and in the timeout table when it has a timeout), flag {@code b}; CLIENT
     * UNBLOCK answers the count so far or the error; its timeout answers the count; a client that goes away while it
     * waits is no longer blocked. One replica, so {@code WAIT 2} waits.
     */
    private Answers blockedInWait(boolean real) throws Exception {
        int masterPort = start(real);
        int replicaPort = start(real);
        List<String> lines = new ArrayList<>();
        try (Jedis admin = ReplicationInteropTest.jedis(masterPort); Jedis replica = ReplicationInteropTest.jedis(replicaPort);
             io.port6379.testing.RespConnection waiter = new io.port6379.testing.RespConnection(masterPort)) {
            replica.replicaof("127.0.0.1", masterPort);
            ReplicationInteropTest.awaitInSync(admin, replica);
            waiter.timeout(10_000);
            waiter.sendRaw(io.port6379.testing.RespConnection.encode("SET", "k", "v")
                    + io.port6379.testing.RespConnection.encode("WAIT", "1", "5000") + io.port6379.testing.RespConnection.encode("PING"));
            lines.add("answered: " + waiter.readReply() + waiter.readReply() + waiter.readReply());

            waiter.sendRaw(io.port6379.testing.RespConnection.encode("WAIT", "2", "0") + io.port6379.testing.RespConnection.encode("PING"));
            ReplicationInteropTest.assertEventually(() -> admin.info("clients").contains("blocked_clients:1"), "WAIT waits");
            String clients = admin.info("clients");
            String waiting = admin.clientList().lines().filter(line -> line.contains("cmd=wait")).findFirst().orElseThrow();
            lines.add("blocked: " + field(clients, "blocked_clients") + ", in timeout table: "
                    + field(clients, "clients_in_timeout_table") + ", flags: " + waiting.replaceAll(".* flags=(\\S+) .*", "$1"));
            String id = waiting.replaceAll("^id=(\\d+) .*", "$1");
            ReplicationInteropTest.awaitInSync(admin, replica);
            lines.add("unblock: " + admin.clientUnblock(Long.parseLong(id)));
            lines.add("unblocked: " + waiter.readReply() + waiter.readReply());

            waiter.send("WAIT", "2", "0");
            ReplicationInteropTest.assertEventually(() -> admin.info("clients").contains("blocked_clients:1"), "WAIT waits");
            lines.add("unblock error: " + admin.clientUnblock(Long.parseLong(id), redis.clients.jedis.args.UnblockType.ERROR));
            lines.add("unblocked with an error: " + waiter.readReply());

            waiter.send("WAIT", "2", "1500");
            ReplicationInteropTest.assertEventually(() -> admin.info("clients").contains("blocked_clients:1"), "WAIT waits");
            clients = admin.info("clients");
            lines.add("timed: blocked " + field(clients, "blocked_clients") + ", in timeout table "
                    + field(clients, "clients_in_timeout_table"));
            lines.add("timed out: " + waiter.readReply());

            try (io.port6379.testing.RespConnection leaving = new io.port6379.testing.RespConnection(masterPort)) {
                leaving.send("WAIT", "2", "0");
                ReplicationInteropTest.assertEventually(() -> admin.info("clients").contains("blocked_clients:1"), "WAIT waits");
            }
            ReplicationInteropTest.assertEventually(() -> admin.info("clients").contains("blocked_clients:0"), "gone");
            lines.add("after a disconnect: blocked " + field(admin.info("clients"), "blocked_clients"));
        }
        return new Answers(lines);
    }

    /**
     * A replica stopped inside this program (as a process ends with its link) does not connect again: its master no
     * longer counts it a second later, when the link would have retried, nor after a second retry.
     */
    @Test
    void aStoppedReplicaDoesNotConnectAgain() throws Exception {
        int masterPort = start(false);
        TestServer replica = TestServer.start("--save", "");
        started.add(replica);
        try (Jedis master = ReplicationInteropTest.jedis(masterPort); Jedis r = ReplicationInteropTest.jedis(replica.port())) {
            r.replicaof("127.0.0.1", masterPort);
            ReplicationInteropTest.awaitInSync(master, r);
            replica.close();
            ReplicationInteropTest.assertEventually(() -> field(master.info("replication"), "connected_slaves").equals("0"),
                    "the replica's link closed");
            Thread.sleep(2500); // the link retried after a second
            assertEquals("0", field(master.info("replication"), "connected_slaves"));
            assertEquals("1", field(master.info("stats"), "sync_full"));
        }
    }

    /**
     * A WAIT that waits (two replicas asked, one attached) while another client writes: the writes reach the replica,
     * the WAIT does not (a replica answers a WAIT in its master's stream with an error, counted in
     * {@code unexpected_error_replies}).
     */
    private Answers waitWhileOthersWrite(boolean real) throws Exception {
        int masterPort = start(real);
        int replicaPort = start(real);
        List<String> lines = new ArrayList<>();
        try (Jedis a = ReplicationInteropTest.jedis(masterPort); Jedis b = ReplicationInteropTest.jedis(masterPort);
             Jedis replica = ReplicationInteropTest.jedis(replicaPort)) {
            replica.replicaof("127.0.0.1", masterPort);
            ReplicationInteropTest.awaitInSync(a, replica);
            long[] answered = new long[1];
            Thread waiter = Thread.ofVirtual().start(() -> answered[0] = a.waitReplicas(2, 600));
            ReplicationInteropTest.assertEventually(() -> b.clientList().contains("cmd=wait"), "the WAIT waits");
            for (int i = 0; i < 50; i++) {
                b.set("written:" + i, "v");
            }
            waiter.join();
            b.set("after", "the wait");
            ReplicationInteropTest.awaitInSync(b, replica);
            lines.add("wait: " + answered[0]);
            lines.add("replica keys: " + replica.dbSize());
            lines.add("unexpected_error_replies: " + field(replica.info("stats"), "unexpected_error_replies"));
        }
        return new Answers(lines);
    }

    @Test
    void clientsBlockedOnAMasterAreToldAndClosedWhenItBecomesAReplica() throws Exception {
        Answers real = roleChange(true);
        Answers ours = roleChange(false);
        assertEquals(String.join("\n", real.lines()), String.join("\n", ours.lines()));
        assertEquals("BLPOP: -UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"
                + "\r\n then closed", ours.lines().getFirst());
        assertEquals("WAIT: -UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"
                + "\r\n then closed", ours.lines().get(1));
    }

    /** A BLPOP waits, with a PING pipelined behind it, and a WAIT, while their server turns into a replica of another. */
    private Answers roleChange(boolean real) throws Exception {
        int port = start(real);
        int masterPort = start(real);
        List<String> lines = new ArrayList<>();
        try (io.port6379.testing.RespConnection blocked = new io.port6379.testing.RespConnection(port);
             io.port6379.testing.RespConnection waiting = new io.port6379.testing.RespConnection(port);
             Jedis admin = ReplicationInteropTest.jedis(port)) {
            blocked.timeout(10_000);
            waiting.timeout(10_000);
            blocked.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$2\r\n30\r\n*1\r\n$4\r\nPING\r\n");
            ReplicationInteropTest.assertEventually(() -> admin.info("clients").contains("blocked_clients:1"), "BLPOP waits");
            waiting.send("WAIT", "1", "0");
            ReplicationInteropTest.assertEventually(() -> admin.info("clients").contains("blocked_clients:2"), "WAIT waits");
            admin.replicaof("127.0.0.1", masterPort);
            lines.add("BLPOP: " + blocked.readToEnd() + " then closed");
            lines.add("WAIT: " + waiting.readToEnd() + " then closed");
            lines.add("blocked now: " + field(admin.info("clients"), "blocked_clients"));
        }
        return new Answers(lines);
    }

    /**
     * Redis's WAIT waits for {@code c->woff}, the stream's offset right after the client's own last write, not for the
     * master's offset: while the replica sleeps (DEBUG SLEEP stops it acknowledging), a client whose write it already
     * acknowledged counts it, one that never wrote counts it, and the client that wrote last does not.
     */
    private Answers waitForOwnWrite(boolean real) throws Exception {
        int masterPort = start(real);
        int replicaPort = start(real);
        List<String> lines = new ArrayList<>();
        try (Jedis a = ReplicationInteropTest.jedis(masterPort); Jedis b = ReplicationInteropTest.jedis(masterPort);
             Jedis c = ReplicationInteropTest.jedis(masterPort); Jedis replica = ReplicationInteropTest.jedis(replicaPort)) {
            replica.replicaof("127.0.0.1", masterPort);
            ReplicationInteropTest.awaitInSync(a, replica);
            b.set("b", "1");
            lines.add("first: " + b.waitReplicas(1, 5000));
            Thread sleeper = Thread.ofVirtual().start(() -> {
                try (Jedis asleep = ReplicationInteropTest.jedis(replicaPort)) {
                    asleep.sendCommand(cmd("DEBUG"), "SLEEP", "1.5");
                }
            });
            Thread.sleep(200); // the replica cannot tell it sleeps: it answers nobody until it wakes
            a.set("a", "1");
            lines.add("never wrote: " + c.waitReplicas(1, 300));
            lines.add("b's write acknowledged: " + b.waitReplicas(1, 300));
            lines.add("a's write, replica asleep: " + a.waitReplicas(1, 300));
            sleeper.join();
            lines.add("a's write, replica awake: " + a.waitReplicas(1, 5000));
        }
        return new Answers(lines);
    }

    private Answers failover(boolean real) throws Exception {
        int masterPort = start(real);
        int replicaPort = start(real);
        List<String> lines = new ArrayList<>();
        try (Jedis master = ReplicationInteropTest.jedis(masterPort); Jedis replica = ReplicationInteropTest.jedis(replicaPort)) {
            lines.add("no replicas: " + error(() -> master.sendCommand(cmd("FAILOVER"))));
            lines.add("abort, none: " + error(() -> master.sendCommand(cmd("FAILOVER"), "ABORT")));
            lines.add("force alone: " + error(() -> master.sendCommand(cmd("FAILOVER"), "FORCE")));
            lines.add("timeout 0: " + error(() -> master.sendCommand(cmd("FAILOVER"), "TIMEOUT", "0")));
            lines.add("on a replica: " + error(() -> replica.sendCommand(cmd("FAILOVER"))));
            replica.replicaof("127.0.0.1", masterPort);
            master.set("k", "v");
            ReplicationInteropTest.awaitInSync(master, replica);
            ReplicationInteropTest.assertEventually(() -> master.info("replication").contains("state=online"), "online");
            lines.add("replica on a replica: " + error(() -> replica.sendCommand(cmd("FAILOVER"))));
            lines.add("not a replica: " + error(() -> master.sendCommand(cmd("FAILOVER"), "TO", "127.0.0.1", "1")));
            lines.add("force without timeout: " + error(() -> master.sendCommand(cmd("FAILOVER"), "TO", "127.0.0.1",
                    Integer.toString(replicaPort), "FORCE")));
            lines.add("failover: " + text(master.sendCommand(cmd("FAILOVER"), "TO", "127.0.0.1", Integer.toString(replicaPort))));
            ReplicationInteropTest.assertEventually(() -> replica.info("replication").contains("role:master")
                    && master.info("replication").contains("master_link_status:up")
                    && master.info("replication").contains("master_failover_state:no-failover"), "the failover ended");
            lines.add("old master: " + field(master.info("replication"), "role"));
            lines.add("new master: " + field(replica.info("replication"), "role"));
            lines.add("partial: " + field(replica.info("stats"), "sync_partial_ok"));
            lines.add("old master refuses writes: " + error(() -> master.set("k", "w")));
            replica.set("k2", "v2");
            ReplicationInteropTest.awaitInSync(replica, master);
            lines.add("old master follows: " + master.get("k2"));
        }
        return new Answers(lines);
    }

    private Answers exercise(boolean real) throws Exception {
        int masterPort = start(real);
        int replicaPort = start(real);
        List<String> lines = new ArrayList<>();
        try (Jedis master = ReplicationInteropTest.jedis(masterPort); Jedis replica = ReplicationInteropTest.jedis(replicaPort)) {
            lines.add("failover without replicas: " + error(() -> master.sendCommand(cmd("FAILOVER"))));
            lines.add("replicaof bad port: " + error(() -> replica.sendCommand(cmd("REPLICAOF"), "127.0.0.1", "x")));
            lines.add("replicaof no one on a master: " + text(replica.sendCommand(cmd("REPLICAOF"), "no", "one")));
            lines.add("replconf syntax: " + error(() -> master.sendCommand(cmd("REPLCONF"), "listening-port")));
            lines.add("replconf unknown: " + error(() -> master.sendCommand(cmd("REPLCONF"), "colour", "blue")));
            lines.add("replconf port: " + text(master.sendCommand(cmd("REPLCONF"), "listening-port", "1234")));
            lines.add("wait, no replica: " + master.waitReplicas(1, 50));
            master.configSet("min-replicas-to-write", "1");
            lines.add("noreplicas: " + error(() -> master.set("k", "v")));
            master.configSet("min-replicas-to-write", "0");
            master.set("k", "v");

            replica.replicaof("127.0.0.1", masterPort);
            lines.add("again: " + text(replica.sendCommand(cmd("REPLICAOF"), "127.0.0.1", Integer.toString(masterPort))));
            ReplicationInteropTest.awaitInSync(master, replica);
            lines.add("readonly: " + error(() -> replica.set("k", "w")));
            lines.add("readonly in multi: " + error(() -> replica.sendCommand(cmd("EVAL"), "return redis.call('set','k','w')", "0")));
            lines.add("wait on a replica: " + error(() -> replica.waitReplicas(1, 10)));
            lines.add("replica get: " + replica.get("k"));
            master.set("k2", "v2");
            lines.add("wait: " + master.waitReplicas(1, 5000));
            master.configSet("min-replicas-to-write", "1");
            lines.add("good replicas: " + master.set("k3", "v3"));
            master.configSet("min-replicas-to-write", "0");
            lines.add("master info: " + fieldNames(master.info("replication")));
            lines.add("replica info: " + fieldNames(replica.info("replication")));
            lines.add("master role: " + shape(master.sendCommand(cmd("ROLE"))));
            lines.add("replica role: " + shape(replica.sendCommand(cmd("ROLE"))));
            lines.add("replica role state: " + text(((List<?>) replica.sendCommand(cmd("ROLE"))).get(3)));
            lines.add("the replica's connection has flags=S: " + hasClientWithFlags(master, "S"));
            lines.add("the master's connection has flags=M: " + hasClientWithFlags(replica, "M"));
            lines.add("replica type: " + master.sendCommand(cmd("CLIENT"), "LIST", "TYPE", "replica").toString().isEmpty());

            replica.replicaofNoOne();
            lines.add("promoted role: " + text(((List<?>) replica.sendCommand(cmd("ROLE"))).get(0)));
            lines.add("promoted writes: " + replica.set("k", "w"));
            lines.add("promoted info: " + fieldNames(replica.info("replication")));
            String info = replica.info("replication");
            lines.add("replid2 is the old id: " + field(info, "master_replid2").equals(field(master.info("replication"),
                    "master_replid")));
        }
        return new Answers(lines);
    }

    private static boolean hasClientWithFlags(Jedis jedis, String flags) {
        return jedis.clientList().contains(" flags=" + flags + " ");
    }

    private static String fieldNames(String info) {
        TreeSet<String> names = new TreeSet<>();
        for (String line : info.split("\r\n")) {
            if (line.contains(":")) {
                names.add(line.substring(0, line.indexOf(':')).replaceAll("^slave\\d+$", "slaveN"));
            }
        }
        return String.join(",", names);
    }

    /** A reply's shape: types and nesting, not the values (offsets and ports differ). */
    private static String shape(Object reply) {
        if (reply instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object element : list) {
                parts.add(shape(element));
            }
            return parts.toString();
        }
        return reply == null ? "nil" : reply instanceof byte[] ? "bulk" : reply.getClass().getSimpleName();
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes) : String.valueOf(reply);
    }

    private static String error(Runnable call) {
        try {
            call.run();
            return "no error";
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    private int start(boolean real) throws IOException, InterruptedException {
        if (real) {
            RealRedis redis = RealRedis.start("--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes");
            started.add(redis);
            return redis.port();
        }
        TestServer server = TestServer.start("--save", "", "--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes");
        started.add(server);
        assertTrue(server.port() > 0);
        return server.port();
    }
}
