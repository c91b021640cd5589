// Without cluster-enabled, the cluster's commands answer as a standalone redis-server's do, and nothing is routed.
package io.port6379.server.cluster;

import io.port6379.server.TestServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterDisabledTest {

    private static final List<List<String>> COMMANDS = List.of(List.of("CLUSTER", "KEYSLOT", "a"),
            List.of("CLUSTER", "HELP"), List.of("CLUSTER", "INFO"), List.of("CLUSTER", "NODES"), List.of("CLUSTER", "MYID"),
            List.of("CLUSTER", "ADDSLOTS", "1"), List.of("CLUSTER", "NOPE"), List.of("ASKING"), List.of("READONLY"),
            List.of("READWRITE"), List.of("SELECT", "1"), List.of("SET", "a", "1"), List.of("MSET", "a", "1", "b", "2"),
            List.of("HELLO", "2"), List.of("INFO", "cluster"));

    private static List<String> replies(int port) throws Exception {
        try (RespConnection connection = new RespConnection(port)) {
            return COMMANDS.stream().map(command -> {
                try {
                    return connection.call(command.toArray(String[]::new)).replaceAll(":\\d+\r\n\\$4\r\nmode", ":ID\r\n\\$4\r\nmode");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void aStandaloneServerAnswersTheClusterCommandsAsRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start("--save", "")) {
            List<String> expected = replies(redis.port());
            List<String> actual = replies(ours.port());
            for (int i = 0; i < COMMANDS.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), "reply to " + COMMANDS.get(i));
            }
        }
    }
}
