// HyperLogLogs built by the same PFADDs are the same bytes on redis-server and on ours, and count the same.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The law: for any set of elements, PFADD on both servers gives the same reply, then GET returns the same string
 * (Redis's sparse or dense bytes, header and cache included), PFCOUNT the same number, and GET again the same
 * string with the cache written. Sizes go from 0 to 200 000 elements, so both sides of the sparse-to-dense
 * promotion (near 1 000–2 000 elements at {@code hll-sparse-max-bytes} 3000) are crossed: most tries stay below
 * 20 000, about one size in 30 is drawn up to 200 000, and one example adds exactly 200 000, so that the run
 * takes seconds while large dense sets with their high registers are still compared; elements are random
 * byte strings of 0 to 24 bytes, so every tail length of MurmurHash64A is hashed. A second key built from
 * another set is merged into the first with PFMERGE, and PFCOUNT of both keys is compared as well.
 */
class HyperLogLogProperties extends DualTargetProperties {

    @Property(tries = 25)
    void sameElementsGiveTheSameBytesAndCounts(@ForAll("sizes") int size, @ForAll("sizes") int otherSize,
                                               @ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> elements = elements(random, size);
        List<String> others = elements(random, otherSize);
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            for (RespConnection c : List.of(real, our)) {
                c.call("FLUSHALL");
            }
            same(real, our, "PFADD", "h");
            for (int from = 0; from < elements.size(); from += 500) {
                same(real, our, pfadd("h", elements.subList(from, Math.min(from + 500, elements.size()))));
            }
            same(real, our, "PFDEBUG", "ENCODING", "h");
            Statistics.collect(our.call("PFDEBUG", "ENCODING", "h").strip());
            same(real, our, "GET", "h");
            same(real, our, "PFCOUNT", "h");
            same(real, our, "GET", "h");
            same(real, our, pfadd("o", others));
            same(real, our, "PFCOUNT", "h", "o");
            same(real, our, "PFMERGE", "h", "o");
            same(real, our, "GET", "h");
            same(real, our, "PFCOUNT", "h");
        }
    }

    @Example
    void twoHundredThousandElementsGiveTheSameBytesAndCounts() throws IOException {
        sameElementsGiveTheSameBytesAndCounts(200_000, 5_000, 24L);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 300)),
                Tuple.of(12, Arbitraries.integers().between(300, 3000)),
                Tuple.of(8, Arbitraries.integers().between(3000, 20_000)),
                Tuple.of(1, Arbitraries.integers().between(20_000, 200_000)));
    }

    /** {@code count} random byte strings, one char per byte (the connections send ISO-8859-1). */
    private static List<String> elements(SplittableRandom random, int count) {
        List<String> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            char[] bytes = new char[random.nextInt(25)];
            for (int b = 0; b < bytes.length; b++) {
                bytes[b] = (char) random.nextInt(256);
            }
            elements.add(new String(bytes));
        }
        return elements;
    }

    private static String[] pfadd(String key, List<String> elements) {
        List<String> args = new ArrayList<>(List.of("PFADD", key));
        args.addAll(elements);
        return args.toArray(String[]::new);
    }

    private static void same(RespConnection real, RespConnection our, String... args) throws IOException {
        String command = args.length > 3 ? args[0] + " " + args[1] + " (" + (args.length - 2) + " elements)" : String.join(" ", args);
        assertEquals(real.call(args), our.call(args), command);
    }
}
