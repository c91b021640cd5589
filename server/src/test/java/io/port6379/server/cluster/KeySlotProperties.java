// KeySlot against a plain model: a bit-at-a-time CRC16 and the hash-tag rule written out with String searches.
package io.port6379.server.cluster;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeySlotProperties {

    /** CRC16/XMODEM one bit at a time, as its definition reads: the model the table-driven version must match. */
    private static int modelCrc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
            }
        }
        return crc;
    }

    /** The hash-tag rule in words: between the first '{' and the first '}' after it, when that is not empty. */
    private static int modelSlot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return modelCrc16(key.substring(open + 1, close).getBytes(StandardCharsets.ISO_8859_1)) % 16384;
            }
        }
        return modelCrc16(key.getBytes(StandardCharsets.ISO_8859_1)) % 16384;
    }

    /** Keys made mostly of braces and a few letters, so that tags, empty tags and unclosed braces all come up. */
    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("{}ab").ofMaxLength(12)
                .injectDuplicates(0.05)
                .edgeCases(edges -> edges.add("{}").add("{").add("}{").add("{{}}"));
    }

    @Property(tries = 2000)
    void slotIsTheModelsForBraceHeavyKeys(@ForAll("keys") String key) {
        assertEquals(modelSlot(key), KeySlot.slot(key.getBytes(StandardCharsets.ISO_8859_1)), key);
    }

    @Property(tries = 1000)
    void slotIsTheModelsForAnyBytes(@ForAll byte[] key) {
        String text = new String(key, StandardCharsets.ISO_8859_1);
        assertEquals(modelSlot(text), KeySlot.slot(key));
    }

    @Property(tries = 500)
    void keysSharingATagShareASlot(@ForAll("keys") String tag, @ForAll("keys") String before, @ForAll("keys") String after) {
        String cleanTag = "t" + tag.replace("{", "").replace("}", "");
        String cleanBefore = before.replace("{", "");
        byte[] tagged = (cleanBefore + "{" + cleanTag + "}" + after).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(KeySlot.slot(cleanTag.getBytes(StandardCharsets.ISO_8859_1)), KeySlot.slot(tagged));
    }
}
