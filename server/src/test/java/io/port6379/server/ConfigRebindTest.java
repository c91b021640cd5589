// CONFIG SET port and bind move the listeners at run time, as in Redis 7; open connections stay.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigRebindTest {

    @Test
    void configSetPortMovesTheListenerAndKeepsOpenConnections() throws IOException {
        try (TestServer server = TestServer.start(); RespConnection open = new RespConnection(server.port())) {
            int oldPort = server.port();
            int newPort = freePort();
            assertEquals("+OK\r\n", open.call("CONFIG", "SET", "port", String.valueOf(newPort)));
            assertEquals(newPort, server.port());
            try (RespConnection moved = new RespConnection(newPort)) {
                assertEquals("+PONG\r\n", moved.call("PING"));
            }
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), oldPort).close());
            assertEquals("+PONG\r\n", open.call("PING"));
        }
    }

    @Test
    void aPortOrAddressThatCannotBeBoundIsRefusedAndTheServerStaysWhereItWas() throws IOException {
        try (TestServer server = TestServer.start(); RespConnection open = new RespConnection(server.port());
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.port();
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
                    + "Check server logs.\r\n", open.call("CONFIG", "SET", "port", String.valueOf(taken.getLocalPort())));
            // 203.0.113.77 (TEST-NET-3, documentation only) is no address of this machine: the bind fails, nothing is sent
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified "
                    + "addresses.\r\n", open.call("CONFIG", "SET", "bind", "203.0.113.77"));
            assertEquals(port, server.port());
            try (RespConnection again = new RespConnection(port)) {
                assertEquals("+PONG\r\n", again.call("PING"));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
