// C's strtol and strtoull as memcached's safe_strto* use them: the number rules of every memcached text command.
package io.port6379.memcached;

/**
 * memcached reads every number with C's {@code strtol} or {@code strtoull} and then checks what follows: white
 * space or the end of the token. So {@code +5}, {@code " 7"} and {@code "5\t"} are numbers, {@code 5x} is not, and
 * {@code strtoull("-1")} is 2^64-1, refused only because it looks negative as a signed number. Here the same rules
 * on a slice of bytes, without allocating.
 */
public final class Numbers {

    /** What {@link #strtol} returns for a slice that is no number (or overflows a long, C's ERANGE). */
    public static final long INVALID = Long.MIN_VALUE;

    private Numbers() {
    }

    /** C's isspace in the "C" locale. */
    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    /** {@code safe_strtol}'s reading of [from, to): the value, or {@link #INVALID}. O(length). */
    public static long strtol(byte[] b, int from, int to) {
        int p = from;
        while (p < to && isSpace(b[p])) {
            p++;
        }
        boolean negative = false;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            negative = b[p] == '-';
            p++;
        }
        int digits = p;
        long value = 0;
        while (p < to && b[p] >= '0' && b[p] <= '9') {
            int d = b[p] - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                return INVALID; // ERANGE
            }
            value = value * 10 + d;
            p++;
        }
        if (p == digits || p < to && !isSpace(b[p])) {
            return INVALID;
        }
        return negative ? -value : value;
    }

    /**
     * {@code safe_strtoull}'s reading of [from, to) into {@code out[0]} (an unsigned 64-bit number in a long):
     * false for no number, an overflow, or a {@code -} number that is negative as a signed one. O(length).
     */
    public static boolean strtoull(byte[] b, int from, int to, long[] out) {
        int p = from;
        while (p < to && isSpace(b[p])) {
            p++;
        }
        boolean negative = false;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            negative = b[p] == '-';
            p++;
        }
        int digits = p;
        long value = 0;
        while (p < to && b[p] >= '0' && b[p] <= '9') {
            int d = b[p] - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return false; // ERANGE
            }
            value = value * 10 + d;
            p++;
        }
        if (p == digits || p < to && !isSpace(b[p])) {
            return false;
        }
        if (negative) {
            value = -value;
            if (value < 0) {
                return false;
            }
        }
        out[0] = value;
        return true;
    }
}
