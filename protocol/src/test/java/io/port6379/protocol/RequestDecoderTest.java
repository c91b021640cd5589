// The request decoder's contract beyond the golden cases: memory bounds, in-place reading, pending(), auth, failure.
package io.port6379.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestDecoderTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void feed(RequestDecoder decoder, String s) {
        byte[] bytes = ascii(s);
        decoder.feed(bytes, 0, bytes.length);
    }

    @Test
    void hugeCountAllocatesNothingUpFront() throws ProtocolException {
        // 100 decoders each told to expect 2^31-1 arguments: pre-sizing would need 100 x 16 GB
        List<RequestDecoder> decoders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RequestDecoder decoder = new RequestDecoder();
            feed(decoder, "*2147483647\r\n$1\r\nx\r\n");
            assertNull(decoder.next());
            decoders.add(decoder);
        }
        assertEquals(100, decoders.size());
    }

    @Test
    void hugeBulkLengthAllocatesAsThePayloadArrives() throws ProtocolException {
        // 50 decoders each announcing a 512 MB payload: allocating it from the header would need 25 GB
        for (int i = 0; i < 50; i++) {
            RequestDecoder decoder = new RequestDecoder();
            feed(decoder, "*1\r\n$536870912\r\nabc");
            assertNull(decoder.next());
        }
    }

    @Test
    void payloadLargerThanTheUpFrontAllocationArrivesIntactInSmallChunks() throws ProtocolException {
        byte[] payload = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(1).nextBytes(payload);
        byte[] request = RequestDecoderProperties.multibulk(List.of(List.of("SET", "k", GoldenCase.latin1(payload))));
        RequestDecoder decoder = new RequestDecoder();
        byte[][] command = null;
        for (int from = 0; from < request.length; from += 10_000) {
            byte[] chunk = Arrays.copyOfRange(request, from, Math.min(request.length, from + 10_000));
            decoder.feed(chunk, 0, chunk.length);
            byte[][] next = decoder.next();
            if (next != null) {
                command = next;
            }
        }
        assertArrayEquals(payload, command[2]);
    }

    @Test
    void fedArrayMayBeReusedOnceNextReturnsNull() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        byte[] readBuffer = new byte[64];
        byte[] first = ascii("*2\r\n$4\r\nECHO\r\n$5\r\nhel");
        System.arraycopy(first, 0, readBuffer, 0, first.length);
        decoder.feed(readBuffer, 0, first.length);
        assertNull(decoder.next());
        Arrays.fill(readBuffer, (byte) '!'); // what the next socket read does to the buffer
        byte[] second = ascii("lo\r\n");
        System.arraycopy(second, 0, readBuffer, 0, second.length);
        decoder.feed(readBuffer, 0, second.length);
        assertArrayEquals(new byte[][]{ascii("ECHO"), ascii("hello")}, decoder.next());
    }

    @Test
    void feedingAgainBeforeDrainingKeepsTheUnreadBytes() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        feed(decoder, "PING\r\nECHO a");
        feed(decoder, "b\r\n*1\r\n$4\r\nPI");
        feed(decoder, "NG\r\n");
        assertArrayEquals(new byte[][]{ascii("PING")}, decoder.next());
        assertArrayEquals(new byte[][]{ascii("ECHO"), ascii("ab")}, decoder.next());
        assertArrayEquals(new byte[][]{ascii("PING")}, decoder.next());
        assertNull(decoder.next());
    }

    @Test
    void pendingCountsThePartialCommandAndTheUnreadBytes() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        feed(decoder, "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nEC");
        assertEquals(24, decoder.pending());
        decoder.next();
        assertEquals(10, decoder.pending());
        assertNull(decoder.next());
        assertEquals(10, decoder.pending()); // read, but still part of the partial command
        feed(decoder, "HO\r\n$1\r\nx\r\n");
        decoder.next();
        assertEquals(0, decoder.pending());
    }

    @Test
    void bulkLengthAboveAConfiguredProtoMaxBulkLenIsInvalid() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder(ProtocolLimits.DEFAULT.withMaxBulkLength(4));
        feed(decoder, "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n");
        ProtocolException e = assertThrows(ProtocolException.class, decoder::next);
        assertEquals("Protocol error: invalid bulk length", e.getMessage());
    }

    @Test
    void protoMaxBulkLenAboveWhatAJavaArrayHoldsIsLoweredToThatCeiling() {
        assertEquals(ProtocolLimits.MAX_ARRAY_LENGTH, ProtocolLimits.DEFAULT.withMaxBulkLength(Long.MAX_VALUE).maxBulkLength());
    }

    @Test
    void authenticatingLiftsTheUnauthenticatedLimits() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        decoder.authRequired(true);
        feed(decoder, "AUTH pw\r\n*11\r\n");
        assertArrayEquals(new byte[][]{ascii("AUTH"), ascii("pw")}, decoder.next());
        decoder.authRequired(false);
        assertNull(decoder.next());
    }

    @Test
    void afterAProtocolErrorTheDecoderStaysFailed() {
        RequestDecoder decoder = new RequestDecoder();
        feed(decoder, "*1\r\n:1\r\n");
        ProtocolException first = assertThrows(ProtocolException.class, decoder::next);
        feed(decoder, "PING\r\n");
        assertSame(first, assertThrows(ProtocolException.class, decoder::next));
    }

    @Test
    void commandArrayHasExactlyTheArguments() throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        feed(decoder, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
        byte[][] command = decoder.next();
        assertEquals(3, command.length);
        assertArrayEquals(new byte[0], command[2]);
    }

    @Test
    void moreThan1024ArgumentsGrowTheArgumentArray() throws ProtocolException {
        List<String> command = new ArrayList<>();
        command.add("RPUSH");
        for (int i = 0; i < 3000; i++) {
            command.add("e" + i);
        }
        byte[] bytes = RequestDecoderProperties.multibulk(List.of(command));
        RequestDecoder decoder = new RequestDecoder();
        decoder.feed(bytes, 0, bytes.length);
        byte[][] decoded = decoder.next();
        assertEquals(3001, decoded.length);
        assertArrayEquals(ascii("e2999"), decoded[3000]);
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 31 + i / 251);
        }
        return payload;
    }

    @Test
    void theRestOfALargePayloadIsReadStraightIntoItsArgument() throws ProtocolException, IOException {
        byte[] value = payload(100_000);
        RequestDecoder decoder = new RequestDecoder();
        feed(decoder, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n");
        decoder.feed(value, 0, 1000);
        assertNull(decoder.next());
        InputStream rest = new ByteArrayInputStream(value, 1000, value.length - 1000);
        int read = 0;
        int n;
        while ((n = decoder.readPayload(rest)) > 0) {
            read += n;
        }
        assertEquals(0, n); // the payload is complete: nothing more is read from the stream
        assertEquals(value.length - 1000, read);
        assertEquals(29 + value.length, decoder.pending()); // the headers and the payload, not yet a command
        feed(decoder, "\r\n");
        byte[][] command = decoder.next();
        assertArrayEquals(value, command[2]);
        assertEquals(0, decoder.pending());
    }

    @Test
    void readPayloadReadsNothingForASmallPayloadOrBeforeTheFedBytesAreDecoded() throws ProtocolException, IOException {
        InputStream stream = new ByteArrayInputStream(new byte[200_000]);
        RequestDecoder small = new RequestDecoder();
        feed(small, "*2\r\n$4\r\nECHO\r\n$32767\r\nab");
        assertNull(small.next());
        assertEquals(0, small.readPayload(stream));
        RequestDecoder undecoded = new RequestDecoder();
        feed(undecoded, "*2\r\n$4\r\nECHO\r\n$32768\r\nab");
        assertEquals(0, undecoded.readPayload(stream));
        assertEquals(200_000, stream.available());
        assertNull(undecoded.next());
        assertEquals(32_766, undecoded.readPayload(stream));
    }

    @Test
    void aPayloadOverAMegabyteReadStraightGrowsAsItArrives() throws ProtocolException, IOException {
        byte[] value = payload(3_000_000);
        RequestDecoder decoder = new RequestDecoder();
        feed(decoder, "*1\r\n$3000000\r\n");
        assertNull(decoder.next());
        InputStream stream = new ByteArrayInputStream(value);
        int read = decoder.readPayload(stream);
        assertEquals(1024 * 1024, read); // the array the header allocated, not the 3 MB announced
        for (int n; (n = decoder.readPayload(stream)) > 0; ) {
            read += n;
            assertEquals(14 + read, decoder.pending());
        }
        assertEquals(value.length, read);
        feed(decoder, "\r\n");
        assertArrayEquals(value, decoder.next()[0]);
    }

    @Test
    void readPayloadReportsTheEndOfTheStream() throws ProtocolException, IOException {
        RequestDecoder decoder = new RequestDecoder();
        feed(decoder, "*1\r\n$40000\r\n");
        assertNull(decoder.next());
        assertEquals(-1, decoder.readPayload(InputStream.nullInputStream()));
    }
}
