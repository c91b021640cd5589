// The server's TLS set-up: Redis's tls-* settings turned into the JDK's SSLContext and SSLParameters.
package io.port6379.server.network;

import io.port6379.server.config.ServerConfig;
import io.port6379.server.util.Log;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * What Redis's {@code tlsConfigure} does with OpenSSL, done with the JDK's own TLS (JSSE):
 *
 * <ul>
 * <li>{@code tls-cert-file} (the leaf first, then its chain) and {@code tls-key-file} ({@code tls-key-file-pass}
 * when encrypted) become the one entry of an in-memory key store ({@link PemFiles} reads the PEM);</li>
 * <li>{@code tls-ca-cert-file} and every certificate file in {@code tls-ca-cert-dir} become the trust store that
 * client certificates are checked against;</li>
 * <li>{@code tls-auth-clients yes|optional|no} is {@code needClientAuth}, {@code wantClientAuth}, neither;</li>
 * <li>{@code tls-protocols} ({@code "TLSv1.2 TLSv1.3"}, the default when empty), {@code tls-ciphers}
 * (OpenSSL's cipher string for TLS 1.2 and older, evaluated over the JDK's suites by {@link CipherString}),
 * {@code tls-ciphersuites} (TLS 1.3; the names are the same in both), {@code tls-prefer-server-ciphers};</li>
 * <li>{@code tls-dh-params-file}: the FFDHE group of the DHE suites ({@link DhParams});</li>
 * <li>{@code tls-session-caching}, {@code -cache-size}, {@code -cache-timeout} set the server's session cache;</li>
 * <li>{@code tls-client-cert-file} and {@code tls-client-key-file} ({@code tls-client-key-file-pass}) are the
 * certificate this server shows when it connects to another ({@link Outgoing}); without them it shows its
 * {@code tls-cert-file}, as Redis does.</li>
 * </ul>
 *
 * <p>An instance is immutable: CONFIG SET of a {@code tls-*} setting builds a new one, and only new connections
 * use it, as in Redis, where connections keep the {@code SSL_CTX} they were accepted with. A setting that cannot
 * be applied throws {@link Failure} with the line Redis logs.
 */
public final class Tls {

    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final SSLContext context;
    private final SSLParameters parameters;
    /** The context of the connections this server opens (MIGRATE with tls-cluster, tls-replication). */
    private final SSLContext clientContext;

    private Tls(SSLContext context, SSLParameters parameters, SSLContext clientContext) {
        this.context = context;
        this.parameters = parameters;
        this.clientContext = clientContext;
    }

    /** A setting that cannot be applied; the message is what Redis logs. */
    public static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** Whether TLS must be configured: Redis does it when any of tls-port, tls-replication, tls-cluster is on. */
    public static boolean wanted(ServerConfig config) {
        return config.number("tls-port") != 0 || config.flag("tls-replication") || config.flag("tls-cluster");
    }

    public SSLContext context() {
        return context;
    }

    /** A copy: each connection's socket gets its own. */
    public SSLParameters parameters() {
        SSLParameters copy = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        copy.setWantClientAuth(parameters.getWantClientAuth());
        copy.setNeedClientAuth(parameters.getNeedClientAuth());
        copy.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
        copy.setNamedGroups(parameters.getNamedGroups());
        return copy;
    }

