// Laws of Redis's number conversions: what string2ll accepts, and that printed doubles read back exactly.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.DoubleSupplier;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

class RedisNumbersProperties {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Law: every long's decimal text parses back to it. */
    @Property(tries = 1000)
    void parseLongReadsBackEveryLong(@ForAll long value) {
        assertEquals(value, RedisNumbers.parseLong(b(Long.toString(value))));
        assertArrayEquals(b(Long.toString(value)), RedisNumbers.formatLong(value));
    }

    @Example
    void formatLongAtTheEdgesOfEachDigitCount() {
        long power = 1;
        for (int exponent = 0; exponent <= 18; exponent++, power *= 10) { // 10^18 is the largest power in a long
            for (long value : new long[] {power - 1, power, -power, -(power - 1)}) {
                assertArrayEquals(b(Long.toString(value)), RedisNumbers.formatLong(value), Long.toString(value));
            }
        }
        assertArrayEquals(b("9223372036854775807"), RedisNumbers.formatLong(Long.MAX_VALUE));
        assertArrayEquals(b("-9223372036854775808"), RedisNumbers.formatLong(Long.MIN_VALUE));
    }

    /**
     * Law: parseDouble (with its fast path for short plain decimals) accepts exactly the texts the general
     * strtod port accepts, and reads the same double, bit for bit (so -0 stays negative).
     */
    @Property(tries = 1000)
    void parseDoubleAgreesWithTheGeneralStrtod(
            @ForAll @StringLength(max = 19) @Chars({'-', '+', '.', '0', '1', '3', '5', '7', '9', 'e'}) String text) {
        byte[] bytes = b(text);
        Double general = readOrNull(() -> RedisNumbers.strtod(bytes));
        Double fast = readOrNull(() -> RedisNumbers.parseDouble(bytes));
        assertEquals(general, fast, text); // Double.equals compares the bits
    }

    /** Law: decimals of up to 17 digits, around the fast path's 15-digit limit, read as the general parser reads them. */
    @Property(tries = 1000)
    void parseDoubleOfManyDigitDecimalsAgreesWithTheGeneralStrtod(
            @ForAll @LongRange(min = -99_999_999_999_999_999L, max = 99_999_999_999_999_999L) long digits,
            @ForAll @LongRange(min = 0, max = 17) long point) {
        String plain = Long.toString(Math.abs(digits));
        int at = (int) Math.min(point, plain.length());
        String text = (digits < 0 ? "-" : "") + plain.substring(0, plain.length() - at) + "." + plain.substring(plain.length() - at);
        assertEquals(RedisNumbers.strtod(b(text)), RedisNumbers.parseDouble(b(text)), text);
    }

    /**
     * Law: decimals with an exponent ({@code 0.123456789012e6}, {@code -5E-3}), around the fast path's limits of 15
     * digits and powers of ten up to 10^22, read as the general parser reads them.
     */
    @Property(tries = 2000)
    void parseDoubleWithAnExponentAgreesWithTheGeneralStrtod(
            @ForAll @LongRange(min = -99_999_999_999_999_999L, max = 99_999_999_999_999_999L) long digits,
            @ForAll @LongRange(min = 0, max = 17) long point, @ForAll @IntRange(min = -40, max = 40) int exponent,
            @ForAll boolean upper, @ForAll boolean plus) {
        String plain = Long.toString(Math.abs(digits));
        int at = (int) Math.min(point, plain.length());
        String text = (digits < 0 ? "-" : "") + plain.substring(0, plain.length() - at) + "." + plain.substring(plain.length() - at)
                + (upper ? "E" : "e") + (plus && exponent >= 0 ? "+" : "") + exponent;
        assertEquals(RedisNumbers.strtod(b(text)), RedisNumbers.parseDouble(b(text)), text);
    }

    /** Law: formatDouble's shortcut for whole numbers prints what %.17g prints (formatG17), -0 and 1e15 included. */
    @Property(tries = 1000)
    void formatDoubleOfWholeNumbersEqualsG17(@ForAll @LongRange(min = -(1L << 53), max = 1L << 53) long whole,
                                             @ForAll double any) {
        for (double value : new double[] {whole, any, -0.0, 0.0, 1e15, -1e15, 1e15 - 1, 1e17}) {
            assertArrayEquals(b(RedisNumbers.formatG17(value)), RedisNumbers.formatDouble(value), Double.toString(value));
        }
    }

