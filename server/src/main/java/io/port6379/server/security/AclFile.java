// The ACL file (aclfile): ACL LOAD reads it all or nothing, ACL SAVE writes every user, as Redis 7.0 does.
package io.port6379.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The file holds one user per line, as ACL LIST shows them:
 *
 * <pre>
 * user alice on #30c9…70c4 ~k* resetchannels -@all +get (~w* resetchannels -@all +set)
 * user default on nopass ~* &amp;* +@all
 * </pre>
 *
 * <p>Redis 7.0 splits a line at every single space, without quotes (unlike redis.conf's {@code user} lines, which
 * are read with sdssplitargs), so two spaces make an empty rule, a syntax error. Loading is all or nothing: every
 * line is applied to a fresh set of users, each error is noted with its line number, and only a file without
 * errors replaces the users; the default user object stays (clients refer to it) and takes the file's settings,
 * or the built-in ones when the file does not name it. Errors read, for example:
 *
 * <pre>
 * users.acl:3 should start with user keyword followed by the username. users.acl:4: Error in applying operation
 * '+nosuch': Unknown command or category name in ACL. WARNING: ACL errors detected, no change to the previously
 * active ACL rules was performed
 * </pre>
 */
final class AclFile {

    private AclFile() {
    }

    /**
     * Reads {@code fileName} into a new set of users made by {@code newUser}; returns them sorted by name, or throws
     * with Redis's error text (without the {@code ERR } prefix).
     */
    static TreeMap<String, AclUser> read(String fileName, java.util.function.Function<String, AclUser> newUser) {
        List<String> lines;
        try {
            lines = Arrays.asList(Files.readString(Path.of(fileName), StandardCharsets.ISO_8859_1).split("\n", -1));
        } catch (IOException e) {
            throw new AclUser.InvalidRule("Error loading ACLs, opening file '" + fileName + "': " + reason(e));
        }
        TreeMap<String, AclUser> users = new TreeMap<>();
        StringBuilder errors = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = strip(lines.get(i), " \t\r\n");
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split(" ", -1);
            if (!words[0].equals("user") || words.length < 2) {
                errors.append(fileName).append(':').append(lineNumber)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = words[1];
            if (name.chars().anyMatch(c -> c == ' ' || (c >= '\t' && c <= '\r') || c == 0)) {
                errors.append('\'').append(fileName).append(':').append(lineNumber).append(": username '").append(name)
                        .append("' contains invalid characters. ");
                continue;
            }
            if (users.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNumber)
                        .append(". ");
                continue;
            }
            AclUser user = newUser.apply(name);
            users.put(name, user);
            List<String> rules;
            try {
                rules = Acl.mergeSelectors(Arrays.asList(words).subList(2, words.length));
            } catch (AclUser.InvalidRule e) {
                errors.append(fileName).append(':').append(lineNumber).append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (String rule : rules) {
                rule = strip(rule, "\t\r\n");
                try {
                    user.apply(rule);
                } catch (AclUser.InvalidRule e) {
                    if (e.getMessage().equals(AclUser.InvalidRule.UNKNOWN)) { // names only, nothing secret: every one
                        errors.append(fileName).append(':').append(lineNumber).append(": Error in applying operation '")
                                .append(rule).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) { // may quote a password: only the first
                        errors.append(fileName).append(':').append(lineNumber).append(": ").append(e.getMessage()).append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new AclUser.InvalidRule(errors
                    + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
        }
        return users;
    }

    /** ACL SAVE: every user's ACL LIST line, written to a temporary file that then replaces {@code fileName}. */
    static void write(String fileName, Iterable<AclUser> users) throws IOException {
        List<String> lines = new ArrayList<>();
        users.forEach(user -> lines.add(user.describe()));
        Path file = Path.of(fileName).toAbsolutePath();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.write(temporary, lines, StandardCharsets.ISO_8859_1);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** strerror's text for the usual failures to open a file. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }

    /** sdstrim: removes the given characters from both ends. */
    private static String strip(String text, String characters) {
        int from = 0;
        int to = text.length();
        while (from < to && characters.indexOf(text.charAt(from)) >= 0) {
            from++;
        }
        while (to > from && characters.indexOf(text.charAt(to - 1)) >= 0) {
            to--;
        }
        return text.substring(from, to);
    }
}
