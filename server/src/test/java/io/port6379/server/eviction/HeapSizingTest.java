// maxmemory against the heap: refused when it cannot fit, a warning when it leaves little room, and the process exit.
package io.port6379.server.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.main.Main;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeapSizingTest {

    private static final long MB = 1024 * 1024;

    @Test
    void noMaxmemoryOrHalfTheHeapAtMostIsFine() {
        assertNull(HeapSizing.check(0, 1024 * MB));
        assertNull(HeapSizing.check(512 * MB, 1024 * MB));
    }

    @Test
    void moreThanHalfTheHeapIsAWarning() {
        String warning = HeapSizing.check(700 * MB, 1024 * MB);
        assertTrue(warning.startsWith("WARNING maxmemory"), warning);
    }

    @Test
    void moreThanFourFifthsOfTheHeapIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HeapSizing.check(900 * MB, 1024 * MB));
        assertTrue(refused.getMessage().contains("-Xmx1801m"), refused.getMessage());
    }

    @Test
    void aServerWhoseMaxmemoryCannotFitTheHeapDoesNotStart() throws Exception {
        Process server = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--port", "0", "--maxmemory", "100mb"))
                .redirectErrorStream(true).start();
        String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(server.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, server.exitValue());
        assertTrue(output.contains("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***"), output);
        assertTrue(output.contains("does not fit in the JVM heap"), output);
    }
}
