// The rule for what a test needs from the machine: missing under CI=true is a failure, elsewhere a loud skip.
package io.port6379.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds programs such as {@code redis-server} and {@code redis-cli} on the PATH. CI installs them, so there a
 * missing one is a broken build and the test fails; on a reader's machine the test is skipped instead, with a
 * message on stderr that says what to install, so that nobody mistakes a skip for a pass.
 */
public final class Binaries {

    private Binaries() {
    }

    /** Whether an executable file called {@code name} is in one of the PATH's directories. */
    public static boolean onPath(String name) {
        return find(name).isPresent();
    }

    /** The executable called {@code name} on the PATH; fails with {@code CI=true} and skips elsewhere when missing. */
    public static Path require(String name) {
        Optional<Path> binary = find(name);
        require(binary.isPresent(), name + " is not on the PATH (apt-get install " + debianPackage(name)
                + "), so this test was NOT run");
        return binary.orElseThrow();
    }

    /** The same rule for anything else a test needs: when {@code present} is false, fail with CI=true, else skip loudly. */
    public static void require(boolean present, String message) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + ", and CI=true requires it");
        }
        System.err.println("*** SKIPPED: " + message + " ***");
        Assumptions.abort(message);
    }

    private static Optional<Path> find(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The Debian package a missing program comes in: Redis's tools are not in the redis-server package. */
    private static String debianPackage(String name) {
        return switch (name) {
            case "redis-cli", "redis-benchmark", "redis-check-rdb", "redis-check-aof" -> "redis-tools";
            case "stdbuf" -> "coreutils";
            default -> name;
        };
    }
}
