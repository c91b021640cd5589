// Bitmaps: a string read as an array of bits (SETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD), bit 0 the top bit of byte 0.
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

    // tag::setbit[]
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
        Grown string = grownFor(keyspace, key, offset);
        byte[] bytes = string.bytes();
        int index = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        int previous = (bytes[index] & mask) != 0 ? 1 : 0;
        if (on == 1) {
            bytes[index] |= (byte) mask;
        } else {
            bytes[index] &= (byte) ~mask;
        }
        keyspace.setKeepTtl(key, string.string());
        return new SetBitResult(previous, string.grown() || previous != on);
    }
    // end::setbit[]

    // tag::grown[]
    /** The writable string now under {@code key}, its bytes, and whether it was created or made longer. */
    private record Grown(RedisString string, byte[] bytes, boolean grown) {
    }

    /**
     * Redis's {@code lookupStringForBitCommand}: the key's string, {@linkplain RedisString#writable writable} and
     * padded with zero bytes up to the byte holding {@code lastBit}; a missing key is created (without an expiry)
     * at that length. A writable string long enough is changed in place, O(1); any other is copied, O(N).
     */
    private static Grown grownFor(Keyspace keyspace, Bytes key, long lastBit) {
        long needed = (lastBit >>> 3) + 1;
        RedisString current = keyspace.get(key, RedisString.class);
        if (needed > Integer.MAX_VALUE - 8) {
            throw new RedisException(Strings.TOO_LONG); // only with a proto-max-bulk-len above 2 GB
        }
        if (current == null) {
            RedisString created = RedisString.writable(new byte[(int) needed]);
            keyspace.set(key, created);
            return new Grown(created, created.writableBytes(), true);
        }
        if (current.isWritable() && current.length() >= needed) {
            return new Grown(current, current.writableBytes(), false);
        }
        byte[] old = current.bytes();
        RedisString copy = RedisString.writable(Arrays.copyOf(old, Math.max(old.length, (int) needed)));
        return new Grown(copy, copy.writableBytes(), needed > old.length);
    }
    // end::grown[]

    /** GETBIT: the bit at {@code offset} of {@code bytes}, 0 beyond the end. O(1). */
    public static int getBit(byte[] bytes, long offset) {
        long index = offset >>> 3;
        if (index >= bytes.length) {
            return 0;
        }
        return (bytes[(int) index] >> (7 - (int) (offset & 7))) & 1;
    }

    // tag::bitcount[]
    /**
     * BITCOUNT with a range: the set bits from {@code start} to {@code end} inclusive, counted in bytes or, with
     * {@code inBits}, in bits. As Redis's {@code bitcountCommand}: negative indexes count from the end, an
     * empty range counts 0, and in bits the bytes at both edges are counted whole and then the bits outside the
     * range taken off again. O(N) in the range, 64 bits at a time.
     */
    public static long bitCount(byte[] bytes, long start, long end, boolean inBits) {
        long total = inBits ? (long) bytes.length << 3 : bytes.length;
        if (start < 0 && end < 0 && start > end) {
            return 0;
        }
        start = start < 0 ? Math.max(0, total + start) : start;
        end = end < 0 ? Math.max(0, total + end) : end;
        end = Math.min(end, total - 1);
        int firstOutside = 0;
        int lastOutside = 0;
        if (inBits && start <= end) {
            firstOutside = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF; // the bits before start in its byte
            lastOutside = (1 << (7 - (int) (end & 7))) - 1;              // the bits after end in its byte
            start >>= 3;
            end >>= 3;
        }
        if (start > end) {
            return 0;
        }
        long count = popcount(bytes, (int) start, (int) (end - start + 1));
        count -= Integer.bitCount(bytes[(int) start] & firstOutside);
        count -= Integer.bitCount(bytes[(int) end] & lastOutside);
        return count;
    }
    // end::bitcount[]

    // tag::popcount[]
    /** The set bits in {@code length} bytes from {@code from}: eight bytes at a time, then the rest one by one. O(N). */
    public static long popcount(byte[] bytes, int from, int length) {
        long count = 0;
        int i = from;
        int end = from + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            count += Long.bitCount((long) WORD.get(bytes, i));
        }
        for (; i < end; i++) {
            count += Integer.bitCount(bytes[i] & 0xFF);
        }
        return count;
    }
    // end::popcount[]


    /**
     * BITPOS with a range: the first bit equal to {@code bit} from {@code start} to {@code end}, counted in bytes
     * or bits, or -1. A port of Redis 7.0's {@code bitposCommand}, quirks included: looking for a 0 in a range of
     * ones without an explicit end answers the bit just after the range (the string is thought of as padded
     * with zeros to the right), but with an explicit end it answers -1. O(N) in the range.
     */
    public static long bitPos(byte[] p, int bit, long start, long end, boolean endGiven, boolean inBits) {
        long total = inBits ? (long) p.length << 3 : p.length;
        start = start < 0 ? Math.max(0, total + start) : start;
        end = end < 0 ? Math.max(0, total + end) : end;
        end = Math.min(end, total - 1);
        int firstOutside = 0;
        int lastOutside = 0;
        if (inBits && start <= end) {
            firstOutside = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
            lastOutside = (1 << (7 - (int) (end & 7))) - 1;
            start >>= 3;
            end >>= 3;
        }
        if (start > end) {
            return -1; // an empty range holds neither a 0 nor a 1
        }
        long bytes = end - start + 1;
        long pos;
        // Redis's search in up to three steps, each of which may end it: the first byte with the bits before the
        // range masked, the whole bytes in between, the last byte with the bits after the range masked. A mask
        // sets the bits outside to the opposite of the one looked for; pos is relative to the step's first byte.
        found:
        {
            if (firstOutside != 0) {
                int first = bit == 1 ? p[(int) start] & ~firstOutside : p[(int) start] | firstOutside;
                if (lastOutside != 0 && bytes == 1) {
                    first = bit == 1 ? first & ~lastOutside : first | lastOutside;
                }
                pos = firstBit(new byte[] {(byte) first}, 0, 1, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break found;
                }
                start++;
                bytes--;
            }
            long whole = bytes - (lastOutside != 0 ? 1 : 0);
            if (whole > 0) {
                pos = firstBit(p, (int) start, whole, bit);
                if (bytes == whole || (pos != -1 && pos != whole << 3)) {
                    break found;
                }
                start += whole;
                bytes -= whole;
            }
            int last = bit == 1 ? p[(int) end] & ~lastOutside : p[(int) end] | lastOutside;
            pos = firstBit(new byte[] {(byte) last}, 0, 1, bit);
        }
        if (endGiven && bit == 0 && pos == bytes << 3) {
            return -1; // no 0 inside an explicit range: the zeros to its right do not count
        }
        return pos == -1 ? -1 : pos + (start << 3);
    }

    /**
     * Redis's {@code redisBitpos}: the position of the first bit equal to {@code bit} in {@code count} bytes from
     * {@code from}, relative to {@code from}. When there is none: -1 when looking for a 1, but {@code count * 8}
     * (the first bit after the bytes) when looking for a 0. Eight bytes at a time: a word that is all zeros (all
     * ones when looking for a 0) is skipped, otherwise its leading zeros say where the bit is. O(N).
     */
    public static long firstBit(byte[] bytes, int from, long count, int bit) {
        long skip = bit == 1 ? 0L : -1L;
        int i = from;
        long end = from + count;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) WORD.get(bytes, i);
            if (word != skip) {
                return (long) (i - from) * 8 + Long.numberOfLeadingZeros(bit == 1 ? word : ~word);
            }
        }
        for (; i < end; i++) {
            int b = bit == 1 ? bytes[i] & 0xFF : ~bytes[i] & 0xFF;
            if (b != 0) {
                return (long) (i - from) * 8 + Integer.numberOfLeadingZeros(b) - 24;
            }
        }
        return bit == 1 ? -1 : count * 8;
    }

    /** BITOP's operations. */
    public enum BitOp { AND, OR, XOR, NOT }

    /**
     * BITOP: {@code sources} combined byte by byte (a null source is a missing key, read as an empty string). The
     * result is as long as the longest source; a shorter source counts as padded with zero bytes, so AND with a
     * missing key is all zeros. NOT takes one source. O(N) in the longest source, 64 bits at a time.
     */
    public static byte[] bitop(BitOp op, byte[][] sources) {
        int length = 0;
        for (byte[] source : sources) {
            length = Math.max(length, source == null ? 0 : source.length);
        }
        byte[] result = new byte[length];
        byte[] first = sources[0] == null ? new byte[0] : sources[0];
        System.arraycopy(first, 0, result, 0, first.length);
        if (op == BitOp.NOT) {
            combine(op, result, result);
            return result;
        }
        for (int s = 1; s < sources.length; s++) {
            byte[] source = sources[s] == null ? new byte[0] : sources[s];
            combine(op, result, source);
            if (op == BitOp.AND) {
                Arrays.fill(result, source.length, length, (byte) 0); // the source's padding is zeros
            }
        }
        return result;
    }

    // tag::bitop[]
    /** {@code result[i] = result[i] op source[i]} over the source's length (NOT: {@code ~source[i]}). */
    private static void combine(BitOp op, byte[] result, byte[] source) {
        int i = 0;
        int end = source.length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long a = (long) WORD.get(result, i);
            long b = (long) WORD.get(source, i);
            long combined = switch (op) {
                case AND -> a & b;
                case OR -> a | b;
                case XOR -> a ^ b;
                case NOT -> ~b;
            };
            WORD.set(result, i, combined);
        }
        for (; i < end; i++) {
            result[i] = (byte) switch (op) {
                case AND -> result[i] & source[i];
                case OR -> result[i] | source[i];
                case XOR -> result[i] ^ source[i];
                case NOT -> ~source[i];
            };
        }
    }
    // end::bitop[]

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
        long lastBit = 0;
        for (FieldOp op : ops) {
            if (op.kind() != FieldOp.Kind.GET) {
                lastBit = Math.max(lastBit, op.offset() + op.bits() - 1);
            }
        }
        Grown string = grownFor(keyspace, key, lastBit);
        byte[] bytes = string.bytes();
        List<Long> replies = new ArrayList<>(ops.size());
        int changes = 0;
        for (FieldOp op : ops) {
            long old = getField(bytes, op.offset(), op.bits(), op.signed());
            if (op.kind() == FieldOp.Kind.GET) {
                replies.add(old);
                continue;
            }
            boolean incr = op.kind() == FieldOp.Kind.INCRBY;
            Long stored = op.signed()
                    ? signedResult(incr ? old : op.value(), incr ? op.value() : 0, op.bits(), op.overflow())
                    : unsignedResult(incr ? old : op.value(), incr ? op.value() : 0, op.bits(), op.overflow());
            if (stored == null) {
                replies.add(null);
                continue;
            }
            setField(bytes, op.offset(), op.bits(), stored);
            replies.add(incr ? stored : old); // INCRBY answers the new value, SET the old one
            if (string.grown() || stored != old) {
                changes++;
            }
        }
        keyspace.setKeepTtl(key, string.string());
        return new FieldResult(replies, changes);
    }

    /** The {@code bits}-wide field at bit {@code offset}, most significant bit first, zeros beyond the end. O(bits). */
    public static long getField(byte[] bytes, long offset, int bits, boolean signed) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            value = (value << 1) | getBit(bytes, offset + j);
        }
        if (signed && bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits; // two's complement: the sign bit copied into the bits above the field
        }
        return value;
    }

    /** Writes the low {@code bits} bits of {@code value} at bit {@code offset}, which lies within the string. O(bits). */
    private static void setField(byte[] bytes, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            long bit = offset + j;
            int mask = 1 << (7 - (int) (bit & 7));
            if (((value >>> (bits - 1 - j)) & 1) != 0) {
                bytes[(int) (bit >>> 3)] |= (byte) mask;
            } else {
                bytes[(int) (bit >>> 3)] &= (byte) ~mask;
            }
        }
    }

    // tag::overflow[]
    /**
     * Redis's {@code checkSignedBitfieldOverflow}: {@code value + incr} as a signed field of {@code bits} bits,
     * wrapped, saturated, or null when FAIL refuses an overflow. SET calls it with the new value and 0.
     */
    static Long signedResult(long value, long incr, int bits, Overflow overflow) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value; // may overflow, but is only used once value is known to be in range
        long minIncr = min - value;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            return overflow == Overflow.SAT ? Long.valueOf(max) : wrapSigned(value, incr, bits, overflow);
        }
        if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            return overflow == Overflow.SAT ? Long.valueOf(min) : wrapSigned(value, incr, bits, overflow);
        }
        return value + incr;
    }

    private static Long wrapSigned(long value, long incr, int bits, Overflow overflow) {
        if (overflow == Overflow.FAIL) {
            return null;
        }
        long sum = value + incr;
        if (bits < 64) {
            long above = -1L << bits;
            sum = (sum & (1L << (bits - 1))) != 0 ? sum | above : sum & ~above;
        }
        return sum;
    }
    // end::overflow[]

    /**
     * Redis's {@code checkUnsignedBitfieldOverflow} (at most 63 bits): {@code value} is read as unsigned, so SET
     * u8 with -1 is an overflow (wrapped to 255, saturated to 255).
     */
    static Long unsignedResult(long value, long incr, int bits, Overflow overflow) {
        long max = (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            return overflow == Overflow.SAT ? Long.valueOf(max) : wrapUnsigned(value, incr, bits, overflow);
        }
        if (incr < 0 && incr < minIncr) {
            return overflow == Overflow.SAT ? Long.valueOf(0) : wrapUnsigned(value, incr, bits, overflow);
        }
        return value + incr;
    }

    private static Long wrapUnsigned(long value, long incr, int bits, Overflow overflow) {
        return overflow == Overflow.FAIL ? null : (value + incr) & ~(-1L << bits);
    }
}
