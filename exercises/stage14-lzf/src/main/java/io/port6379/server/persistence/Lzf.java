// Exercise 14: your LZF decompressor, which reads the compressed strings of an RDB file. It replaces the reference
// io.port6379.server.persistence.Lzf. Check it with `exercises/check 14`; try it with
// `exercises/run-server 14 --port 6380 --dir <a directory holding a dump.rdb that redis-server wrote>`: long
// repetitive strings are stored compressed, and GET reads them through your code.
//
// What to build (chapter 14, "LZF"): decompress(in, length), liblzf's lzf_decompress. The input is a sequence of
// runs, each starting with a control byte `ctrl`:
//  - ctrl < 32 (top three bits 0): a literal run; copy the next ctrl + 1 bytes as they are;
//  - otherwise a back reference: len = ctrl >> 5, and when len == 7 add the next byte; the offset is
//    ((ctrl & 0x1f) << 8) + the next byte, + 1, counted back from the current output position; copy len + 2
//    bytes from there, one at a time (the source may overlap what is being written: "abababab" is a reference of
//    length 6 at offset 2).
// The result must have exactly `length` bytes. Malformed input (a literal or a reference that runs past the input
// or the output, an offset before the start, a result shorter than `length`) throws IllegalArgumentException,
// never ArrayIndexOutOfBoundsException: RDB files come from disk and the network.
// Given: compress(), byte-for-byte liblzf 3.6 as Redis links it (the chapter explains its choices).
// Tests: server/src/test/java/io/port6379/server/persistence/LzfProperties.java (decompress undoes compress, and
// rejects corrupt input), RealRedisRdbTest.java (files that redis-server wrote, compressed strings included),
// RdbReaderTest.java and BgsaveTest.java (RDB files written and read back).
// The reference solution is server/src/main/java/io/port6379/server/persistence/Lzf.java.
package io.port6379.server.persistence;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * liblzf's format, which Redis stores long strings in when {@code rdbcompression} is on. The compressed data is a
 * sequence of runs, each starting with a control byte {@code ctrl}:
 * <ul>
 *   <li>{@code ctrl < 32}: a literal run — the next {@code ctrl + 1} bytes are copied as they are;</li>
 *   <li>otherwise a back reference: length {@code (ctrl >> 5) + 2} (when the top three bits are all set, the
 *       next byte adds to it), offset {@code ((ctrl & 0x1f) << 8) + nextByte + 1} bytes back in the output.</li>
 * </ul>
 * Back references may overlap what they produce ({@code "aaaa..."} is a reference one byte back), so they are
 * copied byte by byte. Stateless and thread-safe.
 */
public final class Lzf {

    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REFERENCE = (1 << 8) + (1 << 3);
    /** liblzf's {@code HLOG}: 2^16 hash slots. */
    private static final int HASH_BITS = 16;
    private static final int TABLE_SIZE = 1 << HASH_BITS;
    /**
     * Hash tables to lend, each 256 KB: commands run one at a time and a background save beside them, so two
     * tables at most are ever made. A table is never cleared between uses (see {@link #compress}).
     */
    private static final ConcurrentLinkedQueue<int[]> TABLES = new ConcurrentLinkedQueue<>();

    private Lzf() {
    }

    /**
     * Decompresses {@code in} into exactly {@code length} bytes. O(length).
     *
     * @throws IllegalArgumentException when the data is not valid LZF for that length
     */
    public static byte[] decompress(byte[] in, int length) {
        throw new UnsupportedOperationException("exercise 14: decompress()");
    }

