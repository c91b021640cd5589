// Random values through the struct and cmsgpack libraries: the same bytes as redis-server's, and a round trip.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The laws, each checked against a real redis-server with the same random input: {@code cmsgpack.pack} of any
 * number, string, boolean, nil and nested array (maps of one entry; maps of several pack in each interpreter's
 * table order) gives Redis's bytes, and {@code cmsgpack.unpack} of them gives back what Redis's gives back;
 * {@code struct.pack} of a random format (every option, both byte orders, alignments) and values gives Redis's bytes,
 * {@code struct.unpack} reads them as Redis does, and {@code struct.size} agrees.
 */
class LuaLibrariesProperties {

    private static BothServers servers;

    @BeforeContainer
    static void start() throws Exception {
        servers = BothServers.start();
    }

    @AfterContainer
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private static void sameReplies(String... scripts) throws IOException {
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            for (String script : scripts) {
                assertEquals(real.call("EVAL", script, "0"), our.call("EVAL", script, "0"), script);
            }
        }
    }

    @Property(tries = 300)
    void cmsgpackPacksAndUnpacksAsRedis(@ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> values = new ArrayList<>();
        int n = random.nextInt(1, 4);
        for (int i = 0; i < n; i++) {
            values.add(value(random, 0));
        }
        String args = String.join(", ", values);
        sameReplies("return cmsgpack.pack(" + args + ")",
                "local t = {cmsgpack.unpack(cmsgpack.pack(" + args + "))} "
                        + "for i = 1, #t do if type(t[i]) == 'number' then t[i] = tostring(t[i]) end end return t",
                "return cmsgpack.pack(cmsgpack.unpack(cmsgpack.pack(" + args + ")))");
    }

    @Property(tries = 300)
    void structPacksUnpacksAndSizesAsRedis(@ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder format = new StringBuilder(random.nextBoolean() ? ">" : "<");
        List<String> values = new ArrayList<>();
        int n = random.nextInt(1, 6);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(8)) {
                case 0 -> format.append('!').append(1 << random.nextInt(4));
                case 1 -> {
                    format.append(random.nextBoolean() ? 'f' : 'd');
                    values.add(random.nextInt(-1000, 1000) + "." + random.nextInt(1000));
                }
                case 2 -> {
                    int size = random.nextInt(1, 6);
                    format.append('c').append(size);
                    values.add("'" + "abcdefgh".substring(0, size + random.nextInt(3)) + "'");
                }
                case 3 -> format.append('x');
                default -> {
                    char option = "bBhHiIlLT".charAt(random.nextInt(9));
                    format.append(option);
                    if ((option == 'i' || option == 'I') && random.nextBoolean()) {
                        format.append(random.nextInt(1, 9));
                    }
                    values.add(Long.toString(random.nextLong(-(1L << 40), 1L << 40)));
                }
            }
        }
        String fmt = "'" + format + "'";
        String packed = "struct.pack(" + fmt + (values.isEmpty() ? "" : ", " + String.join(", ", values)) + ")";
        sameReplies("return " + packed,
                "local t = {struct.unpack(" + fmt + ", " + packed + ")} "
                        + "for i = 1, #t do if type(t[i]) == 'number' then t[i] = tostring(t[i]) end end return t",
                "return struct.size(" + fmt + ")");
    }

    private static String value(SplittableRandom random, int depth) {
        return switch (random.nextInt(depth >= 3 ? 6 : 8)) {
            case 0 -> Long.toString(random.nextLong(-(1L << 40), 1L << 40));
            case 1 -> Integer.toString(random.nextInt(-300, 300));
            case 2 -> random.nextInt(-1000, 1000) + "." + random.nextInt(1000);
            case 3 -> random.nextInt(1, 10) + "e" + random.nextInt(-40, 40);
            case 4 -> random.nextBoolean() ? "true" : "false";
            case 5 -> "string.rep('" + (char) random.nextInt('a', 'z' + 1) + "', " + random.nextInt(0, 300) + ")";
            case 6 -> "{k" + random.nextInt(10) + " = " + value(random, depth + 1) + "}";
            default -> {
                StringBuilder table = new StringBuilder("{");
                int n = random.nextInt(20);
                for (int i = 0; i < n; i++) {
                    table.append(i == 0 ? "" : ", ").append(value(random, depth + 1));
                }
                yield table.append('}').toString();
            }
        };
    }
}
