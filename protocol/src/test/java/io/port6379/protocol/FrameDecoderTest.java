// The reply decoder on bytes a real Redis 7.0.15 sent (DEBUG PROTOCOL, HELLO 3, ZSCORE), and on its limits.
package io.port6379.protocol;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameDecoderTest {

    private static List<Frame> decode(String wire) throws ProtocolException {
        return FrameProperties.decodeAll(List.of(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static Frame.BulkString bulk(String s) {
        return Frame.BulkString.of(s);
    }

    private static Frame.Integer integer(long n) {
        return new Frame.Integer(n);
    }

    @Test
    void decodesEveryResp3TypeRedisSendsForDebugProtocol() throws ProtocolException {
        // Recorded from redis-server 7.0.15 after HELLO 3: DEBUG PROTOCOL bignum, null, set, map, attrib, push,
        // verbatim, true, double.
        String wire = "(1234567999999999999999999999999999999\r\n_\r\n~3\r\n:0\r\n:1\r\n:2\r\n"
                + "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"
                + "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n"
                + ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
                + "=29\r\ntxt:This is a verbatim\nstring\r\n#t\r\n,3.141\r\n";
        assertEquals(List.of(
                new Frame.BigNumber(new BigInteger("1234567999999999999999999999999999999")),
                new Frame.Null(),
                new Frame.Set(List.of(integer(0), integer(1), integer(2))),
                new Frame.Map(List.of(new Frame.Entry(integer(0), new Frame.Boolean(false)),
                        new Frame.Entry(integer(1), new Frame.Boolean(true)),
                        new Frame.Entry(integer(2), new Frame.Boolean(false)))),
                new Frame.Attribute(List.of(new Frame.Entry(bulk("key-popularity"),
                        new Frame.Array(List.of(bulk("key:123"), integer(90))))),
                        bulk("Some real reply following the attribute")),
                new Frame.Push(List.of(bulk("server-cpu-usage"), integer(42))),
                new Frame.VerbatimString("txt", "This is a verbatim\nstring".getBytes(StandardCharsets.US_ASCII)),
                new Frame.Boolean(true),
                new Frame.Double(3.141)), decode(wire));
    }

    @Test
    void decodesResp2NullsAndNestedArrays() throws ProtocolException {
        assertEquals(List.of(new Frame.Null(), new Frame.Null(),
                        new Frame.Array(List.of(new Frame.Array(List.of(new Frame.Null())), new Frame.SimpleError("ERR x")))),
                decode("$-1\r\n*-1\r\n*2\r\n*1\r\n$-1\r\n-ERR x\r\n"));
    }

    @Test
    void decodesDoublesAsRedisWritesThem() throws ProtocolException {
        assertEquals(List.of(new Frame.Double(0.1), new Frame.Double(Double.POSITIVE_INFINITY),
                        new Frame.Double(Double.NEGATIVE_INFINITY), new Frame.Double(Double.NaN), new Frame.Double(1e20)),
                decode(",0.10000000000000001\r\n,inf\r\n,-inf\r\n,nan\r\n,1e+20\r\n"));
    }

    @Test
    void emptyAggregatesAreCompleteAtOnce() throws ProtocolException {
        assertEquals(List.of(new Frame.Array(List.of()), new Frame.Map(List.of()), new Frame.Set(List.of())),
                decode("*0\r\n%0\r\n~0\r\n"));
    }

    @Test
    void partialFrameWaitsForTheRest() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        byte[] head = "*2\r\n$5\r\nhel".getBytes(StandardCharsets.US_ASCII);
        decoder.feed(head, 0, head.length);
        assertNull(decoder.next());
        byte[] tail = "lo\r\n:7\r\n".getBytes(StandardCharsets.US_ASCII);
        decoder.feed(tail, 0, tail.length);
        assertEquals(new Frame.Array(List.of(bulk("hello"), integer(7))), decoder.next());
    }

    @Test
    void nestingDeeperThanTheLimitIsAProtocolError() {
        String deep = "*1\r\n".repeat(65) + ":1\r\n";
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(deep));
        assertEquals("Protocol error: too deeply nested reply", e.getMessage());
    }

    @Test
    void nestingUpToTheLimitDecodes() throws ProtocolException {
        Frame frame = integer(1);
        for (int i = 0; i < 64; i++) {
            frame = new Frame.Array(List.of(frame));
        }
        assertEquals(List.of(frame), decode("*1\r\n".repeat(64) + ":1\r\n"));
    }

    @Test
    void malformedRepliesAreProtocolErrors() {
        for (String wire : List.of("?\r\n", ":1x\r\n", "#x\r\n", ",1.5.5\r\n", ",Infinity\r\n", "(12a\r\n", "_x\r\n",
                "$-2\r\n", "%-1\r\n", "=3\r\ntxt\r\n", "$3\r\nabcde", "+OK\rx", "*2147483648\r\n", "$?\r\n")) {
            assertThrows(ProtocolException.class, () -> decode(wire), wire);
        }
    }

    @Test
    void hugeCountAllocatesNothingUpFront() throws ProtocolException {
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of(), decode("*2147483647\r\n:1\r\n"));
        }
    }
}
