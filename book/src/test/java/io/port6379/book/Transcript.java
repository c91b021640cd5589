// The machine-checkable "Try it" transcripts of a chapter: redis-cli command lines and the output they print.
package io.port6379.book;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The steps of every {@code [source,console,role=try]} block of one chapter, in order (see chapters/README.md).
 * Inside such a block a line {@code $ redis-cli ARGS...} is a step; the lines after it, up to the next
 * {@code $} line or the end of the block, are the output redis-cli prints in a terminal. A line
 * {@code $ openssl ARGS...} is a step too, run in the chapter's directory to make the files later steps use
 * (certificates); what it prints is not compared, so the chapter shows none. A command line ending in a
 * backslash goes on on the next line, as in a shell.
 *
 * <p>A line {@code $ redis-cli} with no command (options only) opens redis-cli's prompt instead: the lines after it
 * that start with the prompt, {@code 127.0.0.1:6379> } (or {@code 127.0.0.1:6379[1]> } after a SELECT, and with
 * {@code (TX)} inside MULTI), are commands typed on one connection, and the other lines their output. Such a step
 * is replayed by one redis-cli reading its commands from standard input, so MULTI...EXEC, a lock taken and
 * released, or a SELECT keep their connection.
 *
 * <p>A block marked {@code server=cluster} ({@code [source,console,role=try,server=cluster]}) is replayed on servers
 * started in cluster mode ({@code --cluster-enabled yes}), a fresh pair for each run of such blocks; the other
 * blocks on servers without it.
 */
record Transcript(Path chapter, List<Step> steps) {

    /** One command line of a transcript and the output expected from it. */
    record Step(Path chapter, int line, String program, String commandLine, List<String> arguments,
                List<String> expected, List<String> typed, boolean cluster) {

        Step(Path chapter, int line, String program, String commandLine, List<String> arguments, List<String> expected) {
            this(chapter, line, program, commandLine, arguments, expected, List.of(), false);
        }

        /** Whether this step is a prompt: commands typed on one connection, {@link #typed}. */
        boolean interactive() {
            return !typed.isEmpty();
        }

        String where() {
            return Chapters.name(chapter) + ":" + line;
        }

        boolean isRedisCli() {
            return program.equals("redis-cli");
        }

        /**
         * A redis-cli step aimed at the reader's tls-port, {@code -p 6380} (chapter 13's {@code ./run-server
         * --tls-port 6380}): it goes to the test server's tls-port, with the chapter's certificates.
         */
        boolean overTls() {
            int p = arguments.indexOf("-p");
            return isRedisCli() && p >= 0 && p + 1 < arguments.size() && arguments.get(p + 1).equals(TLS_PORT);
        }
    }

    /** The reader's tls-port, in a transcript's {@code -p}. */
    static final String TLS_PORT = "6380";

    /** Whether the chapter's servers need a tls-port: some step connects to {@code -p 6380}. */
    boolean usesTls() {
        return steps.stream().anyMatch(Step::overTls);
    }

    private static final Pattern TRY_BLOCK = Pattern.compile("^\\[source,\\s*console\\s*,.*\\brole=\"?try\"?.*]\\s*$");
    /** A try block for a server in cluster mode. */
    private static final Pattern CLUSTER_BLOCK = Pattern.compile("^\\[.*\\bserver=\"?cluster\"?\\s*[,\\]].*$");
    private static final Pattern DELIMITER = Pattern.compile("^-{4,}\\s*$");
    private static final String PROMPT = "$ ";
    private static final List<String> PROGRAMS = List.of("redis-cli", "openssl");
    /** redis-cli's own prompt for the reader's server, with the database after SELECT and (TX) inside MULTI. */
    private static final Pattern CLI_PROMPT = Pattern.compile("^127\\.0\\.0\\.1:6379(?:\\[\\d+])?(?:\\(TX\\))?> (.*)$");

    static Transcript parse(Path chapter, List<String> lines) {
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (!TRY_BLOCK.matcher(lines.get(i)).matches()) {
                i++;
                continue;
            }
            int open = i + 1;
            if (open >= lines.size() || !DELIMITER.matcher(lines.get(open)).matches()) {
                throw new IllegalArgumentException(Chapters.name(chapter) + ":" + (i + 1)
                        + ": a try block must be a ---- delimited listing");
            }
            String delimiter = lines.get(open).strip();
            int close = open + 1;
            while (close < lines.size() && !lines.get(close).strip().equals(delimiter)) {
                close++;
            }
            if (close >= lines.size()) {
                throw new IllegalArgumentException(Chapters.name(chapter) + ":" + (i + 1) + ": unclosed try block");
            }
            steps.addAll(steps(chapter, lines, open + 1, close, CLUSTER_BLOCK.matcher(lines.get(i)).matches()));
            i = close + 1;
        }
        return new Transcript(chapter, steps);
    }

    /** The steps of the block body {@code lines[from, to)}. */
    private static List<Step> steps(Path chapter, List<String> lines, int from, int to, boolean cluster) {
        List<Step> steps = new ArrayList<>();
        int i = from;
        while (i < to && lines.get(i).isBlank()) {
            i++;
        }
        while (i < to) {
            String line = lines.get(i);
            String where = Chapters.name(chapter) + ":" + (i + 1);
            if (!line.startsWith(PROMPT)) {
                throw new IllegalArgumentException(where + ": a try block must start with a '$ redis-cli' line, found: " + line);
            }
            String commandLine = line.substring(PROMPT.length()).strip();
            int stepLine = i + 1;
            while (commandLine.endsWith("\\") && i + 1 < to) { // continued on the next line
                i++;
                commandLine = commandLine.substring(0, commandLine.length() - 1).stripTrailing() + " " + lines.get(i).strip();
            }
            List<String> words;
            try {
                words = CommandLine.split(commandLine);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (words.isEmpty() || !PROGRAMS.contains(words.getFirst())) {
                throw new IllegalArgumentException(where + ": only redis-cli and openssl commands can be run, found: " + line);
            }
            List<String> expected = new ArrayList<>();
            List<String> typed = new ArrayList<>();
            boolean prompt = words.getFirst().equals("redis-cli")
                    && words.subList(1, words.size()).stream().allMatch(word -> word.startsWith("-"));
            i++;
            while (i < to && !lines.get(i).startsWith(PROMPT)) {
                java.util.regex.Matcher command = CLI_PROMPT.matcher(lines.get(i));
                if (prompt && command.matches()) {
                    typed.add(command.group(1).strip());
                } else {
                    expected.add(lines.get(i).stripTrailing());
                }
                i++;
            }
            if (prompt && typed.isEmpty()) {
                throw new IllegalArgumentException(Chapters.name(chapter) + ":" + stepLine
                        + ": `$ redis-cli` without a command must be followed by commands at its prompt, 127.0.0.1:6379> ");
            }
            if (!words.getFirst().equals("redis-cli") && !trimTrailingBlanks(expected).isEmpty()) {
                throw new IllegalArgumentException(where + ": an openssl step's output is not checked, so show none");
            }
            steps.add(new Step(chapter, stepLine, words.getFirst(), commandLine, words.subList(1, words.size()),
                    trimTrailingBlanks(expected), List.copyOf(typed), cluster));
        }
        return steps;
    }

    static List<String> trimTrailingBlanks(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        return List.copyOf(lines.subList(0, end));
    }
}
