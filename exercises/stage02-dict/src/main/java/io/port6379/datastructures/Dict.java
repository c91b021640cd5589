// Exercise 02: your hash table, Redis's dict. It replaces the reference io.port6379.datastructures.Dict, under the
// reference Keyspace. Check it with `exercises/check 02`; talk to it with `exercises/run-server 02 --port 6380`.
//
// What to build, in the order the tests check it (chapter 02, "A hash table of our own" to "SCAN"):
//  1. The table: an Entry[] of 2^n buckets (none while empty, INITIAL_CAPACITY = 4 at the first add), each a
//     chain through Entry.next, new entries at the head; the bucket of a hash is `hash & (length - 1)`.
//     find, add, replace, remove, size, capacity, clear, forEach.
//  2. Growing: when an add finds as many entries as buckets (load factor 1), start a resize to twice the buckets
//     (4 for an empty table). Shrinking: when a remove leaves the table less than 1/8 full (and larger than 4 buckets),
//     start a resize to the smallest power of two that holds the entries. DictProperties checks both bounds.
//  3. Incremental rehash: a resize allocates the new array only; then every find, add and remove first
//     moves one non-empty bucket of the old array to the new one, giving up after 10 empty ones (Redis's
//     dictRehash(d, 1)); a resize of an empty table switches at once. While two arrays exist, find looks in both, add goes to the new one, capacity() is the new one's, and isRehashing() is true.
//  4. scan: the reverse-binary cursor of the chapter. Visit the bucket `cursor & mask` (while rehashing, that
//     bucket of the smaller table and every bucket of the larger one that expands it), then increment the
//     cursor's reversed bits: set the bits above the mask, reverse, add one, reverse. Return 0 when done.
//     KeyspaceProperties' scan property grows and shrinks the table between calls.
//  5. random, fairRandom and someEntries, as their comments say (the keyspace's RANDOMKEY and the eviction
//     sampling use them); keyBytes, tableBytes and memoryUsage with MemorySizes (the keyspace's MEMORY USAGE);
//     stats(), DEBUG HTSTATS's text.
// Given: Entry and the hash functions.
// Tests: datastructures/src/test/java/io/port6379/datastructures/DictProperties.java (a Dict must behave as a
// java.util.HashMap whatever the operations, within its fill bounds), then the keyspace's tests on your table.
// The reference solution is datastructures/src/main/java/io/port6379/datastructures/Dict.java.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.List;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A hash table keyed by byte arrays, modelled on Redis's {@code dict.c}: an array of 2^n buckets, each a singly
 * linked chain of {@link Entry} objects, new entries at the head of their chain. It grows to twice its size when
 * it holds as many entries as buckets (load factor 1, as Redis), and shrinks to the smallest power of two that
 * holds its entries when fewer than 1/8 of the buckets would be used (Redis resizes below 10% fill).
 *
 * <p>Resizing is incremental, as in Redis: a resize allocates the new bucket array and then every later
 * operation moves one bucket of the old array to the new one, until the old one is empty. Moving a million
 * entries at once would stall the operation that triggers it for tens of milliseconds, mostly cache misses;
 * spread out, it costs each operation a bucket. Meanwhile lookups search both arrays, and new entries go to the
 * new one.
 *
 * <p>Callers create the entries (so the keyspace can use a subclass carrying an expiry time) and cache their
 * hash in them. Not thread-safe.
 */
public final class Dict {

    /** One key in a chain. The key and its hash never change; the value may. */
    public static class Entry {
        final byte[] key;
        final int hash;
        Object value;
        Entry next;

        public Entry(byte[] key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }

        /** The key, not a copy. O(1). */
        public final byte[] key() {
            return key;
        }

        /** The value. O(1). */
        public final Object value() {
            return value;
        }

        /** Replaces the value. O(1). */
        public final void value(Object newValue) {
            value = newValue;
        }
    }

    static final int INITIAL_CAPACITY = 4;

    /**
     * The hash of a key: Java's polynomial hash over the bytes, then MurmurHash3's finalizer so that the low
     * bits, which pick the bucket, depend on every byte. Redis uses SipHash with a random seed, which also
     * protects against crafted collisions; this hash does not. O(N) in the key's length.
     */
    public static int hash(byte[] key) {
        return mix(Arrays.hashCode(key));
    }

