// The RCmb codec's byte layout, field by field, and round trips of every message type.
package io.port6379.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.port6379.server.cluster.ClusterMessage.Empty;
import io.port6379.server.cluster.ClusterMessage.Fail;
import io.port6379.server.cluster.ClusterMessage.Gossip;
import io.port6379.server.cluster.ClusterMessage.Header;
import io.port6379.server.cluster.ClusterMessage.Module;
import io.port6379.server.cluster.ClusterMessage.Ping;
import io.port6379.server.cluster.ClusterMessage.Publish;
import io.port6379.server.cluster.ClusterMessage.Update;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMessageCodecTest {

    static final String A = "a".repeat(40);
    static final String B = "b0".repeat(20);

    static Header header(int type) {
        byte[] slots = new byte[2048];
        slots[0] = 1; // slot 0
        slots[2047] = (byte) 0x80; // slot 16383
        return new Header(type, 30001, 7, 5, 1234, A, slots, B, "127.0.0.1", 0, 40001,
                ClusterNode.SLAVE | ClusterNode.MYSELF, ClusterMessage.STATE_FAIL, 0);
    }

    @Test
    void headerFieldsSitAtRedisOffsetsInNetworkOrder() {
        byte[] bytes = ClusterMessageCodec.encode(new ClusterMessage(header(ClusterMessage.MFSTART), new Empty()));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(2256, bytes.length);
        assertEquals("RCmb", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(2256, b.getInt(4));
        assertEquals(1, b.getShort(8));
        assertEquals(30001, b.getShort(10) & 0xffff);
        assertEquals(ClusterMessage.MFSTART, b.getShort(12));
        assertEquals(0, b.getShort(14));
        assertEquals(7, b.getLong(16));
        assertEquals(5, b.getLong(24));
        assertEquals(1234, b.getLong(32));
        assertEquals(A, new String(bytes, 40, 40, StandardCharsets.US_ASCII));
        assertEquals(1, bytes[80]);
        assertEquals((byte) 0x80, bytes[80 + 2047]);
        assertEquals(B, new String(bytes, 2128, 40, StandardCharsets.US_ASCII));
        assertEquals("127.0.0.1", new String(bytes, 2168, 9, StandardCharsets.US_ASCII));
        assertEquals(0, bytes[2168 + 9]);
        assertEquals(0, b.getShort(2214));
        assertEquals(0, b.getShort(2246));
        assertEquals(40001, b.getShort(2248) & 0xffff);
        assertEquals(18, b.getShort(2250));
        assertEquals(1, bytes[2252]);
        assertEquals(0, bytes[2253]);
    }

    @Test
    void aMasterSendsZerosAsItsMaster() {
        Header h = header(ClusterMessage.PING);
        Header master = new Header(h.type(), h.port(), 0, 0, 0, A, h.myslots(), null, "", 0, 40001,
                ClusterNode.MASTER, 0, 0);
        byte[] bytes = ClusterMessageCodec.encode(new ClusterMessage(master, new Ping(List.of(), List.of())));
        assertArrayEquals(new byte[40], Arrays.copyOfRange(bytes, 2128, 2168));
        assertArrayEquals(new byte[46], Arrays.copyOfRange(bytes, 2168, 2214));
        assertNull(ClusterMessageCodec.decode(bytes).header().slaveof());
    }

    @Test
    void gossipSectionsAre104BytesAfterTheHeader() {
        Gossip g = new Gossip(B, 1700000000L, 1700000001L, "10.0.0.2", 7000, 17000,
                ClusterNode.MASTER | ClusterNode.PFAIL, 0);
        byte[] bytes = ClusterMessageCodec.encode(new ClusterMessage(header(ClusterMessage.PING),
                new Ping(List.of(g, g), List.of())));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(2256 + 2 * 104, bytes.length);
        assertEquals(2, b.getShort(14));
        int at = 2256 + 104;
        assertEquals(B, new String(bytes, at, 40, StandardCharsets.US_ASCII));
        assertEquals(1700000000L, b.getInt(at + 40) & 0xffffffffL);
        assertEquals(1700000001L, b.getInt(at + 44) & 0xffffffffL);
        assertEquals("10.0.0.2", new String(bytes, at + 48, 8, StandardCharsets.US_ASCII));
        assertEquals(7000, b.getShort(at + 94));
        assertEquals(17000, b.getShort(at + 96));
        assertEquals(5, b.getShort(at + 98));
        assertEquals(g, ((Ping) ClusterMessageCodec.decode(bytes).body()).gossip().get(1));
    }

    @Test
    void theHostnameExtensionIsPaddedToEightBytesAndFlagged() {
        Ping ping = new Ping(List.of(), List.of(ClusterMessageCodec.hostnameExtension("node-1.example")));
        byte[] bytes = ClusterMessageCodec.encode(new ClusterMessage(header(ClusterMessage.PONG), ping));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        // "node-1.example" is 14 bytes + NUL = 15, padded to 16, plus the 8-byte extension header
        assertEquals(2256 + 24, bytes.length);
        assertEquals(1, b.getShort(2214));
        assertEquals(ClusterMessage.FLAG0_EXT_DATA, bytes[2253]);
        assertEquals(24, b.getInt(2256));
        assertEquals(ClusterMessage.EXT_HOSTNAME, b.getShort(2260));
        assertEquals("node-1.example", ((Ping) ClusterMessageCodec.decode(bytes).body()).hostname());
    }

    @Test
    void everyBodyTypeRoundTrips() {
        byte[] slots = new byte[2048];
        slots[100] = 0x7f;
        List<ClusterMessage.Body> bodies = List.of(new Fail(B),
                new Publish("news".getBytes(), "hello".getBytes()),
                new Update(42, B, slots), new Module(99, 3, "xyz".getBytes()), new Empty());
        int[] types = {ClusterMessage.FAIL, ClusterMessage.PUBLISHSHARD, ClusterMessage.UPDATE, ClusterMessage.MODULE,
                ClusterMessage.FAILOVER_AUTH_ACK};
        int[] lengths = {2296, 2256 + 8 + 9, 2256 + 2096, 2256 + 13 + 3, 2256};
        for (int i = 0; i < types.length; i++) {
            byte[] bytes = ClusterMessageCodec.encode(new ClusterMessage(header(types[i]), bodies.get(i)));
            assertEquals(lengths[i], bytes.length);
            ClusterMessage back = ClusterMessageCodec.decode(bytes);
            assertEquals(types[i], back.header().type());
            assertInstanceOf(bodies.get(i).getClass(), back.body());
            assertArrayEquals(bytes, ClusterMessageCodec.encode(back));
        }
    }

    @Test
    void aLengthThatDoesNotMatchItsTypeOrAnotherVersionIsIgnored() {
        byte[] fail = ClusterMessageCodec.encode(new ClusterMessage(header(ClusterMessage.FAIL), new Fail(B)));
        ByteBuffer.wrap(fail).putShort(12, (short) ClusterMessage.MFSTART);
        assertNull(ClusterMessageCodec.decode(fail));
        byte[] ping = ClusterMessageCodec.encode(new ClusterMessage(header(ClusterMessage.PING),
                new Ping(List.of(), List.of())));
        ByteBuffer.wrap(ping).putShort(8, (short) 2);
        assertNull(ClusterMessageCodec.decode(ping));
        assertEquals(-1, ClusterMessageCodec.totalLength("RCmX\0\0\u0008\u00d0".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(-1, ClusterMessageCodec.totalLength(new byte[] {'R', 'C', 'm', 'b', 0, 0, 0, 16}));
    }
}
