// Random Lua values returned by scripts, and random arguments passed through redis.call: the same bytes as redis-server.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The law: for any Lua value a script returns (numbers whole and fractional, strings with any byte, booleans,
 * nil, arrays with holes, nested tables, {@code {ok=}}, {@code {err=}}, {@code {double=}}), under either reply
 * protocol of the client and either protocol the script asks for, our reply is redis-server's, byte for byte; and a
 * value stored with {@code redis.call('set', ...)} and read back with {@code redis.call('get', ...)} is the same string
 * on both (numbers as {@code %.17g}). Maps and sets of several keys are left out: their order is each interpreter's
 * table order.
 */
class ScriptConversionProperties extends DualTargetProperties {

    @Property(tries = 300)
    void aReturnedValueConvertsAsInRedis(@ForAll long seed, @ForAll boolean clientResp3, @ForAll boolean scriptResp3)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String value = value(random, 0);
        String script = (scriptResp3 ? "redis.setresp(3) " : "") + "return " + value;
        String stored = "local v = " + scalar(random) + " redis.call('set', KEYS[1], v) return redis.call('get', KEYS[1])";
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            if (clientResp3) {
                real.call("HELLO", "3");
                our.call("HELLO", "3");
            }
            assertEquals(real.call("EVAL", script, "0"), our.call("EVAL", script, "0"), script);
            assertEquals(real.call("EVAL", stored, "1", "k"), our.call("EVAL", stored, "1", "k"), stored);
        }
    }

    private static String value(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth >= 3 ? 6 : 10);
        return switch (kind) {
            case 0, 1 -> scalar(random);
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "nil";
            case 4 -> string(random);
            case 5 -> Long.toString(random.nextLong(-(1L << 53), 1L << 53));
            case 6 -> "{ok=" + string(random) + "}";
            case 7 -> "{err=" + string(random) + "}";
            case 8 -> "{double=" + number(random) + "}";
            default -> {
                StringBuilder table = new StringBuilder("{");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    table.append(i == 0 ? "" : ", ").append(value(random, depth + 1));
                }
                yield table.append('}').toString();
            }
        };
    }

    private static String scalar(SplittableRandom random) {
        return random.nextBoolean() ? number(random) : string(random);
    }

    private static String number(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> Integer.toString(random.nextInt(-1000, 1000));
            case 1 -> random.nextInt(-1000, 1000) + "." + random.nextInt(0, 1000);
            case 2 -> random.nextInt(1, 10) + "e" + random.nextInt(-20, 25);
            case 3 -> "(" + random.nextInt(1, 100) + "/" + random.nextInt(1, 100) + ")";
            default -> "-" + random.nextInt(1, 9) + "." + random.nextInt(0, 100000) + "e" + random.nextInt(0, 20);
        };
    }

    /** A Lua string literal with any bytes, written with decimal escapes where needed. */
    private static String string(SplittableRandom random) {
        StringBuilder s = new StringBuilder("'");
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            int b = random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt('a', 'z' + 1);
            if (b >= 'a' && b <= 'z') {
                s.append((char) b);
            } else {
                s.append('\\').append(String.format("%03d", b));
            }
        }
        return s.append('\'').toString();
    }
}
