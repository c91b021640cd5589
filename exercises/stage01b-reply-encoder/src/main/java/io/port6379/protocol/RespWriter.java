// Exercise 02: your RESP reply encoder. It replaces the reference io.port6379.protocol.RespWriter.
// Check it with `exercises/check 01b`; talk to it with `exercises/run-server 01b --port 6380` and redis-cli.
package io.port6379.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;

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
 * bytes round-trips; they must not contain CR or LF.
 *
 * <p>What to build:
 * <ol>
 *   <li>One growable {@code byte[]} and a size. Every method appends and returns {@code this}, so replies chain:
 *       {@code writer.arrayHeader(2).bulkString("a").integer(1)}. Never build a reply as a {@code String}:
 *       payloads are binary, and a pipelined batch of replies must leave in one {@code write}
 *       ({@link #flushTo}), after which the same array is reused.</li>
 *   <li>The RESP2 types: {@code +OK\r\n}, {@code -ERR message\r\n}, {@code :42\r\n},
 *       {@code $5\r\nhello\r\n}, {@code *2\r\n}. Write numbers as ASCII digits straight into the buffer.</li>
 *   <li>The RESP3 types ({@code _}, {@code %}, {@code ~}, {@code >}, {@code ,}, {@code #}, {@code (},
 *       {@code =}, {@code !}) and what each becomes for a RESP2 client (see above): the version decides.</li>
 *   <li>{@link #frame} writes any {@link Frame}, recursing into aggregates.</li>
 * </ol>
 * Tests: protocol/src/test/java/io/port6379/protocol/FrameProperties.java: any frame written by your writer
 * reads back equal through the reference {@link FrameDecoder}, in RESP2 and RESP3.
 * The reference solution is protocol/src/main/java/io/port6379/protocol/RespWriter.java.
 *
 * <p>Not thread-safe: one writer per connection.
 */
public final class RespWriter {

    /** 2 or 3. */
    public int protocolVersion() {
        throw new UnsupportedOperationException("exercise 01b: protocolVersion()");
    }

    /** Switches between RESP2 and RESP3 for the following replies (HELLO does this). */
    public void protocolVersion(int version) {
        throw new UnsupportedOperationException("exercise 01b: protocolVersion()");
    }

    /** Bytes written and not yet flushed. */
    public int size() {
        throw new UnsupportedOperationException("exercise 01b: size()");
    }

    /** {@code +value\r\n}. */
    public RespWriter simpleString(String value) {
        throw new UnsupportedOperationException("exercise 01b: simpleString(): +value\\r\\n");
    }

    /** {@code -message\r\n}; {@code message} starts with the error code, e.g. {@code ERR syntax error}. */
    public RespWriter error(String message) {
        throw new UnsupportedOperationException("exercise 01b: error(): -message\\r\\n");
    }

    /** {@code :value\r\n}. */
    public RespWriter integer(long value) {
        throw new UnsupportedOperationException("exercise 01b: integer(): :value\\r\\n");
    }

    /** {@code $n\r\nbytes\r\n}. */
    public RespWriter bulkString(byte[] value) {
        throw new UnsupportedOperationException("exercise 01b: bulkString()");
    }

    /** A bulk string of the UTF-8 bytes of {@code value}. */
    public RespWriter bulkString(String value) {
        throw new UnsupportedOperationException("exercise 01b: bulkString()");
    }

    /** The null bulk string: {@code $-1} in RESP2, {@code _} in RESP3 (GET on a missing key). */
    public RespWriter nullBulkString() {
        throw new UnsupportedOperationException("exercise 01b: nullBulkString(): $-1 in RESP2, _ in RESP3");
    }

    /** The null array: {@code *-1} in RESP2, {@code _} in RESP3 (BLPOP timing out). */
    public RespWriter nullArray() {
        throw new UnsupportedOperationException("exercise 01b: nullArray(): *-1 in RESP2, _ in RESP3");
    }

    /** RESP3's null {@code _}; in RESP2 the null bulk string {@code $-1}, as Redis's addReplyNull does. */
    public RespWriter nullValue() {
        throw new UnsupportedOperationException("exercise 01b: nullValue()");
    }

    /** {@code *count\r\n}; the caller then writes {@code count} frames. */
    public RespWriter arrayHeader(int count) {
        throw new UnsupportedOperationException("exercise 01b: arrayHeader(): *count\\r\\n");
    }

    /** RESP3 {@code %count\r\n}, then count keys and values; RESP2 {@code *<2 count>\r\n}, a flat array. */
    public RespWriter mapHeader(int count) {
        throw new UnsupportedOperationException("exercise 01b: mapHeader()");
    }

    /** RESP3 {@code ~count\r\n}; RESP2 {@code *count\r\n}. */
    public RespWriter setHeader(int count) {
        throw new UnsupportedOperationException("exercise 01b: setHeader()");
    }

    /** RESP3 {@code >count\r\n} (pub/sub messages, invalidations); RESP2 {@code *count\r\n}. */
    public RespWriter pushHeader(int count) {
        throw new UnsupportedOperationException("exercise 01b: pushHeader()");
    }

    /**
     * A double as Redis 7.0 sends it: RESP3 {@code ,1.5\r\n} (or {@code ,inf}, {@code ,-inf}, {@code ,nan}),
     * RESP2 a bulk string; the digits are C's {@code %.17g}, so ZSCORE of 0.1 is {@code 0.10000000000000001}.
     */
    public RespWriter doubleValue(double value) {
        throw new UnsupportedOperationException("exercise 01b: doubleValue(): RESP3 ,1.5 / inf / -inf / nan; RESP2 a bulk string");
    }

    /**
     * A double whose digits the caller printed (GEOPOS's coordinates, {@code "%.17Lf"} without trailing zeros):
     * RESP3 {@code ,digits\r\n}, RESP2 a bulk string.
     */
    public RespWriter doubleValue(byte[] digits) {
        throw new UnsupportedOperationException("exercise 01b: doubleValue(byte[]): as doubleValue(double), with the digits given");
    }

    /** RESP3 {@code #t}/{@code #f}; RESP2 {@code :1}/{@code :0}. */
    public RespWriter bool(boolean value) {
        throw new UnsupportedOperationException("exercise 01b: bool()");
    }

    /** RESP3 {@code (digits\r\n}; RESP2 the digits as a bulk string. */
    public RespWriter bigNumber(BigInteger value) {
        throw new UnsupportedOperationException("exercise 01b: bigNumber()");
    }

    /** As {@link #bigNumber(BigInteger)}, with the digits given and written unchecked (a script's big_number). */
    public RespWriter bigNumber(byte[] digits) {
        throw new UnsupportedOperationException("exercise 01b: bigNumber(byte[]): as bigNumber(BigInteger), digits given");
    }

    /** RESP3 {@code =n\r\nfmt:text\r\n} with a three-letter format such as {@code txt}; RESP2 the text as a bulk string. */
    public RespWriter verbatim(String format, byte[] text) {
        throw new UnsupportedOperationException("exercise 01b: verbatim()");
    }

    /** RESP3 {@code !n\r\nmessage\r\n}; RESP2 a simple error, with CR and LF turned into spaces to keep it one line. */
    public RespWriter bulkError(byte[] message) {
        throw new UnsupportedOperationException("exercise 01b: bulkError()");
    }

    /** Writes any frame, in this writer's protocol version. */
    public RespWriter frame(Frame frame) {
        throw new UnsupportedOperationException("exercise 01b: frame(): switch over the Frame records");
    }

    /** Writes everything buffered to {@code out}, flushes it and empties the buffer. */
    public void flushTo(OutputStream out) throws IOException {
        throw new UnsupportedOperationException("exercise 01b: flushTo(): one write, then reuse the buffer");
    }

    // The server's cron resizes an idle client's buffer (CLIENT LIST's rbs): a writer that reports no buffer is left alone.
    public int capacity() {
        return 0;
    }

    public boolean resize(int capacity) {
        return false;
    }

    /** A copy of the buffered bytes (for tests and clients). */
    public byte[] toByteArray() {
        throw new UnsupportedOperationException("exercise 01b: toByteArray()");
    }

    /** Empties the buffer without writing it anywhere. */
    public void clear() {
        throw new UnsupportedOperationException("exercise 01b: clear()");
    }

    /** Drops what was written after the first {@code size} bytes, e.g. the half-written reply of a failed command. */
    public void truncate(int size) {
        throw new UnsupportedOperationException("exercise 01b: truncate(): the server calls it when a command fails"
                + " half-way; refuse a size below 0 or above size() with IllegalArgumentException");
    }

}
