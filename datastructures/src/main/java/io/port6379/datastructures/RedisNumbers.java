// Numbers as Redis reads and writes them in strings: stricter parsing than Java's, and C's printf formats.
package io.port6379.datastructures;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Redis's conversions between numbers and strings: {@code string2ll} for integers, {@code strtod} (with the
 * checks of {@code getDoubleFromObject}) for doubles such as scores, {@code strtold} for INCRBYFLOAT's long
 * doubles, and the two printf formats Redis replies with: {@code "%.17g"} for doubles and {@code "%.17Lf"}
 * with trailing zeros trimmed for INCRBYFLOAT and HINCRBYFLOAT.
 */
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

    /**
     * Whether {@link #parseLong} accepts {@code text}. O(N). The syntax is checked here without an exception:
     * SADD and OBJECT ENCODING ask about every member and value, most of which are not numbers.
     */
    public static boolean isLong(byte[] text) {
        int length = text.length;
        if (length == 0 || length > 20) {
            return false;
        }
        if (length == 1 && text[0] == '0') {
            return true;
        }
        int first = text[0] == '-' ? 1 : 0;
        if (first == length || text[first] < '1' || text[first] > '9') {
            return false;
        }
        for (int i = first + 1; i < length; i++) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
        }
        if (length - first < 19) {
            return true; // up to 18 digits always fit in 64 bits
        }
        try {
            parseLong(text); // 19 or 20 digits: only the full parse knows whether they overflow
            return true;
        } catch (RedisException e) {
            return false;
        }
    }

    // tag::ll2string[]
    /** The decimal text of {@code value}, as Redis's {@code ll2string}. O(1). */
    public static byte[] formatLong(long value) {
        // Digits go straight into the result: INCR replies with one, and Long.toString(value).getBytes()
        // would build a String (and its array) only to copy it. Working on the negative value covers
        // Long.MIN_VALUE, whose magnitude has no positive long.
        boolean negative = value < 0;
        long rest = negative ? value : -value;
        int digits = 1;
        for (long bound = -10; digits < 19 && rest <= bound; bound *= 10) { // a long has at most 19 digits
            digits++;
        }
        int sign = negative ? 1 : 0;
        byte[] text = new byte[sign + digits];
        for (int i = text.length - 1; i >= sign; i--) {
            text[i] = (byte) ('0' - rest % 10);
            rest /= 10;
        }
        if (negative) {
            text[0] = '-';
        }
        return text;
    }
    // end::ll2string[]

    // tag::parse-double[]
    /**
     * Parses a double as Redis does for scores and other float arguments: C's {@code strtod} must consume the
     * whole text (so no trailing spaces or garbage, and no leading space either), {@code inf}/{@code -inf}/
     * {@code +inf}/{@code infinity} are accepted in any case, hexadecimal floats ({@code 0x10}) too, while
     * {@code nan}, an overflow ({@code 1e400}) and an underflow to zero ({@code 1e-400}) are rejected.
     * Subnormal results ({@code 1e-310}) are accepted. O(N).
     *
     * @throws RedisException with {@link #NOT_A_FLOAT} otherwise
     */
    public static double parseDouble(byte[] text) {
        double simple = parseSimpleDecimal(text); // most scores, without building a BigDecimal
        return Double.isNaN(simple) ? strtod(text) : simple;
    }

    /** {@link #parseDouble} for every text, exactly (through BigDecimal); the reference for the fast path. O(N). */
    static double strtod(byte[] text) {
        CNumber number = CNumber.parse(text);
        if (number == null) {
            throw new RedisException(NOT_A_FLOAT);
        }
        double value = number.toDouble();
        if (Double.isInfinite(value) && !number.infinite()) {
            throw new RedisException(NOT_A_FLOAT); // strtod overflowed: ERANGE with HUGE_VAL
        }
        if (value == 0 && !number.zero()) {
            throw new RedisException(NOT_A_FLOAT); // strtod underflowed to zero: ERANGE
        }
        return value;
    }
    // end::parse-double[]

    /** Exact powers of ten as doubles: every 10^k up to 10^22 fits in a double's 53-bit mantissa. */
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22};

    // tag::simple-decimal[]
    /**
     * The fast path of {@link #parseDouble} for the usual score, such as {@code 1}, {@code -2.5},
     * {@code 0.125} or {@code 1.5e6}: a sign, at most 15 digits and a point, and an exponent that leaves the power
     * of ten within 10^-22..10^22. Returns NaN for any other text, which the general parser then handles (or
     * rejects). O(N), no allocation.
     */
    private static double parseSimpleDecimal(byte[] text) {
        int n = text.length;
        int i = n > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        long digits = 0;
        int count = 0;
        int fractionDigits = -1; // -1 until the point is seen
        for (; i < n; i++) {
            byte c = text[i];
            if (c >= '0' && c <= '9') {
                digits = digits * 10 + (c - '0');
                count++;
                if (fractionDigits >= 0) {
                    fractionDigits++;
                }
            } else if (c == '.' && fractionDigits < 0) {
                fractionDigits = 0;
            } else if ((c == 'e' || c == 'E') && count > 0) {
                break;
            } else {
                return Double.NaN;
            }
        }
        if (count == 0 || count > 15) {
            return Double.NaN;
        }
        int exponent = 0;
        if (i < n) { // an exponent: e or E, a sign, one to three digits
            int j = i + 1;
            boolean negative = j < n && text[j] == '-';
            if (j < n && (text[j] == '-' || text[j] == '+')) {
                j++;
            }
            if (j == n || n - j > 3) {
                return Double.NaN;
            }
            for (; j < n; j++) {
                if (text[j] < '0' || text[j] > '9') {
                    return Double.NaN;
                }
                exponent = exponent * 10 + (text[j] - '0');
            }
            exponent = negative ? -exponent : exponent;
        }
        int power = exponent - Math.max(fractionDigits, 0);
        if (power < -22 || power > 22) {
            return Double.NaN;
        }
        // Up to 15 digits the integer is exact in a double, and so is 10^k up to 10^22: one multiplication or
        // division of two exact values is correctly rounded, as strtod's result is (Clinger's fast path).
        double value = power < 0 ? digits / POWERS_OF_TEN[-power] : digits * POWERS_OF_TEN[power];
        return text[0] == '-' ? -value : value;
    }
    // end::simple-decimal[]

    /** Whether {@link #parseDouble} accepts {@code text}. O(N). */
    public static boolean isDouble(byte[] text) {
        try {
            parseDouble(text);
            return true;
        } catch (RedisException e) {
            return false;
        }
    }

    /**
     * A double as Redis 7.0 replies with it (ZSCORE, ZINCRBY): {@code "%.17g"}, so 17 significant digits with
     * trailing zeros removed, an exponent below 1e-4 or from 1e17 on ({@code 1.1000000000000001},
     * {@code 1e+20}, {@code 1.0000000000000001e-05}), and {@code inf}/{@code -inf}. O(1).
     */
    public static byte[] formatDouble(double value) {
        // Whole scores are the common case. "%.17g" prints a whole number below 1e17 as its digits (no point,
        // no exponent), so formatLong gives the same bytes without a String; -0 (printed "-0") is excluded.
        if (value == (long) value && Math.abs(value) < 1e15 && (value != 0 || 1 / value > 0)) {
            return formatLong((long) value);
        }
        return ascii(formatG17(value));
    }

    /** {@link #formatDouble} as a String. O(1). */
    public static String formatG17(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        // tag::format-g17[]
        // C's %.17g: round to 17 significant digits, then use %e when the decimal exponent X of the rounded
        // value is < -4 or >= 17, else %f with 17-1-X decimals; finally drop trailing zeros (no '#' flag).
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            String digits = trimZeros(rounded.unscaledValue().abs().toString());
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
            return (value < 0 ? "-" : "") + mantissa + "e" + exp;
        }
        return trimFraction(rounded.setScale(Math.max(0, 16 - exponent), RoundingMode.HALF_EVEN).toPlainString());
        // end::format-g17[]
    }

    /**
     * A double as INCRBYFLOAT writes it ({@code "%.17Lf"} then trailing zeros and dot removed), for callers
     * that hold a plain double. O(1).
     */
    public static byte[] formatHuman(double value) {
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            return ascii(formatG17(value));
        }
        return ascii(LongDouble.format(new BigDecimal(value)));
    }

    /** INCRBYFLOAT's error when the result (or an infinite operand) is not finite. */
    public static final String INCREMENT_INFINITY = "ERR increment would produce NaN or Infinity";

    // tag::incrbyfloat[]
    /**
     * Adds {@code increment} to {@code current} the way INCRBYFLOAT does: both parsed as C long doubles
     * ({@code strtold}, 64-bit mantissa), added in long double precision, and printed with {@code "%.17Lf"} with
     * trailing zeros removed, so {@code 3.0 + 1.1} is {@code 4.1} and {@code 1e20 + 0.1} is {@code 1e20}.
     * O(1) for numbers of ordinary size.
     *
     * @param current the key's current value, or {@code null} for a missing key (0)
     * @throws RedisException {@link #NOT_A_FLOAT} when either text is not a float, {@link #INCREMENT_INFINITY}
     *                        when the result is not finite
     */
    public static byte[] incrByFloat(byte[] current, byte[] increment) {
        BigDecimal base = current == null ? BigDecimal.ZERO : parseLongDouble(current, NOT_A_FLOAT);
        BigDecimal incr = parseLongDouble(increment, NOT_A_FLOAT);
        return addLongDoubles(base, incr);
    }
    // end::incrbyfloat[]

    /** {@code string2ld}: the exact value of the long double the text denotes, infinities as sentinels. */
    static BigDecimal parseLongDouble(byte[] text, String error) {
        BigDecimal value = LongDouble.parse(text);
        if (value == null) {
            throw new RedisException(error);
        }
        return value;
    }

    static boolean isInfinite(BigDecimal longDouble) {
        return longDouble == LongDouble.POSITIVE_INFINITY || longDouble == LongDouble.NEGATIVE_INFINITY;
    }

    /** The long double sum, formatted as INCRBYFLOAT stores it. */
    static byte[] addLongDoubles(BigDecimal base, BigDecimal incr) {
        if (isInfinite(base) || isInfinite(incr)) {
            throw new RedisException(INCREMENT_INFINITY);
        }
        BigDecimal sum = LongDouble.round(base.add(incr));
        if (sum == null) {
            throw new RedisException(INCREMENT_INFINITY);
        }
        return ascii(LongDouble.format(sum));
    }

    private static String trimZeros(String digits) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }

    static String trimFraction(String plain) {
        if (plain.indexOf('.') < 0) {
            return plain;
        }
        int end = plain.length();
        while (plain.charAt(end - 1) == '0') {
            end--;
        }
        if (plain.charAt(end - 1) == '.') {
            end--;
        }
        String result = plain.substring(0, end);
        return result.equals("-0") ? "0" : result;
    }

    static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * C's long double (x87 80-bit extended: 64-bit mantissa, 15-bit exponent) emulated exactly with BigDecimal:
     * every value is kept as the exact binary fraction a long double would hold.
     */
    static final class LongDouble {

        static final BigDecimal POSITIVE_INFINITY = new BigDecimal("1e99999");
        static final BigDecimal NEGATIVE_INFINITY = new BigDecimal("-1e99999");
        private static final int MANTISSA_BITS = 64;
        private static final int MAX_EXPONENT = 16383;   // largest long double is just below 2^16384
        private static final int MIN_EXPONENT = -16382;  // smallest normal long double is 2^-16382
        private static final int MAX_CHARS = 5 * 1024;   // Redis's MAX_LONG_DOUBLE_CHARS

        private LongDouble() {
        }

        /** {@code string2ld}: the long double value of the text, or null when Redis rejects it. */
        static BigDecimal parse(byte[] text) {
            if (text.length >= MAX_CHARS) {
                return null;
            }
            CNumber number = CNumber.parse(text);
            if (number == null) {
                return null;
            }
            if (number.infinite()) {
                return number.negative() ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
            }
            if (number.zero()) {
                return BigDecimal.ZERO;
            }
            BigDecimal value = round(number.exact());
            if (value == null || value.signum() == 0) {
                return null; // ERANGE: overflow, or underflow to zero
            }
            return value;
        }

        // tag::long-double[]
        /** Rounds an exact value to the nearest long double (ties to even); null when it overflows. */
        static BigDecimal round(BigDecimal exact) {
            if (exact.signum() == 0) {
                return BigDecimal.ZERO;
            }
            // Find k such that 2^63 <= |exact| * 2^k < 2^64, then round that to an integer.
            BigInteger integerPart = exact.abs().toBigInteger();
            int log2 = integerPart.signum() > 0 ? integerPart.bitLength() - 1
                    : -(int) Math.ceil((exact.abs().scale() - exact.abs().precision()) * 3.3219280948873623) - 1;
            int k = MANTISSA_BITS - 1 - log2;
            BigInteger mantissa;
            while (true) {
                BigDecimal scaled = scaleByPowerOfTwo(exact.abs(), k);
                mantissa = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
                int bits = scaled.toBigInteger().bitLength();
                if (bits > MANTISSA_BITS) {
                    k--;
                } else if (bits < MANTISSA_BITS) {
                    k++;
                } else {
                    break;
                }
            }
            int exponent = MANTISSA_BITS - 1 - k + (mantissa.bitLength() - MANTISSA_BITS);
            if (exponent > MAX_EXPONENT) {
                return null;
            }
            if (exponent < MIN_EXPONENT) {
                return BigDecimal.ZERO; // subnormal long doubles are out of any practical use here
            }
            BigDecimal value = scaleByPowerOfTwo(new BigDecimal(mantissa), -k);
            return exact.signum() < 0 ? value.negate() : value;
        }
        // end::long-double[]

        /** {@code "%.17Lf"} with the trailing zeros and the dot removed, as Redis's {@code ld2string(LD_STR_HUMAN)}. */
        static String format(BigDecimal value) {
            return trimFraction(value.setScale(17, RoundingMode.HALF_EVEN).toPlainString());
        }

        private static BigDecimal scaleByPowerOfTwo(BigDecimal value, int k) {
            if (k >= 0) {
                return value.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)));
            }
            // Dividing by 2^n is exact in decimal: multiply by 5^n and move the point n places.
            return value.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-k))).scaleByPowerOfTen(k);
        }
    }

    /**
     * The grammar C's {@code strtod} accepts, checked strictly over the whole text: decimal and hexadecimal
     * floats with an optional sign and exponent, and infinities. NaN is recognized only to be rejected.
     */
    record CNumber(boolean negative, boolean infinite, BigDecimal exact) {

        boolean zero() {
            return !infinite && exact.signum() == 0;
        }

        double toDouble() {
            if (infinite) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            double value = exact.doubleValue(); // BigDecimal.doubleValue rounds correctly, as strtod does
            return negative && value == 0 ? -0.0 : value;
        }

        static CNumber parse(byte[] text) {
            int n = text.length;
            if (n == 0) {
                return null;
            }
            int i = 0;
            boolean negative = false;
            if (text[0] == '+' || text[0] == '-') {
                negative = text[0] == '-';
                i = 1;
            }
            String rest = new String(text, i, n - i, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
                return new CNumber(negative, true, null);
            }
            BigDecimal magnitude = rest.length() > 1 && rest.charAt(0) == '0'
                    && (rest.charAt(1) == 'x' || rest.charAt(1) == 'X') ? hex(rest.substring(2)) : decimal(rest);
            if (magnitude == null) {
                return null;
            }
            return new CNumber(negative, false, negative ? magnitude.negate() : magnitude);
        }

        private static BigDecimal decimal(String s) {
            int i = 0;
            int n = s.length();
            int digits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
            if (i < n && s.charAt(i) == '.') {
                i++;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                    digits++;
                }
            }
            if (digits == 0) {
                return null;
            }
            int mantissaEnd = i;
            long exponent = 0;
            if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                Exponent e = Exponent.parse(s, i + 1);
                if (e == null) {
                    return null; // strtod would stop before the 'e', leaving garbage
                }
                exponent = e.value();
                i = e.end();
            }
            if (i != n) {
                return null;
            }
            BigDecimal mantissa = new BigDecimal(s.substring(0, mantissaEnd).equals(".") ? "0" : s.substring(0, mantissaEnd));
            if (mantissa.signum() == 0) {
                return BigDecimal.ZERO;
            }
            // Clamp absurd exponents: far beyond any long double, they only decide overflow or underflow.
            long clamped = Math.max(-20_000, Math.min(20_000, exponent));
            return mantissa.scaleByPowerOfTen((int) clamped);
        }

        /** A signed decimal exponent (of 'e' or 'p'), capped at ±1 000 000, and the index after its last digit. */
        private record Exponent(long value, int end) {

            /** The exponent whose sign or first digit is at {@code from}, or null when no digit follows. */
            static Exponent parse(String s, int from) {
                int i = from;
                int n = s.length();
                boolean negative = false;
                if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    negative = s.charAt(i) == '-';
                    i++;
                }
                int start = i;
                long value = 0;
                while (i < n && isDigit(s.charAt(i))) {
                    value = Math.min(value * 10 + (s.charAt(i) - '0'), 1_000_000);
                    i++;
                }
                return i == start ? null : new Exponent(negative ? -value : value, i);
            }
        }

        private static BigDecimal hex(String s) {
            int i = 0;
            int n = s.length();
            BigInteger mantissa = BigInteger.ZERO;
            int digits = 0;
            int fractionDigits = 0;
            boolean inFraction = false;
            while (i < n) {
                char c = s.charAt(i);
                int d = Character.digit(c, 16);
                if (d >= 0 && c < 128) {
                    mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(d));
                    digits++;
                    if (inFraction) {
                        fractionDigits++;
                    }
                } else if (c == '.' && !inFraction) {
                    inFraction = true;
                } else {
                    break;
                }
                i++;
            }
            if (digits == 0) {
                return null;
            }
            long exponent = 0;
            if (i < n && (s.charAt(i) == 'p' || s.charAt(i) == 'P')) {
                Exponent e = Exponent.parse(s, i + 1);
                if (e == null) {
                    return null;
                }
                exponent = e.value();
                i = e.end();
            }
            if (i != n) {
                return null;
            }
            if (mantissa.signum() == 0) {
                return BigDecimal.ZERO;
            }
            long shift = Math.max(-70_000, Math.min(70_000, exponent - 4L * fractionDigits));
            return LongDouble.scaleByPowerOfTwo(new BigDecimal(mantissa), (int) shift);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
