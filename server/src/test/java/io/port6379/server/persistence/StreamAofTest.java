// Streams in the append-only file: XADD's generated IDs are recorded, and a rewrite rebuilds streams and groups.
package io.port6379.server.persistence;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's clock stands still, so delivery and seen times replay to the same values: XINFO STREAM FULL
 * must come back byte for byte, after replaying the commands as recorded and after a rewrite (with and without
 * the RDB preamble, the latter being Redis's XADD, XSETID, XGROUP CREATE ... ENTRIESREAD, XCLAIM ... FORCE).
 */
class StreamAofTest {

    @TempDir
    Path dir;

    private static final List<String> KEYS = List.of("log", "bytes", "emptied", "counters", "made", "big-ids", "auto");

    private static void fill(AofHarness aof) {
        for (String[] command : RealRedisStreamRdbTest.streams()) {
            String reply = aof.run(command);
            assertTrue(!reply.startsWith("-"), String.join(" ", command) + " -> " + reply);
        }
        aof.run("XADD", "auto", "*", "a", "1");
        aof.run("XADD", "auto", "MAXLEN", "~", "5", "*", "a", "2");
        aof.run("XADD", "auto", "1700000000000-*", "a", "3");
    }

    private static Map<String, String> describe(AofHarness aof) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            // The node layout follows stream-node-max-entries and -bytes when the file is replayed: CONFIG SET is not
            // recorded (nor is it by Redis), so the node counts are masked.
            out.put(key + " full", aof.run("XINFO", "STREAM", key, "FULL", "COUNT", "0")
                    .replaceAll("(radix-tree-(keys|nodes)\r\n):\\d+", "$1:<nodes>"));
            out.put(key + " groups", aof.run("XINFO", "GROUPS", key));
        }
        return out;
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void streamsComeBackFromTheRecordedCommandsAndFromARewrite(String preamble) throws Exception {
        Map<String, String> expected;
        try (AofHarness aof = new AofHarness(dir, "--aof-use-rdb-preamble", preamble)) {
            fill(aof);
            expected = describe(aof);
        }
        try (AofHarness replayed = new AofHarness(dir, "--aof-use-rdb-preamble", preamble)) {
            assertEquals(expected, describe(replayed), "replaying the recorded commands");
            replayed.rewriteAndWait();
        }
        try (AofHarness rewritten = new AofHarness(dir, "--aof-use-rdb-preamble", preamble)) {
            assertEquals(expected, describe(rewritten), "loading the rewritten file");
        }
    }
}
