// Signed 64-bit integers as ASCII digits on the wire, both ways, without building Strings.
package io.port6379.protocol;

/**
 * Reads and writes the decimal integers of RESP headers ({@code *3}, {@code $64}) and integer replies.
 *
 * <p>Reading follows Redis's {@code string2ll()} exactly, because its rules decide which headers are protocol
 * errors: at most 20 characters, an optional {@code -}, no {@code +}, no spaces, no leading zeros ({@code 01} and
 * {@code -0} are refused, {@code 0} is fine) and no overflow.
 */
final class AsciiLong {

    /** {@code LONG_STR_SIZE} in Redis: a string this long or longer is never a valid long. */
    private static final int LONG_STR_SIZE = 21;

    private AsciiLong() {
    }

    // tag::string2ll[]
    /**
     * Parses {@code bytes[from, to)} by the rules of Redis's {@code string2ll}.
     *
     * @throws ProtocolException with {@code error} as its message when the bytes are not such a number
     */
    static long parse(byte[] bytes, int from, int to, String error) throws ProtocolException {
        int length = to - from;
        if (length == 0 || length >= LONG_STR_SIZE) {
            throw new ProtocolException(error);
        }
        if (length == 1 && bytes[from] == '0') {
            return 0;
        }
        boolean negative = bytes[from] == '-';
        int i = negative ? from + 1 : from;
        if (i == to || bytes[i] < '1' || bytes[i] > '9') {
            throw new ProtocolException(error); // an empty number, "-0", or a leading zero
        }
        long value = 0; // accumulated as a negative number, whose range includes Long.MIN_VALUE
        for (; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
                throw new ProtocolException(error);
            }
            value = value * 10 - digit;
        }
        if (!negative && value == Long.MIN_VALUE) {
            throw new ProtocolException(error);
        }
        return negative ? value : -value;
    }
    // end::string2ll[]

    /** The number of bytes {@link #write} produces for {@code value}. */
    static int length(long value) {
        if (value < 0) {
            return value == Long.MIN_VALUE ? 20 : 1 + length(-value);
        }
        int digits = 1;
        for (long limit = 10; digits < 19 && value >= limit; limit *= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes {@code value}'s digits at {@code bytes[position]} onwards; returns the position after them. */
    static int write(long value, byte[] bytes, int position) {
        int end = position + length(value);
        int i = end;
        long rest = value;
        if (rest < 0) {
            bytes[position] = '-';
        } else {
            rest = -rest; // work on negatives so that Long.MIN_VALUE needs no special case
        }
        while (rest < Integer.MIN_VALUE) {
            bytes[--i] = (byte) ('0' - rest % 10);
            rest /= 10;
        }
        int small = (int) rest; // lengths and most integers: int division is cheaper than long division
        do {
            bytes[--i] = (byte) ('0' - small % 10);
            small /= 10;
        } while (small != 0);
        return end;
    }
}
