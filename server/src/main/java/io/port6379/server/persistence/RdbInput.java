// The reading side of an RDB file: buffered bytes, RDB lengths and strings, and the running CRC-64.
package io.port6379.server.persistence;

import io.port6379.datastructures.RedisNumbers;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the primitives of the RDB format from a stream and keeps the CRC-64 of every byte consumed, so the
 * checksum at the end can be compared. Not thread-safe.
 *
 * <p>A <em>length</em> starts with two bits that say how it is stored: {@code 00} six bits in this byte,
 * {@code 01} fourteen bits in this and the next byte (big-endian), {@code 10} a 32-bit (0x80) or 64-bit (0x81)
 * big-endian number in the following bytes, and {@code 11} not a length at all but a special string encoding:
 * an 8, 16 or 32-bit integer (little-endian) or an LZF-compressed string.
 */
final class RdbInput {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private int crcMark; // bytes of buffer before this index are in crc
    private long crc;
    private long consumed;

    RdbInput(InputStream in) {
        this.in = in;
    }

    /** Bytes read so far (for error messages). */
    long offset() {
        return consumed + position;
    }

    /** The CRC-64 of every byte read so far. */
    long crc() {
        crc = Crc64.update(crc, buffer, crcMark, position - crcMark);
        crcMark = position;
        return crc;
    }

    private void fill() throws IOException {
        crc();
        consumed += position;
        position = 0;
        crcMark = 0;
        limit = Math.max(0, in.read(buffer));
        if (limit == 0) {
            throw new EOFException("Unexpected EOF reading RDB file at offset " + consumed);
        }
    }

    int uint8() throws IOException {
        if (position == limit) {
            fill();
        }
        return buffer[position++] & 0xff;
    }

    void readFully(byte[] out, int offset, int length) throws IOException {
        while (length > 0) {
            if (position == limit) {
                fill();
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, out, offset, n);
            position += n;
            offset += n;
            length -= n;
        }
    }

    long littleEndian(int width) throws IOException {
        long value = 0;
        for (int i = 0; i < width; i++) {
            value |= (long) uint8() << (8 * i);
        }
        return value;
    }

    private long bigEndian(int width) throws IOException {
        long value = 0;
        for (int i = 0; i < width; i++) {
            value = value << 8 | uint8();
        }
        return value;
    }

    // tag::read-length[]
    /** A length, or -1 - encoding when the first two bits are {@code 11} (a special string encoding follows). */
    private long lengthOrEncoding() throws IOException {
        int first = uint8();
        return switch (first >> 6) {
            case RdbFormat.LEN_6BIT -> first & 0x3f;
            case RdbFormat.LEN_14BIT -> (first & 0x3f) << 8 | uint8();
            case RdbFormat.ENCVAL -> -1 - (first & 0x3f);
            default -> switch (first) {
                case RdbFormat.LEN_32BIT -> bigEndian(4);
                case RdbFormat.LEN_64BIT -> bigEndian(8);
                default -> throw new RdbException("Unknown length encoding " + first + " at offset " + (offset() - 1));
            };
        };
    }
    // end::read-length[]

    /** A length (element counts, database numbers). */
    long length() throws IOException {
        long length = lengthOrEncoding();
        if (length < 0) {
            throw new RdbException("A string encoding where a length was expected at offset " + offset());
        }
        return length;
    }

    /** A 64-bit unsigned number written as a length (a stream ID's part; 2^64-1 comes back as -1). */
    long unsignedLength() throws IOException {
        int first = uint8();
        if (first == RdbFormat.LEN_64BIT) {
            return bigEndian(8);
        }
        return switch (first >> 6) {
            case RdbFormat.LEN_6BIT -> first & 0x3f;
            case RdbFormat.LEN_14BIT -> (first & 0x3f) << 8 | uint8();
            default -> {
                if (first == RdbFormat.LEN_32BIT) {
                    yield bigEndian(4);
                }
                throw new RdbException("A string encoding where a number was expected at offset " + offset());
            }
        };
    }

    /** A length that must fit an array index. */
    int count() throws IOException {
        long length = length();
        if (length > Integer.MAX_VALUE - 8) {
            throw new RdbException("Length " + length + " too large at offset " + offset());
        }
        return (int) length;
    }

    // tag::read-string[]
    /** A string in any of its encodings: plain, integer (returned as its decimal text) or LZF-compressed. */
    byte[] string() throws IOException {
        long length = lengthOrEncoding();
        if (length >= 0) {
            return bytes(checkedSize(length));
        }
        int encoding = (int) (-1 - length);
        return switch (encoding) {
            case RdbFormat.ENC_INT8 -> RedisNumbers.formatLong((byte) uint8());
            case RdbFormat.ENC_INT16 -> RedisNumbers.formatLong((short) littleEndian(2));
            case RdbFormat.ENC_INT32 -> RedisNumbers.formatLong((int) littleEndian(4));
            case RdbFormat.ENC_LZF -> {
                int compressed = checkedSize(length());
                int original = checkedSize(length());
                try {
                    yield Lzf.decompress(bytes(compressed), original);
                } catch (IllegalArgumentException e) {
                    throw new RdbException("Invalid LZF compressed string at offset " + offset() + ": " + e.getMessage());
                }
            }
            default -> throw new RdbException("Unknown RDB string encoding type " + encoding);
        };
    }
    // end::read-string[]

    private int checkedSize(long length) {
        if (length > 512L * 1024 * 1024) { // proto-max-bulk-len: no single string can be longer
            throw new RdbException("String of " + length + " bytes too large at offset " + offset());
        }
        return (int) length;
    }

    byte[] bytes(int length) throws IOException {
        byte[] out = new byte[length];
        readFully(out, 0, length);
        return out;
    }
}
