// Who hears of every key entering or leaving a keyspace's table: an index kept beside it (Redis Cluster's slots).
package io.port6379.datastructures;

/**
 * Redis Cluster keeps, for each hash slot, the keys in it (CLUSTER COUNTKEYSINSLOT, GETKEYSINSLOT, and the check
 * of whether a migrating slot still holds a key). The keyspace tells such an index about each key it adds to its
 * table or deletes from it, whatever the cause (a command, expiry, eviction, FLUSHALL), so the index costs O(1)
 * per change and never drifts from the table.
 */
public interface KeyIndex {

    /** {@code key} was added to the table. */
    void added(byte[] key);

    /** {@code key} was deleted from the table. */
    void removed(byte[] key);

    /** The table was emptied. */
    void cleared();

    /** The heap bytes the index holds, counted in the keyspace's {@code used_memory} overhead. O(1). */
    default long memory() {
        return 0;
    }

    /** What the index adds to one key's MEMORY USAGE. O(1). */
    default long memoryPerKey() {
        return 0;
    }
}
