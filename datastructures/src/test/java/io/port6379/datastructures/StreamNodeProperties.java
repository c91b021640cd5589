// Property of a stream node's packing: its bytes are Redis's listpack of the entries, and every entry reads back.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The laws: after any appends (fields equal to the master's or not; values that are integers of every listpack
 * width, non-canonical numbers such as {@code 007} or {@code +1}, strings of every length class) and deletes, a
 * {@link StreamNode}'s bytes are exactly the listpack that the element list Redis's t_stream.c appends would
 * encode to (as written here from listpack.c's rules, separately from the node's code); its header holds its size
 * and element count; every entry reads back with its ID, its fields and values byte for byte, and its DELETED
 * flag; the last entry is found walking backwards from the terminator; and the bytes, handed back as an RDB file
 * holds them, make the same node again ({@link StreamNode#wrap}).
 */
class StreamNodeProperties {

    record Add(long msDelta, long seqDelta, List<byte[]> fieldsAndValues, boolean sameAsFirst) {
    }

    @Provide
    Arbitrary<byte[]> elements() {
        Arbitrary<String> numbers = Arbitraries.of("0", "1", "127", "128", "-1", "-4096", "4095", "4096", "-4097",
                "32767", "32768", "-32769", "8388607", "8388608", "-8388609", "2147483647", "2147483648",
                "-2147483649", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "007", "+1",
                "-0", "1e3", " 1", "");
        Arbitrary<String> strings = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(12)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(63, 64, 127, 128, 4095, 4096, 20000).map("x"::repeat)));
        return Arbitraries.oneOf(numbers, strings).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Add> adds() {
        Arbitrary<Long> delta = Arbitraries.oneOf(Arbitraries.longs().between(0, 3),
                Arbitraries.of(127L, 128L, 5000L, 70000L, 1L << 40));
        Arbitrary<List<byte[]>> pairs = Arbitraries.integers().between(1, 3).flatMap(n ->
                elements().list().ofSize(2 * n));
        return Combinators.combine(delta, delta, pairs, Arbitraries.of(true, false)).as(Add::new);
    }

    @Property(tries = 300)
    void nodeBytesAreRedisListpackAndReadBack(@ForAll @Size(min = 1, max = 60) List<@From("adds") Add> adds,
                                              @ForAll @Size(max = 20) List<@From("indexes") Integer> deletes) {
        StreamId master = new StreamId(1_000_000, 5);
        byte[][] masterFields = null;
        List<StreamId> ids = new ArrayList<>();
        List<byte[][]> entries = new ArrayList<>();
        StreamNode node = null;
        StreamId id = master;
        for (Add add : adds) {
            byte[][] fv = add.fieldsAndValues().toArray(new byte[0][]);
            if (masterFields == null) {
                masterFields = new byte[fv.length / 2][];
                for (int i = 0; i < masterFields.length; i++) {
                    masterFields[i] = fv[2 * i];
                }
                node = StreamNode.create(master, masterFields, 0);
            } else {
                id = new StreamId(id.ms() + add.msDelta(), id.seq() + add.seqDelta() + 1);
                if (add.sameAsFirst()) {
                    fv = entries.get(0).clone(); // the master's fields, with other values
                    for (int i = 1; i < fv.length; i += 2) {
                        fv[i] = add.fieldsAndValues().get(i % add.fieldsAndValues().size());
                    }
                }
            }
            node.add(id, fv);
            ids.add(id);
            entries.add(fv);
        }
        boolean[] deleted = new boolean[ids.size()];
        int[] offsets = node.entryOffsets();
        for (int d : deletes) {
            int i = d % ids.size();
            if (!deleted[i] && node.live > 1) {
                node.delete(offsets[i]);
                deleted[i] = true;
                offsets = node.entryOffsets(); // a count that changes width moves the entries
            }
        }

        assertArrayEquals(expectedListpack(master, masterFields, ids, entries, deleted), node.listpack());
        assertEquals(node.listpack().length, node.bytes());
        offsets = node.entryOffsets();
        byte[][] fields = node.masterFields();
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(ids.get(i), node.idAt(offsets[i]));
            assertEquals(deleted[i], node.deletedAt(offsets[i]));
            assertEquals(Arrays.deepToString(entries.get(i)), Arrays.deepToString(node.entryAt(offsets[i], fields)));
            assertEquals(deleted[i] ? -1 : offsets[i], node.find(ids.get(i)));
        }
        assertEquals(offsets[offsets.length - 1], node.lastEntry());
        assertEquals(node.end(), node.nextEntry(offsets[offsets.length - 1]));
        StreamNode copy = node.copy();
        copy.trimToSize();
        assertArrayEquals(node.listpack(), copy.listpack());
        StreamNode wrapped = StreamNode.wrap(master, node.listpack()); // as an RDB file hands the bytes back
        assertEquals(node.live, wrapped.live);
        assertEquals(node.deleted, wrapped.deleted);
        assertArrayEquals(node.entryOffsets(), wrapped.entryOffsets());
        assertEquals(node.lastId(), wrapped.lastId());
    }

    /**
     * The law of {@link StreamNode#wrap}: bytes with some changed, dropped or added either are refused with an
     * IllegalArgumentException, or make a node whose every walk (forwards, backwards, each entry read) completes.
     */
    @Property(tries = 2000)
    void wrapRefusesWhatItsWalksCannotRead(@ForAll @Size(min = 1, max = 12) List<@From("adds") Add> adds,
                                           @ForAll @Size(min = 1, max = 4) List<@From("indexes") Integer> at,
                                           @ForAll @Size(min = 4, max = 4) List<@From("indexes") Integer> values) {
        StreamId master = new StreamId(7, 0);
        byte[][] first = adds.get(0).fieldsAndValues().toArray(new byte[0][]);
        byte[][] masterFields = new byte[first.length / 2][];
        for (int i = 0; i < masterFields.length; i++) {
            masterFields[i] = first[2 * i];
        }
        StreamNode node = StreamNode.create(master, masterFields, 0);
        StreamId id = master;
        for (Add add : adds) {
            node.add(id, add.fieldsAndValues().toArray(new byte[0][]));
            id = new StreamId(id.ms() + add.msDelta(), id.seq() + add.seqDelta() + 1);
        }
        byte[] lp = node.listpack();
        for (int i = 0; i < at.size(); i++) {
            int where = at.get(i) * 7919 % lp.length;
            switch (values.get(i) % 3) {
                case 0 -> lp[where] = (byte) (values.get(i) * 31);
                case 1 -> lp = concat(Arrays.copyOfRange(lp, 0, where), Arrays.copyOfRange(lp, where + 1, lp.length));
                default -> lp = concat(Arrays.copyOfRange(lp, 0, where),
                        concat(new byte[] {(byte) values.get(i).intValue()}, Arrays.copyOfRange(lp, where, lp.length)));
            }
            if (values.get(i) % 2 == 0 && lp.length >= 4) { // the header's size kept right, so that deeper checks are reached
                for (int b = 0; b < 4; b++) {
                    lp[b] = (byte) (lp.length >> (8 * b));
                }
            }
        }
        StreamNode wrapped;
        try {
            wrapped = StreamNode.wrap(master, lp);
        } catch (IllegalArgumentException refused) {
            return;
        }
        byte[][] fields = wrapped.masterFields();
        for (int offset : wrapped.entryOffsets()) {
            wrapped.idAt(offset);
            wrapped.entryAt(offset, fields);
            wrapped.find(wrapped.idAt(offset));
        }
        if (wrapped.size() > 0) {
            wrapped.lastId();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 1000);
    }

    /** The elements t_stream.c appends for these entries, encoded by listpack.c's rules. */
    private static byte[] expectedListpack(StreamId master, byte[][] masterFields, List<StreamId> ids,
                                           List<byte[][]> entries, boolean[] deleted) {
        List<byte[]> elements = new ArrayList<>();
        int gone = 0;
        for (boolean d : deleted) {
            gone += d ? 1 : 0;
        }
        elements.add(text(ids.size() - gone));
        elements.add(text(gone));
        elements.add(text(masterFields.length));
        elements.addAll(List.of(masterFields));
        elements.add(text(0));
        for (int i = 0; i < ids.size(); i++) {
            byte[][] fv = entries.get(i);
            boolean same = fv.length == 2 * masterFields.length;
            for (int f = 0; same && f < masterFields.length; f++) {
                same = Arrays.equals(fv[2 * f], masterFields[f]);
            }
            elements.add(text((same ? 2 : 0) | (deleted[i] ? 1 : 0)));
            elements.add(text(ids.get(i).ms() - master.ms()));
            elements.add(text(ids.get(i).seq() - master.seq()));
            if (!same) {
                elements.add(text(fv.length / 2));
            }
            for (int f = 0; f < fv.length; f++) {
                if (!same || f % 2 == 1) {
                    elements.add(fv[f]);
                }
            }
            elements.add(text(fv.length / 2 + 3 + (same ? 0 : fv.length / 2 + 1)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[6]);
        for (byte[] element : elements) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            String s = new String(element, StandardCharsets.ISO_8859_1);
            Long v = canonicalLong(s);
            if (v != null && v >= 0 && v < 128) {
                one.write(v.intValue());
            } else if (v != null && v >= -4096 && v < 4096) {
                int u = (int) (v & 0x1fff);
                one.write(0xc0 | (u >> 8));
                one.write(u & 0xff);
            } else if (v != null) {
                int width = v == (short) (long) v ? 2 : v >= -(1 << 23) && v < (1 << 23) ? 3 : v == (int) (long) v ? 4 : 8;
                one.write(width == 2 ? 0xf1 : width == 3 ? 0xf2 : width == 4 ? 0xf3 : 0xf4);
                for (int b = 0; b < width; b++) {
                    one.write((int) (v >> (8 * b)) & 0xff);
                }
            } else if (element.length < 64) {
                one.write(0x80 | element.length);
                one.writeBytes(element);
            } else if (element.length < 4096) {
                one.write(0xe0 | (element.length >> 8));
                one.write(element.length & 0xff);
                one.writeBytes(element);
            } else {
                one.write(0xf0);
                for (int b = 0; b < 4; b++) {
                    one.write((element.length >> (8 * b)) & 0xff);
                }
                one.writeBytes(element);
            }
            int length = one.size();
            out.writeBytes(one.toByteArray());
            // backlen: 7 bits a byte, the most significant first, every byte but that one with bit 7 set
            List<Integer> sevens = new ArrayList<>();
            for (int rest = length; ; rest >>>= 7) {
                sevens.add(0, rest & 127);
                if (rest < 128) {
                    break;
                }
            }
            for (int b = 0; b < sevens.size(); b++) {
                out.write(b == 0 ? sevens.get(b) : sevens.get(b) | 128);
            }
        }
        out.write(0xff);
        byte[] lp = out.toByteArray();
        for (int b = 0; b < 4; b++) {
            lp[b] = (byte) (lp.length >> (8 * b));
        }
        int count = Math.min(elements.size(), 65535);
        lp[4] = (byte) count;
        lp[5] = (byte) (count >> 8);
        return lp;
    }

    private static byte[] text(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** The value when {@code s} is how Long.toString writes a long (string2ll's canonical form), else null. */
    private static Long canonicalLong(String s) {
        try {
            long v = Long.parseLong(s);
            return Long.toString(v).equals(s) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
