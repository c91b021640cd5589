// Redis's glob patterns, as KEYS, SCAN MATCH and CONFIG GET use them.
package io.port6379.server;

import io.port6379.server.util.Glob;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlobTest {

    @ParameterizedTest(name = "''{0}'' against ''{1}'' is {2}")
    @CsvSource(delimiter = '|', value = {
            "*|anything|true",
            "*|''|false",                 // stringmatchlen needs a byte to match; KEYS * special-cases "all keys"
            "h?llo|hello|true",
            "h?llo|hllo|false",
            "h*llo|hllo|true",
            "h*llo|heeeello|true",
            "h[ae]llo|hallo|true",
            "h[ae]llo|hillo|false",
            "h[^e]llo|hallo|true",
            "h[^e]llo|hello|false",
            "h[a-b]llo|hbllo|true",
            "h[b-a]llo|hbllo|true",       // reversed ranges are swapped
            "h\\*llo|h*llo|true",
            "h\\*llo|hello|false",
            "a*a*a*a*a*a*a*a*b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|false",
            "[abc|a|true",                // an unterminated class ends at the pattern's end
            "**|x|true",
            "a*|a|true",
    })
    void matchesLikeRedisStringmatchlen(String pattern, String string, boolean expected) {
        assertEquals(expected, Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1),
                string.getBytes(StandardCharsets.ISO_8859_1), false));
    }

    @ParameterizedTest
    @CsvSource({"MAXMEMORY*,maxmemory-policy", "*Bulk*,proto-max-bulk-len"})
    void configPatternsIgnoreCase(String pattern, String name) {
        assertEquals(true, Glob.matches(pattern, name));
    }
}
