// Pipelines that arrive cut at arbitrary bytes, after the read buffer grew: the replies are Redis's, in order.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A connection whose read buffer grew waits for its next bytes in a small buffer and takes the grown one back when
 * the bytes that end the wait fill the small one; a command cut across those reads, or across waits, must come out
 * whole. The client here first grows its buffer with one large pipeline, then sends batches of SETs and GETs (values
 * of 1 to 700 bytes, around the small buffer's 256) in pieces of random sizes with short pauses between them, so
 * that every kind of cut happens: inside a length, inside a value, at a command's end, at exactly 256 bytes.
 */
class SplitPipelineTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void commandsCutAtAnyByteAreAnsweredAsRedisAnswersThem() throws Exception {
        List<String> redis = replies(servers.redis().port());
        List<String> ours = replies(servers.ours().port());
        assertEquals(redis, ours);
    }

    private static List<String> replies(int port) throws Exception {
        Random random = new Random(6379);
        List<String> replies = new ArrayList<>();
        try (RespConnection connection = new RespConnection(port)) {
            connection.sendRaw("PING\r\n".repeat(5000)); // grows the read buffer to its largest
            for (int i = 0; i < 5000; i++) {
                assertEquals("+PONG\r\n", connection.readReply());
            }
            for (int batch = 0; batch < 60; batch++) {
                StringBuilder requests = new StringBuilder();
                int commands = 1 + random.nextInt(12);
                for (int c = 0; c < commands; c++) {
                    String key = "split:" + random.nextInt(20);
                    if (random.nextBoolean()) {
                        requests.append(RespConnection.encode("SET", key, "v".repeat(1 + random.nextInt(700))));
                    } else {
                        requests.append(RespConnection.encode("GET", key));
                    }
                }
                String bytes = requests.toString();
                int at = 0;
                while (at < bytes.length()) {
                    int piece = random.nextInt(4) == 0 ? 256 : 1 + random.nextInt(600);
                    int end = Math.min(bytes.length(), at + piece);
                    connection.sendRaw(bytes.substring(at, end));
                    at = end;
                    if (random.nextInt(3) == 0) {
                        Thread.sleep(1 + random.nextInt(3)); // the server waits in between
                    }
                }
                for (int c = 0; c < commands; c++) {
                    replies.add(connection.readReply());
                }
            }
        }
        return replies;
    }
}
