// The reply writer: what it sends is what was written, big data blocks included, in writes of at most 64 KB.
package io.port6379.memcached;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextRepliesTest {

    /** Records every write it is given. */
    private static final class Writes extends OutputStream {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public void write(int b) {
            throw new AssertionError("a reply is never written a byte at a time");
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            all.write(bytes, offset, length);
            lengths.add(length);
        }
    }

    private static byte[] filled(int length, char c) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) c);
        return data;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void smallRepliesGoOutInOneWrite() throws Exception {
        TextReplies replies = new TextReplies();
        replies.line("STORED");
        replies.value(ascii("k"), 5, ascii("abc"), true, 7);
        replies.end();
        Writes out = new Writes();
        replies.writeTo(out);
        assertEquals("STORED\r\nVALUE k 5 3 7\r\nabc\r\nEND\r\n", out.all.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(out.all.size()), out.lengths);
        assertEquals(0, replies.size());
    }

    @Test
    void aMultiGetOfBigValuesIsSentAsWrittenInWritesOfAtMost64Kilobytes() throws Exception {
        TextReplies replies = new TextReplies();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) {
            byte[] data = filled(i % 7 == 0 ? 70_000 : 100 + i * 37, (char) ('a' + i % 26));
            replies.value(ascii("key" + i), i, data, false, 0);
            expected.writeBytes(ascii("VALUE key" + i + " " + i + " " + data.length + "\r\n"));
            expected.writeBytes(data);
            expected.writeBytes(ascii("\r\n"));
        }
        replies.end();
        expected.writeBytes(ascii("END\r\n"));
        assertEquals(expected.size(), replies.size());
        assertArrayEquals(expected.toByteArray(), replies.toByteArray());
        Writes out = new Writes();
        replies.writeTo(out);
        assertArrayEquals(expected.toByteArray(), out.all.toByteArray());
        assertTrue(out.lengths.stream().allMatch(n -> n <= 70_000), out.lengths.toString());
        assertTrue(out.lengths.size() < expected.size() / 16_000, "a write per 64 KB, not one per value");
        assertEquals(0, replies.size());
    }

    @Test
    void resetDropsTheBlocksKeptByReference() {
        TextReplies replies = new TextReplies();
        replies.value(ascii("k"), 0, filled(4096, 'x'), false, 0);
        replies.reset();
        replies.line("CLIENT_ERROR bad command line format");
        assertEquals("CLIENT_ERROR bad command line format\r\n",
                new String(replies.toByteArray(), StandardCharsets.US_ASCII));
    }
}
