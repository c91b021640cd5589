// SORT with random options answers as redis-server does; LCS finds a longest common subsequence, as a textbook model.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two laws. SORT: for a random list, set or sorted set of numbers or words, weight keys {@code w_*} and hashes
 * {@code h_*} (field {@code f}) for some elements, and random options (BY nothing, {@code nosort}, a key pattern or
 * a hash field; LIMIT with offsets and counts from below 0 to past the end; ASC/DESC; ALPHA; up to three GETs;
 * sometimes STORE), redis-server and ours give the same reply, and after STORE the same list.
 *
 * <p>Left out, because Redis itself leaves the order open there: equal ALPHA weights under BY (Redis's partial
 * quicksort for BY with LIMIT is not stable), so ALPHA BY is drawn only with a distinct weight for every element;
 * BY nosort on a set other than an intset (the answer is the hash table's order); and weights that overflow or
 * underflow a double (Redis's {@code strtod} leaves {@code errno} set for later calls).
 *
 * <p>LCS: for random strings over a small alphabet, the LEN answer is the textbook dynamic-programming length,
 * the plain answer is a common subsequence of that length, and the plain, LEN and IDX answers equal Redis's.
 */
class SortProperties extends DualTargetProperties {

    enum Kind { LIST, SET, ZSET }

    @Property(tries = 300)
    void sortAnswersAsRedis(@ForAll Kind kind, @ForAll boolean numbers, @ForAll @IntRange(max = 40) int size,
                            @ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            elements.add(numbers ? number(random) : word(random));
        }
        if (kind != Kind.LIST) {
            elements = new ArrayList<>(new LinkedHashSet<>(elements));
        }
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            List<List<String>> setup = new ArrayList<>();
            setup.add(List.of("FLUSHALL"));
            for (String element : elements) {
                setup.add(switch (kind) {
                    case LIST -> List.of("RPUSH", "k", element);
                    case SET -> List.of("SADD", "k", element);
                    case ZSET -> List.of("ZADD", "k", Integer.toString(random.nextInt(-3, 4)), element);
                });
            }
            boolean distinctWeights = random.nextBoolean();
            int weighed = 0;
            for (int i = 0; i < elements.size(); i++) {
                String weight = distinctWeights ? (i * 7 % 101 - 50) + "." + i : number(random);
                if (distinctWeights || random.nextInt(4) > 0) {
                    setup.add(List.of("SET", "w_" + elements.get(i), weight));
                    setup.add(List.of("HSET", "h_" + elements.get(i), "f", weight));
                    weighed++;
                }
            }
            for (List<String> command : setup) {
                real.call(command.toArray(String[]::new));
                our.call(command.toArray(String[]::new));
            }
            List<String> sort = sortCommand(random, kind, elements, distinctWeights && weighed == elements.size());
            same(real, our, sort.toArray(String[]::new));
            if (sort.contains("STORE")) {
                same(real, our, "LRANGE", "dst", "0", "-1");
            }
        }
    }

    /** SORT k with random options, within the laws of the class comment. */
    private static List<String> sortCommand(SplittableRandom random, Kind kind, List<String> elements, boolean allWeightsDistinct) {
        List<String> command = new ArrayList<>(List.of(random.nextInt(4) == 0 ? "SORT_RO" : "SORT", "k"));
        boolean alpha = random.nextBoolean();
        boolean intset = kind == Kind.SET && elements.stream().allMatch(e -> e.matches("-?[1-9][0-9]*|0"));
        boolean store = command.get(0).equals("SORT") && random.nextInt(4) == 0;
        switch (random.nextInt(4)) {
            case 0 -> { }
            case 1 -> {
                if (kind != Kind.SET || intset || store) {
                    command.addAll(List.of("BY", "nosort"));
                }
            }
            case 2 -> {
                if (!alpha || allWeightsDistinct) {
                    command.addAll(List.of("BY", "w_*"));
                }
            }
            default -> {
                if (!alpha || allWeightsDistinct) {
                    command.addAll(List.of("BY", "h_*->f"));
                }
            }
        }
        if (random.nextBoolean()) {
            command.addAll(List.of("LIMIT", Integer.toString(random.nextInt(-2, elements.size() + 3)),
                    Integer.toString(random.nextInt(-2, elements.size() + 3))));
        }
        if (random.nextBoolean()) {
            command.add(random.nextBoolean() ? "DESC" : "ASC");
        }
        if (alpha) {
            command.add("ALPHA");
        }
        List<String> patterns = List.of("#", "w_*", "h_*->f", "missing_*", "h_*->nofield");
        for (int gets = random.nextInt(4); gets > 0; gets--) {
            command.addAll(List.of("GET", patterns.get(random.nextInt(patterns.size()))));
        }
        if (store) {
            command.addAll(List.of("STORE", "dst"));
        }
        return command;
    }

    /** A number strtod reads within a double's normal range: integers, decimals, exponents, signs. */
    private static String number(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0, 1 -> Integer.toString(random.nextInt(-20, 21));
            case 2 -> random.nextInt(-50, 51) / 4.0 + "";
            case 3 -> random.nextInt(1, 10) + "e" + random.nextInt(-3, 4);
            default -> (random.nextBoolean() ? "+" : "-") + random.nextInt(0, 5) + "." + random.nextInt(0, 10);
        };
    }

    /** A short word over a few letters, digits and capitals, so that equal prefixes and byte order matter. */
    private static String word(SplittableRandom random) {
        String alphabet = "abAB01z-";
        StringBuilder word = new StringBuilder();
        for (int i = random.nextInt(0, 5); i > 0; i--) {
            word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return word.toString();
    }

    @Property(tries = 300)
    void lcsIsALongestCommonSubsequence(@ForAll("strings") String a, @ForAll("strings") String b) throws IOException {
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            for (RespConnection c : List.of(real, our)) {
                c.call("MSET", "a", a, "b", b);
            }
            int length = textbookLcsLength(a, b);
            assertEquals(":" + length + "\r\n", our.call("LCS", "a", "b", "LEN"));
            String plain = our.call("LCS", "a", "b");
            String subsequence = plain.substring(plain.indexOf("\r\n") + 2, plain.length() - 2);
            assertEquals(length, subsequence.length());
            assertTrue(isSubsequence(subsequence, a) && isSubsequence(subsequence, b), subsequence);
            same(real, our, "LCS", "a", "b");
            same(real, our, "LCS", "a", "b", "IDX", "WITHMATCHLEN");
            same(real, our, "LCS", "a", "b", "IDX", "MINMATCHLEN", "2");
        }
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withChars("abc").ofMinLength(0).ofMaxLength(30);
    }

    /** The model: L[i][j] = L[i-1][j-1] + 1 on equal characters, otherwise the larger of L[i-1][j] and L[i][j-1]. */
    private static int textbookLcsLength(String a, String b) {
        int[][] lengths = new int[a.length() + 1][b.length() + 1];
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                lengths[i][j] = a.charAt(i - 1) == b.charAt(j - 1)
                        ? lengths[i - 1][j - 1] + 1 : Math.max(lengths[i - 1][j], lengths[i][j - 1]);
            }
        }
        return lengths[a.length()][b.length()];
    }

    private static boolean isSubsequence(String sub, String of) {
        int at = 0;
        for (int i = 0; i < of.length() && at < sub.length(); i++) {
            if (of.charAt(i) == sub.charAt(at)) {
                at++;
            }
        }
        return at == sub.length();
    }

    private static void same(RespConnection real, RespConnection our, String... args) throws IOException {
        assertEquals(real.call(args), our.call(args), String.join(" ", args));
    }
}
