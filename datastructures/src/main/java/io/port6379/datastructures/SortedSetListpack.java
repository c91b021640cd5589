// The compact form of a small sorted set, after Redis's listpack: every element in one byte array, in order.
package io.port6379.datastructures;

import java.util.Arrays;

/*
 * A sorted set of a few dozen members does not need a skip list and a hash table: with N at most 128 (Redis's
 * zset-max-listpack-entries), a linear scan over contiguous bytes costs less than the pointer chasing it
 * saves, and the memory is a fraction. So, like Redis's listpack, the small form is one byte array holding
 * the elements in (score, member) order, each as
 *
 *      [member length: varint][member bytes][score]
 *
 * The score is a varint too. An even value v is an integral score, zigzag-encoded and shifted left by one bit,
 * so the scores 0..63 and -1..-64 take one byte, as a listpack stores small integers; the value 1 announces
 * a raw 8-byte IEEE double instead (0.5, 1e300, inf). Like Redis, which writes a score with d2string and stores
 * "-0" as the integer 0, -0.0 is kept as the integer 0: a small set reads it back as 0, a skip list as -0.
 *
 * The array has no spare room: an insert or delete allocates the new size and copies the two sides around the
 * change, O(N) bytes, which is what a listpack's realloc and memmove cost too.
 */

/**
 * The listpack form of {@link RedisSortedSet}. Elements are addressed by the byte offset at which they start
 * (the first is at 0); {@link #next} moves to the following one. Every operation is O(N), N the number of
 * elements, or O(N) bytes. Not thread-safe.
 */
final class SortedSetListpack {

    private static final byte[] EMPTY = {};
    /** The score-varint value that announces an 8-byte double. */
    private static final int RAW_DOUBLE = 1;
    /** Integral scores of magnitude below this are stored as integers (exact in a double). */
    private static final long INTEGER_LIMIT = 1L << 52;

    private byte[] entries = EMPTY;
    private int size;

    /** The number of elements. O(1). */
    int size() {
        return size;
    }

    /** The bytes the elements take. O(1). */
    int bytes() {
        return entries.length;
    }

    /** This object and its byte array. O(1). */
    long memoryUsage() {
        return MemorySizes.object(1, 1, 0) + MemorySizes.byteArray(entries.length);
    }

    /** The offset of the first element, or -1 when empty. O(1). */
    int first() {
        return size == 0 ? -1 : 0;
    }

    /** The offset of the last element, or -1 when empty. O(N): the elements are walked from the first. */
    int last() {
        int at = first();
        for (int next = at; next >= 0; next = next(next)) {
            at = next;
        }
        return at;
    }

    /** The offset of the element after the one at {@code at}, or -1 after the last. O(1). */
    int next(int at) {
        int end = scoreEnd(memberEnd(at));
        return end == entries.length ? -1 : end;
    }

    /** The offsets of all elements, by rank: what a walk backwards or a jump to a rank needs. O(N). */
    int[] offsets() {
        int[] offsets = new int[size];
        for (int i = 0, at = 0; i < size; i++, at = scoreEnd(memberEnd(at))) {
            offsets[i] = at;
        }
        return offsets;
    }

    /** A copy of the member of the element at {@code at}. O(member length). */
    byte[] member(int at) {
        int length = varint(at);
        int start = at + varintSize(length);
        return Arrays.copyOfRange(entries, start, start + length);
    }

    /** The score of the element at {@code at}. O(1). */
    double score(int at) {
        int scoreAt = memberEnd(at);
        long v = varintLong(scoreAt);
        if (v == RAW_DOUBLE) {
            return Double.longBitsToDouble(readLong(scoreAt + 1));
        }
        return (double) ((v >>> 2) ^ -((v >>> 1) & 1)); // undo the shift, then the zigzag
    }

    /** Compares the member at {@code at} with {@code other} as memcmp (unsigned bytes), in place. O(length). */
    int compareMember(int at, byte[] other) {
        int length = varint(at);
        int start = at + varintSize(length);
        return Arrays.compareUnsigned(entries, start, start + length, other, 0, other.length);
    }

    /** Whether the member at {@code at} is {@code member}. O(length). */
    boolean memberEquals(int at, byte[] member) {
        int length = varint(at);
        int start = at + varintSize(length);
        return length == member.length && Arrays.equals(entries, start, start + length, member, 0, length);
    }

    /** The 0-based rank of {@code member}, or -1 when absent: counting while scanning, as ZRANK on a listpack. O(N). */
    int rank(byte[] member) {
        int rank = 0;
        for (int at = first(); at >= 0; at = next(at), rank++) {
            if (memberEquals(at, member)) {
                return rank;
            }
        }
        return -1;
    }

