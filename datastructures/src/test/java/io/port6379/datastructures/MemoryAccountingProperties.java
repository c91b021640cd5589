// used_memory as the keyspace counts it, checked against the heap JOL measures, for every type and encoding.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * The keyspace adds up the size of its data as it changes ({@link Keyspace#usedMemory}); JOL walks the same
 * objects (the table, its entries, keys and values, the array of volatile keys) and sums their real layout. The
 * law: after any sequence of writes, as commands make them (look up, change in place, settle), the two agree within
 * 2 %; per type and encoding, {@link #eachTypeAndEncoding} prints the error.
 */
class MemoryAccountingProperties {

    private static final double TOLERANCE = 0.02;

    /** One write, as a command would make it: which key (of 40), which type, how big. */
    record Write(int key, int type, int size, boolean remove, boolean ttl) {
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        return Combinators.combine(Arbitraries.integers().between(0, 39), Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 9).map(n -> n == 0),
                        Arbitraries.integers().between(0, 3).map(n -> n == 0))
                .as(Write::new).list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 200)
    void countedBytesMatchTheMeasuredHeap(@ForAll("writes") List<Write> writes) {
        FakeClock clock = new FakeClock(1_000_000);
        Keyspace keyspace = new Keyspace(clock);
        for (Write w : writes) {
            apply(keyspace, w, clock);
            keyspace.settle();
        }
        assertAgrees(keyspace, "random writes");
    }

    @Test
    void eachTypeAndEncoding() {
        String[] kinds = {"int strings", "short strings", "100-byte strings", "strings with TTL", "lists",
            "listpack hashes", "hashtable hashes", "intsets", "hashtable sets", "listpack zsets", "skiplist zsets"};
        for (int kind = 0; kind < kinds.length; kind++) {
            FakeClock clock = new FakeClock(1_000_000);
            Keyspace keyspace = new Keyspace(clock);
            int keys = kind >= 4 ? 200 : 20_000;
            for (int i = 0; i < keys; i++) {
                fill(keyspace, kind, i, clock);
                keyspace.settle();
            }
            double error = assertAgrees(keyspace, kinds[kind]);
            System.out.printf(Locale.ROOT, "MemoryAccounting %-18s counted %9d measured %9d error %+.3f%%%n",
                    kinds[kind], keyspace.usedMemory(), measured(keyspace), 100 * error);
        }
    }

    private static void fill(Keyspace keyspace, int kind, int i, FakeClock clock) {
        Bytes key = Bytes.of("key:" + i);
        switch (kind) {
            case 0 -> keyspace.set(key, RedisString.of(i));
            case 1 -> keyspace.set(key, RedisString.of("value:" + i));
            case 2 -> keyspace.set(key, new RedisString(new byte[100]));
            case 3 -> keyspace.set(key, RedisString.of("value:" + i), clock.millis() + 100_000 + i);
            case 4 -> {
                RedisList list = new RedisList();
                keyspace.set(key, list);
                for (int j = 0; j < 100; j++) {
                    list.pushRight(("element:" + j).getBytes());
                }
            }
            case 5, 6 -> {
                RedisHash hash = new RedisHash();
                keyspace.set(key, hash);
                for (int j = 0; j < (kind == 5 ? 50 : 600); j++) {
                    hash.put(("field:" + j).getBytes(), ("value:" + j).getBytes(), EncodingLimits.REDIS_DEFAULTS);
                }
            }
            case 7, 8 -> {
                RedisSet set = new RedisSet();
                keyspace.set(key, set);
                for (int j = 0; j < (kind == 7 ? 300 : 600); j++) {
                    set.add(Bytes.of(kind == 7 ? Integer.toString(j) : "member:" + j), EncodingLimits.REDIS_DEFAULTS);
                }
            }
            default -> {
                RedisSortedSet zset = new RedisSortedSet();
                keyspace.set(key, zset);
                for (int j = 0; j < (kind == 9 ? 100 : 600); j++) {
                    zset.add(j * 1.5, Bytes.of("member:" + j), ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
                }
            }
        }
    }

    private static void apply(Keyspace keyspace, Write w, FakeClock clock) {
        Bytes key = Bytes.of("k" + w.key());
        if (w.remove()) {
            keyspace.remove(key);
            return;
        }
        RedisValue value = keyspace.get(key);
        switch (w.type()) {
            case 0 -> keyspace.set(key, new RedisString(new byte[w.size()]), w.ttl() ? clock.millis() + 10_000 : -1);
            case 1 -> {
                RedisList list = value instanceof RedisList l ? l : new RedisList();
                if (list != value) {
                    keyspace.set(key, list);
                }
                for (int j = 0; j < w.size() % 40; j++) {
                    list.pushLeft(new byte[j]);
                }
                for (int j = 0; j < w.size() % 7 && !list.isEmpty(); j++) {
                    list.popRight();
                }
                if (!list.isEmpty()) {
                    list.set(0, new byte[w.size()]);
                }
            }
            case 2 -> {
                RedisHash hash = value instanceof RedisHash h ? h : new RedisHash();
                if (hash != value) {
                    keyspace.set(key, hash);
                }
                for (int j = 0; j < w.size() % 50; j++) {
                    hash.put(("f" + (j * 7 % 30)).getBytes(), new byte[w.size() % 100], EncodingLimits.REDIS_DEFAULTS);
                }
                hash.remove("f3".getBytes());
            }
            case 3 -> {
                RedisSet set = value instanceof RedisSet s ? s : new RedisSet();
                if (set != value) {
                    keyspace.set(key, set);
                }
                for (int j = 0; j < w.size() % 50; j++) {
                    set.add(Bytes.of(w.size() > 150 ? "m" + j : Integer.toString(j * w.size())), EncodingLimits.REDIS_DEFAULTS);
                }
                set.remove(Bytes.of("m1"));
            }
            case 4 -> {
                RedisSortedSet zset = value instanceof RedisSortedSet z ? z : new RedisSortedSet();
                if (zset != value) {
                    keyspace.set(key, zset);
                }
                for (int j = 0; j < w.size() % 200; j++) {
                    zset.add(j ^ w.size(), Bytes.of("m" + j), ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
                }
                zset.popMin();
            }
            default -> {
                if (value != null) {
                    keyspace.expireAt(key, w.ttl() ? clock.millis() + 5_000 : clock.millis() + 50_000);
                }
                clock.advance(1_000);
            }
        }
    }

    /** The relative error of the counted bytes against JOL's, after asserting it is within the tolerance. */
    private static double assertAgrees(Keyspace keyspace, String what) {
        long counted = keyspace.usedMemory();
        long measured = measured(keyspace);
        double error = measured == 0 ? 0 : (counted - measured) / (double) measured;
        assertTrue(Math.abs(error) <= TOLERANCE || Math.abs(counted - measured) < 256,
                what + ": counted " + counted + " bytes, JOL measured " + measured);
        return error;
    }

    /** JOL's total of the objects the data is made of: the dict (and all it reaches) and the volatile keys. */
    static long measured(Keyspace keyspace) {
        try {
            Field dict = Keyspace.class.getDeclaredField("dict");
            Field volatiles = Keyspace.class.getDeclaredField("volatiles");
            dict.setAccessible(true);
            volatiles.setAccessible(true);
            return GraphLayout.parseInstance(dict.get(keyspace), volatiles.get(keyspace)).totalSize();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
