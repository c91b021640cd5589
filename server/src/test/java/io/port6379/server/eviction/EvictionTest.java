// Eviction on our server alone, where the outcome depends on our byte counts: the limit holds, and the policy's keys go.
package io.port6379.server.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.CommandRunner;
import org.junit.jupiter.api.Test;

/**
 * Under a limit that holds some keys but not all: after every command {@code used_memory} is back under
 * {@code maxmemory} (Redis evicts before a command, so the command's own write may go over until the next one), the
 * keys the policy prefers to keep survive, and INFO counts what went.
 */
class EvictionTest {

    private static long usedMemory(CommandRunner runner) {
        return Long.parseLong(field(runner.run("INFO", "memory"), "used_memory"));
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().substring(name.length() + 1);
    }

    @Test
    void allkeysLruKeepsUsedMemoryUnderTheLimitAndTheRecentKeys() {
        CommandRunner runner = new CommandRunner("--maxmemory", "200000", "--maxmemory-policy", "allkeys-lru",
                "--maxmemory-samples", "10");
        String value = "v".repeat(100);
        long highest = 0;
        for (int i = 0; i < 5000; i++) {
            runner.run("SET", "key:" + i, value);
            highest = Math.max(highest, usedMemory(runner));
        }
        assertTrue(highest <= 200000 + 400, "used_memory went to " + highest);
        long evicted = Long.parseLong(field(runner.run("INFO", "stats"), "evicted_keys"));
        long held = Long.parseLong(runner.run("DBSIZE").substring(1).strip());
        assertEquals(5000, evicted + held);
        assertTrue(held > 500 && held < 2000, "held " + held);
        assertEquals(":1\r\n", runner.run("EXISTS", "key:4999"));
    }

    @Test
    void allkeysLfuKeepsTheKeysReadOften() {
        CommandRunner runner = new CommandRunner("--maxmemory", "100000", "--maxmemory-policy", "allkeys-lfu");
        for (int i = 0; i < 10; i++) {
            runner.run("SET", "hot:" + i, "x".repeat(100));
            for (int j = 0; j < 50; j++) {
                runner.run("GET", "hot:" + i);
            }
        }
        for (int i = 0; i < 3000; i++) {
            runner.run("SET", "cold:" + i, "x".repeat(100));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(":1\r\n", runner.run("EXISTS", "hot:" + i), "hot:" + i);
        }
    }

    @Test
    void volatileTtlEvictsOnlyVolatileKeysMostlyTheNearestToExpire() {
        CommandRunner runner = new CommandRunner("--maxmemory-policy", "volatile-ttl");
        for (int i = 0; i < 100; i++) {
            runner.run("SET", "p" + i, "x".repeat(50));
            runner.run("SET", "v" + i, "x".repeat(50), "EX", Integer.toString(10_000 + i));
        }
        long used = usedMemory(runner);
        runner.run("CONFIG", "SET", "maxmemory", Long.toString(used - 2000));
        runner.run("PING");
        String[] exists = java.util.stream.Stream.concat(java.util.stream.Stream.of("EXISTS"),
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> "p" + i)).toArray(String[]::new);
        assertEquals(":100\r\n", runner.run(exists));
        int nearGone = 0;
        int farGone = 0;
        for (int i = 0; i < 100; i++) {
            if (runner.run("EXISTS", "v" + i).equals(":0\r\n")) {
                nearGone += i < 50 ? 1 : 0;
                farGone += i < 50 ? 0 : 1;
            }
        }
        assertTrue(nearGone > 3 * farGone && nearGone > 5, "evicted " + nearGone + " near, " + farGone + " far");
    }

    @Test
    void changesInPlaceAreCounted() {
        CommandRunner runner = new CommandRunner();
        runner.run("PING"); // the client's own buffers are in used_memory from its first command on, as in Redis
        long empty = usedMemory(runner);
        for (int i = 0; i < 1000; i++) {
            runner.run("RPUSH", "list", "element:" + i);
            runner.run("HSET", "hash", "field:" + i, "value:" + i);
            runner.run("SADD", "set", "member:" + i);
            runner.run("ZADD", "zset", Integer.toString(i), "member:" + i);
        }
        long full = usedMemory(runner);
        assertTrue(full - empty > 4 * 1000 * 24, "counted " + (full - empty));
        assertEquals(":4\r\n", runner.run("DEL", "list", "hash", "set", "zset"));
        assertTrue(Math.abs(usedMemory(runner) - empty) < 64, "left " + (usedMemory(runner) - empty)); // the table's buckets
        runner.run("SET", "k", "v");
        assertTrue(runner.run("MEMORY", "USAGE", "k").matches(":\\d+\r\n"));
    }
}
