// While a script is busy: the commands flagged allow_busy run, the others are refused, and INFO counts it as Redis.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's processCommand keeps judging commands between a busy script's hooks: those flagged {@code allow_busy}
 * (AUTH, HELLO, RESET, QUIT, WATCH, UNWATCH, MULTI, DISCARD, REPLCONF, SCRIPT KILL, FUNCTION KILL, FUNCTION STATS,
 * SHUTDOWN) run, the rest get BUSY, counted as a rejected call of the command, in {@code errorstat_BUSY} and in
 * {@code total_error_replies}. SHUTDOWN without NOSAVE and FUNCTION STATS during an EVAL run and fail with BUSY
 * themselves. The script's own error reply (killed, raised or returned) is counted as Redis's afterErrorReply counts
 * it, once. Every reply and every counter is compared with Redis's.
 */
class BusyScriptAllowedCommandsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--busy-reply-threshold", "10");

    @Test
    void theAllowBusyCommandsRunWhileAScriptIsBusy() throws Exception {
        List<String> redis = duringEval(servers.redis().port());
        assertEquals(redis, duringEval(servers.ours().port()));
        assertTrue(redis.contains("RESET -> +RESET\r\n"), redis.toString());
    }

    @Test
    void aBusyFunctionIsShownByFunctionStatsAndStoppedByFunctionKillOnly() throws Exception {
        List<String> redis = duringFcall(servers.redis().port());
        assertEquals(redis, duringFcall(servers.ours().port()));
        assertTrue(redis.get(1).contains("running_script"), redis.toString());
    }

    @Test
    void scriptErrorsAreCountedOnceAsRedisCountsThem() throws Exception {
        List<String> redis = scriptErrors(servers.redis().port());
        assertEquals(redis, scriptErrors(servers.ours().port()));
    }

    private static final String[] DURING_EVAL = {
        "PING", "WATCH k", "UNWATCH", "MULTI", "GET k", "WATCH k", "AUTH foo", "EXEC", "HELLO 2", "HELLO 3 SETNAME x",
        "CLIENT GETNAME", "AUTH default nopass", "RESET", "REPLCONF listening-port 1", "FUNCTION STATS", "SHUTDOWN",
        "SCRIPT KILL x", "NOSUCH", "GET", "FUNCTION KILL", "QUIT"};

    /** Each command of {@link #DURING_EVAL} while an EVAL loops, then SCRIPT KILL, and what INFO counted. */
    private static List<String> duringEval(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RespConnection admin = new RespConnection(port); RespConnection looper = new RespConnection(port);
             RespConnection c = new RespConnection(port)) {
            admin.call("SET", "k", "v");
            admin.call("CONFIG", "RESETSTAT");
            startBusy(admin, looper, "EVAL", "while true do end", "0");
            for (String command : DURING_EVAL) {
                replies.add(command + " -> " + c.call(command.split(" ")).replaceAll(":\\d+\r\n\\$4\r\nmode", ":ID\r\n\\$4\r\nmode"));
            }
            replies.add(admin.call("SCRIPT", "KILL"));
            replies.add(looper.readReply());
            replies.add(admin.call("INFO", "errorstats"));
            replies.add(stat(admin, "total_error_replies", "stats"));
            for (String command : List.of("ping", "get", "exec", "eval", "client|getname", "shutdown", "function|stats",
                    "watch", "auth", "hello", "reset", "script|kill", "function|kill", "quit")) {
                replies.add(stat(admin, "cmdstat_" + command, "commandstats").replaceAll("usec=\\d+,usec_per_call=[\\d.]+,", ""));
            }
        }
        return replies;
    }

    /** FUNCTION STATS, SCRIPT KILL, then FUNCTION KILL while a function loops. */
    private static List<String> duringFcall(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RespConnection admin = new RespConnection(port); RespConnection looper = new RespConnection(port)) {
            admin.call("FUNCTION", "LOAD", "REPLACE",
                    "#!lua name=busylib\nredis.register_function('spin', function() while true do end end)");
            startBusy(admin, looper, "FCALL", "spin", "0");
            replies.add(admin.call("PING"));
            replies.add(admin.call("FUNCTION", "STATS").replaceAll("duration_ms\r\n:\\d+", "duration_ms\r\n:N"));
            replies.add(admin.call("SCRIPT", "KILL"));
            replies.add(admin.call("FUNCTION", "KILL"));
            replies.add(looper.readReply());
            replies.add(admin.call("FUNCTION", "KILL"));
            admin.call("FUNCTION", "DELETE", "busylib");
        }
        return replies;
    }

    /** Errors raised, returned and refused inside scripts, then the counters. */
    private static List<String> scriptErrors(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RespConnection c = new RespConnection(port)) {
            c.call("DEL", "x");
            c.call("CONFIG", "RESETSTAT");
            for (String script : List.of("error('x')", "return redis.error_reply('MY err')", "return redis.call('nosuch')",
                    "return redis.pcall('nosuch')", "return redis.call('incr', 'x', 'y')", "return redis.call('lpush', 'x', 'y')",
                    "return redis.call('incr', 'x')", "return {1, redis.pcall('incr', 'x')}")) {
                replies.add(c.call("EVAL", script, "0"));
            }
            replies.add(c.call("INFO", "errorstats"));
            replies.add(stat(c, "total_error_replies", "stats"));
            for (String command : List.of("eval", "incr", "lpush")) {
                replies.add(stat(c, "cmdstat_" + command, "commandstats").replaceAll("usec=\\d+,usec_per_call=[\\d.]+,", ""));
            }
            c.call("DEL", "x");
        }
        return replies;
    }

    /** Starts the endless script or function on {@code looper} and waits until {@code admin} is answered BUSY. */
    private static void startBusy(RespConnection admin, RespConnection looper, String... command) throws Exception {
        looper.send(command);
        String reply = "";
        for (int i = 0; i < 1000 && !reply.startsWith("-BUSY"); i++) {
            Thread.sleep(10);
            reply = admin.call("TIME");
        }
        assertTrue(reply.startsWith("-BUSY"), reply);
    }

    /** The line of INFO {@code section} that starts with {@code field}, or a line saying it is missing. */
    private static String stat(RespConnection c, String field, String section) throws Exception {
        return Arrays.stream(c.call("INFO", section).split("\r\n")).filter(line -> line.startsWith(field + ":"))
                .findFirst().orElse(field + " missing");
    }
}
