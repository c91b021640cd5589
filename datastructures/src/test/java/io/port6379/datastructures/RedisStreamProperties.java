// Model-based property of streams: random adds, deletes, trims and ranges agree with a sorted map of IDs.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The law: after any sequence of XADD (with {@code *}, {@code ms-*} and explicit IDs, some of them too small),
 * XDEL, exact and approximate MAXLEN/MINID trims with and without LIMIT, a {@link RedisStream} with tiny nodes
 * holds the same entries as a {@link TreeMap} from ID to entry, in the same order, with the same length, last ID
 * and first ID; every range with inclusive bounds, forwards and backwards with a COUNT, is the model's sub-map.
 * Approximate trims may remove fewer entries than exact ones, so the model removes what the stream says it did,
 * and the property checks that they are the oldest ones and never more than an exact trim would.
 */
class RedisStreamProperties {

    sealed interface Op permits Add, Delete, TrimMaxLen, TrimMinId, Range {
    }

    /** {@code ms} -1 for {@code *}; {@code seq} -1 for {@code ms-*}. */
    record Add(long ms, long seq, int fields) implements Op {
    }

    record Delete(long ms, long seq) implements Op {
    }

    record TrimMaxLen(long maxLen, boolean approx, long limit) implements Op {
    }

    record TrimMinId(long ms, boolean approx, long limit) implements Op {
    }

