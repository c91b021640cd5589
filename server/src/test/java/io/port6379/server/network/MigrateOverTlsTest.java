// MIGRATE with tls-cluster yes between ours and a real redis-server, both ways, and the TLS failures both report alike.
package io.port6379.server.network;

import io.port6379.server.TestServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.TlsCertificates;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real redis-server 7.0.15 and ours, each with a plain port for the test's own commands and a TLS port with
 * {@code tls-auth-clients yes}, both started with the same certificates (made by {@code openssl} for this run) and
 * {@code tls-cluster yes}, which makes MIGRATE connect over TLS (Redis's {@code migrateGetSocket}). Each scenario
 * is run with Redis as the source and ours as the target, then the other way round, and both sources must answer
 * the same; the moved key is read back on the target.
 */
class MigrateOverTlsTest {

    private static final String TIMEOUT = "5000";
    @RegisterExtension
    static final TlsCertificates certificates = new TlsCertificates();

    @BeforeAll
    static void certificates() throws Exception {
        Binaries.require("redis-server");
        certificates.authority("rogue");
        certificates.signed("impostor", "rogue", "impostor", "rsa");
    }

    /** A server under test: its plain port for commands and its TLS port as a MIGRATE target. */
    record Node(int port, int tlsPort, AutoCloseable process) implements AutoCloseable {
        String call(String... command) throws IOException {
            try (RespConnection connection = new RespConnection(port)) {
                return connection.call(command);
            }
        }

        @Override
        public void close() throws Exception {
            process.close();
        }
    }

    private static String[] tlsArguments(int tlsPort, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--tls-port", String.valueOf(tlsPort), "--tls-cluster", "yes",
                "--tls-cert-file", certificates.path("server.crt"), "--tls-key-file", certificates.path("server.key"),
                "--tls-ca-cert-file", certificates.path("ca.crt")));
        arguments.addAll(List.of(extra));
        return arguments.toArray(String[]::new);
    }

    private static Node redis(String... extra) throws Exception {
        int tlsPort = TlsTest.freePort();
        RealRedis redis = RealRedis.start(tlsArguments(tlsPort, extra));
        return new Node(redis.port(), tlsPort, redis);
    }

    private static Node ours(String... extra) throws Exception {
        int tlsPort = TlsTest.freePort();
        List<String> arguments = new ArrayList<>(List.of("--port", String.valueOf(TlsTest.freePort())));
        arguments.addAll(List.of(tlsArguments(tlsPort, extra)));
        TestServer server = TestServer.start(arguments.toArray(String[]::new));
        return new Node(server.port(), tlsPort, server);
    }

    /**
     * Starts both servers with {@code sourceExtra} given to each as a source and {@code targetExtra} as a target,
     * MIGRATEs a key from Redis to ours and from ours to Redis, and returns {@code {Redis's reply, ours}} each
     * followed by what the target then holds under the key.
     */
    private static List<String> migrateBothWays(String[] sourceExtra, String[] targetExtra) throws Exception {
        List<String> replies = new ArrayList<>();
        for (boolean redisIsSource : new boolean[] {true, false}) {
            try (Node source = redisIsSource ? redis(sourceExtra) : ours(sourceExtra);
                 Node target = redisIsSource ? ours(targetExtra) : redis(targetExtra)) {
                source.call("SET", "fruit", "apple");
                String reply = source.call("MIGRATE", "127.0.0.1", String.valueOf(target.tlsPort()), "fruit", "0", TIMEOUT);
                replies.add(reply + target.call("GET", "fruit") + source.call("EXISTS", "fruit"));
            }
        }
        return replies;
    }

    @Test
    void migrateOverTlsMovesTheKeyBothWaysWithTheServerCertificateAsTheClientOne() throws Exception {
        List<String> replies = migrateBothWays(new String[0], new String[0]);
        assertEquals(List.of("+OK\r\n$5\r\napple\r\n:0\r\n", "+OK\r\n$5\r\napple\r\n:0\r\n"), replies);
    }

    @Test
    void tlsClientCertFileIsTheCertificateShownToTheTarget() throws Exception {
        String[] client = {"--tls-client-cert-file", certificates.path("client.crt"),
                "--tls-client-key-file", certificates.path("client.key")};
        assertEquals(List.of("+OK\r\n$5\r\napple\r\n:0\r\n", "+OK\r\n$5\r\napple\r\n:0\r\n"),
                migrateBothWays(client, new String[0]));
    }

    /**
     * In TLS 1.3 the client's side of the handshake ends with its Finished message, before the server has judged
     * the client's certificate: the refusal arrives as an alert where the reply was expected, so "reading".
     */
    @Test
    void aClientCertificateTheTargetDoesNotTrustFailsTheFirstRead() throws Exception {
        String[] impostor = {"--tls-client-cert-file", certificates.path("impostor.crt"),
                "--tls-client-key-file", certificates.path("impostor.key")};
        List<String> replies = migrateBothWays(impostor, new String[0]);
        assertEquals("-IOERR error or timeout reading to target instance\r\n$-1\r\n:1\r\n", replies.get(0));
        assertEquals(replies.get(0), replies.get(1));
    }

    @Test
    void aTargetCertificateNotSignedByTheCaFailsTheConnection() throws Exception {
        String[] distrusting = {"--tls-ca-cert-file", certificates.path("rogue.crt"), "--tls-auth-clients", "no"};
        List<String> replies = migrateBothWays(distrusting, new String[0]);
        assertEquals("-IOERR error or timeout connecting to the client\r\n$-1\r\n:1\r\n", replies.get(0));
        assertEquals(replies.get(0), replies.get(1));
    }

    @Test
    void tlsProtocolsApplyToTheConnectionsTheServerOpens() throws Exception {
        List<String> replies = migrateBothWays(new String[] {"--tls-protocols", "TLSv1.2"},
                new String[] {"--tls-protocols", "TLSv1.3"});
        assertEquals("-IOERR error or timeout connecting to the client\r\n$-1\r\n:1\r\n", replies.get(0));
        assertEquals(replies.get(0), replies.get(1));
        assertEquals(List.of("+OK\r\n$5\r\napple\r\n:0\r\n", "+OK\r\n$5\r\napple\r\n:0\r\n"),
                migrateBothWays(new String[] {"--tls-protocols", "TLSv1.2", "--tls-ciphers", "ECDHE-RSA-AES256-GCM-SHA384"},
                        new String[] {"--tls-protocols", "TLSv1.2"}));
    }

    @Test
    void withoutTlsClusterMigrateSpeaksPlainTextToTheTlsPortAndFails() throws Exception {
        List<String> replies = migrateBothWays(new String[] {"--tls-cluster", "no"}, new String[0]);
        assertEquals(replies.get(0), replies.get(1));
        assertEquals(":1\r\n", replies.get(0).substring(replies.get(0).length() - 4));
    }

    @Test
    void configSetTlsClusterSwitchesLaterConnectionsToTls() throws Exception {
        List<String> replies = new ArrayList<>();
        for (boolean redisIsSource : new boolean[] {true, false}) {
            try (Node source = redisIsSource ? redis("--tls-cluster", "no") : ours("--tls-cluster", "no");
                 Node target = redisIsSource ? ours() : redis()) {
                source.call("SET", "fruit", "apple");
                replies.add(source.call("CONFIG", "SET", "tls-cluster", "yes")
                        + source.call("MIGRATE", "127.0.0.1", String.valueOf(target.tlsPort()), "fruit", "0", TIMEOUT)
                        + target.call("GET", "fruit"));
            }
        }
        assertEquals(List.of("+OK\r\n+OK\r\n$5\r\napple\r\n", "+OK\r\n+OK\r\n$5\r\napple\r\n"), replies);
    }
}
