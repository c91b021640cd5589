// Set behaviours checked one by one: encodings and their thresholds, random-member semantics, SMOVE, intset widths.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedisSetTest {

    private static Bytes b(String s) {
        return Bytes.of(s);
    }

    @Test
    void integerSetsAreIntsetsUntilTheirFiveHundredThirteenthMember() {
        RedisSet set = new RedisSet();
        for (int i = 0; i < 512; i++) {
            set.add(b(Integer.toString(i)), EncodingLimits.REDIS_DEFAULTS);
        }
        assertEquals("intset", set.encoding());
        set.add(b("512"), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("hashtable", set.encoding());
        assertEquals(513, set.size());
        assertTrue(set.contains(b("0")));
    }

    @Test
    void anyNonCanonicalIntegerMakesAHashtable() {
        for (String notAnInteger : List.of("a", "01", "+1", " 1", "-0", "9223372036854775808", "1.0", "")) {
            RedisSet set = RedisSet.of(List.of(b("1")), EncodingLimits.REDIS_DEFAULTS);
            set.add(b(notAnInteger), EncodingLimits.REDIS_DEFAULTS);
            assertEquals("hashtable", set.encoding(), notAnInteger);
            assertTrue(set.contains(b(notAnInteger)));
            assertTrue(set.contains(b("1")));
        }
    }

    @Test
    void aSetStartsInTheEncodingItsFirstMemberCallsFor() {
        RedisSet words = RedisSet.forFirstMember(b("element:1"));
        assertEquals("hashtable", words.encoding());
        assertTrue(words.add(b("element:1"), EncodingLimits.REDIS_DEFAULTS));
        assertEquals(1, words.size());
        RedisSet numbers = RedisSet.forFirstMember(b("42"));
        assertEquals("intset", numbers.encoding());
        assertTrue(numbers.add(b("42"), EncodingLimits.REDIS_DEFAULTS));
        assertEquals("intset", numbers.encoding());
    }

    @Test
    void intsetMembersAreComparedAsIntegersNotText() {
        RedisSet set = RedisSet.of(List.of(b("-5"), b("40000"), b("-5000000000"), b(Long.toString(Long.MAX_VALUE))), EncodingLimits.REDIS_DEFAULTS);
        assertEquals("intset", set.encoding());
        assertEquals(List.of(b("-5000000000"), b("-5"), b("40000"), b(Long.toString(Long.MAX_VALUE))), set.members());
        assertFalse(set.contains(b("-05")));
        assertFalse(set.remove(b("40000.0")));
    }

    @Test
    void intsetUpgradesItsWidthOnlyWhenNeeded() {
        IntSet intset = new IntSet();
        intset.add(1);
        intset.add(-2);
        assertEquals(2, intset.width());
        intset.add(70_000);
        assertEquals(4, intset.width());
        intset.add(-5_000_000_000L);
        assertEquals(8, intset.width());
        assertEquals(4 * 8, intset.blobLength());
        assertEquals(List.of(-5_000_000_000L, -2L, 1L, 70_000L),
                List.of(intset.get(0), intset.get(1), intset.get(2), intset.get(3)));
        assertTrue(intset.remove(-5_000_000_000L));
        assertEquals(8, intset.width(), "an intset never downgrades");
    }

    @Test
    void spopWithACountLargerThanTheSetEmptiesIt() {
        RedisSet set = RedisSet.of(List.of(b("a"), b("b")), EncodingLimits.REDIS_DEFAULTS);
        assertEquals(2, set.pop(5, new Random(1), EncodingLimits.REDIS_DEFAULTS).size());
        assertEquals(0, set.size());
        assertEquals(List.of(), set.pop(0, new Random(1), EncodingLimits.REDIS_DEFAULTS));
        assertNull(set.pop(new Random(1)));
    }

    @Test
    void spopKeepingFewMembersRebuildsTheSetSoAnIntegerRemainderIsAnIntsetAgain() {
        for (int seed = 0; seed < 20; seed++) {
            RedisSet set = RedisSet.of(List.of(b("a"), b("b"), b("c"), b("d"), b("e"), b("1")), EncodingLimits.REDIS_DEFAULTS);
            List<Bytes> popped = set.pop(5, new Random(seed), EncodingLimits.REDIS_DEFAULTS);
            assertEquals(5, popped.size());
            Bytes kept = set.members().get(0);
            assertEquals(kept.equals(b("1")) ? "intset" : "hashtable", set.encoding(), "kept " + kept);
        }
    }

    @Test
    void srandmemberWithNegativeCountMayRepeatAndNeverRemoves() {
        RedisSet set = RedisSet.of(List.of(b("only")), EncodingLimits.REDIS_DEFAULTS);
        assertEquals(List.of(b("only"), b("only"), b("only")), set.randomMembers(-3, new Random(7)));
        assertEquals(List.of(b("only")), set.randomMembers(10, new Random(7)));
        assertEquals(1, set.size());
        assertEquals(List.of(), new RedisSet().randomMembers(-3, new Random(7)));
    }

    @Test
    void randomMembersOfAnIntsetAreUniform() {
        RedisSet set = new RedisSet();
        for (int i = 0; i < 10; i++) {
            set.add(b(Integer.toString(i)), EncodingLimits.REDIS_DEFAULTS);
        }
        Map<Bytes, Integer> counts = new HashMap<>();
        Random random = new Random(42);
        for (Bytes member : set.randomMembers(-20_000, random)) {
            counts.merge(member, 1, Integer::sum);
        }
        assertEquals(10, counts.size());
        counts.values().forEach(c -> assertEquals(2000, c, 200));
    }

    @Test
    void everyMemberOfAHashtableCanBeDrawn() {
        RedisSet set = new RedisSet();
        for (int i = 0; i < 50; i++) {
            set.add(b("m" + i), EncodingLimits.REDIS_DEFAULTS);
        }
        assertEquals(50, new java.util.HashSet<>(set.randomMembers(-5_000, new Random(3))).size());
    }

    @Test
    void smoveToTheSameSetOnlyReportsMembership() {
        RedisSet set = RedisSet.of(List.of(b("a")), EncodingLimits.REDIS_DEFAULTS);
        assertTrue(RedisSet.move(set, set, b("a"), EncodingLimits.REDIS_DEFAULTS));
        assertFalse(RedisSet.move(set, set, b("z"), EncodingLimits.REDIS_DEFAULTS));
        RedisSet other = new RedisSet();
        assertTrue(RedisSet.move(set, other, b("a"), EncodingLimits.REDIS_DEFAULTS));
        assertEquals(0, set.size());
        assertEquals(List.of(b("a")), other.members());
        assertFalse(RedisSet.move(set, other, b("a"), EncodingLimits.REDIS_DEFAULTS));
    }

    @Test
    void smismemberAnswersEachMember() {
        RedisSet set = RedisSet.of(List.of(b("a"), b("1")), EncodingLimits.REDIS_DEFAULTS);
        assertEquals(List.of(true, false, true), set.containsEach(List.of(b("a"), b("b"), b("1"))));
    }
}
