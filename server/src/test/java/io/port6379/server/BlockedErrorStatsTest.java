// A blocked command that ends in an error is a failed call like any other: INFO's error and command statistics.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's own test "XGROUP DESTROY should unblock XREADGROUP with -NOGROUP" (tests/unit/type/stream-cgroups.tcl),
 * run on both servers: the woken reader's error is counted in {@code errorstat_NOGROUP}, in the command's
 * {@code failed_calls} and in {@code total_error_replies}, as if the command had failed when it was sent.
 */
class BlockedErrorStatsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void aReaderWokenByXgroupDestroyCountsItsNogroupError() throws Exception {
        List<String> ours = answers(servers.ours().port());
        assertEquals(answers(servers.redis().port()), ours);
        assertEquals(List.of("-NOGROUP the consumer group this client was blocked on no longer exists",
                "errorstat_NOGROUP:count=1", "cmdstat_xreadgroup calls=1 rejected_calls=0 failed_calls=1",
                "total_error_replies:1"), ours);
    }

    private static List<String> answers(int port) throws Exception {
        List<String> lines = new ArrayList<>();
        try (RespConnection admin = new RespConnection(port); RespConnection reader = new RespConnection(port)) {
            admin.timeout(5_000);
            reader.timeout(5_000);
            admin.call("CONFIG", "RESETSTAT");
            admin.call("DEL", "mystream");
            admin.call("XGROUP", "CREATE", "mystream", "mygroup", "$", "MKSTREAM");
            reader.send("XREADGROUP", "GROUP", "mygroup", "Alice", "BLOCK", "0", "STREAMS", "mystream", ">");
            long deadline = System.currentTimeMillis() + 5_000;
            while (!admin.call("INFO", "clients").contains("blocked_clients:1")) {
                assertTrue(System.currentTimeMillis() < deadline, "the reader blocks");
                Thread.sleep(10);
            }
            admin.call("XGROUP", "DESTROY", "mystream", "mygroup");
            lines.add(reader.readReply().strip());
            lines.add(line(admin.call("INFO", "errorstats"), "errorstat_NOGROUP:[^\r]*"));
            Matcher calls = Pattern.compile("cmdstat_xreadgroup:calls=(\\d+),.*rejected_calls=(\\d+),failed_calls=(\\d+)")
                    .matcher(admin.call("INFO", "commandstats"));
            lines.add(calls.find() ? "cmdstat_xreadgroup calls=" + calls.group(1) + " rejected_calls=" + calls.group(2)
                    + " failed_calls=" + calls.group(3) : "no cmdstat_xreadgroup");
            lines.add(line(admin.call("INFO", "stats"), "total_error_replies:[^\r]*"));
        }
        return lines;
    }

    private static String line(String info, String regex) {
        Matcher m = Pattern.compile(regex).matcher(info);
        return m.find() ? m.group() : "no " + regex;
    }
}
