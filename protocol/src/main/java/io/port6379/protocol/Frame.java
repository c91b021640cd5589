// One RESP value. RESP2 knows five of these types; RESP3 (sent after HELLO 3) adds the rest.
// The record names follow the RESP3 specification, so always write them qualified: Frame.Integer, Frame.Map.
package io.port6379.protocol;

import java.util.List;

/**
 * A RESP frame: the value model shared by the decoder, the encoder, the server and the test clients.
 *
 * <p>Bulk payloads are binary-safe {@code byte[]}; records holding arrays compare them by content
 * (see {@link BulkString#equals}), so frames can be compared in tests and properties.
 */
public sealed interface Frame {

    /** {@code +OK\r\n} — a short, non-binary status line. */
    record SimpleString(String value) implements Frame {}

    /** {@code -ERR message\r\n}; the first word is the error code ({@code ERR}, {@code WRONGTYPE}...). */
    record SimpleError(String message) implements Frame {}

    /** {@code :42\r\n} — a signed 64-bit integer. */
    record Integer(long value) implements Frame {}

    /** {@code $5\r\nhello\r\n} — a binary-safe string. */
    record BulkString(byte[] value) implements Frame {
        @Override
        public boolean equals(Object o) {
            return o instanceof BulkString other && java.util.Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BulkString[" + new String(value, java.nio.charset.StandardCharsets.UTF_8) + "]";
        }
    }

    /** {@code *2\r\n...} — an ordered list of frames. */
    record Array(List<Frame> elements) implements Frame {}

    /** The absent value: RESP2's {@code $-1} and {@code *-1}, RESP3's {@code _}. */
    record Null() implements Frame {}
}
