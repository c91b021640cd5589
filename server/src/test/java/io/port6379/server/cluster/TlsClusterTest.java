// tls-cluster: real redis-server nodes and ours gossip over TLS in one cluster, and show each client the ports of its kind.
package io.port6379.server.cluster;

import static io.port6379.server.cluster.ClusterHarness.await;
import static io.port6379.server.cluster.ClusterHarness.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.TlsCertificates;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every node is started as an operator starts a TLS cluster: {@code --tls-port}, {@code --tls-cluster yes},
 * {@code --tls-replication yes} and the certificates {@code openssl} made for this run, with {@code --port 0} (TLS
 * alone) or with a plaintext port beside the TLS one. The bus then runs over TLS with a client certificate required
 * on both sides, which a real redis-server checks as strictly as ours. The test talks to the nodes with
 * {@code redis-cli --tls} (and plain {@code redis-cli} on the plaintext ports).
 */
class TlsClusterTest {

    static final long NODE_TIMEOUT = 2000;

    @RegisterExtension
    static final TlsCertificates certificates = new TlsCertificates();
    private final List<AutoCloseable> started = new ArrayList<>();

    /** A node: its plaintext port (0 when it has none) and its TLS port. */
    record Node(String kind, int port, int tlsPort) {
    }

    @BeforeAll
    static void redisServer() {
        Binaries.require("redis-server");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable node : started.reversed()) {
            node.close();
        }
    }

    @Test
    void realNodesAndOursOnTlsAloneFormOneClusterAndRouteKeys() throws Exception {
        List<Node> nodes = List.of(ours(false), real(false), ours(false), real(false), ours(false), real(false));
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        nodes.forEach(node -> create.add("127.0.0.1:" + node.tlsPort()));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String created = tlsCli(create.toArray(String[]::new));
        assertTrue(created.contains("[OK] All 16384 slots covered."), created);
        await("the six nodes to agree over the TLS bus", 60, () -> agree(nodes, 6));
        for (Node node : nodes) {
            String check = tlsCli("--cluster", "check", "127.0.0.1:" + node.tlsPort());
            assertTrue(check.contains("[OK] All nodes agree about slots configuration.")
                    && check.contains("[OK] All 16384 slots covered.") && !check.contains("[ERR]")
                    && !check.contains("[WARNING]"), check);
        }
        for (int i = 0; i < 50; i++) { // through one of ours: -c follows the MOVED to every master
            assertEquals("OK", tlsCli("-c", "-p", String.valueOf(nodes.get(0).tlsPort()), "SET", "key:" + i, "v" + i)
                    .strip());
        }
        for (int i = 0; i < 50; i++) { // read back through a real node
            assertEquals("v" + i, tlsCli("-c", "-p", String.valueOf(nodes.get(1).tlsPort()), "GET", "key:" + i).strip());
        }
        String nodesText = tlsCli("-p", String.valueOf(nodes.get(0).tlsPort()), "CLUSTER", "NODES");
        for (Node node : nodes) {
            assertTrue(nodesText.contains("127.0.0.1:" + node.tlsPort() + "@"), nodesText);
        }
    }

    /**
     * With a plaintext port beside the TLS one, CLUSTER NODES, SLOTS and SHARDS and -MOVED show a client of each
     * kind the ports it can connect to, on redis-server as on ours; a node with TLS alone has no plaintext port to
     * show. Two real nodes and two of ours, one of each kind with a plaintext port.
     */
    @Test
    void plaintextClientsAreShownPlaintextPortsAsRedisShowsThem() throws Exception {
        Node real = real(true);
        Node ours = ours(true);
        List<Node> nodes = List.of(real, ours, real(false), ours(false));
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        nodes.forEach(node -> create.add("127.0.0.1:" + node.tlsPort()));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String created = tlsCli(create.toArray(String[]::new));
        assertTrue(created.contains("[OK] All 16384 slots covered."), created);
        await("the four nodes to agree, plaintext ports learnt", 60, () -> agree(nodes, 4)
                && plainCli(real.port(), "CLUSTER", "NODES").contains("127.0.0.1:" + ours.port() + "@")
                && plainCli(ours.port(), "CLUSTER", "NODES").contains("127.0.0.1:" + real.port() + "@"));

        String realPlainView = view(plainCli(real.port(), "CLUSTER", "NODES"));
        assertEquals(realPlainView, view(plainCli(ours.port(), "CLUSTER", "NODES")));
        assertEquals(view(tlsCli("-p", String.valueOf(real.tlsPort()), "CLUSTER", "NODES")),
                view(tlsCli("-p", String.valueOf(ours.tlsPort()), "CLUSTER", "NODES")));
        for (Node node : nodes) {
            int shown = node.port() != 0 ? node.port() : node.tlsPort();
            assertTrue(realPlainView.contains("127.0.0.1:" + shown + "@"), realPlainView);
        }
        assertNotEquals(realPlainView, view(tlsCli("-p", String.valueOf(real.tlsPort()), "CLUSTER", "NODES")));

        assertEquals(slots(plainCli(real.port(), "CLUSTER", "SLOTS")), slots(plainCli(ours.port(), "CLUSTER", "SLOTS")));
        assertEquals(slots(tlsCli("-p", String.valueOf(real.tlsPort()), "CLUSTER", "SLOTS")),
                slots(tlsCli("-p", String.valueOf(ours.tlsPort()), "CLUSTER", "SLOTS")));
        assertEquals(shards(plainCli(real.port(), "CLUSTER", "SHARDS")),
                shards(plainCli(ours.port(), "CLUSTER", "SHARDS")));
        assertEquals(shards(tlsCli("-p", String.valueOf(real.tlsPort()), "CLUSTER", "SHARDS")),
                shards(tlsCli("-p", String.valueOf(ours.tlsPort()), "CLUSTER", "SHARDS")));

        int redirections = 0;
        for (int i = 0; i < 40; i++) {
            String key = "key:" + i;
            String slot = plainCli(real.port(), "CLUSTER", "KEYSLOT", key).strip();
            String owner = tlsCli("-p", String.valueOf(real.tlsPort()), "CLUSTER", "NODES").lines()
                    .map(line -> line.split(" ")).filter(f -> owns(f, Integer.parseInt(slot)))
                    .map(f -> f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))).findFirst().orElseThrow();
            Node node = nodes.stream().filter(n -> String.valueOf(n.tlsPort()).equals(owner)).findFirst().orElseThrow();
            for (Node asked : List.of(real, ours)) {
                if (asked == node) {
                    continue;
                }
                int plainShown = node.port() != 0 ? node.port() : node.tlsPort();
                assertEquals("MOVED " + slot + " 127.0.0.1:" + plainShown, plainCli(asked.port(), "GET", key).strip(),
                        asked.kind() + " to a plaintext client");
                assertEquals("MOVED " + slot + " 127.0.0.1:" + node.tlsPort(),
                        tlsCli("-p", String.valueOf(asked.tlsPort()), "GET", key).strip(), asked.kind() + " over TLS");
                redirections++;
            }
        }
        assertTrue(redirections > 20, "keys of every node were asked for");
    }

    /**
     * A real master and one of ours, each with a replica of the other kind that syncs over TLS, and a third master
     * (real), every node with a plaintext port beside its TLS one. CLUSTER REPLICAS shows a client of each kind the ports it can connect to, and
     * CLUSTER SHARDS shows every node's "port" and "tls-port", on redis-server as on ours. While a slot migrates from
     * the real master to ours, and another from ours to the real one, the source answers -ASK with the target's TLS
     * port to a TLS client, which follows it ({@code redis-cli -c}), and with its plaintext port to the others.
     */
    @Test
    void replicasShardsAndAskShowEachClientItsPorts() throws Exception {
        Node real = real(true);
        Node ours = ours(true);
        Node third = real(true); // redis-cli --cluster create wants three masters
        String created = tlsCli("--cluster", "create", "127.0.0.1:" + real.tlsPort(), "127.0.0.1:" + ours.tlsPort(),
                "127.0.0.1:" + third.tlsPort(), "--cluster-replicas", "0", "--cluster-yes");
        assertTrue(created.contains("[OK] All 16384 slots covered."), created);
        String realId = tlsCli("-p", String.valueOf(real.tlsPort()), "CLUSTER", "MYID").strip();
        String oursId = tlsCli("-p", String.valueOf(ours.tlsPort()), "CLUSTER", "MYID").strip();
        Node oursReplica = ours(true);
        Node realReplica = real(true);
        tlsCli("--cluster", "add-node", "127.0.0.1:" + oursReplica.tlsPort(), "127.0.0.1:" + real.tlsPort(),
                "--cluster-slave", "--cluster-master-id", realId);
        tlsCli("--cluster", "add-node", "127.0.0.1:" + realReplica.tlsPort(), "127.0.0.1:" + real.tlsPort(),
                "--cluster-slave", "--cluster-master-id", oursId);
        List<Node> nodes = List.of(real, ours, third, oursReplica, realReplica);
        await("the five nodes to agree, plaintext ports learnt and the replicas synced over TLS", 90,
                () -> agree(nodes, 5) && plaintextPortsLearnt(nodes) && synced(oursReplica) && synced(realReplica));

        for (String masterId : List.of(realId, oursId)) {
            String plain = view(plainCli(real.port(), "CLUSTER", "REPLICAS", masterId));
            String overTls = view(tlsCli("-p", String.valueOf(real.tlsPort()), "CLUSTER", "REPLICAS", masterId));
            assertEquals(plain, view(plainCli(ours.port(), "CLUSTER", "REPLICAS", masterId)), "plaintext, " + masterId);
            assertEquals(overTls, view(tlsCli("-p", String.valueOf(ours.tlsPort()), "CLUSTER", "REPLICAS", masterId)),
                    "over TLS, " + masterId);
            Node replica = masterId.equals(realId) ? oursReplica : realReplica;
            assertTrue(plain.contains("127.0.0.1:" + replica.port() + "@") && plain.contains(" " + masterId + " "), plain);
            assertTrue(overTls.contains("127.0.0.1:" + replica.tlsPort() + "@"), overTls);
        }
        // a replica's "health" is "loading" while its offset is 0, until its master's first replication PING (sent
        // every repl-ping-replica-period, 10 s) reaches it, and the node asked hears of the new offset
        await("CLUSTER SHARDS to be the same on both masters, over TLS and not, every replica online", 30,
                () -> {
                    try {
                        List<String> views = allShards(real, ours);
                        return views.stream().distinct().count() == 1 && !views.getFirst().contains("loading");
                    } catch (AssertionError notYet) {
                        return false;
                    }
                });
        String shards = allShards(real, ours).getFirst();
        assertTrue(!shards.contains("fail") && !shards.contains("loading"), shards);
        for (Node node : nodes) {
            assertTrue(shards.contains("port\n" + node.port() + "\ntls-port\n" + node.tlsPort() + "\n"), shards);
        }

        ask(real, realId, ours, oursId);
        ask(ours, oursId, real, realId);
    }

    /**
     * A slot of {@code source} migrating to {@code target} (SETSLOT IMPORTING on the target, MIGRATING on the source):
     * for a key the source does not have, -ASK with the port each client can use; redis-cli -c over TLS follows it and
     * the key is written on the target, where ASKING then reads it.
     */
    private static void ask(Node source, String sourceId, Node target, String targetId) throws Exception {
        String[] sourceLine = tlsCli("-p", String.valueOf(source.tlsPort()), "CLUSTER", "NODES").lines()
                .map(line -> line.split(" ")).filter(f -> f[0].equals(sourceId)).findFirst().orElseThrow();
        String key = null;
        for (int i = 0; key == null; i++) {
            if (owns(sourceLine, KeySlot.slot(("key:ask:" + i).getBytes(StandardCharsets.UTF_8)))) {
                key = "key:ask:" + i;
            }
        }
        int slot = KeySlot.slot(key.getBytes(StandardCharsets.UTF_8));
        assertEquals("OK", plainCli(target.port(), "CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", sourceId)
                .strip());
        assertEquals("OK", plainCli(source.port(), "CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", targetId)
                .strip());
        assertEquals("ASK " + slot + " 127.0.0.1:" + target.port(), plainCli(source.port(), "GET", key).strip(),
                source.kind() + " to a plaintext client");
        assertEquals("ASK " + slot + " 127.0.0.1:" + target.tlsPort(),
                tlsCli("-p", String.valueOf(source.tlsPort()), "GET", key).strip(), source.kind() + " over TLS");
        assertEquals("OK", tlsCli("-c", "-p", String.valueOf(source.tlsPort()), "SET", key, "moved").strip());
        try (RespConnection connection = new RespConnection(target.port())) {
            assertEquals("+OK\r\n", connection.call("ASKING"));
            assertEquals("$5\r\nmoved\r\n", connection.call("GET", key));
        }
        assertEquals("ASK " + slot + " 127.0.0.1:" + target.port(), plainCli(source.port(), "GET", key).strip());
    }

    /** CLUSTER SHARDS (without offsets, sorted) as each of {@code nodes} answers a plaintext and a TLS client. */
    private static List<String> allShards(Node... nodes) {
        List<String> all = new ArrayList<>();
        for (Node node : nodes) {
            all.add(shards(plainCli(node.port(), "CLUSTER", "SHARDS")));
            try {
                all.add(shards(tlsCli("-p", String.valueOf(node.tlsPort()), "CLUSTER", "SHARDS")));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return all;
    }

    /** Whether every node, asked on its plaintext port, shows every node's plaintext port. */
    private static boolean plaintextPortsLearnt(List<Node> nodes) {
        for (Node asked : nodes) {
            String text = plainCli(asked.port(), "CLUSTER", "NODES");
            for (Node node : nodes) {
                if (!text.contains("127.0.0.1:" + node.port() + "@")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the replica's link to its master, over TLS, is up. */
    private static boolean synced(Node replica) {
        try {
            return tlsCli("-p", String.valueOf(replica.tlsPort()), "INFO", "replication")
                    .contains("master_link_status:up");
        } catch (AssertionError | IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * The bus port under tls-cluster requires a client certificate signed by the CA whatever tls-auth-clients says
     * (here "no"), on redis-server as on ours: {@code openssl s_client} in TLS 1.2, where the server judges the
     * certificate within the handshake, is refused without one and served with the client certificate.
     */
    @Test
    void theBusRequiresACertificateWhateverTlsAuthClientsSays() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (boolean real : new boolean[] {true, false}) {
            int tlsPort = ClusterHarness.freePort();
            int busPort = ClusterHarness.freePort();
            List<String> arguments = new ArrayList<>(tls(tlsPort));
            arguments.addAll(List.of("--port", "0", "--cluster-port", String.valueOf(busPort), "--tls-auth-clients", "no"));
            if (real) {
                started.add(RealRedis.start(arguments.toArray(String[]::new)));
            } else {
                EmbeddedServer.Builder builder = EmbeddedServer.builder().temporaryDataDirectory();
                for (int i = 0; i < arguments.size(); i += 2) {
                    builder.config(arguments.get(i).substring(2), arguments.get(i + 1));
                }
                EmbeddedServer server = builder.start();
                started.add(server::stopNow);
            }
            int port = busPort;
            await("the bus port to listen", 10, () -> {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            outcomes.add(handshake(busPort) + ", " + handshake(busPort, "-cert", certificates.path("client.crt"),
                    "-key", certificates.path("client.key")) + ", clients' port without one: " + handshake(tlsPort));
        }
        assertEquals("refused, TLSv1.2, clients' port without one: TLSv1.2", outcomes.getFirst());
        assertEquals(outcomes.getFirst(), outcomes.get(1));
    }

    /** What {@code openssl s_client -tls1_2} negotiates with the port: its protocol, or "refused". */
    private static String handshake(int port, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Binaries.require("openssl").toString(), "s_client", "-brief",
                "-tls1_2", "-connect", "127.0.0.1:" + port, "-CAfile", certificates.path("ca.crt")));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        return output.lines().filter(line -> line.startsWith("Protocol version: ")).findFirst()
                .map(line -> line.substring("Protocol version: ".length()).strip()).orElse("refused");
    }

    private static boolean owns(String[] fields, int slot) {
        for (int i = 8; i < fields.length; i++) {
            String[] range = fields[i].split("-");
            if (!fields[i].startsWith("[") && Integer.parseInt(range[0]) <= slot
                    && slot <= Integer.parseInt(range[range.length - 1])) {
                return true;
            }
        }
        return false;
    }

    /** Whether every node, asked over TLS, lists {@code expected} connected nodes and says ok, all in one view. */
    private static boolean agree(List<Node> nodes, int expected) {
        try {
            String first = view(tlsCli("-p", String.valueOf(nodes.getFirst().tlsPort()), "CLUSTER", "NODES"));
            if (first.lines().count() != expected || first.contains("fail") || first.contains("handshake")
                    || first.contains("disconnected") || first.contains("noaddr")) {
                return false;
            }
            for (Node node : nodes) {
                String port = String.valueOf(node.tlsPort());
                if (!view(tlsCli("-p", port, "CLUSTER", "NODES")).equals(first)
                        || !tlsCli("-p", port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return false;
                }
            }
            return true;
        } catch (AssertionError | IOException | InterruptedException e) {
            return false;
        }
    }

    /** CLUSTER NODES without "myself" and the ping and pong times, sorted: what all nodes agree on. */
    static String view(String nodes) {
        return nodes.lines().map(line -> {
            String[] f = line.split(" ");
            List<String> kept = new ArrayList<>(List.of(f[0], f[1], f[2].replace("myself,", ""), f[3]));
            kept.addAll(Arrays.asList(f).subList(6, f.length));
            return String.join(" ", kept);
        }).sorted().collect(Collectors.joining("\n"));
    }

    /**
     * CLUSTER SLOTS as redis-cli prints it without replicas (per range: first, last, ip, port, id, an empty map),
     * the ranges sorted: Redis lists them master by master in its dict's order.
     */
    static String slots(String output) {
        return Arrays.stream(output.split("\n\n")).map(String::strip).sorted().collect(Collectors.joining("\n--\n"));
    }

    /**
     * CLUSTER SHARDS as redis-cli prints it, one block per shard from its "slots" line, sorted: Redis lists the shards
     * in its dict's order. The replication offsets are left out (each node knows the others' from their last ping).
     */
    static String shards(String output) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("^\\s*\\d+\\)\\s*", "").strip();
            if (line.equals("\"slots\"") || line.equals("slots")) {
                if (block != null) {
                    blocks.add(block.toString());
                }
                block = new StringBuilder();
            }
            if (line.contains("replication-offset")) {
                i++;
                continue;
            }
            if (block != null) {
                block.append(line).append('\n');
            }
        }
        if (block != null) {
            blocks.add(block.toString());
        }
        return blocks.stream().sorted().collect(Collectors.joining("--\n"));
    }

    /**
     * redis-cli over TLS with the client certificate; {@code --cluster} commands, which wait for ever for the nodes
     * to agree ("Waiting for the cluster to join"), get two minutes, the others one.
     */
    private static String tlsCli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--tls", "--cacert", certificates.path("ca.crt"),
                "--cert", certificates.path("client.crt"), "--key", certificates.path("client.key")));
        command.addAll(List.of(args));
        return args[0].equals("--cluster") ? cli(120, command) : cli(command.toArray(String[]::new));
    }

    private static String plainCli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("-p", String.valueOf(port)));
        command.addAll(List.of(args));
        try {
            return cli(command.toArray(String[]::new));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> tls(int tlsPort) throws IOException {
        return List.of("--tls-port", String.valueOf(tlsPort), "--tls-cluster", "yes", "--tls-replication", "yes",
                "--tls-cert-file", certificates.path("server.crt"), "--tls-key-file", certificates.path("server.key"),
                "--tls-ca-cert-file", certificates.path("ca.crt"), "--cluster-enabled", "yes",
                "--cluster-port", String.valueOf(ClusterHarness.freePort()),
                "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT), "--repl-diskless-sync-delay", "0");
    }

    /** A real redis-server: TLS alone ({@code --port 0}), or also a plaintext port. */
    private Node real(boolean plaintext) throws IOException, InterruptedException {
        int tlsPort = ClusterHarness.freePort();
        List<String> arguments = new ArrayList<>(tls(tlsPort));
        int port = plaintext ? ClusterHarness.freePort() : 0;
        arguments.addAll(List.of("--port", String.valueOf(port)));
        RealRedis redis = RealRedis.start(arguments.toArray(String[]::new));
        started.add(redis);
        return new Node("redis-server", port, tlsPort);
    }

    /** One of ours in this JVM: TLS alone ({@code port 0} with a tls-port), or also a plaintext port. */
    private Node ours(boolean plaintext) throws IOException {
        int tlsPort = ClusterHarness.freePort();
        int port = plaintext ? ClusterHarness.freePort() : 0;
        EmbeddedServer.Builder builder = EmbeddedServer.builder().temporaryDataDirectory().port(port);
        List<String> arguments = tls(tlsPort);
        for (int i = 0; i < arguments.size(); i += 2) {
            builder.config(arguments.get(i).substring(2), arguments.get(i + 1));
        }
        EmbeddedServer server = builder.start();
        started.add(server::stopNow);
        return new Node("port6379", port, tlsPort);
    }
}
