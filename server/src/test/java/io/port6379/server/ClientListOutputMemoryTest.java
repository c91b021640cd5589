// CLIENT LIST's omem: the bytes queued for a subscriber that does not read, on our server and on redis-server.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientListOutputMemoryTest {

    private static final Pattern SUBSCRIBER_OMEM = Pattern.compile("flags=P .* omem=(\\d+) ");

    @Test
    void omemCountsWhatASubscriberHasNotReadYet() throws Exception {
        try (TestServer ours = TestServer.start(); RealRedis redis = RealRedis.start()) {
            for (int port : new int[] {ours.port(), redis.port()}) {
                assertEquals(0, subscriberOmem(port, 0), "port " + port + ": nothing queued");
                assertTrue(subscriberOmem(port, 300) > 1_000_000, "port " + port + ": 19 MB published, most still queued");
            }
        }
    }

    /** Publishes {@code messages} of 64 KB to a subscriber that never reads, then reads its omem in CLIENT LIST. */
    private static long subscriberOmem(int port, int messages) throws IOException, InterruptedException {
        try (RespConnection subscriber = new RespConnection(port); RespConnection publisher = new RespConnection(port)) {
            subscriber.call("SUBSCRIBE", "news");
            String payload = "x".repeat(64 * 1024);
            for (int i = 0; i < messages; i++) {
                publisher.call("PUBLISH", "news", payload);
            }
            Thread.sleep(100); // let the socket buffers fill up as far as they will
            String list = publisher.call("CLIENT", "LIST");
            Matcher m = SUBSCRIBER_OMEM.matcher(list);
            assertTrue(m.find(), list);
            return Long.parseLong(m.group(1));
        }
    }
}
