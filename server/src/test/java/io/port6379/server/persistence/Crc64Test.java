// Redis's own CRC-64 test vector, and the checksum's incremental use.
package io.port6379.server.persistence;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc64Test {

    @Test
    void matchesRedisTestVector() {
        // crc64.c's test: crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void emptyInputLeavesTheCrcAtZero() {
        assertEquals(0, Crc64.of(new byte[0]));
    }

    @Test
    void updatingInPiecesEqualsTheWholeChecksum() {
        byte[] text = "This is a crc64 test which is used to check the crc64 function".getBytes(StandardCharsets.US_ASCII);
        long crc = Crc64.update(0, text, 0, 10);
        crc = Crc64.update(crc, text, 10, text.length - 10);
        assertEquals(Crc64.of(text), crc);
    }
}
