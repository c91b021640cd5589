// Parsing of score and lex range bounds, with the quirks of Redis 7.0.15's strtod-based parser.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RangeParsingTest {

    private static ScoreRange score(String min, String max) {
        return ScoreRange.parse(Bytes.of(min), Bytes.of(max));
    }

    private static String scoreError(String min, String max) {
        return assertThrows(RedisException.class, () -> score(min, max)).getMessage();
    }

    @Test
    void scoreBoundsAcceptWhatStrtodReads() {
        assertEquals(new ScoreRange(1.5, true, 2, false), score("(1.5", "2"));
        assertEquals(ScoreRange.ALL, score("-inf", "+inf"));
        assertEquals(new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false),
                score("-INFINITY", "inf"));
        assertEquals(new ScoreRange(16, false, 1, false), score("0x10", "1e0"));
        assertEquals(Double.POSITIVE_INFINITY, score("1e400", "0").min(), "overflow is inf, not an error");
        assertEquals(new ScoreRange(1, false, 0, true), score(" 1", "("), "leading space; '(' alone is 0");
        assertEquals(new ScoreRange(0, false, 0, false), score("", ""), "an empty bound is 0");
    }

    @Test
    void scoreBoundsRejectNanAndTrailingGarbage() {
        assertEquals("ERR min or max is not a float", scoreError("nan", "1"));
        assertEquals("ERR min or max is not a float", scoreError("1", "(nan"));
        assertEquals("ERR min or max is not a float", scoreError("1 ", "2"));
        assertEquals("ERR min or max is not a float", scoreError("abc", "2"));
        assertEquals("ERR min or max is not a float", scoreError("[1", "2"));
        assertEquals("ERR min or max is not a float", scoreError(" ", "2"));
    }

    @Test
    void emptyScoreRanges() {
        assertEquals(true, score("5", "1").isEmpty());
        assertEquals(true, score("(1", "1").isEmpty());
        assertEquals(false, score("1", "1").isEmpty());
    }

    private static String lexError(String min, String max) {
        return assertThrows(RedisException.class, () -> LexRange.parse(Bytes.of(min), Bytes.of(max))).getMessage();
    }

    @Test
    void lexBoundsAreDashPlusOrBracketed() {
        LexRange range = LexRange.parse(Bytes.of("[a"), Bytes.of("(b"));
        assertEquals("[a", range.min().toString());
        assertEquals("(b", range.max().toString());
        assertEquals(LexRange.ALL, LexRange.parse(Bytes.of("-"), Bytes.of("+")));
        assertEquals(true, LexRange.parse(Bytes.of("["), Bytes.of("+")).contains(new byte[0]), "'[' is the empty member");
        assertEquals("ERR min or max not valid string range item", lexError("++", "+"));
        assertEquals("ERR min or max not valid string range item", lexError("a", "b"));
        assertEquals("ERR min or max not valid string range item", lexError("", "+"));
        assertEquals("ERR min or max not valid string range item", lexError("-", "+a"));
    }

    @Test
    void emptyLexRanges() {
        assertEquals(true, LexRange.parse(Bytes.of("+"), Bytes.of("-")).isEmpty());
        assertEquals(true, LexRange.parse(Bytes.of("-"), Bytes.of("-")).isEmpty());
        assertEquals(true, LexRange.parse(Bytes.of("(a"), Bytes.of("[a")).isEmpty());
        assertEquals(false, LexRange.parse(Bytes.of("[a"), Bytes.of("[a")).isEmpty());
        assertEquals(true, LexRange.parse(Bytes.of("[b"), Bytes.of("[a")).isEmpty());
    }
}
