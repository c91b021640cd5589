// Laws of the %.17g formatter: seventeen significant digits always read back as the very same double.
package io.port6379.protocol;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoubleFormatProperties {

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
