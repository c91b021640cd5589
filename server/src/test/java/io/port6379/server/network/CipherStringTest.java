// tls-ciphers as OpenSSL reads it, tls-ciphersuites and tls-dh-params-file: checked against openssl and redis-server.
package io.port6379.server.network;

import io.port6379.server.ServerProcess;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import io.port6379.testing.TlsCertificates;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CipherString} against the {@code openssl ciphers} command (OpenSSL 3.0, the library Debian's redis-server
 * uses): every suite's OpenSSL name, and for each cipher string of {@link #STRINGS} the suites selected, restricted
 * to those the JDK supports. Then both servers, started with the same certificate, are asked the same: CONFIG SET of
 * tls-ciphers, tls-ciphersuites and tls-dh-params-file, and what {@code openssl s_client} then negotiates.
 */
class CipherStringTest {

    /** Cipher strings as operators write them (from Redis's and Mozilla's guides among others) and edge cases. */
    static final List<String> STRINGS = List.of(
            "HIGH:!aNULL:!MD5", "DEFAULT", "ALL", "ALL:!COMPLEMENTOFDEFAULT", "COMPLEMENTOFDEFAULT", "ECDHE+AESGCM",
            "HIGH:!aNULL:!kRSA:!PSK:!SRP:!MD5:!RC4", "DEFAULT:!ECDHE", "DEFAULT:-ECDHE:ECDHE-RSA-AES128-SHA",
            "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305", "kEECDH+AESGCM:kEDH+AESGCM",
            "EECDH+CHACHA20:EECDH+AES128:RSA+AES128:EECDH+AES256:RSA+AES256", "AES256", "AES128+SHA256", "SHA1",
            "SHA", "SHA384", "TLSv1.2", "TLSv1", "TLSv1.0", "SSLv3", "aECDSA", "ECDSA:!SHA1", "aRSA:-DHE", "DHE:!DSS",
            "DSS", "EDH", "kDHE", "DH+AESGCM", "ECDH", "CHACHA20:@STRENGTH", "HIGH:-AES128:AES128-SHA",
            "ECDHE:!ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES128-SHA", "AESCCM", "AES128 AES256", "HIGH,!SHA1",
            "HIGH:@SECLEVEL=2", "MEDIUM", "LOW", "eNULL", "aNULL", "BOGUS", "HIGH:BOGUS", "!ALL",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ecdhe-rsa-aes128-gcm-sha256");

    @RegisterExtension
    static final TlsCertificates certificates = new TlsCertificates();
    private static RealRedis redis;
    private static ServerProcess ours;
    private static int oursPort;
    private static int redisTlsPort;
    private static int oursTlsPort;

    @BeforeAll
    static void start() throws Exception {
        Binaries.require("redis-server");
        for (String group : List.of("ffdhe2048", "ffdhe3072", "modp_3072")) {
            certificates.openssl("genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:" + group,
                    "-out", group + ".pem");
        }
        Files.writeString(Path.of(certificates.path("garbage.pem")), "-----BEGIN DH PARAMETERS-----\nAAAA\n"
                + "-----END DH PARAMETERS-----\n");
        redisTlsPort = TlsTest.freePort();
        redis = RealRedis.start(arguments(redisTlsPort));
        oursTlsPort = TlsTest.freePort();
        oursPort = TlsTest.freePort();
        ours = oursProcess(oursPort, oursTlsPort);
    }

    /** Ours as a process of its own: what Main sets for the JDK's TLS is then as in production. */
    private static ServerProcess oursProcess(int port, int tlsPort, String... more) throws Exception {
        List<String> oursArguments = new ArrayList<>(List.of("--port", String.valueOf(port)));
        oursArguments.addAll(List.of(arguments(tlsPort)));
        oursArguments.addAll(List.of(more));
        return ServerProcess.start(oursArguments.toArray(String[]::new));
    }

    private static String[] arguments(int tlsPort) {
        return new String[] {"--tls-port", String.valueOf(tlsPort), "--tls-cert-file", certificates.path("server.crt"),
                "--tls-key-file", certificates.path("server.key"), "--tls-ca-cert-file", certificates.path("ca.crt"),
                "--tls-auth-clients", "no"};
    }

    @AfterAll
    static void stop() throws Exception {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static List<String> jdkSuites() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        return List.of(context.getSupportedSSLParameters().getCipherSuites());
    }

    /** {@code openssl ciphers -stdname STRING}: IANA name to OpenSSL name, in OpenSSL's order; empty on "no cipher match". */
    private static Map<String, String> openSslCiphers(String string) throws Exception {
        Process process = new ProcessBuilder(Binaries.require("openssl").toString(), "ciphers", "-stdname", string)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> ciphers = new java.util.LinkedHashMap<>();
        if (process.waitFor() == 0) {
            for (String line : output.split("\n")) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 3 && words[1].equals("-")) {
                    ciphers.put(words[0], words[2]);
                }
            }
        }
        return ciphers;
    }

    @Test
    void everyJdkSuiteHasOpenSslsName() throws Exception {
        Map<String, String> names = openSslCiphers("ALL:COMPLEMENTOFALL");
        int compared = 0;
        for (String suite : jdkSuites()) {
            CipherString.Suite described = CipherString.describe(suite);
            if (described != null) {
                assertEquals(names.get(suite), described.openSslName(), suite);
                compared++;
            } else {
                assertTrue(!suite.contains("_WITH_") || !names.containsKey(suite), suite + " is known to OpenSSL");
            }
        }
        assertTrue(compared >= 20, compared + " suites compared");
    }

    @Test
    void eachCipherStringSelectsTheSuitesOpenSslSelects() throws Exception {
        List<String> jdk = jdkSuites();
        List<String> table = new ArrayList<>();
        for (String string : STRINGS) {
            Set<String> expected = new TreeSet<>(openSslCiphers(string).keySet());
            expected.retainAll(jdk.stream().filter(s -> CipherString.describe(s) != null).toList());
            Set<String> selected = new TreeSet<>(CipherString.select(string, jdk));
            assertEquals(expected, selected, "tls-ciphers " + string);
            table.add(string + " -> " + selected.size());
        }
        System.out.println("CipherStringTest: " + String.join(", ", table));
    }

    /**
     * DEFAULT, which Redis uses when tls-ciphers is not set, comes out in OpenSSL's order, not just with its suites,
     * and so do strings that select among DEFAULT's suites (a string with DSS suites interleaves them in OpenSSL).
     */
    @Test
    void defaultIsInOpenSslsOrder() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        List<String> defaults = List.of(context.getDefaultSSLParameters().getCipherSuites());
        List<String> jdk = jdkSuites();
        for (String string : List.of("DEFAULT", "ALL:!COMPLEMENTOFDEFAULT", "HIGH:!aNULL:!MD5:!DSS", "ECDHE+AESGCM",
                "DEFAULT:!SHA1:!DHE", "kEECDH+AESGCM:kEDH+AESGCM:!DSS")) {
            List<String> expected = openSslCiphers(string).keySet().stream()
                    .filter(s -> jdk.contains(s) && CipherString.describe(s) != null).toList();
            assertEquals(expected, CipherString.select(string, CipherString.preferenceOrder(jdk, defaults)), string);
        }
    }

    @Test
    void plusMovesToTheEndAndStrengthSortsLongestKeysFirst() throws Exception {
        List<String> selected = CipherString.select("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
                + "ECDHE-RSA-AES128-SHA:+AES128", jdkSuites());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), selected);
        List<String> sorted = CipherString.select("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:@STRENGTH",
                jdkSuites());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), sorted);
    }

    @Test
    void theFfdhePrimesAreRfc7919s() throws Exception {
        for (int bits : new int[] {2048, 3072}) {
            DhParams.Group group = DhParams.load(certificates.path("ffdhe" + bits + ".pem"));
            assertEquals(new DhParams.Group("ffdhe" + bits, true, bits), group);
        }
    }

    private static String config(int port, String... command) throws IOException {
        try (RespConnection connection = new RespConnection(port)) {
            return connection.call(command);
        }
    }

    /**
     * What {@code openssl s_client} negotiates with the server on {@code tlsPort}: "protocol, suite, server temp key",
     * or "refused".
     */
    private static String handshake(int tlsPort, String... options) throws Exception {
        String output = sClient(tlsPort, "-brief", options);
        Map<String, String> fields = new HashMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
        }
        if (!fields.containsKey("Ciphersuite")) {
            return "refused";
        }
        return fields.get("Protocol version") + ", " + fields.get("Ciphersuite") + ", "
                + fields.getOrDefault("Server Temp Key", fields.get("Peer Temp Key"));
    }

    /** What {@code openssl s_client FLAG} prints when it connects to {@code tlsPort} with {@code options} and stdin closed. */
    private static String sClient(int tlsPort, String flag, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Binaries.require("openssl").toString(), "s_client", flag,
                "-connect", "127.0.0.1:" + tlsPort, "-CAfile", certificates.path("ca.crt")));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(
                ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /** Runs {@code steps} on Redis and on ours; each step is a CONFIG SET or a handshake, and both must see the same. */
    private static List<String> onBoth(Step... steps) throws Exception {
        List<String> results = new ArrayList<>();
        for (int[] ports : new int[][] {{redis.port(), redisTlsPort}, {oursPort, oursTlsPort}}) {
            StringBuilder out = new StringBuilder();
            for (Step step : steps) {
                out.append(step.run(ports[0], ports[1])).append('\n');
            }
            results.add(out.toString());
        }
        assertEquals(results.get(0), results.get(1));
        return results;
    }

    interface Step {
        String run(int port, int tlsPort) throws Exception;
    }

    private static Step set(String name, String value) {
        return (port, tlsPort) -> name + " " + value + " -> " + config(port, "CONFIG", "SET", name, value).trim();
    }

    private static Step client(String... options) {
        return (port, tlsPort) -> String.join(" ", options) + " -> " + handshake(tlsPort, options);
    }

    @Test
    void tlsCiphersSelectTheSameSuitesOnBothServers() throws Exception {
        String out = onBoth(
                set("tls-protocols", "TLSv1.2"),
                set("tls-ciphers", "ECDHE+AESGCM"),
                client("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"),
                client("-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"),
                client("-tls1_2", "-cipher", "AES128-SHA"),
                set("tls-ciphers", "HIGH:!aNULL:!MD5:!AESGCM"),
                client("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"),
                client("-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"),
                set("tls-ciphers", "DEFAULT:!ECDHE"),
                client("-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"),
                client("-tls1_2", "-cipher", "DHE-RSA-AES256-GCM-SHA384"),
                client("-tls1_2", "-cipher", "AES128-SHA"),
                set("tls-ciphers", "DEFAULT:!kRSA"),
                client("-tls1_2", "-cipher", "AES128-SHA:AES256-GCM-SHA384"),
                set("tls-ciphers", "AES128-SHA"),
                client("-tls1_2", "-cipher", "AES128-SHA"),
                client("-tls1_2", "-cipher", "AES256-SHA"),
                set("tls-ciphers", "BOGUS"),
                set("tls-ciphers", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                set("tls-ciphers", "DEFAULT"),
                set("tls-protocols", "TLSv1.2 TLSv1.3")).getFirst();
        assertTrue(out.contains("ECDHE-RSA-CHACHA20-POLY1305 -> refused"), out);
        assertTrue(out.contains("-cipher AES128-SHA -> refused"), out);
        assertTrue(out.contains("-cipher AES128-SHA:AES256-GCM-SHA384 -> refused"), out);
        assertTrue(out.contains("tls-ciphers AES128-SHA -> +OK\n-tls1_2 -cipher AES128-SHA -> TLSv1.2, AES128-SHA"), out);
        assertTrue(out.contains("tls-ciphers BOGUS -> -ERR CONFIG SET failed"), out);
    }

    /**
     * Both servers started with a string that selects no suite with RSA key exchange, then given one by CONFIG SET:
     * OpenSSL serves it at once, and so does ours, whose JDK refusal of {@code TLS_RSA_*} Main lifted at start.
     */
    @Test
    void configSetAllowsRsaKeyExchangeAfterAStartWithout() throws Exception {
        int redisTls = TlsTest.freePort();
        int oursTls = TlsTest.freePort();
        int oursPlain = TlsTest.freePort();
        List<String> realArguments = new ArrayList<>(List.of(arguments(redisTls)));
        realArguments.addAll(List.of("--tls-ciphers", "ECDHE+AESGCM"));
        String[] rsa = {"-tls1_2", "-cipher", "AES128-SHA"};
        try (RealRedis real = RealRedis.start(realArguments.toArray(String[]::new));
             ServerProcess process = oursProcess(oursPlain, oursTls, "--tls-ciphers", "ECDHE+AESGCM")) {
            List<String> seen = new ArrayList<>();
            for (int[] ports : new int[][] {{real.port(), redisTls}, {oursPlain, oursTls}}) {
                seen.add(handshake(ports[1], rsa) + " | " + config(ports[0], "CONFIG", "SET", "tls-ciphers", "DEFAULT")
                        .trim() + " | " + handshake(ports[1], rsa));
            }
            assertTrue(seen.getFirst().startsWith("refused | +OK | TLSv1.2, AES128-SHA,"), seen.getFirst());
            assertEquals(seen.getFirst(), seen.get(1), process.log());
        }
    }

    @Test
    void tlsCiphersuitesSkipUnknownNamesAndRefuseAListOfNoneKnown() throws Exception {
        String out = onBoth(
                set("tls-ciphersuites", "TLS_AES_128_GCM_SHA256:BOGUS"),
                client("-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384"),
                client("-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"),
                set("tls-ciphersuites", "BOGUS"),
                set("tls-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"))
                .getFirst();
        assertTrue(out.contains("TLS_AES_256_GCM_SHA384 -> refused"), out);
        assertFalse(out.contains("TLS_AES_128_GCM_SHA256 -> refused"), out);
    }

    /**
     * Without tls-ciphers and tls-ciphersuites both servers keep OpenSSL's defaults in OpenSSL's order: the client's
     * order decides by default, the server's under tls-prefer-server-ciphers, where OpenSSL ranks ChaCha20 above
     * AES-128 (the JDK's own order does not) and DHE with AES-256 above ECDHE with AES-128. A client offering only a
     * suite with RSA key exchange ({@code AES128-SHA}) is served by both: OpenSSL's DEFAULT has those suites, and
     * ours, started with it, took them out of the JDK's disabled algorithms.
     */
    @Test
    void withoutTlsCiphersBothServersKeepOpenSslsDefaultOrder() throws Exception {
        String[] tls13 = {"-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"};
        String[] gcm = {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"};
        String[] chacha = {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305"};
        String[] cbc = {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256"};
        String[] rsa = {"-tls1_2", "-cipher", "AES128-SHA"};
        String[] rsaOrDhe = {"-tls1_2", "-cipher", "AES128-SHA:AES256-GCM-SHA384:DHE-RSA-AES128-SHA"};
        String out = onBoth(
                set("tls-ciphers", ""),
                set("tls-ciphersuites", ""),
                client(), client("-tls1_2"), client(tls13), client(gcm), client(chacha), client(cbc), client(rsa),
                client(rsaOrDhe),
                set("tls-prefer-server-ciphers", "yes"),
                client(), client("-tls1_2"), client(tls13), client(gcm), client(chacha), client(cbc), client(rsa),
                client(rsaOrDhe),
                set("tls-prefer-server-ciphers", "no")).getFirst();
        assertTrue(out.contains("TLSv1.3, TLS_CHACHA20_POLY1305_SHA256"), out);
        assertTrue(out.contains("TLSv1.2, DHE-RSA-AES256-GCM-SHA384"), out);
        assertTrue(out.contains("-cipher AES128-SHA -> TLSv1.2, AES128-SHA"), out);
    }

    /**
     * The DHE group for an OpenSSL TLS 1.2 client (which offers no RFC 7919 group) after CONFIG SET of
     * tls-dh-params-file: both servers use 2048 bits by default and with an ffdhe2048 file, and refuse a missing or
     * unreadable file alike; ECDHE is not affected. With a larger group set later the two differ, as {@link DhParams}
     * explains: Redis uses the file's group for every client, we restrict our FFDHE groups to it, which only clients
     * offering RFC 7919 groups (the JDK's) take; the group of a file the server starts with is every client's
     * ({@link #aDhParamsFileAtStartGivesEveryDheClientItsPrime}).
     */
    @Test
    void tlsDhParamsFileChoosesTheDheGroup() throws Exception {
        String[] dhe = {"-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256"};
        String out = onBoth(
                client(dhe),
                set("tls-dh-params-file", certificates.path("ffdhe2048.pem")),
                client(dhe),
                client("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"),
                set("tls-dh-params-file", certificates.path("missing.pem")),
                set("tls-dh-params-file", certificates.path("garbage.pem")),
                set("tls-dh-params-file", "")).getFirst();
        assertTrue(out.contains("DH, 2048 bits"), out);
        assertTrue(out.contains("missing.pem -> -ERR CONFIG SET failed"), out);
        String file = certificates.path("ffdhe3072.pem");
        assertEquals("+OK\r\n", config(redis.port(), "CONFIG", "SET", "tls-dh-params-file", file));
        assertEquals("+OK\r\n", config(oursPort, "CONFIG", "SET", "tls-dh-params-file", file));
        try {
            assertTrue(handshake(redisTlsPort, dhe).endsWith("DH, 3072 bits"));
            assertTrue(handshake(oursTlsPort, dhe).endsWith("DH, 2048 bits"), "the documented difference");
        } finally {
            config(redis.port(), "CONFIG", "SET", "tls-dh-params-file", "");
            config(oursPort, "CONFIG", "SET", "tls-dh-params-file", "");
        }
    }

    /**
     * A file both servers start with, here RFC 3526's 3072-bit MODP group (not an RFC 7919 one): every TLS 1.2 DHE
     * client gets the file's prime and generator from both, an OpenSSL client that offers no FFDHE group as well as
     * one that offers ffdhe2048 (as the JDK's clients do); ECDHE is not affected.
     */
    @Test
    void aDhParamsFileAtStartGivesEveryDheClientItsPrime() throws Exception {
        String file = certificates.path("modp_3072.pem");
        BigInteger[] pg = DhParams.parse(Files.readString(Path.of(file)));
        assertFalse(DhParams.group(pg).exact(), "not an RFC 7919 group");
        int redisTls = TlsTest.freePort();
        int oursTls = TlsTest.freePort();
        List<String> realArguments = new ArrayList<>(List.of(arguments(redisTls)));
        realArguments.addAll(List.of("--tls-dh-params-file", file));
        try (RealRedis real = RealRedis.start(realArguments.toArray(String[]::new));
             ServerProcess process = oursProcess(TlsTest.freePort(), oursTls, "--tls-dh-params-file", file)) {
            for (String groups : List.of("", "ffdhe2048:X25519")) {
                List<String> options = new ArrayList<>(List.of("-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256"));
                if (!groups.isEmpty()) {
                    options.addAll(List.of("-groups", groups));
                }
                for (int tlsPort : new int[] {redisTls, oursTls}) {
                    String where = (tlsPort == redisTls ? "redis-server" : "ours") + " " + options;
                    assertEquals(List.of(pg[0], pg[1]), serverDhParameters(tlsPort, options.toArray(String[]::new)), where);
                }
            }
            String[] ecdhe = {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"};
            assertEquals(handshake(redisTls, ecdhe), handshake(oursTls, ecdhe));
            assertTrue(handshake(oursTls, "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256").endsWith("DH, 3072 bits"),
                    process.log());
        }
    }

    /**
     * The prime and generator of the server's ServerKeyExchange in a TLS 1.2 DHE handshake, read from what
     * {@code openssl s_client -msg} prints of it: type 12, a 3-byte length, then {@code p} and {@code g}, each with a
     * 2-byte length.
     */
    private static List<BigInteger> serverDhParameters(int tlsPort, String... options) throws Exception {
        String output = sClient(tlsPort, "-msg", options);
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        boolean inside = false;
        for (String line : output.split("\n")) {
            if (line.startsWith("<<<")) {
                inside = line.endsWith("ServerKeyExchange");
            } else if (inside && line.matches("\\s+([0-9a-f]{2}\\s*)+")) {
                for (String hex : line.strip().split("\\s+")) {
                    message.write(Integer.parseInt(hex, 16));
                }
            } else {
                inside = false;
            }
        }
        byte[] bytes = message.toByteArray();
        assertTrue(bytes.length > 6 && bytes[0] == 12, "no ServerKeyExchange in:\n" + output);
        int pLength = ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff);
        int gAt = 6 + pLength;
        int gLength = ((bytes[gAt] & 0xff) << 8) | (bytes[gAt + 1] & 0xff);
        return List.of(new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 6, gAt)),
                new BigInteger(1, java.util.Arrays.copyOfRange(bytes, gAt + 2, gAt + 2 + gLength)));
    }

    @Test
    void aDhParamsFileNarrowsTheFfdheGroupsToItsOwn() throws Exception {
        io.port6379.server.config.ServerConfig config = io.port6379.server.config.ServerConfig.fromArguments(
                arguments(TlsTest.freePort()));
        config.set("tls-dh-params-file", certificates.path("ffdhe3072.pem"));
        List<String> groups = List.of(Tls.configure(config).parameters().getNamedGroups());
        assertEquals(List.of("ffdhe3072"), groups.stream().filter(g -> g.startsWith("ffdhe")).toList());
        assertTrue(groups.contains("x25519") && groups.contains("secp256r1"), groups.toString());
    }
}
