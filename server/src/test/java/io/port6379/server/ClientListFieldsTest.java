// CLIENT LIST's fields as redis-server writes them: the same names in the same order, and real fd, qbuf, argv-mem values.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientListFieldsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    /**
     * Redis's {@code unit/introspection.tcl} matches a client's own CLIENT LIST with {@code qbuf=26} (the bytes of
     * {@code *2 $6 client $4 list}, still in the query buffer while the command runs) and {@code argv-mem} counts
     * those arguments' bytes (10); an idle client holds neither.
     */
    @Test
    void ownLineCountsTheRunningCommandAndAnIdleClientHoldsNothing() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection idle = new RespConnection(port); RespConnection asking = new RespConnection(port)) {
                idle.call("PING");
                Map<String, String> own = fields(asking.callParsed("CLIENT", "INFO").toString().strip());
                assertEquals("26", own.get("qbuf"), "port " + port);
                assertEquals("10", own.get("argv-mem"), "port " + port);
                assertNotEquals("-1", own.get("fd"), "port " + port);
                assertTrue(Long.parseLong(own.get("tot-mem")) > 0, "port " + port);
                assertTrue(Long.parseLong(own.get("qbuf-free")) > 0, "port " + port);
                String list = asking.callParsed("CLIENT", "LIST").toString();
                for (String line : list.split("\n")) {
                    Map<String, String> other = fields(line);
                    if (other.get("cmd").equals("ping")) {
                        assertEquals("0", other.get("qbuf"), "port " + port);
                        assertEquals("0", other.get("argv-mem"), "port " + port);
                        assertNotEquals(own.get("fd"), other.get("fd"), "port " + port);
                    }
                }
            }
        }
    }

    /**
     * Redis's {@code unit/querybuf}: a client idle for more than 2 seconds gives its query buffer's room back. A
     * pipelining client has at least 16 KB of it on both servers; a few seconds after its last command, less than
     * 1 KB (Redis frees it all; ours keeps the 256-byte buffer a connection starts with).
     */
    @Test
    void anIdleClientGivesItsQueryBufferBack() throws Exception {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection piped = new RespConnection(port); RespConnection asking = new RespConnection(port)) {
                piped.call("CLIENT", "SETNAME", "piped");
                StringBuilder pings = new StringBuilder();
                for (int i = 0; i < 5000; i++) {
                    pings.append("PING\r\n");
                }
                piped.sendRaw(pings.toString());
                for (int i = 0; i < 5000; i++) {
                    assertEquals("+PONG\r\n", piped.readReply());
                }
                long busy = queryBuffer(asking);
                assertTrue(busy >= 16384, port + ": " + busy);
                long deadline = System.nanoTime() + 20_000_000_000L;
                long idle = busy;
                while (idle >= 1024 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    idle = queryBuffer(asking);
                }
                assertTrue(idle < 1024, port + ": " + idle);
                assertEquals("+PONG\r\n", piped.call("PING"), "still served, port " + port);
            }
        }
    }

    /**
     * Ours only: a connection's read buffer starts at 256 bytes (Redis's reads always make room for 16 KB, so there
     * is nothing to compare). After a pipeline has grown it, a client that goes on with short commands, never idle
     * long enough for the 2-second trim, gets the small buffer back after sixteen of them, so that used_memory
     * falls back to what it was (Redis's unit/lazyfree polls INFO while it waits for that).
     */
    @Test
    void aBusyClientWithShortCommandsGivesTheGrownBufferBack() throws Exception {
        try (RespConnection piped = new RespConnection(servers.ours().port());
             RespConnection asking = new RespConnection(servers.ours().port())) {
            piped.call("CLIENT", "SETNAME", "piped");
            piped.sendRaw("PING\r\n".repeat(5000));
            for (int i = 0; i < 5000; i++) {
                assertEquals("+PONG\r\n", piped.readReply());
            }
            long grown = queryBuffer(asking);
            assertTrue(grown > 256, "grown: " + grown);
            int commands = 0;
            while (queryBuffer(asking) > 256 && commands < 32) { // the pipeline's last read may count as one
                assertEquals("+PONG\r\n", piped.call("PING"));
                commands++;
            }
            assertEquals(256, queryBuffer(asking), "after " + commands + " short commands");
            assertTrue(commands <= 16, commands + " short commands");
        }
    }

    /** {@code qbuf + qbuf-free} of the client named {@code piped}, as Redis's querybuf.tcl adds them up. */
    private static long queryBuffer(RespConnection asking) throws IOException {
        for (String line : asking.callParsed("CLIENT", "LIST").toString().split("\n")) {
            Map<String, String> fields = fields(line);
            if ("piped".equals(fields.get("name"))) {
                return Long.parseLong(fields.get("qbuf")) + Long.parseLong(fields.get("qbuf-free"));
            }
        }
        throw new AssertionError("no client named piped");
    }

    @Test
    void fieldNamesAreRedisInRedisOrder() throws IOException {
        List<List<String>> names = new ArrayList<>();
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection connection = new RespConnection(port)) {
                names.add(new ArrayList<>(fields(connection.callParsed("CLIENT", "LIST").toString().strip()).keySet()));
            }
        }
        assertEquals(names.get(0), names.get(1));
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.strip().split(" ")) {
            int equals = field.indexOf('=');
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        return fields;
    }
}
