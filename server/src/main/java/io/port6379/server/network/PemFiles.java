// Reads the PEM files Redis's TLS settings name (certificates, private keys) into the JDK's key and certificate types.
package io.port6379.server.network;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Redis hands its PEM files to OpenSSL; the JDK wants a {@code KeyStore}, which it cannot fill from PEM by itself.
 * This class reads the blocks OpenSSL writes:
 *
 * <pre>
 * -----BEGIN CERTIFICATE-----            X.509, DER in base64; a chain is several blocks, the leaf first
 * -----BEGIN PRIVATE KEY-----            PKCS#8: any algorithm (openssl genpkey, req -newkey, OpenSSL 3's default)
 * -----BEGIN ENCRYPTED PRIVATE KEY-----  PKCS#8 under a password (PBES2: PBKDF2 + AES, or older PBE schemes)
 * -----BEGIN RSA PRIVATE KEY-----        PKCS#1 (openssl genrsa -traditional); may carry Proc-Type/DEK-Info
 *                                        headers: the legacy encryption, key = MD5-based EVP_BytesToKey
 * -----BEGIN EC PRIVATE KEY-----         SEC1 (openssl ecparam -genkey); an "EC PARAMETERS" block before it is skipped
 * </pre>
 *
 * <p>PKCS#1 and SEC1 keys are turned into PKCS#8 by wrapping them in the ASN.1 structure PKCS#8 adds around them
 * (a version, the algorithm's identifier, the key as an octet string), which the JDK's key factories read.
 */
final class PemFiles {

    /** rsaEncryption 1.2.840.113549.1.1.1 with its NULL parameters, as DER. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    /** id-ecPublicKey 1.2.840.10045.2.1, as a DER OID (the curve's OID follows it in the identifier). */
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");

    private PemFiles() {
    }

    /** One {@code -----BEGIN type-----} block: its headers (legacy encryption) and its bytes. */
    record Block(String type, List<String> headers, byte[] der) {
    }

    static List<Block> blocks(Path file) throws IOException {
        List<Block> blocks = new ArrayList<>();
        String type = null;
        List<String> headers = new ArrayList<>();
        StringBuilder base64 = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            String trimmed = line.strip();
            if (type == null) {
                if (trimmed.startsWith("-----BEGIN ") && trimmed.endsWith("-----")) {
                    type = trimmed.substring(11, trimmed.length() - 5);
                    headers = new ArrayList<>();
                    base64.setLength(0);
                }
            } else if (trimmed.startsWith("-----END ")) {
                blocks.add(new Block(type, headers, Base64.getMimeDecoder().decode(base64.toString())));
                type = null;
            } else if (trimmed.contains(":")) {
                headers.add(trimmed);
            } else {
                base64.append(trimmed);
            }
        }
        return blocks;
    }

    /** Every certificate in {@code file}, in file order. */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.type().equals("CERTIFICATE") || block.type().equals("TRUSTED CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return certificates;
    }

    /** The first private key in {@code file}; {@code password} is used when the key is encrypted. */
    static PrivateKey privateKey(Path file, String password) throws IOException, GeneralSecurityException {
        for (Block block : blocks(file)) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der());
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return pkcs8(decrypt(new EncryptedPrivateKeyInfo(block.der()), password));
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(sequence(der(0x02, new byte[] {0}), RSA_ALGORITHM,
                            der(0x04, legacyDecrypt(block, password))));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] sec1 = legacyDecrypt(block, password);
                    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curveOf(sec1));
                    return pkcs8(sequence(der(0x02, new byte[] {0}), algorithm, der(0x04, sec1)));
                }
                default -> { } // certificates, EC PARAMETERS: not keys
            }
        }
        throw new GeneralSecurityException("no private key in " + file);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported private key", last);
    }

    /** PKCS#8 encryption: PBES2 names its key derivation and cipher in its parameters, e.g. PBEWithHmacSHA256AndAES_256. */
    private static byte[] decrypt(EncryptedPrivateKeyInfo info, String password) throws GeneralSecurityException {
        String algorithm = info.getAlgParameters() != null && info.getAlgName().equals("PBES2")
                ? info.getAlgParameters().toString() : info.getAlgName();
        SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())),
                info.getAlgParameters());
        return info.getKeySpec(cipher).getEncoded();
    }

    /**
     * A traditional key's bytes, decrypted if its headers say {@code Proc-Type: 4,ENCRYPTED}: the key is OpenSSL's
     * EVP_BytesToKey with MD5, one round, the IV's first 8 bytes as salt.
     */
    private static byte[] legacyDecrypt(Block block, String password) throws GeneralSecurityException {
        String dekInfo = block.headers().stream().filter(h -> h.startsWith("DEK-Info:")).findFirst().orElse(null);
        if (dekInfo == null) {
            return block.der();
        }
        String[] parts = dekInfo.substring(9).strip().split(",");
        byte[] iv = HexFormat.of().parseHex(parts[1].strip());
        String name = parts[0].strip().toUpperCase(Locale.ROOT);
        int keyLength;
        String transformation;
        String keyAlgorithm;
        switch (name) {
            case "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" -> {
                keyLength = Integer.parseInt(name.substring(4, 7)) / 8;
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
            }
            case "DES-EDE3-CBC" -> {
                keyLength = 24;
                transformation = "DESede/CBC/PKCS5Padding";
                keyAlgorithm = "DESede";
            }
            default -> throw new GeneralSecurityException("unsupported PEM encryption " + name);
        }
        byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        while (key.size() < keyLength) {
            md5.update(previous);
            md5.update(passwordBytes);
            md5.update(iv, 0, 8);
            previous = md5.digest();
            key.writeBytes(previous);
        }
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Arrays.copyOf(key.toByteArray(), keyLength), keyAlgorithm),
                new IvParameterSpec(iv));
        return cipher.doFinal(block.der());
    }

    /** The curve's OID from a SEC1 key: SEQUENCE { INTEGER 1, OCTET STRING key, [0] { OID curve }, [1] ... }. */
    private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
        int[] at = {0};
        header(sec1, at, 0x30);
        skip(sec1, at); // version
        skip(sec1, at); // the private key
        while (at[0] < sec1.length) {
            int tag = sec1[at[0]] & 0xff;
            if (tag == 0xa0) {
                header(sec1, at, 0xa0);
                int start = at[0];
                skip(sec1, at);
                return Arrays.copyOfRange(sec1, start, at[0]);
            }
            skip(sec1, at);
        }
        throw new GeneralSecurityException("EC private key without its curve");
    }

    /** Reads a tag and length at {@code at}, leaving {@code at} at the contents; returns the length. */
    private static int header(byte[] der, int[] at, int expectedTag) throws GeneralSecurityException {
        if ((der[at[0]++] & 0xff) != expectedTag) {
            throw new GeneralSecurityException("malformed key");
        }
        int length = der[at[0]++] & 0xff;
        if (length > 0x80) {
            int bytes = length - 0x80;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[at[0]++] & 0xff);
            }
        }
        return length;
    }

    private static void skip(byte[] der, int[] at) throws GeneralSecurityException {
        int length = header(der, at, der[at[0]] & 0xff);
        at[0] += length;
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream contents = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            contents.writeBytes(part);
        }
        return der(0x30, contents.toByteArray());
    }

    /** A DER tag-length-value. */
    private static byte[] der(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 + bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }
}
