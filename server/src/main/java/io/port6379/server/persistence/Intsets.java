// Reads and writes Redis's intset blob, the RDB form of a set made only of small integers.
package io.port6379.server.persistence;

import io.port6379.datastructures.RedisNumbers;

import java.util.ArrayList;
import java.util.List;

/**
 * An intset ({@code intset.c}) as stored in RDB: a 4-byte width (2, 4 or 8 bytes per element), a 4-byte count,
 * then the elements, sorted ascending, all little-endian. Stateless.
 */
final class Intsets {

    private Intsets() {
    }

    /** The members as decimal text, in ascending order. O(N). */
    static List<byte[]> decode(byte[] blob) {
        RdbReader.sanitizing();
        Blob in = new Blob(blob, "intset");
        long width = in.uint32();
        long count = in.uint32();
        if ((width != 2 && width != 4 && width != 8) || count * width != in.remaining()) {
            throw new RdbException("intset header (width " + width + ", " + count + " elements) does not match its "
                    + blob.length + " bytes");
        }
        List<byte[]> members = new ArrayList<>((int) count);
        long previous = 0;
        for (long i = 0; i < count; i++) {
            long value = switch ((int) width) {
                case 2 -> (short) in.uint16();
                case 4 -> (int) in.uint32();
                default -> in.int64();
            };
            if (RdbReader.deep() && i > 0 && value <= previous) { // Redis's intsetValidateIntegrity in depth
                throw new RdbException("intset not sorted in ascending order without duplicates");
            }
            previous = value;
            members.add(RedisNumbers.formatLong(value));
        }
        return members;
    }

    /**
     * The blob of an intset holding {@code sorted} (ascending, distinct), at least {@code minWidth} bytes wide:
     * Redis's intset never narrows after a wide member is removed, and its blob shows the width it kept. O(N).
     */
    static byte[] encode(long[] sorted, int minWidth) {
        int width = minWidth;
        for (long v : sorted) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
                break;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                width = Math.max(width, 4);
            }
        }
        byte[] blob = new byte[8 + sorted.length * width];
        putLittleEndian(blob, 0, width, 4);
        putLittleEndian(blob, 4, sorted.length, 4);
        for (int i = 0; i < sorted.length; i++) {
            putLittleEndian(blob, 8 + i * width, sorted[i], width);
        }
        return blob;
    }

    private static void putLittleEndian(byte[] out, int at, long value, int width) {
        for (int i = 0; i < width; i++) {
            out[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