    /**
     * Compresses {@code in} exactly as liblzf 3.6's {@code lzf_compress} does with the settings it is built with
     * (HLOG 16, VERY_FAST, no INIT_HTAB: what the redis-server of Debian links), so that RDB files and DUMP
     * payloads are byte-equal to Redis's; {@code null} when the result would not fit in {@code maxLength} bytes
     * (Redis then stores the string as it is). O(N).
     *
     * <p>The choices that decide the bytes: each position's next three bytes are hashed into one of 2^16 slots
     * holding the last position with that hash; a candidate within 8 KB whose three bytes really match starts a
     * back reference, extended as far as the bytes agree (at most 264); after a reference only its last two
     * positions are hashed (VERY_FAST), so matches inside it are never found. Redis's own copy of the file,
     * {@code src/lzf_c.c}, also refuses a match within four bytes of the end; the 3.6 library does not, and
     * neither does this port.
     *
     * <p>liblzf never clears its table (it lives on the stack), and neither does this port: a stale slot from
     * an earlier input is harmless, because a three-byte sequence's first occurrence in this input is always
     * hashed (it cannot lie inside a back reference, whose bytes occurred earlier), so any candidate that could
     * match was overwritten by this input before it is read.
     */
    public static byte[] compress(byte[] in, int maxLength) {
        int[] table = TABLES.poll();
        try {
            return compress(in, maxLength, table != null ? table : (table = new int[TABLE_SIZE]));
        } finally {
            TABLES.offer(table);
        }
    }

    private static byte[] compress(byte[] in, int maxLength, int[] table) {
        int inLength = in.length;
        if (inLength == 0 || maxLength <= 0) {
            return null;
        }
        byte[] out = new byte[maxLength];
        int ip = 0;
        int op = 1; // the first literal run's control byte
        int literals = 0;
        int hash = inLength >= 2 ? (in[0] & 0xff) << 8 | (in[1] & 0xff) : 0;
        while (ip < inLength - 2) {
            hash = hash << 8 | (in[ip + 2] & 0xff);
            int slot = slot(hash);
            int ref = table[slot];
            table[slot] = ip;
            int offset = ip - ref - 1;
            if (offset >= 0 && offset < MAX_OFFSET && ref > 0
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                if (op - (literals == 0 ? 1 : 0) + 3 + 1 >= maxLength) {
                    return null;
                }
                out[op - literals - 1] = (byte) (literals - 1); // close the literal run
                op -= literals == 0 ? 1 : 0; // or take back its unused control byte
                int len = matchLength(in, ref, ip, Math.min(inLength - ip - 2, MAX_REFERENCE)) - 2;
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((offset >> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((offset >> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) offset;
                literals = 0;
                op++; // the next literal run's control byte
                ip += len + 1;
                if (ip >= inLength - 2) {
                    break;
                }
                ip -= 2; // VERY_FAST: hash the reference's last two positions only
                hash = (in[ip] & 0xff) << 8 | (in[ip + 1] & 0xff);
                hash = hash << 8 | (in[ip + 2] & 0xff);
                table[slot(hash)] = ip++;
                hash = hash << 8 | (in[ip + 2] & 0xff);
                table[slot(hash)] = ip++;
            } else {
                if (op >= maxLength) {
                    return null;
                }
                literals++;
                out[op++] = in[ip++];
                if (literals == MAX_LITERAL) {
                    out[op - literals - 1] = (byte) (literals - 1);
                    literals = 0;
                    op++;
                }
            }
        }
        if (op + 3 > maxLength) { // at most the last two bytes and a control byte are missing
            return null;
        }
        while (ip < inLength) {
            literals++;
            out[op++] = in[ip++];
            if (literals == MAX_LITERAL) {
                out[op - literals - 1] = (byte) (literals - 1);
                literals = 0;
                op++;
            }
        }
        out[op - literals - 1] = (byte) (literals - 1);
        op -= literals == 0 ? 1 : 0;
        return Arrays.copyOf(out, op);
    }

    /** liblzf's {@code IDX} in its VERY_FAST form, of the last three bytes shifted into {@code hash}. */
    private static int slot(int hash) {
        return ((hash >>> (3 * 8 - HASH_BITS)) - hash * 5) & (TABLE_SIZE - 1);
    }

    /**
     * How many bytes from {@code ip} equal those from {@code ref} (the first three do), as liblzf counts them:
     * up to {@code maxLength}, except that when more than 16 are possible it first compares 16 more without
     * looking at the limit, so a match may run up to the input's end (two bytes past {@code maxLength}).
     */
    private static int matchLength(byte[] in, int ref, int ip, int maxLength) {
        int len = 2;
        if (maxLength > 16) {
            for (int k = 0; k < 16; k++) {
                len++;
                if (in[ref + len] != in[ip + len]) {
                    return len;
                }
            }
        }
        do {
            len++;
        } while (len < maxLength && in[ref + len] == in[ip + len]);
        return len;
    }
}
