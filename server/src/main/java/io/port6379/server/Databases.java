// The numbered databases SELECT chooses between (16 by default), each one a Keyspace.
package io.port6379.server;

import io.port6379.datastructures.AccessTracking;
import io.port6379.datastructures.Clock;
import io.port6379.datastructures.Keyspace;

/**
 * Redis's databases: an array of independent keyspaces sharing one clock. SWAPDB swaps two entries, so every
 * client that selected either database sees the other one's keys at once, as in Redis.
 *
 * <p>Not thread-safe: used under the execution lock.
 */
public final class Databases {

    private final Keyspace[] keyspaces;
    private final Clock clock;
    /** How every database reads and updates its keys' access bits (LRU or LFU, as maxmemory-policy says). */
    private final AccessTracking accessTracking = new AccessTracking();

    public Databases(int count, Clock clock) {
        this.clock = clock;
        this.keyspaces = new Keyspace[count];
        for (int i = 0; i < count; i++) {
            keyspaces[i] = new Keyspace(clock);
            keyspaces[i].accessTracking(accessTracking);
        }
    }

    public Keyspace get(int index) {
        return keyspaces[index];
    }

    /** The number {@code keyspace} has now (SWAPDB changes it), or -1 when it is none of these. O(databases). */
    public int indexOf(Keyspace keyspace) {
        for (int i = 0; i < keyspaces.length; i++) {
            if (keyspaces[i] == keyspace) {
                return i;
            }
        }
        return -1;
    }

    public int count() {
        return keyspaces.length;
    }

    public Clock clock() {
        return clock;
    }

    /** Whether {@code index} names a database (SELECT, MOVE, SWAPDB, COPY ... DB). */
    public boolean isValid(long index) {
        return index >= 0 && index < keyspaces.length;
    }

    /** SWAPDB. O(1). */
    public void swap(int a, int b) {
        Keyspace t = keyspaces[a];
        keyspaces[a] = keyspaces[b];
        keyspaces[b] = t;
    }

    /** FLUSHALL. O(N) in the number of keys. */
    /** How every database's lookups treat keys whose time has passed (a replica keeps them for its master). */
    public void expiredKeys(Keyspace.ExpiredKeys mode) {
        for (Keyspace keyspace : keyspaces) {
            keyspace.expiredKeys(mode);
        }
    }

    public void flushAll() {
        for (Keyspace keyspace : keyspaces) {
            keyspace.clear();
        }
    }

    /** The access tracking every database shares. O(1). */
    public AccessTracking accessTracking() {
        return accessTracking;
    }

    /** The end of a command: each database counts the values it handed out at their new size. O(databases). */
    public void settle() {
        for (Keyspace keyspace : keyspaces) {
            keyspace.settle();
        }
    }

    /** The heap bytes of the data of all databases. O(databases). */
    public long usedMemory() {
        long total = 0;
        for (Keyspace keyspace : keyspaces) {
            total += keyspace.usedMemory();
        }
        return total;
    }

    /** What {@link #usedMemory} spends on tables and entries rather than keys and values. O(databases). */
    public long overheadMemory() {
        long total = 0;
        for (Keyspace keyspace : keyspaces) {
            total += keyspace.overheadMemory();
        }
        return total;
    }

    /** Keys in all databases together. */
    public long totalKeys() {
        long total = 0;
        for (Keyspace keyspace : keyspaces) {
            total += keyspace.size();
        }
        return total;
    }
}
