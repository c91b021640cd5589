// Starts a server under test from a shell command line, as exercises/track/track.conf gives it.
package io.port6379.exercises.track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Any language plugs in here: the command is run by {@code sh -c} in {@code directory}, with
 * {@code --port N} and the stage's other arguments appended, each quoted for the shell. What it prints goes to a
 * temporary file whose last lines a report shows when the server exits. The server counts as started once
 * its port accepts a connection.
 *
 * <p>It is stopped with SIGKILL, itself and any process it started: a server stopped that way cannot write a
 * dump file on its way out (Redis and the reference do on SIGTERM when they have save points), so no run
 * leaves files behind.
 */
public final class ServerCommand implements ServerLauncher {

    private static final long START_TIMEOUT_MILLIS = 20_000;

    private final String command;
    private final Path directory;
    private final Map<String, String> environment;

    /** {@code command} run in {@code directory}, with {@code environment} added to this process's own. */
    public ServerCommand(String command, Path directory, Map<String, String> environment) {
        this.command = command;
        this.directory = directory;
        this.environment = environment;
    }

    @Override
    public Running start(int port, List<String> arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port)));
        all.addAll(arguments);
        StringBuilder line = new StringBuilder("exec ").append(command);
        for (String argument : all) {
            line.append(' ').append(shellQuote(argument));
        }
        Path output = Files.createTempFile("track-server", ".log");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", line.toString()).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        ProcessServer server = new ProcessServer(process, output, line.substring("exec ".length()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (true) {
            if (!process.isAlive()) {
                server.startProblem = "the server exited with code " + process.exitValue() + " before it listened on port " + port;
                return server;
            }
            if (accepts(port)) {
                return server;
            }
            if (System.nanoTime() > deadline) {
                server.startProblem = "nothing listens on port " + port + " " + START_TIMEOUT_MILLIS / 1000
                        + " s after the server started";
                return server;
            }
            Thread.sleep(20);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One argument as sh reads it back unchanged: in single quotes, a quote inside written as '\''. */
    static String shellQuote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** The command, as a report names it. */
    public String command() {
        return command;
    }

    private static final class ProcessServer implements Running {

        private final Process process;
        private final Path output;
        private final String commandLine;
        private String startProblem;

        ProcessServer(Process process, Path output, String commandLine) {
            this.process = process;
            this.output = output;
            this.commandLine = commandLine;
        }

        @Override
        public String problem() {
            if (startProblem != null) {
                return startProblem + " (started as: " + commandLine + ")";
            }
            return process.isAlive() ? null : "the server exited with code " + process.exitValue();
        }

        @Override
        public String outputTail() {
            try {
                List<String> lines = Files.readString(output, StandardCharsets.ISO_8859_1).lines().toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                Files.deleteIfExists(output);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
