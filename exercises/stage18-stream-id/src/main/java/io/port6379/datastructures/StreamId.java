// Exercise 18: your stream entry ID. It replaces the reference io.port6379.datastructures.StreamId, under the
// reference RedisStream and stream commands. Check it with `exercises/check 18`; talk to it with
// `exercises/run-server 18 --port 6380` and redis-cli (XADD s 5-1 f v, XADD s 5 f v, XRANGE s - +, XADD s 0-0 f v).
//
// What to build (chapter 18, "IDs"):
//  1. Order: ms then seq, both unsigned 64-bit held in a signed long (Long.compareUnsigned); MIN is 0-0, MAX is
//     18446744073709551615-18446744073709551615. isZero, next (the sequence wraps into the next millisecond;
//     null after MAX) and previous (null before 0-0).
//  2. Text: toString and bytes() are "ms-seq" with both parts unsigned (Long.toUnsignedString).
//  3. raxKey(): the 16 big-endian bytes, ms then seq, so that byte order is ID order; ofRaxKey reads them back.
//  4. parse(): Redis's streamGenericParseIDOrReply. "-" is MIN and "+" is MAX unless strict; "ms" alone takes
//     missingSeq as its sequence; "ms-seq" (split at the first '-'); "ms-*" only where starAllowed (then seq 0 and
//     seqGiven false). Read both numbers with unsigned() (given: Redis's string2ull, strtoull's rules and all).
//     An argument of more than 127 bytes is invalid, and a shorter one is read as C reads it, up to a NUL byte.
//     Null for anything else (the caller answers INVALID).
// Tests: datastructures/src/test/java/io/port6379/datastructures/RedisStreamProperties.java (a stream agrees with a
// sorted map whatever the operations, IDs included), then server/src/test/java/io/port6379/server/
// StreamIdCommandsTest.java: XADD, XRANGE, XREVRANGE, XDEL, XSETID and XINFO over the socket, every reply compared
// with a real redis-server's (IDs past 2^63, exclusive ranges at 0-0 and at the maximum, every malformed ID).
// Given: unsigned(), the number parser.
// The reference solution is datastructures/src/main/java/io/port6379/datastructures/StreamId.java.
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
        throw new UnsupportedOperationException("exercise 18: compareTo()");
    }

    /** Whether this is 0-0. O(1). */
    public boolean isZero() {
        throw new UnsupportedOperationException("exercise 18: isZero()");
    }

    /** The next ID (Redis's {@code streamIncrID}), or null after the last possible one. O(1). */
    public StreamId next() {
        throw new UnsupportedOperationException("exercise 18: next()");
    }

    /** The previous ID (Redis's {@code streamDecrID}), or null before 0-0. O(1). */
    public StreamId previous() {
        throw new UnsupportedOperationException("exercise 18: previous()");
    }

    @Override
    public String toString() {
        throw new UnsupportedOperationException("exercise 18: toString()");
    }

    /** The reply form, {@code ms-seq} in ASCII. O(1). */
    public byte[] bytes() {
        throw new UnsupportedOperationException("exercise 18: bytes()");
    }

    /** The 16 big-endian bytes Redis's radix tree files the node under ({@code streamEncodeID}). O(1). */
    public byte[] raxKey() {
        throw new UnsupportedOperationException("exercise 18: raxKey()");
    }

    /** The ID of a 16-byte big-endian key ({@code streamDecodeID}). O(1). */
    public static StreamId ofRaxKey(byte[] key) {
        throw new UnsupportedOperationException("exercise 18: ofRaxKey()");
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
        throw new UnsupportedOperationException("exercise 18: parse()");
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
