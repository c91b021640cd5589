// The golden cases against our decoder: in one piece, one byte at a time, and split in the middle.
package io.port6379.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoldenCaseTest {

    static List<GoldenCase> cases() {
        return GoldenCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesLikeRedisInOnePiece(GoldenCase c) {
        assertEquals(new Decoding(c.commands(), c.error()), Decoding.whole(c.input(), c.authRequired()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesLikeRedisOneByteAtATime(GoldenCase c) {
        assertEquals(new Decoding(c.commands(), c.error()), Decoding.of(Decoding.byteByByte(c.input()), c.authRequired()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesLikeRedisSplitInTheMiddle(GoldenCase c) {
        List<byte[]> halves = Decoding.split(c.input(), c.input().length / 2);
        assertEquals(new Decoding(c.commands(), c.error()), Decoding.of(halves, c.authRequired()));
    }
}
