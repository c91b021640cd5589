// FrameDecoder on the largest and deepest replies a real redis-server sends, in RESP2 and in RESP3.
package io.port6379.protocol;

import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RealRedisRepliesTest {

    @Test
    void decodesCommandDocsAndCommandInfoInBothProtocols() throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            List<Frame> replies = exchange(redis.port(), "COMMAND DOCS\r\nCOMMAND INFO\r\nHELLO 3\r\nCOMMAND DOCS\r\nCOMMAND INFO\r\n", 5);
            assertInstanceOf(Frame.Map.class, replies.get(2)); // HELLO 3's own reply
            Frame.Map docs = assertInstanceOf(Frame.Map.class, replies.get(3));
            assertEquals(12, depth(docs), "COMMAND DOCS in RESP3 nests 12 aggregates deep");
            // The RESP2 replies are the RESP2 forms of the RESP3 ones: the law RespWriter follows, checked on Redis.
            // Compared with every array's elements sorted: Redis's command table and each command's subcommand
            // table may still be rehashing just after start-up, and every lookup moves them a step, so two
            // listings can come out in different orders at any depth.
            assertEquals(sorted(replies.get(0)), sorted(FrameProperties.downgrade(docs)),
                    "COMMAND DOCS: RESP2 = downgrade(RESP3)");
            assertEquals(sorted(replies.get(1)), sorted(FrameProperties.downgrade(replies.get(4))),
                    "COMMAND INFO: RESP2 = downgrade(RESP3)");
        }
    }

    /** The frame with the elements of every array, at every depth, in the order of their RESP2 encodings. */
    private static Frame sorted(Frame frame) {
        if (!(frame instanceof Frame.Array array)) {
            return frame;
        }
        List<Frame> elements = new ArrayList<>(array.elements().stream().map(RealRedisRepliesTest::sorted).toList());
        elements.sort((a, b) -> Arrays.compare(encoded(a), encoded(b)));
        return new Frame.Array(elements);
    }

    private static byte[] encoded(Frame frame) {
        return new RespWriter().frame(frame).toByteArray();
    }

    private static int depth(Frame frame) {
        return switch (frame) {
            case Frame.Array a -> 1 + a.elements().stream().mapToInt(RealRedisRepliesTest::depth).max().orElse(0);
            case Frame.Set s -> 1 + s.elements().stream().mapToInt(RealRedisRepliesTest::depth).max().orElse(0);
            case Frame.Map m -> 1 + m.entries().stream()
                    .mapToInt(e -> Math.max(depth(e.key()), depth(e.value()))).max().orElse(0);
            default -> 0;
        };
    }

    /** Sends the request and decodes replies, in whatever chunks the socket delivers, until {@code count} arrived. */
    private static List<Frame> exchange(int port, String request, int count) throws IOException, ProtocolException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            FrameDecoder decoder = new FrameDecoder();
            List<Frame> replies = new ArrayList<>();
            byte[] buffer = new byte[4096];
            while (replies.size() < count) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("redis-server closed the connection after " + replies.size() + " replies");
                }
                decoder.feed(buffer, 0, n);
                Frame reply;
                while ((reply = decoder.next()) != null) {
                    replies.add(reply);
                }
            }
            return replies;
        }
    }
}
