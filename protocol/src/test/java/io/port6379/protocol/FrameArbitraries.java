// jqwik generators of frames: RESP2-only frames, and frames of every RESP3 type, nested a few levels deep.
package io.port6379.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.math.BigInteger;
import java.util.List;

final class FrameArbitraries {

    private FrameArbitraries() {
    }

    /** Any byte string, biased towards the bytes that matter to RESP. */
    static Arbitrary<byte[]> payloads() {
        Arbitrary<Byte> special = Arbitraries.of((byte) '\r', (byte) '\n', (byte) 0, (byte) '$', (byte) '*', (byte) ' ', (byte) '"');
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(1, special))
                .array(byte[].class).ofMaxSize(40);
    }

    /** A line-safe string (no CR or LF), with characters 0..255 since lines are ISO-8859-1. */
    static Arbitrary<String> lines() {
        return Arbitraries.strings().withCharRange((char) 0, (char) 255).excludeChars('\r', '\n').ofMaxLength(30);
    }

    static Arbitrary<Frame> resp2() {
        return resp2(3);
    }

    private static Arbitrary<Frame> resp2(int depth) {
        Arbitrary<Frame> scalars = Arbitraries.oneOf(
                lines().map(Frame.SimpleString::new),
                lines().map(Frame.SimpleError::new),
                Arbitraries.longs().map(Frame.Integer::new),
                payloads().map(Frame.BulkString::new),
                Arbitraries.just(new Frame.Null()));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<Frame> arrays = Arbitraries.lazy(() -> resp2(depth - 1)).list().ofMaxSize(4).map(Frame.Array::new);
        return Arbitraries.frequencyOf(Tuple.of(4, scalars), Tuple.of(1, arrays));
    }

    static Arbitrary<Frame> resp3() {
        return resp3(3);
    }

    private static Arbitrary<Frame> resp3(int depth) {
        Arbitrary<Frame> scalars = Arbitraries.oneOf(
                resp2(0),
                Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(Double.POSITIVE_INFINITY)
                        .withSpecialValue(Double.NEGATIVE_INFINITY).withSpecialValue(-0.0).withSpecialValue(Double.MIN_VALUE)
                        .withSpecialValue(Double.MAX_VALUE).map(Frame.Double::new),
                Arbitraries.of(true, false).map(Frame.Boolean::new),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)).map(Frame.BigNumber::new),
                payloads().map(Frame.BulkError::new),
                Combinators.combine(Arbitraries.of("txt", "mkd"), payloads()).as(Frame.VerbatimString::new));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<Frame> inner = Arbitraries.lazy(() -> resp3(depth - 1));
        Arbitrary<List<Frame.Entry>> entries = Combinators.combine(inner, inner).as(Frame.Entry::new).list().ofMaxSize(3);
        Arbitrary<Frame> aggregates = Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(Frame.Array::new),
                inner.list().ofMaxSize(4).map(Frame.Set::new),
                inner.list().ofMaxSize(4).map(Frame.Push::new),
                entries.map(Frame.Map::new),
                Combinators.combine(entries, inner).as(Frame.Attribute::new));
        return Arbitraries.frequencyOf(Tuple.of(4, scalars), Tuple.of(1, aggregates));
    }
}
