// The keys of database 0 by hash slot: CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT, and the migrating-slot checks.
package io.port6379.server.cluster;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.KeyIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Redis 7.0 threads every key of a cluster node's database onto a list per slot ({@code slots_to_keys}), so that
 * CLUSTER GETKEYSINSLOT, which resharding calls for each slot it moves, does not scan the whole keyspace. Here
 * the keyspace tells this index of each key it adds or deletes ({@link KeyIndex}): O(1) per change, plus the
 * CRC16 of the key. Keys come out newest first, as from Redis's lists, which add at the head.
 */
public final class SlotIndex implements KeyIndex {

    private final int[] counts = new int[KeySlot.SLOTS];
    @SuppressWarnings("unchecked")
    private final LinkedHashSet<Bytes>[] keys = new LinkedHashSet[KeySlot.SLOTS];

    @Override
    public void added(byte[] key) {
        int slot = KeySlot.slot(key);
        if (keys[slot] == null) {
            keys[slot] = new LinkedHashSet<>();
        }
        if (keys[slot].add(Bytes.of(key))) {
            counts[slot]++;
        }
    }

    @Override
    public void removed(byte[] key) {
        int slot = KeySlot.slot(key);
        if (keys[slot] != null && keys[slot].remove(Bytes.of(key))) {
            counts[slot]--;
            if (counts[slot] == 0) {
                keys[slot] = null;
            }
        }
    }

    @Override
    public void cleared() {
        Arrays.fill(counts, 0);
        Arrays.fill(keys, null);
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
