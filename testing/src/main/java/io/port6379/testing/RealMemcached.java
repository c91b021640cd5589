// A real memcached child process on a free loopback port, to prove that a test's expectations are memcached's own.
package io.port6379.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts Debian's {@code memcached} from the PATH ({@link Binaries#require}: a failure with {@code CI=true} when it
 * is missing, a loud skip elsewhere) on 127.0.0.1 and a port the OS just handed out, TCP only, 64 MB, as a child
 * that {@link #close()} stops:
 * <pre>{@code
 * try (RealMemcached memcached = RealMemcached.start()) { ... memcached.port() ... }
 * }</pre>
 * memcached prints nothing when it is ready, so readiness is a connection that it accepts; a port taken between
 * our probe and its bind makes it exit, and we try another.
 */
public final class RealMemcached implements AutoCloseable {

    private static final int ATTEMPTS = 3;
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Process process;
    private final int port;

    private RealMemcached(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A started memcached; the extra arguments come last ({@code -I 2m}, {@code -m 128}). */
    public static RealMemcached start(String... extraArguments) throws IOException, InterruptedException {
        String binary = Binaries.require("memcached").toString();
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            List<String> command = new java.util.ArrayList<>(List.of(binary, "-l", "127.0.0.1", "-p",
                    Integer.toString(port), "-U", "0", "-m", "64"));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "root")); // memcached refuses to run as root without it
            }
            command.addAll(List.of(extraArguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (awaitListening(process, port)) {
                return new RealMemcached(process, port);
            }
            process.destroyForcibly().waitFor();
            if (attempt == ATTEMPTS) {
                throw new IOException("memcached did not start on port " + port + " (" + command + ")");
            }
        }
    }

    /** Waits until a connection to the port succeeds while the process lives; used for our server's port too. */
    public static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while ((process == null || process.isAlive()) && System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
