// TLS against both servers: redis-cli --tls, Jedis and Lettuce with client certificates, plain text refused, reloads.
package io.port6379.server.network;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.port6379.server.TestServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import io.port6379.testing.TlsCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real redis-server 7.0.15 and ours, both started with the same certificates (made by {@code openssl} for this
 * run) and {@code tls-auth-clients yes}, Redis's default: each scenario runs against both and must see the same.
 */
class TlsTest {

    @RegisterExtension
    static final TlsCertificates certificates = new TlsCertificates();
    private static RealRedis redis;
    private static TestServer ours;
    private static int redisTlsPort;
    private static int oursTlsPort;

    @BeforeAll
    static void start() throws Exception {
        Binaries.require("redis-server");
        redisTlsPort = freePort();
        redis = RealRedis.start(tlsArguments(redisTlsPort));
        oursTlsPort = freePort();
        List<String> arguments = new ArrayList<>(List.of("--port", String.valueOf(freePort())));
        arguments.addAll(List.of(tlsArguments(oursTlsPort)));
        ours = TestServer.start(arguments.toArray(String[]::new));
    }

    private static String[] tlsArguments(int tlsPort) {
        return new String[] {"--tls-port", String.valueOf(tlsPort), "--tls-cert-file", certificates.path("server.crt"),
                "--tls-key-file", certificates.path("server.key"), "--tls-ca-cert-file", certificates.path("ca.crt")};
    }

