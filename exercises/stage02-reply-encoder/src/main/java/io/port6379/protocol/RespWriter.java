// Exercise 02: your RESP reply encoder. It replaces the reference io.port6379.protocol.RespWriter.
// Check it with `exercises/check 02`; talk to it with `exercises/run-server 02 --port 6380` and redis-cli.
package io.port6379.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encoder for RESP replies. Each method appends one frame (or a header) to an internal buffer that grows as
 * needed and is reused after {@link #flushTo}. The protocol version (2 or 3) decides how RESP3-only types
 * are written: in RESP2 a null is {@code $-1}, a map is a flat array of keys and values, a double is a bulk string.
 *
 * <p>Not thread-safe: one writer per connection.
 *
 * <p>What to build:
 * <ol>
 *   <li>One growable {@code byte[]} and a size. Every method appends and returns {@code this}, so replies chain:
 *       {@code writer.arrayHeader(2).bulkString("a").integer(1)}. Never build a reply as a {@code String}:
 *       payloads are binary, and a pipelined batch of replies must leave in one {@code write}.</li>
 *   <li>The RESP2 lines: {@code +OK\r\n}, {@code -ERR message\r\n}, {@code :42\r\n},
 *       {@code $5\r\nhello\r\n}, {@code *2\r\n}. Numbers are written in ASCII decimal, negative ones with '-'.</li>
 *   <li>Nulls depend on the protocol: RESP2 has two, {@code $-1\r\n} (no value) and {@code *-1\r\n}
 *       (no array); RESP3, chosen with {@code HELLO 3}, has one: {@code _\r\n}.</li>
 *   <li>{@link #frame} writes any {@link Frame} with the methods above; {@link #flushTo} writes the buffer out
 *       and empties it, keeping the array for the next batch.</li>
 * </ol>
 * The reference solution is protocol/src/main/java/io/port6379/protocol/RespWriter.java.
 */
public final class RespWriter {

    public int protocolVersion() {
        throw new UnsupportedOperationException("exercise 02: protocolVersion(): 2 until HELLO 3 switches it");
    }

    public void protocolVersion(int version) {
        throw new UnsupportedOperationException("exercise 02: protocolVersion(int): remember 2 or 3");
    }

    /** Bytes written and not yet flushed. */
    public int size() {
        throw new UnsupportedOperationException("exercise 02: size(): bytes buffered since the last flushTo");
    }

    /** {@code +value\r\n}. */
    public RespWriter simpleString(String value) {
        throw new UnsupportedOperationException("exercise 02: simpleString(): +value\\r\\n");
    }

    /** {@code -message\r\n}; {@code message} starts with the error code, e.g. {@code ERR syntax error}. */
    public RespWriter error(String message) {
        throw new UnsupportedOperationException("exercise 02: error(): -message\\r\\n");
    }

    /** {@code :value\r\n}. */
    public RespWriter integer(long value) {
        throw new UnsupportedOperationException("exercise 02: integer(): :value\\r\\n");
    }

    /** {@code $n\r\nbytes\r\n}. */
    public RespWriter bulkString(byte[] value) {
        throw new UnsupportedOperationException("exercise 02: bulkString(byte[]): $length\\r\\n then the bytes and \\r\\n");
    }

    /** A bulk string of the UTF-8 bytes of {@code value}. */
    public RespWriter bulkString(String value) {
        throw new UnsupportedOperationException("exercise 02: bulkString(String): the UTF-8 bytes as a bulk string");
    }

    /** The null bulk string: {@code $-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullBulkString() {
        throw new UnsupportedOperationException("exercise 02: nullBulkString(): $-1 in RESP2, _ in RESP3");
    }

    /** The null array: {@code *-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullArray() {
        throw new UnsupportedOperationException("exercise 02: nullArray(): *-1 in RESP2, _ in RESP3");
    }

    /** {@code *count\r\n}; the caller then writes {@code count} frames. */
    public RespWriter arrayHeader(int count) {
        throw new UnsupportedOperationException("exercise 02: arrayHeader(): *count\\r\\n");
    }

    /** Writes any frame. */
    public RespWriter frame(Frame frame) {
        throw new UnsupportedOperationException("exercise 02: frame(): switch over the Frame records");
    }

    /** Writes everything buffered to {@code out} and empties the buffer. */
    public void flushTo(OutputStream out) throws IOException {
        throw new UnsupportedOperationException("exercise 02: flushTo(): one write, then reuse the buffer");
    }

    /** A copy of the buffered bytes (for tests). */
    public byte[] toByteArray() {
        throw new UnsupportedOperationException("exercise 02: toByteArray(): a copy of what is buffered");
    }
}
