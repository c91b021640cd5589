// Reads Redis's ziplist, the compact encoding older Redis versions (before 7.0) used in RDB files.
package io.port6379.server.persistence;

import io.port6379.datastructures.RedisNumbers;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a ziplist blob ({@code ziplist.c}), which RDB files written by Redis before 7.0 contain and Redis 7.0
 * still loads: a 4-byte total size, a 4-byte offset of the last entry and a 2-byte count (little-endian), the
 * entries, and a 0xFF terminator. Each entry starts with the previous entry's length (1 byte, or 0xFE and 4
 * bytes), then an encoding: strings with a 6, 14 or 32-bit length ({@code 00}, {@code 01}, {@code 10} in the top
 * bits), or integers of 16, 32, 64, 24 or 8 bits, or {@code 1111xxxx} holding 0..12 in the byte itself.
 * Integers come back as decimal text. Stateless.
 */
final class Ziplist {

    private Ziplist() {
    }

    /**
     * Every entry, in order. O(N).
     *
     * @throws RdbException when the blob is not a well-formed ziplist
     */
    static List<byte[]> decode(byte[] zl) {
        RdbReader.sanitizing();
        Blob in = new Blob(zl, "ziplist");
        long totalBytes = in.uint32();
        if (totalBytes != zl.length) {
            throw new RdbException("ziplist size " + totalBytes + " does not match its blob of " + zl.length + " bytes");
        }
        in.uint32(); // offset of the tail entry: only for walking backwards
        int count = in.uint16(); // 65535: too many to count
        List<byte[]> entries = new ArrayList<>(count == 65535 ? 16 : count);
        while (true) {
            int prevlen = in.uint8();
            if (prevlen == 0xff) {
                break;
            }
            if (prevlen == 0xfe) {
                in.uint32();
            }
            int b = in.uint8();
            entries.add(switch (b >> 6) {
                case 0 -> in.bytes(b & 0x3f);
                case 1 -> in.bytes(((b & 0x3f) << 8) | in.uint8());
                case 2 -> in.bytes(Math.toIntExact(in.uint32BigEndian()));
                default -> RedisNumbers.formatLong(integer(b, in));
            });
        }
        if (in.remaining() != 0 || (count != 65535 && count != entries.size())) {
            throw new RdbException("ziplist holds " + entries.size() + " entries where its header says " + count);
        }
        return entries;
    }

    private static long integer(int encoding, Blob in) {
        return switch (encoding) {
            case 0xc0 -> (short) in.uint16();
            case 0xd0 -> (int) in.uint32();
            case 0xe0 -> in.int64();
            case 0xf0 -> (in.uint24() << 8) >> 8;
            case 0xfe -> (byte) in.uint8();
            default -> {
                if (encoding >= 0xf1 && encoding <= 0xfd) {
                    yield (encoding & 0x0f) - 1;
                }
                throw new RdbException("bad ziplist encoding byte " + encoding);
            }
        };
    }
}
