// nodes.conf crosses between redis-server and ours: each restarts as the node the other saved (name, epochs, slots).
package io.port6379.server.cluster;

import io.port6379.server.TestServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodesConfInteropTest {

    @TempDir
    Path directory;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String call(int port, String... args) throws IOException {
        try (RespConnection connection = new RespConnection(port)) {
            return connection.call(args);
        }
    }

    /** CLUSTER NODES's myself line with the port and bus port cut out: what must survive a restart. */
    private static String myselfLine(int port) throws IOException {
        String nodes = call(port, "CLUSTER", "NODES");
        String line = nodes.lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        return line.replaceFirst(" \\S*:\\d+@\\d+ ", " ADDRESS ").replaceFirst("^\\$\\d+", "");
    }

    private RealRedis real() throws Exception {
        return RealRedis.start("--cluster-enabled", "yes", "--cluster-port", String.valueOf(freePort()),
                "--dir", directory.toString());
    }

    private TestServer ours() throws IOException {
        return TestServer.start("--cluster-enabled", "yes", "--cluster-port", String.valueOf(freePort()),
                "--dir", directory.toString(), "--save", "");
    }

    @Test
    void oursRestartsAsTheNodeRedisSaved() throws Exception {
        String id;
        String line;
        try (RealRedis redis = real()) {
            assertEquals("+OK\r\n", call(redis.port(), "CLUSTER", "ADDSLOTSRANGE", "0", "99", "200", "16383"));
            assertTrue(call(redis.port(), "CLUSTER", "BUMPEPOCH").startsWith("+BUMPED"));
            assertEquals("+OK\r\n", call(redis.port(), "CLUSTER", "SAVECONFIG"));
            id = call(redis.port(), "CLUSTER", "MYID");
            line = myselfLine(redis.port());
        }
        try (TestServer ours = ours()) {
            assertEquals(id, call(ours.port(), "CLUSTER", "MYID"));
            assertEquals(line, myselfLine(ours.port()));
            assertTrue(call(ours.port(), "CLUSTER", "INFO").contains("cluster_current_epoch:1\r\n"));
        }
    }

    @Test
    void redisRestartsAsTheNodeOursSaved() throws Exception {
        String id;
        String line;
        try (TestServer ours = ours()) {
            assertEquals("+OK\r\n", call(ours.port(), "CLUSTER", "ADDSLOTSRANGE", "5", "10", "16000", "16383"));
            assertEquals("+OK\r\n", call(ours.port(), "CLUSTER", "SET-CONFIG-EPOCH", "7"));
            assertEquals("+OK\r\n", call(ours.port(), "CLUSTER", "SAVECONFIG"));
            id = call(ours.port(), "CLUSTER", "MYID");
            line = myselfLine(ours.port());
        }
        try (RealRedis redis = real()) {
            assertEquals(id, call(redis.port(), "CLUSTER", "MYID"));
            assertEquals(line, myselfLine(redis.port()));
            assertTrue(call(redis.port(), "CLUSTER", "INFO").contains("cluster_current_epoch:7\r\n"));
        }
    }
}
