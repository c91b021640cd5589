// Reads Redis's zipmap, the small-hash encoding of RDB files from Redis 2.x, which Redis 7.0 still loads.
package io.port6379.server.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a zipmap blob ({@code zipmap.c}): a count byte, then per entry the key's length, the key, the value's
 * length, a byte counting unused padding, the value and that padding; 0xFF ends it. A length is one byte below
 * 254, or 254 followed by a 4-byte little-endian length. Stateless.
 */
final class Zipmap {

    private Zipmap() {
    }

    /** Keys and values, alternating. O(N). */
    static List<byte[]> decode(byte[] zm) {
        RdbReader.sanitizing();
        Blob in = new Blob(zm, "zipmap");
        in.uint8(); // count, or 254+ when unknown: the terminator decides
        List<byte[]> fieldsAndValues = new ArrayList<>();
        while (true) {
            int length = in.uint8();
            if (length == 0xff) {
                break;
            }
            fieldsAndValues.add(in.bytes(length(in, length)));
            int valueLength = length(in, in.uint8());
            int free = in.uint8();
            fieldsAndValues.add(in.bytes(valueLength));
            in.skip(free);
        }
        if (in.remaining() != 0) {
            throw new RdbException("zipmap has bytes after its terminator");
        }
        return fieldsAndValues;
    }

    private static int length(Blob in, int first) {
        if (first < 254) {
            return first;
        }
        if (first == 254) {
            return Math.toIntExact(in.uint32());
        }
        throw new RdbException("bad zipmap length byte " + first);
    }
}
