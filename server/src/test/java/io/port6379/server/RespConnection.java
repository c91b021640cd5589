// A raw RESP client for tests: sends commands as arrays of bulk strings, reads replies as exact bytes.
package io.port6379.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One connection; {@link #call} sends a command and returns its reply exactly as received, one char per byte. */
public final class RespConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RespConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** How long a read may wait; a differential test that expects a frame never sent should fail fast. */
    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public String call(String... args) throws IOException {
        send(args);
        return readReply();
    }

    void send(String... args) throws IOException {
        sendRaw(encode(args));
    }

    void sendRaw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static String encode(String... args) {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(arg).append("\r\n");
        }
        return request.toString();
    }

    /**
     * Reads one complete reply of any RESP2/RESP3 type. A push inside an aggregate (Redis 7.0 writes the message a
     * client publishes to itself inside EXEC between EXEC's replies) is kept in place, not counted as an element.
     */
    String readReply() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readInto(reply);
        return reply.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the server closes the connection. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** One element of an aggregate, with any pushes written before it. */
    private void readElement(ByteArrayOutputStream reply) throws IOException {
        while (readInto(reply) == '>') {
            // a push is not an element: the element follows it
        }
    }

    /** Reads one frame and returns its type. */
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
