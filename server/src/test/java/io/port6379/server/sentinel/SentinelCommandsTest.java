// What redis-sentinel 7.0.15 sends to the nodes it manages, sent by hand to a real redis-server and to ours: the same replies.
package io.port6379.server.sentinel;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentinel talks to a node over two connections, named {@code sentinel-<id>-cmd} and {@code sentinel-<id>-pubsub}
 * (captured with MONITOR on a real node): on the first it sends PING every second, INFO every ten seconds (every
 * second during a failover) and PUBLISH on {@code __sentinel__:hello} every two seconds; on the second it
 * SUBSCRIBEs to that channel, which is how the Sentinels of one master find each other. To reconfigure a node it
 * sends one transaction ({@code sentinelSendSlaveOf} in Redis's sentinel.c):
 * <pre>
 * MULTI
 * SLAVEOF NO ONE | SLAVEOF host port
 * CONFIG REWRITE
 * CLIENT KILL TYPE normal
 * CLIENT KILL TYPE pubsub
 * EXEC
 * </pre>
 * so that the change survives a restart and every client, Sentinel's own links included, reconnects and finds
 * the new role. Each step here is done on a node of each kind, and the replies, the clients killed and the
 * config file written compared.
 */
class SentinelCommandsTest {

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : started.reversed()) {
            closeable.close();
        }
    }

    /** The kinds compared: Redis first, whose replies are the expectation. */
    static List<Node.Kind> kinds() {
        return List.of(Node.Kind.REDIS, Node.Kind.PORT6379);
    }

    private Node start(Node.Kind kind, int masterPort) throws Exception {
        Node node = Node.start(kind, Files.createTempDirectory("sentinel-commands"), masterPort);
        started.add(node);
        return node;
    }

    private RespConnection connect(Node node) throws IOException {
        RespConnection connection = new RespConnection(node.port());
        started.add(connection);
        return connection;
    }

    @Test
    @Timeout(120)
    void theHelloChannelCarriesSentinelsAnnouncements() throws Exception {
        Map<Node.Kind, List<String>> replies = new LinkedHashMap<>();
        for (Node.Kind kind : kinds()) {
            Node node = start(kind, 0);
            RespConnection pubsub = connect(node);
            RespConnection cmd = connect(node);
            List<String> seen = new ArrayList<>();
            seen.add(pubsub.call("CLIENT", "SETNAME", "sentinel-1c2d3e4f-pubsub"));
            seen.add(pubsub.call("SUBSCRIBE", "__sentinel__:hello"));
            seen.add(cmd.call("CLIENT", "SETNAME", "sentinel-1c2d3e4f-cmd"));
            String hello = "127.0.0.1,26379,1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f,0,mymaster,127.0.0.1,6379,0";
            seen.add(cmd.call("PUBLISH", "__sentinel__:hello", hello));
            seen.add(pubsub.readReply());
            seen.add(cmd.call("PING"));
            replies.put(kind, seen);
        }
        assertAllEqual(replies);
    }

    @Test
    @Timeout(120)
    void theReconfigurationTransactionPromotesKillsTheClientsAndRewritesTheConfig() throws Exception {
        Map<Node.Kind, List<String>> replies = new LinkedHashMap<>();
        Map<Node.Kind, List<String>> configs = new LinkedHashMap<>();
        for (Node.Kind kind : kinds()) {
            Node master = start(kind, 0);
            Node replica = start(kind, master.port());
            awaitLinkUp(replica);
            RespConnection normal = connect(replica);
            RespConnection subscriber = connect(replica);
            RespConnection sentinel = connect(replica);
            List<String> seen = new ArrayList<>();
            seen.add(normal.call("PING"));
            seen.add(subscriber.call("SUBSCRIBE", "__sentinel__:hello"));
            seen.add(sentinel.call("CLIENT", "SETNAME", "sentinel-1c2d3e4f-cmd"));
            seen.add(sentinel.call("MULTI"));
            seen.add(sentinel.call("SLAVEOF", "NO", "ONE"));
            seen.add(sentinel.call("CONFIG", "REWRITE"));
            seen.add(sentinel.call("CLIENT", "KILL", "TYPE", "normal"));
            seen.add(sentinel.call("CLIENT", "KILL", "TYPE", "pubsub"));
            seen.add(sentinel.call("EXEC"));
            seen.add(sentinel.call("ROLE").replaceAll(":\\d+\r\n", ":<offset>\r\n"));
            assertThrows(IOException.class, () -> normal.call("PING"), "the normal client was killed");
            assertThrows(IOException.class, subscriber::readReply, "the subscriber was killed");
            replies.put(kind, seen);
            configs.put(kind, replicationLines(replica));

            // And back: the same transaction makes it a replica again, which the config file remembers.
            seen.add(sentinel.call("MULTI"));
            seen.add(sentinel.call("SLAVEOF", "127.0.0.1", Integer.toString(master.port())));
            seen.add(sentinel.call("CONFIG", "REWRITE"));
            seen.add(sentinel.call("CLIENT", "KILL", "TYPE", "normal"));
            seen.add(sentinel.call("CLIENT", "KILL", "TYPE", "pubsub"));
            seen.add(sentinel.call("EXEC"));
            awaitLinkUp(replica);
            configs.get(kind).addAll(replicationLines(replica).stream()
                    .map(line -> line.replace(Integer.toString(master.port()), "<master port>")).toList());
        }
        assertAllEqual(replies);
        assertAllEqual(configs);
        assertEquals(List.of("replicaof 127.0.0.1 <master port>"), configs.get(Node.Kind.REDIS));
    }

    /**
     * The INFO fields sentinel.c's {@code sentinelRefreshInstanceInfo} parses, on a master with one replica and
     * on that replica: each must be there, in the shape Sentinel reads.
     */
    @Test
    @Timeout(120)
    void infoHasEveryFieldSentinelParses() throws Exception {
        Map<Node.Kind, List<String>> shapes = new LinkedHashMap<>();
        for (Node.Kind kind : kinds()) {
            Node master = start(kind, 0);
            Node replica = start(kind, master.port());
            awaitLinkUp(replica);
            awaitOnline(master); // a diskless sync's replica is up before its master has its first ACK
            List<String> shape = new ArrayList<>();
            shape.addAll(shape(master, "run_id", "role", "slave0"));
            shape.addAll(shape(replica, "run_id", "role", "master_host", "master_port", "master_link_status",
                    "master_link_down_since_seconds", "slave_priority", "slave_repl_offset", "replica_announced"));
            shapes.put(kind, shape);
        }
        assertAllEqual(shapes);
    }

    /** Each field's value with digits, hex run ids and ports masked: what must match is the shape Sentinel parses. */
    private static List<String> shape(Node node, String... fields) throws IOException {
        List<String> shape = new ArrayList<>();
        for (String field : fields) {
            String value = node.info(field);
            shape.add(field + ":" + (value == null ? "<missing>"
                    : value.replaceAll("^[0-9a-f]{40}$", "<run id>").replaceAll("\\d+", "N")));
        }
        return shape;
    }

    private static List<String> replicationLines(Node node) throws IOException {
        Path config = Path.of((String) ((List<?>) node.call("CONFIG", "GET", "dir")).get(1)).resolve("node.conf");
        Pattern replication = Pattern.compile("(?i)^(replicaof|slaveof) .*");
        return new ArrayList<>(Files.readAllLines(config).stream().filter(l -> replication.matcher(l).matches()).toList());
    }

    private static void awaitLinkUp(Node replica) throws Exception {
        for (int i = 0; i < 600; i++) {
            if ("up".equals(replica.info("master_link_status"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(replica + " never linked up:\n" + replica.logs());
    }

    private static void awaitOnline(Node master) throws Exception {
        for (int i = 0; i < 600; i++) {
            String slave = master.info("slave0");
            if (slave != null && slave.contains("state=online")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(master + " never saw its replica online:\n" + master.logs());
    }

    private static <T> void assertAllEqual(Map<Node.Kind, T> byKind) {
        T expected = byKind.get(Node.Kind.REDIS);
        for (Map.Entry<Node.Kind, T> entry : byKind.entrySet()) {
            assertEquals(expected, entry.getValue(), entry.getKey() + " against redis-server");
        }
        assertTrue(new TreeSet<>(byKind.keySet()).size() == byKind.size());
    }
}
