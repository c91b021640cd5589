// aclfile, ACL LOAD/SAVE, redis.conf's user lines and CONFIG REWRITE, acllog-max-len, acl-pubsub-default: ours as redis-server.
package io.port6379.server.security;

import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import io.port6379.server.network.RedisServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both servers start with an ACL file of their own in one directory ({@code redis.acl}, {@code ours.acl}); each
 * scenario sends the same commands to both, and compares replies and files with the file names made equal.
 */
class AclFileTest {

    private Path directory;
    private RealRedis redis;
    private RedisServer ours;

    @BeforeEach
    void start() throws Exception {
        Binaries.require("redis-server");
        directory = Files.createTempDirectory("aclfile");
        Files.writeString(directory.resolve("redis.acl"), "");
        Files.writeString(directory.resolve("ours.acl"), "");
        redis = RealRedis.start("--aclfile", file("redis").toString());
        ours = Port6379.server(ServerConfig.fromArguments("--port", "0", "--bind", "127.0.0.1", "--aclfile",
                file("ours").toString()));
        ours.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.close();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Path file(String server) {
        return directory.resolve(server + ".acl");
    }

    /** The replies of {@code commands} on one connection to each server, with each one's file name replaced. */
    private void sameOnBoth(String[]... commands) throws IOException {
        assertEquals(transcript(redis.port(), "redis", commands), transcript(ours.port(), "ours", commands));
    }

    private String transcript(int port, String server, String[]... commands) throws IOException {
        StringBuilder out = new StringBuilder();
        try (RespConnection connection = new RespConnection(port)) {
            for (String[] command : commands) {
                out.append(String.join(" ", command)).append(" -> ").append(connection.call(command)).append('\n');
            }
        }
        return out.toString().replace(file(server).toString(), "FILE");
    }

    private static String[] cmd(String... args) {
        return args;
    }

    private static final String[][] USERS = {
        cmd("ACL", "SETUSER", "alice", "on", ">wonderland", "~cached:*", "+get", "&news.*"),
        cmd("ACL", "SETUSER", "bob", "on", "nopass", "-@all", "+@read", "(~w* +set)", "(%R~r* +get)"),
        cmd("ACL", "SETUSER", "carol", "off", "resetchannels", "allkeys", "+@all", "-flushall", "skip-sanitize-payload"),
        cmd("ACL", "SETUSER", "default", "on", ">secret", "~*", "&*", "+@all")};

    @Test
    void aclSaveWritesTheSameFileAsRedis() throws IOException {
        sameOnBoth(USERS);
        sameOnBoth(cmd("AUTH", "secret"), cmd("ACL", "SAVE"));
        assertEquals(Files.readString(file("redis")), Files.readString(file("ours")));
        assertTrue(Files.readString(file("ours")).startsWith("user alice on #"));
    }

    @Test
    void aFileWrittenByRedisLoadsIntoOursAndTheReverse() throws IOException {
        List<String[]> commands = new ArrayList<>(List.of(USERS).subList(0, USERS.length - 1)); // default: no password
        commands.add(cmd("ACL", "SAVE"));
        try (RespConnection connection = new RespConnection(redis.port())) {
            for (String[] command : commands) {
                connection.call(command);
            }
        }
        Files.copy(file("redis"), file("ours"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sameOnBoth(cmd("ACL", "LOAD"), cmd("ACL", "LIST"), cmd("AUTH", "alice", "wonderland"),
                cmd("GET", "cached:1"), cmd("GET", "other"));
        sameOnBoth(cmd("ACL", "SETUSER", "dave", "on", ">x", "+ping"), cmd("ACL", "SAVE"));
        Files.copy(file("ours"), file("redis"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sameOnBoth(cmd("ACL", "SETUSER", "eve", "on"), cmd("ACL", "LOAD"), cmd("ACL", "LIST"));
    }

    @Test
    void aFileWithErrorsChangesNothingAndListsEachErrorWithItsLine() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "keep", "on", "+get"));
        String bad = "user carol on >x +get ~a*\n\nfoo bar\nuser dave on +nosuch +get +nosuch2\nuser \"eve\" on ~x\n"
                + "user frank on >a b c\nuser carol off\n  user  hal on\nuser ivy on <nopassword\nuser jo on ~k* allkeys\n";
        Files.writeString(file("redis"), bad);
        Files.writeString(file("ours"), bad);
        sameOnBoth(cmd("ACL", "LOAD"), cmd("ACL", "LIST"));
        Files.delete(file("redis"));
        Files.delete(file("ours"));
        sameOnBoth(cmd("ACL", "LOAD"), cmd("ACL", "LIST"));
    }

    @Test
    void selectorsHonourQuotesAsRedisDoes() throws IOException {
        sameOnBoth(cmd("ACL", "SETUSER", "q", "on", "(~'a b' +get)", "(~\"c\\x41\" +set)", "(~'unbalanced +get)"),
                cmd("ACL", "LIST"), cmd("ACL", "GETUSER", "q"));
    }

    @Test
    void acllogMaxLenAndAclPubsubDefaultAreSettings() throws IOException {
        sameOnBoth(cmd("CONFIG", "SET", "acllog-max-len", "2"), cmd("CONFIG", "GET", "acllog-max-len"),
                cmd("ACL", "SETUSER", "limited", "on", "nopass", "+auth"), cmd("AUTH", "limited", "x"),
                cmd("GET", "a"), cmd("SET", "b", "1"), cmd("INCR", "c"), cmd("AUTH", "default", "x"));
        assertEquals(logLength(redis.port()), logLength(ours.port())); // the entries' ages and client lines differ
        assertEquals(2, logLength(ours.port()));
        sameOnBoth(cmd("CONFIG", "SET", "acl-pubsub-default", "allchannels"), cmd("ACL", "SETUSER", "pub", "on"),
                cmd("ACL", "SETUSER", "sel", "on", "(+get ~x)"), cmd("ACL", "SETUSER", "sel", "reset"),
                cmd("CONFIG", "SET", "acl-pubsub-default", "resetchannels"), cmd("ACL", "SETUSER", "sub", "on"),
                cmd("CONFIG", "SET", "acl-pubsub-default", "some"), cmd("CONFIG", "SET", "aclfile", "x"), cmd("ACL", "LIST"));
    }

    @Test
    void userLinesInTheConfigFileAndConfigRewrite() throws Exception {
        Path redisConf = directory.resolve("redis.conf");
        Path oursConf = directory.resolve("ours.conf");
        String conf = "user bob on \"(+get ~k*)\" >pw\nuser default on nopass ~* +@all\n";
        Files.writeString(redisConf, conf);
        Files.writeString(oursConf, conf);
        try (RealRedis configured = RealRedis.startWithConfigFile(redisConf)) {
            RedisServer configuredOurs = Port6379.server(ServerConfig.fromArguments(oursConf.toString(), "--port", "0",
                    "--bind", "127.0.0.1"));
            configuredOurs.start();
            try {
                String[][] commands = {cmd("ACL", "LIST"), cmd("ACL", "SETUSER", "zed", "on"), cmd("CONFIG", "REWRITE"),
                    cmd("ACL", "LOAD"), cmd("ACL", "SAVE")};
                assertEquals(transcript(configured.port(), "redis", commands), transcript(configuredOurs.port(), "ours", commands));
                assertEquals(userLines(redisConf), userLines(oursConf));
                assertEquals(3, userLines(oursConf).size());
            } finally {
                configuredOurs.close();
            }
        }
        Files.writeString(oursConf, "user bob on +nosuch\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Port6379.server(ServerConfig.fromArguments(oursConf.toString(), "--port", "0")));
        assertTrue(error.getMessage().startsWith("Error loading ACL rule '+nosuch' for the user named 'bob': Unknown command"),
                error.getMessage());
        Files.writeString(oursConf, "aclfile " + file("ours") + "\nuser bob on\n");
        error = assertThrows(IllegalArgumentException.class,
                () -> Port6379.server(ServerConfig.fromArguments(oursConf.toString(), "--port", "0")));
        assertTrue(error.getMessage().startsWith("Configuring Redis with users defined in redis.conf and at the same"));
    }

    private static int logLength(int port) throws IOException {
        try (RespConnection connection = new RespConnection(port)) {
            return ((List<?>) connection.callParsed("ACL", "LOG", "10")).size();
        }
    }

    private static List<String> userLines(Path conf) throws IOException {
        return Files.readAllLines(conf).stream().filter(line -> line.startsWith("user ")).toList();
    }
}
