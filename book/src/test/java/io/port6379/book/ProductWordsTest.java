// The repository speaks of the product: no tracker numbers, no build machine's paths, no account of how the work was done.
package io.port6379.book;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every tracked text file (the sources, their comments, the READMEs, the chapters, the bench scripts and results)
 * states facts about the server and the book. Words about how they were made go stale and mean nothing to a
 * reader: an issue number of a tracker the reader cannot see, a path on the machine a run happened on, the
 * ordinal of a working period. A measurement says what it was measured on ("a shared 2-core machine under load"),
 * not when in the work it was taken.
 *
 * <p>The files are those {@code git ls-files} lists; without git (a source tarball), the tree under the
 * repository root, {@code target/} and {@code .git} left out.
 */
class ProductWordsTest {

    /** Flagged in every file. */
    private static final Map<Pattern, String> PROCESS_WORDS = Map.of(
            Pattern.compile("(?i)\\bissues? #?\\d+"), "an issue number",
            Pattern.compile("/work/|/root/"), "a path of a build machine",
            Pattern.compile("(?i)\\bturn \\d+\\b"), "a turn of the work",
            Pattern.compile("(?i)\\b(this|that|previous|next|last|first|earlier|later|own|real|same) session"
                    + "|\\bsession\\d"), "a working session",
            Pattern.compile("(?i)\\bother helpers\\b|\\bhelpers' builds"), "helpers at work on the project");

    /** Any other "session", flagged outside the files below. */
    private static final Pattern SESSION = Pattern.compile("(?i)\\bsessions?\\b");

    /**
     * The files where "session" is product vocabulary, each with its reason. A file is allowed by its exact path,
     * or by a folder ending in {@code /}. The phrases of {@link #PROCESS_WORDS} are still checked in them.
     */
    private static final Map<String, String> SESSION_ALLOWED = Map.ofEntries(
            Map.entry("chapters/00-why-redis.adoc",
                    "web applications keep their sessions in Redis"),
            Map.entry("chapters/03-expiry.adoc",
                    "a session key with a TTL is the chapter's running example"),
            Map.entry("chapters/12-patterns.adoc",
                    "the session store pattern"),
            Map.entry("server/src/test/java/io/port6379/patterns/",
                    "SessionStore, the session store pattern, and its test"),
            Map.entry("chapters/13-security.adoc",
                    "session:1, a key the ACL example refuses to a user"),
            Map.entry("server/src/test/java/io/port6379/server/BlockingKeysTest.java",
                    "Session, the test's name for one client connection"),
            Map.entry("server/src/main/java/io/port6379/server/config/ServerConfig.java",
                    "Redis's tls-session-caching settings"),
            Map.entry("server/src/main/java/io/port6379/server/network/Tls.java",
                    "TLS sessions and the JDK's SSLSessionContext"),
            Map.entry("chapters/08-server.adoc",
                    "tls-session-cache-size and the other TLS session parameters of Redis"),
            Map.entry("server/src/test/resources/compat/config-parameters.redis",
                    "tls-session-cache-size and the other TLS session parameters of Redis"),
            Map.entry("exercises/stage12-patterns/",
                    "SessionStore, the session store pattern, as the stage 12 skeleton"));

    /** This file names the words it looks for. */
    private static final String SELF = "book/src/test/java/io/port6379/book/ProductWordsTest.java";

    @Test
    void trackedFilesSpeakOfTheProductOnly() {
        Path root = Chapters.root();
        List<String> files = trackedFiles(root);
        assertTrue(files.size() > 100, "found only " + files.size() + " files under " + root);
        List<String> found = new ArrayList<>();
        for (String file : files) {
            if (file.equals(SELF)) {
                continue;
            }
            String text = text(root.resolve(file));
            if (text == null) {
                continue;
            }
            boolean sessionAllowed = SESSION_ALLOWED.keySet().stream()
                    .anyMatch(allowed -> allowed.endsWith("/") ? file.startsWith(allowed) : file.equals(allowed));
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                String why = PROCESS_WORDS.entrySet().stream().filter(word -> word.getKey().matcher(line).find())
                        .map(Map.Entry::getValue).findFirst()
                        .orElse(!sessionAllowed && SESSION.matcher(line).find()
                                ? "\"session\" outside the files where it is product vocabulary" : null);
                if (why != null) {
                    found.add(file + ":" + (i + 1) + ": " + why + ": " + line.strip());
                }
            }
        }
        assertTrue(found.isEmpty(), "words about how the project was made rather than about the product; state the "
                + "product fact instead (or, for product vocabulary, allow the file in ProductWordsTest with its "
                + "reason):\n" + String.join("\n", found));
    }

    /** The files git tracks, relative to the root; without git, every file under it but build output and .git. */
    private static List<String> trackedFiles(Path root) {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0 && out.length > 0) {
                return Arrays.stream(new String(out, StandardCharsets.UTF_8).split("\0"))
                        .filter(name -> !name.isEmpty()).toList();
            }
        } catch (IOException e) {
            // no git on the PATH: walk the tree below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(path -> root.relativize(path).toString().replace('\\', '/'))
                    .filter(name -> Stream.of(name.split("/")).noneMatch(part -> part.equals("target")
                            || part.startsWith(".git")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's text, or null for a binary file (one with a NUL byte) or one listed but not checked out. */
    private static String text(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    return null;
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
