// Model-based property of hashes: random operations agree with a LinkedHashMap, across the listpack -> hashtable conversion.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

class RedisHashProperties {

    /** The limits the operations get; a property or benchmark sets its own. */
    private static EncodingLimits limits = EncodingLimits.REDIS_DEFAULTS;

    sealed interface Op permits Put, PutIfAbsent, Get, Remove, IncrBy, RandomFields {
    }

    record Put(String field, String value) implements Op {
    }

    record PutIfAbsent(String field, String value) implements Op {
    }

    record Get(String field) implements Op {
    }

    record Remove(String field) implements Op {
    }

    record IncrBy(String field, long delta) implements Op {
    }

    record RandomFields(long count) implements Op {
    }

    /** Small limits, so that short sequences cross the conversion: 8 entries, 16 bytes. */
    @BeforeProperty
    void smallLimits() {
        limits = EncodingLimits.REDIS_DEFAULTS.withHashes(8, 16);
    }

    @AfterProperty
    void defaultLimits() {
        limits = EncodingLimits.REDIS_DEFAULTS.withHashes(512, 64);
    }

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 12).map(i -> "f" + i),
                Arbitraries.just("a-field-longer-than-sixteen-bytes"));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 5).map(String::valueOf),
                Arbitraries.strings().alpha().ofMaxLength(20));
        return Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(field, value).as(Put::new)),
                Tuple.of(1, Combinators.combine(field, value).as(PutIfAbsent::new)),
                Tuple.of(2, field.map(Get::new)),
                Tuple.of(2, field.map(Remove::new)),
                Tuple.of(2, Combinators.combine(field, Arbitraries.longs().between(-3, 3)).as(IncrBy::new)),
                Tuple.of(1, Arbitraries.longs().between(-6, 20).map(RandomFields::new)));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Law: a RedisHash and a LinkedHashMap given the same operations give the same answers and contents; while the
     * hash is a listpack it also keeps insertion order; it converts exactly when a limit is crossed, never back.
     */
    @Property(tries = 500)
    void hashAgreesWithALinkedHashMap(@ForAll @Size(max = 100) List<@From("operations") Op> ops) {
        RedisHash hash = new RedisHash();
        Map<String, String> model = new LinkedHashMap<>();
        boolean mustBeTable = false;
        SplittableRandom random = new SplittableRandom(1);
        for (Op op : ops) {
            switch (op) {
                case Put p -> {
                    mustBeTable |= p.field().length() > 16 || p.value().length() > 16;
                    assertEquals(!model.containsKey(p.field()), hash.put(b(p.field()), b(p.value()), limits));
                    model.put(p.field(), p.value());
                }
                case PutIfAbsent p -> {
                    boolean absent = !model.containsKey(p.field());
                    mustBeTable |= absent && (p.field().length() > 16 || p.value().length() > 16);
                    assertEquals(absent, hash.putIfAbsent(b(p.field()), b(p.value()), limits));
                    model.putIfAbsent(p.field(), p.value());
                }
                case Get g -> assertEquals(model.get(g.field()), s(hash.get(b(g.field()))));
                case Remove r -> assertEquals(model.remove(r.field()) != null, hash.remove(b(r.field())));
                case IncrBy i -> {
                    String current = model.getOrDefault(i.field(), "0");
                    if (RedisNumbers.isLong(b(current))) {
                        mustBeTable |= i.field().length() > 16;
                        long expected = Long.parseLong(current) + i.delta();
                        assertEquals(expected, hash.incrBy(b(i.field()), i.delta(), limits));
                        model.put(i.field(), Long.toString(expected));
                    } else {
                        assertEquals("ERR hash value is not an integer",
                                assertThrows(RedisException.class, () -> hash.incrBy(b(i.field()), i.delta(), limits)).getMessage());
                    }
                }
                case RandomFields r -> checkRandomFields(hash.randomFields(r.count(), random), r.count(), model);
            }
            // tag::hash-property[]
            mustBeTable |= model.size() > 8;
            assertEquals(mustBeTable ? "hashtable" : "listpack", hash.encoding());
            Map<String, String> contents = new LinkedHashMap<>();
            hash.forEach((f, v) -> contents.put(s(f), s(v)));
            assertEquals(model, contents);
            if (!mustBeTable) {
                assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(contents.keySet()));
            }
            assertEquals(model.size(), hash.size());
            // end::hash-property[]
        }
    }

    private static void checkRandomFields(List<byte[][]> picked, long count, Map<String, String> model) {
        if (count >= 0) {
            assertEquals(Math.min(count, model.size()), picked.size());
            Set<String> distinct = new HashSet<>();
            picked.forEach(p -> distinct.add(s(p[0])));
            assertEquals(picked.size(), distinct.size(), "a positive count gives distinct fields");
        } else {
            assertEquals(model.isEmpty() ? 0 : -count, picked.size());
        }
        for (byte[][] p : picked) {
            assertEquals(model.get(s(p[0])), s(p[1]));
        }
    }

    /** Law: HSCAN over a hashtable returns every field that stays in the hash, with fields added between calls. */
    @Property(tries = 100)
    void hscanReturnsEveryFieldPresentThroughout(@ForAll @IntRange(min = 0, max = 300) int fields, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RedisHash hash = new RedisHash();
        Map<String, String> stable = new HashMap<>();
        for (int i = 0; i < fields; i++) {
            hash.put(b("f" + i), b("v" + i), limits);
            stable.put("f" + i, "v" + i);
        }
        Map<String, String> returned = new HashMap<>();
        long cursor = 0;
        int added = 0;
        do {
            cursor = hash.scan(cursor, 1 + random.nextInt(10), (f, v) -> returned.put(s(f), s(v)));
            for (int i = random.nextInt(40); i > 0; i--) {
                hash.put(b("new" + added++), b("x"), limits);
            }
        } while (cursor != 0);
        assertTrue(returned.entrySet().containsAll(stable.entrySet()));
    }
}
