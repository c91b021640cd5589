// The RDB writer and reader are inverses: any dataset written and read back is the same dataset.
package io.port6379.server.persistence;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.RedisValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RdbRoundTripProperties {

    static final long FUTURE = 4_000_000_000_000L; // year 2096: never expires during the test

    /** Law: read(write(dataset)) == dataset, for every type, encoding, expiry and database number. */
    @Property(tries = 200)
    void writeThenReadGivesTheSameDataset(@ForAll("datasets") Dataset dataset, @ForAll boolean compression)
            throws IOException {
        byte[] file = write(dataset, compression);
        assertEquals(dataset, read(file));
    }

    /** Writes {@code dataset} as one RDB file, the way RdbSaver does (without AUX fields). */
    static byte[] write(Dataset dataset, boolean compression) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter writer = new RdbWriter(out, compression);
        writer.header();
        writer.aux("redis-ver", "7.0.15");
        for (Map.Entry<Integer, TreeMap<String, Dataset.Key>> db : dataset.databases.entrySet()) {
            long expires = db.getValue().values().stream().filter(k -> k.expireAt() >= 0).count();
            writer.selectDb(db.getKey(), db.getValue().size(), expires);
            for (Map.Entry<String, Dataset.Key> key : db.getValue().entrySet()) {
                RedisValue value = Dataset.toValue(key.getValue());
                writer.entry(Dataset.bytes(key.getKey()), FrozenValue.of(value), key.getValue().expireAt());
            }
        }
        writer.finish();
        return out.toByteArray();
    }

    static Dataset read(byte[] file) throws IOException {
        Dataset dataset = new Dataset();
        RdbReader.read(new ByteArrayInputStream(file), true, EncodingLimits.REDIS_DEFAULTS,
                (db, key, value, expireAt) -> dataset.put(db, Dataset.text(key), Dataset.of(value, expireAt)));
        return dataset;
    }

    @Provide
    Arbitrary<Dataset> datasets() {
        Arbitrary<Integer> db = Arbitraries.integers().between(0, 15);
        Arbitrary<String> key = text(1, 12);
        return Combinators.combine(db, key, values(), expiries()).as(Entry::new).list().ofMaxSize(30).map(entries -> {
            Dataset dataset = new Dataset();
            // canonical through our own value types, so the expected form is exactly what reading produces
            entries.forEach(e -> dataset.put(e.db, e.key, Dataset.of(Dataset.toValue(e.value), e.expireAt)));
            return dataset;
        });
    }

    private record Entry(int db, String key, Dataset.Key value, long expireAt) {
    }

    private static Arbitrary<Long> expiries() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(-1L)),
                Tuple.of(1, Arbitraries.longs().between(FUTURE, FUTURE + 1_000_000)));
    }

    /** Strings of every kind RDB encodes differently: integers, short text, long repetitive text, binary. */
    static Arbitrary<String> element() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.integers().between(-200, 70000).map(String::valueOf),
                Arbitraries.of("007", "+1", "-0", "1e3", " 1", "", "9223372036854775808"),
                text(0, 20),
                text(1, 4).map(s -> s.repeat(40)),
                text(50, 300));
    }

    private static Arbitrary<String> text(int min, int max) {
        return Arbitraries.chars().range((char) 0, (char) 255).list().ofMinSize(min).ofMaxSize(max)
                .map(chars -> {
                    StringBuilder s = new StringBuilder();
                    chars.forEach(s::append);
                    return s.toString();
                });
    }

    private static Arbitrary<Dataset.Key> values() {
        Arbitrary<Dataset.Key> string = element().map(s -> new Dataset.Key("string", s, -1));
        Arbitrary<Dataset.Key> list = element().list().ofMinSize(1).ofMaxSize(40)
                .map(l -> new Dataset.Key("list", List.copyOf(l), -1));
        Arbitrary<Dataset.Key> intSet = Arbitraries.longs().between(-100_000, 5_000_000_000L).map(String::valueOf)
                .set().ofMinSize(1).ofMaxSize(40).map(s -> new Dataset.Key("set", new TreeSet<>(s), -1));
        Arbitrary<Dataset.Key> set = element().set().ofMinSize(1).ofMaxSize(40).map(s -> new Dataset.Key("set", new TreeSet<>(s), -1));
        Arbitrary<Dataset.Key> hash = Arbitraries.maps(element(), element()).ofMinSize(1).ofMaxSize(30)
                .map(m -> new Dataset.Key("hash", new TreeMap<>(m), -1));
        Arbitrary<Double> score = Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.integers().map(i -> (double) i),
                Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 1e300));
        Arbitrary<Dataset.Key> zset = Arbitraries.maps(element(), score).ofMinSize(1).ofMaxSize(30)
                .map(m -> {
                    List<String> members = new ArrayList<>();
                    m.forEach((member, s) -> members.add(member + " " + s));
                    return new Dataset.Key("zset", members, -1);
                });
        return Arbitraries.oneOf(string, list, intSet, set, hash, zset);
    }
}
