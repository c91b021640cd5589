// unixsocket and unixsocketperm against both servers: redis-cli -s, CLIENT LIST's address and flag, the file's mode.
package io.port6379.server.network;

import io.port6379.server.TestServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class UnixSocketTest {

    @Test
    void redisCliOverTheUnixSocketSeesTheSameOnBothServers() throws Exception {
        Binaries.require("redis-server");
        Path directory = Files.createTempDirectory("unix");
        Path redisSocket = directory.resolve("redis.sock");
        Path oursSocket = directory.resolve("ours.sock");
        Files.writeString(oursSocket, "left by an earlier run"); // removed at start-up, as Redis does
        try (RealRedis redis = RealRedis.start("--unixsocket", redisSocket.toString(), "--unixsocketperm", "700");
             TestServer ours = TestServer.start("--unixsocket", oursSocket.toString(), "--unixsocketperm", "700")) {
            assertEquals(setGetDel(redisSocket), setGetDel(oursSocket));
            assertEquals(clientListFields(redisSocket).replace(redisSocket.toString(), "PATH"),
                    clientListFields(oursSocket).replace(oursSocket.toString(), "PATH"));
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(redisSocket)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(oursSocket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(oursSocket)));
            assertEquals(cli(redisSocket, "CONFIG", "GET", "unixsocket").replace(redisSocket.toString(), "PATH"),
                    cli(oursSocket, "CONFIG", "GET", "unixsocket").replace(oursSocket.toString(), "PATH"));
            assertEquals(cli(redisSocket, "CONFIG", "GET", "unixsocketperm"), cli(oursSocket, "CONFIG", "GET", "unixsocketperm"));
            assertEquals(cli(redisSocket, "CONFIG", "SET", "unixsocketperm", "777"),
                    cli(oursSocket, "CONFIG", "SET", "unixsocketperm", "777"));
        }
        assertFalse(Files.exists(oursSocket), "the socket file is removed at shutdown");
        Files.deleteIfExists(redisSocket);
        Files.delete(directory);
    }

    private static String setGetDel(Path socket) throws IOException, InterruptedException {
        return cli(socket, "SET", "fruit", "apple") + cli(socket, "GET", "fruit") + cli(socket, "DEL", "fruit");
    }

    /** addr, laddr and flags of the client asking. */
    private static String clientListFields(Path socket) throws IOException, InterruptedException {
        String info = cli(socket, "CLIENT", "INFO");
        StringBuilder fields = new StringBuilder();
        for (String name : List.of("addr", "laddr", "flags")) {
            Matcher matcher = Pattern.compile("\\b" + name + "=(\\S+)").matcher(info);
            fields.append(matcher.find() ? matcher.group(0) : name + " missing").append(' ');
        }
        return fields.toString();
    }

    private static String cli(Path socket, String... command) throws IOException, InterruptedException {
        List<String> arguments = new java.util.ArrayList<>(List.of(Binaries.require("redis-cli").toString(), "-s", socket.toString()));
        arguments.addAll(List.of(command));
        Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
