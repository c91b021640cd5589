// Writes replies into one reusable byte buffer, so a pipelined batch of replies leaves in a single write.
package io.port6379.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encoder for RESP replies. Each method appends one frame (or a header) to an internal buffer that grows as
 * needed and is reused after {@link #flushTo}. The protocol version (2 or 3) decides how RESP3-only types
 * are written: in RESP2 a null is {@code $-1}, a map is a flat array of keys and values, a double is a bulk string.
 *
 * <p>Not thread-safe: one writer per connection.
 */
public final class RespWriter {

    private static final byte[] CRLF = {'\r', '\n'};

    private byte[] buffer = new byte[16 * 1024];
    private int size;
    private int protocolVersion = 2;

    public int protocolVersion() {
        return protocolVersion;
    }

    public void protocolVersion(int version) {
        this.protocolVersion = version;
    }

    /** Bytes written and not yet flushed. */
    public int size() {
        return size;
    }

    /** {@code +value\r\n}. */
    public RespWriter simpleString(String value) {
        writeByte('+');
        writeAscii(value);
        return crlf();
    }

    /** {@code -message\r\n}; {@code message} starts with the error code, e.g. {@code ERR syntax error}. */
    public RespWriter error(String message) {
        writeByte('-');
        writeAscii(message);
        return crlf();
    }

    /** {@code :value\r\n}. */
    public RespWriter integer(long value) {
        writeByte(':');
        writeLong(value);
        return crlf();
    }

    /** {@code $n\r\nbytes\r\n}. */
    public RespWriter bulkString(byte[] value) {
        writeByte('$');
        writeLong(value.length);
        crlf();
        writeBytes(value, 0, value.length);
        return crlf();
    }

    /** A bulk string of the UTF-8 bytes of {@code value}. */
    public RespWriter bulkString(String value) {
        return bulkString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The null bulk string: {@code $-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullBulkString() {
        writeAscii(protocolVersion == 3 ? "_" : "$-1");
        return crlf();
    }

    /** The null array: {@code *-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullArray() {
        writeAscii(protocolVersion == 3 ? "_" : "*-1");
        return crlf();
    }

    /** {@code *count\r\n}; the caller then writes {@code count} frames. */
    public RespWriter arrayHeader(int count) {
        writeByte('*');
        writeLong(count);
        return crlf();
    }

    /** Writes any frame. */
    public RespWriter frame(Frame frame) {
        return switch (frame) {
            case Frame.SimpleString s -> simpleString(s.value());
            case Frame.SimpleError e -> error(e.message());
            case Frame.Integer i -> integer(i.value());
            case Frame.BulkString b -> bulkString(b.value());
            case Frame.Null n -> nullBulkString();
            case Frame.Array a -> {
                arrayHeader(a.elements().size());
                a.elements().forEach(this::frame);
                yield this;
            }
        };
    }

    /** Writes everything buffered to {@code out} and empties the buffer. */
    public void flushTo(OutputStream out) throws IOException {
        out.write(buffer, 0, size);
        out.flush();
        size = 0;
    }

    /** A copy of the buffered bytes (for tests). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private RespWriter crlf() {
        writeBytes(CRLF, 0, 2);
        return this;
    }

    private void writeLong(long value) {
        writeAscii(Long.toString(value));
    }

    private void writeAscii(String value) {
        int length = value.length();
        ensureCapacity(length);
        for (int i = 0; i < length; i++) {
            buffer[size++] = (byte) value.charAt(i);
        }
    }

    private void writeByte(int b) {
        ensureCapacity(1);
        buffer[size++] = (byte) b;
    }

    private void writeBytes(byte[] bytes, int offset, int length) {
        ensureCapacity(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    private void ensureCapacity(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
