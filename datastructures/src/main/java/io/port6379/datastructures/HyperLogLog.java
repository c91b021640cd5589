// Redis's HyperLogLog: a cardinality estimator kept in a plain string, byte for byte as Redis 7.0 lays it out.
package io.port6379.datastructures;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A HyperLogLog is not a type of its own: PFADD stores a string, and GET returns its bytes. Redis's layout is
 * therefore part of the protocol (a client may GET a HyperLogLog from one server and SET it on another), so this
 * class writes exactly the bytes Redis 7.0's {@code hyperloglog.c} writes.
 *
 * <p>The estimator: every element is hashed (MurmurHash64A, seed {@code 0xadc83b19}); the low 14 bits choose one
 * of 16384 registers, and the register keeps the longest run "0…01" seen in the remaining 50 bits, counted from
 * the least significant bit (1 for a hash whose bit 14 is set, at most 51). From the histogram of the registers
 * Otmar Ertl's "improved" estimator (tau/sigma, arXiv:1702.01284) derives the cardinality, with a standard error
 * of 0.81 %.
 *
 * <pre>
 * Header, 16 bytes:
 * +------+---+-----+-------------------+
 * | HYLL | E | N/U | cardinality cache |
 * +------+---+-----+-------------------+
 *   4      1   3     8, little endian: the last count PFCOUNT computed; the top bit of the last byte set
 *                    means "stale", set by every change of a register.
 *   E: 0 = dense, 1 = sparse (255 is the unstored "raw" form PFCOUNT uses to merge several keys).
 *
 * Dense, 16 + 12288 bytes: 16384 registers of 6 bits, packed from the least significant bit of each byte:
 * +--------+--------+--------+------//
 * |11000000|22221111|33333322|55444444   (register 0 is the low 6 bits of byte 0, register 1 spans two bytes...)
 * +--------+--------+--------+------//
 *
 * Sparse: after the header, a run-length code of the registers, in order, covering exactly 16384:
 *   ZERO   00xxxxxx           xxxxxx + 1 registers (1..64) equal to 0
 *   XZERO  01xxxxxx yyyyyyyy  xxxxxxyyyyyyyy + 1 registers (1..16384) equal to 0
 *   VAL    1vvvvvxx           xx + 1 registers (1..4) equal to vvvvv + 1 (1..32)
 * A new HyperLogLog is sparse and a single XZERO of 16384 (18 bytes). It turns dense, never back, when a
 * register needs a value above 32 or the string would grow beyond {@code hll-sparse-max-bytes} (default 3000).
 * </pre>
 *
 * <p>An instance is a mutable working copy: {@link #of} copies the stored bytes, the commands change the copy,
 * and {@link #bytes} gives the new string to store (the keyspace's strings are immutable; Redis changes its
 * string in place). Not thread-safe.
 */
public final class HyperLogLog {

    /** HLL_P: 2^14 registers. */
    public static final int P = 14;
    public static final int REGISTERS = 1 << P;
    /** HLL_Q: the hash bits left after the register index, so a register holds at most Q + 1. */
    static final int Q = 64 - P;
    static final int HEADER_SIZE = 16;
    static final int DENSE_SIZE = HEADER_SIZE + (REGISTERS * 6 + 7) / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    private static final int REGISTER_MAX = 63;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final long SEED = 0xadc83b19L;
    /** 0.5 / ln(2), the estimator's constant for an infinite number of registers. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** What PFADD, PFCOUNT, PFMERGE and PFDEBUG answer for a string that is not a HyperLogLog. */
    public static final String NOT_AN_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    /** What they answer when a sparse HyperLogLog's codes do not add up to 16384 registers. */
    public static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";

    /** Redis's default {@code hll-sparse-max-bytes}. */
    public static final long DEFAULT_SPARSE_MAX_BYTES = 3000;

    /** {@code hll-sparse-max-bytes}, header included: the server's, given by the command that adds. */
    private long sparseMaxBytes = DEFAULT_SPARSE_MAX_BYTES;

    private byte[] buf;
    private int length;

    private HyperLogLog(byte[] buf, int length) {
        this.buf = buf;
        this.length = length;
    }

    /** Applies the server's {@code hll-sparse-max-bytes} to the adds that follow; returns this. */
    public HyperLogLog sparseMaxBytes(long bytes) {
        sparseMaxBytes = bytes;
        return this;
    }

    /** An empty HyperLogLog, as PFADD creates it: sparse, one XZERO of 16384, cache valid and 0. O(1). */
    public static HyperLogLog create() {
        byte[] s = new byte[HEADER_SIZE + 2];
        header(s, SPARSE);
        s[HEADER_SIZE] = (byte) (0x40 | ((XZERO_MAX_LEN - 1) >> 8));
        s[HEADER_SIZE + 1] = (byte) ((XZERO_MAX_LEN - 1) & 0xff);
        return new HyperLogLog(s, s.length);
    }

    private static void header(byte[] s, int encoding) {
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[4] = (byte) encoding;
    }

    /**
     * Redis's {@code isHLLObjectOrReply}: at least a header, the magic {@code HYLL}, encoding 0 or 1, and a dense
     * one exactly 12304 bytes long. A sparse one's codes are only checked when read. O(1).
     */
    public static boolean isValid(byte[] s) {
        if (s.length < HEADER_SIZE || s[0] != 'H' || s[1] != 'Y' || s[2] != 'L' || s[3] != 'L') {
            return false;
        }
        int encoding = s[4] & 0xff;
        return encoding == SPARSE || (encoding == DENSE && s.length == DENSE_SIZE);
    }

    /** A working copy of a string that {@link #isValid}. O(N). */
    public static HyperLogLog of(byte[] s) {
        return new HyperLogLog(s.clone(), s.length);
    }

    /**
     * A HyperLogLog working on {@code s} itself, a string that {@link #isValid}: a dense one's registers and cached
     * count change in place; a sparse one grows into a new array. For a {@linkplain RedisString#writable writable}
     * string, whose bytes nobody else holds. O(1).
     */
    public static HyperLogLog wrap(byte[] s) {
        return new HyperLogLog(s, s.length);
    }

    /** Whether the registers are still exactly the bytes of {@code s} (see {@link #wrap}), so nothing is to store. */
    public boolean isBackedBy(byte[] s) {
        return buf == s && length == s.length;
    }

    /** The string to store. O(N). */
    public byte[] bytes() {
        return Arrays.copyOf(buf, length);
    }

    /** Whether the registers are stored dense. O(1). */
    public boolean isDense() {
        return isDense(buf);
    }

    // tag::patlen[]
    /**
     * Redis's {@code hllPatLen} for {@code element}: the register index in the low 32 bits, and in the high 32
     * bits the length of the pattern "0…01" in the hash's other 50 bits (1..51). Bit 50 is forced so the pattern
     * always ends. O(N) in the element's length.
     */
    static long patternOf(byte[] element) {
        long hash = murmurHash64A(element, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        long rest = (hash >>> P) | (1L << Q);
        int count = Long.numberOfTrailingZeros(rest) + 1;
        return ((long) count << 32) | index;
    }

    /** MurmurHash2, 64-bit version (Austin Appleby's MurmurHash64A), 8-byte blocks read little endian. */
    static long murmurHash64A(byte[] key, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = seed ^ (len * m);
        int blocks = len - (len & 7);
        for (int i = 0; i < blocks; i += 8) {
            long k = 0;
            for (int b = 7; b >= 0; b--) {
                k = (k << 8) | (key[i + b] & 0xffL);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int tail = len & 7;
        if (tail > 0) {
            for (int b = tail - 1; b >= 0; b--) {
                h ^= (key[blocks + b] & 0xffL) << (8 * b);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }
    // end::patlen[]

    /**
     * PFADD of one element, Redis's {@code hllAdd}: returns 1 when a register grew (the cache is then marked
     * stale), 0 otherwise. Dense: O(1). Sparse: O(N) in the string's length, which is bounded by
     * {@code hll-sparse-max-bytes}.
     *
     * @throws RedisException {@link #CORRUPTED} for a sparse string whose codes do not cover 16384 registers
     */
    public int add(byte[] element) {
        long pattern = patternOf(element);
        return set((int) pattern, (int) (pattern >>> 32));
    }

    /** Raises register {@code index} to {@code count} if lower; 1 if it changed. As {@code hllDenseSet} or {@code hllSparseSet}. */
    private int set(int index, int count) {
        if (isDense()) {
            if (count > register(index)) {
                setRegister(index, count);
                invalidateCache();
                return 1;
            }
            return 0;
        }
        return sparseSet(index, count);
    }

    // tag::dense[]
    /** Dense register {@code index}: 6 bits starting at bit {@code 6 * index} of the registers, little endian. */
    private int register(int index) {
        int at = HEADER_SIZE + index * 6 / 8;
        int shift = index * 6 & 7;
        int b0 = buf[at] & 0xff;
        int b1 = at + 1 < DENSE_SIZE ? buf[at + 1] & 0xff : 0;
        return ((b0 >> shift) | (b1 << (8 - shift))) & REGISTER_MAX;
    }

    private void setRegister(int index, int value) {
        int at = HEADER_SIZE + index * 6 / 8;
        int shift = index * 6 & 7;
        buf[at] = (byte) ((buf[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (shift > 2) { // the register spills into the next byte
            buf[at + 1] = (byte) ((buf[at + 1] & ~(REGISTER_MAX >> (8 - shift))) | (value >> (8 - shift)));
        }
    }
    // end::dense[]

    /** Redis's {@code HLL_INVALIDATE_CACHE}: marks the cached cardinality stale. O(1). */
    public void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    // tag::sparse[]
    /**
     * Redis's {@code hllSparseSet}: finds the code covering register {@code index}; if the register must grow,
     * replaces that code by up to three (a run split around the register), then merges equal neighbouring VAL
     * codes. The string turns dense when {@code count} exceeds 32 or the split would make it longer than
     * {@code hll-sparse-max-bytes}.
     */
    private int sparseSet(int index, int count) {
        if (count > VAL_MAX_VALUE) {
            return promoteAndSet(index, count);
        }
        int end = length;
        int p = HEADER_SIZE;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int oplen = 1;
            if (isZero(p)) {
                span = zeroLen(p);
            } else if (isVal(p)) {
                span = valLen(p);
            } else {
                span = xzeroLen(p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            throw new RedisException(CORRUPTED);
        }
        int next = isXzero(p) ? p + 2 : p + 1;
        boolean hasNext = next < end;
        boolean zero = isZero(p);
        boolean xzero = isXzero(p);
        int runlen = zero ? zeroLen(p) : xzero ? xzeroLen(p) : valLen(p);

        if (!zero && !xzero) {
            if (valValue(p) >= count) {
                return 0; // the register is already at least as large
            }
            if (runlen == 1) {
                buf[p] = val(count, 1);
                return merged(prev);
            }
        }
        if (zero && runlen == 1) {
            buf[p] = val(count, 1);
            return merged(prev);
        }

        // The general case: the code becomes [run before] VAL(count) [run after], at most 5 bytes.
        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (zero || xzero) {
            if (index != first) {
                n = zeros(seq, n, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                n = zeros(seq, n, last - index);
            }
        } else {
            int current = valValue(p);
            if (index != first) {
                seq[n++] = val(current, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                seq[n++] = val(current, last - index);
            }
        }
        int oldlen = xzero ? 2 : 1;
        int delta = n - oldlen;
        if (delta > 0 && (long) length + delta > sparseMaxBytes) {
            return promoteAndSet(index, count);
        }
        if (delta != 0) {
            ensureCapacity(length + delta);
            if (hasNext) {
                System.arraycopy(buf, next, buf, next + delta, end - next);
            }
        }
        length += delta;
        System.arraycopy(seq, 0, buf, p, n);
        return merged(prev);
    }

    /** A ZERO or XZERO code for {@code len} zero registers at {@code seq[n]}; returns the next free position. */
    private static int zeros(byte[] seq, int n, int len) {
        if (len > ZERO_MAX_LEN) {
            seq[n] = (byte) (0x40 | ((len - 1) >> 8));
            seq[n + 1] = (byte) ((len - 1) & 0xff);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    /**
     * The last step of {@code hllSparseSet}: from the code before the changed one, up to five codes are scanned
     * and adjacent VAL codes of the same value merged while their run fits in one code (4 registers). The cache
     * is marked stale; returns 1.
     */
    private int merged(int prev) {
        int p = prev >= 0 ? prev : HEADER_SIZE;
        int scan = 5;
        while (p < length && scan-- > 0) {
            if (isXzero(p)) {
                p += 2;
                continue;
            } else if (isZero(p)) {
                p++;
                continue;
            }
            if (p + 1 < length && isVal(p + 1)) {
                int v1 = valValue(p);
                int v2 = valValue(p + 1);
                if (v1 == v2) {
                    int len = valLen(p) + valLen(p + 1);
                    if (len <= VAL_MAX_LEN) {
                        buf[p + 1] = val(v1, len);
                        System.arraycopy(buf, p + 1, buf, p, length - p - 1);
                        length--;
                        continue; // try to merge the merged code with the next one too
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }
    // end::sparse[]

    private int promoteAndSet(int index, int count) {
        toDense();
        setRegister(index, Math.max(count, register(index)));
        invalidateCache();
        return 1;
    }

    /**
     * Redis's {@code hllSparseToDense} (PFDEBUG TODENSE, and the promotion): the header is kept, cache included,
     * with the encoding byte set to dense. Returns false if already dense. O(16384).
     *
     * @throws RedisException {@link #CORRUPTED} when the codes do not cover exactly 16384 registers
     */
    public boolean toDense() {
        if (isDense()) {
            return false;
        }
        byte[] sparse = buf;
        int end = length;
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(sparse, 0, dense, 0, HEADER_SIZE);
        dense[4] = DENSE;
        buf = dense;
        int idx = 0;
        int p = HEADER_SIZE;
        while (p < end) {
            int b = sparse[p] & 0xff;
            if ((b & 0xc0) == 0) {
                idx += (b & 0x3f) + 1;
                p++;
            } else if ((b & 0xc0) == 0x40) {
                idx += (((b & 0x3f) << 8) | (p + 1 < end ? sparse[p + 1] & 0xff : 0)) + 1;
                p += 2;
            } else {
                int runlen = (b & 3) + 1;
                int value = ((b >> 2) & 0x1f) + 1;
                if (runlen + idx > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    setRegister(idx++, value);
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            buf = sparse;
            throw new RedisException(CORRUPTED);
        }
        length = DENSE_SIZE;
        return true;
    }

    // tag::count[]
    /**
     * PFCOUNT of one key, Redis's single-key branch: the cached cardinality when it is valid, otherwise a new
     * count, which is written into the cache ({@link #countCached} tells which happened). O(1) cached, else
     * O(16384) dense or O(N) sparse.
     *
     * @throws RedisException {@link #CORRUPTED} for sparse codes that do not cover 16384 registers
     */
    public long count() {
        if (isCountCached(buf)) {
            return cachedCount(buf);
        }
        long card = freshCount();
        for (int i = 0; i < 8; i++) {
            buf[8 + i] = (byte) (card >>> (8 * i));
        }
        return card;
    }

    /** The cardinality computed from the registers, whatever the cache says; the cache is left alone. */
    private long freshCount() {
        int[] histogram = new int[64];
        if (isDense()) {
            for (int i = 0; i < REGISTERS; i++) {
                histogram[register(i)]++;
            }
        } else if (!sparseHistogram(histogram)) {
            throw new RedisException(CORRUPTED);
        }
        return estimate(histogram);
    }

    /** Whether the cache holds a valid cardinality, so that {@link #count} will not change the string. O(1). */
    public boolean countCached() {
        return isCountCached(buf);
    }

    /** Whether the HyperLogLog string {@code s} holds a valid cached cardinality. O(1). */
    public static boolean isCountCached(byte[] s) {
        return (s[15] & 0x80) == 0;
    }

    /** The cardinality cached in the HyperLogLog string {@code s}, read as a signed 64-bit integer as Redis replies it. O(1). */
    public static long cachedCount(byte[] s) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (s[8 + i] & 0xff);
        }
        return card;
    }

    /** Whether the HyperLogLog string {@code s} is dense. O(1). */
    public static boolean isDense(byte[] s) {
        return s[4] == DENSE;
    }

    private boolean sparseHistogram(int[] histogram) {
        int idx = 0;
        int p = HEADER_SIZE;
        while (p < length) {
            if (isZero(p)) {
                int runlen = zeroLen(p);
                idx += runlen;
                histogram[0] += runlen;
                p++;
            } else if (isXzero(p)) {
                int runlen = xzeroLen(p);
                idx += runlen;
                histogram[0] += runlen;
                p += 2;
            } else {
                int runlen = valLen(p);
                idx += runlen;
                histogram[valValue(p)] += runlen;
                p++;
            }
        }
        return idx == REGISTERS;
    }

    /**
     * Redis 7.0's {@code hllCount} from the registers' histogram: Ertl's improved raw estimator. {@code sigma}
     * corrects for the registers still 0 (small cardinalities), {@code tau} for those at the maximum Q + 1 (huge
     * ones), so no empirical bias table is needed. The operations are done in Redis's order, so the doubles,
     * and the rounding, are the same.
     */
    static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z); // llroundl of a positive number: half away from zero, as round
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y; // pow(1 - x, 2): the square, correctly rounded, as glibc's pow gives it
        } while (zPrime != z);
        return z / 3;
    }
    // end::count[]

    // tag::merge[]
    /**
     * Redis's {@code hllMerge}: raises each of {@code max}'s 16384 registers to those of the HyperLogLog string
     * {@code s} (one that {@link #isValid}). O(16384) dense, O(N) sparse.
     *
     * @throws RedisException {@link #CORRUPTED} for sparse codes that do not cover 16384 registers
     */
    public static void merge(byte[] s, byte[] max) {
        new HyperLogLog(s, s.length).mergeInto(max); // reads only: no copy
    }

    private void mergeInto(byte[] max) {
        if (isDense()) {
            for (int i = 0; i < REGISTERS; i++) {
                max[i] = (byte) Math.max(max[i], register(i));
            }
            return;
        }
        int i = 0;
        int p = HEADER_SIZE;
        while (p < length) {
            if (isZero(p)) {
                i += zeroLen(p);
                p++;
            } else if (isXzero(p)) {
                i += xzeroLen(p);
                p += 2;
            } else {
                int runlen = valLen(p);
                int value = valValue(p);
                if (runlen + i > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    max[i] = (byte) Math.max(max[i], value);
                    i++;
                }
                p++;
            }
        }
        if (i != REGISTERS) {
            throw new RedisException(CORRUPTED);
        }
    }

    /**
     * PFMERGE's write: every non-zero register of {@code max}, in order, set with the rules of PFADD (a sparse
     * destination stays sparse while it can), turned dense first when {@code dense} (one of the sources was); the
     * cache is then marked stale. O(16384 + N).
     */
    public void setAll(byte[] max, boolean dense) {
        if (dense) {
            toDense();
        }
        for (int j = 0; j < REGISTERS; j++) {
            if (max[j] != 0) {
                set(j, max[j]);
            }
        }
        invalidateCache();
    }

    /** The union's cardinality from merged registers: PFCOUNT of several keys, never cached. O(16384). */
    public static long countRegisters(byte[] max) {
        int[] histogram = new int[64];
        for (byte register : max) {
            histogram[register]++;
        }
        return estimate(histogram);
    }
    // end::merge[]

    /** PFDEBUG GETREG: the 16384 registers. The HyperLogLog must be dense ({@link #toDense} first). O(16384). */
    public int[] registers() {
        int[] registers = new int[REGISTERS];
        for (int i = 0; i < REGISTERS; i++) {
            registers[i] = register(i);
        }
        return registers;
    }

    /** PFDEBUG DECODE: the sparse codes as {@code z:len}, {@code Z:len} and {@code v:value,len}, space separated. O(N). */
    public String decode() {
        StringBuilder decoded = new StringBuilder();
        int p = HEADER_SIZE;
        while (p < length) {
            if (isZero(p)) {
                decoded.append("z:").append(zeroLen(p)).append(' ');
                p++;
            } else if (isXzero(p)) {
                decoded.append("Z:").append(xzeroLen(p)).append(' ');
                p += 2;
            } else {
                decoded.append("v:").append(valValue(p)).append(',').append(valLen(p)).append(' ');
                p++;
            }
        }
        return decoded.toString().strip();
    }

    private boolean isZero(int p) {
        return (buf[p] & 0xc0) == 0;
    }

    private boolean isXzero(int p) {
        return (buf[p] & 0xc0) == 0x40;
    }

    private boolean isVal(int p) {
        return (buf[p] & 0x80) != 0;
    }

    private int zeroLen(int p) {
        return (buf[p] & 0x3f) + 1;
    }

    /** Beyond the end reads 0, as Redis reads the string's terminating zero byte. */
    private int xzeroLen(int p) {
        int low = p + 1 < length ? buf[p + 1] & 0xff : 0;
        return (((buf[p] & 0x3f) << 8) | low) + 1;
    }

    private int valValue(int p) {
        return ((buf[p] >> 2) & 0x1f) + 1;
    }

    private int valLen(int p) {
        return (buf[p] & 3) + 1;
    }

    private static byte val(int value, int len) {
        return (byte) (0x80 | ((value - 1) << 2) | (len - 1));
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    // tag::selftest[]
    /**
     * PFSELFTEST, Redis's two checks: 1000 rounds of random values written to all 16384 dense registers and read
     * back; then 10 000 000 distinct 8-byte elements added to a dense and to a sparse HyperLogLog at once, and at
     * 1, 10, 100... elements the sparse one must still be sparse while below half of {@code hll-sparse-max-bytes},
     * both must count the same, and the error must be within six standard errors (1 for ten elements). Returns
     * null on success, or the error ({@code ERR TESTFAILED ...}). A few seconds.
     */
    public static String selfTest() {
        SplittableRandom random = new SplittableRandom();
        HyperLogLog dense = new HyperLogLog(new byte[DENSE_SIZE], DENSE_SIZE);
        header(dense.buf, DENSE);
        int[] expected = new int[REGISTERS];
        for (int round = 0; round < 1000; round++) {
            for (int i = 0; i < REGISTERS; i++) {
                expected[i] = random.nextInt(REGISTER_MAX + 1);
                dense.setRegister(i, expected[i]);
            }
            for (int i = 0; i < REGISTERS; i++) {
                if (dense.register(i) != expected[i]) {
                    return "ERR TESTFAILED Register " + i + " should be " + expected[i] + " but is " + dense.register(i);
                }
            }
        }
        Arrays.fill(dense.buf, HEADER_SIZE, DENSE_SIZE, (byte) 0);
        HyperLogLog sparse = create();
        double relativeError = 1.04 / Math.sqrt(REGISTERS);
        long checkpoint = 1;
        long seed = random.nextLong();
        byte[] element = new byte[8];
        for (long j = 1; j <= 10_000_000; j++) {
            long value = j ^ seed;
            for (int b = 0; b < 8; b++) {
                element[b] = (byte) (value >>> (8 * b));
            }
            dense.add(element);
            sparse.add(element);
            if (j == checkpoint) {
                if (j < DEFAULT_SPARSE_MAX_BYTES / 2 && sparse.isDense()) {
                    return "ERR TESTFAILED sparse encoding not used";
                }
                long denseCount = dense.freshCount();
                if (denseCount != sparse.freshCount()) {
                    return "ERR TESTFAILED dense/sparse disagree";
                }
                long maxError = j == 10 ? 1 : (long) Math.ceil(relativeError * 6 * checkpoint);
                long error = Math.abs(checkpoint - denseCount);
                if (error > maxError) {
                    return "ERR TESTFAILED Too big error. card:" + checkpoint + " abserr:" + error;
                }
                checkpoint *= 10;
            }
        }
        return null;
    }
    // end::selftest[]
}
