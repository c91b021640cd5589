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
 * <p>Java's {@code String.format("%.17g")} differs from C's (it keeps trailing zeros), so the digits come from the
 * exact decimal value of the double through {@link BigDecimal}. Whole numbers below 10^17, the usual scores, take
 * a fast path that allocates nothing.
 */
final class DoubleFormat {

    /** Longest output: sign, 17 digits, point, "e-308". */
    static final int MAX_LENGTH = 32;
    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);

    private DoubleFormat() {
    }

    /** Writes {@code value} at {@code out[0]} onwards and returns the length (at most {@link #MAX_LENGTH}). */
    static int format(double value, byte[] out) {
        if (Double.isNaN(value)) {
            return ascii("nan", out, 0);
        }
        if (Double.isInfinite(value)) {
            return ascii(value > 0 ? "inf" : "-inf", out, 0);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e17) {
            if (value == 0 && 1 / value < 0) {
                return ascii("-0", out, 0);
            }
            return AsciiLong.write((long) value, out, 0);
        }
        BigDecimal rounded = new BigDecimal(value).round(SEVENTEEN_DIGITS).stripTrailingZeros();
        String digits = rounded.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - rounded.scale(); // value = d.ddd * 10^exponent
        int n = value < 0 ? ascii("-", out, 0) : 0;
        if (exponent < -4 || exponent >= 17) {
            n = ascii(digits.substring(0, 1), out, n);
            if (digits.length() > 1) {
                n = ascii(".", out, n);
                n = ascii(digits.substring(1), out, n);
            }
            n = ascii(exponent < 0 ? "e-" : "e+", out, n);
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out[n++] = '0';
            }
            return AsciiLong.write(magnitude, out, n);
        }
        if (exponent < 0) {
            n = ascii("0.", out, n);
            n = ascii("0".repeat(-exponent - 1), out, n);
            return ascii(digits, out, n);
        }
        if (digits.length() <= exponent + 1) {
            n = ascii(digits, out, n);
            return ascii("0".repeat(exponent + 1 - digits.length()), out, n);
        }
        n = ascii(digits.substring(0, exponent + 1), out, n);
        n = ascii(".", out, n);
        return ascii(digits.substring(exponent + 1), out, n);
    }

    private static int ascii(String s, byte[] out, int position) {
        for (int i = 0; i < s.length(); i++) {
            out[position++] = (byte) s.charAt(i);
        }
        return position;
    }
}
