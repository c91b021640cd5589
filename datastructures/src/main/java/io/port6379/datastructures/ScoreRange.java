// A score interval as ZRANGEBYSCORE, ZCOUNT and ZREMRANGEBYSCORE take it: "1", "(1", "-inf", "+inf".
package io.port6379.datastructures;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A closed, open or half-open interval of scores, Redis's {@code zrangespec}. Bounds are parsed by
 * {@link #parse}; {@code (} makes a bound exclusive.
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {

    public static final String NOT_A_FLOAT = "ERR min or max is not a float";

    /** Everything: {@code -inf +inf}. */
    public static final ScoreRange ALL = new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    // What C's strtod accepts, whole (after leading white space): decimal and hexadecimal floats, infinities.
    private static final Pattern STRTOD = Pattern.compile(
            "[+-]?(?:inf(?:inity)?|0x(?:\\p{XDigit}+\\.?\\p{XDigit}*|\\.\\p{XDigit}+)(?:p[+-]?\\d+)?"
                    + "|(?:\\d+\\.?\\d*|\\.\\d+)(?:e[+-]?\\d+)?)", Pattern.CASE_INSENSITIVE);

    // tag::parse-score-range[]
    /**
     * Parses {@code min} and {@code max} as {@code zslParseRange}: an optional {@code (} for an exclusive
     * bound, then what C's {@code strtod} reads, which must be the whole rest. Like strtod it skips leading
     * white space, reads {@code ""} and {@code "("} as 0, {@code 1e400} as inf; NaN is refused. O(1).
     *
     * @throws RedisException {@value #NOT_A_FLOAT}
     */
    public static ScoreRange parse(Bytes min, Bytes max) {
        byte[] lo = min.array();
        byte[] hi = max.array();
        boolean minExclusive = lo.length > 0 && lo[0] == '(';
        boolean maxExclusive = hi.length > 0 && hi[0] == '(';
        return new ScoreRange(strtod(lo, minExclusive ? 1 : 0), minExclusive,
                strtod(hi, maxExclusive ? 1 : 0), maxExclusive);
    }
    // end::parse-score-range[]

    private static double strtod(byte[] text, int from) {
        String s = new String(text, from, text.length - from, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) {
            return 0; // strtod consumed nothing, but stopped at the terminating NUL: Redis accepts it
        }
        int start = 0;
        while (start < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        s = s.substring(start);
        if (!STRTOD.matcher(s).matches()) {
            throw new RedisException(NOT_A_FLOAT);
        }
        boolean negative = s.startsWith("-");
        String unsigned = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        double value;
        if (Character.toLowerCase(unsigned.charAt(0)) == 'i') {
            value = Double.POSITIVE_INFINITY;
        } else if (unsigned.length() > 1 && Character.toLowerCase(unsigned.charAt(1)) == 'x') {
            value = Double.parseDouble(unsigned.toLowerCase().contains("p") ? unsigned : unsigned + "p0");
        } else {
            value = Double.parseDouble(unsigned);
        }
        return negative ? -value : value;
    }

    /** Whether {@code score} is not below the minimum. O(1). */
    public boolean aboveMin(double score) {
        return minExclusive ? score > min : score >= min;
    }

    /** Whether {@code score} is not above the maximum. O(1). */
    public boolean belowMax(double score) {
        return maxExclusive ? score < max : score <= max;
    }

    /** Whether {@code score} lies in the range. O(1). */
    public boolean contains(double score) {
        return aboveMin(score) && belowMax(score);
    }

    /** Whether no score at all can lie in the range, e.g. {@code 5 1} or {@code (1 1}. O(1). */
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }
}
