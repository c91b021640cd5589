// Replication over TLS (tls-replication yes) between ours and a real redis-server 7.0.15, both ways, and ours with ours.
package io.port6379.server.replication;

import io.port6379.server.TestServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.TlsCertificates;
import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.port6379.server.replication.ReplicationInteropTest.awaitInSync;
import static io.port6379.server.replication.ReplicationInteropTest.digest;
import static io.port6379.server.replication.ReplicationInteropTest.field;
import static io.port6379.server.replication.ReplicationInteropTest.jedis;
import static io.port6379.server.replication.ReplicationInteropTest.stat;
import static io.port6379.server.replication.ReplicationInteropTest.writeEverything;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every node has a plain port for the test's own commands and a TLS port ({@code tls-auth-clients yes}), all with
 * the same certificates, made by {@code openssl} for this run; with {@code tls-replication yes} a replica connects to
 * its master's TLS port over TLS and shows the master its certificate (Redis's {@code connCreateTLS} in
 * {@code connectWithMaster}). A full sync, the stream, WAIT's GETACK and ACK, and a partial resync after
 * {@code CLIENT KILL TYPE master} all cross that connection.
 */
class ReplicationOverTlsTest {

    @RegisterExtension
    static final TlsCertificates certificates = new TlsCertificates();
    private final List<AutoCloseable> started = new ArrayList<>();

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

    /** A node: the plain port the test talks to, the TLS port replicas connect to. */
    record Node(int port, int tlsPort) {
    }

    @Test
    void oursReplicatesFromOursOverTls() throws Exception {
        fullWaitThenPartial(ours(), ours());
    }

    @Test
    void oursReplicatesFromRealRedisOverTls() throws Exception {
        fullWaitThenPartial(real(), ours());
    }

    @Test
    void realRedisReplicatesFromOursOverTls() throws Exception {
        fullWaitThenPartial(ours(), real());
    }

    @Test
    void oursReplicatesFromRealRedisOverTlsDiskless() throws Exception {
        fullWaitThenPartial(real("--repl-diskless-sync", "yes"), ours("--repl-diskless-load", "swapdb"));
    }

    /** Without tls-replication the replica speaks plain text to a TLS port: the link never comes up, on either. */
    @Test
    void withoutTlsReplicationTheLinkToATlsPortStaysDown() throws Exception {
        Node master = ours();
        List<String> states = new ArrayList<>();
        for (Node replica : List.of(real("--tls-replication", "no"), ours("--tls-replication", "no"))) {
            try (Jedis r = jedis(replica.port())) {
                r.replicaof("127.0.0.1", master.tlsPort());
                Thread.sleep(1500);
                states.add(field(r.info("replication"), "master_link_status"));
                r.replicaofNoOne();
            }
        }
        assertEquals(List.of("down", "down"), states);
    }

    private void fullWaitThenPartial(Node masterNode, Node replicaNode) throws Exception {
        try (Jedis master = jedis(masterNode.port()); Jedis replica = jedis(replicaNode.port())) {
            Random random = new Random(26);
            writeEverything(master, random, 200);
            assertEquals("OK", replica.replicaof("127.0.0.1", masterNode.tlsPort()));
            writeEverything(master, random, 200);
            awaitInSync(master, replica);
            assertEquals(digest(master), digest(replica));
            master.set("acknowledged", "over TLS");
            assertEquals(1, master.waitReplicas(1, 5000), "the replica's ACK came back over TLS");

            long full = stat(master, "sync_full");
            long partial = stat(master, "sync_partial_ok");
            replica.clientKill(ClientKillParams.clientKillParams().type(ClientType.MASTER));
            writeEverything(master, random, 100);
            awaitInSync(master, replica);
            assertEquals(partial + 1, stat(master, "sync_partial_ok"), "the replica continued partially");
            assertEquals(full, stat(master, "sync_full"));
            assertEquals(digest(master), digest(replica));
            assertTrue(master.clientList().contains("flags=S"), master.clientList());
        }
    }

    private static List<String> tls(int tlsPort, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--tls-port", String.valueOf(tlsPort), "--tls-replication", "yes",
                "--tls-cert-file", certificates.path("server.crt"), "--tls-key-file", certificates.path("server.key"),
                "--tls-ca-cert-file", certificates.path("ca.crt"), "--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0"));
        arguments.addAll(List.of(extra));
        return arguments;
    }

    private Node ours(String... extra) throws IOException {
        int tlsPort = freePort();
        List<String> arguments = new ArrayList<>(List.of("--port", String.valueOf(freePort()), "--save", ""));
        arguments.addAll(tls(tlsPort, extra));
        TestServer server = TestServer.start(arguments.toArray(String[]::new));
        started.add(server);
        return new Node(server.port(), tlsPort);
    }

    private Node real(String... extra) throws IOException, InterruptedException {
        int tlsPort = freePort();
        RealRedis redis = RealRedis.start(tls(tlsPort, extra).toArray(String[]::new));
        started.add(redis);
        return new Node(redis.port(), tlsPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
