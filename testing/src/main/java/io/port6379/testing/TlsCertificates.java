// A JUnit 5 extension: one set of TestCertificates for a test class, made before its first test, deleted after its last.
package io.port6379.testing;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The certificate fixture of the TLS tests, registered on a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final TlsCertificates certificates = new TlsCertificates();
 * ... "--tls-cert-file", certificates.path("server.crt") ...
 * }</pre>
 * Before the class's first test (and its {@code @BeforeAll} methods) it makes {@link TestCertificates#create}'s
 * authority, server and client certificates with {@code openssl} in a temporary directory; after the last it deletes
 * them. No key is ever committed, and none outlives the test class.
 */
public final class TlsCertificates implements BeforeAllCallback, AfterAllCallback {

    private TestCertificates certificates;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        certificates = TestCertificates.create();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (certificates != null) {
            certificates.close();
            certificates = null;
        }
    }

    /** The set made for this class: to make more certificates in its directory ({@code signed}, {@code authority}). */
    public TestCertificates certificates() {
        if (certificates == null) {
            throw new IllegalStateException("TlsCertificates is used outside its test class's run");
        }
        return certificates;
    }

    /** {@link TestCertificates#authority}, in this set's directory. */
    public void authority(String name) throws IOException, InterruptedException {
        certificates().authority(name);
    }

    /** {@link TestCertificates#signed}, in this set's directory. */
    public void signed(String name, String authority, String commonName, String keyType)
            throws IOException, InterruptedException {
        certificates().signed(name, authority, commonName, keyType);
    }

    /** {@code openssl} with these arguments, run in this set's directory. */
    public void openssl(String... arguments) throws IOException, InterruptedException {
        certificates().openssl(arguments);
    }

    /** The path of {@code file} ({@code ca.crt}, {@code server.key}, {@code client.crt}...) in the set's directory. */
    public String path(String file) {
        return certificates().path(file);
    }
}
