// CLIENT LIST's rbs and rbp follow Redis's reply-buffer cron: an idle client's buffer shrinks, a busy one's grows.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis's clientsCronResizeOutputBuffer, as its own {@code unit/replybufsize} checks it: with
 * {@code DEBUG REPLYBUFFER PEAK-RESET-TIME 100} an idle client's reply buffer ({@code rbs}) goes down to 1 KB; a
 * client that keeps reading a 32 KB value fills it on each reply ({@code rbp} = {@code rbs}), so that the cron
 * doubles it up to 16 KB and no further; {@code RESIZING 0} stops the cron, and NEVER keeps the peak. Each state
 * is awaited on both servers (the cron runs ten times a second) and compared.
 */
class ReplyBufferTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @Test
    void theReplyBufferShrinksWhenIdleAndGrowsWhenFilledAsRedisResizesIt() throws Exception {
        List<String> redis = resizes(servers.redis().port());
        assertEquals(redis, resizes(servers.ours().port()));
        assertEquals(List.of("+OK\r\n", "rbs=1024", "rbs=16384 rbp=16384", "+OK\r\n", "rbs=16384 rbp=16384",
                "+OK\r\n", "+OK\r\n", "rbs=1024", "+OK\r\n",
                "-ERR unknown subcommand or wrong number of arguments for 'REPLYBUFFER'. Try DEBUG HELP.\r\n"), redis);
    }

    private static List<String> resizes(int port) throws Exception {
        List<String> states = new ArrayList<>();
        try (RespConnection admin = new RespConnection(port); RespConnection c = new RespConnection(port)) {
            c.call("CLIENT", "SETNAME", "sized");
            admin.call("SET", "bigval", "x".repeat(32768));
            states.add(admin.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "100"));
            states.add(await(admin, null, rbs -> rbs[0] == 1024) ? "rbs=1024" : "idle: " + bufferOf(admin));
            admin.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never");
            boolean grown = await(admin, c, rbs -> rbs[0] == 16384 && rbs[1] == 16384);
            states.add(grown ? "rbs=16384 rbp=16384" : "busy: " + bufferOf(admin));
            states.add(admin.call("DEBUG", "REPLYBUFFER", "RESIZING", "0"));
            admin.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "100");
            Thread.sleep(500); // five cron runs, none of which may resize
            long[] kept = bufferOf(admin);
            states.add("rbs=" + kept[0] + " rbp=" + kept[1]);
            states.add(admin.call("DEBUG", "REPLYBUFFER", "RESIZING", "1"));
            states.add(admin.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "reset"));
            admin.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "100");
            states.add(await(admin, null, rbs -> rbs[0] == 1024) ? "rbs=1024" : "idle again: " + bufferOf(admin));
            states.add(admin.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "reset"));
            states.add(admin.call("DEBUG", "REPLYBUFFER", "x"));
            admin.call("DEL", "bigval");
        }
        return states;
    }

    /** Polls (up to 5 s) until the named client's {rbs, rbp} satisfy {@code done}; {@code reader} reads the value meanwhile. */
    private static boolean await(RespConnection admin, RespConnection reader, Predicate<long[]> done) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (reader != null) {
                reader.call("GET", "bigval");
            }
            if (done.test(bufferOf(admin))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static final Pattern FIELDS = Pattern.compile("name=sized .* rbs=(\\d+) rbp=(\\d+)");

    private static long[] bufferOf(RespConnection admin) throws Exception {
        Matcher m = FIELDS.matcher(admin.call("CLIENT", "LIST"));
        if (!m.find()) {
            throw new AssertionError("no client named sized");
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
}
