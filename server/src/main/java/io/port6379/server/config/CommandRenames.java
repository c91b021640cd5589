// rename-command: a redis.conf directive that gives a command another name, or removes it from the server.
package io.port6379.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code rename-command CONFIG b840fc02d524045429941cc15f59e41cb7be6c52} hides a dangerous command behind a name
 * only the operator knows; {@code rename-command FLUSHALL ""} removes it. As in Redis 7.0, the directive is read
 * from the configuration file (or the command line), is not a CONFIG parameter, and fails start-up with
 * Redis's reasons: {@code No such command in rename-command}, {@code Target command name already exists}.
 *
 * <p>As in Redis 7.0, COMMAND INFO finds a command by the name it answers to now and describes it under its
 * original name ({@code COMMAND INFO cfg2} shows {@code config}; {@code COMMAND INFO config} is nil), while ACL
 * rules and ACL CAT keep using original names, removed commands included ({@link AclCommandIndex}).
 */
public final class CommandRenames {

    /** One directive: {@code from} becomes {@code to} ({@code ""} removes it); {@code origin} locates it for errors. */
    public record Rename(String from, String to, String origin) {
    }

    private CommandRenames() {
    }

    /** A config-file line's arguments, quoted as in redis.conf ({@code "..."} or {@code '...'}). */
    public static Rename parse(String arguments, String origin) {
        List<String> words = split(arguments);
        if (words.size() != 2) {
            throw new IllegalArgumentException(origin + " Bad directive or wrong number of arguments");
        }
        return new Rename(words.get(0), words.get(1), origin);
    }

    /**
     * {@code --rename-command name newname} on the command line. The arguments arrive joined by spaces, so the
     * empty new name of {@code --rename-command flushall ""} shows up as a single word.
     */
    public static Rename fromCommandLine(String arguments) {
        List<String> words = split(arguments);
        if (words.isEmpty() || words.size() > 2) {
            throw new IllegalArgumentException("'rename-command " + arguments + "' Bad directive or wrong number of arguments");
        }
        return new Rename(words.get(0), words.size() == 2 ? words.get(1) : "", "'rename-command " + arguments + "'");
    }


    /** Words separated by blanks; a word in double or single quotes may be empty or contain blanks. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                int end = line.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("Unbalanced quotes in configuration line");
                }
                words.add(line.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
                    end++;
                }
                words.add(line.substring(i, end));
                i = end;
            }
        }
        return words;
    }
}
