// The decoder's behaviour on the cases memcached 1.6 is particular about, one rule per test.
package io.port6379.memcached;

import io.port6379.memcached.TextRequest.Command;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextDecoderTest {

    private final TextDecoder decoder = new TextDecoder(1 << 20);

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(bytes, 0, bytes.length);
    }

    @Test
    void aStorageLineWaitsForItsWholeDataBlock() {
        feed("set k 5 0 3\r\nab");
        assertNull(decoder.next());
        feed("c\r");
        assertNull(decoder.next());
        feed("\n");
        TextRequest set = decoder.next();
        assertEquals(Command.SET, set.command());
        assertEquals(5, set.flags());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), set.data());
    }

    @Test
    void aDataBlockWithoutItsLineEndIsABadChunkOfExactlyItsLength() {
        feed("set k 0 0 2\r\nabc\r\nget k\r\n");
        assertEquals("CLIENT_ERROR bad data chunk", decoder.next().error());
        assertEquals("ERROR", decoder.next().error()); // "c\r" is the next line, and no command
        assertEquals(Command.GET, decoder.next().command());
    }

    @Test
    void aTooLargeItemIsRefusedAndItsDataSwallowed() {
        feed("set k 0 0 2000000\r\n");
        TextRequest refused = decoder.next();
        assertEquals(Command.REJECTED_SET, refused.command());
        assertEquals("SERVER_ERROR object too large for cache", refused.error());
        feed("x".repeat(2_000_000) + "\r\nversion\r\n");
        assertEquals(Command.VERSION, decoder.next().command());
    }

    @Test
    void aLineMayEndWithABareNewline() {
        feed("get a b\n");
        TextRequest get = decoder.next();
        assertEquals(2, get.keys().length);
    }

    @Test
    void twoKilobytesWithoutANewlineCloseTheConnectionUnlessTheyStartAGet() {
        feed("x".repeat(3000));
        assertEquals(Command.CLOSE, decoder.next().command());
        TextDecoder multiGet = new TextDecoder(1 << 20);
        byte[] line = ("get " + "k ".repeat(1500)).getBytes(StandardCharsets.US_ASCII);
        multiGet.feed(line, 0, line.length);
        assertNull(multiGet.next());
    }

    @Test
    void aGetTakesEveryKeyOfItsLine() {
        feed("get" + " k".repeat(100) + "\r\n");
        assertEquals(100, decoder.next().keys().length);
    }

    @Test
    void noreplyIsTheLastTokenOnly() {
        feed("delete k noreply\r\ndelete k 0 noreply\r\ndelete k noreply 0\r\n");
        assertTrue(decoder.next().noreply());
        assertTrue(decoder.next().noreply());
        TextRequest misplaced = decoder.next();
        assertEquals("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]", misplaced.error());
    }

    @Test
    void numbersAreReadAsCReadsThem() {
        feed("set k +7 0 1\r\nx\r\nset k 0 0 1x\r\nincr k 18446744073709551615\r\nincr k -1\r\n");
        assertEquals(7, decoder.next().flags());
        assertEquals("CLIENT_ERROR bad command line format", decoder.next().error());
        assertEquals(-1L, decoder.next().delta()); // 2^64-1, unsigned
        assertEquals("CLIENT_ERROR invalid numeric delta argument", decoder.next().error());
    }

    @Test
    void aKeyOver250BytesIsRefused() {
        feed("get " + "k".repeat(251) + "\r\nset " + "k".repeat(251) + " 0 0 1\r\n");
        assertEquals(Command.REJECTED_GET, decoder.next().command());
        assertEquals("CLIENT_ERROR bad command line format", decoder.next().error());
    }
}
