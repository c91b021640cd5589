// tcp-keepalive, dynamic-hz and active-expire-effort change what the server does, on both servers alike.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameters whose effect is seen from outside the process: the kernel's keepalive timer on the server's end of a
 * connection ({@code ss -o}), INFO's {@code hz} once there are many clients, and how many expired keys nobody reads
 * the active expiry cycle removes in a second at the lowest and the highest effort.
 */
class RuntimeParametersTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @Test
    void tcpKeepaliveArmsTheKernelsTimerOnAcceptedConnections() throws Exception {
        for (int port : ports()) {
            try (RespConnection admin = new RespConnection(port)) {
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "tcp-keepalive", "60"));
                assertTrue(serverSideTimer(port).contains("timer:(keepalive,"), port + ": keepalive 60");
                admin.call("CONFIG", "SET", "tcp-keepalive", "0");
                assertFalse(serverSideTimer(port).contains("keepalive"), port + ": keepalive 0");
                admin.call("CONFIG", "SET", "tcp-keepalive", "300");
            }
        }
    }

    /** What {@code ss} says of the server's end of a fresh connection that has been served once. */
    private static String serverSideTimer(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(RespConnection.encode("PING").getBytes(StandardCharsets.UTF_8));
            socket.getInputStream().read(new byte[7]);
            String filter = "( sport = :" + port + " and dport = :" + socket.getLocalPort() + " )";
            Process ss = new ProcessBuilder("ss", "-tnoH", "state", "established", filter).redirectErrorStream(true).start();
            String line = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            assertTrue(line.contains(":" + port), port + ": no connection in ss: " + line);
            return line;
        }
    }

    @Test
    void dynamicHzDoublesHzWhileClientsOutnumberTwoHundredPerTick() throws Exception {
        for (int port : ports()) {
            try (RespConnection admin = new RespConnection(port)) {
                admin.call("CONFIG", "SET", "hz", "1");
                assertEquals("1", info(admin, "hz"));
                List<RespConnection> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 450; i++) {
                        clients.add(new RespConnection(port));
                    }
                    clients.getLast().call("PING"); // the last one is registered
                    assertEquals("4", waitFor(admin, "hz", "4"), port + ": 451 clients at hz 1");
                    assertEquals("1", info(admin, "configured_hz"));
                    admin.call("CONFIG", "SET", "dynamic-hz", "no");
                    assertEquals("1", waitFor(admin, "hz", "1"), port + ": dynamic-hz no");
                } finally {
                    for (RespConnection client : clients) {
                        client.close();
                    }
                    admin.call("CONFIG", "SET", "dynamic-hz", "yes");
                    admin.call("CONFIG", "SET", "hz", "10");
                }
            }
        }
    }

    @Test
    void activeExpireEffortTenRemovesFarMoreUnreadExpiredKeysThanEffortOne() throws Exception {
        for (int port : ports()) {
            int low = expiredRemovedInOneSecond(port, 1);
            int high = expiredRemovedInOneSecond(port, 10);
            assertTrue(high > 2 * low + 20, port + ": effort 1 removed " + low + ", effort 10 removed " + high);
        }
    }

    /** 10 000 keys that live on and 500 already expired; how many of those the cycle removes in a second. */
    private static int expiredRemovedInOneSecond(int port, int effort) throws Exception {
        try (RespConnection c = new RespConnection(port)) {
            c.call("FLUSHALL");
            c.call("CONFIG", "SET", "active-expire-effort", Integer.toString(effort));
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            c.call("EVAL", "for i=1,10000 do redis.call('set','k'..i,'v','EX',1000) end "
                    + "for i=1,500 do redis.call('set','e'..i,'v','PX',1) end", "0");
            Thread.sleep(20);
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            Thread.sleep(1000);
            int size = Integer.parseInt(c.call("DBSIZE").trim().substring(1));
            c.call("CONFIG", "SET", "active-expire-effort", "1");
            c.call("FLUSHALL");
            return 10_500 - size;
        }
    }

    private static String waitFor(RespConnection admin, String field, String expected) throws Exception {
        String value = info(admin, field);
        for (int i = 0; i < 100 && !value.equals(expected); i++) {
            Thread.sleep(100);
            value = info(admin, field);
        }
        return value;
    }

    private static String info(RespConnection c, String field) throws IOException {
        for (String line : c.call("INFO", "server").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO");
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
