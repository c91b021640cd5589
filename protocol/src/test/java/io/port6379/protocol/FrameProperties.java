// Laws of the reply codec: encoding then decoding gives the frame back, in RESP2 and RESP3, however it is split.
package io.port6379.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameProperties {

    @Provide
    Arbitrary<Frame> resp2Frames() {
        return FrameArbitraries.resp2();
    }

    @Provide
    Arbitrary<Frame> resp3Frames() {
        return FrameArbitraries.resp3();
    }

    @Provide
    Arbitrary<List<Frame>> resp3Pipelines() {
        return FrameArbitraries.resp3().list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 500)
    void resp3EncodingDecodesToTheSameFrame(@ForAll("resp3Frames") Frame frame) throws ProtocolException {
        assertEquals(List.of(frame), decodeAll(List.of(encode(3, List.of(frame)))));
    }

    @Property(tries = 500)
    void resp2EncodingOfARespTwoFrameDecodesToTheSameFrame(@ForAll("resp2Frames") Frame frame) throws ProtocolException {
        assertEquals(List.of(frame), decodeAll(List.of(encode(2, List.of(frame)))));
    }

    @Property(tries = 500)
    void resp2EncodingOfAnyFrameDecodesToItsRespTwoForm(@ForAll("resp3Frames") Frame frame) throws ProtocolException {
        assertEquals(List.of(downgrade(frame)), decodeAll(List.of(encode(2, List.of(frame)))));
    }

    @Property(tries = 300)
    void anySplitDecodesToTheSameFrames(@ForAll("resp3Pipelines") List<Frame> frames,
                                        @ForAll java.util.Random random) throws ProtocolException {
        byte[] bytes = encode(3, frames);
        assertEquals(frames, decodeAll(randomChunks(bytes, random)));
    }

    @Property(tries = 100)
    void oneByteAtATimeDecodesToTheSameFrames(@ForAll("resp3Pipelines") List<Frame> frames) throws ProtocolException {
        assertEquals(frames, decodeAll(Decoding.byteByByte(encode(3, frames))));
    }

    @Property(tries = 1000)
    void arbitraryBytesGiveFramesOrAProtocolError(@ForAll("garbage") byte[] bytes) {
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(bytes, 0, bytes.length);
        try {
            while (decoder.next() != null) {
                // only frames or a ProtocolException may come out; anything else fails the property
            }
        } catch (ProtocolException expected) {
            // fine
        }
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Arbitraries.lazy(() -> FrameArbitraries.resp3().list().ofMaxSize(4))
                .map(frames -> encode(3, frames))
                .flatMap(bytes -> Mutations.of(bytes));
        return Arbitraries.oneOf(random, mutated);
    }

    static byte[] encode(int protocolVersion, List<Frame> frames) {
        RespWriter writer = new RespWriter();
        writer.protocolVersion(protocolVersion);
        frames.forEach(writer::frame);
        return writer.toByteArray();
    }

    static List<Frame> decodeAll(List<byte[]> chunks) throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> frames = new ArrayList<>();
        for (byte[] chunk : chunks) {
            decoder.feed(chunk, 0, chunk.length);
            Frame frame;
            while ((frame = decoder.next()) != null) {
                frames.add(frame);
            }
        }
        return frames;
    }

    static List<byte[]> randomChunks(byte[] bytes, java.util.Random random) {
        int[] cuts = random.ints(random.nextInt(6), 0, bytes.length + 1).sorted().toArray();
        return Decoding.split(bytes, cuts);
    }

    /** What a RESP2 client receives for a frame, as Redis 7 writes each RESP3 type to RESP2 clients. */
    static Frame downgrade(Frame frame) {
        return switch (frame) {
            case Frame.SimpleString s -> s;
            case Frame.SimpleError e -> e;
            case Frame.Integer i -> i;
            case Frame.BulkString b -> b;
            case Frame.Null n -> n;
            case Frame.Double d -> new Frame.BulkString(Arrays.copyOf(formatted(d.value()), DoubleFormat.format(d.value(), formatted(d.value()))));
            case Frame.Boolean b -> new Frame.Integer(b.value() ? 1 : 0);
            case Frame.BigNumber b -> Frame.BulkString.of(b.value().toString());
            case Frame.BulkError e -> new Frame.SimpleError(
                    new String(e.message(), StandardCharsets.ISO_8859_1).replace('\r', ' ').replace('\n', ' '));
            case Frame.VerbatimString v -> new Frame.BulkString(v.text());
            case Frame.Array a -> new Frame.Array(a.elements().stream().map(FrameProperties::downgrade).toList());
            case Frame.Set s -> new Frame.Array(s.elements().stream().map(FrameProperties::downgrade).toList());
            case Frame.Push p -> new Frame.Array(p.elements().stream().map(FrameProperties::downgrade).toList());
            case Frame.Map m -> new Frame.Array(m.entries().stream()
                    .flatMap(e -> java.util.stream.Stream.of(downgrade(e.key()), downgrade(e.value()))).toList());
            case Frame.Attribute a -> downgrade(a.value());
        };
    }

    private static byte[] formatted(double value) {
        byte[] digits = new byte[DoubleFormat.MAX_LENGTH];
        DoubleFormat.format(value, digits);
        return digits;
    }
}
