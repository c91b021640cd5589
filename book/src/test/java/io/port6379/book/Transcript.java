// The machine-checkable "Try it" transcripts of a chapter: redis-cli command lines and the output they print.
package io.port6379.book;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The steps of every {@code [source,console,role=try]} block of one chapter, in order (see chapters/README.md).
 * Inside such a block a line {@code $ redis-cli ARGS...} is a step; the lines after it, up to the next
 * {@code $} line or the end of the block, are the output redis-cli prints in a terminal.
 */
record Transcript(Path chapter, List<Step> steps) {

    /** One command line of a transcript and the output expected from it. */
    record Step(Path chapter, int line, String commandLine, List<String> arguments, List<String> expected) {

        String where() {
            return Chapters.name(chapter) + ":" + line;
        }
    }

    private static final Pattern TRY_BLOCK = Pattern.compile("^\\[source,\\s*console\\s*,.*\\brole=\"?try\"?.*]\\s*$");
    private static final Pattern DELIMITER = Pattern.compile("^-{4,}\\s*$");
    private static final String PROMPT = "$ ";

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
            List<String> words;
            try {
                words = CommandLine.split(commandLine);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (words.isEmpty() || !words.getFirst().equals("redis-cli")) {
                throw new IllegalArgumentException(where + ": only redis-cli commands can be checked, found: " + line);
            }
            int stepLine = i + 1;
            List<String> expected = new ArrayList<>();
            i++;
            while (i < to && !lines.get(i).startsWith(PROMPT)) {
                expected.add(lines.get(i).stripTrailing());
                i++;
            }
            steps.add(new Step(chapter, stepLine, commandLine, words.subList(1, words.size()), trimTrailingBlanks(expected)));
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
