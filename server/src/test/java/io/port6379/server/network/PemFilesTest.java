// Every private key format openssl writes is read, and each pairs with its certificate; Redis serves with the same files.
package io.port6379.server.network;

import io.port6379.server.TestServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.TlsCertificates;
import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemFilesTest {

    @RegisterExtension
    static final TlsCertificates certificates = new TlsCertificates();

    /** The key signs, and the certificate's public key verifies: they are a pair. */
    @ParameterizedTest
    @ValueSource(strings = {"rsa", "rsa-traditional", "rsa-traditional-encrypted", "ec", "rsa-encrypted"})
    void eachKeyFormatIsReadAndMatchesItsCertificate(String keyType) throws Exception {
        certificates.signed(keyType, "ca", "localhost", keyType);
        PrivateKey key = PemFiles.privateKey(Path.of(certificates.path(keyType + ".key")), "secret");
        X509Certificate certificate = PemFiles.certificates(Path.of(certificates.path(keyType + ".crt"))).getFirst();
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update("port 6379".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update("port 6379".getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(signature), keyType);
    }

    /** Both servers start with the key file and its password, and answer redis-cli --tls. */
    @ParameterizedTest
    @ValueSource(strings = {"rsa-encrypted", "rsa-traditional-encrypted", "ec"})
    void bothServersServeWithTheSameKeyFiles(String keyType) throws Exception {
        Binaries.require("redis-server");
        String name = "served-" + keyType;
        certificates.signed(name, "ca", "localhost", keyType);
        String[] tls = {"--tls-cert-file", certificates.path(name + ".crt"), "--tls-key-file", certificates.path(name + ".key"),
                "--tls-key-file-pass", "secret", "--tls-ca-cert-file", certificates.path("ca.crt"), "--tls-auth-clients", "no"};
        int redisTlsPort = TlsTest.freePort();
        List<String> redisArguments = new ArrayList<>(List.of("--tls-port", String.valueOf(redisTlsPort)));
        redisArguments.addAll(List.of(tls));
        int oursTlsPort = TlsTest.freePort();
        List<String> oursArguments = new ArrayList<>(List.of("--port", String.valueOf(TlsTest.freePort()),
                "--tls-port", String.valueOf(oursTlsPort)));
        oursArguments.addAll(List.of(tls));
        try (RealRedis redis = RealRedis.start(redisArguments.toArray(String[]::new));
             TestServer ours = TestServer.start(oursArguments.toArray(String[]::new))) {
            assertEquals("PONG\n", ping(redisTlsPort));
            assertEquals("PONG\n", ping(oursTlsPort));
        }
    }

    private static String ping(int port) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Binaries.require("redis-cli").toString(), "-p", String.valueOf(port), "--tls",
                "--cacert", certificates.path("ca.crt"), "PING").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
