// Laws of the request decoder: commands survive encoding and any chunking; garbage yields only a protocol error.
package io.port6379.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestDecoderProperties {

    @Provide
    Arbitrary<List<List<String>>> commands() {
        Arbitrary<String> argument = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(20);
        return argument.list().ofMinSize(1).ofMaxSize(5).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 500)
    void multibulkCommandsDecodeToTheirArgumentsWhateverTheChunking(@ForAll("commands") List<List<String>> commands,
                                                                     @ForAll Random random) {
        byte[] bytes = multibulk(commands);
        assertEquals(new Decoding(commands, null), Decoding.of(FrameProperties.randomChunks(bytes, random), false));
    }

    @Property(tries = 300)
    void inlineCommandsQuotedLikeRedisCliDecodeToTheirArguments(@ForAll("commands") List<List<String>> commands,
                                                                @ForAll Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<String> command : commands) {
            out.writeBytes(GoldenCase.bytes(String.join(" ", command.stream().map(RequestDecoderProperties::quote).toList())));
            out.writeBytes(random.nextBoolean() ? new byte[]{'\r', '\n'} : new byte[]{'\n'});
        }
        assertEquals(new Decoding(commands, null), Decoding.of(FrameProperties.randomChunks(out.toByteArray(), random), false));
    }

    @Property(tries = 1000)
    void anyBytesDecodeTheSameWhateverTheChunking(@ForAll("requestGarbage") byte[] bytes, @ForAll Random random) {
        // Holds for garbage too: the same commands, then the same error (or none), in one piece or in chunks.
        // Decoding.of lets only ProtocolException through, so any other exception fails this property as well.
        Decoding whole = Decoding.whole(bytes, false);
        assertEquals(whole, Decoding.of(FrameProperties.randomChunks(bytes, random), false));
    }

    @Property(tries = 20)
    void thousandsOfPipelinedCommandsInOneReadAllDecode(@ForAll Random random) {
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            commands.add(List.of("SET", "key:" + i, "v".repeat(random.nextInt(100))));
        }
        assertEquals(new Decoding(commands, null), Decoding.whole(multibulk(commands), false));
    }

    @Property(tries = 40)
    void largeArgumentsReadStraightFromTheStreamDecodeAsFedOnes(@ForAll Random random) throws IOException, ProtocolException {
        // The connection's loop: before each read, readPayload; when it declines, a read of up to 16 KB, fed.
        List<byte[][]> commands = new ArrayList<>();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            byte[][] command = new byte[1 + random.nextInt(3)][];
            for (int a = 0; a < command.length; a++) {
                int length = random.nextInt(4) == 0 ? random.nextInt(100) : 30_000 + random.nextInt(1_200_000);
                command[a] = new byte[length];
                random.nextBytes(command[a]);
            }
            commands.add(command);
        }
        InputStream stream = new ChunkedStream(multibulkOfBytes(commands), random);
        RequestDecoder decoder = new RequestDecoder();
        List<byte[][]> decoded = new ArrayList<>();
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            int n = decoder.readPayload(stream);
            if (n == 0) {
                n = stream.read(buffer);
                if (n > 0) {
                    decoder.feed(buffer, 0, n);
                }
            }
            if (n < 0) {
                break;
            }
            for (byte[][] command; (command = decoder.next()) != null; ) {
                decoded.add(command);
            }
        }
        assertEquals(commands.size(), decoded.size());
        for (int i = 0; i < commands.size(); i++) {
            assertArrayEquals(commands.get(i), decoded.get(i));
        }
    }

    /** A stream that returns fewer bytes than asked, at random, as a socket does. */
    private static final class ChunkedStream extends ByteArrayInputStream {
        private final Random random;

        ChunkedStream(byte[] bytes, Random random) {
            super(bytes);
            this.random = random;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(200_000)));
        }
    }

    private static byte[] multibulkOfBytes(List<byte[][]> commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[][] command : commands) {
            out.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] argument : command) {
                out.writeBytes(("$" + argument.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(argument);
                out.writeBytes(new byte[]{'\r', '\n'});
            }
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<byte[]> requestGarbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> alphabet = Arbitraries.of((byte) '*', (byte) '$', (byte) '\r', (byte) '\n', (byte) '0',
                (byte) '1', (byte) '-', (byte) '"', (byte) '\'', (byte) '\\', (byte) ' ', (byte) 'x', (byte) 0)
                .array(byte[].class).ofMaxSize(100);
        Arbitrary<byte[]> mutated = commands().map(RequestDecoderProperties::multibulk).flatMap(Mutations::of);
        return Arbitraries.oneOf(random, alphabet, mutated);
    }

    static byte[] multibulk(List<List<String>> commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<String> command : commands) {
            out.writeBytes(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String argument : command) {
                byte[] bytes = GoldenCase.bytes(argument);
                out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(bytes);
                out.writeBytes(new byte[]{'\r', '\n'});
            }
        }
        return out.toByteArray();
    }

    /** Quotes an argument the way redis-cli prints one (sdscatrepr): the inverse of the inline parser. */
    static String quote(String argument) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : argument.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '"' -> quoted.append("\\\"");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case 7 -> quoted.append("\\a");
                case '\b' -> quoted.append("\\b");
                default -> quoted.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
            }
        }
        return quoted.append('"').toString();
    }
}
