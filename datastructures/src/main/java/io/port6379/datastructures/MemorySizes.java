// The heap bytes of the objects values are made of, for used_memory, in the layout of the running JVM.
package io.port6379.datastructures;

/**
 * Redis's {@code used_memory} is what its allocator handed out; ours is the heap our data occupies, counted as the
 * running JVM lays objects out: an object header of 12 bytes, or 8 with compact object headers
 * ({@code -XX:+UseCompactObjectHeaders}, which {@code server/jvm.options} turns on); references of 4 bytes below a
 * 32 GB heap (compressed references) or 8; arrays with a 4-byte length after the header; every object rounded up to
 * 8 bytes. The JVM packs an object's fields without holes when, as in all our classes, 4-byte fields are there to
 * fill the gap before an 8-byte one, so an object's size is its header plus its fields, rounded. The keyspace adds
 * these sizes up as values change, so that reading {@code used_memory} never walks the data;
 * {@code MemoryAccountingProperties} checks the sums against JOL's measurement of the same objects.
 */
public final class MemorySizes {

    // The layout is read from two constants of sun.misc.Unsafe (no memory access, so no warning on JDK 24+), not from
    // the VM's flags: asking the HotSpot MXBean for them started the platform's management beans, 7 ms of a start-up.
    /** The size of a reference: 4 with compressed references (a heap under 32 GB), else 8. */
    public static final int REFERENCE = sun.misc.Unsafe.ARRAY_OBJECT_INDEX_SCALE;
    /**
     * The size of an object header: 8 with compact object headers (JDK 24+), 12 with compressed class pointers, else
     * 16; an {@code int[]}'s first element follows the header and the 4-byte length.
     */
    public static final int HEADER = sun.misc.Unsafe.ARRAY_INT_BASE_OFFSET - 4;
    /** Whether the JVM runs with compact object headers (JDK 24+). */
    public static final boolean COMPACT_HEADERS = HEADER == 8;
    /** The header of an array: the object header and the length. */
    public static final int ARRAY_HEADER = HEADER + 4;

    /** A {@link Dict.Entry}: key, hash, value, next. */
    public static final int DICT_ENTRY = object(3, 1, 0);
    /** A {@link Dict} without its bucket arrays: table, target, rehashIndex, size, keyBytes. */
    public static final int DICT = object(2, 2, 1);

    private MemorySizes() {
    }

    /** An object with this many references, 4-byte and 8-byte fields (its superclasses' included). O(1). */
    public static int object(int references, int ints, int longs) {
        return (int) align(HEADER + (long) references * REFERENCE + 4L * ints + 8L * longs);
    }

    /** {@code n} rounded up to a multiple of 8, the JVM's object alignment. O(1). */
    public static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** A {@code byte[]} of {@code length} bytes. O(1). */
    public static long byteArray(int length) {
        return align((long) ARRAY_HEADER + length);
    }

    /** The bytes of {@code array}, or 0 for null. O(1). */
    public static long of(byte[] array) {
        return array == null ? 0 : byteArray(array.length);
    }

    /** An array of {@code length} references. O(1). */
    public static long referenceArray(int length) {
        return align(ARRAY_HEADER + (long) REFERENCE * length);
    }

    /** An {@code int[]} of {@code length}. O(1). */
    public static long intArray(int length) {
        return align(ARRAY_HEADER + 4L * length);
    }
}
