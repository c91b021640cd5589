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
 */
record Transcript(Path chapter, List<Step> steps) {

    /** One command line of a transcript and the output expected from it. */
    record Step(Path chapter, int line, String program, String commandLine, List<String> arguments,
                List<String> expected) {

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
    private static final Pattern DELIMITER = Pattern.compile("^-{4,}\\s*$");
    private static final String PROMPT = "$ ";
    private static final List<String> PROGRAMS = List.of("redis-cli", "openssl");

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
            steps.addAll(steps(chapter, lines, open + 1, close));
            i = close + 1;
        }
        return new Transcript(chapter, steps);
    }

    /** The steps of the block body {@code lines[from, to)}. */
    private static List<Step> steps(Path chapter, List<String> lines, int from, int to) {
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
            i++;
            while (i < to && !lines.get(i).startsWith(PROMPT)) {
                expected.add(lines.get(i).stripTrailing());
                i++;
            }
            if (!words.getFirst().equals("redis-cli") && !trimTrailingBlanks(expected).isEmpty()) {
                throw new IllegalArgumentException(where + ": an openssl step's output is not checked, so show none");
            }
            steps.add(new Step(chapter, stepLine, words.getFirst(), commandLine, words.subList(1, words.size()),
                    trimTrailingBlanks(expected)));
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
