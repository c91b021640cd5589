// Exercise 17: your bit commands over strings. It replaces the reference io.port6379.datastructures.Bitmaps, under
// the reference BitmapCommands. Check it with `exercises/check 17`; talk to it with
// `exercises/run-server 17 --port 6380` and redis-cli (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD).
//
// What to build, in the order the tests check it (chapter 17, "Bitmaps"):
//  1. Bit order: bit n is bit 7 - n % 8 of byte n / 8 (bit 0 is the most significant bit of the first byte); a
//     missing key or a bit beyond the end reads 0. getBit, getField (a bits-wide field, most significant first).
//  2. setBit and bitfield write: a missing key is created, a short string grown with zero bytes up to the last
//     bit written (even when BITFIELD's OVERFLOW FAIL then writes nothing), the key's expiry kept; the string is
//     raw afterwards. Strings are shared (a snapshot may hold their bytes): change bytes in place only in a
//     RedisString.writable() copy, as the class comment says. WrongTypeException for a key of another type.
//  3. Counting a 64-bit word at a time: popcount (Long.bitCount over eight bytes read as one big-endian long:
//     WORD is given), bitCount (BYTE or BIT ranges, negative indexes from the end, as BITCOUNT), bitPos and
//     firstBit (BITPOS, with Redis's rule that looking for 0 past the end of a string with no end given answers
//     the bit after the string).
//  4. bitop: AND, OR, XOR over sources of different lengths (the short ones padded with zeros), NOT of one.
//  5. BITFIELD's arithmetic: signedResult and unsignedResult apply OVERFLOW WRAP, SAT or FAIL (null) to
//     value + incr within `bits` bits.
// Tests: datastructures/src/test/java/io/port6379/datastructures/BitmapsProperties.java (every operation agrees
// with a java.util.BitSet model) and WritableStringTest.java (SETBIT and BITFIELD change a writable string in place,
// and copy a shared one first); then server/src/test/java/io/port6379/server/BitmapCommandsTest.java, the same five
// items as commands over the socket (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD), every reply compared with a
// real redis-server's: the errors (bit not 0 or 1, offset out of range, BITOP NOT of two keys, WRONGTYPE) included.
// The reference solution is datastructures/src/main/java/io/port6379/datastructures/Bitmaps.java.
package io.port6379.datastructures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis has no bitmap type: the bit commands work on strings. Bit {@code n} is bit {@code 7 - n % 8} of byte
 * {@code n / 8}, so bit 0 is the <em>most</em> significant bit of the first byte, and a string read as a bitmap is
 * read left to right like the binary digits it prints as: {@code "\x80"} has bit 0 set. A missing key is an
 * endless run of zero bits; writing past the end pads the string with zero bytes.
 *
 * <p>The counting commands go a 64-bit word at a time: eight bytes read as one big-endian {@code long}, so that
 * {@link Long#bitCount} counts them at once and {@link Long#numberOfLeadingZeros} finds the first set bit in bit
 * order. BITOP combines whole words the same way.
 *
 * <p>Strings are immutable here (an RDB snapshot shares their bytes), except a {@linkplain RedisString#writable
 * writable} one: SETBIT and BITFIELD change that in place in O(1), as Redis changes its buffer, and copy the
 * string, O(N), only to make it writable (after a GET, a snapshot, any read that handed its bytes out) or to
 * grow it.
 */
public final class Bitmaps {

    /** Eight bytes of a {@code byte[]} as one long, the first byte in the top bits, at any index. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bitmaps() {
    }

    /** What SETBIT did: the bit's old value, and whether the string changed (created, grown or the bit flipped). */
    public record SetBitResult(int previous, boolean changed) {
    }

    /**
     * SETBIT: sets the bit at {@code offset} to {@code on} (0 or 1), keeping the key's expiry. As Redis's
     * {@code lookupStringForBitCommand}, a missing key is created and a short string grown with zero bytes, and
     * the string is then {@code raw} even when nothing changed. O(1) on a writable string long enough, else O(N) in
     * the string's length (a copy).
     *
     * @throws WrongTypeException for a key of another type
     */
    public static SetBitResult setBit(Keyspace keyspace, Bytes key, long offset, int on) {
        throw new UnsupportedOperationException("exercise 17: setBit()");
    }


    /** GETBIT: the bit at {@code offset} of {@code bytes}, 0 beyond the end. O(1). */
    public static int getBit(byte[] bytes, long offset) {
        throw new UnsupportedOperationException("exercise 17: getBit()");
    }

    /**
     * BITCOUNT with a range: the set bits from {@code start} to {@code end} inclusive, counted in bytes or, with
     * {@code inBits}, in bits. As Redis's {@code bitcountCommand}: negative indexes count from the end, an
     * empty range counts 0, and in bits the bytes at both edges are counted whole and then the bits outside the
     * range taken off again. O(N) in the range, 64 bits at a time.
     */
    public static long bitCount(byte[] bytes, long start, long end, boolean inBits) {
        throw new UnsupportedOperationException("exercise 17: bitCount()");
    }

    /** The set bits in {@code length} bytes from {@code from}: eight bytes at a time, then the rest one by one. O(N). */
    public static long popcount(byte[] bytes, int from, int length) {
        throw new UnsupportedOperationException("exercise 17: popcount()");
    }

    /**
     * BITPOS with a range: the first bit equal to {@code bit} from {@code start} to {@code end}, counted in bytes
     * or bits, or -1. A port of Redis 7.0's {@code bitposCommand}, quirks included: looking for a 0 in a range of
     * ones without an explicit end answers the bit just after the range (the string is thought of as padded
     * with zeros to the right), but with an explicit end it answers -1. O(N) in the range.
     */
    public static long bitPos(byte[] p, int bit, long start, long end, boolean endGiven, boolean inBits) {
        throw new UnsupportedOperationException("exercise 17: bitPos()");
    }

    /**
     * Redis's {@code redisBitpos}: the position of the first bit equal to {@code bit} in {@code count} bytes from
     * {@code from}, relative to {@code from}. When there is none: -1 when looking for a 1, but {@code count * 8}
     * (the first bit after the bytes) when looking for a 0. Eight bytes at a time: a word that is all zeros (all
     * ones when looking for a 0) is skipped, otherwise its leading zeros say where the bit is. O(N).
     */
    public static long firstBit(byte[] bytes, int from, long count, int bit) {
        throw new UnsupportedOperationException("exercise 17: firstBit()");
    }

    /** BITOP's operations. */
    public enum BitOp { AND, OR, XOR, NOT }

    /**
     * BITOP: {@code sources} combined byte by byte (a null source is a missing key, read as an empty string). The
     * result is as long as the longest source; a shorter source counts as padded with zero bytes, so AND with a
     * missing key is all zeros. NOT takes one source. O(N) in the longest source, 64 bits at a time.
     */
    public static byte[] bitop(BitOp op, byte[][] sources) {
        throw new UnsupportedOperationException("exercise 17: bitop()");
    }


    /** BITFIELD's OVERFLOW behaviours for SET and INCRBY: wrap around (the default), saturate, or refuse. */
    public enum Overflow { WRAP, SAT, FAIL }

    /** One BITFIELD subcommand: {@code GET type offset}, {@code SET type offset value}, {@code INCRBY type offset increment}. */
    public record FieldOp(Kind kind, boolean signed, int bits, long offset, long value, Overflow overflow) {

        /** The subcommands that operate on a field (OVERFLOW only changes the ones after it). */
        public enum Kind { GET, SET, INCRBY }
    }

    /** What BITFIELD's writes did: one reply per subcommand (null where FAIL refused), and the changes counted. */
    public record FieldResult(List<Long> replies, int changes) {
    }

    /**
     * BITFIELD with at least one SET or INCRBY, in order, on the string under {@code key}: grown first (or
     * created) up to the last bit any write reaches, as Redis does, even when OVERFLOW FAIL then writes
     * nothing. A SET or INCRBY that writes counts as a change when the field's value changed, or, as Redis
     * counts, whenever the string was created or grown for this call. O(1) per
     * subcommand on a writable string, plus O(N) in the string's length to copy any other.
     *
     * @throws WrongTypeException for a key of another type
     */
    public static FieldResult bitfield(Keyspace keyspace, Bytes key, List<FieldOp> ops) {
        throw new UnsupportedOperationException("exercise 17: bitfield()");
    }

    /** The {@code bits}-wide field at bit {@code offset}, most significant bit first, zeros beyond the end. O(bits). */
    public static long getField(byte[] bytes, long offset, int bits, boolean signed) {
        throw new UnsupportedOperationException("exercise 17: getField()");
    }

    /**
     * Redis's {@code checkSignedBitfieldOverflow}: {@code value + incr} as a signed field of {@code bits} bits,
     * wrapped, saturated, or null when FAIL refuses an overflow. SET calls it with the new value and 0.
     */
    static Long signedResult(long value, long incr, int bits, Overflow overflow) {
        throw new UnsupportedOperationException("exercise 17: signedResult()");
    }


    /**
     * Redis's {@code checkUnsignedBitfieldOverflow} (at most 63 bits): {@code value} is read as unsigned, so SET
     * u8 with -1 is an overflow (wrapped to 255, saturated to 255).
     */
    static Long unsignedResult(long value, long incr, int bits, Overflow overflow) {
        throw new UnsupportedOperationException("exercise 17: unsignedResult()");
    }

}