    private static Double readOrNull(DoubleSupplier parse) {
        try {
            return parse.getAsDouble();
        } catch (RedisException e) {
            return null;
        }
    }

    /** Law: a text is an integer exactly when it is the canonical decimal form of a 64-bit value. */
    @Property(tries = 1000)
    void parseLongAcceptsExactlyTheCanonicalForms(
            @ForAll @StringLength(max = 21) @Chars({'-', '+', '0', '1', '9', ' ', 'x'}) String text) {
        boolean canonical = text.matches("0|-?[1-9][0-9]*")
                && new BigInteger(text).bitLength() < 64;
        assertEquals(canonical, RedisNumbers.isLong(b(text)), text);
    }

    /** Law: %.17g keeps 17 significant digits, enough for every finite double to read back identically. */
    @Property(tries = 1000)
    void formatDoubleReadsBackExactly(@ForAll double value) {
        if (Double.isNaN(value)) {
            return;
        }
        assertEquals(value, RedisNumbers.parseDouble(RedisNumbers.formatDouble(value)));
    }

    /** Law: Java's own text of a double (e.g. 1.0E-5, Infinity) is also valid for strtod and reads the same. */
    @Property(tries = 1000)
    void parseDoubleAgreesWithJavaOnJavaTexts(@ForAll double value) {
        String text = Double.toString(value);
        if (Double.isNaN(value)) {
            assertThrows(RedisException.class, () -> RedisNumbers.parseDouble(b(text)));
        } else {
            assertEquals(value, RedisNumbers.parseDouble(b(text)));
        }
    }

    /** Law: long doubles hold every integer below 2^64, so INCRBYFLOAT on integers is exact integer addition. */
    @Property(tries = 1000)
    void incrByFloatOnIntegersIsExact(@ForAll @LongRange(min = -(1L << 62), max = 1L << 62) long a,
                                      @ForAll @LongRange(min = -(1L << 62), max = 1L << 62) long b) {
        assertEquals(BigInteger.valueOf(a).add(BigInteger.valueOf(b)).toString(),
                new String(RedisNumbers.incrByFloat(b(Long.toString(a)), b(Long.toString(b))), StandardCharsets.US_ASCII));
    }

    /** Law: the "%.17Lf" text of a double with at most 17 decimals and few digits parses back to it. */
    @Property(tries = 1000)
    void formatHumanOfModerateValuesReadsBack(@ForAll @DoubleRange(min = -1e6, max = 1e6) double value) {
        double rounded = Math.round(value * 1000) / 1000.0;
        assertEquals(rounded, RedisNumbers.parseDouble(RedisNumbers.formatHuman(rounded)), 0.0);
    }

    @Example
    void examplesFromRedis70() {
        assertEquals("1.1000000000000001", RedisNumbers.formatG17(1.1));
        assertEquals("1e+20", RedisNumbers.formatG17(1e20));
        assertEquals("1.0000000000000001e-05", RedisNumbers.formatG17(1e-5));
        assertEquals("0.0001", RedisNumbers.formatG17(1e-4));
        assertEquals("9.9999999999999694e-311", RedisNumbers.formatG17(1e-310));
        assertEquals("inf", RedisNumbers.formatG17(Double.POSITIVE_INFINITY));
        assertEquals("-0", RedisNumbers.formatG17(-0.0));
        assertEquals(16.0, RedisNumbers.parseDouble(b("0x10")));
        assertEquals(Double.NEGATIVE_INFINITY, RedisNumbers.parseDouble(b("-inf")));
        for (String rejected : new String[] {"nan", " 1", "1 ", "1.5d", "1e400", "1e-400", "", "0x", "1e"}) {
            assertEquals("ERR value is not a valid float",
                    assertThrows(RedisException.class, () -> RedisNumbers.parseDouble(b(rejected))).getMessage(), rejected);
        }
    }
}
