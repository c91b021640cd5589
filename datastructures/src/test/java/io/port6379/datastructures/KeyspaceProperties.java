// Model-based properties of the keyspace: random operations agree with a plain map of (value, expiry) pairs.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class KeyspaceProperties {

    sealed interface Op permits SetOp, SetKeepTtl, Remove, ExpireIn, Persist, Advance, Rename, ActiveExpire, RandomKey {
    }

    record SetOp(int key, int value, long ttl) implements Op {
    }

    record SetKeepTtl(int key, int value) implements Op {
    }

    record Remove(int key) implements Op {
    }

    record ExpireIn(int key, long ttl) implements Op {
    }

    record Persist(int key) implements Op {
    }

    record Advance(long millis) implements Op {
    }

    record Rename(int from, int to) implements Op {
    }

    record ActiveExpire() implements Op {
    }

    record RandomKey() implements Op {
    }

    /** The model: key number -> (value, absolute expiry or -1). Expired entries are dropped whenever time moves. */
    record Stored(int value, long expireAt) {
    }

    private static final int KEYS = 12;

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<Integer> value = Arbitraries.integers().between(0, 1000);
        Arbitrary<Long> ttl = Arbitraries.longs().between(-5, 50);
        return Arbitraries.oneOf(
                Combinators.combine(key, value, ttl).as((k, v, t) -> new SetOp(k, v, t < 0 ? -1 : t)),
                Combinators.combine(key, value).as(SetKeepTtl::new),
                key.map(Remove::new),
                Combinators.combine(key, Arbitraries.longs().between(0, 50)).as(ExpireIn::new),
                key.map(Persist::new),
                Arbitraries.longs().between(0, 30).map(Advance::new),
                Combinators.combine(key, key).as(Rename::new),
                Arbitraries.just(new ActiveExpire()),
                Arbitraries.just(new RandomKey()));
    }

    private static Bytes key(int k) {
        return Bytes.of("key:" + k);
    }

    // tag::model-property[]
    /** Law: after any sequence of operations, every key reads as in the model, and the counts agree. */
    @Property(tries = 300)
    void keyspaceAgreesWithAMapOfValuesAndExpiries(@ForAll @Size(max = 80) List<@net.jqwik.api.From("operations") Op> ops) {
        FakeClock clock = new FakeClock(1_000);
        Keyspace keyspace = new Keyspace(clock, new SplittableRandom(7));
        Map<Integer, Stored> model = new HashMap<>();
        for (Op op : ops) {
            long now = clock.millis();
            model.values().removeIf(s -> s.expireAt() >= 0 && s.expireAt() <= now);
            apply(op, keyspace, model, clock);
            long after = clock.millis();
            model.values().removeIf(s -> s.expireAt() >= 0 && s.expireAt() <= after);
            for (int k = 0; k < KEYS; k++) {
                Stored expected = model.get(k);
                RedisString actual = keyspace.get(key(k), RedisString.class);
                assertTrue(expected == null ? actual == null
                        : actual != null && new String(actual.bytes()).equals(Integer.toString(expected.value())),
                        "key " + k + " after " + op);
                assertTrue(keyspace.expireTime(key(k)) == (expected == null ? -2 : expected.expireAt()));
            }
            // Reading every key expired the stale ones lazily, so the counts are now exact.
            assertTrue(keyspace.size() == model.size());
            assertTrue(keyspace.volatileCount() == model.values().stream().filter(s -> s.expireAt() >= 0).count());
        }
    }
    // end::model-property[]

    private static void apply(Op op, Keyspace keyspace, Map<Integer, Stored> model, FakeClock clock) {
        long now = clock.millis();
        switch (op) {
            case SetOp s -> {
                long at = s.ttl() < 0 ? -1 : now + s.ttl();
                keyspace.set(key(s.key()), RedisString.of(Integer.toString(s.value())), at);
                if (at >= 0 && at <= now) {
                    model.remove(s.key());
                } else {
                    model.put(s.key(), new Stored(s.value(), at));
                }
            }
            case SetKeepTtl s -> {
                keyspace.setKeepTtl(key(s.key()), RedisString.of(Integer.toString(s.value())));
                Stored old = model.get(s.key());
                model.put(s.key(), new Stored(s.value(), old == null ? -1 : old.expireAt()));
            }
            case Remove r -> {
                boolean removed = keyspace.remove(key(r.key()));
                assertTrue(removed == (model.remove(r.key()) != null));
            }
            case ExpireIn e -> {
                boolean done = keyspace.expireAt(key(e.key()), now + e.ttl());
                Stored old = model.get(e.key());
                assertTrue(done == (old != null));
                if (old != null) {
                    if (e.ttl() == 0) {
                        model.remove(e.key());
                    } else {
                        model.put(e.key(), new Stored(old.value(), now + e.ttl()));
                    }
                }
            }
            case Persist p -> {
                Stored old = model.get(p.key());
                boolean done = keyspace.persist(key(p.key()));
                assertTrue(done == (old != null && old.expireAt() >= 0));
                if (old != null) {
                    model.put(p.key(), new Stored(old.value(), -1));
                }
            }
            case Advance a -> clock.advance(a.millis());
            case Rename r -> {
                Stored old = model.get(r.from());
                assertTrue(keyspace.rename(key(r.from()), key(r.to())) == (old != null));
                if (old != null) {
                    model.remove(r.from());
                    model.put(r.to(), old);
                }
            }
            case ActiveExpire a -> keyspace.activeExpireCycle(1_000_000_000L);
            case RandomKey r -> {
                Bytes random = keyspace.randomKey();
                assertTrue(random == null ? model.isEmpty()
                        : model.containsKey(Integer.parseInt(random.toString().substring(4))));
            }
        }
    }

    /** Law: once every key has expired, repeated active expiry cycles leave no key behind, without any read. */
    @Property(tries = 50)
    void activeExpiryEventuallyRemovesEveryExpiredKey(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3000) int volatileKeys,
                                                       @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 300) int persistentKeys) {
        FakeClock clock = new FakeClock(0);
        Keyspace keyspace = new Keyspace(clock, new SplittableRandom(volatileKeys));
        for (int i = 0; i < volatileKeys; i++) {
            keyspace.set(Bytes.of("v" + i), RedisString.of("x"), 1 + i % 100);
        }
        for (int i = 0; i < persistentKeys; i++) {
            keyspace.set(Bytes.of("p" + i), RedisString.of("x"));
        }
        clock.advance(100);
        for (int cycle = 0; cycle < 10_000 && keyspace.volatileCount() > 0; cycle++) {
            keyspace.activeExpireCycle(25_000_000);
        }
        assertTrue(keyspace.volatileCount() == 0);
        assertTrue(keyspace.size() == persistentKeys);
    }

    /**
     * Law (SCAN's guarantee): a key present from the first SCAN call to the last is returned at least once, while
     * other keys are added and removed between calls, so that the table grows and shrinks under the cursor.
     * And SCAN never returns a key that was never there.
     */
    @Property(tries = 200)
    void scanReturnsEveryKeyPresentThroughoutTheScan(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 400) int stable,
                                                     @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 400) int churning,
                                                     @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Keyspace keyspace = new Keyspace(new FakeClock(0), random.split());
        Set<Bytes> stableKeys = new HashSet<>();
        for (int i = 0; i < stable; i++) {
            Bytes k = Bytes.of("stable:" + i);
            stableKeys.add(k);
            keyspace.set(k, RedisString.of("x"));
        }
        List<Bytes> others = new ArrayList<>();
        Set<Bytes> everPresent = new HashSet<>(stableKeys);
        int next = 0;
        for (; next < churning; next++) {
            Bytes k = Bytes.of("other:" + next);
            others.add(k);
            everPresent.add(k);
            keyspace.set(k, RedisString.of("x"));
        }
        // tag::scan-property[]
        Set<Bytes> returned = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = keyspace.scan(cursor, 1 + random.nextInt(20), returned::add);
            // Between calls: a burst of inserts (the table grows) or of deletes (it shrinks).
            if (random.nextBoolean()) {
                int burst = random.nextInt(300);
                for (int i = 0; i < burst; i++, next++) {
                    Bytes k = Bytes.of("other:" + next);
                    others.add(k);
                    everPresent.add(k);
                    keyspace.set(k, RedisString.of("x"));
                }
            } else {
                int burst = random.nextInt(others.size() + 1);
                for (int i = 0; i < burst; i++) {
                    keyspace.remove(others.remove(others.size() - 1 - random.nextInt(others.size())));
                }
            }
            calls++;
        } while (cursor != 0 && calls < 1_000_000);
        assertTrue(returned.containsAll(stableKeys), "missed " + stableKeys.stream().filter(k -> !returned.contains(k)).toList());
        assertTrue(everPresent.containsAll(returned));
        // end::scan-property[]
    }
}
