// Model-based property of lists: random operation sequences agree with a java.util.ArrayList.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class RedisListProperties {

    sealed interface Op permits Push, Pop, Index, SetAt, Range, Trim, Insert, Remove, Position {
    }

    record Push(boolean left, String element) implements Op {
    }

    record Pop(boolean left) implements Op {
    }

    record Index(long index) implements Op {
    }

    record SetAt(long index, String element) implements Op {
    }

    record Range(long start, long stop) implements Op {
    }

    record Trim(long start, long stop) implements Op {
    }

    record Insert(boolean before, String pivot, String element) implements Op {
    }

    record Remove(long count, String element) implements Op {
    }

    record Position(String element, long rank, long count, long maxlen) implements Op {
    }

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<String> element = Arbitraries.of("a", "b", "c", "d");
        Arbitrary<Long> index = Arbitraries.longs().between(-15, 15);
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Combinators.combine(bool, element).as(Push::new)),
                net.jqwik.api.Tuple.of(2, bool.map(Pop::new)),
                net.jqwik.api.Tuple.of(1, index.map(Index::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(index, element).as(SetAt::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(index, index).as(Range::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(index, index).as(Trim::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(bool, element, element).as(Insert::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.longs().between(-3, 3), element).as(Remove::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(element,
                        Arbitraries.longs().between(-3, 3).filter(r -> r != 0),
                        Arbitraries.longs().between(0, 3), Arbitraries.longs().between(0, 12)).as(Position::new)));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> list) {
        return list.stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
    }

    /** Law: a RedisList and an ArrayList given the same operations give the same answers and contents. */
    @Property(tries = 500)
    void listAgreesWithAnArrayList(@ForAll @Size(max = 120) List<@From("operations") Op> ops) {
        RedisList list = new RedisList();
        List<String> model = new ArrayList<>();
        for (Op op : ops) {
            switch (op) {
                case Push p -> {
                    list.push(p.left() ? RedisList.End.LEFT : RedisList.End.RIGHT, b(p.element()));
                    model.add(p.left() ? 0 : model.size(), p.element());
                }
                case Pop p -> {
                    byte[] popped = list.pop(p.left() ? RedisList.End.LEFT : RedisList.End.RIGHT);
                    String expected = model.isEmpty() ? null : model.remove(p.left() ? 0 : model.size() - 1);
                    assertEquals(expected, popped == null ? null : new String(popped, StandardCharsets.UTF_8));
                }
                case Index i -> {
                    int at = (int) (i.index() < 0 ? model.size() + i.index() : i.index());
                    String expected = at >= 0 && at < model.size() ? model.get(at) : null;
                    byte[] actual = list.get(i.index());
                    assertEquals(expected, actual == null ? null : new String(actual, StandardCharsets.UTF_8));
                }
                case SetAt s -> {
                    int at = (int) (s.index() < 0 ? model.size() + s.index() : s.index());
                    if (at >= 0 && at < model.size()) {
                        list.set(s.index(), b(s.element()));
                        model.set(at, s.element());
                    } else {
                        RedisException e = org.junit.jupiter.api.Assertions.assertThrows(RedisException.class,
                                () -> list.set(s.index(), b(s.element())));
                        assertEquals("ERR index out of range", e.getMessage());
                    }
                }
                case Range r -> {
                    List<String> expected = modelRange(model, r.start(), r.stop());
                    assertEquals(expected, strings(list.range(r.start(), r.stop())));
                    // LRANGE's copy-free path: the same elements, counted before they are visited
                    List<byte[]> visited = new ArrayList<>();
                    list.forEachInRange(r.start(), r.stop(), visited::add);
                    assertEquals(expected, strings(visited));
                    assertEquals(expected.size(), list.rangeSize(r.start(), r.stop()));
                }
                case Trim t -> {
                    List<String> kept = modelRange(model, t.start(), t.stop());
                    list.trim(t.start(), t.stop());
                    model.clear();
                    model.addAll(kept);
                }
                case Insert i -> {
                    int at = model.indexOf(i.pivot());
                    int length = list.insert(i.before(), b(i.pivot()), b(i.element()));
                    if (at < 0) {
                        assertEquals(-1, length);
                    } else {
                        model.add(i.before() ? at : at + 1, i.element());
                        assertEquals(model.size(), length);
                    }
                }
                case Remove r -> assertEquals(modelRemove(model, r.count(), r.element()), list.remove(r.count(), b(r.element())));
                case Position p -> assertEquals(modelPositions(model, p.element(), p.rank(), p.count(), p.maxlen()),
                        list.positions(b(p.element()), p.rank(), p.count(), p.maxlen()));
            }
            assertEquals(model, strings(list.range(0, -1)));
            assertEquals(model.size(), list.size());
        }
    }

    /** LRANGE as the Redis documentation states it, written independently of the implementation. */
    private static List<String> modelRange(List<String> model, long start, long stop) {
        int n = model.size();
        long from = start < 0 ? Math.max(0, n + start) : start;
        long to = stop < 0 ? n + stop : Math.min(stop, n - 1);
        List<String> result = new ArrayList<>();
        for (long i = from; i <= to && i < n; i++) {
            result.add(model.get((int) i));
        }
        return result;
    }

    private static long modelRemove(List<String> model, long count, String element) {
        long removed = 0;
        if (count >= 0) {
            for (int i = 0; i < model.size() && (count == 0 || removed < count); ) {
                if (model.get(i).equals(element)) {
                    model.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = model.size() - 1; i >= 0 && removed < -count; i--) {
                if (model.get(i).equals(element)) {
                    model.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static List<Long> modelPositions(List<String> model, String element, long rank, long count, long maxlen) {
        List<Long> matches = new ArrayList<>();
        int n = model.size();
        for (int step = 0; step < n && (maxlen == 0 || step < maxlen); step++) {
            int i = rank > 0 ? step : n - 1 - step;
            if (model.get(i).equals(element)) {
                matches.add((long) i);
            }
        }
        List<Long> afterRank = matches.subList((int) Math.min(matches.size(), Math.abs(rank) - 1), matches.size());
        return count == 0 ? afterRank : afterRank.subList(0, (int) Math.min(count, afterRank.size()));
    }
}
