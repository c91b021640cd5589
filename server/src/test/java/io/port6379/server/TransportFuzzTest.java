// FuzzTest's inputs over TLS and the unix socket, plus noise and forged handshakes on the TLS port, while a client is served.
package io.port6379.server;

import io.port6379.testing.TestCertificates;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Dfuzz.inputs} (default 3 000) inputs per transport: FuzzTest's commands, mutations and noise, sent
 * through TLS connections and through the unix socket, and on the TLS port also raw noise and noise that starts like
 * a TLS handshake record, which the JDK's TLS must reject. Meanwhile a plain TCP client sends PING after PING and
 * must always be answered. The law: no crash, no connection left registered, no more platform threads and open
 * file descriptors than before (plus a few the JDK opens lazily), and PING answered on all three transports
 * afterwards. bench/fuzz-transports runs it with a million inputs.
 */
class TransportFuzzTest {

    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 3_000);
    private static final int PER_CONNECTION = 50;
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final byte[] PROBE = "PING\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void fuzzOverTlsAndTheUnixSocketNeverCrashesLeaksOrStallsOtherClients() throws Exception {
        System.out.println("TransportFuzzTest: " + INPUTS + " inputs per transport, -Dfuzz.seed=" + SEED);
        Path directory = Files.createTempDirectory("fuzz");
        Path socketFile = directory.resolve("fuzz.sock");
        int tlsPort = freePort();
        try (TestCertificates certificates = TestCertificates.create();
             TestServer server = TestServer.start("--port", String.valueOf(freePort()), "--tls-port", String.valueOf(tlsPort), "--tls-cert-file",
                     certificates.path("server.crt"), "--tls-key-file", certificates.path("server.key"),
                     "--tls-ca-cert-file", certificates.path("ca.crt"), "--tls-auth-clients", "no",
                     "--unixsocket", socketFile.toString())) {
            SSLContext tls = clientContext(certificates.path("ca.crt"));
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long descriptorsBefore = openDescriptors();
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            AtomicLong slowestPingNanos = new AtomicLong();
            AtomicInteger pings = new AtomicInteger();
            Thread watchdog = Thread.ofPlatform().start(() -> ping(server.port(), fuzzing, slowestPingNanos, pings));
            try {
                fuzz("tls", () -> tlsConnection(tls, tlsPort));
                fuzz("unix", () -> unixConnection(socketFile));
                noiseOnTheTlsPort(tlsPort);
            } finally {
                fuzzing.set(false);
                watchdog.join();
            }
            FuzzTest.awaitNoClients(server);
            try (RespConnection plain = new RespConnection(server.port())) {
                assertEquals("+PONG\r\n", plain.call("PING"));
            }
            assertEquals("PONG", exchange(tlsConnection(tls, tlsPort)));
            assertEquals("PONG", exchange(unixConnection(socketFile)));
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            assertTrue(threadsAfter <= threadsBefore + 6, "platform threads " + threadsBefore + " -> " + threadsAfter);
            long descriptorsAfter = openDescriptors();
            assertTrue(descriptorsAfter <= descriptorsBefore + 8, // jar files and the like the JDK opens lazily
                    "file descriptors " + descriptorsBefore + " -> " + descriptorsAfter);
            assertTrue(pings.get() > 0 && slowestPingNanos.get() < 5_000_000_000L, // generous: CI machines are shared
                    pings.get() + " pings, the slowest " + slowestPingNanos.get() / 1_000_000 + " ms");
            System.out.println("TransportFuzzTest: " + INPUTS + " inputs over TLS and " + INPUTS + " over the unix socket, "
                    + INPUTS / 10 + " noise connections on the TLS port; crashes = 0, clients left = 0, platform threads "
                    + threadsBefore + " -> " + threadsAfter + ", file descriptors " + descriptorsBefore + " -> " + descriptorsAfter
                    + "; " + pings.get() + " PINGs of another client answered"
                    + " meanwhile, the slowest in " + slowestPingNanos.get() / 1_000_000 + " ms");
        } finally {
            Files.deleteIfExists(socketFile);
            Files.delete(directory);
        }
    }

    /** A connection's two streams and how to close it. */
    record Connection(InputStream in, OutputStream out, AutoCloseable closer) {
    }

    interface Opener {
        Connection open() throws IOException;
    }

    private static Connection tlsConnection(SSLContext tls, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(15_000);
        return new Connection(socket.getInputStream(), socket.getOutputStream(), socket);
    }

    private static Connection unixConnection(Path file) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(file));
        return new Connection(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
    }

    private static String exchange(Connection connection) throws Exception {
        try (AutoCloseable ignored = connection.closer()) {
            connection.out().write(PROBE);
            connection.out().flush();
            byte[] reply = new byte[7];
            int n = connection.in().readNBytes(reply, 0, 7);
            return new String(reply, 1, Math.max(0, n - 3), StandardCharsets.US_ASCII);
        }
    }

    /** Four workers, each sending its share of the inputs, {@link #PER_CONNECTION} per connection. */
    private static void fuzz(String transport, Opener opener) throws Exception {
        int batches = (INPUTS + PER_CONNECTION - 1) / PER_CONNECTION;
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int w = 0; w < 4; w++) {
                workers.add(pool.submit(() -> {
                    for (int c; (c = next.getAndIncrement()) < batches; ) {
                        Random random = new Random(SEED + transport.hashCode() + c);
                        oneConnection(opener.open(), random, Math.min(PER_CONNECTION, INPUTS - c * PER_CONNECTION));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
    }

    /** Writes the inputs, each followed by a PING, while a reader drains the replies; then closes. */
    private static void oneConnection(Connection connection, Random random, int count) throws Exception {
        try (AutoCloseable ignored = connection.closer()) {
            Thread reader = Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[8192];
                try {
                    while (connection.in().read(buffer) >= 0) {
                        // replies are not checked: FuzzTest does that on TCP; here the transports are under test
                    }
                } catch (IOException closed) {
                    // the server or this test closed the connection
                }
            });
            try {
                for (int i = 0; i < count; i++) {
                    FuzzTest.Input input = FuzzTest.input(random);
                    connection.out().write(input.bytes());
                    if (input.breaksFraming()) {
                        break;
                    }
                    connection.out().write(PROBE);
                    connection.out().flush();
                }
                connection.out().flush();
                reader.join(200);
            } catch (IOException closedByTheServer) {
                // a protocol error ends the connection, as it should
            }
        }
    }

    /** Plain noise, and noise behind a TLS handshake record header, on the TLS port: refused, nothing else. */
    private static void noiseOnTheTlsPort(int port) throws IOException {
        Random random = new Random(SEED);
        for (int i = 0; i < INPUTS / 10; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(5_000);
                byte[] noise = new byte[1 + random.nextInt(600)];
                random.nextBytes(noise);
                if (i % 2 == 0) { // a handshake record (22), TLS 1.0-1.3 version bytes, a random length
                    noise[0] = 22;
                    if (noise.length > 2) {
                        noise[1] = 3;
                        noise[2] = (byte) random.nextInt(5);
                    }
                }
                socket.getOutputStream().write(noise);
                socket.shutdownOutput();
                socket.getInputStream().readAllBytes();
            } catch (IOException resetOrTimeout) {
                // refused with a reset, an alert, or nothing: all fine, as long as the server lives on
            }
        }
    }

    /** The other client: PING over plain TCP until the fuzz ends, noting the slowest answer. */
    private static void ping(int port, AtomicBoolean fuzzing, AtomicLong slowest, AtomicInteger count) {
        try (RespConnection connection = new RespConnection(port)) {
            while (fuzzing.get()) {
                long start = System.nanoTime();
                if (!connection.call("PING").equals("+PONG\r\n")) {
                    throw new AssertionError("PING not answered");
                }
                slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                count.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (IOException | InterruptedException e) {
            slowest.set(Long.MAX_VALUE);
        }
    }

    /** The process's open file descriptors (server and clients share the JVM), as Linux lists them. */
    private static long openDescriptors() throws IOException {
        try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static SSLContext clientContext(String caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }
}
