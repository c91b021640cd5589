// Stream entry IDs over the socket, ours against redis-server, in the order of StreamId's skeleton (stage 18).
package io.port6379.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

/**
 * What {@code StreamId} decides, seen as a client sees it: the order of IDs, the one after and before an ID (the
 * exclusive ranges of XRANGE), the text of IDs past 2^63, and the parser of every ID argument with its errors. Each
 * test sends its commands to a real redis-server and to ours, and every reply must be the same bytes (written as
 * {@link CompatibilityTest}'s scripts are).
 */
class StreamIdCommandsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static void sameRepliesAsRedis(String name, String... lines) throws IOException {
        CompatibilityTest.runLines(servers, name, List.of(lines));
    }

    @Test
    void idsOrderAsUnsignedNumbersMillisecondsFirst() throws IOException {
        sameRepliesAsRedis("order", "xadd s 1-1 f a", "xadd s 1-1 f b", "xadd s 1-0 f b", "xadd s 0-5 f b",
                "xadd s 9223372036854775807-3 f c", "xadd s 9223372036854775808-0 f d", "xadd s 9223372036854775807-9 f e",
                "xadd s 18446744073709551615-0 f g", "xadd s 5-0 f h", "xrange s - +", "xrevrange s + - count 2",
                "xrange s 9223372036854775808 +", "xlen s");
    }

    @Test
    void theNextIdAfterTheLastSequenceIsTheNextMillisecondAndNoneFollowsTheMaximum() throws IOException {
        sameRepliesAsRedis("next and previous", "xadd s 1-18446744073709551615 f a", "xadd s 2-0 f b", "xadd s 2-1 f c",
                "xrange s (1-18446744073709551615 +", "xrange s (1-18446744073709551614 + count 1",
                "xrevrange s (2-0 -", "xrevrange s (2-1 - count 1", "xrange s - (2-0", "xrange s (2-1 +",
                "xadd m 18446744073709551615-18446744073709551615 f v", "xadd m * f v",
                "xrange m (18446744073709551615-18446744073709551615 +", "xrange m - (0-0", "xrevrange m + (0-0",
                "xadd n 7-18446744073709551615 f v", "xadd n 7-* f v", "xrange n - +", "xadd n 0-* f v");
    }

    @Test
    void anIdReadsBackAsUnsignedMillisecondsDashSequence() throws IOException {
        sameRepliesAsRedis("text", "xadd t 18446744073709551615-0 f v", "xadd t 18446744073709551615-18446744073709551614 f v",
                "xrange t - + count 1", "xinfo stream t", "xadd u 12345678901234-9 f v", "xrevrange u + -",
                "xsetid u 12345678901234-10", "xinfo stream u");
    }

    @Test
    void parsingTakesMsAloneMsDashSeqAndStarWhereAllowedAndRefusesTheRest() throws IOException {
        String tooLong = "1".repeat(64) + "-" + "2".repeat(63);
        sameRepliesAsRedis("parse", "xadd p 5 f v", "xadd p 5 f v", "xadd p 5-* f v", "xadd p 6-* f v",
                "xadd p 0-0 f v", "xadd q 0-0 f v", "xadd q 0-* f v", "xadd p abc f v", "xadd p 7-x f v",
                "xadd p -5 f v", "xadd p 7- f v", "xadd p -7 f v", "xadd p 18446744073709551616-0 f v",
                "xadd p 8-18446744073709551616 f v", "xadd p + f v", "xadd p - f v", "xadd p 8-*1 f v",
                "xadd p \"9-1\\x00zz\" f v", "xadd p " + tooLong + " f v", "xadd p \" 10-1\" f v", "xadd p \"+11-1\" f v",
                "xrange p - +", "xrange p 5 5", "xrange p 6 6", "xrange p + -", "xrange p 5-* +", "xrange p 5 x",
                "xrange p (- +", "xrange p - (+", "xrange p \"5\\x006\" +", "xdel p 5 6-0 nothing", "xdel p 5-1",
                "xrange p - +");
    }
}
