// Laws of the %.17g formatter: seventeen significant digits always read back as the very same double.
package io.port6379.protocol;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoubleFormatProperties {

    @Property(tries = 2000)
    void allocationFreePathsAgreeWithExactRounding(@ForAll("doublesOfEveryKind") double value) {
        byte[] out = new byte[DoubleFormat.MAX_LENGTH];
        String text = new String(out, 0, DoubleFormat.format(value, out), StandardCharsets.US_ASCII);
        assertEquals(cPrintf17g(value), text);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Double> doublesOfEveryKind() {
        return net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.doubles(),
                net.jqwik.api.Arbitraries.longs().between(-(1L << 40), 1L << 40).map(n -> n / 1024.0),
                net.jqwik.api.Arbitraries.longs().map(n -> (double) n),
                net.jqwik.api.Arbitraries.integers().between(-1074, 1023).map(e -> Math.scalb(1.0, e)),
                net.jqwik.api.Arbitraries.of(0.0, -0.0, 1e16, 1e17, 99999999999999984.0, 0.0001, 0.00001, 1e-5,
                        Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 0.5, 100.25));
    }

    /** An independent model of C's %.17g: BigDecimal rounding and Java's own exponent formatting. */
    private static String cPrintf17g(double value) {
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        java.math.BigDecimal rounded = new java.math.BigDecimal(value)
                .round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            java.math.BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    @Property(tries = 1000)
    void formattedDoubleParsesBackToItself(@ForAll double value) {
        byte[] out = new byte[DoubleFormat.MAX_LENGTH];
        String text = new String(out, 0, DoubleFormat.format(value, out), StandardCharsets.US_ASCII);
        double parsed = switch (text) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
        assertEquals(value, parsed, text);
    }

    @Property(tries = 1000)
    void formattedDoubleHasAtMostSeventeenSignificantDigits(@ForAll double value) {
        byte[] out = new byte[DoubleFormat.MAX_LENGTH];
        String text = new String(out, 0, DoubleFormat.format(value, out), StandardCharsets.US_ASCII);
        String mantissa = text.split("e")[0].replace("-", "").replace(".", "").replaceFirst("^0+", "");
        assertTrue(mantissa.length() <= 17, text);
    }
}
