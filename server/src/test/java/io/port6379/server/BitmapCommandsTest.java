// The bit commands over the socket, ours against redis-server, in the order of Bitmaps' skeleton (stage 17).
package io.port6379.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

/**
 * What {@code Bitmaps} does, seen as a client sees it: each test sends its commands to a real redis-server and to
 * ours, on one connection each after FLUSHALL, and every reply must be the same bytes (the lines are written as
 * {@link CompatibilityTest}'s scripts are). The properties of {@code BitmapsProperties} compare the class with a
 * model; these compare the commands built on it with Redis itself, edges included: bits past the end, negative
 * ranges, BITPOS's rule for a 0 past the end, sources of different lengths, every OVERFLOW mode.
 */
class BitmapCommandsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    private static void sameRepliesAsRedis(String name, String... lines) throws IOException {
        CompatibilityTest.runLines(servers, name, List.of(lines));
    }

    @Test
    void bitZeroIsTheMostSignificantBitOfTheFirstByteAndMissingBitsReadZero() throws IOException {
        sameRepliesAsRedis("bit order", "setbit b 0 1", "get b", "getbit b 0", "getbit b 1", "getbit b 7",
                "getbit b 8", "getbit b 100000", "getbit missing 5", "set s \"\\x0f\\xf0\"", "getbit s 3", "getbit s 4",
                "getbit s 11", "getbit s 12", "bitfield_ro s get u4 4", "bitfield_ro s get i8 4", "bitfield_ro s get u16 0",
                "bitfield_ro s get i3 100", "bitfield_ro missing get u8 0", "bitfield_ro s get u63 0");
    }

    @Test
    void setbitAndBitfieldGrowTheStringWithZeroBytesAndKeepItsExpiry() throws IOException {
        sameRepliesAsRedis("writes", "set t a", "expire t 1000", "setbit t 20 1", "get t", "strlen t", "ttl t",
                "object encoding t", "setbit t 20 1", "setbit t 20 0", "get t", "bitfield u set u8 16 255", "get u",
                "bitfield v overflow fail incrby u2 30 7", "strlen v", "get v", "setbit n 7 1", "object encoding n",
                "rpush l a", "setbit l 0 1", "bitfield l get u8 0", "setbit b 0 2", "setbit b -1 1",
                "setbit b 4294967296 1", "set i 12", "setbit i 0 1", "get i", "bitfield w set u8 0 65 set u8 8 66", "get w");
    }

    @Test
    void bitcountAndBitposCountAWordAtATimeOverByteAndBitRanges() throws IOException {
        sameRepliesAsRedis("counting", "set c foobar", "bitcount c", "bitcount c 0 0", "bitcount c 1 1",
                "bitcount c -2 -1", "bitcount c 5 30 bit", "bitcount c -7 -1 bit", "bitcount c 4 2", "bitcount c 0 100",
                "bitcount missing", "set w \"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\"",
                "bitcount w", "bitcount w 1 -1", "bitcount w 3 70 bit", "bitpos w 1", "bitpos w 0", "bitpos w 1 10",
                "bitpos w 0 10", "bitpos w 0 10 -1", "bitpos w 1 0 -1 bit", "bitpos w 0 79 150 bit", "bitpos w 1 80 85 bit",
                "set z \"\\xff\\xff\\xff\"", "bitpos z 0", "bitpos z 0 0", "bitpos z 0 0 -1", "bitpos z 1 2 -1 bit",
                "bitpos z 0 3 10 bit", "bitpos missing 0", "bitpos missing 1", "set e \"\"", "bitpos e 0", "bitcount e");
    }

    @Test
    void bitopCombinesSourcesOfDifferentLengthsAsIfPaddedWithZeros() throws IOException {
        sameRepliesAsRedis("bitop", "set a1 \"\\xff\\x0f\\xaa\\x55\\xff\\xff\\xff\\xff\\xff\\x01\"", "set a2 \"\\xf0\"",
                "bitop and d a1 a2", "get d", "bitop or d a1 a2", "get d", "bitop xor d a1 a2 missing", "get d",
                "bitop and d a1 missing", "get d", "bitop not d a1", "get d", "bitop not d a1 a2", "bitop and d missing",
                "exists d", "bitop or d a2", "get d", "rpush l x", "bitop and d a1 l");
    }

    @Test
    void bitfieldArithmeticWrapsSaturatesOrFailsWithinItsBits() throws IOException {
        sameRepliesAsRedis("bitfield", "bitfield f set i8 0 100", "bitfield f incrby i8 0 100",
                "bitfield f overflow sat incrby i8 0 100", "bitfield f overflow sat incrby i8 0 -300",
                "bitfield f overflow fail incrby i8 0 -100", "bitfield f get i8 0", "bitfield f overflow sat incrby u4 8 -20",
                "bitfield f overflow wrap incrby u4 8 20", "bitfield f overflow fail incrby u4 8 20",
                "bitfield f set u63 16 9223372036854775807", "bitfield f overflow wrap incrby u63 16 1",
                "bitfield f set i64 100 -9223372036854775808", "bitfield f overflow sat incrby i64 100 -1",
                "bitfield f overflow wrap incrby i64 100 -1", "bitfield f get u16 0", "bitfield f set #1 8 7",
                "bitfield f get u8 #1", "bitfield f get u64 0", "bitfield f incrby i8 0", "get f");
    }
}
