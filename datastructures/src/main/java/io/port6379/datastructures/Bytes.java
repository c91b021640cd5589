// A binary-safe byte string: the type of every key and value. Redis keys are bytes, not text.
package io.port6379.datastructures;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte sequence with value semantics: {@link #equals} and {@link #hashCode} by content, and
 * {@link #compareTo} as unsigned lexicographic order, the order of C's {@code memcmp} that Redis uses for
 * lexicographic ranges. The array passed to {@link #of(byte[])} is not copied: callers hand over ownership.
 */
public final class Bytes implements Comparable<Bytes> {

    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;
    private int hash;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps {@code bytes} without copying; the caller must not change the array afterwards. O(1). */
    public static Bytes of(byte[] bytes) {
        return new Bytes(bytes);
    }

    /** The UTF-8 bytes of {@code text}. O(N). */
    public static Bytes of(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes themselves, not a copy: do not modify. O(1). */
    public byte[] array() {
        return bytes;
    }

    /** The number of bytes. O(1). */
    public int length() {
        return bytes.length;
    }

    /** The byte at {@code index}. O(1). */
    public byte byteAt(int index) {
        return bytes[index];
    }

    // tag::bytes[]
    /** Equal when the contents are equal. O(N). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    /** Java's polynomial hash of the bytes, computed once and cached. O(N) the first time, then O(1). */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** Unsigned lexicographic comparison, as {@code memcmp} then length. O(N). */
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
    // end::bytes[]

    /** The bytes decoded as UTF-8, for messages and debugging only. */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
