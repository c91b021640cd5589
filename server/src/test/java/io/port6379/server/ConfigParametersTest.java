// Every Redis 7.0 parameter: CONFIG GET * names and defaults, and CONFIG REWRITE's file, compared with redis-server.
package io.port6379.server;

import io.port6379.server.config.ConfigParameter;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParametersTest {

    /**
     * The parameters whose values legitimately differ between two servers started the same way: each listens on a
     * port of its own and works in a directory of its own.
     */
    private static final Set<String> DIFFERENT_BY_NATURE = Set.of("port", "dir");

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void configGetStarListsRedisNamesAndDefaults() throws Exception {
        Map<String, String> real = configGet(servers.redis().port(), "*");
        Map<String, String> ours = configGet(servers.ours().port(), "*");
        assertEquals(192, real.size());
        assertEquals(real.keySet(), ours.keySet());
        for (String name : real.keySet()) {
            if (!DIFFERENT_BY_NATURE.contains(name)) {
                assertEquals(real.get(name), ours.get(name), name);
            }
        }
    }

    @Test
    void hiddenParametersAnswerByExactNameWithRedisDefaults() throws Exception {
        for (String name : List.of("key-load-delay", "rdb-key-save-delay", "watchdog-period", "use-exit-on-panic",
                "loading-process-events-interval-bytes")) {
            assertEquals(configGet(servers.redis().port(), name), configGet(servers.ours().port(), name), name);
        }
    }

    @Test
    void everyParameterIsEitherAppliedOrSaysWhyItIsOnlyStored() {
        ServerConfig config = new ServerConfig();
        int stored = 0;
        for (ConfigParameter parameter : config.parameters()) {
            if (!parameter.storedOnly().isEmpty()) {
                stored++;
            }
        }
        assertTrue(stored > 0 && stored < config.parameters().size());
    }

    /**
     * CONFIG REWRITE of the same file after the same CONFIG SETs: the file's own lines (comments kept, aliases
     * renamed, repeated lines blanked, unknown ones commented out) are Redis's byte for byte; the lines appended
     * after the signature are the same set, as Redis appends them in its hash table's order.
     */
    @Test
    void configRewriteKeepsTheFileAsRedisDoes(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        String original = """
                # top comment
                bind 127.0.0.1

                   # indented comment
                save ""
                slave-read-only no
                hash-max-ziplist-entries 100
                rename-command KEYS ""
                maxmemory 1mb
                hz 20
                hz 30
                client-output-buffer-limit pubsub 1mb 2mb 30
                appendonly no
                daemonize no
                tls-ciphers "a b"
                # trailing comment
                """;
        Path realFile = Files.createDirectories(directory.resolve("real")).resolve("redis.conf");
        Path ourFile = Files.createDirectories(directory.resolve("ours")).resolve("redis.conf");
        Files.writeString(realFile, original);
        Files.writeString(ourFile, original);
        String[] changes = {"CONFIG", "SET", "maxmemory", "2mb", "slave-lazy-flush", "yes", "timeout", "7", "save",
                "100 10 200 20", "maxmemory-clients", "5%", "list-max-ziplist-size", "3", "notify-keyspace-events", "KEA",
                "latency-tracking-info-percentiles", "50 99.5", "hash-max-listpack-value", "1024",
                "oom-score-adj-values", "1 2 3", "appendfsync", "always", "tls-ciphers", ""};
        String realAfter;
        try (RealRedis redis = RealRedis.startWithConfigFile(realFile, "--dir", realFile.getParent().toString());
             RespConnection connection = new RespConnection(redis.port())) {
            assertEquals("+OK\r\n", connection.call(changes));
            assertEquals("+OK\r\n", connection.call("CONFIG", "REWRITE"));
            realAfter = Files.readString(realFile);
        }
        RedisServer server = Port6379.server(ServerConfig.fromArguments(ourFile.toString(), "--port", "0",
                "--dir", ourFile.getParent().toString()));
        server.start();
        String ourAfter;
        try (RespConnection connection = new RespConnection(server.port())) {
            assertEquals("+OK\r\n", connection.call(changes));
            assertEquals("+OK\r\n", connection.call("CONFIG", "REWRITE"));
            ourAfter = Files.readString(ourFile);
        } finally {
            server.close();
        }
        String[] real = withoutPortAndDir(realAfter).split("# Generated by CONFIG REWRITE\n", 2);
        String[] ours = withoutPortAndDir(ourAfter).split("# Generated by CONFIG REWRITE\n", 2);
        assertEquals(real[0], ours[0]);
        assertEquals(new TreeSet<>(List.of(real[1].split("\n"))), new TreeSet<>(List.of(ours[1].split("\n"))));
    }

    private static String withoutPortAndDir(String file) {
        return file.replaceAll("(?m)^(port|dir) .*\n", "");
    }

    private static Map<String, String> configGet(int port, String pattern) throws IOException {
        try (RespConnection connection = new RespConnection(port)) {
            List<?> reply = (List<?>) connection.callParsed("CONFIG", "GET", pattern);
            Map<String, String> values = new TreeMap<>();
            for (int i = 0; i < reply.size(); i += 2) {
                values.put((String) reply.get(i), (String) reply.get(i + 1));
            }
            return values;
        }
    }
}
