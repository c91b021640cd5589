// LZF round trip on random and repetitive data, liblzf-produced bytes from a real RDB file, and liblzf's own choices.
package io.port6379.server.persistence;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LzfProperties {

    /** Law: whatever compress returns, decompress turns back into the input. */
    @Property(tries = 300)
    void decompressUndoesCompress(@ForAll @Size(max = 3000) byte[] noise, @ForAll @IntRange(min = 1, max = 8) int period,
                                  @ForAll @IntRange(max = 2000) int repeats) {
        byte[] input = new byte[noise.length + period * repeats];
        System.arraycopy(noise, 0, input, 0, noise.length);
        for (int i = noise.length; i < input.length; i++) {
            input[i] = (byte) ('a' + (i % period));
        }
        byte[] compressed = Lzf.compress(input, input.length + 64);
        if (compressed != null) {
            assertArrayEquals(input, Lzf.decompress(compressed, input.length));
        }
    }

    @Test
    void repetitiveTextCompressesWell() {
        byte[] input = "abcabcabc".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = Lzf.compress(input, input.length - 4);
        assertNotNull(compressed);
        assertTrue(compressed.length < 30, "compressed to " + compressed.length);
        assertArrayEquals(input, Lzf.decompress(compressed, input.length));
    }

    @Test
    void incompressibleDataIsRefused() {
        byte[] input = "0123456789abcdefghijklmnopqrstuv".getBytes(StandardCharsets.US_ASCII);
        assertNull(Lzf.compress(input, input.length - 4));
    }

    /** liblzf 3.6's bytes for these inputs, from the DUMP payloads of redis-server 7.0.15 (rdbcompression yes). */
    @Test
    void compressesAsLiblzfDoes() {
        assertArrayEquals(HexFormat.of().parseHex("0361626361e0ff02e1ff07e1ff07e15d0701626" + "3"),
                Lzf.compress("abcabcabc".repeat(100).getBytes(StandardCharsets.US_ASCII), 900 - 4));
        byte[] text = "the quick brown fox jumps over the lazy dog; the quick brown cat jumps over the lazy fox"
                .getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(HexFormat.of().parseHex("1f74686520717569636b2062726f776e20666f78206a756d7073206f76657220"
                + "74201e086c617a7920646f673b600de0032c02636174e00c2c2044"), Lzf.compress(text, text.length - 4));
        assertArrayEquals(HexFormat.of().parseHex("016161e05700016161"),
                Lzf.compress("a".repeat(100).getBytes(StandardCharsets.US_ASCII), 96));
    }

    @Test
    void decodesLiblzfOutput() {
        // liblzf's compression of 'a' x 100 as Redis 7.0.15 stored it in an RDB file (SET k <100 a's>; SAVE)
        byte[] fromRedis = HexFormat.of().parseHex("016161e05700016161");
        assertEquals("a".repeat(100), new String(Lzf.decompress(fromRedis, 100), StandardCharsets.US_ASCII));
    }

    @Test
    void backReferenceBeforeTheStartIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x20, 0x05}, 3));
    }
}
