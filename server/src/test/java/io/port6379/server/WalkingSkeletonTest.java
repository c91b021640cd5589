// The first end-to-end check: a real client talks to the server over a socket.
package io.port6379.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalkingSkeletonTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void jedisPingEchoAndUnknownCommand() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("PONG", jedis.ping());
            assertEquals("hello world", jedis.ping("hello world"));
            assertEquals("binary\r\n\0", jedis.echo("binary\r\n\0"));
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> jedis.sendCommand(() -> "NOSUCH".getBytes(StandardCharsets.UTF_8), "a", "b"));
            assertEquals("ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' ", e.getMessage());
        }
    }

    @Test
    void rawRespAndInlineCommandsInOnePipeline() throws IOException {
        String reply = exchange("*1\r\n$4\r\nPING\r\nPING\r\nECHO hi\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
                + "ping a b\r\nQUIT\r\n");
        assertEquals("+PONG\r\n+PONG\r\n$2\r\nhi\r\n$0\r\n\r\n"
                + "-ERR wrong number of arguments for 'ping' command\r\n+OK\r\n", reply);
    }

    @Test
    void protocolErrorRepliesThenCloses() throws IOException {
        assertEquals("-ERR Protocol error: expected '$', got ':'\r\n", exchange("*1\r\n:5\r\n"));
    }

    @Test
    void redisCliGetsPong() throws Exception {
        Process cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(server.port()), "ping")
                .redirectErrorStream(true).start();
        assertTrue(cli.waitFor(10, TimeUnit.SECONDS));
        assertEquals("PONG\n", new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Sends {@code request} and reads until the server closes the connection. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
