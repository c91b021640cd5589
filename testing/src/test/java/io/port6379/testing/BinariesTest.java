// Binaries: finds programs on the PATH, and applies the CI rule to a missing one.
package io.port6379.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinariesTest {

    @Test
    void aProgramOnThePathIsFoundAndReturned() {
        assertTrue(Binaries.onPath("sh"));
        assertTrue(Files.isExecutable(Binaries.require("sh")));
    }

    /**
     * With CI=true the test fails; elsewhere it is aborted (skipped). Both say what to install. The skip's
     * warning on stderr, "SKIPPED: no-such-program ...", is this test's, not a test that did not run.
     */
    @Test
    void aMissingProgramFailsUnderCiAndSkipsElsewhere() {
        assertFalse(Binaries.onPath("no-such-program"));
        Class<? extends Throwable> expected = "true".equals(System.getenv("CI"))
                ? AssertionFailedError.class : TestAbortedException.class;
        Throwable thrown = assertThrows(expected, () -> Binaries.require("no-such-program"));
        assertTrue(thrown.getMessage().contains("apt-get install no-such-program"), thrown.getMessage());
    }
}
