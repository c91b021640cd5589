// The DUMP payload: one value in RDB encoding, then the RDB version and a CRC-64, as Redis 7.0's DUMP and RESTORE.
package io.port6379.server.persistence;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.QuicklistOptions;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What DUMP answers and RESTORE accepts ({@code createDumpPayload} and {@code verifyDumpPayload} in Redis's
 * {@code cluster.c}). The value is written exactly as an RDB file holds it after its key, so Redis and this
 * server read each other's payloads with their RDB code:
 *
 * <pre>
 * | type: 1 byte | value body: RDB encoding of that type | RDB version: u16 LE (10) | CRC-64: u64 LE |
 *                                                          `--- the CRC covers every byte before it ---'
 * </pre>
 *
 * A payload is accepted when it is at least 10 bytes long, its version is not newer than ours and its CRC
 * matches (Redis compares even a zero CRC here, unlike in an RDB file). Stateless.
 */
public final class DumpPayload {

    /** The footer: two bytes of version, eight of CRC-64. */
    private static final int FOOTER = 10;

    private DumpPayload() {
    }

    /**
     * The payload of {@code value}. A list's quicklist nodes are cut by the fill it was made with and its inner nodes
     * LZF-compressed by the compress depth it was made with ({@link QuicklistOptions}), as Redis keeps them. O(N) in
     * its elements.
     *
     * @param compression {@code rdbcompression}: long strings and blobs LZF-compressed when that saves space
     */
    public static byte[] create(RedisValue value, boolean compression) {
        QuicklistOptions lists = value instanceof RedisList list ? list.options() : QuicklistOptions.DEFAULT;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            RdbWriter writer = new RdbWriter(out, compression);
            writer.listCompressDepth(lists.compressDepth());
            writer.value(FrozenValue.of(value), lists.fill());
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return withFooter(out);
    }

    /** The footer after a body: the RDB version in two bytes, then the CRC-64 of everything before it. */
    private static byte[] withFooter(ByteArrayOutputStream out) {
        out.write(RdbFormat.VERSION & 0xff);
        out.write(RdbFormat.VERSION >> 8);
        long crc = Crc64.of(out.toByteArray());
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    /** Whether the footer holds an RDB version we read and the CRC-64 of the rest. O(length). */
    public static boolean verify(byte[] payload) {
        return verify(payload, true);
    }

    /** {@link #verify}, the CRC-64 compared only when {@code checksum} (DEBUG SET-SKIP-CHECKSUM-VALIDATION). */
    public static boolean verify(byte[] payload, boolean checksum) {
        if (payload.length < FOOTER) {
            return false;
        }
        int version = (payload[payload.length - 10] & 0xff) | (payload[payload.length - 9] & 0xff) << 8;
        if (version > RdbFormat.VERSION) {
            return false;
        }
        if (!checksum) {
            return true;
        }
        long stored = 0;
        for (int i = 0; i < 8; i++) {
            stored |= (payload[payload.length - 8 + i] & 0xffL) << (8 * i);
        }
        return Crc64.update(0, payload, 0, payload.length - 8) == stored;
    }

    /**
     * The value in a payload that {@link #verify} accepted, or null when it is not one this server can load
     * (Redis's "Bad data format": an unknown type, a malformed body, an empty collection). The body is read
     * from the whole payload, footer included, as Redis's reader does: a string that claims a few bytes more
     * than the body holds takes them from the footer. O(size of the payload).
     *
     * @param key only for messages
     * @param deep {@code sanitize-dump-payload}'s deep checks (see RdbReader)
     */
    public static RedisValue load(byte[] payload, byte[] key, EncodingLimits limits, boolean deep) {
        try {
            return RdbReader.readValue(new ByteArrayInputStream(payload), key, limits, deep);
        } catch (IOException | RuntimeException e) { // RdbException, or a number that does not parse
            return null;
        }
    }

    // tag::function-dump[]
    /**
     * FUNCTION DUMP's payload: per library FUNCTION2 and its code (as in an RDB file), then the footer. O(code).
     */
    public static byte[] functions(java.util.List<byte[]> codes, boolean compression) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            RdbWriter writer = new RdbWriter(out, compression);
            for (byte[] code : codes) {
                writer.function(code);
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withFooter(out);
    }

    /**
     * The libraries' code in a FUNCTION DUMP payload that {@link #verify} accepted; throws Redis's error
     * (without its {@code ERR }) when something else is in it.
     */
    public static java.util.List<byte[]> functionCodes(byte[] payload) {
        java.util.List<byte[]> codes = new java.util.ArrayList<>();
        RdbInput in = new RdbInput(new ByteArrayInputStream(payload));
        try {
            while (payload.length - in.offset() > FOOTER) {
                int type = in.uint8();
                if (type == RdbFormat.OPCODE_FUNCTION) {
                    throw new IllegalArgumentException("Pre-GA function format not supported");
                }
                if (type != RdbFormat.OPCODE_FUNCTION2) {
                    throw new IllegalArgumentException("given type is not a function");
                }
                codes.add(in.string());
            }
        } catch (IOException | RdbException e) {
            throw new IllegalArgumentException("failed loading the given functions payload", e);
        }
        return codes;
    }
    // end::function-dump[]
}
