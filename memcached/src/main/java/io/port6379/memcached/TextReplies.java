// memcached's text protocol, replies to bytes: status lines and VALUE blocks written into one reusable buffer.
package io.port6379.memcached;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The replies of a pipelined batch, written back to back and sent with one write. A hit of the get family is
 * {@code VALUE <key> <flags> <bytes>[ <cas unique>]\r\n<data>\r\n}, and the list ends with {@code END\r\n}; every
 * other reply is one line ({@code STORED}, {@code NOT_FOUND}, {@code 42}, {@code CLIENT_ERROR ...}).
 *
 * <p>Not thread-safe: one per connection.
 */
public final class TextReplies {

    private static final byte[] VALUE = "VALUE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END\r\n".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer = new byte[16 * 1024];
    private int size;

    /** One status or error line; {@code \r\n} is added. O(length). */
    public void line(String text) {
        ensure(text.length() + 2);
        for (int i = 0; i < text.length(); i++) {
            buffer[size++] = (byte) text.charAt(i);
        }
        crlf();
    }

    /** A decimal line: incr's and decr's reply. */
    public void unsignedLine(long value) {
        line(Long.toUnsignedString(value));
    }

    /** One hit of get, gets, gat or gats; {@code cas} is written when {@code withCas}. O(data). */
    public void value(byte[] key, int flags, byte[] data, boolean withCas, long cas) {
        ensure(VALUE.length + key.length + 48 + data.length + 4);
        System.arraycopy(VALUE, 0, buffer, size, VALUE.length);
        size += VALUE.length;
        System.arraycopy(key, 0, buffer, size, key.length);
        size += key.length;
        buffer[size++] = ' ';
        number(Integer.toUnsignedLong(flags));
        buffer[size++] = ' ';
        number(data.length);
        if (withCas) {
            buffer[size++] = ' ';
            number(cas);
        }
        crlf();
        System.arraycopy(data, 0, buffer, size, data.length);
        size += data.length;
        crlf();
    }

    /** The end of a get family's list. */
    public void end() {
        ensure(END.length);
        System.arraycopy(END, 0, buffer, size, END.length);
        size += END.length;
    }

    /** Bytes written since the last {@link #reset}. */
    public int size() {
        return size;
    }

    /** A copy of what was written (tests). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** Sends what was written to {@code out} in one write, and starts again. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buffer, 0, size);
        reset();
    }

    /** Forgets what was written; a buffer grown past 1 MB by a big reply goes back to its first size. */
    public void reset() {
        size = 0;
        if (buffer.length > 1 << 20) {
            buffer = new byte[16 * 1024];
        }
    }

    private void number(long unsigned) {
        if (unsigned >= 0 && unsigned < 10) {
            buffer[size++] = (byte) ('0' + unsigned);
            return;
        }
        String digits = Long.toUnsignedString(unsigned);
        for (int i = 0; i < digits.length(); i++) {
            buffer[size++] = (byte) digits.charAt(i);
        }
    }

    private void crlf() {
        buffer[size++] = '\r';
        buffer[size++] = '\n';
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
