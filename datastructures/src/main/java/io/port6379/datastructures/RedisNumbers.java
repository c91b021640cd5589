// Numbers as Redis reads them from strings: stricter than Long.parseLong, so "+1", "01" and " 1" are not integers.
package io.port6379.datastructures;

/** Redis's {@code string2ll} and {@code string2d} rules. */
public final class RedisNumbers {

    public static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_A_FLOAT = "ERR value is not a valid float";

    private RedisNumbers() {
    }

    // tag::string2ll[]
    /**
     * Parses a signed 64-bit integer exactly as Redis's {@code string2ll}: optional {@code -}, then digits with no
     * leading zero (only "0" itself), no {@code +}, no spaces, no overflow. O(N).
     *
     * @throws RedisException with {@link #NOT_AN_INTEGER} when the text is not such an integer
     */
    public static long parseLong(byte[] text) {
        int length = text.length;
        if (length == 0 || length > 20) {
            throw new RedisException(NOT_AN_INTEGER);
        }
        if (length == 1 && text[0] == '0') {
            return 0;
        }
        boolean negative = text[0] == '-';
        int i = negative ? 1 : 0;
        if (i == length || text[i] < '1' || text[i] > '9') {
            throw new RedisException(NOT_AN_INTEGER);
        }
        long value = 0; // accumulated as a negative number, whose range is one larger
        for (; i < length; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
                throw new RedisException(NOT_AN_INTEGER);
            }
            value = value * 10 - digit;
        }
        if (!negative && value == Long.MIN_VALUE) {
            throw new RedisException(NOT_AN_INTEGER);
        }
        return negative ? value : -value;
    }
    // end::string2ll[]

    /** Whether {@link #parseLong} accepts {@code text}. O(N). */
    public static boolean isLong(byte[] text) {
        try {
            parseLong(text);
            return true;
        } catch (RedisException e) {
            return false;
        }
    }
}
