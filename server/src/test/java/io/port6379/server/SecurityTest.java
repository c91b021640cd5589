// requirepass, AUTH, HELLO AUTH and protected mode, each reply compared byte for byte with a real redis-server.
package io.port6379.server;

import io.port6379.server.security.ProtectedMode;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each scenario runs on a fresh connection to a real Redis 7 and to ours, both started with {@code --requirepass
 * secret}; every reply must be the same bytes, so the expected texts are Redis's, not our reading of them.
 */
class SecurityTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--requirepass", "secret");

    /** Runs {@code commands} on a fresh connection to each server; the two transcripts must be equal. */
    private static void sameOnBoth(String[]... commands) throws IOException {
        assertEquals(transcript(servers.redis().port(), commands), transcript(servers.ours().port(), commands));
    }

    private static String transcript(int port, String[]... commands) throws IOException {
        StringBuilder out = new StringBuilder();
        try (RespConnection c = new RespConnection(port)) {
            for (String[] command : commands) {
                out.append(String.join(" ", command)).append(" -> ").append(c.call(command));
            }
        }
        return out.toString();
    }

    private static String[] cmd(String... args) {
        return args;
    }

    @Test
    void everyCommandButTheNoAuthOnesIsRefusedBeforeAuth() throws IOException {
        sameOnBoth(cmd("PING"), cmd("GET", "k"), cmd("SET", "k", "v"), cmd("CONFIG", "GET", "requirepass"),
                cmd("MULTI"), cmd("SUBSCRIBE", "c"), cmd("CLIENT", "LIST"), cmd("HELLO"), cmd("HELLO", "3"),
                cmd("PING"));
    }

    @Test
    void unknownCommandsAndWrongArityAreReportedBeforeNoAuth() throws IOException {
        sameOnBoth(cmd("NOSUCH", "a"), cmd("ECHO"), cmd("GET"), cmd("CLIENT", "NOSUCH"), cmd("PING"));
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetWrongPass() throws IOException {
        sameOnBoth(cmd("AUTH", "wrong"), cmd("AUTH", "default", "wrong"), cmd("AUTH", "nobody", "secret"),
                cmd("AUTH", "a", "b", "c"), cmd("HELLO", "2", "AUTH", "default", "wrong"),
                cmd("HELLO", "2", "AUTH", "default"), cmd("PING"));
    }

    @Test
    void authWithTheRightPasswordOpensEverythingUntilReset() throws IOException {
        sameOnBoth(cmd("AUTH", "secret"), cmd("PING"), cmd("SET", "k", "v"), cmd("GET", "k"),
                cmd("CONFIG", "GET", "requirepass"), cmd("RESET"), cmd("GET", "k"),
                cmd("AUTH", "default", "secret"), cmd("DEL", "k"));
    }

    @Test
    void authIsDescribedInTheCommandTableAsInRedis() throws IOException {
        sameOnBoth(cmd("AUTH", "secret"), cmd("COMMAND", "INFO", "auth", "hello", "quit", "reset"));
    }

    @Test
    void helloAuthLogsInAndSwitchesProtocol() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection c = new RespConnection(port)) {
                String hello = c.call("HELLO", "3", "AUTH", "default", "secret", "SETNAME", "app");
                assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), hello);
                assertEquals("$3\r\napp\r\n", c.call("CLIENT", "GETNAME"));
            }
        }
    }

    @Test
    void helloAuthLogsInEvenWhenALaterOptionIsASyntaxError() throws IOException {
        sameOnBoth(cmd("HELLO", "2", "AUTH", "default", "secret", "NOSUCH"), cmd("PING"));
    }

    @Test
    void unauthenticatedClientsMaySendOnlySmallRequests() throws IOException {
        for (String request : List.of(RespConnection.encode("ECHO", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
                RespConnection.encode("ECHO", "x".repeat(16385)))) {
            assertEquals(untilClosed(servers.redis().port(), request), untilClosed(servers.ours().port(), request));
        }
    }

    @Test
    void aPipelinedAuthLiftsTheLimitsForTheNextCommand() throws IOException {
        String request = RespConnection.encode("AUTH", "secret") + RespConnection.encode("ECHO", "x".repeat(20000));
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection c = new RespConnection(port)) {
                c.sendRaw(request);
                assertEquals("+OK\r\n", c.readReply());
                assertEquals("$20000\r\n" + "x".repeat(20000) + "\r\n", c.readReply());
            }
        }
    }

    @Test
    void theSlowLogAndMonitorNeverSeeThePassword() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port); RespConnection monitor = new RespConnection(port)) {
                admin.call("AUTH", "secret");
                monitor.call("AUTH", "secret");
                assertEquals("+OK\r\n", monitor.call("MONITOR"));
                admin.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
                admin.call("AUTH", "secret");
                String line = monitor.readReply();
                String slowlog = admin.call("SLOWLOG", "GET", "2");
                admin.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
                assertTrue(line.endsWith("\"AUTH\" \"(redacted)\"\r\n"), line);
                assertTrue(slowlog.contains("$4\r\nAUTH\r\n$10\r\n(redacted)\r\n") && !slowlog.contains("secret"), slowlog);
            }
        }
    }

    @Test
    void changingThePasswordKeepsOpenConnectionsAndChecksNewAuths() throws IOException {
        for (int port : new int[] {servers.redis().port(), servers.ours().port()}) {
            try (RespConnection admin = new RespConnection(port)) {
                admin.call("AUTH", "secret");
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "requirepass", "other"));
                assertEquals("+PONG\r\n", admin.call("PING"));
                try (RespConnection late = new RespConnection(port)) {
                    assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", late.call("AUTH", "secret"));
                    assertEquals("+OK\r\n", late.call("AUTH", "other"));
                }
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "requirepass", "secret"));
            }
        }
    }

    @Test
    void withoutAPasswordAuthExplainsThatNoneIsConfigured() throws Exception {
        try (RealRedis open = RealRedis.start(); TestServer ourOpen = TestServer.start()) {
            String[][] commands = {cmd("AUTH", "x"), cmd("AUTH", "default", "anything"), cmd("AUTH", "nobody", "x"),
                    cmd("HELLO", "2", "AUTH", "default", "anything", "SETNAME", "n"), cmd("CLIENT", "GETNAME")};
            String theirs = transcript(open.port(), commands).replaceAll(":\\d+\r\n\\$4\r\nmode", ":ID\r\n\\$4\r\nmode");
            String mine = transcript(ourOpen.port(), commands).replaceAll(":\\d+\r\n\\$4\r\nmode", ":ID\r\n\\$4\r\nmode");
            assertEquals(theirs, mine);
        }
    }

    /** Sends {@code request} and returns everything the server writes before it closes the connection. */
    private static String untilClosed(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = readQuietly(socket, buffer)) > 0) {
                received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            return received.toString();
        }
    }

    // Protected mode needs a client address other than 127.0.0.1 and ::1. Redis 7.0.15 treats every other address
    // as remote, 127.0.0.2 included, so the test stays on the loopback interface and sends nothing to the network.

    @Test
    void protectedModeDeniesNonLoopbackClientsWhenNoPasswordIsSet() throws Exception {
        InetAddress external = secondLoopbackAddress();
        String bind = "127.0.0.1 " + external.getHostAddress();
        try (RealRedis theirs = RealRedis.start("--bind", "127.0.0.1", external.getHostAddress());
             TestServer mine = TestServer.start("--bind", bind)) {
            String expected = fromAddress(external, theirs.port(), "PING");
            assertEquals(ProtectedMode.DENIED, expected);
            assertEquals(expected, fromAddress(external, mine.port(), "PING"));
            try (RespConnection local = new RespConnection(mine.port())) {
                assertEquals("+PONG\r\n", local.call("PING")); // loopback clients are still served
                local.call("CONFIG", "SET", "requirepass", "pw");
                assertEquals("-NOAUTH Authentication required.\r\n", fromAddress(external, mine.port(), "PING"));
                local.call("AUTH", "pw");
                local.call("CONFIG", "SET", "requirepass", "", "protected-mode", "no");
                assertEquals("+PONG\r\n", fromAddress(external, mine.port(), "PING"));
            }
        }
    }

    /** Connects from {@code address} to the same address, sends {@code command} and returns the one-line reply. */
    private static String fromAddress(InetAddress address, int port, String command) throws IOException {
        try (Socket socket = new Socket(address, port, address, 0)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(RespConnection.encode(command).getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[4096];
            StringBuilder reply = new StringBuilder();
            int n;
            while ((n = readQuietly(socket, buffer)) > 0) {
                reply.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (reply.toString().endsWith("\r\n")) {
                    break; // every reply expected here is one line
                }
            }
            return reply.toString();
        }
    }

    /** A read that treats a reset (the server closed while our request was unread) as the end of input. */
    private static int readQuietly(Socket socket, byte[] buffer) throws IOException {
        try {
            return socket.getInputStream().read(buffer);
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** 127.0.0.2, which Linux routes to the loopback interface; other systems may need an alias for it. */
    private static InetAddress secondLoopbackAddress() throws IOException {
        InetAddress address = InetAddress.getByName("127.0.0.2");
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return address;
        } catch (IOException e) {
            String message = "SKIPPED: 127.0.0.2 cannot be bound here (" + e.getMessage()
                    + "), so protected mode was NOT tested";
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
            throw e;
        }
    }
}
