// Model-based properties of RedisSet against java.util.HashSet, including the intset -> hashtable conversion.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class RedisSetProperties {

    sealed interface Op permits Add, BulkAdd, Remove, Pop, PopCount, RandomMembers {
    }

    record Add(Bytes member) implements Op {
    }

    record BulkAdd(int first) implements Op {
    }

    record Remove(Bytes member) implements Op {
    }

    record Pop() implements Op {
    }

    record PopCount(long count) implements Op {
    }

    record RandomMembers(long count) implements Op {
    }

    /** The model: a HashSet, plus the encoding Redis would report, derived from Redis's rules. */
    static final class Model {
        final Set<Bytes> members = new HashSet<>();
        boolean hashtable;

        void add(Bytes member) {
            members.add(member);
            if (!RedisNumbers.isLong(member.array()) || members.size() > RedisSet.SET_MAX_INTSET_ENTRIES) {
                hashtable = true;
            }
        }
    }

    private static boolean allIntegers(Set<Bytes> members) {
        return members.stream().allMatch(m -> RedisNumbers.isLong(m.array()));
    }

    // The law: the set holds exactly the model's members after every operation; random operations return
    // members of the model (distinct ones where Redis promises it) and remove exactly what they return; the
    // encoding is intset until a non-integer or the 513th member, and SPOP's "keep the few" strategy rebuilds it.
    @Property(tries = 120)
    void behavesLikeAHashSet(@ForAll("operations") List<Op> ops, @ForAll long seed) {
        Random random = new Random(seed);
        RedisSet set = new RedisSet();
        Model model = new Model();
        for (Op op : ops) {
            switch (op) {
                case Add a -> {
                    assertEquals(!model.members.contains(a.member()), set.add(a.member(), EncodingLimits.REDIS_DEFAULTS));
                    model.add(a.member());
                }
                case BulkAdd b -> {
                    for (int i = b.first(); i < b.first() + 100; i++) {
                        Bytes member = Bytes.of(Integer.toString(i));
                        assertEquals(!model.members.contains(member), set.add(member, EncodingLimits.REDIS_DEFAULTS));
                        model.add(member);
                    }
                }
                case Remove r -> assertEquals(model.members.remove(r.member()), set.remove(r.member()));
                case Pop p -> {
                    Bytes popped = set.pop(random);
                    if (model.members.isEmpty()) {
                        assertEquals(null, popped);
                    } else {
                        assertTrue(model.members.remove(popped), "popped a member of the set");
                    }
                }
                case PopCount p -> {
                    int size = model.members.size();
                    List<Bytes> popped = set.pop(p.count(), random, EncodingLimits.REDIS_DEFAULTS);
                    assertEquals(Math.min(p.count(), size), popped.size());
                    assertEquals(popped.size(), new HashSet<>(popped).size(), "SPOP count returns distinct members");
                    for (Bytes member : popped) {
                        assertTrue(model.members.remove(member));
                    }
                    if (p.count() >= size) {
                        model.hashtable = false; // emptied: the key is deleted, a new one starts as an intset
                    } else if ((size - p.count()) * 5 <= p.count()) {
                        model.hashtable = !allIntegers(model.members); // the kept members were re-added
                    }
                }
                case RandomMembers r -> {
                    List<Bytes> drawn = set.randomMembers(r.count(), random);
                    long expected = r.count() < 0 ? (model.members.isEmpty() ? 0 : -r.count())
                            : Math.min(r.count(), model.members.size());
                    assertEquals(expected, drawn.size());
                    assertTrue(model.members.containsAll(drawn));
                    if (r.count() > 0) {
                        assertEquals(drawn.size(), new HashSet<>(drawn).size(), "positive count: distinct");
                    }
                }
            }
            assertEquals(model.members, new HashSet<>(set.members()), "after " + op);
            assertEquals(model.members.size(), set.size());
            assertEquals(model.hashtable ? "hashtable" : "intset", set.encoding(), "encoding after " + op);
        }
        for (Bytes member : model.members) {
            assertTrue(set.contains(member));
        }
        Statistics.label("final encoding").collect(set.encoding());
    }

    static Arbitrary<Bytes> members() {
        Arbitrary<Bytes> integers = Arbitraries.integers().between(-20, 700).map(i -> Bytes.of(Integer.toString(i)));
        Arbitrary<Bytes> wide = Arbitraries.of(40_000L, -40_000L, 5_000_000_000L, -5_000_000_000L,
                Long.MAX_VALUE, Long.MIN_VALUE).map(l -> Bytes.of(Long.toString(l)));
        // Not integers for Redis (string2ll): signs, leading zeros, spaces, overflow, "-0".
        Arbitrary<Bytes> strings = Arbitraries.of("a", "b", "01", "+1", " 1", "-0", "9223372036854775808", "1.0", "")
                .map(Bytes::of);
        return Arbitraries.frequencyOf(Tuple.of(20, integers), Tuple.of(3, wide), Tuple.of(1, strings));
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> add = members().map(Add::new);
        Arbitrary<Op> bulk = Arbitraries.integers().between(-50, 600).map(BulkAdd::new);
        Arbitrary<Op> remove = members().map(Remove::new);
        Arbitrary<Op> pop = Arbitraries.just(new Pop());
        Arbitrary<Op> popCount = Arbitraries.longs().between(0, 120).map(PopCount::new);
        Arbitrary<Op> random = Arbitraries.longs().between(-20, 120).map(RandomMembers::new);
        return Arbitraries.frequencyOf(Tuple.of(20, add), Tuple.of(2, bulk), Tuple.of(5, remove), Tuple.of(2, pop),
                Tuple.of(2, popCount), Tuple.of(3, random)).list().ofMaxSize(80);
    }

    // The law of set algebra: SINTER, SUNION, SDIFF and SINTERCARD equal java.util set operations;
    // a missing key (null) is an empty set.
    @Property(tries = 300)
    void algebraMatchesJavaSets(@ForAll("sets") List<List<Bytes>> inputs, @ForAll("limits") long limit) {
        List<RedisSet> sets = new ArrayList<>();
        List<Set<Bytes>> models = new ArrayList<>();
        for (List<Bytes> input : inputs) {
            boolean missing = input.size() == 1 && input.get(0).equals(Bytes.of("missing"));
            sets.add(missing ? null : RedisSet.of(input, EncodingLimits.REDIS_DEFAULTS));
            models.add(missing ? Set.of() : new HashSet<>(input));
        }
        Set<Bytes> inter = new HashSet<>(models.get(0));
        Set<Bytes> union = new HashSet<>();
        Set<Bytes> diff = new HashSet<>(models.get(0));
        for (int i = 0; i < models.size(); i++) {
            inter.retainAll(models.get(i));
            union.addAll(models.get(i));
            if (i > 0) {
                diff.removeAll(models.get(i));
            }
        }
        assertEquals(inter, new HashSet<>(RedisSet.intersection(sets, EncodingLimits.REDIS_DEFAULTS).members()));
        assertEquals(union, new HashSet<>(RedisSet.union(sets, EncodingLimits.REDIS_DEFAULTS).members()));
        assertEquals(diff, new HashSet<>(RedisSet.difference(sets, EncodingLimits.REDIS_DEFAULTS).members()));
        long expectedCard = limit == 0 ? inter.size() : Math.min(limit, inter.size());
        assertEquals(expectedCard, RedisSet.intersectionCardinality(sets, limit));
        // STORE results are built like SINTERSTORE's destination: intset while every member is an integer.
        RedisSet stored = RedisSet.union(sets, EncodingLimits.REDIS_DEFAULTS);
        assertEquals(allIntegers(union) && union.size() <= 512 ? "intset" : "hashtable", stored.encoding());
    }

    @Provide
    Arbitrary<List<List<Bytes>>> sets() {
        Arbitrary<Bytes> member = Arbitraries.of("1", "2", "3", "4", "a", "b", "c", "-7").map(Bytes::of);
        Arbitrary<List<Bytes>> one = Arbitraries.oneOf(member.list().ofMaxSize(8),
                Arbitraries.just(List.of(Bytes.of("missing"))));
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Long> limits() {
        return Arbitraries.longs().between(0, 5);
    }

    // The SSCAN guarantee: a member present from the first call to the last is returned at least once, even
    // when members are added and removed between calls and the table grows and shrinks meanwhile.
    @Property(tries = 100)
    void scanReturnsEveryMemberPresentThroughout(@ForAll("scanScripts") List<Integer> churn,
                                                 @ForAll("counts") int count) {
        RedisSet set = new RedisSet();
        Set<Bytes> stable = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Bytes member = Bytes.of("stable:" + i);
            set.add(member, EncodingLimits.REDIS_DEFAULTS);
            stable.add(member);
        }
        Set<Bytes> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = set.scan(cursor, count, seen::add);
            int delta = churn.get(step++ % churn.size());
            for (int i = 0; i < Math.abs(delta); i++) {  // grow or shrink the table between calls
                Bytes transient_ = Bytes.of("churn:" + i);
                if (delta > 0) {
                    set.add(transient_, EncodingLimits.REDIS_DEFAULTS);
                } else {
                    set.remove(transient_);
                }
            }
        } while (cursor != 0);
        assertTrue(seen.containsAll(stable), "every stable member was returned");
    }

    @Provide
    Arbitrary<List<Integer>> scanScripts() {
        return Arbitraries.integers().between(-1000, 1000).list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.integers().between(1, 50);
    }
}
