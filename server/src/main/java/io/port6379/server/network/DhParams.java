// tls-dh-params-file: PEM Diffie-Hellman parameters, read as Redis reads them, and the group the JDK's TLS uses for them.
package io.port6379.server.network;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * What Redis does: {@code tlsConfigure} reads the file with OpenSSL's PEM decoder ({@code -----BEGIN DH
 * PARAMETERS-----}, PKCS#3: {@code SEQUENCE { INTEGER p, INTEGER g [, INTEGER privateValueLength] }}) and gives it
 * to {@code SSL_CTX_set0_tmp_dh_pkey}: the server's ephemeral Diffie-Hellman exchanges (the {@code DHE-*} suites of
 * TLS 1.2 and older) then use exactly that prime {@code p} and generator {@code g}. Without the file OpenSSL chooses
 * by itself ({@code SSL_CTX_set_dh_auto}: a group as strong as the certificate's key). TLS 1.3 is not affected:
 * its key exchange uses the groups the client offers.
 *
 * <p>What we do: the JDK's TLS cannot be given a group of our choice per context. Its server takes the DHE group
 * from the RFC 7919 "ffdhe" groups (2048 to 8192 bits) the client offers in its supported_groups extension, among
 * the named groups the server allows; a client that offers none, or a server that allows none, gets the JDK's
 * "legacy" group: the prime of {@code jdk.tls.server.defaultDHEParameters} of the size
 * {@code jdk.tls.ephemeralDHKeySize} names (2048 bits and RFC 7919's prime when they are not set). Those properties
 * are read once per process, when its first TLS context is made. Hence:
 * <ul>
 * <li>The file the server starts with becomes those two properties ({@link JdkTlsProperties}, from {@code Main}):
 * any prime, {@code openssl dhparam 3072}'s as well as RFC 3526's MODP groups. When it is not an RFC 7919 group, the
 * server allows no FFDHE named group, so every TLS 1.2 client gets the file's prime, as from Redis.</li>
 * <li>A file holding an RFC 7919 group (what {@code openssl genpkey -genparam -algorithm DH -pkeyopt
 * group:ffdhe3072} writes, and what current guidance recommends) narrows the server's FFDHE named groups to that
 * one (the elliptic-curve groups stay): a client that offers it (the JDK's clients do) gets the same prime as from
 * Redis, and one that offers none gets the legacy group, the file's when the server started with it.</li>
 * <li>A file CONFIG SET names later cannot become the legacy group: a client that offers no FFDHE group (OpenSSL
 * 3.0 clients below TLS 1.3) gets the start's group from us (2048 bits without a file) and the file's from Redis,
 * the same group only for an ffdhe2048 file. A file holding any other prime is read and checked as Redis reads it, and the
 * RFC 7919 group of the same size or the next larger one is allowed instead, with a warning in the log.</li>
 * <li>An embedded server leaves its host program's properties alone: for it, every file is a later one.</li>
 * </ul>
 * The file's errors are Redis's log lines: "Failed to load FILE: No such file or directory", "FILE: failed to read
 * DH params.", and CONFIG SET answers Redis's "Unable to update TLS configuration".
 */
final class DhParams {

    /** The RFC 7919 groups by size; their primes are computed by {@link #ffdhePrime}. */
    private static final int[] FFDHE_BITS = {2048, 3072, 4096, 6144, 8192};
    /** RFC 7919 Appendix A: the X that makes each p a safe prime. */
    private static final long[] FFDHE_X = {560316L, 2625351L, 5736041L, 15705020L, 10965728L};

    private DhParams() {
    }

    /** The file's parameters as a JDK named group, and whether that group is exactly the file's. */
    record Group(String name, boolean exact, int fileBits) {
    }

    /** Reads {@code file} as Redis does and returns the group the JDK's TLS will use for it. */
    static Group load(String file) throws Tls.Failure {
        return group(read(file));
    }

    /** {@code {p, g}} of {@code file}, read and checked as Redis reads it, with Redis's log lines as failures. */
    static BigInteger[] read(String file) throws Tls.Failure {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new Tls.Failure("Failed to load " + file + ": No such file or directory");
        } catch (AccessDeniedException e) {
            throw new Tls.Failure("Failed to load " + file + ": Permission denied");
        } catch (IOException e) {
            throw new Tls.Failure("Failed to load " + file + ": " + e.getMessage());
        }
        BigInteger[] pg = parse(text);
        if (pg == null || pg[0].signum() <= 0 || pg[1].compareTo(BigInteger.ONE) <= 0 || pg[0].bitLength() < 512) {
            throw new Tls.Failure(file + ": failed to read DH params.");
        }
        return pg;
    }

    /** The RFC 7919 group that is {@code pg}, or else the one of its size or the next larger. */
    static Group group(BigInteger[] pg) {
        int bits = pg[0].bitLength();
        for (int i = 0; i < FFDHE_BITS.length; i++) {
            if (pg[1].equals(BigInteger.TWO) && pg[0].equals(ffdhePrime(i))) {
                return new Group("ffdhe" + FFDHE_BITS[i], true, bits);
            }
        }
        for (int size : FFDHE_BITS) {
            if (size >= bits) {
                return new Group("ffdhe" + size, false, bits);
            }
        }
        return new Group("ffdhe8192", false, bits);
    }

    /** {@code {p, g}} from the first DH PARAMETERS block of {@code pem}, or null. */
    static BigInteger[] parse(String pem) {
        String begin = "-----BEGIN DH PARAMETERS-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END DH PARAMETERS-----");
        if (start < 0 || end < start) {
            return null;
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        } catch (IllegalArgumentException e) {
            return null;
        }
        int[] at = {0};
        if (!tag(der, at, 0x30)) {
            return null;
        }
        BigInteger p = integer(der, at);
        BigInteger g = p == null ? null : integer(der, at);
        return g == null ? null : new BigInteger[] {p, g};
    }

    private static boolean tag(byte[] der, int[] at, int expected) {
        if (at[0] >= der.length || (der[at[0]] & 0xff) != expected) {
            return false;
        }
        at[0]++;
        return length(der, at) >= 0;
    }

    private static int length(byte[] der, int[] at) {
        if (at[0] >= der.length) {
            return -1;
        }
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int count = first & 0x7f;
        if (count == 0 || count > 3 || at[0] + count > der.length) {
            return -1;
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }

    private static BigInteger integer(byte[] der, int[] at) {
        if (at[0] >= der.length || der[at[0]] != 0x02) {
            return null;
        }
        at[0]++;
        int length = length(der, at);
        if (length <= 0 || at[0] + length > der.length) {
            return null;
        }
        BigInteger value = new BigInteger(der, at[0], length);
        at[0] += length;
        return value;
    }

    /**
     * RFC 7919's prime of {@code FFDHE_BITS[i]} bits: p = 2^b - 2^(b-64) + ({@code floor}(2^(b-130) e) + X) 2^64 - 1,
     * with e to as many bits as needed; the constants come out of the definition rather than 6 000 hex digits.
     */
    static BigInteger ffdhePrime(int i) {
        int b = FFDHE_BITS[i];
        return BigInteger.ONE.shiftLeft(b).subtract(BigInteger.ONE.shiftLeft(b - 64))
                .add(scaledE(b - 130).add(BigInteger.valueOf(FFDHE_X[i])).shiftLeft(64)).subtract(BigInteger.ONE);
    }

    /** floor(e 2^bits), from e = sum of 1/k!, with 64 guard bits. */
    private static BigInteger scaledE(int bits) {
        BigInteger term = BigInteger.ONE.shiftLeft(bits + 64);
        BigInteger sum = BigInteger.ZERO;
        for (int k = 1; term.signum() > 0; k++) {
            sum = sum.add(term);
            term = term.divide(BigInteger.valueOf(k));
        }
        return sum.shiftRight(64);
    }
}
