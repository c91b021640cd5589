// LZF, the small fast compressor Redis uses for long strings in RDB files (liblzf's format, both directions).
package io.port6379.server.persistence;

import java.util.Arrays;

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
    private static final int HASH_BITS = 14;
    /** Entries of the hash table {@link #compress(byte[], int, int[])} takes, for callers that reuse one. */
    static final int TABLE_SIZE = 1 << HASH_BITS;

    private Lzf() {
    }

    /**
     * Decompresses {@code in} into exactly {@code length} bytes. O(length).
     *
     * @throws IllegalArgumentException when the data is not valid LZF for that length
     */
    // tag::lzf-decompress[]
    public static byte[] decompress(byte[] in, int length) {
        byte[] out = new byte[length];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < MAX_LITERAL) {
                int run = ctrl + 1;
                if (ip + run > in.length || op + run > length) {
                    throw new IllegalArgumentException("LZF literal run past the end");
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int run = ctrl >> 5;
                if (ip + (run == 7 ? 1 : 0) >= in.length) {
                    throw new IllegalArgumentException("LZF back reference cut short");
                }
                if (run == 7) {
                    run += in[ip++] & 0xff;
                }
                run += 2;
                int from = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                if (from < 0 || op + run > length) {
                    throw new IllegalArgumentException("LZF back reference outside the output");
                }
                for (int i = 0; i < run; i++) {
                    out[op++] = out[from++]; // may overlap: byte by byte on purpose
                }
            }
        }
        if (op != length) {
            throw new IllegalArgumentException("LZF data decompressed to " + op + " bytes, expected " + length);
        }
        return out;
    }
    // end::lzf-decompress[]

    /**
     * Compresses {@code in}, or returns {@code null} when the result would not be shorter than {@code maxLength}
     * bytes (Redis then stores the string as it is). Greedy matching through a hash table of 3-byte prefixes, as
     * liblzf does; the output differs from liblzf's byte for byte but any LZF decoder reads it. O(N).
     */
    public static byte[] compress(byte[] in, int maxLength) {
        return compress(in, maxLength, new int[TABLE_SIZE]);
    }

    /**
     * {@link #compress(byte[], int)} with a hash table of {@link #TABLE_SIZE} entries the caller reuses across
     * calls. Like liblzf, it is never cleared: a stale entry is only a candidate position, checked against the
     * input before use, so it can cost a missed match but never a wrong one. O(N).
     */
    static byte[] compress(byte[] in, int maxLength, int[] table) {
        if (in.length < 4 || maxLength <= 0) {
            return null;
        }
        byte[] out = new byte[maxLength];
        int ip = 0;
        int op = 1; // room for the first literal run's control byte
        int literalStart = 0; // where the current literal run's control byte sits
        int literals = 0;
        while (ip < in.length - 2) {
            int hash = hash(in, ip);
            int ref = table[hash];
            table[hash] = ip;
            int offset = ip - ref - 1;
            if (ref >= 0 && ref < ip && offset < MAX_OFFSET && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]
                    && in[ref + 2] == in[ip + 2]) {
                int maxLen = Math.min(MAX_REFERENCE, in.length - ip);
                int len = 3;
                while (len < maxLen && in[ref + len] == in[ip + len]) {
                    len++;
                }
                // close the literal run (or take back its unused control byte), then write the reference
                if (literals == 0) {
                    op--;
                } else {
                    out[literalStart] = (byte) (literals - 1);
                }
                if (op + 3 + 1 >= maxLength) {
                    return null;
                }
                int encoded = len - 2;
                if (encoded < 7) {
                    out[op++] = (byte) ((encoded << 5) + (offset >> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) + (offset >> 8));
                    out[op++] = (byte) (encoded - 7);
                }
                out[op++] = (byte) offset;
                ip += len;
                literalStart = op++;
                literals = 0;
                continue;
            }
            if (op >= maxLength) {
                return null;
            }
            out[op++] = in[ip++];
            if (++literals == MAX_LITERAL) {
                out[literalStart] = (byte) (MAX_LITERAL - 1);
                literalStart = op++;
                literals = 0;
            }
        }
        while (ip < in.length) {
            if (op >= maxLength) {
                return null;
            }
            out[op++] = in[ip++];
            if (++literals == MAX_LITERAL) {
                out[literalStart] = (byte) (MAX_LITERAL - 1);
                literalStart = op++;
                literals = 0;
            }
        }
        if (literals == 0) {
            op--;
        } else {
            out[literalStart] = (byte) (literals - 1);
        }
        return op < maxLength ? Arrays.copyOf(out, op) : null;
    }

    private static int hash(byte[] in, int i) {
        int v = ((in[i] & 0xff) << 16) | ((in[i + 1] & 0xff) << 8) | (in[i + 2] & 0xff);
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }
}