    /**
     * An engine for a connection this server opens to {@code host:port}, as Redis's {@code connCreateTLS}: the
     * client context, the same protocols and suites as the server's, the peer's certificate checked against the CA
     * certificates but not its name (OpenSSL's {@code SSL_VERIFY_PEER} without a host check, Redis sets none).
     */
    SSLEngine clientEngine(String host, int port) {
        SSLEngine engine = clientContext.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols()));
        return engine;
    }

    // tag::bus[]
    /**
     * The cluster bus's side of a connection under {@code tls-cluster}, as Redis's {@code clusterAcceptHandler} and
     * {@code clusterCron} make it: an accepted connection is a server-side TLS connection that requires the peer's
     * certificate whatever {@code tls-auth-clients} says ({@code connCreateAcceptedTLS(fd, TLS_CLIENT_AUTH_YES)}); a
     * connection this node opens shows {@code tls-client-cert-file} (else {@code tls-cert-file}) and checks the peer's
     * chain against the CA certificates, as {@link #clientEngine} does. Protocols and suites are the server's. The
     * handshake is done here, bounded by {@code timeoutMillis}; the socket then reads without a timeout again.
     */
    SSLSocket busSocket(Socket tcp, boolean accepted, int timeoutMillis) throws IOException {
        SSLSocket ssl = (SSLSocket) (accepted ? context : clientContext).getSocketFactory().createSocket(tcp,
                tcp.getInetAddress().getHostAddress(), tcp.getPort(), true);
        ssl.setUseClientMode(!accepted);
        SSLParameters bus = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        if (accepted) {
            bus.setNeedClientAuth(true);
            bus.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
            bus.setNamedGroups(parameters.getNamedGroups());
        }
        ssl.setSSLParameters(bus);
        int soTimeout = tcp.getSoTimeout();
        try {
            tcp.setSoTimeout(timeoutMillis);
            ssl.startHandshake();
            tcp.setSoTimeout(soTimeout);
            return ssl;
        } catch (IOException | RuntimeException failed) {
            tcp.close(); // not the TLS layer: its close_notify could wait on a peer that stopped reading
            throw failed instanceof IOException io ? io : new IOException(failed.getMessage(), failed);
        }
    }
    // end::bus[]

    /** Whether a handshake has run in this process yet ({@link #warmUp}). */
    private static final java.util.concurrent.atomic.AtomicBoolean WARM = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * One handshake between two engines of this set-up, in memory, the first time the process configures TLS: the
     * server's side with the client certificate required, as on the cluster bus, the client's showing its
     * certificate. A JVM's first handshake loads and initialises the JDK's TLS and its cryptography, which takes
     * about 6 seconds on a loaded 2-core machine (later ones take a few hundred milliseconds there): paid by the first
     * peer, it exceeded a cluster's handshake window ({@code cluster-node-timeout}), and the node that sent MEET
     * forgot its new peer, as Redis does when the handshake does not complete in time. Paid here, before the
     * server says it is ready, it is part of the start. Best effort: a certificate that cannot be shown to itself
     * (another CA, no client use) ends the warm-up where it fails, with the classes loaded so far.
     */
    void warmUp() {
        if (WARM.compareAndSet(false, true)) {
            handshakeInMemory();
        }
    }

    /** The warm-up's handshake: whether both engines finished it. */
    boolean handshakeInMemory() {
        try {
            SSLEngine client = clientContext.createSSLEngine("localhost", 0);
            client.setUseClientMode(true);
            client.setSSLParameters(new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols()));
            SSLEngine server = context.createSSLEngine();
            server.setUseClientMode(false);
            SSLParameters serverSide = parameters();
            serverSide.setNeedClientAuth(true);
            server.setSSLParameters(serverSide);
            java.nio.ByteBuffer none = java.nio.ByteBuffer.allocate(0);
            java.nio.ByteBuffer toServer = java.nio.ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            java.nio.ByteBuffer toClient = java.nio.ByteBuffer.allocate(server.getSession().getPacketBufferSize());
            java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
            client.beginHandshake();
            server.beginHandshake();
            for (int round = 0; round < 50 && !(idle(client) && idle(server)); round++) {
                client.wrap(none, toServer);
                runTasks(client);
                toServer.flip();
                server.unwrap(toServer, sink);
                toServer.compact();
                runTasks(server);
                server.wrap(none, toClient);
                runTasks(server);
                toClient.flip();
                client.unwrap(toClient, sink);
                toClient.compact();
                runTasks(client);
                sink.clear();
            }
            return idle(client) && idle(server);
        } catch (javax.net.ssl.SSLException | RuntimeException e) {
            return false; // the warm-up stops here; real handshakes report their own failures
        }
    }

    private static boolean idle(SSLEngine engine) {
        return engine.getHandshakeStatus() == javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    // tag::configure[]
    /** Builds the TLS set-up the configuration describes, with Redis's checks in Redis's order. */
    public static Tls configure(ServerConfig config) throws Failure {
        String certFile = config.get("tls-cert-file");
        String keyFile = config.get("tls-key-file");
        String caFile = config.get("tls-ca-cert-file");
        String caDir = config.get("tls-ca-cert-dir");
        String authClients = config.get("tls-auth-clients");
        if (certFile.isEmpty()) {
            throw new Failure("No tls-cert-file configured!");
        }
        if (keyFile.isEmpty()) {
            throw new Failure("No tls-key-file configured!");
        }
        if ((!authClients.equals("no") || config.flag("tls-cluster") || config.flag("tls-replication"))
                && caFile.isEmpty() && caDir.isEmpty()) {
            throw new Failure("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, "
                    + "tls-replication or tls-auth-clients are enabled!");
        }
        String[] protocols = protocols(config.get("tls-protocols"));
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = keyManagers(certFile, keyFile, config.get("tls-key-file-pass"));
            TrustManagerFactory authorities = trustManagers(caFile, caDir);
            context.init(keys.getKeyManagers(), authorities.getTrustManagers(), null);
            SSLContext clientContext = context; // Redis's fallback: the server's certificate is also its client one
            String clientCertFile = config.get("tls-client-cert-file");
            String clientKeyFile = config.get("tls-client-key-file");
            if (!clientCertFile.isEmpty() && !clientKeyFile.isEmpty()) {
                clientContext = SSLContext.getInstance("TLS");
                clientContext.init(keyManagers(clientCertFile, clientKeyFile, config.get("tls-client-key-file-pass"))
                        .getKeyManagers(), authorities.getTrustManagers(), null);
            }
            SSLSessionContext sessions = context.getServerSessionContext();
            if (config.flag("tls-session-caching")) {
                sessions.setSessionCacheSize((int) config.number("tls-session-cache-size"));
                sessions.setSessionTimeout((int) config.number("tls-session-cache-timeout"));
            } else { // the JDK cannot switch its cache off: one entry, kept for a second, comes closest
                sessions.setSessionCacheSize(1);
                sessions.setSessionTimeout(1);
            }
            SSLParameters parameters = new SSLParameters(cipherSuites(context, config, protocols), protocols);
            parameters.setWantClientAuth(authClients.equals("optional")); // before need: setting one clears the other
            parameters.setNeedClientAuth(authClients.equals("yes"));
            parameters.setUseCipherSuitesOrder(config.flag("tls-prefer-server-ciphers"));
            String dhParamsFile = config.get("tls-dh-params-file");
            parameters.setNamedGroups(namedGroups(context, dhParamsFile.isEmpty() ? null : DhParams.read(dhParamsFile)));
            return new Tls(context, parameters, clientContext);
        } catch (GeneralSecurityException e) {
            throw new Failure("Failed to configure TLS: " + e.getMessage());
        }
    }
    // end::configure[]

    private static String[] protocols(String setting) throws Failure {
        if (setting.isBlank()) {
            return new String[] {"TLSv1.2", "TLSv1.3"};
        }
        List<String> chosen = new ArrayList<>();
        for (String word : setting.trim().split("\\s+")) {
            String protocol = PROTOCOLS.stream().filter(p -> p.equalsIgnoreCase(word)).findFirst().orElse(null);
            if (protocol == null) {
                throw new Failure("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', "
                        + "'TLSv1.2' and 'TLSv1.3'.");
            }
            chosen.add(protocol);
        }
        return chosen.toArray(String[]::new);
    }

    private static KeyManagerFactory keyManagers(String certFile, String keyFile, String password) throws Failure {
        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(Path.of(certFile));
        } catch (IOException | GeneralSecurityException e) {
            throw new Failure("Failed to load certificate: " + certFile + ": " + e.getMessage());
        }
        PrivateKey key;
        try {
            key = PemFiles.privateKey(Path.of(keyFile), password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new Failure("Failed to load private key: " + keyFile + ": " + e.getMessage());
        }
        try {
            byte[] publicKey = publicKeyOf(key);
            if (publicKey != null && !Arrays.equals(publicKey, chain.getFirst().getPublicKey().getEncoded())) {
                throw new Failure("Failed to load private key: " + keyFile + ": key values mismatch");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] storePassword = new char[0];
            store.setKeyEntry("server", key, storePassword, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, storePassword);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new Failure("Failed to load private key: " + keyFile + ": " + e.getMessage());
        }
    }

    /**
     * The public key that goes with {@code key}, as X.509 bytes, to refuse a key that does not match the
     * certificate as OpenSSL's {@code SSL_CTX_check_private_key} does; {@code null} when the JDK cannot derive it.
     */
    private static byte[] publicKeyOf(PrivateKey key) {
        if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
            try {
                return java.security.KeyFactory.getInstance("RSA").generatePublic(
                        new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())).getEncoded();
            } catch (GeneralSecurityException e) {
                return null;
            }
        }
        return null;
    }

    private static TrustManagerFactory trustManagers(String caFile, String caDir) throws Failure {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            List<X509Certificate> authorities = new ArrayList<>();
            if (!caFile.isEmpty()) {
                authorities.addAll(PemFiles.certificates(Path.of(caFile)));
            }
            if (!caDir.isEmpty()) { // OpenSSL's c_rehash names (abcd1234.0) or any other: every file holding certificates
                try (Stream<Path> files = Files.list(Path.of(caDir))) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        try {
                            authorities.addAll(PemFiles.certificates(file));
                        } catch (GeneralSecurityException notCertificates) {
                            // OpenSSL skips what it cannot read in the directory too
                        }
                    }
                }
            }
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new Failure("Failed to configure CA certificate(s) file/directory: " + e.getMessage());
        }
    }

    /**
     * The groups for the key exchange: the JDK's defaults, with its RFC 7919 FFDHE groups narrowed to the one
     * {@code tls-dh-params-file} names, or none when the file's prime is not one of them but is the JDK's legacy DHE
     * group in this process ({@link DhParams} says why and how far that is Redis's behaviour).
     */
    private static String[] namedGroups(SSLContext context, java.math.BigInteger[] dhParameters) {
        String[] defaults = context.getDefaultSSLParameters().getNamedGroups();
        if (dhParameters == null) {
            return defaults;
        }
        List<String> groups = new ArrayList<>(Stream.of(defaults).filter(g -> !g.startsWith("ffdhe")).toList());
        DhParams.Group dh = DhParams.group(dhParameters);
        if (!dh.exact() && JdkTlsProperties.isProcessDhParameters(dhParameters)) {
            return groups.toArray(String[]::new); // every DHE exchange takes the legacy group, the file's prime
        }
        if (!dh.exact()) {
            Log.log("#", "tls-dh-params-file holds a " + dh.fileBits() + "-bit group that is not an RFC 7919 one: "
                    + "the JDK's TLS uses " + dh.name() + " for DHE suites instead, until the server starts with it");
        }
        groups.add(dh.name());
        return groups.toArray(String[]::new);
    }

    /**
     * OpenSSL's default TLS 1.3 suites, in its order ({@code TLS_DEFAULT_CIPHERSUITES}), which Redis keeps when
     * {@code tls-ciphersuites} is not set. The JDK's own default order puts AES-128 before ChaCha20.
     */
    private static final String OPENSSL_DEFAULT_CIPHERSUITES =
            "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";

    /**
     * The TLS 1.2-and-older suites {@code tls-ciphers} selects (OpenSSL's cipher string, {@link CipherString}) and the
     * TLS 1.3 ones {@code tls-ciphersuites} names (the same IANA names in OpenSSL and the JDK; unknown names are
     * skipped as OpenSSL skips them, none known is an error). Without them, OpenSSL's defaults, as Redis leaves them:
     * its {@code DEFAULT} cipher string and its three TLS 1.3 suites, in OpenSSL's order, which is what decides under
     * {@code tls-prefer-server-ciphers yes}. The suites with RSA key exchange ({@code TLS_RSA_*}) are among them only
     * when the JDK allows them in this process ({@link JdkTlsProperties}).
     */
    private static String[] cipherSuites(SSLContext context, ServerConfig config, String[] protocols) throws Failure {
        List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
        List<String> defaults = List.of(context.getDefaultSSLParameters().getCipherSuites());
        List<String> preferred = CipherString.preferenceOrder(supported, defaults);
        Set<String> suites = new LinkedHashSet<>();
        String ciphers = config.get("tls-ciphers");
        if (ciphers.isBlank()) {
            suites.addAll(CipherString.select("DEFAULT", preferred));
            suites.add("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
        } else {
            List<String> chosen = CipherString.select(ciphers, preferred);
            if (JdkTlsProperties.rsaKeyExchangeDisabled()
                    && !CipherString.select(ciphers, JdkTlsProperties.RSA_SUITES).isEmpty()) {
                Log.log("#", "tls-ciphers selects suites with RSA key exchange, which the JDK refuses in this process: "
                        + "a server embedded in another program keeps its JDK's jdk.tls.disabledAlgorithms");
            }
            if (chosen.isEmpty()) {
                throw new Failure("Failed to configure ciphers: " + ciphers);
            }
            suites.addAll(chosen);
            suites.add("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"); // signalling, not a suite: OpenSSL always sends its equivalent
        }
        String ciphersuites = config.get("tls-ciphersuites");
        if (ciphersuites.isBlank()) {
            suites.addAll(List.of(OPENSSL_DEFAULT_CIPHERSUITES.split(":")));
        } else {
            List<String> chosen = Stream.of(ciphersuites.trim().split(":"))
                    .filter(s -> isTls13(s) && supported.contains(s)).toList();
            if (chosen.isEmpty()) {
                throw new Failure("Failed to configure ciphersuites: " + ciphersuites);
            }
            suites.addAll(chosen);
        }
        suites.retainAll(supported);
        return suites.toArray(String[]::new);
    }

    private static boolean isTls13(String suite) {
        return !suite.contains("_WITH_") && !suite.startsWith("TLS_EMPTY");
    }
}
