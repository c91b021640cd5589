// Sorted-set behaviours checked one by one against replies observed on a real redis-server 7.0.15.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedisSortedSetTest {

    /** The limits the operations get; a property or benchmark sets its own. */
    private static EncodingLimits limits = EncodingLimits.REDIS_DEFAULTS;

    private static Bytes b(String s) {
        return Bytes.of(s);
    }

    private static RedisSortedSet zset(Object... scoreMemberPairs) {
        RedisSortedSet z = new RedisSortedSet();
        for (int i = 0; i < scoreMemberPairs.length; i += 2) {
            z.add(((Number) scoreMemberPairs[i]).doubleValue(), b((String) scoreMemberPairs[i + 1]), ZAddOptions.NONE, limits);
        }
        return z;
    }

    private static List<String> members(List<ScoredMember> elements) {
        return elements.stream().map(e -> e.member().toString()).toList();
    }

    private static String parseError(String... args) {
        return assertThrows(RedisException.class,
                () -> ZAddOptions.parse(arguments(args), 0)).getMessage();
    }

    private static byte[][] arguments(String... args) {
        return Arrays.stream(args).map(arg -> b(arg).array()).toArray(byte[][]::new);
    }

    @Test
    void zaddArgumentErrorsComeInRedisOrder() {
        assertEquals("ERR syntax error", parseError("nx", "xx", "1"));
        assertEquals("ERR XX and NX options at the same time are not compatible", parseError("nx", "xx", "1", "a"));
        assertEquals("ERR GT, LT, and/or NX options at the same time are not compatible", parseError("gt", "lt", "1", "a"));
        assertEquals("ERR GT, LT, and/or NX options at the same time are not compatible", parseError("NX", "gt", "1", "a"));
        assertEquals("ERR INCR option supports a single increment-element pair", parseError("incr", "1", "a", "2", "b"));
        assertEquals("ERR value is not a valid float", parseError("NX", "a", "b"));
        assertEquals("ERR value is not a valid float", parseError("1", "a", "x", "b"));
        assertEquals("ERR value is not a valid float", parseError("1e400", "a"));
        assertEquals("ERR syntax error", parseError("1", "a", "2"));
        assertEquals("ERR syntax error", parseError("ch"));
    }

    @Test
    void zaddParsesOptionsInAnyCaseAndOrder() {
        byte[][] args = arguments("key", "Ch", "XX", "gt", "1.5", "a");
        assertEquals(new ZAddOptions(false, true, true, false, true, false), ZAddOptions.parse(args, 1));
        assertEquals(4, ZAddOptions.firstScore(args, 1));
    }

    @Test
    void zaddWithoutOptionsSharesTheNoneOptions() {
        byte[][] args = arguments("key", "1", "a", "2", "b");
        assertSame(ZAddOptions.NONE, ZAddOptions.parse(args, 1));
        assertEquals(1, ZAddOptions.firstScore(args, 1));
    }

    @Test
    void gtAndLtOnlyMoveScoresOneWayButStillAddNewMembers() {
        RedisSortedSet z = zset(1, "a", 3, "b");
        ZAddOptions gt = new ZAddOptions(false, false, true, false, true, false);
        assertEquals(RedisSortedSet.AddOutcome.UPDATED, z.add(5, b("a"), gt, limits));
        assertEquals(RedisSortedSet.AddOutcome.SKIPPED, z.add(0, b("b"), gt, limits));
        assertEquals(RedisSortedSet.AddOutcome.ADDED, z.add(3, b("c"), gt, limits));
        assertEquals(List.of("b", "c", "a"), members(z.rangeByRank(0, -1, false)));
    }

    @Test
    void incrWithGtReturnsNothingWhenTheScoreWouldDrop() {
        RedisSortedSet z = zset(1, "a", 2, "b");
        ZAddOptions gtIncr = new ZAddOptions(false, false, true, false, false, true);
        assertEquals(RedisSortedSet.AddOutcome.UPDATED, z.add(1, b("a"), gtIncr, limits));
        assertEquals(2.0, z.score(b("a")));
        assertEquals(RedisSortedSet.AddOutcome.SKIPPED, z.add(-1, b("a"), gtIncr, limits)); // ZADD replies nil
        assertEquals(2.0, z.score(b("a")));
    }

    @Test
    void incrementingInfinityByMinusInfinityIsRejectedAsNaN() {
        RedisSortedSet z = zset(Double.POSITIVE_INFINITY, "a");
        RedisException e = assertThrows(RedisException.class,
                () -> z.incrementBy(Double.NEGATIVE_INFINITY, b("a"), limits));
        assertEquals("ERR resulting score is not a number (NaN)", e.getMessage());
        assertEquals(Double.POSITIVE_INFINITY, z.score(b("a")));
    }

    @Test
    void encodingIsListpackUpTo128MembersOf64BytesThenSkiplistForGood() {
        RedisSortedSet z = new RedisSortedSet();
        for (int i = 0; i < 128; i++) {
            z.add(i, b("m" + i), ZAddOptions.NONE, limits);
        }
        assertEquals("listpack", z.encoding());
        z.add(128, b("m128"), ZAddOptions.NONE, limits);
        assertEquals("skiplist", z.encoding());
        z.removeRangeByRank(0, -2);
        assertEquals(1, z.size());
        assertEquals("skiplist", z.encoding(), "Redis does not convert back");

        RedisSortedSet longMember = zset(1, "x".repeat(64));
        assertEquals("listpack", longMember.encoding());
        longMember.add(1, b("y".repeat(65)), ZAddOptions.NONE, limits);
        assertEquals("skiplist", longMember.encoding());
    }

    @Test
    void minusZeroReadsBackAsZeroInAListpackButNotInASkiplist() {
        assertEquals("0.0", zset(-0.0, "a").score(b("a")).toString());
        RedisSortedSet big = zset(1, "x".repeat(80));
        big.add(-0.0, b("a"), ZAddOptions.NONE, limits);
        assertEquals("-0.0", big.score(b("a")).toString());
    }

    @Test
    void rangesWithExclusiveBoundsInfinitiesAndLimit() {
        RedisSortedSet z = zset(1, "a", 1, "b", 1, "c", 1, "d", 1, "e");
        LexRange bToD = LexRange.parse(b("(b"), b("[d"));
        assertEquals(List.of("c", "d"), members(z.rangeByLex(bToD, false, Limit.NONE)));
        assertEquals(List.of(), members(z.rangeByLex(LexRange.parse(b("+"), b("-")), false, Limit.NONE)));
        assertEquals(List.of("d", "c"), members(z.rangeByLex(LexRange.ALL, true, new Limit(1, 2))));
        assertEquals(List.of(), z.rangeByScore(ScoreRange.parse(b("(1"), b("1")), false, Limit.NONE));
        assertEquals(5, z.count(ScoreRange.parse(b("-inf"), b("+inf"))));
        assertEquals(List.of(), z.rangeByScore(ScoreRange.ALL, false, new Limit(-1, 2)), "negative offset: nothing");
        assertEquals(List.of("b", "c", "d", "e"), members(z.rangeByScore(ScoreRange.ALL, false, new Limit(1, -1))));
        assertEquals(List.of("a", "b", "c", "d", "e"), members(z.rangeByRank(-100, 100, false)));
        assertEquals(List.of(), z.rangeByRank(2, 1, false));
        assertEquals(2, z.removeRangeByRank(-2, -1));
        assertEquals(List.of(new ScoredMember(b("c"), 1), new ScoredMember(b("b"), 1)), z.popMax(2));
        assertEquals(List.of("a"), members(z.rangeByRank(0, -1, false)));
    }

    @Test
    void popWithoutCountTakesOneElementFromEitherEndInBothEncodings() {
        List<String> members = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            members.add("m" + i);
        }
        for (int size : new int[] {3, 200}) { // a listpack, then a skiplist
            RedisSortedSet z = new RedisSortedSet();
            for (int i = 0; i < size; i++) {
                z.add(i % 2, b(members.get(i)), ZAddOptions.NONE, limits); // ties on the score: ordered by member
            }
            RedisSortedSet twin = z.copy();
            assertEquals(twin.popMin(1).getFirst(), z.popMin());
            assertEquals(twin.popMax(1).getFirst(), z.popMax());
            assertEquals(members(twin.rangeByRank(0, -1, false)), members(z.rangeByRank(0, -1, false)));
            assertEquals(size - 2, z.size());
        }
        RedisSortedSet one = zset(5, "only");
        assertEquals(new ScoredMember(b("only"), 5), one.popMax());
        assertNull(one.popMin(), "an empty set pops nothing");
    }

    @Test
    void rankAndReverseRank() {
        RedisSortedSet z = zset(10, "a", 20, "b", 30, "c");
        assertEquals(0, z.rank(b("a"), false));
        assertEquals(2, z.rank(b("a"), true));
        assertEquals(-1, z.rank(b("zz"), false));
        assertEquals(List.of(20.0, 10.0), List.of(z.rangeByRank(0, 1, true).get(1).score(), z.score(b("a"))));
        assertEquals(Arrays.asList(10.0, null), z.scores(List.of(b("a"), b("nope"))));
    }

    @Test
    void equalScoresAreOrderedByMemberBytesUnsigned() {
        RedisSortedSet z = zset(0, "\u00ff", 0, "b", 0, "B", 0, "");
        assertEquals(List.of("", "B", "b", "\u00ff"), members(z.rangeByRank(0, -1, false)));
    }

    @Test
    void aggregatesFollowRedisForInfinitiesAndZeroWeights() {
        RedisSortedSet u = zset(1, "a", 2, "b");
        RedisSortedSet plusInf = zset(Double.POSITIVE_INFINITY, "a");
        RedisSortedSet minusInf = zset(Double.NEGATIVE_INFINITY, "a");
        assertEquals(Double.POSITIVE_INFINITY, RedisSortedSet.union(List.of(u, plusInf), null, Aggregate.SUM).score(b("a")));
        assertEquals(0.0, RedisSortedSet.union(List.of(plusInf, minusInf), null, Aggregate.SUM).score(b("a")));
        double[] oneZero = {1, 0};
        assertEquals(0.0, RedisSortedSet.intersection(List.of(plusInf, minusInf), oneZero, Aggregate.SUM).score(b("a")));
        double[] zeroOne = {0, 1};
        assertEquals(Double.NEGATIVE_INFINITY,
                RedisSortedSet.union(List.of(plusInf, minusInf), zeroOne, Aggregate.SUM).score(b("a")));
        assertEquals(0.0, RedisSortedSet.intersection(List.of(plusInf, minusInf), zeroOne, Aggregate.MAX).score(b("a")));
    }

    @Test
    void setsTakePartInUnionsWithScoreOneAndMissingKeysAreEmpty() {
        RedisSet set = RedisSet.of(List.of(b("a"), b("x")), limits);
        RedisSortedSet z = zset(5, "a");
        RedisSortedSet union = RedisSortedSet.union(Arrays.asList(z, set, null), new double[] {1, 10, 1}, Aggregate.SUM);
        assertEquals(15.0, union.score(b("a")));
        assertEquals(10.0, union.score(b("x")));
        assertEquals(0, RedisSortedSet.intersection(Arrays.asList(z, null), null, Aggregate.SUM).size());
        assertEquals(1, RedisSortedSet.intersectionCardinality(List.of(z, set), 0));
        assertEquals(List.of("x"), members(RedisSortedSet.difference(List.of(set, z)).rangeByRank(0, -1, false)));
    }

    @Test
    void unionResultsAreSkiplistsThatStoringMakesSmallAgain() {
        RedisSortedSet small = RedisSortedSet.union(List.of(zset(1, "a"), zset(2, "b")), null, Aggregate.SUM);
        assertEquals("skiplist", small.encoding(), "t_zset.c builds every result as a skiplist");
        small.convertToListpackIfNeeded(limits);
        assertEquals("listpack", small.encoding());
        assertEquals(List.of("a", "b"), members(small.rangeByRank(0, -1, false)));
        RedisSortedSet wide = RedisSortedSet.union(List.of(zset(1, "a"), zset(2, "b".repeat(65))), null, Aggregate.SUM);
        wide.convertToListpackIfNeeded(limits);
        assertEquals("skiplist", wide.encoding());
    }

    @Test
    void zunionRepliesMinusZeroButStoredItReadsBackAsZero() {
        RedisSortedSet negated = RedisSortedSet.union(List.of(zset(0, "m")), new double[] {-1}, Aggregate.SUM);
        assertEquals("-0.0", negated.score(b("m")).toString(), "ZUNION 1 a WEIGHTS -1 WITHSCORES replies -0");
        negated.convertToListpackIfNeeded(limits);
        assertEquals("0.0", negated.score(b("m")).toString(), "after ZUNIONSTORE, ZSCORE replies 0");
    }

    @Test
    void copyKeepsTheEncodingEvenWhenASkiplistHasShrunk() {
        RedisSortedSet z = new RedisSortedSet();
        for (int i = 0; i < 200; i++) {
            z.add(i, b("m" + i), ZAddOptions.NONE, limits);
        }
        z.removeRangeByRank(0, 194);
        RedisSortedSet copy = z.copy();
        assertEquals("skiplist", copy.encoding(), "COPY of a 5-member skiplist is a skiplist in Redis too");
        copy.add(-1, b("new"), ZAddOptions.NONE, limits);
        assertEquals(5, z.size());
        assertEquals(6, copy.size());
        RedisSortedSet small = zset(1, "a", 2, "b").copy();
        assertEquals("listpack", small.encoding());
        assertEquals(List.of("a", "b"), members(small.rangeByRank(0, -1, false)));
    }

    @Test
    void configuredLimitsDecideLaterConversionsOnly() {
        RedisSortedSet before = zset(1, "a", 2, "b", 3, "c");
        try {
            limits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(2, 64);
            assertEquals("listpack", before.encoding(), "a set converts on its next insert, not when the limit changes");
            before.add(4, b("d"), ZAddOptions.NONE, limits);
            assertEquals("skiplist", before.encoding());
            limits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(128, 3);
            assertEquals("skiplist", zset(1, "abcd").encoding());
            assertEquals("listpack", zset(1, "abc").encoding());
            limits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(0, 64);
            assertEquals("skiplist", zset(1, "a").encoding(), "zset-max-listpack-entries 0: never a listpack");
        } finally {
            limits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(128, 64);
        }
    }

    @Test
    void rangeStoreResultsBeyondTheLimitStartAsSkiplists() {
        List<ScoredMember> many = new java.util.ArrayList<>();
        for (int i = 0; i < 129; i++) {
            many.add(new ScoredMember(b("m" + i), i == 0 ? -0.0 : i));
        }
        RedisSortedSet stored = RedisSortedSet.of(many, limits);
        assertEquals("skiplist", stored.encoding());
        assertEquals("-0.0", stored.score(b("m0")).toString(), "never was a listpack, so -0 stays");
        assertEquals("listpack", RedisSortedSet.of(many.subList(0, 128), limits).encoding());
    }

    @Test
    void listpackStoresAnyScoreExactly() {
        double[] scores = {0.1, -0.5, 1e300, -1e-300, Double.MIN_VALUE, Double.MAX_VALUE, 4503599627370496.0,
                -4503599627370495.0, 4503599627370497.0, Long.MAX_VALUE, Long.MIN_VALUE, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 63, 64, -64, -65, 1L << 40};
        RedisSortedSet z = new RedisSortedSet();
        for (int i = 0; i < scores.length; i++) {
            z.add(scores[i], b("m" + i), ZAddOptions.NONE, limits);
        }
        assertEquals("listpack", z.encoding());
        for (int i = 0; i < scores.length; i++) {
            assertEquals(scores[i], z.score(b("m" + i)), "score " + scores[i]);
        }
        assertNull(z.checkInvariants());
    }

    @Test
    void randomMembersWithNegativeCountRepeatAndPositiveCountAreDistinct() {
        RedisSortedSet one = zset(1, "a");
        assertEquals(5, one.randomMembers(-5, new Random(1)).size());
        RedisSortedSet z = new RedisSortedSet();
        for (int i = 0; i < 100; i++) {
            z.add(i, b("m" + i), ZAddOptions.NONE, limits);
        }
        for (long count : new long[] {2, 10, 40, 99, 100, 500}) {
            List<ScoredMember> drawn = z.randomMembers(count, new Random(count));
            assertEquals(Math.min(count, 100), drawn.size());
            assertEquals(drawn.size(), drawn.stream().distinct().count());
        }
        assertNull(new RedisSortedSet().randomMember(new Random()));
    }

    @Test
    void zscanReturnsSmallSetsInOneCallAndLargeOnesByCursor() {
        RedisSortedSet small = zset(1, "a", 2, "b");
        List<ScoredMember> seen = new java.util.ArrayList<>();
        assertEquals(0, small.scan(0, 1, seen::add));
        assertEquals(2, seen.size());

        RedisSortedSet large = new RedisSortedSet();
        for (int i = 0; i < 1000; i++) {
            large.add(i, b("m" + i), ZAddOptions.NONE, limits);
        }
        java.util.Set<Bytes> members = new java.util.HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = large.scan(cursor, 10, e -> members.add(e.member()));
            calls++;
        } while (cursor != 0);
        assertEquals(1000, members.size());
        assertEquals(true, calls > 10, "a large set is scanned in several calls");
    }
}
