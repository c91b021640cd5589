// The keys of database 0 by hash slot: CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT, and the migrating-slot checks.
package io.port6379.server.cluster;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.KeyIndex;
import io.port6379.datastructures.MemorySizes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Redis 7.0 threads every key of a cluster node's database onto a list per slot ({@code slots_to_keys}), so that
 * CLUSTER GETKEYSINSLOT, which resharding calls for each slot it moves, does not scan the whole keyspace. Here
 * the keyspace tells this index of each key it adds or deletes ({@link KeyIndex}): O(1) per change, plus the
 * CRC16 of the key. Keys come out newest first, as from Redis's lists, which add at the head.
 *
 * <p>Memory (tag {@code memory}): Redis 7.0 pays for its index with two pointers of metadata in every key's dict
 * entry (16 bytes a key once the allocator rounds the entry up: MEMORY USAGE of a small key is 80 bytes in cluster
 * mode and 64 without) and 256 KB for the slots' heads and counts, allocated when the database is made; a cluster
 * node's used_memory holds both. Here the index is a set per slot, so what it costs is counted the same way, as
 * heap bytes like the rest of used_memory: the two arrays of 16 384 (once), each slot's set with its table (while
 * the slot has keys), and per key a set entry and the key's wrapper; the keyspace adds {@link #memory} to its
 * overhead and {@link #memoryPerKey} to MEMORY USAGE. Kept as a running total, O(1) per change, since eviction
 * asks for used_memory before every command.
 */
public final class SlotIndex implements KeyIndex {

    // tag::memory[]
    /** The two arrays and this object. */
    private static final long FIXED = MemorySizes.intArray(KeySlot.SLOTS) + MemorySizes.referenceArray(KeySlot.SLOTS)
            + MemorySizes.object(2, 0, 1);
    /** A LinkedHashSet and the LinkedHashMap inside it, without the map's table. */
    private static final long SET = MemorySizes.object(1, 0, 0) + MemorySizes.object(6, 5, 0);
    /** A LinkedHashMap entry (hash, key, value, next, before, after) and the {@link Bytes} wrapping the key. */
    private static final long PER_KEY = MemorySizes.object(5, 1, 0) + MemorySizes.object(1, 1, 0);

    private final int[] counts = new int[KeySlot.SLOTS];
    @SuppressWarnings("unchecked")
    private final LinkedHashSet<Bytes>[] keys = new LinkedHashSet[KeySlot.SLOTS];
    /** The bytes of the sets and their entries, without {@link #FIXED}. */
    private long bytes;

    /** A set of {@code size} keys: the set and its table, which a HashMap doubles past three quarters full. */
    private static long setBytes(int size) {
        if (size == 0) {
            return 0;
        }
        int capacity = 16;
        while (size > capacity / 4 * 3) {
            capacity *= 2;
        }
        return SET + MemorySizes.referenceArray(capacity);
    }

    @Override
    public long memory() {
        return FIXED + bytes;
    }

    @Override
    public long memoryPerKey() {
        return PER_KEY;
    }
    // end::memory[]

    @Override
    public void added(byte[] key) {
        int slot = KeySlot.slot(key);
        if (keys[slot] == null) {
            keys[slot] = new LinkedHashSet<>();
        }
        if (keys[slot].add(Bytes.of(key))) {
            counts[slot]++;
            bytes += PER_KEY + setBytes(counts[slot]) - setBytes(counts[slot] - 1);
        }
    }

    @Override
    public void removed(byte[] key) {
        int slot = KeySlot.slot(key);
        if (keys[slot] != null && keys[slot].remove(Bytes.of(key))) {
            counts[slot]--;
            bytes -= PER_KEY + setBytes(counts[slot] + 1) - setBytes(counts[slot]);
            if (counts[slot] == 0) {
                keys[slot] = null;
            }
        }
    }

    @Override
    public void cleared() {
        Arrays.fill(counts, 0);
        Arrays.fill(keys, null);
        bytes = 0;
    }

    /** CLUSTER COUNTKEYSINSLOT. O(1). */
    public int count(int slot) {
        return counts[slot];
    }

    /** CLUSTER GETKEYSINSLOT: at most {@code max} keys of the slot, the newest first. O(max). */
    public List<byte[]> keys(int slot, long max) {
        List<byte[]> found = new ArrayList<>();
        if (keys[slot] != null) {
            for (Bytes key : keys[slot].reversed()) {
                if (found.size() >= max) {
                    break;
                }
                found.add(key.array());
            }
        }
        return found;
    }
}
