// The process's memory as MEMORY STATS and MEMORY DOCTOR see it: the JVM heap's use, its peak, and the RSS.
package io.port6379.server.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis's allocator figures have JVM counterparts: allocated memory is the heap in use, the peak is the largest use
 * seen when asked, the start-up figure is the heap in use when the server's classes were first loaded, and the
 * resident set size comes from {@code /proc}. The heap is the JVM's, shared by every server in the process.
 */
final class ProcessMemory {

    private static final long STARTUP = used();
    private static final AtomicLong PEAK = new AtomicLong(STARTUP);

    private ProcessMemory() {
    }

    static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    static long startupHeap() {
        return STARTUP;
    }

    /** The largest heap use seen so far, {@code now} included. */
    static long peak(long now) {
        return PEAK.accumulateAndGet(now, Math::max);
    }

    /** Resident set size from /proc (Linux), else the committed heap. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux: fall through
        }
        return Runtime.getRuntime().totalMemory();
    }
}
