// A real redis-server's cluster bus answers our MEET with a PONG we decode, then pings our bus port.
package io.port6379.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.cluster.ClusterMessage.Header;
import io.port6379.server.cluster.ClusterMessage.Ping;
import io.port6379.testing.RealRedis;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RealBusTest {

    static final String OURS = "0123456789abcdef0123456789abcdef01234567";

    /** Reads one whole message the way a link does: 8 bytes, then the rest of totlen. */
    static ClusterMessage read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] first8 = new byte[8];
        data.readFully(first8);
        int totlen = ClusterMessageCodec.totalLength(first8);
        assertTrue(totlen > 0, "a cluster message starts with RCmb and a length");
        byte[] bytes = new byte[totlen];
        System.arraycopy(first8, 0, bytes, 0, 8);
        data.readFully(bytes, 8, totlen - 8);
        ClusterMessage message = ClusterMessageCodec.decode(bytes);
        assertNotNull(message);
        assertEquals(totlen, ClusterMessageCodec.encode(message).length);
        return message;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void redisAnswersOurMeetWithAPongThatCarriesItsSlotsAndThenPingsUs() throws Exception {
        int busPort = freePort();
        try (RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort),
                "--cluster-announce-hostname", "real-node");
             Jedis jedis = new Jedis("127.0.0.1", redis.port());
             ServerSocket ourBus = new ServerSocket(0)) {
            jedis.sendCommand(() -> "CLUSTER".getBytes(), "ADDSLOTSRANGE", "0", "100");
            String id = new String((byte[]) jedis.sendCommand(() -> "CLUSTER".getBytes(), "MYID"));
            try (Socket socket = new Socket("127.0.0.1", busPort)) {
                Header meet = new Header(ClusterMessage.MEET, 23456, 0, 0, 0, OURS, new byte[2048], null, "",
                        0, ourBus.getLocalPort(), ClusterNode.MASTER | ClusterNode.MYSELF, 0, 0);
                socket.getOutputStream().write(ClusterMessageCodec.encode(new ClusterMessage(meet,
                        new Ping(List.of(), List.of()))));
                ClusterMessage pong = read(socket.getInputStream());
                Header h = pong.header();
                assertEquals(ClusterMessage.PONG, h.type());
                assertEquals(id, h.sender());
                assertEquals(redis.port(), h.port());
                assertEquals(busPort, h.cport());
                assertNull(h.slaveof());
                assertEquals(ClusterNode.MASTER | ClusterNode.MYSELF, h.flags());
                assertEquals(0x1f, h.myslots()[12] & 0xff, "slots 96..100 set, 101.. clear");
                assertEquals((byte) 0xff, h.myslots()[0]);
                assertEquals(0, h.myslots()[13]);
                assertEquals("real-node", ((Ping) pong.body()).hostname());
            }
            ourBus.setSoTimeout(5000);
            try (Socket inbound = ourBus.accept()) {
                ClusterMessage ping = read(inbound.getInputStream());
                assertEquals(ClusterMessage.PING, ping.header().type());
                assertEquals(id, ping.header().sender());
                assertInstanceOf(Ping.class, ping.body());
            }
            String nodes = new String((byte[]) jedis.sendCommand(() -> "CLUSTER".getBytes(), "NODES"));
            assertTrue(nodes.contains("127.0.0.1:23456@" + ourBus.getLocalPort()), nodes);
        }
    }
}
