// memcached's text protocol, replies to bytes: status lines and VALUE blocks written into one reusable buffer.
package io.port6379.memcached;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The replies of a pipelined batch, written back to back and sent with as few writes as they fit in. A hit of the
 * get family is {@code VALUE <key> <flags> <bytes>[ <cas unique>]\r\n<data>\r\n}, and the list ends with
 * {@code END\r\n}; every other reply is one line ({@code STORED}, {@code NOT_FOUND}, {@code 42},
 * {@code CLIENT_ERROR ...}).
 *
 * <p>A multi-get may ask for thousands of items at once, megabytes of data. Copying them all into one buffer that
 * doubles as it grows made such a reply cost two copies of every byte and a buffer of the whole reply, allocated
 * again for every request (and outside the young generation once it is big); memcached itself copies nothing, it
 * points its socket writes at the items. So a data block of {@link #BY_REFERENCE} bytes or more is kept here by
 * reference, between the lines around it, and {@link #writeTo} sends everything through one 64 KB staging buffer:
 * a small reply is still one write, a big one a write per 64 KB, and the data is copied once, after the
 * execution lock is let go. That is safe because a value's array is never changed once it has been handed out
 * (a string's bytes are immutable from the first read on).
 *
 * <p>Not thread-safe: one per connection.
 */
public final class TextReplies {

    private static final byte[] VALUE = "VALUE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Data blocks this long or longer are kept by reference rather than copied into the buffer. */
    static final int BY_REFERENCE = 512;
    private static final int STAGE = 64 * 1024;

    private byte[] buffer = new byte[16 * 1024];
    private int size;
    /** Data blocks kept by reference, in order: block i goes between {@code buffer[0, cut[i])} and what follows. */
    private byte[][] blocks = new byte[16][];
    private int[] cuts = new int[16];
    private int blockCount;
    private long blockBytes;
    private byte[] stage;
    private int staged;

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
        boolean byReference = data.length >= BY_REFERENCE;
        ensure(VALUE.length + key.length + 48 + (byReference ? 0 : data.length) + 4);
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
        if (byReference) {
            keep(data);
        } else {
            System.arraycopy(data, 0, buffer, size, data.length);
            size += data.length;
        }
        crlf();
    }

    /** A data block and its {@code \r\n}: the value after a meta command's {@code VA} line. O(data). */
    public void block(byte[] data) {
        if (data.length >= BY_REFERENCE) {
            ensure(2);
            keep(data);
        } else {
            ensure(data.length + 2);
            System.arraycopy(data, 0, buffer, size, data.length);
            size += data.length;
        }
        crlf();
    }

    private void keep(byte[] data) {
        if (blockCount == blocks.length) {
            blocks = Arrays.copyOf(blocks, blockCount * 2);
            cuts = Arrays.copyOf(cuts, blockCount * 2);
        }
        blocks[blockCount] = data;
        cuts[blockCount] = size;
        blockCount++;
        blockBytes += data.length;
    }

    /** The end of a get family's list. */
    public void end() {
        ensure(END.length);
        System.arraycopy(END, 0, buffer, size, END.length);
        size += END.length;
    }

    /** Bytes written since the last {@link #reset}. */
    public long size() {
        return size + blockBytes;
    }

    /** A copy of what was written (tests). */
    public byte[] toByteArray() {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i < blockCount; i++) {
            all.write(buffer, from, cuts[i] - from);
            all.write(blocks[i], 0, blocks[i].length);
            from = cuts[i];
        }
        all.write(buffer, from, size - from);
        return all.toByteArray();
    }

    // tag::write[]
    /**
     * Sends what was written to {@code out}, in one write if it fits in 64 KB, else a write per 64 KB (a block
     * longer than that is written straight from its array), and starts again. O(size).
     */
    public void writeTo(OutputStream out) throws IOException {
        if (blockCount == 0 && size <= STAGE) {
            out.write(buffer, 0, size);
            reset();
            return;
        }
        if (stage == null) {
            stage = new byte[STAGE];
        }
        try {
            int from = 0;
            for (int i = 0; i < blockCount; i++) {
                send(out, buffer, from, cuts[i] - from);
                send(out, blocks[i], 0, blocks[i].length);
                from = cuts[i];
            }
            send(out, buffer, from, size - from);
            if (staged > 0) {
                out.write(stage, 0, staged);
            }
        } finally {
            staged = 0;
            reset();
        }
    }

    private void send(OutputStream out, byte[] bytes, int offset, int length) throws IOException {
        if (staged + length > STAGE) {
            if (staged > 0) {
                out.write(stage, 0, staged);
                staged = 0;
            }
            if (length >= STAGE) {
                out.write(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, stage, staged, length);
        staged += length;
    }
    // end::write[]

    /** Forgets what was written; a buffer grown past 1 MB by a big reply goes back to its first size. */
    public void reset() {
        size = 0;
        Arrays.fill(blocks, 0, blockCount, null); // the values may go as soon as they leave the keyspace
        blockCount = 0;
        blockBytes = 0;
        if (buffer.length > 1 << 20) {
            buffer = new byte[16 * 1024];
        }
        if (blocks.length > 1024) {
            blocks = new byte[16][];
            cuts = new int[16];
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
