// DEBUG DIGEST of 20 random datasets, of every type and encoding, equal on redis-server and on ours.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The digest is the simplest proof that two servers hold the same data, so it must be Redis's to the bit. Each
 * dataset (seeded, so a failure replays) is written by the same commands to both servers: strings in the int, embstr
 * and raw encodings, lists short and long, streams with deleted entries and consumer groups, sets as intsets and hash tables, hashes and sorted sets as listpacks and
 * hash tables / skip lists (scores whole, fractional, tiny, huge, infinite, negative zero), binary keys and members,
 * TTLs, four databases. Then DEBUG DIGEST, DEBUG DIGEST-VALUE of every key, and both again after DEBUG RELOAD.
 */
class DebugDigestTest {

    private static final int DATASETS = 20;

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @TestFactory
    Stream<DynamicTest> randomDatasetsHaveRedisDigest() {
        return IntStream.range(0, DATASETS).mapToObj(seed -> DynamicTest.dynamicTest("dataset " + seed, () -> compare(seed)));
    }

    private static void compare(long seed) throws IOException {
        List<String[]> writes = dataset(new Random(seed));
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection ours = new RespConnection(servers.ours().port())) {
            for (RespConnection connection : new RespConnection[] {real, ours}) {
                connection.call("FLUSHALL");
                for (String[] write : writes) {
                    connection.send(write);
                }
                for (String[] write : writes) {
                    connection.readReply();
                }
            }
            String digest = real.call("DEBUG", "DIGEST");
            assertNotEquals("+0000000000000000000000000000000000000000\r\n", digest);
            assertEquals(digest, ours.call("DEBUG", "DIGEST"), "seed " + seed);
            for (int db = 0; db < 4; db++) {
                assertEquals(real.call("SELECT", "" + db), ours.call("SELECT", "" + db));
                List<String> keys = keys(real);
                String[] call = new String[keys.size() + 2];
                call[0] = "DEBUG";
                call[1] = "DIGEST-VALUE";
                for (int i = 0; i < keys.size(); i++) {
                    call[i + 2] = keys.get(i);
                }
                assertEquals(real.call(call), ours.call(call), "seed " + seed + ", db " + db);
            }
            assertEquals(real.call("DEBUG", "RELOAD"), ours.call("DEBUG", "RELOAD"));
            assertEquals(digest, real.call("DEBUG", "DIGEST"), "Redis after RELOAD, seed " + seed);
            assertEquals(digest, ours.call("DEBUG", "DIGEST"), "ours after RELOAD, seed " + seed);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> keys(RespConnection connection) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Object key : (List<Object>) connection.callParsed("KEYS", "*")) {
            keys.add((String) key);
        }
        return keys;
    }

    /** The writes of one dataset; encodings follow from sizes, so each kind is drawn small or large. */
    private static List<String[]> dataset(Random random) {
        List<String[]> writes = new ArrayList<>();
        int keys = 5 + random.nextInt(40);
        for (int k = 0; k < keys; k++) {
            writes.add(new String[] {"SELECT", "" + random.nextInt(4)});
            String key = random.nextInt(10) == 0 ? "bin\r\n\u0000" + k : "key:" + k;
            boolean large = random.nextInt(3) == 0;
            int n = large ? 130 + random.nextInt(300) : 1 + random.nextInt(20);
            switch (random.nextInt(7)) {
                case 0 -> writes.add(new String[] {"SET", key, element(random, large)});
                case 1 -> writes.add(new String[] {"APPEND", key, element(random, large)}); // raw
                case 2 -> writes.add(command("RPUSH", key, n, () -> element(random, false)));
                case 3 -> writes.add(command("SADD", key, n, () -> random.nextBoolean() ? "" + (random.nextInt(2000) - 1000)
                        : element(random, false)));
                case 4 -> writes.add(command("HSET", key, n, () -> element(random, false) + "\u0000" + element(random, large)));
                case 5 -> writes.add(command("ZADD", key, n, () -> score(random) + "\u0000" + element(random, false)));
                default -> stream(random, key, n, writes);
            }
            if (random.nextInt(4) == 0) {
                writes.add(new String[] {"EXPIRE", key, "" + (1000 + random.nextInt(100000))});
            }
        }
        return writes;
    }

    /** A stream of {@code n} entries under explicit IDs, some of them deleted, sometimes with a consumer group. */
    private static void stream(Random random, String key, int n, List<String[]> writes) {
        long ms = random.nextInt(3) == 0 ? Long.MAX_VALUE - 1000 : 1 + random.nextInt(1000);
        for (int i = 0; i < n; i++) {
            ms += random.nextInt(3);
            String id = Long.toUnsignedString(ms) + "-" + i;
            List<String> add = new ArrayList<>(List.of("XADD", key, id));
            if (random.nextBoolean()) {
                add.addAll(List.of("field", element(random, false), "n", "" + i)); // the master's fields
            } else {
                for (int pairs = 1 + random.nextInt(3); pairs > 0; pairs--) {
                    add.addAll(List.of(element(random, false), element(random, false)));
                }
            }
            writes.add(add.toArray(new String[0]));
            if (random.nextInt(5) == 0) {
                writes.add(new String[] {"XDEL", key, id});
            }
        }
        if (random.nextBoolean()) {
            writes.add(new String[] {"XGROUP", "CREATE", key, "group", "0"});
            writes.add(new String[] {"XREADGROUP", "GROUP", "group", "alice", "COUNT", "2", "STREAMS", key, ">"});
        }
    }

    /** {@code name key} and {@code count} arguments from {@code next}; an argument holding a zero splits into two. */
    private static String[] command(String name, String key, int count, java.util.function.Supplier<String> next) {
        List<String> args = new ArrayList<>(List.of(name, key));
        for (int i = 0; i < count; i++) {
            String arg = next.get();
            int split = arg.indexOf('\u0000', 0);
            if (split > 0 && !arg.startsWith("bin")) {
                args.add(arg.substring(0, split));
                args.add(arg.substring(split + 1));
            } else {
                args.add(arg);
            }
        }
        return args.toArray(new String[0]);
    }

    private static String element(Random random, boolean large) {
        return switch (random.nextInt(5)) {
            case 0 -> "" + (random.nextLong() >> random.nextInt(64));
            case 1 -> "" + random.nextInt(10000);
            case 2 -> "e\r\n" + random.nextInt(100);
            default -> {
                StringBuilder text = new StringBuilder();
                int length = large ? 65 + random.nextInt(200) : 1 + random.nextInt(30);
                for (int i = 0; i < length; i++) {
                    text.append((char) ('a' + random.nextInt(26)));
                }
                yield text.toString();
            }
        };
    }

    private static String score(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> "" + random.nextInt(1000);
            case 1 -> "" + random.nextDouble();
            case 2 -> "" + (random.nextDouble() * 1e300);
            case 3 -> "" + (random.nextDouble() * 1e-300);
            case 4 -> random.nextBoolean() ? "inf" : "-inf";
            case 5 -> "-0";
            case 6 -> "" + (random.nextLong() >> 3);
            default -> "" + (random.nextGaussian() * 1000);
        };
    }
}