    record Range(long fromMs, long toMs, long count, boolean rev) implements Op {
    }

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<Long> ms = Arbitraries.longs().between(0, 30);
        Arbitrary<Long> seq = Arbitraries.longs().between(-1, 3);
        return Arbitraries.frequencyOf(
                Tuple.of(8, Combinators.combine(Arbitraries.longs().between(-1, 30), seq, Arbitraries.integers().between(1, 3))
                        .as(Add::new)),
                Tuple.of(3, Combinators.combine(ms, Arbitraries.longs().between(0, 3)).as(Delete::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.longs().between(0, 20), Arbitraries.of(true, false),
                        Arbitraries.longs().between(0, 8)).as(TrimMaxLen::new)),
                Tuple.of(1, Combinators.combine(ms, Arbitraries.of(true, false), Arbitraries.longs().between(0, 8))
                        .as(TrimMinId::new)),
                Tuple.of(2, Combinators.combine(ms, ms, Arbitraries.longs().between(0, 5), Arbitraries.of(true, false))
                        .as(Range::new)));
    }

    @Property(tries = 500)
    void streamAgreesWithASortedMap(@ForAll @Size(max = 80) List<@From("operations") Op> ops,
                                    @ForAll @IntRange(min = 1, max = 5) int nodeMaxEntries,
                                    @ForAll @IntRange(min = 0, max = 80) int nodeMaxBytes) {
        RedisStream stream = new RedisStream();
        TreeMap<StreamId, byte[][]> model = new TreeMap<>();
        StreamId last = StreamId.MIN;
        long clock = 10;
        long added = 0;
        for (Op op : ops) {
            switch (op) {
                case Add add -> {
                    clock++;
                    StreamId given = add.ms() < 0 ? null : new StreamId(add.ms(), Math.max(add.seq(), 0));
                    StreamId expected = expectedId(last, given, add.seq() >= 0, clock);
                    StreamId id = stream.nextId(given, add.seq() >= 0, clock);
                    assertEquals(expected, id);
                    if (id != null) {
                        byte[][] entry = entry(add.fields(), id);
                        stream.append(id, entry, nodeMaxBytes, nodeMaxEntries);
                        model.put(id, entry);
                        last = id;
                        added++;
                    }
                }
                case Delete delete -> {
                    StreamId id = new StreamId(delete.ms(), delete.seq());
                    assertEquals(model.remove(id) != null, stream.delete(id));
                }
                case TrimMaxLen trim -> {
                    long removed = stream.trim(trim.maxLen(), null, trim.approx(), trim.approx() ? trim.limit() : 0);
                    long exact = Math.max(0, model.size() - trim.maxLen());
                    checkTrim(model, removed, exact, trim.approx());
                }
                case TrimMinId trim -> {
                    StreamId min = new StreamId(trim.ms(), 0);
                    long removed = stream.trim(0, min, trim.approx(), trim.approx() ? trim.limit() : 0);
                    long exact = model.headMap(min, false).size();
                    checkTrim(model, removed, exact, trim.approx());
                }
                case Range range -> {
                    StreamId from = new StreamId(range.fromMs(), 0);
                    StreamId to = new StreamId(range.toMs(), -1L);
                    List<StreamId> expected = new ArrayList<>();
                    if (from.compareTo(to) <= 0) {
                        NavigableMap<StreamId, byte[][]> sub = model.subMap(from, true, to, true);
                        for (StreamId id : range.rev() ? sub.descendingKeySet() : sub.keySet()) {
                            if (range.count() == 0 || expected.size() < range.count()) {
                                expected.add(id);
                            }
                        }
                    }
                    List<StreamId> actual = new ArrayList<>();
                    for (RedisStream.Entry e : stream.range(from, to, range.count(), range.rev())) {
                        actual.add(e.id());
                        assertArrayEquals(model.get(e.id()), e.fieldsAndValues());
                    }
                    assertEquals(expected, actual);
                }
            }
            assertEquals(model.size(), stream.length());
            assertEquals(last, stream.lastId());
            assertEquals(added, stream.entriesAdded());
            assertEquals(model.isEmpty() ? StreamId.MIN : model.firstKey(), stream.firstId());
            List<StreamId> all = new ArrayList<>();
            stream.range(StreamId.MIN, StreamId.MAX, 0, false).forEach(e -> all.add(e.id()));
            assertEquals(new ArrayList<>(model.keySet()), all);
            if (model.isEmpty()) {
                assertNull(stream.first(true));
            } else {
                assertEquals(model.lastKey(), stream.first(false).id());
            }
        }
    }

    /** The trim removed the oldest {@code removed} entries: all of them when exact, at most as many when approximate. */
    private static void checkTrim(TreeMap<StreamId, byte[][]> model, long removed, long exact, boolean approx) {
        if (approx) {
            assertEquals(true, removed <= exact, "an approximate trim removes no more than an exact one");
        } else {
            assertEquals(exact, removed);
        }
        for (long i = 0; i < removed; i++) {
            model.pollFirstEntry();
        }
    }

    /** What Redis's streamAppendItem decides, written out from its rules. */
    private static StreamId expectedId(StreamId last, StreamId given, boolean seqGiven, long clock) {
        StreamId id;
        if (given == null) {
            id = clock > last.ms() ? new StreamId(clock, 0) : new StreamId(last.ms(), last.seq() + 1);
        } else if (!seqGiven) {
            id = given.ms() == last.ms() ? new StreamId(last.ms(), last.seq() + 1) : new StreamId(given.ms(), 0);
        } else {
            id = given;
        }
        return id.compareTo(last) > 0 ? id : null;
    }

    private static byte[][] entry(int fields, StreamId id) {
        byte[][] entry = new byte[2 * fields][];
        for (int i = 0; i < fields; i++) {
            entry[2 * i] = ("f" + i).getBytes(StandardCharsets.US_ASCII);
            entry[2 * i + 1] = (id + "/" + i).getBytes(StandardCharsets.US_ASCII);
        }
        return entry;
    }

    @Property(tries = 300)
    void idsRoundTripAndOrderAsTheirRadixKeys(@ForAll long ms, @ForAll long seq, @ForAll long ms2, @ForAll long seq2) {
        StreamId a = new StreamId(ms, seq);
        StreamId b = new StreamId(ms2, seq2);
        assertEquals(a, StreamId.parse(a.bytes(), 0, true, false).id());
        assertEquals(a, StreamId.ofRaxKey(a.raxKey()));
        assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(Arrays.compareUnsigned(a.raxKey(), b.raxKey())));
    }
}
