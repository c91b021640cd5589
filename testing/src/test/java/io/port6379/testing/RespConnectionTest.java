// RespConnection against a scripted peer: what it puts on the wire, and how it reads each kind of reply.
package io.port6379.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RespConnectionTest {

    /** Accepts one connection, sends {@code replies}, half-closes, and keeps everything the client sent. */
    private static final class ScriptedPeer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0);
        private final CompletableFuture<String> received = new CompletableFuture<>();

        ScriptedPeer(String replies) throws IOException {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
                    socket.getOutputStream().write(replies.getBytes(StandardCharsets.ISO_8859_1));
                    socket.shutdownOutput();
                    received.complete(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        /** What the client sent, once it has closed its connection. */
        String received() throws Exception {
            return received.get();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    @Test
    void aCommandGoesOutAsAnArrayOfBulkStringsOneBytePerChar() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer("+OK\r\n")) {
            try (RespConnection connection = new RespConnection(peer.port())) {
                connection.send("SET", "k", "\u00ff\r\n");
                connection.sendRaw("PING\r\n");
            }
            assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\u00ff\r\n\r\nPING\r\n", peer.received());
        }
    }

    @Test
    void readReplyReturnsOneNestedResp3ReplyByteForByte() throws Exception {
        String map = "%2\r\n+a\r\n*2\r\n:1\r\n$-1\r\n$5\r\nb\r\nc!\r\n~1\r\n=7\r\ntxt:abc\r\n";
        try (ScriptedPeer peer = new ScriptedPeer(map + "_\r\n" + ">2\r\n$7\r\nmessage\r\n,1.5\r\n");
             RespConnection connection = new RespConnection(peer.port())) {
            assertEquals(map, connection.call("HELLO", "3"));
            assertEquals("_\r\n", connection.readReply());
            assertEquals(">2\r\n$7\r\nmessage\r\n,1.5\r\n", connection.readReply());
        }
    }

    @Test
    void aPushInsideAnArrayStaysInPlaceAndIsNotOneOfItsElements() throws Exception {
        String exec = "*2\r\n:1\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n+OK\r\n";
        try (ScriptedPeer peer = new ScriptedPeer(exec + "_\r\n");
             RespConnection connection = new RespConnection(peer.port())) {
            assertEquals(exec, connection.readReply());
            assertEquals("_\r\n", connection.readReply());
        }
    }

    @Test
    void readParsedTurnsResp2RepliesIntoJavaValues() throws Exception {
        String replies = "*6\r\n+OK\r\n-ERR syntax error\r\n:-42\r\n$3\r\na\rb\r\n$-1\r\n*1\r\n$0\r\n\r\n" + "*-1\r\n";
        try (ScriptedPeer peer = new ScriptedPeer(replies);
             RespConnection connection = new RespConnection(peer.port())) {
            List<Object> expected = Arrays.asList("OK", new RespConnection.Error("ERR syntax error"), -42L, "a\rb",
                    null, List.of(""));
            assertEquals(expected, connection.callParsed("ANY"));
            assertNull(connection.readParsed());
        }
    }

    @Test
    void readToEndReturnsEverythingUntilTheServerCloses() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer("-ERR max number of clients reached\r\n");
             RespConnection connection = new RespConnection(peer.port())) {
            assertEquals("-ERR max number of clients reached\r\n", connection.readToEnd());
        }
    }
}
