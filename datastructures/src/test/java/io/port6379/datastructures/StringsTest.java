// The string operations' behaviour and error texts, as observed on a real redis-server 7.0.15.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.datastructures.Strings.Condition;
import io.port6379.datastructures.Strings.SetOptions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StringsTest {

    private final FakeClock clock = new FakeClock(1_000_000);
    private final Keyspace keyspace = new Keyspace(clock);

    private static Bytes key(String k) {
        return Bytes.of(k);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String get(String k) {
        byte[] v = Strings.get(keyspace, key(k));
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    @AfterEach
    void restoreLimit() {
        keyspace.limits(EncodingLimits.REDIS_DEFAULTS);
    }

    @Test
    void setRemovesTheExpiryButKeepTtlKeepsIt() {
        Strings.set(keyspace, key("k"), b("v"), new SetOptions(Condition.ALWAYS, 2_000_000, false, false));
        assertEquals(2_000_000, keyspace.expireTime(key("k")));
        Strings.set(keyspace, key("k"), b("w"), new SetOptions(Condition.ALWAYS, -1, true, false));
        assertEquals(2_000_000, keyspace.expireTime(key("k")));
        Strings.set(keyspace, key("k"), b("x"), SetOptions.PLAIN);
        assertEquals(-1, keyspace.expireTime(key("k")));
    }

    @Test
    void setNxWritesOnlyAMissingKeyAndXxOnlyAnExistingOne() {
        SetOptions nx = new SetOptions(Condition.NX, -1, false, false);
        SetOptions xx = new SetOptions(Condition.XX, -1, false, false);
        assertFalse(Strings.set(keyspace, key("k"), b("1"), xx).written());
        assertTrue(Strings.set(keyspace, key("k"), b("1"), nx).written());
        assertFalse(Strings.set(keyspace, key("k"), b("2"), nx).written());
        assertTrue(Strings.set(keyspace, key("k"), b("3"), xx).written());
        assertEquals("3", get("k"));
    }

    @Test
    void setWithGetReturnsThePreviousValueAndFailsOnAnotherType() {
        Strings.set(keyspace, key("k"), b("old"), SetOptions.PLAIN);
        var result = Strings.set(keyspace, key("k"), b("new"), new SetOptions(Condition.NX, -1, false, true));
        assertFalse(result.written());
        assertArrayEquals(b("old"), result.previous());
        keyspace.set(key("list"), new RedisList());
        assertThrows(WrongTypeException.class,
                () -> Strings.set(keyspace, key("list"), b("x"), new SetOptions(Condition.ALWAYS, -1, false, true)));
        assertEquals("list", keyspace.get(key("list")).type());
    }

    @Test
    void setWithAnExpiryInThePastStoresAKeyThatIsAlreadyExpired() {
        Strings.set(keyspace, key("k"), b("v"), SetOptions.PLAIN);
        Strings.set(keyspace, key("k"), b("v"), new SetOptions(Condition.ALWAYS, 1, false, false));
        assertEquals(1, keyspace.size(), "Redis 7.0's DBSIZE still counts it");
        assertFalse(keyspace.exists(key("k")), "but no lookup sees it, and the lookup deletes it");
        assertEquals(0, keyspace.size());
    }

    @Test
    void appendCreatesThenGrowsAndTheResultIsRaw() {
        assertEquals(3, Strings.append(keyspace, key("k"), b("123")));
        assertEquals("int", keyspace.get(key("k")).encoding());
        assertEquals(4, Strings.append(keyspace, key("k"), b("4")));
        assertEquals("1234", get("k"));
        assertEquals("raw", keyspace.get(key("k")).encoding());
    }

    @Test
    void appendOfNothingToAMissingKeyCreatesAnEmptyString() {
        assertEquals(0, Strings.append(keyspace, key("k"), new byte[0]));
        assertTrue(keyspace.exists(key("k")));
    }

    @Test
    void appendBeyondTheMaximumLengthFails() {
        keyspace.limits(EncodingLimits.REDIS_DEFAULTS.withMaxStringLength(5));
        Strings.append(keyspace, key("k"), b("abc"));
        var e = assertThrows(RedisException.class, () -> Strings.append(keyspace, key("k"), b("def")));
        assertEquals("ERR string exceeds maximum allowed size (proto-max-bulk-len)", e.getMessage());
    }

    @Test
    void getRangeFollowsRedisIndexRulesAndQuirks() {
        Strings.set(keyspace, key("k"), b("abc"), SetOptions.PLAIN);
        assertEquals("abc", new String(Strings.getRange(keyspace, key("k"), -100, 100)));
        assertEquals("", new String(Strings.getRange(keyspace, key("k"), 2, 1)));
        assertEquals("a", new String(Strings.getRange(keyspace, key("k"), 0, -100)));
        assertEquals("", new String(Strings.getRange(keyspace, key("k"), -1, -100)));
        assertEquals("bc", new String(Strings.getRange(keyspace, key("k"), -2, -1)));
        assertEquals("", new String(Strings.getRange(keyspace, key("nokey"), 0, 1)));
    }

    @Test
    void setRangePadsWithZeroBytes() {
        Strings.set(keyspace, key("k"), b("xyz"), SetOptions.PLAIN);
        assertEquals(7, Strings.setRange(keyspace, key("k"), 5, b("ab")));
        assertArrayEquals(new byte[] {'x', 'y', 'z', 0, 0, 'a', 'b'}, Strings.get(keyspace, key("k")));
        assertEquals("raw", keyspace.get(key("k")).encoding());
        assertEquals(7, Strings.setRange(keyspace, key("k"), 1, b("Q")));
        assertArrayEquals(new byte[] {'x', 'Q', 'z', 0, 0, 'a', 'b'}, Strings.get(keyspace, key("k")));
    }

    @Test
    void setRangeOfNothingOnAMissingKeyCreatesNothing() {
        assertEquals(0, Strings.setRange(keyspace, key("k"), 10, new byte[0]));
        assertFalse(keyspace.exists(key("k")));
    }

    @Test
    void setRangeRejectsANegativeOffsetAndTheMaximumLength() {
        var negative = assertThrows(RedisException.class, () -> Strings.setRange(keyspace, key("k"), -1, b("x")));
        assertEquals("ERR offset is out of range", negative.getMessage());
        var tooLong = assertThrows(RedisException.class,
                () -> Strings.setRange(keyspace, key("k"), 536870912, b("x")));
        assertEquals("ERR string exceeds maximum allowed size (proto-max-bulk-len)", tooLong.getMessage());
    }

    @Test
    void incrByKeepsTheExpiryAndTheIntEncoding() {
        Strings.set(keyspace, key("k"), b("10"), new SetOptions(Condition.ALWAYS, 2_000_000, false, false));
        assertEquals(11, Strings.incrBy(keyspace, key("k"), 1));
        assertEquals("int", keyspace.get(key("k")).encoding());
        assertEquals(2_000_000, keyspace.expireTime(key("k")));
        assertEquals(-5, Strings.incrBy(keyspace, key("new"), -5));
    }

    @Test
    void incrByOnANonIntegerOrOverflowFailsWithRedisTexts() {
        Strings.set(keyspace, key("s"), b("abc"), SetOptions.PLAIN);
        assertEquals("ERR value is not an integer or out of range",
                assertThrows(RedisException.class, () -> Strings.incrBy(keyspace, key("s"), 1)).getMessage());
        Strings.set(keyspace, key("max"), b("9223372036854775807"), SetOptions.PLAIN);
        assertEquals("ERR increment or decrement would overflow",
                assertThrows(RedisException.class, () -> Strings.incrBy(keyspace, key("max"), 1)).getMessage());
        assertEquals(9223372036854775806L, Strings.incrBy(keyspace, key("max"), -1));
        assertEquals("ERR decrement would overflow",
                assertThrows(RedisException.class, () -> Strings.decrBy(keyspace, key("max"), Long.MIN_VALUE))
                        .getMessage());
    }

    @Test
    void incrByFloatUsesLongDoublePrecisionAndTrimsZeros() {
        Strings.set(keyspace, key("k"), b("3.0"), SetOptions.PLAIN);
        assertEquals("4.1", new String(Strings.incrByFloat(keyspace, key("k"), b("1.1"))));
        assertEquals("embstr", keyspace.get(key("k")).encoding());
        Strings.set(keyspace, key("big"), b("1e20"), SetOptions.PLAIN);
        assertEquals("100000000000000000000", new String(Strings.incrByFloat(keyspace, key("big"), b("0.1"))));
        assertEquals("5000", new String(Strings.incrByFloat(keyspace, key("n"), b("5.0e3"))));
        assertEquals("ERR increment would produce NaN or Infinity",
                assertThrows(RedisException.class, () -> Strings.incrByFloat(keyspace, key("k"), b("inf")))
                        .getMessage());
        assertEquals("ERR value is not a valid float",
                assertThrows(RedisException.class, () -> Strings.incrByFloat(keyspace, key("k"), b("nan")))
                        .getMessage());
    }

    @Test
    void incrByFloatStoresAnEmbstrEvenWhenTheResultLooksLikeAnInteger() {
        assertEquals("5000", new String(Strings.incrByFloat(keyspace, key("k"), b("5.0e3"))));
        assertEquals("embstr", keyspace.get(key("k")).encoding());
        Strings.incrBy(keyspace, key("k"), 1);
        assertEquals("int", keyspace.get(key("k")).encoding());
    }

    @Test
    void getDelReturnsAndDeletes() {
        Strings.set(keyspace, key("k"), b("v"), SetOptions.PLAIN);
        assertArrayEquals(b("v"), Strings.getDel(keyspace, key("k")));
        assertFalse(keyspace.exists(key("k")));
        assertNull(Strings.getDel(keyspace, key("k")));
    }

    @Test
    void getExSetsOrRemovesTheExpiry() {
        Strings.set(keyspace, key("k"), b("v"), SetOptions.PLAIN);
        Strings.getEx(keyspace, key("k"), 3_000_000, false);
        assertEquals(3_000_000, keyspace.expireTime(key("k")));
        Strings.getEx(keyspace, key("k"), -1, true);
        assertEquals(-1, keyspace.expireTime(key("k")));
        assertArrayEquals(b("v"), Strings.getEx(keyspace, key("k"), 5, false));
        assertFalse(keyspace.exists(key("k")));
    }

    @Test
    void msetnxWritesNothingWhenAnyKeyExists() {
        keyspace.set(key("b"), new RedisList());
        assertFalse(Strings.msetnx(keyspace, new byte[][] {b("a"), b("1"), b("b"), b("2")}, 0));
        assertFalse(keyspace.exists(key("a")));
        assertTrue(Strings.msetnx(keyspace, new byte[][] {b("a"), b("1"), b("c"), b("2")}, 0));
        assertEquals("2", get("c"));
    }

    @Test
    void strlenCountsBytesAndIsZeroForAMissingKey() {
        Strings.set(keyspace, key("k"), b("héllo"), SetOptions.PLAIN);
        assertEquals(6, Strings.strlen(keyspace, key("k")));
        assertEquals(0, Strings.strlen(keyspace, key("none")));
    }

    @Test
    void encodingsAreThoseOfRedis() {
        assertEquals("int", RedisString.of("123").encoding());
        assertEquals("embstr", RedisString.of("12345678901234567890").encoding());
        assertEquals("embstr", RedisString.of("-0").encoding());
        assertEquals("embstr", RedisString.of("x".repeat(44)).encoding());
        assertEquals("raw", RedisString.of("x".repeat(45)).encoding());
    }
}
