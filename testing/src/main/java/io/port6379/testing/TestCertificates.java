// Certificates for TLS tests, made by the openssl command in a temporary directory: no key is ever committed.
package io.port6379.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A certificate authority and the certificates it signs, as an operator would make them with {@code openssl}
 * (the commands chapter 13 shows): {@code ca.crt}/{@code ca.key}, a server certificate for {@code localhost}
 * and {@code 127.0.0.1}, client certificates. Each file is a PEM file in {@link #directory()}. A test class
 * that needs one set for all its tests registers {@link TlsCertificates}, which makes and deletes it.
 */
public final class TestCertificates implements AutoCloseable {

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    public static TestCertificates create() throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(Files.createTempDirectory("tls"));
        certificates.authority("ca");
        certificates.signed("server", "ca", "localhost", "rsa");
        certificates.signed("client", "ca", "client", "rsa");
        return certificates;
    }

    public Path directory() {
        return directory;
    }

    public String path(String file) {
        return directory.resolve(file).toString();
    }

    /** A self-signed authority: {@code name.crt} and {@code name.key}. */
    public void authority(String name) throws IOException, InterruptedException {
        openssl("req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-subj", "/CN=" + name + " test authority", "-keyout", name + ".key", "-out", name + ".crt");
    }

    /**
     * {@code name.crt} signed by {@code authority}, with {@code name.key}: {@code keyType} rsa (PKCS#8, OpenSSL 3's
     * default), rsa-traditional (PKCS#1), ec (SEC1), or rsa-encrypted (PKCS#8 under the password "secret").
     */
    public void signed(String name, String authority, String commonName, String keyType) throws IOException, InterruptedException {
        switch (keyType) {
            case "rsa" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
            case "rsa-traditional" -> openssl("genrsa", "-traditional", "-out", name + ".key", "2048");
            case "rsa-traditional-encrypted" -> openssl("genrsa", "-traditional", "-aes256", "-passout", "pass:secret",
                    "-out", name + ".key", "2048");
            case "ec" -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", name + ".key");
            case "rsa-encrypted" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-aes-256-cbc", "-pass", "pass:secret", "-out", name + ".key");
            default -> throw new IllegalArgumentException(keyType);
        }
        boolean encrypted = keyType.endsWith("encrypted");
        List<String> request = new ArrayList<>(List.of("req", "-new", "-key", name + ".key", "-subj", "/CN=" + commonName,
                "-out", name + ".csr"));
        if (encrypted) {
            request.addAll(List.of("-passin", "pass:secret"));
        }
        openssl(request.toArray(String[]::new));
        Files.writeString(directory.resolve(name + ".ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", authority + ".crt", "-CAkey", authority + ".key",
                "-CAcreateserial", "-days", "2", "-sha256", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    public void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Binaries.require("openssl").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
