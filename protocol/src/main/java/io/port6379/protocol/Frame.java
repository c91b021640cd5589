// One RESP value. RESP2 knows five of these types; RESP3 (sent after HELLO 3) adds the rest.
// The record names follow the RESP3 specification, so always write them qualified: Frame.Integer, Frame.Map.
package io.port6379.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A RESP frame: the value model shared by the decoder, the encoder, the server and the test clients.
 *
 * <p>The first byte on the wire names the type: {@code + - : $ *} in RESP2, and RESP3 adds
 * {@code _ , # ( = ! % ~ > |}. Binary-safe payloads are {@code byte[]}; the records holding one compare it by
 * content, so frames can be compared in tests and properties. Aggregates keep their elements in wire order
 * (a {@link Map} is a list of entries, not a {@code java.util.Map}, because the wire allows any key, even twice).
 *
 * <p>Frames are immutable values as long as nobody mutates the arrays they were built from.
 */
public sealed interface Frame {

    /** {@code +OK\r\n} — a short status line without CR or LF. */
    record SimpleString(String value) implements Frame {
        public SimpleString {
            Objects.requireNonNull(value);
        }
    }

    /** {@code -ERR message\r\n}; the first word is the error code ({@code ERR}, {@code WRONGTYPE}...). */
    record SimpleError(String message) implements Frame {
        public SimpleError {
            Objects.requireNonNull(message);
        }
    }

    /** {@code :42\r\n} — a signed 64-bit integer. */
    record Integer(long value) implements Frame {}

    /** {@code $5\r\nhello\r\n} — a binary-safe string. */
    record BulkString(byte[] value) implements Frame {
        public BulkString {
            Objects.requireNonNull(value);
        }

        /** The UTF-8 bytes of {@code value}. */
        public static BulkString of(String value) {
            return new BulkString(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkString other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BulkString[" + Printable.of(value) + "]";
        }
    }

    /** {@code *2\r\n...} — an ordered list of frames. */
    record Array(List<Frame> elements) implements Frame {
        public Array {
            elements = List.copyOf(elements);
        }
    }

    /** The absent value: RESP2's {@code $-1} and {@code *-1}, RESP3's {@code _}. */
    record Null() implements Frame {}

    /** RESP3 {@code ,3.14\r\n} (also {@code ,inf}, {@code ,-inf}, {@code ,nan}); RESP2 sends a bulk string. */
    record Double(double value) implements Frame {}

    /** RESP3 {@code #t\r\n} / {@code #f\r\n}; RESP2 sends {@code :1} / {@code :0}. */
    record Boolean(boolean value) implements Frame {}

    /** RESP3 {@code (3492890328409238509324850943850943825024385\r\n}; RESP2 sends a bulk string. */
    record BigNumber(BigInteger value) implements Frame {
        public BigNumber {
            Objects.requireNonNull(value);
        }
    }

    /** RESP3 {@code !21\r\nSYNTAX invalid syntax\r\n} — an error that may hold any bytes. */
    record BulkError(byte[] message) implements Frame {
        public BulkError {
            Objects.requireNonNull(message);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkError other && Arrays.equals(message, other.message);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(message);
        }

        @Override
        public String toString() {
            return "BulkError[" + Printable.of(message) + "]";
        }
    }

    /**
     * RESP3 {@code =15\r\ntxt:Some string\r\n}: a string with a three-letter format ({@code txt}, {@code mkd}).
     * RESP2 sends only the text, as a bulk string.
     */
    record VerbatimString(String format, byte[] text) implements Frame {
        public VerbatimString {
            if (format.length() != 3) {
                throw new IllegalArgumentException("a verbatim format has three characters: " + format);
            }
            Objects.requireNonNull(text);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VerbatimString other && format.equals(other.format) && Arrays.equals(text, other.text);
        }

        @Override
        public int hashCode() {
            return 31 * format.hashCode() + Arrays.hashCode(text);
        }

        @Override
        public String toString() {
            return "VerbatimString[" + format + ":" + Printable.of(text) + "]";
        }
    }

    /** One key and its value, in a {@link Map} or an {@link Attribute}. */
    record Entry(Frame key, Frame value) {
        public Entry {
            Objects.requireNonNull(key);
            Objects.requireNonNull(value);
        }
    }

    /** RESP3 {@code %2\r\n} followed by key, value, key, value; RESP2 sends a flat array of 2n frames. */
    record Map(List<Entry> entries) implements Frame {
        public Map {
            entries = List.copyOf(entries);
        }
    }

    /** RESP3 {@code ~3\r\n...} — an unordered collection; RESP2 sends an array. */
    record Set(List<Frame> elements) implements Frame {
        public Set {
            elements = List.copyOf(elements);
        }
    }

    /** RESP3 {@code >3\r\n...} — out-of-band data such as a pub/sub message; RESP2 sends an array. */
    record Push(List<Frame> elements) implements Frame {
        public Push {
            elements = List.copyOf(elements);
        }
    }

    /**
     * RESP3 {@code |1\r\n} with key-value pairs, then the frame they describe: metadata a client may ignore.
     * We keep the described frame inside, so a decoder yields one frame either way. RESP2 sends only {@code value}.
     */
    record Attribute(List<Entry> attributes, Frame value) implements Frame {
        public Attribute {
            attributes = List.copyOf(attributes);
            Objects.requireNonNull(value);
        }
    }
}
