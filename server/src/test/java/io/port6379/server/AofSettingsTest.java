// aof-timestamp-enabled and aof-disable-auto-gc: the files both servers leave in their appendonlydir, compared.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each server writes its own append-only directory; the manifest and the incremental file are read from disk and
 * compared, the seconds of the {@code #TS:} annotations aside.
 */
class AofSettingsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--appendonly", "yes");

    @Test
    void timestampAnnotationsAndKeptHistoryAreWrittenAsRedisWritesThem() throws Exception {
        List<List<String>> observed = new ArrayList<>();
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection c = new RespConnection(port)) {
                Path dir = Path.of(bulk(c.call("CONFIG", "GET", "dir"), 1)).resolve("appendonlydir");
                c.call("CONFIG", "SET", "aof-timestamp-enabled", "yes");
                c.call("SET", "a", "1");
                String incr = "";
                for (int i = 0; i < 300 && !incr.endsWith("$1\r\n1\r\n"); i++) { // Redis may postpone a write behind an fsync
                    Thread.sleep(10);
                    incr = Files.readString(dir.resolve(fileOfType(dir, "i")), StandardCharsets.ISO_8859_1);
                }
                assertTrue(incr.startsWith("#TS:"), port + ": " + incr);
                c.call("CONFIG", "SET", "aof-timestamp-enabled", "no");

                c.call("CONFIG", "SET", "aof-disable-auto-gc", "yes");
                c.call("BGREWRITEAOF");
                waitForRewrite(c);
                String kept = Files.readString(dir.resolve("appendonly.aof.manifest"));
                for (String line : kept.split("\n")) {
                    assertTrue(Files.exists(dir.resolve(line.split(" ")[1])), port + ": " + line);
                }
                c.call("CONFIG", "SET", "aof-disable-auto-gc", "no");
                String cleaned = Files.readString(dir.resolve("appendonly.aof.manifest"));
                assertFalse(cleaned.contains("type h"), port + ": " + cleaned);
                assertEquals(2, Files.list(dir).filter(f -> !f.getFileName().toString().endsWith(".manifest")).count(),
                        port + ": history files deleted");
                observed.add(List.of(incr.replaceAll("#TS:\\d+", "#TS:N"), kept, cleaned));
            }
        }
        assertEquals(observed.get(0), observed.get(1));
    }

    private static String fileOfType(Path dir, String type) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("appendonly.aof.manifest"))) {
            if (line.endsWith(" type " + type)) {
                return line.split(" ")[1];
            }
        }
        throw new AssertionError("no file of type " + type);
    }

    private static void waitForRewrite(RespConnection c) throws Exception {
        for (int i = 0; i < 200; i++) {
            String info = c.call("INFO", "persistence");
            if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the rewrite did not end");
    }

    /** The {@code index}th bulk string of an array reply. */
    private static String bulk(String reply, int index) {
        String[] lines = reply.split("\r\n");
        return lines[2 + 2 * index];
    }
}
