// Runs the real redis-cli binary against a server under test, the way a reader would type it.
package io.port6379.book;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Replays one transcript step. The transcript's own {@code -h}/{@code -p} (a reader's server is on
 * 127.0.0.1:6379, its tls-port on 6380) are replaced by the test server's address, and {@code --no-raw} is put first so that
 * redis-cli prints as it does in a terminal ({@code (integer) 1}, {@code "quoted"}, {@code (nil)}) even though
 * its output is a pipe here; a transcript that says {@code --raw} still gets raw output, since the later option wins.
 */
final class RedisCli {

    /** redis-cli's options that take a value, so that the value is not mistaken for the command name. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-h", "-p", "-a", "--user", "--pass", "-r", "-i", "-n",
            "-d", "-D", "--show-pushes", "--cacert", "--cacertdir", "--cert", "--key", "--sni", "--tls-ciphers",
            "--tls-ciphersuites");
    private static final Set<String> REFUSED = Set.of("-s", "-u");
    private static final long TIMEOUT_SECONDS = 10;

    private RedisCli() {
    }

    /** The redis-cli argument list for a transcript's arguments, aimed at {@code 127.0.0.1:port}. */
    static List<String> command(List<String> transcriptArguments, int port) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--no-raw", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        int i = 0;
        while (i < transcriptArguments.size() && transcriptArguments.get(i).startsWith("-")) {
            String option = transcriptArguments.get(i);
            if (REFUSED.contains(option)) {
                throw new IllegalArgumentException("redis-cli " + option + " chooses its own server; transcripts may not use it");
            }
            boolean hasValue = OPTIONS_WITH_VALUE.contains(option);
            if (hasValue && i + 1 >= transcriptArguments.size()) {
                throw new IllegalArgumentException("redis-cli " + option + " needs a value");
            }
            if (!option.equals("-h") && !option.equals("-p")) {
                command.add(option);
                if (hasValue) {
                    command.add(transcriptArguments.get(i + 1));
                }
            }
            i += hasValue ? 2 : 1;
        }
        command.addAll(transcriptArguments.subList(i, transcriptArguments.size()));
        return command;
    }

    /**
     * Runs redis-cli in {@code directory} (where the chapter's certificate files are) against {@code port}, or
     * {@code tlsPort} for a step aimed at the reader's {@code -p 6380}, and returns what it printed (stdout and stderr together), line
     * by line, trailing blanks cut.
     */
    static List<String> run(List<String> transcriptArguments, int port, int tlsPort, Path directory)
            throws IOException, InterruptedException {
        return run(transcriptArguments, List.of(), port, tlsPort, directory);
    }

    /**
     * {@link #run}, with {@code typed} as redis-cli's standard input, one command a line: redis-cli then runs them
     * one after another on one connection, as at its prompt, and prints each reply as it would there (without the
     * prompts).
     */
    static List<String> run(List<String> transcriptArguments, List<String> typed, int port, int tlsPort, Path directory)
            throws IOException, InterruptedException {
        int p = transcriptArguments.indexOf("-p");
        boolean tls = p >= 0 && p + 1 < transcriptArguments.size() && transcriptArguments.get(p + 1).equals(Transcript.TLS_PORT);
        int target = tls ? tlsPort : port;
        Process process = new ProcessBuilder(command(transcriptArguments, target)).directory(directory.toFile())
                .redirectErrorStream(true).start();
        try (var input = process.getOutputStream()) {
            for (String line : typed) {
                input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("redis-cli did not finish within " + TIMEOUT_SECONDS + " s");
        }
        List<String> lines = new String(output, StandardCharsets.UTF_8).lines().map(String::stripTrailing).toList();
        return Transcript.trimTrailingBlanks(lines);
    }
}
