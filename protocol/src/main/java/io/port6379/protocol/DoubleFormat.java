// Formats a double as C's printf("%.17g") does, which is how Redis 7.0 sends scores and other doubles.
package io.port6379.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code %.17g}: 17 significant digits, correctly rounded, then trailing zeros dropped; plain notation when
 * the decimal exponent is in [-4, 17), else {@code d.ddde+XX}. So {@code 0.1} is {@code 0.10000000000000001},
 * {@code 1.5} is {@code 1.5}, {@code 3.0} is {@code 3} and {@code 1e20} is {@code 1e+20}, as ZSCORE shows in
 * Redis 7.0 (7.2 switched to the shortest round-trip form). Infinities are {@code inf} and {@code -inf}, as Redis
 * writes them explicitly; NaN is {@code nan}.
 *
 * <p>Java's {@code String.format("%.17g")} differs from C's (it keeps trailing zeros and rounds from the shortest
 * representation, not the exact value), so we compute the digits ourselves. A double is {@code m * 2^e} exactly;
 * when {@code e < 0} that is {@code m * 5^-e / 10^-e}, a decimal with few digits whenever {@code m} and
 * {@code -e} are small — 1.5, 0.25, 1234.125 — and then the digits are one long multiplication, with no
 * allocation. Other values (0.1 has an exact expansion of 55 digits) are rounded through {@link BigDecimal}.
 */
final class DoubleFormat {

    /** Longest output: sign, 17 digits, point, "e-308". */
    static final int MAX_LENGTH = 32;
    private static final int SIGNIFICANT_DIGITS = 17;
    private static final long TEN_TO_THE_17 = 100_000_000_000_000_000L;
    private static final MathContext SEVENTEEN_DIGITS = new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);
    private static final long[] POWERS_OF_FIVE = new long[28]; // 5^27 is the largest below 2^63

    static {
        POWERS_OF_FIVE[0] = 1;
        for (int i = 1; i < POWERS_OF_FIVE.length; i++) {
            POWERS_OF_FIVE[i] = POWERS_OF_FIVE[i - 1] * 5;
        }
    }

    private DoubleFormat() {
    }

    // tag::format[]
    /** Writes {@code value} at {@code out[0]} onwards and returns the length (at most {@link #MAX_LENGTH}). */
    static int format(double value, byte[] out) {
        if (Double.isNaN(value)) {
            return ascii("nan", out, 0);
        }
        if (Double.isInfinite(value)) {
            return ascii(value > 0 ? "inf" : "-inf", out, 0);
        }
        int n = 0;
        if (value < 0 || (value == 0 && 1 / value < 0)) {
            out[n++] = '-';
        }
        double magnitude = Math.abs(value);
        if (magnitude == 0) {
            return decimal(0, 0, out, n);
        }
        long bits = Double.doubleToRawLongBits(magnitude);
        int biasedExponent = (int) (bits >>> 52);
        if (biasedExponent != 0) { // normal numbers: magnitude = mantissa * 2^exponent exactly
            long mantissa = (bits & 0xF_FFFF_FFFF_FFFFL) | (1L << 52);
            int exponent = biasedExponent - 1075;
            int shift = Math.min(Long.numberOfTrailingZeros(mantissa), Math.max(0, -exponent));
            mantissa >>= shift;
            exponent += shift;
            if (exponent == 0 || (exponent > 0 && magnitude < TEN_TO_THE_17)) {
                return decimal((long) magnitude, 0, out, n); // a whole number of at most 17 digits
            }
            if (exponent < 0 && -exponent < POWERS_OF_FIVE.length
                    && mantissa <= (TEN_TO_THE_17 - 1) / POWERS_OF_FIVE[-exponent]) {
                return decimal(mantissa * POWERS_OF_FIVE[-exponent], -exponent, out, n);
            }
        }
        return exact(magnitude, out, n);
    }
    // end::format[]

    /** The BigDecimal route, for values whose 17 digits need rounding (and subnormals). */
    private static int exact(double magnitude, byte[] out, int n) {
        BigDecimal rounded = new BigDecimal(magnitude).round(SEVENTEEN_DIGITS).stripTrailingZeros();
        return decimal(rounded.unscaledValue().longValueExact(), rounded.scale(), out, n);
    }

    /** Writes {@code digits * 10^-scale}, at most 17 digits, at {@code out[n]} as %g does; returns the end. */
    private static int decimal(long digits, int scale, byte[] out, int n) {
        int start = n;
        int end = AsciiLong.write(digits, out, n);
        int count = end - start;
        while (count > 1 && out[end - 1] == '0' && scale > 0) { // "%g" drops trailing zeros of the fraction
            end--;
            count--;
            scale--;
        }
        int exponent = count - 1 - scale; // digits d.ddd * 10^exponent
        if (exponent < -4 || exponent >= SIGNIFICANT_DIGITS) {
            end = insertPoint(out, start, end, 1);
            out[end++] = 'e';
            out[end++] = (byte) (exponent < 0 ? '-' : '+');
            if (Math.abs(exponent) < 10) {
                out[end++] = '0';
            }
            return AsciiLong.write(Math.abs(exponent), out, end);
        }
        if (exponent < 0) { // 0.000ddd: shift the digits right to make room for "0." and -exponent-1 zeros
            int prefix = 1 - exponent;
            System.arraycopy(out, start, out, start + prefix, count);
            out[start] = '0';
            out[start + 1] = '.';
            for (int i = start + 2; i < start + prefix; i++) {
                out[i] = '0';
            }
            return end + prefix;
        }
        if (scale <= 0) { // a whole number: pad with the zeros the scale stands for
            for (int i = 0; i < -scale; i++) {
                out[end++] = '0';
            }
            return end;
        }
        return insertPoint(out, start, end, count - scale);
    }

    /** Inserts a decimal point after {@code integerDigits} digits, unless no digit follows it. */
    private static int insertPoint(byte[] out, int start, int end, int integerDigits) {
        int point = start + integerDigits;
        if (point >= end) {
            return end;
        }
        System.arraycopy(out, point, out, point + 1, end - point);
        out[point] = '.';
        return end + 1;
    }

    private static int ascii(String s, byte[] out, int position) {
        for (int i = 0; i < s.length(); i++) {
            out[position++] = (byte) s.charAt(i);
        }
        return position;
    }
}
