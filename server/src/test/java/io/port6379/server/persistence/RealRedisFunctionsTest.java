// Function libraries between a real redis-server 7.0 and ours: FUNCTION DUMP/RESTORE, RDB files and AOF files.
package io.port6379.server.persistence;

import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
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
 * A library travels as its code: FUNCTION DUMP and the RDB file hold it in a FUNCTION2 record (LZF-compressed when
 * long, as any RDB string), the AOF as FUNCTION LOAD. Each test moves libraries from one server to the other and
 * compares FUNCTION LIST (one library at a time: Redis lists its libraries in hash order) and an FCALL's effect.
 */
class RealRedisFunctionsTest {

    /** A short library (stored plain) and a long one (LZF-compressed), with flags and a description. */
    static final String SHORT = "#!lua name=short\nredis.register_function('hello', function() return 'hi' end)";
    static final String LONG = "#!lua name=counters\n"
            + "local function bump(keys, args)\n"
            + "  return redis.call('incrby', keys[1], args[1] or 1)\n"
            + "end\n"
            + "redis.register_function{function_name='bump', callback=bump, description='adds to a counter'}\n"
            + "redis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end,\n"
            + "  flags={'no-writes'}}\n";

    private static void load(RespConnection client) throws IOException {
        assertEquals("short", client.callParsed("FUNCTION", "LOAD", SHORT));
        assertEquals("counters", client.callParsed("FUNCTION", "LOAD", LONG));
    }

    /** FUNCTION LIST WITHCODE per library, and what two FCALLs answer. */
    private static List<String> describe(RespConnection client) throws IOException {
        List<String> out = new ArrayList<>();
        for (String library : new String[]{"short", "counters"}) {
            String reply = client.call("FUNCTION", "LIST", "LIBRARYNAME", library, "WITHCODE");
            out.add(library.equals("counters") ? sortedFunctions(reply) : reply);
        }
        out.add(client.call("FCALL", "hello", "0"));
        out.add(client.call("FCALL", "bump", "1", "counter", "5"));
        out.add(client.call("FCALL_RO", "peek", "1", "counter"));
        return out;
    }

    /** The two functions of {@code counters} in a fixed order (Redis walks its dictionary). */
    private static String sortedFunctions(String reply) {
        int bump = reply.indexOf("*6\r\n$4\r\nname\r\n$4\r\nbump");
        int peek = reply.indexOf("*6\r\n$4\r\nname\r\n$4\r\npeek");
        if (bump < 0 || peek < 0) {
            return reply;
        }
        int end = reply.indexOf("$12\r\nlibrary_code");
        String first = reply.substring(Math.min(bump, peek), Math.max(bump, peek));
        String second = reply.substring(Math.max(bump, peek), end);
        String[] both = Stream.of(first, second).sorted().toArray(String[]::new);
        return reply.substring(0, Math.min(bump, peek)) + both[0] + both[1] + reply.substring(end);
    }

