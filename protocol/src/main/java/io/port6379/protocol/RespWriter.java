// Writes replies into one reusable byte buffer, so a pipelined batch of replies leaves in a single write.
package io.port6379.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encoder for RESP replies. Each method appends one frame (or an aggregate's header) to an internal buffer that
 * grows as needed and is reused after {@link #flushTo}. Numbers are written digit by digit into the buffer; no
 * String is built for them.
 *
 * <p>The protocol version (2 until the client sends {@code HELLO 3}) decides how the RESP3-only types go out,
 * exactly as Redis 7 writes them to a RESP2 client: null is {@code $-1} (or {@code *-1} for an absent array), a map
 * is a flat array of keys and values, a set or a push is an array, a double or a big number is a bulk string, a
 * boolean is {@code :1}/{@code :0}, a verbatim string is a bulk string without its format, attributes are dropped.
 *
 * <p>Simple strings and errors are written one byte per char (ISO-8859-1), so a message quoting raw argument
 * bytes round-trips. A CR or LF in them is written as a space, as Redis's {@code addReplyErrorFormat} does:
 * an error quoting a client's argument ({@code unknown command 'FOO', with args beginning with: 'a  b'}) must
 * not be able to break the reply stream.
 *
 * <p>Not thread-safe: one writer per connection.
 */
public final class RespWriter {

    /**
     * The buffer of the first reply; it doubles as replies need. A writer holds no buffer until it writes: a server
     * keeps one writer per connection, and most of ten thousand connections may never be sent a byte (they would
     * hold 10 MB with 1 KB each, 160 MB with 16 KB).
     */
    private static final int INITIAL_CAPACITY = 1024;
    private static final byte[] NO_BUFFER = {};
    /** After a flush, a buffer grown beyond this (by one huge reply) is given back rather than kept per connection. */
    private static final int MAX_RETAINED_CAPACITY = 1024 * 1024;

    // tag::lent[]
    /**
     * A bulk string of at least this many bytes is not copied into the buffer: the writer keeps the caller's array
     * and {@link #flushTo} writes it to the stream between the buffered bytes around it. A GET of a 1 MB value
     * would otherwise copy the megabyte into a buffer grown for it, and drop that buffer after the flush: two full
     * copies and a megabyte of garbage per reply, where the socket needs none. The caller must not change the
     * array until the flush: true of the values the server stores and hands out (a stored string's bytes are
     * never changed once read) and of the arrays made for one reply.
     */
    private static final int LENT_BULK = 16 * 1024;
    private static final byte[][] NONE_LENT = {};

    /** The arrays written by reference, in order, and the buffer offset before which each one goes. */
    private byte[][] lent = NONE_LENT;
    private int[] lentAt = {};
    private int lentCount;
    /** The bytes of the lent arrays: {@link #size()} counts them with the buffer's. */
    private long lentBytes;
    // end::lent[]

    private byte[] buffer = NO_BUFFER;
    private int size;
    private int protocolVersion = 2;
    private final byte[] doubleDigits = new byte[DoubleFormat.MAX_LENGTH];

    /** 2 or 3. */
    public int protocolVersion() {
        return protocolVersion;
    }

    /** Switches between RESP2 and RESP3 for the following replies (HELLO does this). */
    public void protocolVersion(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("RESP version must be 2 or 3: " + version);
        }
        this.protocolVersion = version;
    }

    /** Bytes written and not yet flushed. */
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, size + lentBytes);
    }

    /** {@code +value\r\n}; a CR or LF in {@code value} becomes a space. */
    public RespWriter simpleString(String value) {
        writeByte('+');
        writeLine(value);
        return crlf();
    }

    /**
     * {@code -message\r\n}; {@code message} starts with the error code, e.g. {@code ERR syntax error}. A CR or LF
     * in it becomes a space, as in Redis.
     */
    public RespWriter error(String message) {
        writeByte('-');
        writeLine(message);
        return crlf();
    }

    // tag::integerAndBulk[]
    /** {@code :value\r\n}. */
    public RespWriter integer(long value) {
        ensureCapacity(1 + 20 + 2);
        buffer[size++] = ':';
        size = AsciiLong.write(value, buffer, size);
        return crlf();
    }

    /** {@code $n\r\nbytes\r\n}. */
    public RespWriter bulkString(byte[] value) {
        if (value.length >= LENT_BULK) {
            return lend(value);
        }
        return lengthPrefixed('$', value, 0, value.length);
    }
    // end::integerAndBulk[]

    /** A bulk string of the UTF-8 bytes of {@code value}. */
    public RespWriter bulkString(String value) {
        return bulkString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The null bulk string: {@code $-1} in RESP2, {@code _} in RESP3 (GET on a missing key). */
    public RespWriter nullBulkString() {
        return protocolVersion == 3 ? nullValue() : header('$', -1);
    }

    /** The null array: {@code *-1} in RESP2, {@code _} in RESP3 (BLPOP timing out). */
    public RespWriter nullArray() {
        return protocolVersion == 3 ? nullValue() : header('*', -1);
    }

    /** RESP3's null {@code _}; in RESP2 the null bulk string {@code $-1}, as Redis's addReplyNull does. */
    public RespWriter nullValue() {
        if (protocolVersion == 2) {
            return header('$', -1);
        }
        writeByte('_');
        return crlf();
    }

    /** {@code *count\r\n}; the caller then writes {@code count} frames. */
    public RespWriter arrayHeader(int count) {
        return header('*', count);
    }

    // tag::resp3Headers[]
    /** RESP3 {@code %count\r\n}, then count keys and values; RESP2 {@code *<2 count>\r\n}, a flat array. */
    public RespWriter mapHeader(int count) {
        return protocolVersion == 3 ? header('%', count) : header('*', 2L * count);
    }

    /** RESP3 {@code ~count\r\n}; RESP2 {@code *count\r\n}. */
    public RespWriter setHeader(int count) {
        return header(protocolVersion == 3 ? '~' : '*', count);
    }

    /** RESP3 {@code >count\r\n} (pub/sub messages, invalidations); RESP2 {@code *count\r\n}. */
    public RespWriter pushHeader(int count) {
        return header(protocolVersion == 3 ? '>' : '*', count);
    }
    // end::resp3Headers[]

    // tag::double[]
    /**
     * A double as Redis 7.0 sends it: RESP3 {@code ,1.5\r\n} (or {@code ,inf}, {@code ,-inf}, {@code ,nan}),
     * RESP2 a bulk string; the digits are C's {@code %.17g}, so ZSCORE of 0.1 is {@code 0.10000000000000001}.
     */
    public RespWriter doubleValue(double value) {
        int length = DoubleFormat.format(value, doubleDigits);
        if (protocolVersion == 3) {
            writeByte(',');
            writeBytes(doubleDigits, 0, length);
            return crlf();
        }
        return lengthPrefixed('$', doubleDigits, 0, length);
    }
    // end::double[]

    /**
     * A double whose digits the caller printed (GEOPOS's coordinates, {@code "%.17Lf"} without trailing zeros):
     * RESP3 {@code ,digits\r\n}, RESP2 a bulk string.
     */
    public RespWriter doubleValue(byte[] digits) {
        if (protocolVersion == 3) {
            writeByte(',');
            writeBytes(digits, 0, digits.length);
            return crlf();
        }
        return lengthPrefixed('$', digits, 0, digits.length);
    }

    /** RESP3 {@code #t}/{@code #f}; RESP2 {@code :1}/{@code :0}. */
    public RespWriter bool(boolean value) {
        if (protocolVersion == 2) {
            return integer(value ? 1 : 0);
        }
        ensureCapacity(4);
        buffer[size++] = '#';
        buffer[size++] = (byte) (value ? 't' : 'f');
        return crlf();
    }

    /** RESP3 {@code (digits\r\n}; RESP2 the digits as a bulk string. */
    public RespWriter bigNumber(BigInteger value) {
        return bigNumber(value.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A big number whose digits the caller has, written as they are (a script's {@code {big_number=...}}, which
     * Redis does not check): RESP3 {@code (digits\r\n}; RESP2 a bulk string.
     */
    public RespWriter bigNumber(byte[] digits) {
        if (protocolVersion == 2) {
            return bulkString(digits);
        }
        writeByte('(');
        writeBytes(digits, 0, digits.length);
        return crlf();
    }

    /** RESP3 {@code =n\r\nfmt:text\r\n} with a three-letter format such as {@code txt}; RESP2 the text as a bulk string. */
    public RespWriter verbatim(String format, byte[] text) {
        if (format.length() != 3) {
            throw new IllegalArgumentException("a verbatim format has three characters: " + format);
        }
        if (protocolVersion == 2) {
            return bulkString(text);
        }
        header('=', 4L + text.length);
        writeLine(format);
        writeByte(':');
        writeBytes(text, 0, text.length);
        return crlf();
    }

    /** RESP3 {@code !n\r\nmessage\r\n}; RESP2 a simple error, with CR and LF turned into spaces to keep it one line. */
    public RespWriter bulkError(byte[] message) {
        if (protocolVersion == 3) {
            return lengthPrefixed('!', message, 0, message.length);
        }
        writeByte('-');
        int start = size;
        writeBytes(message, 0, message.length);
        for (int i = start; i < size; i++) {
            if (buffer[i] == '\r' || buffer[i] == '\n') {
                buffer[i] = ' ';
            }
        }
        return crlf();
    }

    // tag::frame[]
    /** Writes any frame, in this writer's protocol version. */
    public RespWriter frame(Frame frame) {
        return switch (frame) {
            case Frame.SimpleString s -> simpleString(s.value());
            case Frame.SimpleError e -> error(e.message());
            case Frame.Integer i -> integer(i.value());
            case Frame.BulkString b -> bulkString(b.value());
            case Frame.Null n -> nullValue();
            case Frame.Double d -> doubleValue(d.value());
            case Frame.Boolean b -> bool(b.value());
            case Frame.BigNumber b -> bigNumber(b.value());
            case Frame.BulkError e -> bulkError(e.message());
            case Frame.VerbatimString v -> verbatim(v.format(), v.text());
            case Frame.Array a -> arrayHeader(a.elements().size()).elements(a.elements());
            case Frame.Set s -> setHeader(s.elements().size()).elements(s.elements());
            case Frame.Push p -> pushHeader(p.elements().size()).elements(p.elements());
            case Frame.Map m -> mapHeader(m.entries().size()).entries(m.entries());
            case Frame.Attribute a -> protocolVersion == 2
                    ? frame(a.value()) // RESP2 has no attributes: only the value they describe goes out
                    : header('|', a.attributes().size()).entries(a.attributes()).frame(a.value());
        };
    }
    // end::frame[]

    /** Writes everything buffered to {@code out}, flushes it and empties the buffer. */
    public void flushTo(OutputStream out) throws IOException {
        int from = 0;
        for (int i = 0; i < lentCount; i++) {
            out.write(buffer, from, lentAt[i] - from);
            out.write(lent[i]);
            from = lentAt[i];
        }
        out.write(buffer, from, size - from);
        out.flush();
        clear();
        if (buffer.length > MAX_RETAINED_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
    }

    /**
     * The bytes of the writer's own buffer, used or not (CLIENT LIST's {@code rbs}): 0 until the first reply. The
     * arrays lent by reference are not part of it.
     */
    public int capacity() {
        return buffer.length;
    }

    /**
     * Replaces the buffer with one of {@code capacity} bytes, as Redis's clientsCronResizeOutputBuffer resizes a
     * client's reply buffer; only while nothing is buffered. Returns whether it did.
     */
    public boolean resize(int capacity) {
        if (size != 0 || lentCount != 0 || capacity < 0) {
            return false;
        }
        if (capacity != buffer.length) {
            buffer = capacity == 0 ? NO_BUFFER : new byte[capacity];
        }
        return true;
    }

    /** A copy of the buffered bytes (for tests and clients). */
    public byte[] toByteArray() {
        if (lentCount == 0) {
            return Arrays.copyOf(buffer, size);
        }
        byte[] all = new byte[size()];
        int from = 0;
        int to = 0;
        for (int i = 0; i < lentCount; i++) {
            System.arraycopy(buffer, from, all, to, lentAt[i] - from);
            to += lentAt[i] - from;
            System.arraycopy(lent[i], 0, all, to, lent[i].length);
            to += lent[i].length;
            from = lentAt[i];
        }
        System.arraycopy(buffer, from, all, to, size - from);
        return all;
    }

    /** Empties the buffer without writing it anywhere. */
    public void clear() {
        size = 0;
        if (lentCount > 0) {
            Arrays.fill(lent, 0, lentCount, null); // the values are the caller's: not kept past the flush
            lentCount = 0;
            lentBytes = 0;
        }
    }

    /** Drops what was written after the first {@code size} bytes, e.g. the half-written reply of a failed command. */
    public void truncate(int size) {
        if (size < 0 || size > size()) {
            throw new IllegalArgumentException("cannot truncate " + size() + " bytes to " + size);
        }
        if (lentCount > 0) { // rare (a failed command after a large bulk string): copy the lent arrays in first
            byte[] all = toByteArray();
            clear();
            buffer = all.length > buffer.length ? all : buffer;
            System.arraycopy(all, 0, buffer, 0, size);
        }
        this.size = size;
    }

    private RespWriter elements(List<Frame> elements) {
        for (Frame element : elements) {
            frame(element);
        }
        return this;
    }

    private RespWriter entries(List<Frame.Entry> entries) {
        for (Frame.Entry entry : entries) {
            frame(entry.key());
            frame(entry.value());
        }
        return this;
    }

    private RespWriter header(char type, long count) {
        ensureCapacity(1 + 20 + 2);
        buffer[size++] = (byte) type;
        size = AsciiLong.write(count, buffer, size);
        return crlf();
    }

    private RespWriter lengthPrefixed(char type, byte[] bytes, int offset, int length) {
        ensureCapacity(1 + 20 + 2 + length + 2);
        buffer[size++] = (byte) type;
        size = AsciiLong.write(length, buffer, size);
        buffer[size++] = '\r';
        buffer[size++] = '\n';
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
        buffer[size++] = '\r';
        buffer[size++] = '\n';
        return this;
    }

    /** {@code $n\r\n}, the array by reference, {@code \r\n}. */
    private RespWriter lend(byte[] value) {
        header('$', value.length);
        if (lentCount == lent.length) {
            lent = Arrays.copyOf(lent, Math.max(4, 2 * lentCount));
            lentAt = Arrays.copyOf(lentAt, lent.length);
        }
        lent[lentCount] = value;
        lentAt[lentCount++] = size;
        lentBytes += value.length;
        return crlf();
    }

    private RespWriter crlf() {
        ensureCapacity(2);
        buffer[size++] = '\r';
        buffer[size++] = '\n';
        return this;
    }

    /** One byte per char, CR and LF as spaces: the body of a simple string or an error line. */
    private void writeLine(String value) {
        int length = value.length();
        ensureCapacity(length);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            buffer[size++] = c == '\r' || c == '\n' ? (byte) ' ' : (byte) c;
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
            long wanted = Math.max(Math.max(INITIAL_CAPACITY, 2L * buffer.length), (long) size + extra);
            buffer = Arrays.copyOf(buffer, (int) Math.min(wanted, ProtocolLimits.MAX_ARRAY_LENGTH));
        }
    }
}
