// Bytes: value equality and memcmp order, which Redis's lexicographic ranges depend on.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void equalContentMeansEqualAndSameHash() {
        Bytes a = Bytes.of(new byte[] {1, 2, 3});
        Bytes b = Bytes.of("\u0001\u0002\u0003");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Bytes.of(new byte[] {1, 2}));
    }

    @Test
    void orderIsUnsignedLikeMemcmpThenLength() {
        assertTrue(Bytes.of(new byte[] {(byte) 0xff}).compareTo(Bytes.of(new byte[] {0x01})) > 0);
        assertTrue(Bytes.of("ab").compareTo(Bytes.of("abc")) < 0);
        assertTrue(Bytes.EMPTY.compareTo(Bytes.of(new byte[] {0})) < 0);
    }
}
