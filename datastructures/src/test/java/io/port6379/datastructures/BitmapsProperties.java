// Model-based property of the bitmap operations: random SETBIT/BITOP/BITCOUNT/BITPOS sequences agree with java.util.BitSet.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The model keeps, per key, a {@link BitSet} indexed by Redis's bit offset (bit {@code n} is bit {@code 7 - n % 8}
 * of byte {@code n / 8}, so index 0 is the top bit of the first byte) and the string's length in bytes. Its
 * operations are written bit by bit from the Redis documentation, so they share nothing with the word-at-a-time
 * code under test but the reading of the docs; the compatibility scripts check that reading against a real Redis.
 */
class BitmapsProperties {

    sealed interface Op permits SetBit, BitOpStore, BitCount, BitPos {
    }

    record SetBit(int key, long offset, int value) implements Op {
    }

    record BitOpStore(Bitmaps.BitOp op, int destination, List<Integer> sources) implements Op {
    }

    record BitCount(int key, long start, long end, boolean inBits) implements Op {
    }

    record BitPos(int key, int bit, long start, long end, boolean endGiven, boolean inBits) implements Op {
    }

    /** A model string: its bits, and its length in bytes (a string may end in zero bytes). */
    record Model(BitSet bits, int length) {
    }

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, 3);
        Arbitrary<Long> offset = Arbitraries.oneOf(Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(0, 300));
        Arbitrary<Long> index = Arbitraries.oneOf(Arbitraries.longs().between(-45, 45),
                Arbitraries.longs().between(-330, 330));
        Arbitrary<Integer> bit = Arbitraries.integers().between(0, 1);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        Arbitrary<Bitmaps.BitOp> bitOp = Arbitraries.of(Bitmaps.BitOp.class);
        return Arbitraries.oneOf(
                Combinators.combine(key, offset, bit).as(SetBit::new),
                Combinators.combine(key, offset, bit).as(SetBit::new),
                Combinators.combine(bitOp, key, key.list().ofMinSize(1).ofMaxSize(3))
                        .as((op, destination, sources) -> new BitOpStore(op, destination,
                                op == Bitmaps.BitOp.NOT ? sources.subList(0, 1) : sources)),
                Combinators.combine(key, index, index, flag).as(BitCount::new),
                Combinators.combine(key, bit, index, index, flag, flag)
                        .as((k, b, start, end, endGiven, inBits) -> new BitPos(k, b, start, end, endGiven || inBits, inBits)));
    }

    private static Bytes key(int k) {
        return Bytes.of("bitmap" + k);
    }

    /**
     * Law: after every step of a random sequence of SETBIT and BITOP, each key's string equals the model's bytes,
     * and every BITCOUNT and BITPOS answers what counting or scanning the model's bits one at a time answers.
     */
    @Property(tries = 400)
    void bitmapOperationsAgreeWithABitSet(@ForAll @Size(max = 50) List<@From("operations") Op> ops) {
        Keyspace keyspace = new Keyspace(new FakeClock(0));
        Map<Integer, Model> model = new HashMap<>();
        for (Op op : ops) {
            switch (op) {
                case SetBit s -> {
                    Model m = model.getOrDefault(s.key(), new Model(new BitSet(), 0));
                    int previous = m.bits().get((int) s.offset()) ? 1 : 0;
                    BitSet bits = (BitSet) m.bits().clone();
                    bits.set((int) s.offset(), s.value() == 1);
                    model.put(s.key(), new Model(bits, Math.max(m.length(), (int) (s.offset() / 8) + 1)));
                    assertEquals(previous, Bitmaps.setBit(keyspace, key(s.key()), s.offset(), s.value()).previous());
                }
                case BitOpStore b -> bitop(keyspace, model, b);
                case BitCount c -> {
                    Model m = model.get(c.key());
                    long expected = m == null ? 0 : modelCount(m, c);
                    RedisString value = keyspace.get(key(c.key()), RedisString.class);
                    assertEquals(expected, value == null ? 0
                            : Bitmaps.bitCount(value.bytes(), c.start(), c.end(), c.inBits()), c.toString());
                }
                case BitPos p -> {
                    Model m = model.get(p.key());
                    long expected = m == null ? (p.bit() == 1 ? -1 : 0) : modelPos(m, p);
                    RedisString value = keyspace.get(key(p.key()), RedisString.class);
                    long end = p.endGiven() ? p.end() : (value == null ? 0 : value.length() - 1);
                    assertEquals(expected, value == null ? (p.bit() == 1 ? -1 : 0)
                            : Bitmaps.bitPos(value.bytes(), p.bit(), p.start(), end, p.endGiven(), p.inBits()), p.toString());
                }
            }
            for (int k = 0; k < 4; k++) {
                RedisString value = keyspace.get(key(k), RedisString.class);
                Model m = model.get(k);
                if (m == null) {
                    assertNull(value);
                } else {
                    assertEquals(m.length(), value.length());
                    for (int i = 0; i < m.length() * 8; i++) {
                        assertEquals(m.bits().get(i) ? 1 : 0, Bitmaps.getBit(value.bytes(), i));
                    }
                }
            }
        }
    }

    /** BITOP into the keyspace and into the model: bit by bit over the longest source; an empty result deletes. */
    private static void bitop(Keyspace keyspace, Map<Integer, Model> model, BitOpStore b) {
        int length = 0;
        for (int source : b.sources()) {
            length = Math.max(length, model.containsKey(source) ? model.get(source).length() : 0);
        }
        BitSet result = new BitSet();
        for (int bitIndex = 0; bitIndex < length * 8; bitIndex++) {
            int i = bitIndex;
            boolean bit = switch (b.op()) {
                case NOT -> !bitOf(model, b.sources().getFirst(), i);
                case AND -> b.sources().stream().allMatch(source -> bitOf(model, source, i));
                case OR -> b.sources().stream().anyMatch(source -> bitOf(model, source, i));
                case XOR -> b.sources().stream().filter(source -> bitOf(model, source, i)).count() % 2 == 1;
            };
            result.set(bitIndex, bit);
        }
        byte[][] sources = new byte[b.sources().size()][];
        for (int s = 0; s < sources.length; s++) {
            RedisString value = keyspace.get(key(b.sources().get(s)), RedisString.class);
            sources[s] = value == null ? null : value.bytes();
        }
        byte[] stored = Bitmaps.bitop(b.op(), sources);
        assertEquals(length, stored.length);
        if (length == 0) {
            model.remove(b.destination());
            keyspace.remove(key(b.destination()));
        } else {
            model.put(b.destination(), new Model(result, length));
            keyspace.set(key(b.destination()), RedisString.raw(stored));
        }
    }

    private static boolean bitOf(Map<Integer, Model> model, int key, int bit) {
        Model m = model.get(key);
        return m != null && m.bits().get(bit);
    }

    /** The range in bits, from the docs: negative counts from the end, clamped to the string; null when empty. */
    private static long[] bitRange(Model m, long start, long end, boolean inBits) {
        long total = inBits ? m.length() * 8L : m.length();
        if (start < 0) {
            start = Math.max(0, total + start);
        }
        if (end < 0) {
            end = Math.max(0, total + end);
        }
        end = Math.min(end, total - 1);
        if (start > end) {
            return null;
        }
        return inBits ? new long[] {start, end} : new long[] {start * 8, end * 8 + 7};
    }

    private static long modelCount(Model m, BitCount c) {
        if (c.start() < 0 && c.end() < 0 && c.start() > c.end()) {
            return 0;
        }
        long[] range = bitRange(m, c.start(), c.end(), c.inBits());
        if (range == null) {
            return 0;
        }
        long count = 0;
        for (long i = range[0]; i <= range[1]; i++) {
            count += m.bits().get((int) i) ? 1 : 0;
        }
        return count;
    }

    /**
     * The first bit equal to {@code bit} in the range, else -1; but a 0 looked for without an explicit end is
     * found just past the string, which is thought of as padded with zeros.
     */
    private static long modelPos(Model m, BitPos p) {
        long end = p.endGiven() ? p.end() : m.length() - 1;
        long[] range = bitRange(m, p.start(), end, p.inBits());
        if (range == null) {
            return -1;
        }
        for (long i = range[0]; i <= range[1]; i++) {
            if (m.bits().get((int) i) == (p.bit() == 1)) {
                return i;
            }
        }
        return p.bit() == 0 && !p.endGiven() ? range[1] + 1 : -1;
    }
}
