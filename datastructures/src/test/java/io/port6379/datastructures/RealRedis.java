// A throw-away redis-server process and a minimal RESP2 client, to compare our answers with the real thing.
package io.port6379.datastructures;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

final class RealRedis implements AutoCloseable {

    /** An error reply, kept as a value so tests can compare it with our exception messages. */
    record Error(String message) {
    }

    private final Process process;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RealRedis(Process process, Socket socket) throws IOException {
        this.process = process;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Starts redis-server on a free port. Without the binary the calling test is skipped, loudly, except on CI
     * ({@code CI=true}), where it fails.
     */
    static RealRedis start() throws Exception {
        String binary = findBinary();
        if (binary == null) {
            String message = "redis-server is not installed: the comparison with a real Redis was NOT run";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return new RealRedis(process, new Socket("127.0.0.1", port));
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroy();
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private static String findBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** Sends one command and reads its reply: String (bulk/simple, null for nil), Long, Error or List. */
    Object call(Object... args) throws IOException {
        send(args);
        out.flush();
        return read();
    }

    /** Sends every command before reading any reply (pipelining), for speed. */
    List<Object> pipeline(List<Object[]> commands) throws IOException {
        for (Object[] c : commands) {
            send(c);
        }
        out.flush();
        List<Object> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(read());
        }
        return replies;
    }

    private void send(Object[] args) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] bytes = a instanceof byte[] raw ? raw : a.toString().getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buffer.writeBytes(bytes);
            buffer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(buffer.toByteArray());
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = readLine();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(length);
                in.readNBytes(2);
                yield new String(data, StandardCharsets.ISO_8859_1);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("unexpected reply type " + (char) type);
        };
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
