// A test client that reads replies as decoded frames: for tests that look inside a reply rather than at its bytes.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import io.port6379.protocol.Frame;
import io.port6379.protocol.FrameDecoder;
import io.port6379.protocol.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;

/** One connection; {@link #call} sends a command and returns its reply as a {@link Frame}. */
final class FrameConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final FrameDecoder decoder = new FrameDecoder();
    private final byte[] buffer = new byte[64 * 1024];

    FrameConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    Frame call(String... args) throws IOException, ProtocolException {
        socket.getOutputStream().write(RespConnection.encode(args).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        while (true) {
            Frame frame = decoder.next();
            if (frame != null) {
                return frame;
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("connection closed before a whole reply");
            }
            decoder.feed(buffer, 0, n);
        }
    }

    /** The elements of an array, a set or a push, in wire order. */
    static List<Frame> elements(Frame frame) {
        return switch (frame) {
            case Frame.Array array -> array.elements();
            case Frame.Set set -> set.elements();
            case Frame.Push push -> push.elements();
            default -> throw new IllegalArgumentException("not an aggregate: " + frame);
        };
    }

    /** The text of a simple or bulk string. */
    static String text(Frame frame) {
        return switch (frame) {
            case Frame.SimpleString simple -> simple.value();
            case Frame.BulkString bulk -> new String(bulk.value(), java.nio.charset.StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException("not a string: " + frame);
        };
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
