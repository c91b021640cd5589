// One data node of a Sentinel test: a real redis-server or our server, each a process of its own that can be SIGKILLed.
package io.port6379.server.sentinel;

import io.port6379.server.main.Main;
import io.port6379.testing.Binaries;
import io.port6379.testing.RespConnection;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node as Sentinel sees one: a process on 127.0.0.1 and a fixed port, with a config file it may rewrite
 * ({@code CONFIG REWRITE} is part of what Sentinel sends on a failover). Both kinds run as child processes, ours
 * in a JVM of its own from the test class path, so that {@link #kill()} is a real {@code SIGKILL}: no shutdown
 * hook, no last flush, the sockets reset by the kernel. {@link #restart()} starts the same config file again on
 * the same port, as an operator restarting a crashed server would; with {@code save ""} it comes back empty, and
 * it is Sentinel's job to turn it into a replica of whoever is master now.
 */
final class Node implements AutoCloseable {

    /** Which server a node runs. */
    enum Kind {
        /** Debian's redis-server 7.0.15. */
        REDIS,
        /** Ours, {@link Main} in a JVM of its own. */
        PORT6379;

        static Kind parse(String name) {
            return switch (name.strip().toLowerCase()) {
                case "redis", "real" -> REDIS;
                case "ours", "port6379" -> PORT6379;
                default -> throw new IllegalArgumentException("node kind: redis or ours, not " + name);
            };
        }
    }

    private static final String READY = "Ready to accept connections";

    private final Kind kind;
    private final int port;
    private final Path directory;
    private final Path config;
    private Process process;
    private int starts;

    private Node(Kind kind, int port, Path directory, Path config) {
        this.kind = kind;
        this.port = port;
        this.directory = directory;
        this.config = config;
    }

    /** A started node, replica of 127.0.0.1:{@code masterPort} unless that is 0, ready for commands. */
    static Node start(Kind kind, Path directory, int masterPort) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        int port = freePort();
        Path config = directory.resolve("node.conf");
        List<String> lines = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "save \"\"",
                "appendonly no", "dir " + directory, "enable-debug-command local", "repl-diskless-sync-delay 0"));
        if (masterPort != 0) {
            lines.add("replicaof 127.0.0.1 " + masterPort);
        }
        Files.write(config, lines);
        Node node = new Node(kind, port, directory, config);
        node.launch();
        return node;
    }

    Kind kind() {
        return kind;
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor();
    }

    /** Starts the same config file again on the same port (after {@link #kill()}). */
    void restart() throws IOException, InterruptedException {
        launch();
    }

    /** One command on a fresh connection, its reply as {@link RespConnection#callParsed} gives it. */
    Object call(String... command) throws IOException {
        try (RespConnection connection = new RespConnection(port)) {
            return connection.callParsed(command);
        }
    }

    /** The value of one {@code INFO} field, or null when the node does not report it. */
    String info(String field) throws IOException {
        Object reply = call("INFO", "all");
        if (!(reply instanceof String text)) {
            return null;
        }
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + "@" + port;
    }

    private void launch() throws IOException, InterruptedException {
        starts++;
        Path log = directory.resolve("node-" + starts + ".log");
        List<String> command = switch (kind) {
            case REDIS -> List.of(Binaries.require("redis-server").toString(), config.toString());
            case PORT6379 -> List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-Xmx512m", "-XX:+UseSerialGC", "-Djdk.virtualThreadScheduler.parallelism=1",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), config.toString());
        };
        process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log, StandardCharsets.ISO_8859_1);
            if (output.contains(READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(this + " exited at start; its log:\n" + output);
            }
            Thread.sleep(20);
        }
        throw new IOException(this + " did not start in 30 s; its log:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The logs of every start, for a failure message. */
    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            Path log = directory.resolve("node-" + i + ".log");
            all.append("--- ").append(this).append(" start ").append(i).append('\n').append(Files.readString(log, StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill();
        }
    }
}
