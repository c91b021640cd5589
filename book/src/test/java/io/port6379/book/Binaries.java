// Finds Debian's redis-server and redis-cli, and applies the rule: missing in CI is a failure, elsewhere a loud skip.
package io.port6379.book;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

final class Binaries {

    private Binaries() {
    }

    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes sure {@code name} is installed: with {@code CI=true} a missing binary fails the test; elsewhere the
     * test is skipped with a message on stderr, so that nobody mistakes a skip for a pass.
     */
    static void require(String name) {
        require(onPath(name), name + " is not installed (apt-get install redis-server redis-tools): "
                + "the book's transcripts cannot be checked");
    }

    /** The same rule for anything a test needs: when {@code present} is false, fail with CI=true, else skip loudly. */
    static void require(boolean present, String message) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + ", and CI=true requires it");
        }
        System.err.println("*** SKIPPED: " + message + " ***");
        Assumptions.abort(message);
    }
}
