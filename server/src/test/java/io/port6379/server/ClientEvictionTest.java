// maxmemory-clients: the client holding the most memory is disconnected, CLIENT NO-EVICT ones stay, on both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clients each send a large SET whose final CRLF is still missing, so their query buffers hold it: 500 KB for a
 * CLIENT NO-EVICT one and 600 KB for another, 1.1 MB together against a maxmemory-clients of 1 MB. The second is
 * disconnected (INFO's evicted_clients), the first completes its SET, and the memory they held shows in
 * mem_clients_normal and used_memory meanwhile.
 */
class ClientEvictionTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void theLargestEvictableClientIsDisconnected() throws Exception {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection kept = new RespConnection(port);
                 RespConnection evicted = new RespConnection(port)) {
                admin.call("CONFIG", "RESETSTAT");
                long usedBefore = field(admin, "memory", "used_memory");
                assertEquals("+OK\r\n", kept.call("CLIENT", "NO-EVICT", "ON"));
                kept.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$500000\r\n" + "x".repeat(500_000));
                admin.call("CONFIG", "SET", "maxmemory-clients", "1mb");
                try {
                    evicted.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$600000\r\n" + "x".repeat(600_000));
                } catch (java.net.SocketException reset) {
                    // evicted while still sending: both servers make room for a big argument when its length
                    // arrives, so the eviction can come before the last bytes, and the close resets the connection
                }
                long evictions = 0;
                for (int i = 0; i < 300 && evictions == 0; i++) {
                    Thread.sleep(10);
                    evictions = field(admin, "stats", "evicted_clients");
                }
                assertEquals(1, evictions, "port " + port);
                long clients = field(admin, "memory", "mem_clients_normal");
                assertTrue(clients > 500_000 && clients < 1_048_576, port + ": mem_clients_normal " + clients);
                assertTrue(field(admin, "memory", "used_memory") - usedBefore > 450_000, "port " + port);
                evicted.timeout(2000);
                assertEquals("", readOrClosed(evicted), "port " + port);
                kept.sendRaw("\r\n");
                assertEquals("+OK\r\n", kept.readReply(), "port " + port);
                admin.call("CONFIG", "SET", "maxmemory-clients", "0");
                admin.call("DEL", "b");
            }
        }
    }

    /** What the connection gives before its end: "" once the server has closed it. */
    private static String readOrClosed(RespConnection c) throws IOException {
        try {
            return c.readToEnd();
        } catch (SocketTimeoutException e) {
            return "still open";
        } catch (java.net.SocketException reset) {
            return ""; // closed with bytes unread: the end comes as a reset
        }
    }

    private static long field(RespConnection c, String section, String name) throws IOException {
        for (String line : c.call("INFO", section).split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name);
    }
}
