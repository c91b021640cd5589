// TcpProxy: bytes forwarded unchanged, a cut felt at once by both ends, and a real replica that resyncs partially.
package io.port6379.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpProxyTest {

    @Test
    void commandsThroughTheProxyGetTheServersReplies() throws Exception {
        try (RealRedis redis = RealRedis.start(); TcpProxy proxy = TcpProxy.start(redis.port());
             RespConnection connection = new RespConnection(proxy.port())) {
            assertEquals("+OK\r\n", connection.call("SET", "k", "a\r\nb"));
            assertEquals("$4\r\na\r\nb\r\n", connection.call("GET", "k"));
            assertEquals(1, proxy.connections());
        }
    }

    @Test
    void aCutResetsOpenConnectionsAndRefusesNewOnesUntilRestored() throws Exception {
        try (RealRedis redis = RealRedis.start(); TcpProxy proxy = TcpProxy.start(redis.port())) {
            RespConnection before = new RespConnection(proxy.port());
            assertEquals("+PONG\r\n", before.call("PING"));
            proxy.cut();
            assertThrows(IOException.class, () -> before.call("PING"));
            try (RespConnection during = new RespConnection(proxy.port())) {
                assertThrows(IOException.class, () -> during.call("PING"));
            }
            proxy.restore();
            try (RespConnection after = new RespConnection(proxy.port())) {
                assertEquals("+PONG\r\n", after.call("PING"));
            }
        }
    }

    /** The use it is made for, proven on Redis itself: a replica whose link is cut resumes from the backlog. */
    @Test
    void aRealReplicaBehindACutLinkResyncsPartially() throws Exception {
        try (RealRedis master = RealRedis.start(); TcpProxy proxy = TcpProxy.start(master.port());
             RealRedis replica = RealRedis.start("--replicaof", "127.0.0.1", Integer.toString(proxy.port()));
             RespConnection m = new RespConnection(master.port());
             RespConnection r = new RespConnection(replica.port())) {
            m.call("SET", "before", "1");
            awaitField(r, "master_link_status", "up");
            long partialBefore = field(m, "sync_partial_ok");
            long fullBefore = field(m, "sync_full");

            proxy.cut();
            m.call("SET", "during", "2");
            awaitField(r, "master_link_status", "down");
            proxy.restore();
            awaitField(r, "master_link_status", "up");
            m.call("WAIT", "1", "5000");

            assertEquals("$1\r\n2\r\n", r.call("GET", "during"));
            assertEquals(partialBefore + 1, field(m, "sync_partial_ok"));
            assertEquals(fullBefore, field(m, "sync_full"));
        }
    }

    private static String info(RespConnection connection) throws IOException {
        return (String) connection.callParsed("INFO", "all");
    }

    private static long field(RespConnection connection, String name) throws IOException {
        Matcher matcher = Pattern.compile("(?m)^" + name + ":(\\d+)\r?$").matcher(info(connection));
        assertTrue(matcher.find(), name + " is not in INFO");
        return Long.parseLong(matcher.group(1));
    }

    private static void awaitField(RespConnection connection, String name, String value) throws Exception {
        String line = name + ":" + value + "\r\n";
        for (int i = 0; i < 1000; i++) {
            if (info(connection).contains(line)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("INFO never showed " + line.strip() + ":\n" + info(connection));
    }
}
