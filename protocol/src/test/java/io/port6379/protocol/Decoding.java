// Test helper: runs a RequestDecoder over chunks the way the server does, and records what came out.
package io.port6379.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a request decoder made of some input: the commands, then the protocol error if there was one. */
record Decoding(List<List<String>> commands, String error) {

    /** Feeds each chunk (a fresh array each, as a socket read would be) and drains {@code next()} after each. */
    static Decoding of(List<byte[]> chunks, boolean authRequired) {
        return of(new RequestDecoder(), chunks, authRequired);
    }

    /** The same with the caller's decoder (its limits), which it can then ask what is still pending. */
    static Decoding of(RequestDecoder decoder, List<byte[]> chunks, boolean authRequired) {
        decoder.authRequired(authRequired);
        List<List<String>> commands = new ArrayList<>();
        try {
            for (byte[] chunk : chunks) {
                decoder.feed(chunk, 0, chunk.length);
                byte[][] command;
                while ((command = decoder.next()) != null) {
                    List<String> args = Arrays.stream(command).map(GoldenCase::latin1).toList();
                    commands.add(args);
                    if (args.equals(List.of("AUTH", GoldenCases.PASSWORD))) {
                        decoder.authRequired(false); // what the server does when AUTH succeeds
                    }
                }
            }
            return new Decoding(commands, null);
        } catch (ProtocolException e) {
            return new Decoding(commands, e.getMessage());
        }
    }

    static Decoding whole(byte[] input, boolean authRequired) {
        return of(List.of(input), authRequired);
    }

    /** The input split at the given offsets (sorted, each within the input). */
    static List<byte[]> split(byte[] input, int... cuts) {
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            chunks.add(Arrays.copyOfRange(input, from, cut));
            from = cut;
        }
        chunks.add(Arrays.copyOfRange(input, from, input.length));
        return chunks;
    }

    static List<byte[]> byteByByte(byte[] input) {
        List<byte[]> chunks = new ArrayList<>(input.length);
        for (byte b : input) {
            chunks.add(new byte[]{b});
        }
        return chunks;
    }
}
