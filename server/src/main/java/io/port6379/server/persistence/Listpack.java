// Reads and writes Redis's listpack, the compact encoding of small hashes, sorted sets and list nodes in RDB files.
package io.port6379.server.persistence;

import io.port6379.datastructures.RedisNumbers;

import java.io.ByteArrayOutputStream;
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
 *
 * <pre>
 * listpack: | total bytes: u32 LE | count: u16 LE (65535 = unknown) | element ... | 0xFF |
 * element:  | encoding byte | integer or string bytes | backlen: length of the two before, 1-5 bytes |
 * </pre>
 */
final class Listpack {

    /** The bytes of a listpack with no element: the 6-byte header and the terminator. */
    static final int EMPTY_SIZE = 7;

    private Listpack() {
    }

    /**
     * Every element, in order. O(N).
     *
     * @throws RdbException when the blob is not a well-formed listpack
     */
    static List<byte[]> decode(byte[] lp) {
        RdbReader.sanitizing();
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
            int length = in.position() - start;
            if (RdbReader.deep()) {
                checkBacklen(in, length);
            } else {
                in.skip(backlenSize(length));
            }
        }
        // Redis's shallow check is the header's size and the terminator; the count is compared only in depth.
        if (in.remaining() != 0 || (RdbReader.deep() && count != 65535 && count != elements.size())) {
            throw new RdbException("listpack holds " + elements.size() + " elements where its header says " + count);
        }
        return elements;
    }

    /**
     * The listpack Redis 7.0 builds by appending {@code elements} one by one ({@code lpAppend}): an element that
     * is the canonical decimal text of a 64-bit integer ({@code string2ll}: no sign but '-', no leading zero) is
     * stored as the narrowest integer, everything else as a string. O(N).
     */
    static byte[] encode(List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[6]); // the header, filled in at the end
        for (byte[] element : elements) {
            int start = out.size();
            if (element.length <= 20 && RedisNumbers.isLong(element)) {
                integer(out, RedisNumbers.parseLong(element));
            } else {
                string(out, element);
            }
            backlen(out, out.size() - start);
        }
        out.write(0xff);
        byte[] lp = out.toByteArray();
        putLittleEndian(lp, 0, lp.length, 4);
        putLittleEndian(lp, 4, Math.min(elements.size(), 65535), 2);
        return lp;
    }

    /** The bytes {@code element} takes in a listpack: encoding, data and backlen. O(length). */
    static int entrySize(byte[] element) {
        int size;
        if (element.length <= 20 && RedisNumbers.isLong(element)) {
            long v = RedisNumbers.parseLong(element);
            size = v >= 0 && v <= 127 ? 1 : v >= -4096 && v <= 4095 ? 2 : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 3
                    : v >= -(1 << 23) && v < 1 << 23 ? 4 : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 9;
        } else {
            size = (element.length < 64 ? 1 : element.length < 4096 ? 2 : 5) + element.length;
        }
        return size + backlenSize(size);
    }

    private static void integer(ByteArrayOutputStream out, long v) {
        if (v >= 0 && v <= 127) {
            out.write((int) v);
        } else if (v >= -4096 && v <= 4095) {
            long u = v < 0 ? (1 << 13) + v : v;
            out.write((int) (u >> 8) | 0xc0);
            out.write((int) u & 0xff);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            littleEndian(out, 0xf1, v, 2);
        } else if (v >= -(1 << 23) && v < 1 << 23) {
            littleEndian(out, 0xf2, v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            littleEndian(out, 0xf3, v, 4);
        } else {
            littleEndian(out, 0xf4, v, 8);
        }
    }

    private static void string(ByteArrayOutputStream out, byte[] s) {
        if (s.length < 64) {
            out.write(0x80 | s.length);
        } else if (s.length < 4096) {
            out.write(0xe0 | s.length >> 8);
            out.write(s.length & 0xff);
        } else {
            littleEndian(out, 0xf0, s.length, 4);
        }
        out.writeBytes(s);
    }

    /** {@code lpEncodeBacklen}: 7 bits per byte, most significant first; every byte but the first has bit 7 set. */
    private static void backlen(ByteArrayOutputStream out, int length) {
        int size = backlenSize(length);
        for (int i = size - 1; i >= 0; i--) {
            int seven = (length >>> (7 * i)) & 127;
            out.write(i == size - 1 ? seven : seven | 128);
        }
    }

    private static void littleEndian(ByteArrayOutputStream out, int encoding, long value, int width) {
        out.write(encoding);
        for (int i = 0; i < width; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private static void putLittleEndian(byte[] out, int at, long value, int width) {
        for (int i = 0; i < width; i++) {
            out[at + i] = (byte) (value >>> (8 * i));
        }
    }

    /** Deep sanitization: the back length must be the entry's length, encoded as Redis's lpEncodeBacklen. */
    private static void checkBacklen(Blob in, int entryLength) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream(5);
        backlen(expected, entryLength);
        byte[] stored = in.bytes(expected.size());
        if (!java.util.Arrays.equals(stored, expected.toByteArray())) {
            throw new RdbException("listpack entry's back length does not match its " + entryLength + " bytes");
        }
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
