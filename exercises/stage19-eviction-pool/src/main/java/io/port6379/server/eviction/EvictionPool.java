// Exercise 19: your eviction pool, the 16 best candidates of the approximated LRU, LFU and volatile-ttl policies.
// It replaces the reference io.port6379.server.eviction.EvictionPool, under the reference Eviction. Check it with
// `exercises/check 19`; watch it with `exercises/run-server 19 --port 6380 --maxmemory 2mb --maxmemory-policy
// allkeys-lru` and redis-benchmark or a loop of SETs, then INFO stats' evicted_keys.
//
// What to build (chapter 19, "The eviction pool"): SIZE slots kept sorted by score, ascending: the best candidate
// (the highest score: the longest idle, the least frequently used, the soonest to expire) is the last one.
//  1. offer(): Redis's evictionPoolPopulate for one sampled key. It goes before the first entry with a higher
//     score. When the pool is full, the entry with the lowest score is dropped to make room, and a key scoring
//     below every entry of a full pool is not taken. Keep the key's bytes, score and database together.
//  2. best(): the index of the rightmost (best) filled slot, -1 when empty; key(k), db(k), score(k) read a slot.
//  3. remove(k): empty that slot (the caller takes the entry out before trying its key, as Redis does; the key may
//     be gone or replaced by then). clear(): empty every slot (FLUSHALL, a change of policy).
// Tests: server/src/test/java/io/port6379/server/eviction/EvictionTest.java (every policy keeps used memory under
// maxmemory and evicts the keys Redis would: the idle ones for LRU, the rarely used for LFU, the soonest to expire
// for volatile-ttl).
// The reference solution is server/src/main/java/io/port6379/server/eviction/EvictionPool.java.
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

    /**
     * Redis's evictionPoolPopulate for one sampled key: it goes before the first entry with a higher score (the
     * pool is sorted ascending, the best candidate last); when the pool is full, the entry with the lowest score
     * is dropped, and a key scoring below all of them is not taken.
     */
    void offer(byte[] key, long score, int db) {
        throw new UnsupportedOperationException("exercise 19: offer()");
    }

    /** The index of the best candidate (from the right), or -1 when the pool is empty. */
    int best() {
        throw new UnsupportedOperationException("exercise 19: best()");
    }

    byte[] key(int k) {
        throw new UnsupportedOperationException("exercise 19: key()");
    }

    int db(int k) {
        throw new UnsupportedOperationException("exercise 19: db()");
    }

    long score(int k) {
        throw new UnsupportedOperationException("exercise 19: score()");
    }

    /** Takes an entry out, as Redis does before trying its key. */
    void remove(int k) {
        throw new UnsupportedOperationException("exercise 19: remove()");
    }

    /** Empties the pool (FLUSHALL, a change of policy: the scores no longer compare). */
    void clear() {
        throw new UnsupportedOperationException("exercise 19: clear()");
    }
}
