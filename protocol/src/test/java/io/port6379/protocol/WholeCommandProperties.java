// Laws of the request decoder's fast path: a command decoded whole decodes exactly as the state machine decodes it.
package io.port6379.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The decoder takes a fast path when a whole multibulk command is in one read, and its state machine otherwise.
 * Fed one byte at a time, no read ever holds a whole command, so the state machine decodes everything; fed in one
 * piece, the fast path decodes every command it accepts. Both must give the same commands, then the same error
 * (or none), and leave the same number of bytes pending (a stalled or partial command counts them all).
 */
class WholeCommandProperties {

    /** What came out of a decoder: the commands, the error if one ended the input, and {@code pending()} at the end. */
    record Outcome(List<List<String>> commands, String error, int pending) {
    }

    @Property(tries = 500)
    void validPipelinesDecodeInOnePieceAsOneByteAtATime(@ForAll("pipelines") byte[] input,
                                                        @ForAll("limits") long maxBulkLength,
                                                        @ForAll boolean authRequired) {
        assertEquals(decode(List.of(input), maxBulkLength, authRequired),
                decode(Decoding.byteByByte(input), maxBulkLength, authRequired));
    }

    @Property(tries = 1000)
    void damagedPipelinesDecodeInOnePieceAsOneByteAtATime(@ForAll("damagedPipelines") byte[] input,
                                                          @ForAll("limits") long maxBulkLength,
                                                          @ForAll boolean authRequired) {
        assertEquals(decode(List.of(input), maxBulkLength, authRequired),
                decode(Decoding.byteByByte(input), maxBulkLength, authRequired));
    }

    @Property(tries = 500)
    void anySplitDecodesAsOneByteAtATime(@ForAll("damagedPipelines") byte[] input, @ForAll Random random) {
        // random reads mix both paths: a command finished by the state machine is followed by whole ones
        assertEquals(decode(Decoding.byteByByte(input), ProtocolLimits.DEFAULT_MAX_BULK_LENGTH, false),
                decode(FrameProperties.randomChunks(input, random), ProtocolLimits.DEFAULT_MAX_BULK_LENGTH, false));
    }

    /** Feeds each chunk, drains {@code next()}; a pipelined {@code AUTH secret} lifts the limits, as in the server. */
    static Outcome decode(List<byte[]> chunks, long maxBulkLength, boolean authRequired) {
        RequestDecoder decoder = new RequestDecoder(ProtocolLimits.DEFAULT.withMaxBulkLength(maxBulkLength));
        Decoding decoding = Decoding.of(decoder, chunks, authRequired);
        return new Outcome(decoding.commands(), decoding.error(), decoding.error() == null ? decoder.pending() : -1);
    }

    @Provide
    Arbitrary<Long> limits() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(ProtocolLimits.DEFAULT_MAX_BULK_LENGTH)),
                Tuple.of(1, Arbitraries.longs().between(0, 20)));
    }

    @Provide
    Arbitrary<byte[]> pipelines() {
        Arbitrary<String> argument = Arbitraries.frequencyOf(
                Tuple.of(4, FrameArbitraries.payloads().map(GoldenCase::latin1)),
                Tuple.of(1, Arbitraries.strings().withChars('x').ofMinLength(15).ofMaxLength(25)));
        Arbitrary<List<String>> command = Arbitraries.frequencyOf(
                Tuple.of(8, argument.list().ofMinSize(1).ofMaxSize(12)),
                Tuple.of(1, Arbitraries.just(List.of("AUTH", GoldenCases.PASSWORD))));
        return command.list().ofMinSize(1).ofMaxSize(6).map(RequestDecoderProperties::multibulk);
    }

    @Property(tries = 500)
    void headersWrittenLooselyDecodeInOnePieceAsOneByteAtATime(@ForAll("looseHeaders") byte[] input,
                                                               @ForAll("limits") long maxBulkLength) {
        assertEquals(decode(List.of(input), maxBulkLength, false),
                decode(Decoding.byteByByte(input), maxBulkLength, false));
    }

    /**
     * Commands whose {@code *} and {@code $} lines are now and then written in a form the fast path refuses: a
     * leading zero, a sign, a space, or a byte other than LF after the CR (which Redis skips unseen).
     */
    @Provide
    Arbitrary<byte[]> looseHeaders() {
        Arbitrary<String> prefix = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("0", "00", "+", "-", " ", "-0")));
        Arbitrary<String> afterCr = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("\n")),
                Tuple.of(1, Arbitraries.of("x", "\r", "\u0000", "$")));
        Arbitrary<List<Tuple.Tuple2<String, String>>> headers = Combinators.combine(prefix, afterCr).as(Tuple::of)
                .list().ofSize(200);
        return Combinators.combine(pipelines(), headers).as((bytes, forms) -> {
            // each header line "<sigil><digits>\r\n" of the valid pipeline takes the next form's prefix and ending
            StringBuilder out = new StringBuilder();
            String text = GoldenCase.latin1(bytes);
            int next = 0;
            int i = 0;
            while (i < text.length()) {
                int cr = text.indexOf('\r', i);
                String line = text.substring(i, cr);
                Tuple.Tuple2<String, String> form = forms.get(next++ % forms.size());
                out.append(line.charAt(0)).append(form.get1()).append(line, 1, line.length())
                        .append('\r').append(form.get2());
                i = cr + 2;
                if (line.charAt(0) == '$') { // the payload and its two bytes, untouched
                    int length = Integer.parseInt(line.substring(1));
                    out.append(text, i, i + length + 2);
                    i += length + 2;
                }
            }
            return GoldenCase.bytes(out.toString());
        });
    }

    @Provide
    Arbitrary<byte[]> damagedPipelines() {
        return Arbitraries.oneOf(pipelines().flatMap(Mutations::of),
                pipelines().flatMap(Mutations::of).flatMap(Mutations::of));
    }
}
