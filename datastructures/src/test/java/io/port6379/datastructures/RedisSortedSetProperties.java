// Model-based properties: random operation sequences give the same results on RedisSortedSet and on a naive model.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class RedisSortedSetProperties {

    /** The limits the operations get; a property or benchmark sets its own. */
    private static EncodingLimits encodingLimits = EncodingLimits.REDIS_DEFAULTS;

    /** One operation, applied to the real structure and to the model; the two results must be equal. */
    record Op(String name, Function<RedisSortedSet, Object> real, Function<SortedSetModel, Object> model) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Object run(Function<Object, Object> action, Object target) {
        try {
            return action.apply(target);
        } catch (RedisException e) {
            return "error: " + e.getMessage();
        }
    }

    /** zset-max-listpack-entries and -value for one run; set before a sequence, Redis's defaults restored after. */
    record Limits(int maxEntries, int maxValue) {
        static final Limits DEFAULT = new Limits(128, 64);

        @Override
        public String toString() {
            return "zset-max-listpack-entries " + maxEntries + ", zset-max-listpack-value " + maxValue;
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(List<Op> ops, boolean lexOnly, Limits limits) {
        encodingLimits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(limits.maxEntries(), limits.maxValue());
        try {
            RedisSortedSet real = new RedisSortedSet();
            SortedSetModel model = new SortedSetModel(limits.maxEntries(), limits.maxValue());
            int step = 0;
            for (Op op : ops) {
                Object expected = run(m -> op.model().apply((SortedSetModel) m), model);
                Object actual = run(r -> op.real().apply((RedisSortedSet) r), real);
                assertEquals(expected, actual, "step " + step + ": " + op);
                assertEquals(model.sorted(), real.rangeByRank(0, -1, false), "state after step " + step + ": " + op);
                assertEquals(model.skiplist ? "skiplist" : "listpack", real.encoding(), "encoding after " + op);
                assertNull(real.checkInvariants(), "invariants after " + op);
                step++;
            }
            if (!lexOnly) {
                Statistics.label("final encoding").collect(real.encoding());
            }
        } finally {
            encodingLimits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(Limits.DEFAULT.maxEntries(), Limits.DEFAULT.maxValue());
        }
    }

    // The law: for any sequence of operations, every result, the state and the encoding after every step equal the
    // model's, with Redis's limits (small sets are listpacks, converted to a skiplist beyond 128 members or 64 bytes).
    @Property(tries = 150)
    void behavesLikeTheModel(@ForAll("operations") List<Op> ops) {
        check(ops, false, Limits.DEFAULT);
    }

    // The same law whatever the configured limits: 0 (every set a skiplist from its first member, as CONFIG SET
    // zset-max-listpack-entries 0 makes it), small ones (many conversions), and larger than Redis's.
    @Property(tries = 150)
    void behavesLikeTheModelUnderAnyLimits(@ForAll("operations") List<Op> ops, @ForAll("listpackLimits") Limits limits) {
        check(ops, false, limits);
    }

    // The same law for lexicographic ranges, which Redis defines for members that all share one score.
    @Property(tries = 100)
    void lexRangesBehaveLikeTheModel(@ForAll("lexOperations") List<Op> ops, @ForAll("listpackLimits") Limits limits) {
        check(ops, true, limits);
    }

    // The encodings agree: the same operations on a listpack-limited set and on an always-skiplist one give the same
    // results, except that a listpack reads a -0 score back as 0 (its integer encoding), which is Redis's behaviour.
    @Property(tries = 150)
    void listpackAndSkiplistGiveTheSameResults(@ForAll("operations") List<Op> ops) {
        List<Object> compact = results(ops, Limits.DEFAULT);
        List<Object> skiplist = results(ops, new Limits(0, 0));
        assertEquals(normalizeZero(skiplist), normalizeZero(compact));
    }

    private static List<Object> results(List<Op> ops, Limits limits) {
        encodingLimits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(limits.maxEntries(), limits.maxValue());
        try {
            RedisSortedSet real = new RedisSortedSet();
            List<Object> results = new ArrayList<>();
            for (Op op : ops) {
                results.add(run(r -> op.real().apply((RedisSortedSet) r), real));
                results.add(real.rangeByRank(0, -1, false));
            }
            return results;
        } finally {
            encodingLimits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(Limits.DEFAULT.maxEntries(), Limits.DEFAULT.maxValue());
        }
    }

    /** The results' text with every -0 score written as 0. */
    private static String normalizeZero(List<Object> results) {
        return results.toString().replace("-0.0", "0.0");
    }

    // Storing a result: convertToListpackIfNeeded keeps every element and makes a listpack exactly when both limits
    // allow it, as zsetConvertToListpackIfNeeded.
    @Property(tries = 200)
    void convertingBackKeepsTheElements(@ForAll("operations") List<Op> ops) {
        encodingLimits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(0, 0);
        RedisSortedSet real = new RedisSortedSet();
        try {
            ops.forEach(op -> run(r -> op.real().apply((RedisSortedSet) r), real));
        } finally {
            encodingLimits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(Limits.DEFAULT.maxEntries(), Limits.DEFAULT.maxValue());
        }
        List<ScoredMember> before = real.rangeByRank(0, -1, false);
        real.convertToListpackIfNeeded(encodingLimits);
        boolean fits = before.size() <= 128 && before.stream().allMatch(e -> e.member().length() <= 64);
        assertEquals(fits || before.isEmpty() ? "listpack" : "skiplist", real.encoding());
        assertEquals(before.toString().replace("-0.0", "0.0"), real.rangeByRank(0, -1, false).toString()
                .replace("-0.0", "0.0"));
        assertNull(real.checkInvariants());
    }

    // ---- generators

    static Arbitrary<Bytes> members() {
        Arbitrary<Bytes> few = Arbitraries.of("a", "b", "c", "d", "e", "", "\u00ff", "ab").map(Bytes::of);
        Arbitrary<Bytes> many = Arbitraries.integers().between(0, 199).map(i -> Bytes.of("m" + i));
        Arbitrary<Bytes> nearLimit = Arbitraries.of(63, 64, 65).map(n -> Bytes.of("x".repeat(n)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, few), net.jqwik.api.Tuple.of(10, many), net.jqwik.api.Tuple.of(1, nearLimit));
    }

    @Provide
    Arbitrary<Limits> listpackLimits() {
        return Arbitraries.of(new Limits(0, 0), new Limits(1, 1), new Limits(4, 2), new Limits(8, 16),
                new Limits(128, 64), new Limits(200, 100));
    }

    static Arbitrary<Double> scores() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 5).map(Integer::doubleValue),
                Arbitraries.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.5, -2.5, 1e300, -1e-300,
                        Double.MIN_VALUE, 4503599627370496.0, -4503599627370495.0, 9.223372036854776E18, -9.223372036854776E18));
    }

    static Arbitrary<ZAddOptions> options() {
        return Arbitraries.integers().between(0, 63).map(bits -> new ZAddOptions((bits & 1) != 0, (bits & 2) != 0,
                        (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0))
                .filter(o -> !(o.nx() && o.xx()) && !((o.gt() || o.lt()) && o.nx()) && !(o.gt() && o.lt()));
    }

    static Arbitrary<ScoreRange> scoreRanges() {
        Arbitrary<Double> bound = Arbitraries.oneOf(Arbitraries.integers().between(-6, 6).map(Integer::doubleValue),
                Arbitraries.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        return Combinators.combine(bound, Arbitraries.of(true, false), bound, Arbitraries.of(true, false))
                .as(ScoreRange::new);
    }

    static Arbitrary<LexRange> lexRanges() {
        Arbitrary<LexRange.Bound> bound = Arbitraries.oneOf(
                Arbitraries.of(LexRange.Bound.MINUS_INFINITY, LexRange.Bound.PLUS_INFINITY),
                Combinators.combine(Arbitraries.of(LexRange.Bound.Kind.INCLUSIVE, LexRange.Bound.Kind.EXCLUSIVE),
                        Arbitraries.of("", "a", "b", "bb", "c", "e", "f", "\u00ff"))
                        .as((kind, value) -> new LexRange.Bound(kind, Bytes.of(value).array())));
        return Combinators.combine(bound, bound).as(LexRange::new);
    }

    static Arbitrary<Limit> limits() {
        return Arbitraries.oneOf(Arbitraries.just(Limit.NONE),
                Combinators.combine(Arbitraries.longs().between(-1, 4), Arbitraries.longs().between(-1, 4))
                        .as(Limit::new));
    }

    static Arbitrary<Long> indexes() {
        return Arbitraries.longs().between(-140, 140);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Boolean> rev = Arbitraries.of(true, false);
        Arbitrary<Op> add = Combinators.combine(scores(), members(), options()).as((s, m, o) -> new Op(
                "add " + s + " " + m + " " + o, r -> r.add(s, m, o, encodingLimits), x -> x.add(s, m, o)));
        Arbitrary<Op> plainAdd = Combinators.combine(scores(), members()).as((s, m) -> new Op(
                "add " + s + " " + m, r -> r.add(s, m, ZAddOptions.NONE, encodingLimits), x -> x.add(s, m, ZAddOptions.NONE)));
        Arbitrary<Op> incr = Combinators.combine(scores(), members()).as((s, m) -> new Op("zincrby " + s + " " + m,
                r -> r.incrementBy(s, m, encodingLimits), x -> {
                    Double current = x.scores.get(m);
                    x.add(s, m, ZAddOptions.INCR);
                    return current == null ? s : current + s; // the reply is the sum, not the stored score
                }));
        Arbitrary<Op> remove = members().map(m -> new Op("zrem " + m, r -> r.remove(m), x -> x.scores.remove(m) != null));
        Arbitrary<Op> score = members().map(m -> new Op("zscore " + m, r -> r.score(m), x -> x.scores.get(m)));
        Arbitrary<Op> rank = Combinators.combine(members(), rev).as((m, v) -> new Op("zrank " + m + " " + v,
                r -> r.rank(m, v), x -> x.rank(m, v)));
        Arbitrary<Op> byRank = Combinators.combine(indexes(), indexes(), rev).as((a, b, v) -> new Op(
                "zrange " + a + " " + b + " " + v, r -> r.rangeByRank(a, b, v), x -> x.rangeByRank(a, b, v)));
        Arbitrary<Op> byScore = Combinators.combine(scoreRanges(), rev, limits()).as((g, v, l) -> new Op(
                "zrangebyscore " + g + " " + v + " " + l, r -> r.rangeByScore(g, v, l),
                x -> x.range(e -> SortedSetModel.inScoreRange(g, e.score()), v, l)));
        Arbitrary<Op> count = scoreRanges().map(g -> new Op("zcount " + g, r -> r.count(g),
                x -> (long) x.range(e -> SortedSetModel.inScoreRange(g, e.score()), false, Limit.NONE).size()));
        Arbitrary<Op> remByScore = scoreRanges().map(g -> new Op("zremrangebyscore " + g,
                r -> r.removeRangeByScore(g), x -> x.removeIf(e -> SortedSetModel.inScoreRange(g, e.score()))));
        Arbitrary<Op> remByRank = Combinators.combine(indexes(), indexes()).as((a, b) -> new Op(
                "zremrangebyrank " + a + " " + b, r -> r.removeRangeByRank(a, b), x -> x.removeRangeByRank(a, b)));
        Arbitrary<Op> pop = Combinators.combine(Arbitraries.longs().between(0, 4), rev).as((c, max) -> new Op(
                (max ? "zpopmax " : "zpopmin ") + c, r -> max ? r.popMax(c) : r.popMin(c), x -> x.pop(c, max)));
        Arbitrary<Op> bulkAdd = Combinators.combine(Arbitraries.integers().between(0, 199), scores()).as((first, s) ->
                new Op("add " + s + " m" + first + "..m" + (first + 39), r -> {
                    for (int i = first; i < first + 40; i++) {
                        r.add(s + i, Bytes.of("m" + i), ZAddOptions.NONE, encodingLimits);
                    }
                    return r.size();
                }, x -> {
                    for (int i = first; i < first + 40; i++) {
                        x.add(s + i, Bytes.of("m" + i), ZAddOptions.NONE);
                    }
                    return x.scores.size();
                }));
        Arbitrary<Op> anyOp = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, bulkAdd),
                net.jqwik.api.Tuple.of(30, plainAdd), net.jqwik.api.Tuple.of(8, add), net.jqwik.api.Tuple.of(3, incr),
                net.jqwik.api.Tuple.of(4, remove), net.jqwik.api.Tuple.of(2, score), net.jqwik.api.Tuple.of(3, rank),
                net.jqwik.api.Tuple.of(3, byRank), net.jqwik.api.Tuple.of(4, byScore), net.jqwik.api.Tuple.of(2, count),
                net.jqwik.api.Tuple.of(1, remByScore), net.jqwik.api.Tuple.of(1, remByRank), net.jqwik.api.Tuple.of(2, pop));
        return anyOp.list().ofMinSize(20).ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<Op>> lexOperations() {
        Arbitrary<Bytes> members = Arbitraries.of("", "a", "aa", "b", "bb", "c", "d", "e", "f", "\u00ff", "\u00ff\u00ff")
                .map(Bytes::of);
        Arbitrary<Boolean> rev = Arbitraries.of(true, false);
        Arbitrary<Op> add = members.map(m -> new Op("add 0 " + m, r -> r.add(0, m, ZAddOptions.NONE, encodingLimits),
                x -> x.add(0, m, ZAddOptions.NONE)));
        Arbitrary<Op> remove = members.map(m -> new Op("zrem " + m, r -> r.remove(m), x -> x.scores.remove(m) != null));
        Arbitrary<Op> byLex = Combinators.combine(lexRanges(), rev, limits()).as((g, v, l) -> new Op(
                "zrangebylex " + g + " " + v + " " + l, r -> r.rangeByLex(g, v, l),
                x -> x.range(e -> SortedSetModel.inLexRange(g, e.member().array()), v, l)));
        Arbitrary<Op> lexCount = lexRanges().map(g -> new Op("zlexcount " + g, r -> r.lexCount(g),
                x -> (long) x.range(e -> SortedSetModel.inLexRange(g, e.member().array()), false, Limit.NONE).size()));
        Arbitrary<Op> remByLex = lexRanges().map(g -> new Op("zremrangebylex " + g, r -> r.removeRangeByLex(g),
                x -> x.removeIf(e -> SortedSetModel.inLexRange(g, e.member().array()))));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, add), net.jqwik.api.Tuple.of(1, remove),
                net.jqwik.api.Tuple.of(4, byLex), net.jqwik.api.Tuple.of(2, lexCount),
                net.jqwik.api.Tuple.of(1, remByLex)).list().ofMaxSize(60);
    }

    // The law for the set algebra: ZUNION/ZINTER/ZDIFF equal a computation over plain maps.
    @Property(tries = 200)
    void unionIntersectionAndDifferenceMatchMaps(@ForAll("smallSets") List<List<ScoredMember>> inputs,
                                                 @ForAll("weights") List<Double> weightList,
                                                 @ForAll Aggregate aggregate) {
        List<RedisSortedSet> sets = new ArrayList<>();
        for (List<ScoredMember> input : inputs) {
            sets.add(RedisSortedSet.of(input, encodingLimits));
        }
        double[] weights = new double[sets.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weightList.get(i % weightList.size());
        }
        java.util.Map<Bytes, Double> union = new java.util.HashMap<>();
        java.util.Map<Bytes, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < sets.size(); i++) {
            for (ScoredMember e : sets.get(i).rangeByRank(0, -1, false)) {
                double w = weights[i] * e.score();
                double value = Double.isNaN(w) ? 0 : w;
                union.merge(e.member(), value, aggregate::combine);
                seen.merge(e.member(), 1, Integer::sum);
            }
        }
        // Results are skiplists, as t_zset.c builds them (a weighted -0 stays -0); storing one makes it a listpack.
        SortedSetModel expectedUnion = new SortedSetModel(0, 0);
        union.forEach((m, s) -> expectedUnion.add(s, m, ZAddOptions.NONE));
        RedisSortedSet actualUnion = RedisSortedSet.union(sets, weights, aggregate);
        assertEquals(expectedUnion.sorted(), actualUnion.rangeByRank(0, -1, false));
        SortedSetModel expectedStored = new SortedSetModel();
        union.forEach((m, s) -> expectedStored.add(s, m, ZAddOptions.NONE));
        actualUnion.convertToListpackIfNeeded(encodingLimits);
        assertEquals(expectedStored.sorted(), actualUnion.rangeByRank(0, -1, false));

        RedisSortedSet inter = RedisSortedSet.intersection(sets, weights, aggregate);
        List<Bytes> expectedMembers = union.keySet().stream().filter(m -> seen.get(m) == sets.size()).sorted().toList();
        assertEquals(expectedMembers, inter.rangeByRank(0, -1, false).stream().map(ScoredMember::member).sorted().toList());
        assertEquals(expectedMembers.size(), RedisSortedSet.intersectionCardinality(sets, 0));
        assertEquals(Math.min(1, expectedMembers.size()), RedisSortedSet.intersectionCardinality(sets, 1));

        SortedSetModel expectedDiff = new SortedSetModel(0, 0);
        for (ScoredMember e : sets.get(0).rangeByRank(0, -1, false)) {
            if (sets.stream().skip(1).allMatch(s -> s.score(e.member()) == null)) {
                expectedDiff.add(e.score(), e.member(), ZAddOptions.NONE);
            }
        }
        assertEquals(expectedDiff.sorted(), RedisSortedSet.difference(sets).rangeByRank(0, -1, false));
    }

    @Provide
    Arbitrary<List<List<ScoredMember>>> smallSets() {
        Arbitrary<ScoredMember> element = Combinators.combine(
                Arbitraries.of("a", "b", "c", "d", "e", "f").map(Bytes::of), scores()).as(ScoredMember::new);
        return element.list().ofMaxSize(6).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Double>> weights() {
        return Arbitraries.of(1.0, 2.0, 0.0, -1.0, 0.5).list().ofMinSize(1).ofMaxSize(4);
    }
}