    /** The same hash as {@link #hash(byte[])}, using the hash code {@link Bytes} caches. O(1) after the first call. */
    public static int hash(Bytes key) {
        return mix(key.hashCode());
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** The number of entries. O(1). */
    public int size() {
        throw new UnsupportedOperationException("exercise 02: size()");
    }

    /** The number of buckets, a power of two (0 while empty); while rehashing, of the new table. O(1). */
    public int capacity() {
        throw new UnsupportedOperationException("exercise 02: capacity()");
    }

    /** Whether a resize is in progress (entries are in two tables). O(1). */
    boolean isRehashing() {
        throw new UnsupportedOperationException("exercise 02: isRehashing()");
    }

    /** The entry with this key, or null. O(1) on average. */
    public Entry find(byte[] key, int hash) {
        throw new UnsupportedOperationException("exercise 02: find()");
    }

    /** The entry with this key, or null. O(1) on average. */
    public Entry find(byte[] key) {
        throw new UnsupportedOperationException("exercise 02: find()");
    }

    /** Adds an entry whose key is not in the table yet (the caller checked with {@link #find}). O(1). */
    public void add(Entry entry) {
        throw new UnsupportedOperationException("exercise 02: add()");
    }

    /** Puts {@code replacement}, which has the same key, where {@code old} was. O(1) on average. */
    public void replace(Entry old, Entry replacement) {
        throw new UnsupportedOperationException("exercise 02: replace()");
    }

    /** Removes and returns the entry with this key, or null. May start shrinking the table. O(1). */
    public Entry remove(byte[] key, int hash) {
        throw new UnsupportedOperationException("exercise 02: remove()");
    }

    /** Removes every entry and frees the buckets. O(1) (the garbage collector does the rest). */
    public void clear() {
        throw new UnsupportedOperationException("exercise 02: clear()");
    }

    /** The heap bytes of the entries' keys. O(1). */
    public long keyBytes() {
        throw new UnsupportedOperationException("exercise 02: keyBytes()");
    }

    /**
     * The heap bytes of the table itself: this object and its bucket arrays (two while resizing), not the entries.
     * O(1).
     */
    public long tableBytes() {
        throw new UnsupportedOperationException("exercise 02: tableBytes()");
    }

    /**
     * The heap bytes of the table, its plain {@link Entry} objects and their keys; the owner adds what the values
     * hold. O(1).
     */
    public long memoryUsage() {
        throw new UnsupportedOperationException("exercise 02: memoryUsage()");
    }


    /**
     * Visits the entries of one bucket and returns the cursor of the next bucket to visit, 0 when the scan is
     * complete. Start with cursor 0. O(1) on average per call.
     *
     * <p>The guarantee, as Redis's {@code dictScan}: every entry present from the first call to the last is
     * visited at least once, even if the table grew or shrank in between (an entry may then be visited twice).
     *
     * <p>Why: the cursor is not incremented like a normal number but in <em>reverse binary</em>. With 8 buckets
     * (mask 0b111) the order is 000, 100, 010, 110, 001, 101, 011, 111: the high bit of the bucket index moves
     * fastest. A key in bucket {@code b} of a table of size 2^n lives in bucket {@code b} or {@code b + 2^n} of the
     * doubled table, i.e. the same low bits with one more high bit. Because the cursor counts on the high bits
     * first, all buckets sharing low bits with an already visited one come earlier in the order, for the
     * larger table as for the smaller; so after a resize the cursor's remaining range still covers exactly the
     * buckets whose keys were not visited yet. When shrinking, a small-table bucket gathers several large-table
     * buckets, some of which may have been visited: those keys come again (duplicates, never losses).
     */
    public long scan(long cursor, Consumer<Entry> visitor) {
        throw new UnsupportedOperationException("exercise 02: scan()");
    }


    /**
     * A random entry, or null when empty: a random non-empty bucket, then a random position in its chain, as
     * Redis's {@code dictGetRandomKey}. Entries in long chains are slightly less likely. O(1) on average, since
     * the table is at least 1/8 full.
     */
    public Entry random(RandomGenerator random) {
        throw new UnsupportedOperationException("exercise 02: random()");
    }

    /**
     * Redis's {@code dictGetFairRandomKey}: a uniform pick among up to 15 entries gathered from consecutive buckets
     * at a random place ({@link #someEntries}). {@link #random} favours entries alone in their bucket over those
     * that share a chain; this evens that out, which is why Redis's sets (SRANDMEMBER, SPOP) draw with it.
     * O(1) on average.
     */
    public Entry fairRandom(RandomGenerator random) {
        throw new UnsupportedOperationException("exercise 02: fairRandom()");
    }

    /**
     * Redis's {@code dictGetSomeKeys}: up to {@code count} entries from consecutive buckets after a random one (in
     * both tables while resizing), walking at most {@code 10 * count} buckets, and jumping to another random bucket
     * after a run of more than {@code count} (and at least 5) empty ones; fewer when the table holds fewer.
     * Cheaper than {@code count} calls of {@link #random} (one random number, neighbouring buckets), and each entry
     * is visited once, but not a uniform sample. The visitor must not change the table. O(count).
     */
    public int someEntries(RandomGenerator random, int count, Consumer<Entry> visitor) {
        throw new UnsupportedOperationException("exercise 02: someEntries()");
    }


    /** Visits every entry; the visitor must not add or remove entries. O(N). */
    public void forEach(Consumer<Entry> visitor) {
        throw new UnsupportedOperationException("exercise 02: forEach()");
    }

    /**
     * DEBUG HTSTATS's text for this table, as Redis's {@code dictGetStats}: per table (the main one, and the new
     * one while rehashing) its size, entries, non-empty buckets, the longest chain and how many buckets have each
     * chain length (lengths of 49 and more counted together, as Redis's 50-slot vector). O(capacity).
     */
    public String stats() {
        throw new UnsupportedOperationException("exercise 02: stats()");
    }

}
