// The JDK's process-wide TLS properties, set from tls-ciphers and tls-dh-params-file before the first TLS context.
package io.port6379.server.network;

import io.port6379.server.config.ServerConfig;

import java.math.BigInteger;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;

/**
 * Two of Redis's TLS settings reach further than anything a JDK {@code SSLContext} or {@code SSLParameters} can be
 * told, but not further than the JDK's own process-wide properties, which its TLS reads once, when the first
 * context of the process is made:
 *
 * <ul>
 * <li>The security property {@code jdk.tls.disabledAlgorithms} names {@code TLS_RSA_*} (since JDK 24): the suites
 * with RSA key exchange ({@code AES128-SHA}, {@code AES256-GCM-SHA384}...) are refused whatever a context enables.
 * OpenSSL's {@code DEFAULT}, what Redis uses without {@code tls-ciphers}, still offers them. The entry is taken out
 * of the property, whatever the start's {@code tls-ciphers}: every context enables exactly the suites
 * {@code tls-ciphers} selects ({@link Tls}), so the string alone decides, at start and after CONFIG SET, as
 * OpenSSL's does in Redis. The other entries stay.</li>
 * <li>The security property {@code jdk.tls.server.defaultDHEParameters} holds the primes the server uses for a
 * {@code DHE-*} suite when no RFC 7919 group is negotiated, one per size, and the system property
 * {@code jdk.tls.ephemeralDHKeySize} the size it uses. With {@code tls-dh-params-file} at start they become the
 * file's prime, generator and size; {@link Tls} then allows no RFC 7919 group, so that every TLS 1.2 client gets the
 * file's prime, as from OpenSSL's {@code SSL_CTX_set0_tmp_dh_pkey}.</li>
 * </ul>
 *
 * <p>What CONFIG SET can do afterwards follows: {@code tls-ciphers} takes the RSA suites out and puts them back
 * as in Redis. {@code tls-dh-params-file} set to another file later gets the nearest RFC 7919 group
 * ({@link DhParams}), the start's file again gets its own prime: the JDK reads the DHE properties once per process.
 *
 * <p>Only {@code Main} calls {@link #prepare}: the process is then the server's. A server embedded in another
 * program leaves that program's JDK settings alone and keeps the JDK's refusals.
 */
public final class JdkTlsProperties {

    static final String DISABLED_ALGORITHMS = "jdk.tls.disabledAlgorithms";
    static final String DHE_PARAMETERS = "jdk.tls.server.defaultDHEParameters";
    static final String DHE_KEY_SIZE = "jdk.tls.ephemeralDHKeySize";
    private static final String RSA_KEY_EXCHANGE = "TLS_RSA_*";

    /**
     * The suites with RSA key exchange the JDK implements and disables only by {@code TLS_RSA_*} (its 3DES and
     * NULL ones stay disabled by other entries), in OpenSSL's {@code DEFAULT} order.
     */
    static final List<String> RSA_SUITES = List.of("TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA");

    /** The prime and generator the JDK uses for legacy DHE in this process, when set from tls-dh-params-file. */
    private static volatile BigInteger[] processDhParameters;

    private JdkTlsProperties() {
    }

    /** Sets the properties the start's configuration asks for; to be called before any TLS context exists. */
    public static void prepare(ServerConfig config) {
        allowRsaKeyExchange();
        String dhParamsFile = config.get("tls-dh-params-file");
        if (!dhParamsFile.isEmpty()) {
            try {
                useDhParameters(DhParams.read(dhParamsFile));
            } catch (Tls.Failure unreadable) {
                // Tls.configure reads the file again and fails with Redis's log line
            }
        }
    }

    /** Takes {@code TLS_RSA_*} out of the JDK's disabled algorithms. */
    static void allowRsaKeyExchange() {
        String property = Security.getProperty(DISABLED_ALGORITHMS);
        if (property != null) {
            Security.setProperty(DISABLED_ALGORITHMS, withoutRsaKeyExchange(property));
        }
    }

    /** {@code property} (a {@code jdk.tls.disabledAlgorithms} value) without its {@code TLS_RSA_*} entry. */
    static String withoutRsaKeyExchange(String property) {
        List<String> kept = new ArrayList<>();
        for (String entry : property.split(",")) {
            if (!entry.strip().equals(RSA_KEY_EXCHANGE) && !entry.isBlank()) {
                kept.add(entry.strip());
            }
        }
        return String.join(", ", kept);
    }

    /** Whether the JDK refuses the {@code TLS_RSA_*} suites in this process (read by its TLS at the first context). */
    static boolean rsaKeyExchangeDisabled() {
        String property = Security.getProperty(DISABLED_ALGORITHMS);
        if (property == null) {
            return false;
        }
        for (String entry : property.split(",")) {
            if (entry.strip().equals(RSA_KEY_EXCHANGE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The JDK's legacy DHE group of the file's size becomes the file's {@code {p, g}}, and that size the one it uses.
     * The JDK accepts sizes from 1024 to 8192 bits in steps of 64; a file of another size keeps the JDK's defaults.
     */
    static void useDhParameters(BigInteger[] pg) {
        int bits = pg[0].bitLength();
        if (bits < 1024 || bits > 8192 || bits % 64 != 0) {
            return;
        }
        Security.setProperty(DHE_PARAMETERS, "{" + pg[0].toString(16) + "," + pg[1].toString(16) + "}");
        System.setProperty(DHE_KEY_SIZE, Integer.toString(bits));
        processDhParameters = pg;
    }

    /** Whether {@code pg} is what the JDK uses for legacy DHE in this process. */
    static boolean isProcessDhParameters(BigInteger[] pg) {
        BigInteger[] process = processDhParameters;
        return process != null && pg != null && process[0].equals(pg[0]) && process[1].equals(pg[1]);
    }
}
