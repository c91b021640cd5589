// Splits a transcript's command line into words the way a POSIX shell would, for the few rules a reader uses.
package io.port6379.book;

import java.util.ArrayList;
import java.util.List;

/**
 * Quoting as in sh: whitespace separates words; {@code '...'} is literal; inside {@code "..."} a backslash
 * escapes {@code "}, {@code \} and {@code $}; outside quotes a backslash escapes the next character; and
 * {@code $'...'} (POSIX 2024, bash, zsh) takes C escapes, {@code \n} for a newline, so that a transcript can
 * send a multi-line argument (a function library) on one line.
 * Shell features that would change what runs (pipes, redirections, {@code ;}, {@code &}, substitutions) are
 * refused, so a transcript means the same when typed into a terminal as when replayed by the test.
 */
final class CommandLine {

    private CommandLine() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unbalanced ' in: " + line);
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                i = ansiC(line, i + 2, word);
                inWord = true;
            } else if (c == '"') {
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    char d = line.charAt(i);
                    if (d == '`' || (d == '$' && i + 1 < line.length() && (line.charAt(i + 1) == '(' || line.charAt(i + 1) == '{'))) {
                        throw new IllegalArgumentException("no shell substitutions in a transcript: " + line);
                    }
                    if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(line.charAt(i));
                    i++;
                }
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unbalanced \" in: " + line);
                }
                inWord = true;
                i++;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("trailing backslash in: " + line);
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if ("|&;<>`".indexOf(c) >= 0 || (c == '$' && i + 1 < line.length() && "({".indexOf(line.charAt(i + 1)) >= 0)) {
                throw new IllegalArgumentException("no pipes, redirections or substitutions in a transcript: " + line);
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The body of {@code $'...'} from {@code from}, its escapes decoded into {@code word}; returns the index after it. */
    private static int ansiC(String line, int from, StringBuilder word) {
        int i = from;
        while (i < line.length() && line.charAt(i) != '\'') {
            char d = line.charAt(i++);
            if (d == '\\' && i < line.length()) {
                char e = line.charAt(i++);
                switch (e) {
                    case 'n' -> word.append('\n');
                    case 't' -> word.append('\t');
                    case 'r' -> word.append('\r');
                    default -> word.append(e); // \\, \', \"
                }
            } else {
                word.append(d);
            }
        }
        if (i >= line.length()) {
            throw new IllegalArgumentException("unbalanced $' in: " + line);
        }
        return i + 1;
    }
}