    // tag::listpack-find[]
    /** The offset of {@code member}'s element, or -1: a linear scan that compares bytes in place. O(N). */
    int find(byte[] member) {
        int n = member.length;
        for (int at = 0; at < entries.length; ) {
            int length = varint(at);
            int start = at + varintSize(length);
            if (length == n && Arrays.equals(entries, start, start + n, member, 0, n)) {
                return at;
            }
            at = scoreEnd(start + length);
        }
        return -1;
    }
    // end::listpack-find[]

    // tag::listpack-insert[]
    /**
     * Inserts a member that is not in the set yet, before the first element that sorts after it by score
     * (C's {@code <}, so -0.0 equals 0.0) then member bytes. O(N).
     */
    void insert(double score, byte[] member) {
        int at = 0;
        while (at < entries.length) {
            double s = score(at);
            if (s > score || (s == score && compareMember(at, member) > 0)) {
                break;
            }
            at = scoreEnd(memberEnd(at));
        }
        byte[] grown = new byte[entries.length + encodedSize(score, member)];
        System.arraycopy(entries, 0, grown, 0, at);
        int after = encode(score, member, grown, at); // in place: no array for the element alone
        System.arraycopy(entries, at, grown, after, entries.length - at);
        entries = grown;
        size++;
    }
    // end::listpack-insert[]

    /** Removes the element at {@code at}. O(N). */
    void delete(int at) {
        deleteRun(at, scoreEnd(memberEnd(at)), 1);
    }

    /** Removes the {@code count} elements that occupy the bytes [from, to). O(N). */
    void deleteRun(int from, int to, int count) {
        int length = entries.length - (to - from);
        byte[] shrunk = length == 0 ? EMPTY : new byte[length]; // ZPOPMIN of the last element: no array at all
        System.arraycopy(entries, 0, shrunk, 0, from);
        System.arraycopy(entries, to, shrunk, from, entries.length - to);
        entries = shrunk;
        size -= count;
    }

    /** The end of the bytes of the element starting at {@code at} (the start of the next one, or the length). */
    int end(int at) {
        return scoreEnd(memberEnd(at));
    }

    /** A copy with its own array, as COPY needs. O(N). */
    SortedSetListpack copy() {
        SortedSetListpack copy = new SortedSetListpack();
        copy.entries = entries.clone();
        copy.size = size;
        return copy;
    }

    /** Structural self-check for tests: null when the elements are in strict order. O(N). */
    String checkInvariants() {
        int count = 0;
        int previous = -1;
        for (int at = 0; at < entries.length; at = scoreEnd(memberEnd(at)), count++) {
            if (previous >= 0) {
                double p = score(previous);
                double s = score(at);
                if (p > s || (p == s && compareMember(previous, member(at)) >= 0)) {
                    return "listpack order at rank " + count;
                }
            }
            previous = at;
        }
        return count == size ? null : "listpack holds " + count + " elements, size says " + size;
    }

    // ---- the encoding

    /** The score's varint: an integral score zigzag-encoded and shifted left, or {@link #RAW_DOUBLE}. */
    private static long scoreVarint(double score) {
        long integral = (long) score;
        boolean integer = Math.abs(score) < INTEGER_LIMIT && integral == score; // true for -0.0 too
        return integer ? ((integral << 1) ^ (integral >> 63)) << 1 : RAW_DOUBLE;
    }

    /** The bytes {@link #encode} writes for the element. */
    private static int encodedSize(double score, byte[] member) {
        long v = scoreVarint(score);
        return varintSize(member.length) + member.length + (v == RAW_DOUBLE ? 1 + Long.BYTES : varintSize(v));
    }

    /** Writes the element into {@code target} from offset {@code at}; returns the offset after it. */
    private static int encode(double score, byte[] member, byte[] target, int at) {
        at = writeVarint(target, at, member.length);
        System.arraycopy(member, 0, target, at, member.length);
        long v = scoreVarint(score);
        at = writeVarint(target, at + member.length, v);
        if (v == RAW_DOUBLE) {
            long bits = Double.doubleToRawLongBits(score);
            for (int i = 0; i < Long.BYTES; i++) {
                target[at + i] = (byte) (bits >>> (8 * (7 - i)));
            }
            at += Long.BYTES;
        }
        return at;
    }

    private int memberEnd(int at) {
        int length = varint(at);
        return at + varintSize(length) + length;
    }

    private int scoreEnd(int scoreAt) {
        if (entries[scoreAt] == RAW_DOUBLE) {
            return scoreAt + 1 + Long.BYTES;
        }
        while (entries[scoreAt] < 0) { // continuation bit set
            scoreAt++;
        }
        return scoreAt + 1;
    }

    private int varint(int at) {
        return (int) varintLong(at);
    }

    private long varintLong(int at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = entries[at++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    private long readLong(int at) {
        long bits = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            bits = (bits << 8) | (entries[at + i] & 0xff);
        }
        return bits;
    }

    private static int writeVarint(byte[] target, int at, long value) {
        while ((value & ~0x7fL) != 0) {
            target[at++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        target[at++] = (byte) value;
        return at;
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7fL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }
}
