// redis-cli's other modes (stdin commands, --pipe, --scan, -r, --stat) and redis-benchmark's collection tests.
package io.port6379.server;

import io.port6379.testing.Binaries;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code RedisToolsTest} runs single redis-cli commands and the string tests of redis-benchmark; this class
 * covers the modes people use for bulk work and monitoring, each on its own database so they do not interfere.
 */
class RedisCliModesTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** Runs a tool to completion with {@code stdin} as its input; returns what it printed. */
    private static String run(byte[] stdin, String tool, String... args) throws Exception {
        Path binary = Binaries.require(tool);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-p", String.valueOf(server.port())));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the exit status below says what went wrong
            }
        });
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), tool + " did not finish");
        feeder.join();
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void commandsFromStdinGetOneAnswerPerLine() throws Exception {
        String script = "SELECT 12\nFLUSHDB\nSET greeting \"hello world\"\nGET greeting\nRPUSH l a b\nLRANGE l 0 -1\n"
                + "HSET h f v\nHGET h f\nINCR greeting\nGET nothing\n";
        assertEquals("OK\nOK\nOK\nhello world\n2\na\nb\n1\nv\nERR value is not an integer or out of range\n\n\n",
                run(script.getBytes(StandardCharsets.UTF_8), "redis-cli"));
    }

    /** The mass-insertion recipe of the Redis documentation: RESP on stdin, one report at the end. */
    @Test
    void pipeModeInsertsAHundredThousandKeys() throws Exception {
        ByteArrayOutputStream protocol = new ByteArrayOutputStream();
        protocol.writeBytes(RespConnection.encode("SELECT", "13").getBytes(StandardCharsets.ISO_8859_1));
        protocol.writeBytes(RespConnection.encode("FLUSHDB").getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 100_000; i++) {
            protocol.writeBytes(RespConnection.encode("SET", "key:" + i, "value " + i).getBytes(StandardCharsets.ISO_8859_1));
        }
        String report = run(protocol.toByteArray(), "redis-cli", "--pipe");
        assertTrue(report.contains("errors: 0, replies: 100002"), report);
        assertEquals("100000\n", run(new byte[0], "redis-cli", "-n", "13", "DBSIZE"));
        assertEquals("value 99999\n", run(new byte[0], "redis-cli", "-n", "13", "GET", "key:99999"));
    }

    @Test
    void scanModeListsEveryMatchingKeyOnce() throws Exception {
        StringBuilder script = new StringBuilder("SELECT 14\nFLUSHDB\n");
        for (int i = 0; i < 300; i++) {
            script.append("SET user:").append(i).append(" x\nSET other:").append(i).append(" y\n");
        }
        run(script.toString().getBytes(StandardCharsets.UTF_8), "redis-cli");
        String output = run(new byte[0], "redis-cli", "-n", "14", "--scan", "--pattern", "user:*");
        List<String> keys = Arrays.asList(output.split("\n"));
        Set<String> distinct = new TreeSet<>(keys);
        assertEquals(300, keys.size(), "each key once");
        assertEquals(300, distinct.size());
        assertTrue(distinct.stream().allMatch(k -> k.startsWith("user:")), output);
    }

    @Test
    void repeatOptionRunsTheCommandNTimes() throws Exception {
        run(new byte[0], "redis-cli", "-n", "15", "DEL", "counter", "l");
        assertEquals("1\n2\n3\n4\n5\n", run(new byte[0], "redis-cli", "-n", "15", "-r", "5", "INCR", "counter"));
        assertEquals("1\n2\n", run(new byte[0], "redis-cli", "-n", "15", "-r", "2", "-i", "0.01", "RPUSH", "l", "x"));
    }

    /** --stat polls INFO forever; a second of it must print the header and rows of numbers, then it is stopped. */
    @Test
    void statModePrintsRowsFromInfo() throws Exception {
        Path binary = Binaries.require("redis-cli");
        Path lineBuffered = Binaries.require("stdbuf"); // into a pipe redis-cli's rows would die in its buffer
        Process process = new ProcessBuilder(lineBuffered.toString(), "-oL", binary.toString(), "-p",
                String.valueOf(server.port()), "--stat", "-i", "0.2")
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream out = process.getInputStream()) {
                out.transferTo(printed);
            } catch (IOException stopped) {
                // destroyed below: what was read so far is the output
            }
        });
        Thread.sleep(1200);
        process.destroy();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        reader.join();
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("------- data ------ --------------------- load -------------------- - child -"), output);
        assertTrue(output.contains("keys       mem      clients blocked requests            connections"), output);
        List<String> rows = output.lines().filter(l -> l.matches("\\d+\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+ \\(\\+\\d+\\)\\s+\\d+\\s*")).toList();
        assertTrue(rows.size() >= 2, "rows of numbers:\n" + output);
        assertFalse(output.contains("ERR"), output);
    }

    /** redis-benchmark's list, set, hash and sorted-set tests (the string ones are in RedisToolsTest). */
    @Test
    void redisBenchmarkCompletesTheCollectionTests() throws Exception {
        String output = run(new byte[0], "redis-benchmark", "-q", "-n", "2000", "-c", "10",
                "-t", "lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange");
        for (String test : List.of("LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN",
                "LRANGE_100 (first 100 elements)", "LRANGE_600 (first 600 elements)")) {
            assertTrue(output.contains(test + ": "), test + " missing from:\n" + output);
        }
        assertFalse(output.toLowerCase().contains("error"), output);
    }
}
