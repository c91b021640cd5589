// cluster-link-sendbuf-limit and CLUSTER LINKS' buffer sizes: a link to a peer that stops reading, on redis-server and ours.
package io.port6379.server.cluster;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node with one peer, a real redis-server that is then stopped (SIGSTOP): what the node publishes piles up in
 * the link to it, CLUSTER LINKS shows it as used (and at least as much allocated), and once
 * {@code cluster-link-sendbuf-limit} is below that, the cron frees the link, counts it in CLUSTER INFO and makes a
 * new one. The node is a redis-server first, then ours; both must tell the same story.
 */
class ClusterLinkLimitTest {

    private static final Pattern TO_LINK = Pattern.compile(
            "\\$2\r\nto\r\n.*?create-time\r\n:(\\d+)\r\n.*?send-buffer-allocated\r\n:(\\d+)\r\n\\$16\r\nsend-buffer-used\r\n:(\\d+)",
            Pattern.DOTALL);

    @Test
    void aLinkWhosePeerStopsReadingIsFreedAtTheLimitAndCounted() throws Exception {
        List<String> real = exercise(true);
        List<String> ours = exercise(false);
        assertEquals(List.of("to link piles up: true", "allocated covers used: true", "limit exceeded: 1",
                "a new link: true", "its buffer: small"), real);
        assertEquals(real, ours);
    }

    private static List<String> exercise(boolean real) throws Exception {
        int peerBus = ClusterHarness.freePort();
        List<String> story = new ArrayList<>();
        try (RealRedis peer = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(peerBus));
             Node node = real ? Node.real() : Node.ours();
             RespConnection admin = new RespConnection(node.port())) {
            admin.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(peer.port()), Integer.toString(peerBus));
            ClusterHarness.await("both links", 20, () -> linksOf(admin).split("direction").length == 3);
            signal(peer.pid(), "STOP");
            try {
                byte[] payload = new byte[1_000_000];
                java.util.Arrays.fill(payload, (byte) 'x');
                String message = new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
                for (int i = 0; i < 12; i++) {
                    admin.call("PUBLISH", "ch", message);
                }
                Matcher before = toLink(admin);
                long created = Long.parseLong(before.group(1));
                long allocated = Long.parseLong(before.group(2));
                long used = Long.parseLong(before.group(3));
                story.add("to link piles up: " + (used > 1_000_000));
                story.add("allocated covers used: " + (allocated >= used));
                admin.call("CONFIG", "SET", "cluster-link-sendbuf-limit", "4mb");
                ClusterHarness.await("the link freed", 10, () -> info(admin).contains("links_buffer_limit_exceeded:1"));
                Matcher info = Pattern.compile("total_cluster_links_buffer_limit_exceeded:(\\d+)").matcher(info(admin));
                story.add("limit exceeded: " + (info.find() ? info.group(1) : "?"));
                ClusterHarness.await("a new link", 10, () -> {
                    try {
                        return Long.parseLong(toLink(admin).group(1)) != created;
                    } catch (IOException e) {
                        return false;
                    }
                });
                Matcher after = toLink(admin);
                story.add("a new link: true");
                story.add("its buffer: " + (Long.parseLong(after.group(2)) < 1_000_000 ? "small" : after.group(2)));
            } finally {
                signal(peer.pid(), "CONT");
            }
        }
        return story;
    }

    private static Matcher toLink(RespConnection admin) throws IOException {
        Matcher link = TO_LINK.matcher(linksOf(admin));
        if (!link.find()) {
            throw new AssertionError("no link to the peer: " + linksOf(admin));
        }
        return link;
    }

    private static String linksOf(RespConnection admin) {
        try {
            return admin.call("CLUSTER", "LINKS");
        } catch (IOException e) {
            return "";
        }
    }

    private static String info(RespConnection admin) {
        try {
            return admin.call("CLUSTER", "INFO");
        } catch (IOException e) {
            return "";
        }
    }

    private static void signal(long pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    /** The node under test: a redis-server or ours, each in cluster mode on free ports. */
    private record Node(int port, AutoCloseable server) implements AutoCloseable {
        static Node real() throws IOException, InterruptedException {
            RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port",
                    Integer.toString(ClusterHarness.freePort()));
            return new Node(redis.port(), redis);
        }

        static Node ours() throws IOException {
            EmbeddedServer server = ClusterHarness.ours(15_000);
            return new Node(server.port(), server);
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
