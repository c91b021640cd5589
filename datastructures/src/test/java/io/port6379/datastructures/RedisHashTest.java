// Hash behaviours with Redis's exact texts and thresholds: HINCRBYFLOAT, HRANDFIELD edge cases, conversions.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RedisHashTest {

    private static byte[] b(String s) {
        return s.getBytes();
    }

    @Test
    void staysAListpackUpTo512EntriesOf64BytesLikeRedis70() {
        RedisHash hash = new RedisHash();
        for (int i = 0; i < 512; i++) {
            hash.put(b("f" + i), b("x".repeat(64)), EncodingLimits.REDIS_DEFAULTS);
        }
        assertEquals("listpack", hash.encoding());
        hash.put(b("one-more"), b("v"), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("hashtable", hash.encoding());
        RedisHash small = new RedisHash();
        small.put(b("f"), b("x".repeat(65)), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("hashtable", small.encoding());
    }

    @Test
    void neverConvertsBackAfterDeletes() {
        RedisHash hash = new RedisHash();
        hash.put(b("f"), b("x".repeat(65)), EncodingLimits.REDIS_DEFAULTS);
        hash.remove(b("f"));
        hash.put(b("g"), b("y"), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("hashtable", hash.encoding());
    }

    @Test
    void hincrbyfloatErrorsAreRedisTexts() {
        RedisHash hash = new RedisHash();
        hash.put(b("a"), b("1"), EncodingLimits.REDIS_DEFAULTS);
        hash.put(b("b"), b("x"), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("2.5", new String(hash.incrByFloat(b("a"), b("1.5"), EncodingLimits.REDIS_DEFAULTS)));
        assertEquals("ERR value is NaN or Infinity",
                assertThrows(RedisException.class, () -> hash.incrByFloat(b("a"), b("inf"), EncodingLimits.REDIS_DEFAULTS)).getMessage());
        assertEquals("ERR hash value is not a float",
                assertThrows(RedisException.class, () -> hash.incrByFloat(b("b"), b("1"), EncodingLimits.REDIS_DEFAULTS)).getMessage());
        assertEquals("ERR value is not a valid float",
                assertThrows(RedisException.class, () -> hash.incrByFloat(b("a"), b("x"), EncodingLimits.REDIS_DEFAULTS)).getMessage());
    }

    @Test
    void hincrbyOverflowIsRedisText() {
        RedisHash hash = new RedisHash();
        hash.put(b("a"), b("9223372036854775807"), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("ERR increment or decrement would overflow",
                assertThrows(RedisException.class, () -> hash.incrBy(b("a"), 1, EncodingLimits.REDIS_DEFAULTS)).getMessage());
    }

    @Test
    void hrandfieldWithTheSmallestCountIsOutOfRange() {
        RedisHash hash = new RedisHash();
        hash.put(b("a"), b("1"), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                assertThrows(RedisException.class, () -> hash.randomFields(Long.MIN_VALUE, new SplittableRandom()))
                        .getMessage());
    }

    @Test
    void hrandfieldWithACountAtLeastTheSizeReturnsTheWholeHashInOrder() {
        RedisHash hash = new RedisHash();
        hash.put(b("a"), b("1"), EncodingLimits.REDIS_DEFAULTS);
        hash.put(b("b"), b("2"), EncodingLimits.REDIS_DEFAULTS);
        hash.put(b("c"), b("3"), EncodingLimits.REDIS_DEFAULTS);
        var all = hash.randomFields(5, new SplittableRandom());
        assertEquals("abc", all.stream().map(p -> new String(p[0])).reduce("", String::concat));
        assertEquals(5, hash.randomFields(-5, new SplittableRandom()).size());
    }

    @Test
    void aCopyKeepsTheEncodingAndIsIndependent() {
        RedisHash small = new RedisHash();
        small.put(b("a"), b("1"), EncodingLimits.REDIS_DEFAULTS);
        RedisHash smallCopy = small.copy();
        smallCopy.put(b("b"), b("2"), EncodingLimits.REDIS_DEFAULTS);
        assertEquals(1, small.size());
        assertEquals("listpack", smallCopy.encoding());
        RedisHash big = new RedisHash();
        big.put(b("f"), b("x".repeat(65)), EncodingLimits.REDIS_DEFAULTS);
        RedisHash bigCopy = big.copy();
        bigCopy.remove(b("f"));
        assertEquals(1, big.size());
        assertEquals("hashtable", bigCopy.encoding());
    }
}
