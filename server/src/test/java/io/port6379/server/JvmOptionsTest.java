// server/jvm.options, the JVM options ./run-server and the bench/ scripts start the server with: all known, all taken.
package io.port6379.server;

import io.port6379.server.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The options file lets JDK 21 to 23, which have no compact object headers, start anyway: it ends with
 * {@code -XX:+IgnoreUnrecognizedVMOptions}. The price is that a misspelt option in the file would be ignored as
 * silently, and the figures of chapter 15 would then be taken without it. So these tests run the JDK the build
 * tests with (the toolchain's, JDK 25) with the file followed by {@code -XX:-IgnoreUnrecognizedVMOptions}, the last
 * word on that flag, which makes the JVM refuse any option it does not know; and they start the server with the
 * file as {@code ./run-server} does. System properties ({@code -Djdk.readPollers}) cannot be checked this way: a
 * JVM accepts any property name.
 */
class JvmOptionsTest {

    private static final Path OPTIONS = Path.of(System.getProperty("port6379.root", ".."), "server", "jvm.options");

    @TempDir
    Path dir;

    @Test
    void everyOptionInTheFileIsKnownToTheJdkTheBuildUses() throws Exception {
        // JDK 21 to 23 do not know compact object headers: there the file relies on the flag this test turns off.
        assumeTrue(Runtime.version().feature() >= 24, "compact object headers need JDK 24 or newer");
        Result result = java("@" + OPTIONS, "-XX:-IgnoreUnrecognizedVMOptions", "-version");
        assertEquals(0, result.exitCode(), "java @server/jvm.options refused an option:\n" + result.output());
    }

    @Test
    void aMisspeltOptionIsRefusedOnceUnrecognizedOptionsAreNotIgnored() throws Exception {
        Path misspelt = dir.resolve("jvm.options");
        Files.writeString(misspelt, Files.readString(OPTIONS) + "-XX:+UseCompactObjectHeadrs\n");

        assertEquals(0, java("@" + misspelt, "-version").exitCode(), "the file alone ignores it");
        Result checked = java("@" + misspelt, "-XX:-IgnoreUnrecognizedVMOptions", "-version");
        assertNotEquals(0, checked.exitCode());
        assertTrue(checked.output().contains("Unrecognized VM option 'UseCompactObjectHeadrs'"), checked.output());
    }

    @Test
    void theServerStartedWithTheFileAnswersPing() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder(javaCommand("@" + OPTIONS, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            assertEquals("+PONG\r\n", ping(server, port), "server log: " + Files.readString(dir.resolve("server.log")));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result java(String... arguments) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(javaCommand(arguments)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    /** The java of the JVM running this test, with {@code arguments}. */
    private static List<String> javaCommand(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of(arguments));
        return command;
    }

    /** PING once the server listens (at most 20 s); the reply's bytes. */
    private static String ping(Process server, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                return new String(in.readNBytes(7), StandardCharsets.US_ASCII);
            } catch (IOException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(20);
            }
        }
    }
}
