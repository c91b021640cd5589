// The memory guard of a running script: a script that fills the heap is stopped before the server runs out.
package io.port6379.server.scripting;

/**
 * Redis runs Lua with its own allocator and no limit: a table that grows without end takes the server down.
 * Here a script's objects live in the JVM heap with everyone else's, so the hook checks the heap every few
 * thousand instructions: above {@link #LIMIT} of the maximum it asks for a collection once, and if the heap is
 * still that full, the script (whose objects are most of it) ends with an error and its objects become garbage.
 * {@code string.rep} and concatenation allocate in one step, so they are checked before allocating
 * ({@link #reserve}).
 */
final class ScriptMemory {

    static final double LIMIT = 0.75;
    static final String TOO_MUCH = "not enough memory";

    private ScriptMemory() {
    }

    static void check() {
        Runtime runtime = Runtime.getRuntime();
        long max = runtime.maxMemory();
        if (used(runtime) > max * LIMIT) {
            System.gc();
            if (used(runtime) > max * LIMIT) {
                throw ScriptError.positioned(TOO_MUCH).fatal();
            }
        }
    }

    /** Fails before allocating {@code bytes} more when they would take the heap past the limit. */
    static void reserve(long bytes) {
        Runtime runtime = Runtime.getRuntime();
        long max = runtime.maxMemory();
        if (bytes > Integer.MAX_VALUE - 16 || used(runtime) + bytes > max * LIMIT) {
            throw ScriptError.positioned(TOO_MUCH).fatal();
        }
    }

    private static long used(Runtime runtime) {
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