    private static RedisServer startOurs(Path dir, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString()));
        args.addAll(List.of(more));
        RedisServer server = Port6379.server(ServerConfig.fromArguments(args.toArray(String[]::new)));
        server.start();
        return server;
    }

    @Test
    void functionDumpOfOneLibraryIsRedisBytesAndRestoresBothWays(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start();
             RespConnection real = new RespConnection(redis.port());
             RedisServer ours = startOurs(dir);
             RespConnection client = new RespConnection(ours.port())) {
            for (String code : new String[]{SHORT, LONG}) {
                real.call("FUNCTION", "FLUSH");
                client.call("FUNCTION", "FLUSH");
                real.call("FUNCTION", "LOAD", code);
                client.call("FUNCTION", "LOAD", code);
                String theirs = (String) real.callParsed("FUNCTION", "DUMP");
                assertEquals(theirs, client.callParsed("FUNCTION", "DUMP"));
            }
            real.call("FUNCTION", "FLUSH");
            real.call("FUNCTION", "LOAD", SHORT);
            String fromRedis = (String) real.callParsed("FUNCTION", "DUMP");
            assertEquals("OK", client.callParsed("FUNCTION", "RESTORE", fromRedis, "FLUSH"));
            assertEquals(describe(real), describe(client));
            String fromUs = (String) client.callParsed("FUNCTION", "DUMP");
            assertEquals("OK", real.callParsed("FUNCTION", "RESTORE", fromUs, "FLUSH"));
            assertEquals(describe(client), describe(real));
            for (String policy : new String[]{"APPEND", "REPLACE", "FLUSH", "nonsense"}) {
                assertEquals(real.call("FUNCTION", "RESTORE", fromUs, policy),
                        client.call("FUNCTION", "RESTORE", fromRedis, policy), policy);
            }
        }
    }

    @Test
    void librariesSavedByRedisLoadIntoOurs(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString());
             RespConnection client = new RespConnection(redis.port())) {
            load(client);
            assertEquals("OK", client.callParsed("SAVE"));
            expected = describe(client);
        }
        try (RedisServer ours = startOurs(dir);
             RespConnection client = new RespConnection(ours.port())) {
            assertEquals(expected.subList(0, 2), describe(client).subList(0, 2));
        }
    }

    @Test
    void librariesSavedByUsPassRedisCheckRdbAndLoadIntoRedis(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (RedisServer ours = startOurs(dir);
             RespConnection client = new RespConnection(ours.port())) {
            load(client);
            assertEquals("OK", client.callParsed("SAVE"));
            expected = describe(client);
        }
        RealRedisRdbTest.checkRdb(dir.resolve("dump.rdb"));
        try (RealRedis redis = RealRedis.start("--dir", dir.toString());
             RespConnection client = new RespConnection(redis.port())) {
            assertEquals(expected.subList(0, 2), describe(client).subList(0, 2));
        }
    }

    @Test
    void ourAofRecordsFunctionLoadAndTheEffectsOfFcallAndRedisReplaysIt(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (RedisServer ours = startOurs(dir, "--appendonly", "yes", "--aof-use-rdb-preamble", "no");
             RespConnection client = new RespConnection(ours.port())) {
            load(client);
            client.call("FCALL", "bump", "1", "counter", "2");
            assertEquals("OK", client.callParsed("FUNCTION", "DELETE", "short"));
            client.call("FUNCTION", "LOAD", SHORT);
            expected = describe(client);
        }
        Path incr;
        try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
            incr = files.filter(f -> f.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
        }
        String written = Files.readString(incr, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(written.contains("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n$" + SHORT.length() + "\r\n" + SHORT + "\r\n"),
                written);
        assertTrue(written.contains("*3\r\n$6\r\nincrby\r\n$7\r\ncounter\r\n$1\r\n2\r\n"), written);
        assertTrue(!written.contains("FCALL"), written);
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes");
             RespConnection client = new RespConnection(redis.port())) {
            awaitLoaded(client);
            assertEquals(expected.subList(0, 2), describe(client).subList(0, 2));
            assertEquals("12", client.callParsed("GET", "counter"));
        }
    }

    @Test
    void anAofRewriteWritesTheLibrariesAsRedisDoesAndRedisLoadsIt(@TempDir Path dir) throws Exception {
        for (String preamble : new String[]{"no", "yes"}) {
            Path sub = Files.createDirectories(dir.resolve(preamble));
            List<String> expected;
            try (RedisServer ours = startOurs(sub, "--appendonly", "yes", "--aof-use-rdb-preamble", preamble);
                 RespConnection client = new RespConnection(ours.port())) {
                load(client);
                assertEquals("Background append only file rewriting started", client.callParsed("BGREWRITEAOF"));
                while (!((String) client.callParsed("INFO", "persistence")).contains("aof_rewrite_in_progress:0")) {
                    Thread.sleep(10);
                }
                expected = describe(client);
            }
            if (preamble.equals("no")) {
                Path base;
                try (Stream<Path> files = Files.list(sub.resolve("appendonlydir"))) {
                    base = files.filter(f -> f.toString().contains(".base.")).findFirst().orElseThrow();
                }
                assertTrue(Files.readString(base, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .startsWith("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n"));
            }
            String report = AofRealRedisTest.checkAof(sub.resolve("appendonlydir").resolve("appendonly.aof.manifest"));
            assertTrue(report.contains("All AOF files and manifest are valid"), report);
            try (RealRedis redis = RealRedis.start("--dir", sub.toString(), "--appendonly", "yes");
                 RespConnection client = new RespConnection(redis.port())) {
                awaitLoaded(client);
                assertEquals(expected.subList(0, 2), describe(client).subList(0, 2), preamble);
            }
        }
    }

    private static void awaitLoaded(RespConnection client) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"PONG".equals(client.callParsed("PING"))) {
            assertTrue(System.nanoTime() < deadline, "redis-server did not finish loading within 10 s");
            Thread.sleep(10);
        }
    }
}
