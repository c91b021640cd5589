// Glob matching against an independent model: java.util.regex, for patterns made of literals, '?', '*' and classes.
package io.port6379.server;

import io.port6379.server.util.Glob;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlobProperties {

    /** Law: for well-formed patterns, Glob.matches agrees with the equivalent regular expression. */
    @Property(tries = 1000)
    void agreesWithRegularExpressions(@ForAll("patterns") String pattern, @ForAll("strings") String string) {
        boolean expected = Pattern.compile(toRegex(pattern), Pattern.DOTALL).matcher(string).matches()
                && !(string.isEmpty() && !pattern.isEmpty()); // stringmatchlen never matches an empty string
        assertEquals(expected, Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1),
                string.getBytes(StandardCharsets.ISO_8859_1), false), () -> pattern + " vs " + string);
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> element = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "c"),
                Arbitraries.just("?"),
                Arbitraries.just("*"),
                Arbitraries.of("[ab]", "[^a]", "[a-b]", "[b-c]"));
        return element.list().ofMaxSize(6).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withChars("abcd").ofMaxLength(8);
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i);
                    regex.append(glob, i, end + 1);
                    i = end;
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
