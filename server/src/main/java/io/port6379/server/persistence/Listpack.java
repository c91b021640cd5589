// Reads Redis's listpack, the compact encoding of small hashes, sorted sets and list nodes in RDB files.
package io.port6379.server.persistence;

import io.port6379.datastructures.RedisNumbers;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a listpack blob ({@code listpack.c}): a 4-byte total size and a 2-byte element count (both
 * little-endian), the elements, and a 0xFF terminator. Each element is an encoding byte, its data, and a
 * "backlen" of 1 to 5 bytes that lets Redis walk the listpack backwards; reading forwards we only skip it.
 *
 * <p>The encoding byte says what follows: a 7-bit unsigned integer in the byte itself ({@code 0xxxxxxx}), a
 * string with a 6-bit length ({@code 10xxxxxx}), a 13-bit signed integer ({@code 110xxxxx} + 1 byte), a string
 * with a 12-bit length ({@code 1110xxxx} + 1 byte) or a 32-bit one ({@code 11110000} + 4 bytes), or a 16, 24,
 * 32 or 64-bit signed integer ({@code 11110001}..{@code 11110100}). Integers come back as their decimal text,
 * which is how Redis hands them out. Stateless.
 */
final class Listpack {

    private Listpack() {
    }

    /**
     * Every element, in order. O(N).
     *
     * @throws RdbException when the blob is not a well-formed listpack
     */
    static List<byte[]> decode(byte[] lp) {
        Blob in = new Blob(lp, "listpack");
        long totalBytes = in.uint32();
        if (totalBytes != lp.length) {
            throw new RdbException("listpack size " + totalBytes + " does not match its blob of " + lp.length + " bytes");
        }
        int count = in.uint16(); // 65535 means "too many to count": read until the terminator
        List<byte[]> elements = new ArrayList<>(count == 65535 ? 16 : count);
        while (true) {
            int start = in.position();
            int b = in.uint8();
            if (b == 0xff) {
                break;
            }
            if ((b & 0x80) == 0) {
                elements.add(RedisNumbers.formatLong(b));
            } else if ((b & 0xc0) == 0x80) {
                elements.add(in.bytes(b & 0x3f));
            } else if ((b & 0xe0) == 0xc0) {
                int value = ((b & 0x1f) << 8) | in.uint8();
                elements.add(RedisNumbers.formatLong(value >= 1 << 12 ? value - (1 << 13) : value));
            } else if ((b & 0xf0) == 0xe0) {
                elements.add(in.bytes(((b & 0x0f) << 8) | in.uint8()));
            } else {
                elements.add(switch (b) {
                    case 0xf0 -> in.bytes(Math.toIntExact(in.uint32()));
                    case 0xf1 -> RedisNumbers.formatLong((short) in.uint16());
                    case 0xf2 -> RedisNumbers.formatLong((in.uint24() << 8) >> 8);
                    case 0xf3 -> RedisNumbers.formatLong((int) in.uint32());
                    case 0xf4 -> RedisNumbers.formatLong(in.int64());
                    default -> throw new RdbException("bad listpack encoding byte " + b);
                });
            }
            in.skip(backlenSize(in.position() - start));
        }
        if (in.remaining() != 0 || (count != 65535 && count != elements.size())) {
            throw new RdbException("listpack holds " + elements.size() + " elements where its header says " + count);
        }
        return elements;
    }

    /** How many bytes the backlen of an element of {@code entryLength} bytes takes (7 bits per byte). */
    private static int backlenSize(int entryLength) {
        if (entryLength <= 127) {
            return 1;
        } else if (entryLength < 16383) {
            return 2;
        } else if (entryLength < 2097151) {
            return 3;
        } else if (entryLength < 268435455) {
            return 4;
        }
        return 5;
    }
}
