// Consumer-group commands recorded in the incremental AOF: the same commands give the same file on both servers.
package io.port6379.server.persistence;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XREADGROUP, XCLAIM and XAUTOCLAIM are recorded as their effect on the group, never as sent. The cases that
 * differ most easily: a NOACK read by a consumer that already existed (no creation recorded) or that the read
 * created, or that served only history; a claim that drops the PEL entry of a deleted entry (named after its
 * former holder); XCLAIM's argument order and ID spelling; a LASTID-only XCLAIM. Delivery times are each
 * server's clock and are masked; everything else must be the same words in the same order.
 */
class StreamPropagationRealRedisTest {

    static final String[][] COMMANDS = {
        {"XADD", "s", "1-1", "f", "v"}, {"XADD", "s", "2-1", "f", "v"}, {"XADD", "s", "3-1", "f", "v"},
        {"XADD", "s", "4-1", "f", "v"}, {"XADD", "t", "1-1", "f", "v"},
        {"XGROUP", "CREATE", "s", "g", "0"}, {"XGROUP", "CREATE", "t", "g", "0"},
        {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"},
        {"XGROUP", "CREATECONSUMER", "s", "g", "zed"},
        {"XREADGROUP", "GROUP", "g", "zed", "NOACK", "COUNT", "1", "STREAMS", "s", ">"},
        {"XREADGROUP", "GROUP", "g", "newbie", "NOACK", "STREAMS", "s", "0"},
        {"XREADGROUP", "GROUP", "g", "newbie", "STREAMS", "s", "0"},
        {"XREADGROUP", "GROUP", "g", "historian", "STREAMS", "s", "0"},
        {"XREADGROUP", "GROUP", "g", "fresh", "NOACK", "COUNT", "1", "STREAMS", "s", "t", ">", ">"},
        {"XCLAIM", "s", "g", "bob", "0", "2", "1-1", "JUSTID"},
        {"XDEL", "s", "1-1"},
        {"XCLAIM", "s", "g", "carol", "0", "3-1", "1-1"},
        {"XADD", "s", "5-1", "f", "v"},
        {"XREADGROUP", "GROUP", "g", "dave", "COUNT", "5", "STREAMS", "s", ">"},
        {"XDEL", "s", "2-1"},
        {"XAUTOCLAIM", "s", "g", "erin", "0", "0", "COUNT", "10"},
        {"XCLAIM", "s", "g", "bob", "0", "99-0", "LASTID", "100-0"},
        {"XCLAIM", "s", "g", "bob", "0", "99-0", "LASTID", "100-0"},
        {"XADD", "s", "200-1", "f", "v"},
        {"XREADGROUP", "GROUP", "g", "zed", "NOACK", "STREAMS", "s", ">"},
    };

    @Test
    void consumerGroupCommandsAreRecordedAsRedisRecordsThem(@TempDir Path dir) throws Exception {
        Path theirs = dir.resolve("theirs");
        Files.createDirectories(theirs);
        List<List<String>> expected;
        try (RealRedis redis = RealRedis.start("--dir", theirs.toString(), "--appendonly", "yes",
                "--appendfsync", "always");
             RespConnection client = new RespConnection(redis.port())) {
            for (String[] command : COMMANDS) {
                client.callParsed(command);
            }
            assertEquals("PONG", client.callParsed("PING"));
            expected = masked(AofHarness.commands(incrFile(theirs.resolve("appendonlydir"))));
        }
        List<List<String>> recorded;
        Files.createDirectories(dir.resolve("ours"));
        try (AofHarness ours = new AofHarness(dir.resolve("ours"))) {
            for (String[] command : COMMANDS) {
                ours.run(command);
            }
            recorded = masked(ours.incrCommands());
        }
        assertTrue(expected.toString().contains("CREATECONSUMER, s, g, newbie"), expected::toString);
        assertTrue(expected.toString().contains("XCLAIM, s, g, bob, 0, 1-1"), expected::toString);
        assertEquals(expected, recorded);
    }

    private static Path incrFile(Path appendOnlyDir) throws IOException {
        try (Stream<Path> files = Files.list(appendOnlyDir)) {
            List<Path> incr = files.filter(f -> f.getFileName().toString().endsWith(".incr.aof")).toList();
            assertEquals(1, incr.size(), incr::toString);
            return incr.getFirst();
        }
    }

    /** The word after TIME is a clock reading: masked. */
    private static List<List<String>> masked(List<List<String>> commands) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> command : commands) {
            List<String> words = new ArrayList<>(command);
            for (int i = 1; i < words.size(); i++) {
                if (words.get(i - 1).equals("TIME")) {
                    assertTrue(words.get(i).matches("\\d+"), words::toString);
                    words.set(i, "<time>");
                }
            }
            out.add(words);
        }
        return out;
    }
}
