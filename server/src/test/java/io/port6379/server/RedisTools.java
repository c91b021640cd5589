// Finds redis-cli and redis-benchmark for tests: skipped loudly when missing, a failure when CI=true.
package io.port6379.server;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tools of Debian's redis-tools package, which CI installs. */
public final class RedisTools {

    private RedisTools() {
    }

    public static Path require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = name + " is not on the PATH";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true requires it)");
        }
        System.err.println("WARNING: " + message + " (test skipped; install redis-tools)");
        Assumptions.abort(message);
        return null;
    }
}
