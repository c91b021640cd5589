// How the errors of scripts count in INFO errorstats, total_error_replies and commandstats, on both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis counts an error where it arises, once: a command a script runs that fails (SELECT 99) or is refused
 * (SET under OOM, a write from EVAL_RO, an unknown command) counts its error, and the script's reply that carries
 * that error again counts only a failed call of EVAL. An error the script makes itself ({@code redis.error_reply},
 * an {@code {err=...}} table, a run-time error) counts by its code, as a command's error would. Each case starts
 * from CONFIG RESETSTAT and compares the reply, the error codes, {@code total_error_replies} and the calls,
 * rejected and failed calls of every command with redis-server's (Redis's "Consistent eval error reporting").
 */
class ScriptErrorStatsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static final Pattern CMDSTAT = Pattern.compile(
            "(cmdstat_[^:]+):calls=(\\d+),usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=(\\d+),failed_calls=(\\d+)");

    /** The cases, each a command line; a line starting with {@code !} is set-up, run without looking. */
    private static final List<String[]> CASES = List.of(
            new String[]{"!", "CONFIG", "SET", "maxmemory", "1"},
            new String[]{"EVAL", "return redis.call('set','x','y')", "1", "x"},
            new String[]{"EVAL", "local t = redis.pcall('set','x','y') return t['err']", "1", "x"},
            new String[]{"EVAL", "return redis.pcall('set','x','y')", "1", "x"},
            new String[]{"EVAL", "return {redis.pcall('set','x','y'), redis.pcall('set','x','y')}", "1", "x"},
            new String[]{"!", "CONFIG", "SET", "maxmemory", "0"},
            new String[]{"EVAL", "return redis.call('select',99)", "0"},
            new String[]{"EVAL", "local t = redis.pcall('select',99) return t['err']", "0"},
            new String[]{"EVAL", "return {redis.pcall('select',99), redis.pcall('select',98)}", "0"},
            new String[]{"EVAL", "return {redis.error_reply('A b'), redis.error_reply('B c')}", "0"},
            new String[]{"EVAL", "return {redis.error_reply('A b'), redis.pcall('select',98)}", "0"},
            new String[]{"EVAL", "return redis.error_reply('MY_ERR_CODE custom msg')", "0"},
            new String[]{"EVAL", "return redis.error_reply('')", "0"},
            new String[]{"EVAL", "return redis.error_reply('-NOCODE')", "0"},
            new String[]{"EVAL", "return {err='CODEWITHTHIRTYONECHARACTERSXXXX y'}", "0"},
            new String[]{"EVAL", "return {err='CODEWITHTHIRTYTWOCHARACTERSXXXXX y'}", "0"},
            new String[]{"EVAL", "return {err='x', ignore_error_stats_update=true}", "0"},
            new String[]{"EVAL", "return {1, {err='X y'}, {redis.pcall('get')}}", "0"},
            new String[]{"EVAL", "return redis.status_reply('MY_OK_CODE custom msg')", "0"},
            new String[]{"EVAL", "return redis.call('nosuch')", "0"},
            new String[]{"EVAL", "return redis.call('get')", "0"},
            new String[]{"EVAL", "return redis.call({})", "0"},
            new String[]{"EVAL", "return redis.call()", "0"},
            new String[]{"EVAL", "return redis.call('ping', 'a', 'b')", "0"},
            new String[]{"EVAL", "return foo", "0"},
            new String[]{"EVAL", "error('x')", "0"},
            new String[]{"EVAL", "error({err='MINE y'})", "0"},
            new String[]{"EVAL", "error(redis.pcall('select', 99))", "0"},
            new String[]{"EVAL", "local ok, e = pcall(redis.call, 'select', 99) return e", "0"},
            new String[]{"EVAL", "local t = redis.pcall('select', 99) local r = {} for k, v in pairs(t) do "
                    + "r[#r + 1] = k .. '=' .. tostring(v) end table.sort(r) return r", "0"},
            new String[]{"EVAL_RO", "return redis.call('set','x','y')", "1", "x"},
            new String[]{"EVAL_RO", "local t = redis.pcall('set','x','y') return t['err']", "1", "x"},
            new String[]{"EVAL", "return redis.call('config', 'nosuch')", "0"},
            new String[]{"EVAL", "return redis.call('multi')", "0"},
            new String[]{"!", "SET", "Sicily", "1"},
            new String[]{"EVAL", "return redis.call('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo')", "1", "x"},
            new String[]{"EVALSHA", "0000000000000000000000000000000000000000", "0"},
            new String[]{"EVAL", "return 'x' +", "0"},
            new String[]{"!", "FUNCTION", "LOAD", "REPLACE", "#!lua name=errs\n"
                    + "redis.register_function('fails', function() return redis.call('select', 99) end)\n"
                    + "redis.register_function('custom', function() return redis.error_reply('FN_CODE msg') end)\n"
                    + "redis.register_function('caught', function() return redis.pcall('select', 99) end)\n"
                    + "redis.register_function{function_name='ro', callback=function() return redis.call('set', 'x', 'y') end,"
                    + " flags={'no-writes'}}"},
            new String[]{"FCALL", "fails", "0"},
            new String[]{"FCALL", "custom", "0"},
            new String[]{"FCALL", "caught", "0"},
            new String[]{"FCALL_RO", "ro", "1", "x"},
            new String[]{"FCALL", "nosuch", "0"});

    @Test
    void scriptErrorsCountOnceWhereTheyAriseAsInRedis() throws Exception {
        List<String> ours = answers(servers.ours().port());
        List<String> redis = answers(servers.redis().port());
        for (int i = 0; i < redis.size(); i++) {
            assertEquals(redis.get(i), ours.get(i));
        }
        assertEquals(redis.size(), ours.size());
    }

    @Test
    void errorReplyCountsItsOwnCode() throws Exception {
        try (RespConnection c = new RespConnection(servers.ours().port())) {
            c.call("CONFIG", "RESETSTAT");
            assertEquals("-MY_ERR_CODE custom msg\r\n", c.call("EVAL", "return redis.error_reply('MY_ERR_CODE custom msg')", "0"));
            assertEquals("errorstat_MY_ERR_CODE:count=1", line(c.call("INFO", "errorstats"), "errorstat_MY_ERR_CODE:[^\r]*"));
        }
    }

    private static List<String> answers(int port) throws IOException {
        List<String> lines = new ArrayList<>();
        try (RespConnection c = new RespConnection(port)) {
            c.call("FLUSHALL");
            c.call("FUNCTION", "FLUSH");
            for (String[] command : CASES) {
                if (command[0].equals("!")) {
                    c.call(java.util.Arrays.copyOfRange(command, 1, command.length));
                    continue;
                }
                c.call("CONFIG", "RESETSTAT");
                String reply = c.call(command);
                StringBuilder seen = new StringBuilder(String.join(" ", command)).append(" -> ").append(reply.strip());
                List<String> codes = new ArrayList<>(c.call("INFO", "errorstats").lines()
                        .filter(l -> l.startsWith("errorstat_")).toList());
                seen.append(" | ").append(String.join(" ", codes));
                seen.append(" | ").append(line(c.call("INFO", "stats"), "total_error_replies:[^\r]*"));
                List<String> calls = new ArrayList<>();
                Matcher m = CMDSTAT.matcher(c.call("INFO", "commandstats"));
                while (m.find()) {
                    if (!m.group(1).equals("cmdstat_config|resetstat") && !m.group(1).equals("cmdstat_info")) {
                        calls.add(m.group(1) + " " + m.group(2) + "/" + m.group(3) + "/" + m.group(4));
                    }
                }
                calls.sort(null);
                seen.append(" | ").append(String.join(" ", calls));
                lines.add(seen.toString());
            }
        }
        return lines;
    }

    private static String line(String info, String regex) {
        Matcher m = Pattern.compile(regex).matcher(info);
        return m.find() ? m.group() : "no " + regex;
    }
}
