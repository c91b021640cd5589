// Exercise 21: your key slot function, the CRC16 and {hash tag} rule that decide which cluster node holds a key.
// It replaces the reference io.port6379.server.cluster.KeySlot, under the reference routing and CLUSTER commands.
// Check it with `exercises/check 21`; watch it with `exercises/run-server 21 --port 6380 --cluster-enabled yes`,
// then `redis-cli -p 6380 CLUSTER KEYSLOT user:{42}:name` against a real `redis-server --cluster-enabled yes`.
//
// What to build (chapter 21, "Slots and hash tags"):
//  1. crc16(bytes, from, to): CRC16/XMODEM of bytes[from, to): polynomial 0x1021, initial value 0, no reflection,
//     no final XOR; the check value of "123456789" is 0x31C3. A 256-entry table makes it one step per byte.
//  2. slot(key): crc16 of the key modulo SLOTS, except that a key with a hash tag is hashed by its tag only:
//     the bytes between the first '{' and the first '}' after it, when there is at least one byte between them.
//     "{}x" and "x{" have no tag; "a{{b}}" has the tag "{b".
// Tests: server/src/test/java/io/port6379/server/cluster/KeySlotTest.java (values redis-server gives) and
// KeySlotProperties (against a bit-at-a-time CRC and the tag rule written with String.indexOf).
// The reference solution is server/src/main/java/io/port6379/server/cluster/KeySlot.java.
package io.port6379.server.cluster;

/**
 * Redis Cluster shards the keyspace into 16 384 slots: {@code slot = CRC16(key) mod 16384}; a key holding a hash
 * tag is hashed by the tag only, so keys that share a tag share a slot and may be used together by one command.
 */
public final class KeySlot {

    /** The number of hash slots, Redis's {@code CLUSTER_SLOTS}. Given. */
    public static final int SLOTS = 16384;

    private KeySlot() {
    }

    /** CRC16/XMODEM of {@code bytes[from, to)}. */
    public static int crc16(byte[] bytes, int from, int to) {
        throw new UnsupportedOperationException("exercise 21: crc16()");
    }

    /** Redis's {@code keyHashSlot}: the slot of {@code key}, hashing only its hash tag when it has one. */
    public static int slot(byte[] key) {
        throw new UnsupportedOperationException("exercise 21: slot()");
    }
}