    @AfterAll
    static void stop() throws IOException {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Runs {@code check} with each server's TLS port and returns {@code {redis's result, ours}}. */
    private static <T> List<T> both(Check<T> check) throws Exception {
        return List.of(check.run(redisTlsPort), check.run(oursTlsPort));
    }

    interface Check<T> {
        T run(int tlsPort) throws Exception;
    }

    private static void sameOnBoth(Check<?> check) throws Exception {
        List<?> results = both(check);
        assertEquals(results.get(0), results.get(1));
    }

    private static String redisCli(int port, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Binaries.require("redis-cli").toString(), "-p", String.valueOf(port)));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    private static String[] withClientCertificate(String... command) {
        List<String> arguments = new ArrayList<>(List.of("--tls", "--cacert", certificates.path("ca.crt"),
                "--cert", certificates.path("client.crt"), "--key", certificates.path("client.key")));
        arguments.addAll(List.of(command));
        return arguments.toArray(String[]::new);
    }

    @Test
    void redisCliWithTheClientCertificateIsServed() throws Exception {
        sameOnBoth(port -> redisCli(port, withClientCertificate("SET", "fruit", "apple"))
                + redisCli(port, withClientCertificate("GET", "fruit"))
                + redisCli(port, withClientCertificate("DEL", "fruit")));
        assertEquals("PONG\n", redisCli(oursTlsPort, withClientCertificate("PING")));
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhenTlsAuthClientsIsYes() throws Exception {
        List<String> outputs = both(port -> redisCli(port, "--tls", "--cacert", certificates.path("ca.crt"), "PING"));
        assertEquals(List.of(false, false), outputs.stream().map(output -> output.contains("PONG")).toList(), outputs.toString());
    }

    @Test
    void aPlainTextClientOnTheTlsPortIsResetWithoutAReply() throws Exception {
        sameOnBoth(port -> redisCli(port, "PING"));
        assertEquals("Error: Connection reset by peer\n", redisCli(oursTlsPort, "PING"));
        sameOnBoth(TlsTest::rawPlainTextPing);
    }

    /** What a raw socket sees after sending a PING in clear text: the bytes received, then how the stream ended. */
    private static String rawPlainTextPing(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    received.append((char) b);
                }
                return received + " then end of stream";
            } catch (java.net.SocketException e) {
                return received + " then " + e.getMessage();
            }
        }
    }

    @Test
    void jedisWithAClientCertificate() throws Exception {
        sameOnBoth(port -> {
            try (Jedis jedis = new Jedis(new HostAndPort("localhost", port), DefaultJedisClientConfig.builder()
                    .ssl(true).sslSocketFactory(clientContext(true).getSocketFactory()).build())) {
                return jedis.set("jedis", "tls") + jedis.get("jedis") + jedis.del("jedis") + jedis.ping();
            }
        });
    }

    @Test
    void jedisWithoutAClientCertificateIsRefused() throws Exception {
        for (int port : List.of(redisTlsPort, oursTlsPort)) {
            SSLContext context = clientContext(false);
            assertThrows(Exception.class, () -> {
                try (Jedis jedis = new Jedis(new HostAndPort("localhost", port), DefaultJedisClientConfig.builder()
                        .ssl(true).sslSocketFactory(context.getSocketFactory()).build())) {
                    jedis.ping();
                }
            }, "port " + port);
        }
    }

    @Test
    void lettuceWithAClientCertificate() throws Exception {
        sameOnBoth(port -> {
            SslOptions ssl = SslOptions.builder().jdkSslProvider().trustManager(new File(certificates.path("ca.crt")))
                    .keyManager(new File(certificates.path("client.crt")), new File(certificates.path("client.key")), null)
                    .build();
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("localhost").withPort(port).withSsl(true)
                    .withTimeout(Duration.ofSeconds(10)).build());
            client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                var sync = connection.sync();
                return sync.hset("lettuce", Map.of("over", "tls")) + " " + sync.hgetall("lettuce") + " " + sync.del("lettuce");
            } finally {
                client.shutdown();
            }
        });
    }

    @Test
    void badTlsSettingsAreRefusedByConfigSetWithRedisError() throws Exception {
        sameOnBoth(port -> redisCli(port, withClientCertificate("CONFIG", "SET", "tls-protocols", "TLSv1.5"))
                + redisCli(port, withClientCertificate("CONFIG", "SET", "tls-cert-file", "/nonexistent/server.crt"))
                + redisCli(port, withClientCertificate("CONFIG", "SET", "tls-key-file", certificates.path("client.key")))
                + redisCli(port, withClientCertificate("CONFIG", "SET", "tls-auth-clients", "maybe"))
                + redisCli(port, withClientCertificate("CONFIG", "GET", "tls-protocols"))
                + redisCli(port, withClientCertificate("CONFIG", "GET", "tls-key-file"))
                + redisCli(port, withClientCertificate("PING")));
    }

    @Test
    void configSetOfTheCertificatesReloadsThemForNewConnections() throws Exception {
        certificates.authority("ca2");
        certificates.signed("server2", "ca2", "localhost", "ec");
        try {
            sameOnBoth(port -> redisCli(port, withClientCertificate("CONFIG", "SET", "tls-cert-file",
                    certificates.path("server2.crt"), "tls-key-file", certificates.path("server2.key")))
                    + redisCli(port, withClientCertificate("PING")).contains("PONG")
                    + " " + redisCli(port, "--tls", "--cacert", certificates.path("ca2.crt"), "--cert",
                    certificates.path("client.crt"), "--key", certificates.path("client.key"), "PING"));
        } finally {
            for (int port : List.of(redisTlsPort, oursTlsPort)) {
                redisCli(port, "--tls", "--cacert", certificates.path("ca2.crt"), "--cert", certificates.path("client.crt"),
                        "--key", certificates.path("client.key"), "CONFIG", "SET", "tls-cert-file",
                        certificates.path("server.crt"), "tls-key-file", certificates.path("server.key"));
            }
        }
        sameOnBoth(port -> redisCli(port, withClientCertificate("PING")));
    }

    @Test
    void tlsAuthClientsOptionalAcceptsClientsWithAndWithoutCertificates() throws Exception {
        try {
            sameOnBoth(port -> redisCli(port, withClientCertificate("CONFIG", "SET", "tls-auth-clients", "optional"))
                    + redisCli(port, "--tls", "--cacert", certificates.path("ca.crt"), "PING")
                    + redisCli(port, withClientCertificate("PING")));
        } finally {
            for (int port : List.of(redisTlsPort, oursTlsPort)) {
                redisCli(port, withClientCertificate("CONFIG", "SET", "tls-auth-clients", "yes"));
            }
        }
    }

    /** A client's SSLContext trusting the test authority, with the client certificate or without. */
    private static SSLContext clientContext(boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemFiles.certificates(Path.of(certificates.path("ca.crt"))).getFirst());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (withCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", PemFiles.privateKey(Path.of(certificates.path("client.key")), ""), new char[0],
                    PemFiles.certificates(Path.of(certificates.path("client.crt"))).toArray(X509Certificate[]::new));
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
