// What the server process asks of the JDK's TLS before its first client: the properties it decides, the warm-up handshake.
package io.port6379.server.network;

import io.port6379.server.config.ServerConfig;
import io.port6379.testing.TlsCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decisions behind {@link JdkTlsProperties}; what they do to a real process is CipherStringTest's (ours is a
 * process there), as this JVM made its first TLS context long ago.
 */
class JdkTlsPropertiesTest {

    @RegisterExtension
    static final TlsCertificates certificates = new TlsCertificates();

    /** The warm-up runs a whole handshake, the client certificate required, as on the cluster bus. */
    @Test
    void theWarmUpHandshakeCompletesInMemory() throws Exception {
        ServerConfig config = ServerConfig.fromArguments(new String[] {"--tls-port", "1", "--tls-cert-file",
                certificates.path("server.crt"), "--tls-key-file", certificates.path("server.key"), "--tls-ca-cert-file",
                certificates.path("ca.crt")});
        assertTrue(Tls.configure(config).handshakeInMemory());
        config.set("tls-client-cert-file", certificates.path("client.crt"));
        config.set("tls-client-key-file", certificates.path("client.key"));
        assertTrue(Tls.configure(config).handshakeInMemory());
    }

    @Test
    void onlyTheRsaKeyExchangeEntryIsTakenOut() {
        String jdk25 = "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, "
                + "3DES_EDE_CBC, anon, NULL, ECDH, TLS_RSA_*, rsa_pkcs1_sha1 usage HandshakeSignature, "
                + "ecdsa_sha1 usage HandshakeSignature, dsa_sha1 usage HandshakeSignature";
        assertEquals(jdk25.replace("TLS_RSA_*, ", ""), JdkTlsProperties.withoutRsaKeyExchange(jdk25));
        assertEquals("SSLv3, RC4", JdkTlsProperties.withoutRsaKeyExchange("SSLv3,RC4"));
    }

    /** OpenSSL's DEFAULT (Redis's without tls-ciphers) selects all six; strings that exclude kRSA select none. */
    @Test
    void theCipherStringSelectsTheRsaKeyExchangeSuites() {
        assertEquals(JdkTlsProperties.RSA_SUITES, CipherString.select("DEFAULT", JdkTlsProperties.RSA_SUITES));
        assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"),
                CipherString.select("AES128-SHA", JdkTlsProperties.RSA_SUITES));
        for (String none : List.of("ECDHE+AESGCM", "HIGH:!aNULL:!kRSA", "DEFAULT:!RSA", "kEECDH+AESGCM:kEDH+AESGCM")) {
            assertEquals(List.of(), CipherString.select(none, JdkTlsProperties.RSA_SUITES), none);
        }
    }
}
