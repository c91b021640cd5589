// redis-cli and redis-benchmark, the tools from redis-tools, against our server.
package io.port6379.server;

import io.port6379.testing.Binaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisToolsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static String run(String tool, String... args) throws Exception {
        Path binary = Binaries.require(tool);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-p", String.valueOf(server.port())));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), tool + " did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** Without a terminal, redis-cli prints raw replies; these are what it prints for a real Redis 7.0.15. */
    @Test
    void redisCliPrintsRepliesAsForRedis() throws Exception {
        assertEquals("OK\n", run("redis-cli", "-n", "6", "SET", "greeting", "hello world"));
        assertEquals("hello world\n", run("redis-cli", "-n", "6", "GET", "greeting"));
        assertEquals("1\n", run("redis-cli", "-n", "6", "EXISTS", "greeting"));
        assertEquals("\n", run("redis-cli", "-n", "6", "GET", "nothing"));
        assertEquals("ERR wrong number of arguments for 'get' command\n\n", run("redis-cli", "-n", "6", "GET"));
        assertEquals("hz\n10\n", run("redis-cli", "CONFIG", "GET", "hz"));
    }

    @Test
    void redisCliInResp3ModeReadsMaps() throws Exception {
        assertEquals("\n", run("redis-cli", "-3", "GET", "nothing"));
        assertEquals("hz 10\n", run("redis-cli", "-3", "CONFIG", "GET", "hz"));
    }

    // tag::benchmark[]
    /** The default redis-benchmark tests this server implements so far must all complete without errors. */
    @Test
    void redisBenchmarkCompletesTheImplementedDefaultTests() throws Exception {
        String output = run("redis-benchmark", "-q", "-n", "10000", "-c", "20", "-t", "ping,set,get,incr,mset");
        for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)")) {
            assertTrue(output.contains(test + ": "), test + " missing from:\n" + output);
        }
        assertFalse(output.toLowerCase().contains("error"), output);
    }
    // end::benchmark[]
}
