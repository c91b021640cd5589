// memcached's slab classes, computed as its slabs_init does: what me's cls= and an item's size would be there.
package io.port6379.server.memcached;

import java.util.Arrays;

/**
 * memcached stores an item in a chunk of the smallest slab class that holds it: the first class's chunk is
 * {@code sizeof(item)} (48 bytes on 64-bit) plus {@code -n} (48), each next one 1.25 times bigger ({@code -f}),
 * rounded up to 8 bytes, up to half a 1 MB page; the last class is that half page. We keep no slabs (a value is a
 * Redis string in the keyspace), but {@code me} reports the class and size memcached would give the item, so that
 * the line reads the same on both servers.
 */
final class SlabClasses {

    private static final int ITEM_HEADER = 48;
    private static final int CAS_SIZE = 8;
    private static final int SLAB_CHUNK_MAX = 512 * 1024;
    /** Chunk sizes by class id; class 0 is unused, as in memcached. */
    private static final int[] SIZES = sizes();

    private SlabClasses() {
    }

    private static int[] sizes() {
        int[] sizes = new int[64];
        int size = ITEM_HEADER + 48;
        int i = 0;
        while (++i < sizes.length - 1 && size < SLAB_CHUNK_MAX / 1.25) {
            if (size % 8 != 0) {
                size += 8 - size % 8;
            }
            sizes[i] = size;
            size = (int) (size * 1.25);
        }
        sizes[i] = SLAB_CHUNK_MAX;
        return Arrays.copyOf(sizes, i + 1);
    }

    /** memcached's ITEM_ntotal: header, key and its NUL, the flags when not 0, the data and CR LF, the CAS. */
    static long itemSize(int keyLength, int flags, int dataLength) {
        return ITEM_HEADER + keyLength + 1 + (flags == 0 ? 0 : 4) + dataLength + 2 + CAS_SIZE;
    }

    /** The class an item of {@code size} bytes goes in; the last class for a chunked item. */
    static int classOf(long size) {
        for (int i = 1; i < SIZES.length; i++) {
            if (size <= SIZES[i]) {
                return i;
            }
        }
        return SIZES.length - 1;
    }
}
