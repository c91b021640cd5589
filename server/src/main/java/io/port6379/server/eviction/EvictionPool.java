// Redis's eviction pool: the 16 best candidates seen so far, kept sorted, filled from a few random keys at a time.
package io.port6379.server.eviction;

/**
 * A true LRU would need a list through every key, moved on every read: two more references per key (8 bytes with
 * compressed references, about 10 % of a small key) and a write to shared memory on every GET. Redis samples
 * instead: it draws {@code maxmemory-samples} random keys, scores each (idle time, or 255 minus the LFU counter, or
 * how soon it expires), and keeps the best 16 seen so far in this pool, sorted from the least to the most evictable.
 * The candidates left in the pool from earlier rounds make sampling much closer to a true LRU than five random keys
 * alone: with 5 samples Redis's own measurements show it near a true LRU, with 10 nearly indistinguishable.
 *
 * <p>An entry names its key by content (the key may be gone, or replaced, by the time it is chosen); the caller
 * checks that it is still there.
 */
final class EvictionPool {

    /** Redis's EVPOOL_SIZE. */
    static final int SIZE = 16;

    private final byte[][] keys = new byte[SIZE][];
    private final long[] scores = new long[SIZE];
    private final int[] dbs = new int[SIZE];

    // tag::pool-insert[]
    /**
     * Redis's evictionPoolPopulate for one sampled key: it goes before the first entry with a higher score (the
     * pool is sorted ascending, the best candidate last); when the pool is full, the entry with the lowest score
     * is dropped, and a key scoring below all of them is not taken.
     */
    void offer(byte[] key, long score, int db) {
        int k = 0;
        while (k < SIZE && keys[k] != null && scores[k] < score) {
            k++;
        }
        if (k == 0 && keys[SIZE - 1] != null) {
            return; // worse than everything in a full pool
        }
        if (k < SIZE && keys[k] == null) {
            // an empty slot: nothing to move
        } else if (keys[SIZE - 1] == null) {
            System.arraycopy(keys, k, keys, k + 1, SIZE - k - 1); // room on the right: shift right from k
            System.arraycopy(scores, k, scores, k + 1, SIZE - k - 1);
            System.arraycopy(dbs, k, dbs, k + 1, SIZE - k - 1);
        } else {
            k--; // full: drop the first (least evictable) and shift left up to k
            System.arraycopy(keys, 1, keys, 0, k);
            System.arraycopy(scores, 1, scores, 0, k);
            System.arraycopy(dbs, 1, dbs, 0, k);
        }
        keys[k] = key;
        scores[k] = score;
        dbs[k] = db;
    }
    // end::pool-insert[]

    /** The index of the best candidate (from the right), or -1 when the pool is empty. */
    int best() {
        for (int k = SIZE - 1; k >= 0; k--) {
            if (keys[k] != null) {
                return k;
            }
        }
        return -1;
    }

    byte[] key(int k) {
        return keys[k];
    }

    int db(int k) {
        return dbs[k];
    }

    long score(int k) {
        return scores[k];
    }

    /** Takes an entry out, as Redis does before trying its key. */
    void remove(int k) {
        keys[k] = null;
        scores[k] = 0;
    }

    /** Empties the pool (FLUSHALL, a change of policy: the scores no longer compare). */
    void clear() {
        java.util.Arrays.fill(keys, null);
    }
}
