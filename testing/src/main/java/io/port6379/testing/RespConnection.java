// A raw RESP client for tests: sends commands or any bytes, reads one reply as its exact bytes or as Java values.
package io.port6379.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to a server on 127.0.0.1, ours or a real Redis. It is deliberately not a real client: it never
 * checks what it sends, so a test can send broken requests, and it hands replies back exactly as they came.
 *
 * <p>Strings stand for bytes one char per byte (ISO-8859-1), in both directions, so that any byte, binary or
 * not, can be sent and compared. Two ways to read a reply:
 * <ul>
 * <li>{@link #call}, {@link #readReply}: the reply's exact bytes, any RESP2 or RESP3 type, e.g. {@code "+OK\r\n"};
 * <li>{@link #callParsed}, {@link #readParsed}: a RESP2 reply as Java values: simple and bulk strings as
 * {@code String}, integers as {@code Long}, arrays as {@code List<Object>}, a nil bulk or nil array as
 * {@code null}, an error as an {@link Error}.
 * </ul>
 * It reads RESP by itself, not with the protocol module's decoder, so that every module's tests can use it.
 */
public final class RespConnection implements AutoCloseable {

    /** An error reply, as a value, e.g. {@code new Error("ERR syntax error")}. */
    public record Error(String message) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * Connects to 127.0.0.1:{@code port}. A read waits at most a minute, since a loaded machine can stall a
     * server's disk writes for seconds; a test that expects silence sets a shorter {@link #timeout}.
     */
    public RespConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** How long a read may wait; a test that expects a reply never sent should fail fast. */
    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends a command and returns its reply exactly as received, e.g. {@code ":1\r\n"}. */
    public String call(String... args) throws IOException {
        send(args);
        return readReply();
    }

    /** Sends a command and returns its reply as Java values (see the class comment). */
    public Object callParsed(String... args) throws IOException {
        send(args);
        return readParsed();
    }

    /** Sends a command without reading its reply (pipelining, or a command that blocks). */
    public void send(String... args) throws IOException {
        sendRaw(encode(args));
    }

    /** Sends these bytes as they are: inline commands, half a request, garbage. */
    public void sendRaw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A command as a client sends it: an array of bulk strings. */
    public static String encode(String... args) {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n")
                    .append(arg).append("\r\n");
        }
        return request.toString();
    }

    /**
     * Reads one complete reply of any RESP2/RESP3 type, as its exact bytes. A push inside an aggregate (Redis 7.0
     * writes the message a client publishes to itself inside EXEC between EXEC's replies) is kept in place, not
     * counted as an element.
     */
    public String readReply() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readInto(reply);
        return reply.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the server closes the connection. */
    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one RESP2 reply as Java values (see the class comment). RESP3 types are not mapped: a test of
     * RESP3 compares the exact bytes of {@link #readReply} instead.
     */
    public Object readParsed() throws IOException {
        String line = readLine();
        String rest = line.substring(1);
        return switch (line.charAt(0)) {
            case '+' -> rest;
            case '-' -> new Error(rest);
            case ':' -> Long.parseLong(rest);
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                yield new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            case '*' -> {
                int count = Integer.parseInt(rest);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readParsed());
                }
                yield items;
            }
            default -> throw new IOException("not a RESP2 reply: " + line);
        };
    }

    /** One element of an aggregate, with any pushes written before it. */
    private void readElement(ByteArrayOutputStream reply) throws IOException {
        while (readInto(reply) == '>') {
            // a push is not an element: the element follows it
        }
    }

    /** Copies one frame: its first line, then as many bytes or nested frames as that line announces; its type. */
    private char readInto(ByteArrayOutputStream reply) throws IOException {
        String line = readLine();
        reply.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    reply.writeBytes(in.readNBytes(length + 2));
                }
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++) {
                    readElement(reply);
                }
            }
            case '%', '|' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * count; i++) {
                    readElement(reply);
                }
            }
            default -> { } // + - : _ , # ( are one line
        }
        return type;
    }

    /** One line without its CRLF; a lone CR inside it (never valid RESP) is kept. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after: " + line);
            }
            if (previous == '\r' && b == '\n') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
