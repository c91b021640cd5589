// Random string-keyed maps through cjson.encode, cmsgpack.pack and {map=...}: Redis's order where it has one.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lua 5.1 walks a table's hash part node by node, and a key sits in its main position (its hash modulo the node
 * count) unless another key took that node first; then where it goes depends on the order the keys came in.
 * The law checked here against a real redis-server: keys whose main positions are all distinct encode in one
 * order, Redis's, whether the table was filled forwards, backwards or by a constructor. (Keys that collide
 * have no order of their own: Redis's then follows the table's history, which the interpreter here does not
 * keep; the server's README says so.) The oracle below is Lua 5.1's string hash, so the key sets are chosen
 * without asking either server. Keys are up to 40 characters: Redis hashes every character of a long string, where Lua 5.1 samples 32.
 */
class ScriptTableOrderProperties {

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

    @Property(tries = 200)
    void keysWithDistinctMainPositionsEncodeInRedisOrderWhateverTheHistory(@ForAll long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int n = random.nextInt(2, 17);
        int nodes = Integer.highestOneBit(n - 1) << 1; // the node count after n insertions: 2^ceil(log2 n)
        List<String> keys = new ArrayList<>();
        Set<Integer> positions = new HashSet<>();
        while (keys.size() < n) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(1, 40);
            for (int i = 0; i < length; i++) {
                key.append((char) random.nextInt('a', 'z' + 1));
            }
            String k = key.toString();
            if (!keys.contains(k) && positions.add(lua51Hash(k.getBytes(StandardCharsets.US_ASCII)) & (nodes - 1))) {
                keys.add(k);
            }
        }
        List<String> backwards = new ArrayList<>(keys);
        Collections.reverse(backwards);
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        List<String> builds = List.of(assignments(keys), assignments(backwards), assignments(shuffled),
                "local t = {" + String.join(", ", keys.stream().map(k -> "['" + k + "'] = '" + k + "'").toList()) + "}");
        try (RespConnection real = new RespConnection(servers.redis().port());
             RespConnection our = new RespConnection(servers.ours().port())) {
            real.call("HELLO", "3"); // so that {map = t} is a map reply, in the table's order
            our.call("HELLO", "3");
            for (String build : builds) {
                for (String encode : List.of("return cjson.encode(t)", "return cmsgpack.pack(t)", "return {map = t}")) {
                    String script = build + " " + encode;
                    assertEquals(real.call("EVAL", script, "0"), our.call("EVAL", script, "0"), script);
                }
            }
        }
    }

    private static String assignments(List<String> keys) {
        StringBuilder script = new StringBuilder("local t = {}");
        for (String k : keys) {
            script.append(" t['").append(k).append("'] = '").append(k).append('\'');
        }
        return script.toString();
    }

    /** Redis's {@code luaS_newlstr} hash: Lua 5.1's, but over every character (5.1 samples 32 of a long string). */
    private static int lua51Hash(byte[] s) {
        int h = s.length;
        for (int l1 = s.length; l1 >= 1; l1--) {
            h = h ^ ((h << 5) + (h >>> 2) + (s[l1 - 1] & 0xff));
        }
        return h;
    }
}
