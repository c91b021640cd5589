// MONITOR's and SLOWLOG's view of scripts, passwords and blocking commands, against both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator watching MONITOR or reading SLOWLOG sees, as Redis's {@code call()} shows it: EVAL and FCALL
 * before the commands their script runs (those marked {@code lua} instead of an address), every password replaced
 * by {@code (redacted)} even when the command fails, and a blocking command logged as it was sent, once it is
 * served. Each sequence runs on both servers; the lines must be equal once times, addresses and ids are masked.
 */
class MonitorAndSlowLogTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static final String FUNCTION = "#!lua name=monitored\n"
            + "redis.register_function('monitored', function() return redis.call('set', 'foo', 'bar') end)";

    @Test
    void monitorShowsAScriptsCommandsAfterItsEvalOrFcallMarkedLua() throws IOException {
        List<List<String>> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port); RespConnection monitor = new RespConnection(port)) {
                c.call("FUNCTION", "LOAD", "REPLACE", FUNCTION);
                assertEquals("+OK\r\n", monitor.call("MONITOR"));
                c.call("EVAL", "redis.call('set', KEYS[1], ARGV[1])", "1", "foo", "bar");
                c.call("FCALL", "monitored", "0");
                c.call("EVALSHA", "0000000000000000000000000000000000000000", "0");
                c.call("SELECT", "3");
                c.call("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "foo");
                List<String> lines = untilPing(c, monitor);
                assertEquals(List.of(
                        "[0 ADDR] \"EVAL\" \"redis.call('set', KEYS[1], ARGV[1])\" \"1\" \"foo\" \"bar\"",
                        "[0 lua] \"set\" \"foo\" \"bar\"",
                        "[0 ADDR] \"FCALL\" \"monitored\" \"0\"",
                        "[0 lua] \"set\" \"foo\" \"bar\"",
                        "[0 ADDR] \"EVALSHA\" \"0000000000000000000000000000000000000000\" \"0\"",
                        "[3 ADDR] \"SELECT\" \"3\"", // the database after the command, as Redis's call()
                        "[3 ADDR] \"EVAL_RO\" \"return redis.call('get', KEYS[1])\" \"1\" \"foo\"",
                        "[3 lua] \"get\" \"foo\"",
                        "[3 ADDR] \"PING\""), lines, "port " + port);
                seen.add(lines);
            }
        }
        assertEquals(seen.get(0), seen.get(1));
    }

    @Test
    void monitorNeverShowsAPasswordEvenOfAFailedAuth() throws IOException {
        List<List<String>> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port); RespConnection monitor = new RespConnection(port)) {
                assertEquals("+OK\r\n", monitor.call("MONITOR"));
                c.call("AUTH", "not-real");
                c.call("AUTH", "not-real", "not-a-password");
                c.call("HELLO", "2", "AUTH", "not-real", "not-a-password");
                c.call("MIGRATE", "127.0.0.1", "1", "absent", "0", "5000", "AUTH", "pw");
                c.call("MIGRATE", "127.0.0.1", "1", "absent", "0", "5000", "AUTH2", "user", "pw");
                List<String> lines = untilPing(c, monitor);
                assertEquals(List.of(
                        "[0 ADDR] \"AUTH\" \"(redacted)\"",
                        "[0 ADDR] \"AUTH\" \"(redacted)\" \"(redacted)\"",
                        "[0 ADDR] \"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"",
                        "[0 ADDR] \"MIGRATE\" \"127.0.0.1\" \"1\" \"absent\" \"0\" \"5000\" \"AUTH\" \"(redacted)\"",
                        "[0 ADDR] \"MIGRATE\" \"127.0.0.1\" \"1\" \"absent\" \"0\" \"5000\" \"AUTH2\" \"(redacted)\" \"(redacted)\"",
                        "[0 ADDR] \"PING\""), lines, "port " + port);
                seen.add(lines);
            }
        }
        assertEquals(seen.get(0), seen.get(1));
    }

    @Test
    void slowLogRedactsTheValuesOfPasswordParametersInConfigSet() throws IOException {
        List<List<Object>> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
                c.call("SLOWLOG", "RESET");
                c.call("CONFIG", "SET", "masterauth", "");
                c.call("CONFIG", "SET", "MASTERUSER", "someone", "masterauth", "secret");
                c.call("CONFIG", "SET", "no-such-parameter", "1", "masterauth", "secret", "requirepass", "secret");
                c.call("CONFIG", "SET", "masteruser", "", "masterauth", "");
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
                List<Object> logged = loggedCommands(c);
                assertEquals(List.of(
                        List.of("CONFIG", "SET", "masteruser", "(redacted)", "masterauth", "(redacted)"),
                        List.of("CONFIG", "SET", "no-such-parameter", "1", "masterauth", "(redacted)",
                                "requirepass", "(redacted)"),
                        List.of("CONFIG", "SET", "MASTERUSER", "(redacted)", "masterauth", "(redacted)"),
                        List.of("CONFIG", "SET", "masterauth", "(redacted)"),
                        List.of("SLOWLOG", "RESET")), logged, "port " + port);
                assertEquals("", ((List<?>) c.callParsed("CONFIG", "GET", "masterauth")).get(1));
                seen.add(logged);
            }
        }
        assertEquals(seen.get(0), seen.get(1));
    }

    @Test
    void aServedBlockingCommandIsLoggedAsSentWhenItIsServed() throws Exception {
        List<List<Object>> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port); RespConnection blocked = new RespConnection(port)) {
                c.call("DEL", "l");
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
                blocked.send("BLPOP", "l", "0");
                awaitBlocked(c, 1);
                c.call("MULTI");
                c.call("LPUSH", "l", "foo");
                c.call("SLOWLOG", "RESET");
                c.call("EXEC");
                assertEquals("*2\r\n$1\r\nl\r\n$3\r\nfoo\r\n", blocked.readReply());
                List<Object> served = loggedCommands(c);
                assertEquals(List.of(List.of("BLPOP", "l", "0"), List.of("SLOWLOG", "RESET")), served, "port " + port);

                c.call("SLOWLOG", "RESET");
                assertEquals("*-1\r\n", blocked.call("BLPOP", "l", "0.05")); // a timeout is not logged
                String id = blocked.call("CLIENT", "ID").substring(1).trim();
                blocked.send("BZPOPMIN", "z", "0");
                awaitBlocked(c, 1);
                assertEquals(":1\r\n", c.call("CLIENT", "UNBLOCK", id));
                assertEquals("*-1\r\n", blocked.readReply());
                List<Object> unblocked = loggedCommands(c);
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
                assertEquals(List.of(List.of("CLIENT", "UNBLOCK", "ID"),
                        List.of(), List.of("CLIENT", "ID"), List.of("SLOWLOG", "RESET")), // Redis 7.0 logs no command
                        unblocked.stream().map(e -> maskId((List<?>) e, id)).toList(), "port " + port);
                seen.add(served);
            }
        }
        assertEquals(seen.get(0), seen.get(1));
    }

    /** SLOWLOG GET -1's commands, newest first, without the INFO calls that waited for a client to block. */
    private static List<Object> loggedCommands(RespConnection c) throws IOException {
        List<Object> commands = new ArrayList<>();
        for (Object entry : (List<?>) c.callParsed("SLOWLOG", "GET", "-1")) {
            List<?> command = (List<?>) ((List<?>) entry).get(3);
            if (command.isEmpty() || !command.getFirst().equals("INFO")) {
                commands.add(command);
            }
        }
        return commands;
    }

    private static List<?> maskId(List<?> command, String id) {
        return command.stream().map(arg -> arg.equals(id) ? "ID" : arg).toList();
    }

    /** Sends PING as an end mark, then reads MONITOR's lines up to it, time and client address masked. */
    private static List<String> untilPing(RespConnection c, RespConnection monitor) throws IOException {
        c.call("PING");
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = monitor.readReply();
            assertTrue(line.matches("\\+\\d+\\.\\d{6} \\[\\d+ [^\\]]+\\] .*\r\n"), line);
            lines.add(line.substring(line.indexOf(' ') + 1, line.length() - 2)
                    .replaceFirst("^\\[(\\d+) (?!lua\\])[^\\]]+\\]", "[$1 ADDR]"));
        } while (!line.endsWith("\"PING\"\r\n"));
        return lines;
    }

    private static void awaitBlocked(RespConnection c, int count) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (c.call("INFO", "clients").contains("\r\nblocked_clients:" + count + "\r\n")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no client blocked");
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
