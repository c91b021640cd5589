// Turns the bytes a client sends into commands (arrays of arguments), the way Redis's processMultibulkBuffer
// and processInlineBuffer do. Fed in arbitrary chunks; yields each command once all of its bytes arrived.
package io.port6379.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming decoder for client requests: RESP arrays of bulk strings ({@code *2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n})
 * and inline commands ({@code ECHO hi\r\n}).
 *
 * <p>Usage: {@link #feed} the bytes of each read, then call {@link #next} until it returns {@code null}.
 * Not thread-safe: one decoder per connection.
 */
public final class RequestDecoder {

    private static final int MAX_INLINE_LENGTH = 64 * 1024;
    private static final int MAX_MULTIBULK_LENGTH = 1024 * 1024;
    private static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;

    private byte[] buffer = new byte[16 * 1024];
    private int readIndex;
    private int writeIndex;

    /** Appends {@code length} bytes of {@code data} from {@code offset}. */
    public void feed(byte[] data, int offset, int length) {
        ensureWritable(length);
        System.arraycopy(data, offset, buffer, writeIndex, length);
        writeIndex += length;
    }

    /** Number of bytes received but not yet consumed by a complete command. */
    public int pending() {
        return writeIndex - readIndex;
    }

    /**
     * Returns the next complete command as its arguments, or {@code null} when more input is needed.
     * Empty inline lines and {@code *0}/{@code *-1} arrays are skipped, as Redis does.
     */
    public byte[][] next() throws ProtocolException {
        while (readIndex < writeIndex) {
            int start = readIndex;
            byte[][] command = buffer[readIndex] == '*' ? multibulk() : inline();
            if (command == null) {
                if (readIndex == start) {
                    return null;
                }
                continue; // an empty command was consumed
            }
            return command;
        }
        return null;
    }

    private byte[][] inline() throws ProtocolException {
        int newline = indexOf((byte) '\n', readIndex);
        if (newline < 0) {
            if (pending() > MAX_INLINE_LENGTH) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return null;
        }
        int end = newline > readIndex && buffer[newline - 1] == '\r' ? newline - 1 : newline;
        String line = new String(buffer, readIndex, end - readIndex, StandardCharsets.ISO_8859_1);
        readIndex = newline + 1;
        List<byte[]> args = new ArrayList<>();
        for (String word : line.trim().split("[ \t]+")) {
            if (!word.isEmpty()) {
                args.add(word.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return args.isEmpty() ? null : args.toArray(new byte[0][]);
    }

    private byte[][] multibulk() throws ProtocolException {
        int position = readIndex;
        int lineEnd = indexOf((byte) '\r', position);
        if (lineEnd < 0 || lineEnd + 1 >= writeIndex) {
            return null;
        }
        long count = parseLength(position + 1, lineEnd, "Protocol error: invalid multibulk length");
        if (count > MAX_MULTIBULK_LENGTH) {
            throw new ProtocolException("Protocol error: invalid multibulk length");
        }
        position = lineEnd + 2;
        if (count <= 0) {
            readIndex = position;
            return null;
        }
        byte[][] args = new byte[(int) count][];
        for (int i = 0; i < count; i++) {
            if (position >= writeIndex) {
                return null;
            }
            if (buffer[position] != '$') {
                throw new ProtocolException("Protocol error: expected '$', got '" + (char) (buffer[position] & 0xff) + "'");
            }
            lineEnd = indexOf((byte) '\r', position);
            if (lineEnd < 0 || lineEnd + 1 >= writeIndex) {
                return null;
            }
            long length = parseLength(position + 1, lineEnd, "Protocol error: invalid bulk length");
            if (length < 0 || length > DEFAULT_MAX_BULK_LENGTH) {
                throw new ProtocolException("Protocol error: invalid bulk length");
            }
            position = lineEnd + 2;
            if (position + length + 2 > writeIndex) {
                ensureWritable((int) length + 2);
                return null;
            }
            args[i] = Arrays.copyOfRange(buffer, position, position + (int) length);
            position += (int) length + 2; // Redis skips the two bytes after a payload without checking them
        }
        readIndex = position;
        return args;
    }

    private long parseLength(int from, int to, String error) throws ProtocolException {
        if (from >= to) {
            throw new ProtocolException(error);
        }
        boolean negative = buffer[from] == '-';
        int i = negative ? from + 1 : from;
        if (i >= to || to - i > 18) {
            throw new ProtocolException(error);
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = buffer[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new ProtocolException(error);
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < writeIndex; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void ensureWritable(int length) {
        if (readIndex > 0) {
            System.arraycopy(buffer, readIndex, buffer, 0, writeIndex - readIndex);
            writeIndex -= readIndex;
            readIndex = 0;
        }
        if (writeIndex + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, writeIndex + length));
        }
    }
}
