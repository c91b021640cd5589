// Model-based property of the radix tree: any puts and removes leave it answering as a TreeMap of the same keys.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The law: after any sequence of puts and removes of keys drawn from a small alphabet (so that keys share
 * prefixes, end inside each other's runs, and include the empty key and bytes above 0x7f), a {@link Rax} answers
 * get, floor (and its value alone), lower, ceiling, higher, first, last and size as a {@link TreeMap} ordered by unsigned bytes does,
 * for probe keys of any length; and its node count stays that of a radix tree whose inner nodes all branch or hold
 * a key, and its heap count that of its nodes counted one by one.
 */
class RaxProperties {

    record Op(boolean put, byte[] key, byte[] probe) {
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.of((byte) 0, (byte) 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff).list().ofMaxSize(5)
                .map(list -> {
                    byte[] key = new byte[list.size()];
                    for (int i = 0; i < key.length; i++) {
                        key[i] = list.get(i);
                    }
                    return key;
                });
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 9).map(n -> n < 7), keys(), keys()).as(Op::new);
    }

    @Property(tries = 1000)
    void raxAnswersAsASortedMap(@ForAll @Size(max = 60) List<@From("ops") Op> ops) {
        Rax<String> rax = new Rax<>();
        TreeMap<byte[], String> model = new TreeMap<>(Arrays::compareUnsigned);
        int step = 0;
        for (Op op : ops) {
            String value = "v" + step++;
            if (op.put()) {
                assertEquals(model.put(op.key(), value), rax.put(op.key(), value));
            } else {
                assertEquals(model.remove(op.key()), rax.remove(op.key()));
            }
            assertEquals(model.size(), rax.size());
            assertEquals(model.get(op.probe()), rax.get(op.probe()));
            same(model.floorEntry(op.probe()), rax.floor(op.probe()));
            Map.Entry<byte[], String> floor = model.floorEntry(op.probe());
            assertEquals(floor == null ? null : floor.getValue(), rax.floorValue(op.probe()));
            same(model.lowerEntry(op.probe()), rax.lower(op.probe()));
            same(model.ceilingEntry(op.probe()), rax.ceiling(op.probe()));
            same(model.higherEntry(op.probe()), rax.higher(op.probe()));
            same(model.isEmpty() ? null : model.firstEntry(), rax.first());
            same(model.isEmpty() ? null : model.lastEntry(), rax.last());
        }
        // walking with higher() visits every key in order
        Rax.Entry<String> at = rax.first();
        for (Map.Entry<byte[], String> expected : model.entrySet()) {
            same(expected, at);
            at = rax.higher(at.key());
        }
        assertNull(at);
        assertEquals(rax.recountHeap(), rax.heapBytes());
        if (!model.isEmpty()) {
            assertEquals(model.lastEntry().getValue(), rax.lastValue());
            assertEquals(model.firstEntry().getValue(), rax.firstValue());
        }
        assertEquals(expectedNodes(model.keySet().toArray(new byte[0][]), 0, model.size(), 0, true), rax.nodeCount());
    }

    private static void same(Map.Entry<byte[], String> expected, Rax.Entry<String> actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertArrayEquals(expected.getKey(), actual.key());
        assertEquals(expected.getValue(), actual.value());
    }

    /**
     * The nodes of the compressed tree over the sorted keys {@code [from, to)} that agree on their first
     * {@code depth} bytes: one node for the run they all share past {@code depth} (none for the root's empty run
     * is still one node), then one subtree per distinct next byte.
     */
    private static int expectedNodes(byte[][] keys, int from, int to, int depth, boolean root) {
        if (from == to) {
            return root ? 1 : 0;
        }
        int common = depth;
        if (!root) {
            while (true) {
                int c = common;
                boolean all = keys[from].length > c;
                for (int i = from; all && i < to; i++) {
                    all = keys[i].length > c && keys[i][c] == keys[from][c];
                }
                if (!all) {
                    break;
                }
                common++;
                if (keys[from].length == common) {
                    break; // a key ends here: the run stops with it
                }
            }
        }
        int count = 1;
        int i = from;
        if (keys[i].length == common) {
            i++; // the key ending at this node
        }
        while (i < to) {
            int start = i;
            byte b = keys[i][common];
            while (i < to && keys[i][common] == b) {
                i++;
            }
            count += expectedNodes(keys, start, i, common, false);
        }
        return count;
    }
}
