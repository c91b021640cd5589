// Which of the 16 384 hash slots a key belongs to: CRC16 (XMODEM) of the key or of its {hash tag}.
package io.port6379.server.cluster;

/**
 * Redis Cluster shards the keyspace into 16 384 slots: {@code slot = CRC16(key) mod 16384}, with the CRC16 of
 * Redis's {@code crc16.c} (the XMODEM variant: polynomial 0x1021, initial value 0, no reflection). A key that
 * holds a <em>hash tag</em> is hashed by the tag only, so {@code user:{42}:name} and {@code user:{42}:mail} land
 * in the same slot and may be used together by one command: the tag is what lies between the first {@code &#123;}
 * and the first {@code &#125;} after it, when that is not empty. {@code &#123;&#125;x} and {@code x&#123;} have no
 * tag and are hashed whole.
 */
public final class KeySlot {

    /** The number of hash slots, Redis's {@code CLUSTER_SLOTS}. */
    public static final int SLOTS = 16384;

    // tag::crc16[]
    /** The CRC of every byte value, as the table in Redis's crc16.c. */
    private static final char[] TABLE = new char[256];

    static {
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[b] = (char) crc;
        }
    }

    /** CRC16/XMODEM of {@code bytes[from, to)}. */
    public static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }
    // end::crc16[]

    private KeySlot() {
    }

    // tag::slot[]
    /** Redis's {@code keyHashSlot}: the slot of {@code key}, hashing only its hash tag when it has one. */
    public static int slot(byte[] key) {
        int open = indexOf(key, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(key, (byte) '}', open + 1);
            if (close > open + 1) { // a non-empty tag: only it is hashed
                return crc16(key, open + 1, close) & (SLOTS - 1);
            }
        }
        return crc16(key, 0, key.length) & (SLOTS - 1);
    }
    // end::slot[]

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
