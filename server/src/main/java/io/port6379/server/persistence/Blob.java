// A cursor over one of the encoded blobs inside an RDB file (listpack, ziplist, intset), with bounds checks.
package io.port6379.server.persistence;

import java.util.Arrays;

/**
 * Little-endian reads from a byte array, each checked against its end so that a corrupted blob is reported as
 * an {@link RdbException} naming the blob, never as an index error. Not thread-safe; one per decode.
 */
final class Blob {

    private final byte[] bytes;
    private final String what;
    private int position;

    Blob(byte[] bytes, String what) {
        this.bytes = bytes;
        this.what = what;
    }

    int position() {
        return position;
    }

    int remaining() {
        return bytes.length - position;
    }

    private void need(int n) {
        if (n < 0 || position + n > bytes.length) {
            throw new RdbException(what + " cut short: " + n + " more bytes needed at offset " + position);
        }
    }

    int uint8() {
        need(1);
        return bytes[position++] & 0xff;
    }

    int uint16() {
        return uint8() | uint8() << 8;
    }

    int uint24() {
        return uint8() | uint8() << 8 | uint8() << 16;
    }

    long uint32() {
        return (uint16() | (long) uint16() << 16) & 0xffffffffL;
    }

    long uint32BigEndian() {
        return ((long) uint8() << 24 | uint8() << 16 | uint8() << 8 | uint8()) & 0xffffffffL;
    }

    long int64() {
        return uint32() | uint32() << 32;
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(bytes, position, position + n);
        position += n;
        return out;
    }

    void skip(int n) {
        need(n);
        position += n;
    }
}
