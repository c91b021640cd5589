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

    /** The directive's words as redis.conf is read (sdssplitargs): quotes and escapes included. */
    private static List<String> split(String line) {
        List<String> words = ConfigFile.splitArgs(line);
        if (words == null) {
            throw new IllegalArgumentException("Unbalanced quotes in configuration line");
        }
        return words;
    }
}
