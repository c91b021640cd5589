// maxmemory against the JVM's heap: refused when it cannot fit, a warning when it leaves too little room.
package io.port6379.server.eviction;

import io.port6379.server.util.Log;

/**
 * Redis lives in the process's memory and warns at start-up when the kernel may refuse it some (overcommit); we live
 * in the JVM's heap, whose size is fixed at start ({@code -Xmx}, or a quarter of the machine's memory by default),
 * and a heap that runs out ends the process with an {@link OutOfMemoryError}. {@code maxmemory} bounds the data
 * ({@code used_memory}, exactly what the data occupies), but the heap also holds what is not data: the replies
 * being written, client buffers, the values a BGSAVE copies when they change during the save (up to the whole data
 * set in the worst case), garbage not yet collected, and the free regions G1 needs to collect without a full pause.
 *
 * <ul>
 * <li>{@code maxmemory} above {@value #REFUSED_PERCENT} % of the heap is refused at start-up: the data alone would
 *     leave the collector no room to work.
 * <li>above {@value #WARNED_PERCENT} %, the server starts with a warning: a save during heavy writes could need the
 *     rest.
 * </ul>
 *
 * Size the heap to twice {@code maxmemory} ({@code -Xmx} in {@code server/jvm.options}, or {@code JAVA_TOOL_OPTIONS}).
 */
public final class HeapSizing {

    static final int REFUSED_PERCENT = 80;
    static final int WARNED_PERCENT = 50;

    private HeapSizing() {
    }

    // tag::heap-check[]
    /**
     * The start-up check: null when {@code maxmemory} (0: none) leaves room in a heap of {@code heapMax} bytes, a
     * warning to log when it leaves little.
     *
     * @throws IllegalArgumentException when it cannot fit
     */
    public static String check(long maxmemory, long heapMax) {
        if (maxmemory <= 0 || heapMax == Long.MAX_VALUE) {
            return null;
        }
        if (maxmemory > heapMax / 100.0 * REFUSED_PERCENT) {
            throw new IllegalArgumentException("maxmemory " + maxmemory + " does not fit in the JVM heap of " + heapMax
                    + " bytes: at most " + REFUSED_PERCENT + "% of it may hold data. Start the JVM with -Xmx"
                    + (2 * maxmemory / (1024 * 1024) + 1) + "m (twice maxmemory) or lower maxmemory.");
        }
        if (maxmemory > heapMax / 100.0 * WARNED_PERCENT) {
            return "WARNING maxmemory " + maxmemory + " is more than " + WARNED_PERCENT + "% of the JVM heap ("
                    + heapMax + " bytes): a BGSAVE during heavy writes, client buffers and the collector's free "
                    + "regions may not fit in the rest. A heap of twice maxmemory (-Xmx) is safe.";
        }
        return null;
    }
    // end::heap-check[]

    /** {@link #check} against this JVM's heap, logging the warning if any. */
    public static void checkAtStartup(long maxmemory) {
        String warning = maxmemory <= 0 ? null : check(maxmemory, heapMax());
        if (warning != null) {
            Log.log("#", warning);
        }
    }

    /**
     * The heap's maximum as {@code -Xmx} set it. Not {@link Runtime#maxMemory()}, which reports less (495 of a 512 MB
     * heap under G1, measured), so the heap this class advises, twice maxmemory, drew the warning.
     * Read only when maxmemory is set: the management classes cost a few milliseconds of start-up.
     */
    public static long heapMax() {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return Long.parseLong(hotspot.getVMOption("MaxHeapSize").getValue());
        } catch (RuntimeException | LinkageError notHotSpot) {
            return Runtime.getRuntime().maxMemory();
        }
    }
}
