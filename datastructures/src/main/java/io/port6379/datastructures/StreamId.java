// A stream entry's ID: milliseconds and a sequence number, two unsigned 64-bit integers, and their text forms.
package io.port6379.datastructures;

import java.nio.charset.StandardCharsets;

/**
 * {@code <ms>-<seq>}, both unsigned 64-bit (held in Java's signed {@code long}, compared unsigned). IDs order
 * as 128-bit big-endian numbers, which is also the byte order of the radix-tree key Redis files a node under.
 *
 * @param ms  the milliseconds part, unsigned
 * @param seq the sequence part, unsigned
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {

    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    /** What a stream ID argument that cannot be read answers. */
    public static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    @Override
    public int compareTo(StreamId other) {
        int c = Long.compareUnsigned(ms, other.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, other.seq);
    }

    /** Whether this is 0-0. O(1). */
    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID (Redis's {@code streamIncrID}), or null after the last possible one. O(1). */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous ID (Redis's {@code streamDecrID}), or null before 0-0. O(1). */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** The reply form, {@code ms-seq} in ASCII. O(1). */
    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The 16 big-endian bytes Redis's radix tree files the node under ({@code streamEncodeID}). O(1). */
    public byte[] raxKey() {
        byte[] key = new byte[16];
        for (int i = 0; i < 8; i++) {
            key[i] = (byte) (ms >>> (56 - 8 * i));
            key[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return key;
    }

    /** The ID of a 16-byte big-endian key ({@code streamDecodeID}). O(1). */
    public static StreamId ofRaxKey(byte[] key) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = ms << 8 | (key[i] & 0xff);
            seq = seq << 8 | (key[8 + i] & 0xff);
        }
        return new StreamId(ms, seq);
    }

    /**
     * The outcome of reading an ID argument: the ID and whether its sequence was given ({@code ms-*} and, for
     * XADD, a bare {@code ms} read with sequence {@code missingSeq} count as given only for the latter).
     */
    public record Parsed(StreamId id, boolean seqGiven) {
    }

    /**
     * Redis's {@code streamGenericParseIDOrReply}: {@code -} and {@code +} (unless {@code strict}), {@code ms} (the
     * sequence is then {@code missingSeq}), {@code ms-seq}, and {@code ms-*} where {@code starAllowed}. Returns null
     * for anything else. The text is read as C reads it: up to a NUL, at most 127 bytes. O(length).
     */
    public static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean starAllowed) {
        if (arg.length > 127) {
            return null;
        }
        int length = 0;
        while (length < arg.length && arg[length] != 0) {
            length++;
        }
        if (length == 1 && (arg[0] == '-' || arg[0] == '+')) {
            if (strict) {
                return null;
            }
            return new Parsed(arg[0] == '-' ? MIN : MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < length; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        Long ms = unsigned(arg, 0, dash < 0 ? length : dash);
        if (ms == null) {
            return null;
        }
        if (dash < 0) {
            return new Parsed(new StreamId(ms, missingSeq), true);
        }
        if (starAllowed && length - dash - 1 == 1 && arg[dash + 1] == '*') {
            return new Parsed(new StreamId(ms, 0), false);
        }
        Long seq = unsigned(arg, dash + 1, length);
        return seq == null ? null : new Parsed(new StreamId(ms, seq), true);
    }

    /**
     * Redis's {@code string2ull}: a canonical signed 64-bit integer that is not negative, or else what C's
     * {@code strtoull} reads in full (leading spaces, a sign — a minus negates modulo 2^64 — and digits up to
     * 2^64-1). Null when neither reads it. O(length).
     */
    private static Long unsigned(byte[] s, int from, int to) {
        byte[] part = java.util.Arrays.copyOfRange(s, from, to);
        if (part.length <= 20 && RedisNumbers.isLong(part)) {
            long v = RedisNumbers.parseLong(part);
            return v < 0 ? null : v;
        }
        int i = 0;
        while (i < part.length && (part[i] == ' ' || (part[i] >= '\t' && part[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < part.length && (part[i] == '+' || part[i] == '-')) {
            negative = part[i] == '-';
            i++;
        }
        if (i == part.length) {
            return null;
        }
        long value = 0;
        for (; i < part.length; i++) {
            int digit = part[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            long high = Math.unsignedMultiplyHigh(value, 10);
            long times10 = value * 10;
            long sum = times10 + digit;
            if (high != 0 || Long.compareUnsigned(sum, times10) < 0) {
                return null; // ERANGE
            }
            value = sum;
        }
        return negative ? -value : value;
    }
}
