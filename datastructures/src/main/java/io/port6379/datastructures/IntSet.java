// The "intset" encoding of a small all-integer set: a sorted array of 16-, 32- or 64-bit integers.
package io.port6379.datastructures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Redis's {@code intset}: the members, sorted, in one byte array whose element width is the smallest that
 * holds every member (2, 4 or 8 bytes). Adding a wider integer "upgrades" the whole array at once; it never
 * downgrades. Membership is a binary search, so add and remove are O(N) (the array moves), which is why
 * Redis switches to a hash table past {@code set-max-intset-entries} (512). Not thread-safe.
 */
final class IntSet {

    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] contents = new byte[0];
    private int width = 2;
    private int length;

    /** This object and its contents array. O(1). */
    long memoryUsage() {
        return MemorySizes.object(1, 2, 0) + MemorySizes.of(contents); // contents, width, length
    }

    int size() {
        return length;
    }

    /** The encoding width in bytes (2, 4 or 8), as {@code intset->encoding}. */
    int width() {
        return width;
    }

    private static int widthFor(long value) {
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return 2;
        }
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? 4 : 8;
    }

    /** The integer at position {@code index} in ascending order. O(1). */
    long get(int index) {
        return read(contents, width, index);
    }

    private static long read(byte[] array, int width, int index) {
        return switch (width) {
            case 2 -> (short) INT16.get(array, index * 2);
            case 4 -> (int) INT32.get(array, index * 4);
            default -> (long) INT64.get(array, index * 8);
        };
    }

    private static void write(byte[] array, int width, int index, long value) {
        switch (width) {
            case 2 -> INT16.set(array, index * 2, (short) value);
            case 4 -> INT32.set(array, index * 4, (int) value);
            default -> INT64.set(array, index * 8, value);
        }
    }

    /** Binary search: the index of {@code value}, or {@code -(insertion point) - 1}. O(log(N)). */
    private int search(long value) {
        int low = 0;
        int high = length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long current = get(mid);
            if (current < value) {
                low = mid + 1;
            } else if (current > value) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    /** O(log(N)). */
    boolean contains(long value) {
        return widthFor(value) <= width && search(value) >= 0;
    }

    // tag::intset-add[]
    /** Adds {@code value}; false when already present. O(N): the array is copied. */
    boolean add(long value) {
        int needed = widthFor(value);
        if (needed > width) {
            upgradeAndAdd(value, needed); // a wider value is smaller or larger than every member
            return true;
        }
        int index = search(value);
        if (index >= 0) {
            return false;
        }
        int insertAt = -index - 1;
        byte[] grown = Arrays.copyOf(contents, (length + 1) * width);
        System.arraycopy(contents, insertAt * width, grown, (insertAt + 1) * width, (length - insertAt) * width);
        write(grown, width, insertAt, value);
        contents = grown;
        length++;
        return true;
    }

    private void upgradeAndAdd(long value, int newWidth) {
        byte[] grown = new byte[(length + 1) * newWidth];
        int offset = value < 0 ? 1 : 0; // negative: goes first; positive: goes last
        for (int i = 0; i < length; i++) {
            write(grown, newWidth, i + offset, read(contents, width, i));
        }
        write(grown, newWidth, value < 0 ? 0 : length, value);
        contents = grown;
        width = newWidth;
        length++;
    }
    // end::intset-add[]

    /** Removes {@code value}; false when absent. O(N). */
    boolean remove(long value) {
        if (widthFor(value) > width) {
            return false;
        }
        int index = search(value);
        if (index < 0) {
            return false;
        }
        byte[] shrunk = new byte[(length - 1) * width];
        System.arraycopy(contents, 0, shrunk, 0, index * width);
        System.arraycopy(contents, (index + 1) * width, shrunk, index * width, (length - index - 1) * width);
        contents = shrunk;
        length--;
        return true;
    }

    /** Bytes used by the integers themselves, as {@code intsetBlobLen} without the 8-byte header. */
    int blobLength() {
        return contents.length;
    }
}
