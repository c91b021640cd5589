// The numbers of the RDB format: the opcodes and value types of Redis 7.0's rdb.h.
package io.port6379.server.persistence;

/**
 * Constants of the RDB file format, with Redis's names ({@code RDB_OPCODE_*}, {@code RDB_TYPE_*}).
 *
 * <p>A file is {@code "REDIS"} and a four-digit version, then a sequence of records each introduced by one byte:
 * an opcode (AUX field, SELECTDB, RESIZEDB, an expiry time, EOF), or a value type, which is followed by the key
 * and the value. After EOF come eight bytes of CRC-64 (little-endian) over everything before them.
 */
final class RdbFormat {

    /** The Redis version whose files we write, in the {@code redis-ver} AUX field (HELLO reports the same). */

    /** The version Redis 7.0 writes (and the newest it reads). */
    static final int VERSION = 10;

    // Value types (the byte before a key).
    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_SET = 2;
    static final int TYPE_ZSET = 3;
    static final int TYPE_HASH = 4;
    static final int TYPE_ZSET_2 = 5;
    static final int TYPE_MODULE = 6;
    static final int TYPE_MODULE_2 = 7;
    static final int TYPE_HASH_ZIPMAP = 9;
    static final int TYPE_LIST_ZIPLIST = 10;
    static final int TYPE_SET_INTSET = 11;
    static final int TYPE_ZSET_ZIPLIST = 12;
    static final int TYPE_HASH_ZIPLIST = 13;
    static final int TYPE_LIST_QUICKLIST = 14;
    static final int TYPE_STREAM_LISTPACKS = 15;
    static final int TYPE_HASH_LISTPACK = 16;
    static final int TYPE_ZSET_LISTPACK = 17;
    static final int TYPE_LIST_QUICKLIST_2 = 18;
    static final int TYPE_STREAM_LISTPACKS_2 = 19;

    // Opcodes.
    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION = 246;
    static final int OPCODE_MODULE_AUX = 247;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    // Length encoding: the top two bits of the first byte.
    static final int LEN_6BIT = 0;
    static final int LEN_14BIT = 1;
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;
    static final int ENCVAL = 3;

    // Special string encodings (ENCVAL followed by one of these in the low six bits).
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    // QUICKLIST_2 node containers.
    static final int QUICKLIST_NODE_PLAIN = 1;
    static final int QUICKLIST_NODE_PACKED = 2;

    private RdbFormat() {
    }
}
