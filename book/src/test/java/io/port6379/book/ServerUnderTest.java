// The two servers every transcript is replayed against: ours, in-process, and Debian's redis-server.
package io.port6379.book;

import io.port6379.server.network.RedisServer;
import io.port6379.server.config.ServerConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A fresh, empty server on a free loopback port; closing it stops it. */
sealed interface ServerUnderTest extends AutoCloseable {

    String name();

    int port();

    @Override
    void close();

    /**
     * Our server, started in this JVM from the server module, as a reader's {@code ./run-server} would, in a
     * temporary directory so that a transcript's SAVE never writes a dump.rdb into the source tree.
     */
    static ServerUnderTest ours() throws IOException {
        Path dir = Files.createTempDirectory("book-ours");
        RedisServer server = Port6379.server(ServerConfig.fromArguments("--port", "0", "--bind", "127.0.0.1",
                "--dir", dir.toString()));
        server.start();
        return new Ours(server);
    }

    /** Debian's {@code redis-server}, without persistence, in a temporary directory. */
    static ServerUnderTest realRedis() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path dir = Files.createTempDirectory("book-redis");
            Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            // The free port may be taken by someone else between our probe and redis-server's bind; the pid
            // in INFO tells whether the server answering on it is the one we started.
            if (awaitPong(port, process) && isProcessOnPort(process, port)) {
                return new RealRedis(process, port);
            }
            process.destroyForcibly().waitFor();
            last = new IOException("redis-server did not start on port " + port + ": "
                    + Files.readString(dir.resolve("redis.log")));
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean awaitPong(int port, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = in.readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return true;
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private static boolean isProcessOnPort(Process process, int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                header.append((char) b);
            }
            if (header.isEmpty() || header.charAt(0) != '$') {
                return false;
            }
            int length = Integer.parseInt(header.substring(1).strip());
            String info = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
            return info.contains("process_id:" + process.pid() + "\r\n");
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    record Ours(RedisServer server) implements ServerUnderTest {
        @Override
        public String name() {
            return "port6379";
        }

        @Override
        public int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    record RealRedis(Process process, int port) implements ServerUnderTest {
        @Override
        public String name() {
            return "redis-server";
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
}
