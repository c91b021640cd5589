// HyperLogLog's layout facts and its accuracy: 200 000 distinct elements counted within three standard errors.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Redis 7.0.15: {@code PFADD empty} then {@code GET empty}. */
    @Test
    void aNewHyperLogLogIsOneXzeroCodeWithAStaleCache() {
        HyperLogLog hll = HyperLogLog.create();
        hll.invalidateCache();
        byte[] expected = {'H', 'Y', 'L', 'L', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 0x7f, (byte) 0xff};
        assertArrayEquals(expected, hll.bytes());
    }

    /** Redis 7.0.15: {@code PFADD h a b c}, {@code PFDEBUG DECODE h}. */
    @Test
    void threeElementsAreThreeValCodesBetweenRunsOfZeros() {
        HyperLogLog hll = HyperLogLog.create();
        for (String element : new String[] {"a", "b", "c"}) {
            assertEquals(1, hll.add(ascii(element)));
        }
        assertEquals(0, hll.add(ascii("a")));
        assertEquals("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603", hll.decode());
        assertEquals(3, hll.count());
        assertTrue(hll.countCached());
    }

    @Test
    void aSparseHyperLogLogTurnsDenseWithTheSameRegistersAndCount() {
        HyperLogLog sparse = HyperLogLog.create();
        for (int i = 0; i < 300; i++) {
            sparse.add(ascii("element:" + i));
        }
        assertFalse(sparse.isDense());
        HyperLogLog dense = HyperLogLog.of(sparse.bytes());
        assertTrue(dense.toDense());
        assertFalse(dense.toDense());
        assertEquals(16 + 12288, dense.bytes().length);
        sparse.invalidateCache();
        dense.invalidateCache();
        assertEquals(sparse.count(), dense.count());
        byte[] max = new byte[HyperLogLog.REGISTERS];
        HyperLogLog.merge(sparse.bytes(), max);
        int[] registers = dense.registers();
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
            assertEquals(registers[i], max[i], "register " + i);
        }
    }

    @Test
    void codesThatDoNotCoverEveryRegisterAreCorrupted() {
        byte[] bad = {'H', 'Y', 'L', 'L', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 0x7f, (byte) 0xfe};
        assertTrue(HyperLogLog.isValid(bad));
        RedisException e = assertThrows(RedisException.class, () -> HyperLogLog.of(bad).count());
        assertEquals(HyperLogLog.CORRUPTED, e.getMessage());
        assertFalse(HyperLogLog.isValid(ascii("HYLL")));
        assertFalse(HyperLogLog.isValid(new byte[] {'H', 'Y', 'L', 'L', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    }

    /** The law PFCOUNT promises: a standard error of 1.04 / sqrt(16384) = 0.81 %; three of them are allowed. */
    @Test
    void twoHundredThousandDistinctElementsAreCountedWithinThreeStandardErrors() {
        HyperLogLog hll = HyperLogLog.create();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            hll.add(ascii("user:" + i));
        }
        assertTrue(hll.isDense());
        double error = Math.abs(hll.count() - n) / (double) n;
        assertTrue(error <= 3 * 0.0081, "relative error " + error);
    }

    @Test
    void theSelfTestPasses() {
        assertNull(HyperLogLog.selfTest());
    }
}
