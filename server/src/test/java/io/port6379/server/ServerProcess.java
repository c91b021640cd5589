// One of ours as a process of its own (Main, as an operator starts it), for what only a fresh JVM shows.
package io.port6379.server;

import io.port6379.server.main.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server started by {@code java -cp <the test's class path> Main ARGUMENTS}, with this JVM's {@code java}: what
 * {@code Main} sets for the whole process before anything else (the JDK's TLS properties) is then as in
 * production, whatever the tests before it did in the test JVM. It is ready when it logs "Ready to accept
 * connections"; {@link #close} kills it. Its log is kept for failure messages.
 */
public final class ServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final StringBuffer log = new StringBuffer();

    private ServerProcess(Process process) {
        this.process = process;
    }

    /** Started with {@code --bind 127.0.0.1 --save ""} and then {@code arguments}; returns once it listens. */
    public static ServerProcess start(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--bind", "127.0.0.1", "--save", ""));
        command.addAll(List.of(arguments));
        ServerProcess server = new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        Object ready = new Object();
        boolean[] seen = {false};
        Thread.ofVirtual().name("server-process-log").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    server.log.append(line).append('\n');
                    if (line.contains("Ready to accept connections")) {
                        synchronized (ready) {
                            seen[0] = true;
                            ready.notifyAll();
                        }
                    }
                }
            } catch (IOException ended) {
                // the process is gone: close() or a failed start, which the wait below reports
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        synchronized (ready) {
            while (!seen[0] && server.process.isAlive() && System.nanoTime() < deadline) {
                ready.wait(100);
            }
        }
        if (!seen[0]) {
            server.close();
            throw new IOException("our server did not start: " + String.join(" ", command) + "\n" + server.log);
        }
        return server;
    }

    /** What the server has logged so far. */
    public String log() {
        return log.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
