// The CRC-64 that ends every RDB file: Redis's crc64.c ("Jones" polynomial, reflected, no final xor).
package io.port6379.server.persistence;

/**
 * Redis's {@code crc64}: polynomial 0xad93d23594c935a9, bits processed least significant first ("reflected"),
 * initial value 0 and no final xor. Redis checks it with {@code crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca}.
 * The RDB file ends with the checksum of every byte before it, stored little-endian; 0 means "not computed"
 * ({@code rdbchecksum no}).
 *
 * <p>Table-driven, one byte per step: the table holds the CRC of each byte value, so each input byte costs one
 * lookup, one shift and two xors. Immutable tables; the running value is a plain {@code long} the caller keeps.
 */
public final class Crc64 {

    private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L; // 0xad93d23594c935a9 with its bits reversed
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private Crc64() {
    }

    /** The CRC of {@code bytes[offset, offset+length)} continued from {@code crc} (0 to start). O(length). */
    public static long update(long crc, byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            crc = TABLE[(int) ((crc ^ bytes[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    /** The CRC of all of {@code bytes}. O(N). */
    public static long of(byte[] bytes) {
        return update(0, bytes, 0, bytes.length);
    }
}
