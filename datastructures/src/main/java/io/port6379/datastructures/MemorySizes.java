// The heap bytes of the objects values are made of, for used_memory: a 64-bit JVM with compressed references.
package io.port6379.datastructures;

/**
 * Redis's {@code used_memory} is what its allocator handed out; ours is the heap our data occupies, counted as the
 * JVM lays objects out on a 64-bit JVM with compressed references (heaps below 32 GB, the default): a 12-byte
 * object header, 4-byte references, every object rounded up to 8 bytes, an array header of 16 bytes (header and
 * length). The figures below are the layouts JOL prints for the classes they name; the keyspace adds them up as
 * values change, so that reading {@code used_memory} never walks the data.
 */
public final class MemorySizes {

    /** A {@link Dict.Entry}: header, key, hash, value, next. */
    public static final int DICT_ENTRY = 32;
    /** A {@link Dict} without its bucket arrays. */
    public static final int DICT = 40;

    private MemorySizes() {
    }

    /** {@code n} rounded up to a multiple of 8, the JVM's object alignment. O(1). */
    public static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** A {@code byte[]} of {@code length} bytes. O(1). */
    public static long byteArray(int length) {
        return align(16L + length);
    }

    /** The bytes of {@code array}, or 0 for null. O(1). */
    public static long of(byte[] array) {
        return array == null ? 0 : byteArray(array.length);
    }

    /** An array of {@code length} references (or of {@code int}s: both are 4 bytes). O(1). */
    public static long referenceArray(int length) {
        return align(16L + 4L * length);
    }
}
