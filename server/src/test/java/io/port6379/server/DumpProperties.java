// DUMP payloads cross between redis-server and ours: each RESTOREs the other's, and deterministic encodings are equal bytes.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The laws: a value built by the same commands on both servers has the same OBJECT ENCODING and, where Redis's
 * bytes are reproducible, the same DUMP payload; and a payload from either server RESTOREs on the other into the
 * same data. Reproducible means: not a hash table (Redis writes a hash-table set or hash in its dict's order, from
 * a hash seeded at random per process); those are compared by RESTORE only. With rdbcompression on, strings and
 * listpacks longer than 20 bytes are LZF-compressed, and the bytes are liblzf's ({@code Lzf} is a port of it).
 */
class DumpProperties extends DualTargetProperties {

    @Property(tries = 60)
    void payloadsCrossBetweenTheServers(@ForAll("types") String type, @ForAll("sizes") int size,
                                        @ForAll boolean compression, @ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> build = build(type, size, random);
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            for (RespConnection c : List.of(real, our)) {
                c.call("FLUSHALL");
                c.call("CONFIG", "SET", "rdbcompression", compression ? "yes" : "no");
                c.call(build.toArray(String[]::new));
            }
            String encoding = real.call("OBJECT", "ENCODING", "k");
            assertEquals(encoding, our.call("OBJECT", "ENCODING", "k"), "encoding");
            Statistics.collect(type, encoding.strip(), compression);
            String realDump = real.call("DUMP", "k");
            String ourDump = our.call("DUMP", "k");
            if (!encoding.contains("hashtable")) {
                assertEquals(realDump, ourDump, "DUMP of " + type + " " + encoding.strip());
            }
            assertEquals("+OK\r\n", real.call("RESTORE", "fromours", "0", payload(ourDump)));
            assertEquals("+OK\r\n", our.call("RESTORE", "fromredis", "0", payload(realDump)));
            assertEquals(content(real, type, "k"), content(real, type, "fromours"), "ours restored on redis-server");
            assertEquals(content(our, type, "k"), content(our, type, "fromredis"), "redis-server's restored on ours");
            assertEquals(content(real, type, "k"), content(our, type, "k"), "the same data");
            assertEquals(real.call("OBJECT", "ENCODING", "fromours"), our.call("OBJECT", "ENCODING", "fromredis"));
        }
    }

    /**
     * The law for LZF alone: a long string of text-like, repetitive or random bytes DUMPs to the same payload on
     * both servers with rdbcompression on, compressed or (when LZF would not save 4 bytes) not.
     */
    @Property(tries = 40)
    void compressedStringsAreRedisBytes(@ForAll("longSizes") int size, @ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder(size);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            words.add(element(random, 9));
        }
        while (text.length() < size) {
            text.append(random.nextInt(10) == 0 ? element(random, 40) : words.get(random.nextInt(words.size()))).append(' ');
        }
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            for (RespConnection c : List.of(real, our)) {
                c.call("CONFIG", "SET", "rdbcompression", "yes");
                c.call("SET", "text", text.substring(0, size));
            }
            String realDump = real.call("DUMP", "text");
            Statistics.collect(realDump.charAt(realDump.indexOf("\r\n") + 3) == (char) 0xC3 ? "compressed" : "as is");
            assertEquals(realDump, our.call("DUMP", "text"), "DUMP of " + size + " bytes");
        }
    }

    @Provide
    Arbitrary<Integer> longSizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(21, 300), Arbitraries.integers().between(300, 100_000));
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("string", "list", "hash", "set", "intset", "zset");
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 20), Arbitraries.integers().between(100, 1500));
    }

    /** One command that builds key {@code k}: elements are short random bytes, numbers or runs (which LZF likes). */
    private static List<String> build(String type, int size, SplittableRandom random) {
        List<String> args = new ArrayList<>();
        switch (type) {
            case "string" -> {
                args.addAll(List.of("SET", "k", element(random, size)));
                return args;
            }
            case "list" -> args.addAll(List.of("RPUSH", "k"));
            case "hash" -> args.addAll(List.of("HSET", "k"));
            case "set", "intset" -> args.addAll(List.of("SADD", "k"));
            default -> args.addAll(List.of("ZADD", "k"));
        }
        for (int i = 0; i < size; i++) {
            switch (type) {
                case "hash" -> args.addAll(List.of(element(random, 12) + i, element(random, 70)));
                case "intset" -> args.add(Long.toString(random.nextInt(8) == 0 ? random.nextLong() : random.nextInt(-40000, 40000)));
                case "zset" -> args.addAll(List.of(score(random), element(random, 70) + i));
                default -> args.add(element(random, 70));
            }
        }
        return args;
    }

    private static String element(SplittableRandom random, int maxLength) {
        return switch (random.nextInt(4)) {
            case 0 -> Long.toString(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(-5000, 5000));
            case 1 -> "a".repeat(random.nextInt(maxLength + 1));
            default -> {
                char[] bytes = new char[random.nextInt(maxLength + 1)];
                for (int b = 0; b < bytes.length; b++) {
                    bytes[b] = (char) random.nextInt(256);
                }
                yield new String(bytes);
            }
        };
    }

    private static String score(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> Integer.toString(random.nextInt(-1000, 1000));
            case 1 -> Double.toString(random.nextDouble(-1e6, 1e6));
            default -> Double.toString(Math.scalb(random.nextDouble(), random.nextInt(-60, 80)));
        };
    }

    /** The bulk string's bytes, from the raw reply {@code $n\r\n...\r\n}. */
    private static String payload(String reply) {
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    /** The value under {@code key}, in an order that does not depend on a hash table's. */
    private static Object content(RespConnection c, String type, String key) throws IOException {
        return switch (type) {
            case "string" -> c.call("GET", key);
            case "list" -> c.call("LRANGE", key, "0", "-1");
            case "zset" -> c.call("ZRANGE", key, "0", "-1", "WITHSCORES");
            case "hash" -> sorted(c.callParsed("HGETALL", key), 2);
            default -> sorted(c.callParsed("SMEMBERS", key), 1);
        };
    }

    private static List<String> sorted(Object reply, int group) {
        List<String> items = new ArrayList<>();
        List<?> list = (List<?>) reply;
        for (int i = 0; i < list.size(); i += group) {
            items.add(group == 1 ? String.valueOf(list.get(i)) : list.get(i) + "\u0000" + list.get(i + 1));
        }
        items.sort(null);
        return items;
    }
}
