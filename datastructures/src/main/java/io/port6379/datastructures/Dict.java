// Redis's dict: a chained hash table with power-of-two buckets, whose SCAN cursor survives resizing.
package io.port6379.datastructures;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A hash table keyed by byte arrays, modelled on Redis's {@code dict.c}: an array of 2^n buckets, each a singly
 * linked chain of {@link Entry} objects, new entries at the head of their chain. It grows to twice its size when
 * it holds as many entries as buckets (load factor 1, as Redis), and shrinks to the smallest power of two that
 * holds its entries when fewer than 1/8 of the buckets would be used (Redis resizes below 10% fill).
 *
 * <p>Unlike Redis, a resize moves every entry at once instead of a few buckets per operation (Redis's
 * incremental rehashing). That keeps one table instead of two; the price is an O(N) pause on the operation that
 * triggers the resize, about a millisecond per 100 000 entries.
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

    static final int INITIAL_CAPACITY = 4; // Redis's DICT_HT_INITIAL_SIZE
    private static final Entry[] EMPTY = new Entry[0];

    private Entry[] table = EMPTY;
    private int size;

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
        return size;
    }

    /** The number of buckets, a power of two (0 while empty). O(1). */
    public int capacity() {
        return table.length;
    }

    /** The entry with this key, or null. O(1) on average. */
    public Entry find(byte[] key, int hash) {
        Entry[] t = table;
        if (t.length == 0) {
            return null;
        }
        for (Entry e = t[hash & (t.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /** The entry with this key, or null. O(1) on average. */
    public Entry find(byte[] key) {
        return find(key, hash(key));
    }

    /** Adds an entry whose key is not in the table yet (the caller checked with {@link #find}). O(1) amortized. */
    public void add(Entry entry) {
        if (size >= table.length) {
            resize(Math.max(INITIAL_CAPACITY, table.length * 2));
        }
        int bucket = entry.hash & (table.length - 1);
        entry.next = table[bucket];
        table[bucket] = entry;
        size++;
    }

    /** Puts {@code replacement}, which has the same key, where {@code old} was. O(1) on average. */
    public void replace(Entry old, Entry replacement) {
        int bucket = old.hash & (table.length - 1);
        replacement.next = old.next;
        if (table[bucket] == old) {
            table[bucket] = replacement;
            return;
        }
        Entry e = table[bucket];
        while (e.next != old) {
            e = e.next;
        }
        e.next = replacement;
    }

    /** Removes and returns the entry with this key, or null. May shrink the table. O(1) amortized. */
    public Entry remove(byte[] key, int hash) {
        if (table.length == 0) {
            return null;
        }
        int bucket = hash & (table.length - 1);
        Entry previous = null;
        for (Entry e = table[bucket]; e != null; previous = e, e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                if (previous == null) {
                    table[bucket] = e.next;
                } else {
                    previous.next = e.next;
                }
                e.next = null;
                size--;
                shrinkIfSparse();
                return e;
            }
        }
        return null;
    }

    /** Removes every entry and frees the buckets. O(1) (the garbage collector does the rest). */
    public void clear() {
        table = EMPTY;
        size = 0;
    }

    private void shrinkIfSparse() {
        if (table.length > INITIAL_CAPACITY && size < table.length / 8) {
            resize(Math.max(INITIAL_CAPACITY, Integer.highestOneBit(Math.max(1, size - 1)) << 1));
        }
    }

    private void resize(int capacity) {
        Entry[] old = table;
        Entry[] fresh = new Entry[capacity];
        int mask = capacity - 1;
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry next = e.next;
                int bucket = e.hash & mask;
                e.next = fresh[bucket];
                fresh[bucket] = e;
                e = next;
            }
        }
        table = fresh;
    }

    // tag::scan[]
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
        Entry[] t = table;
        if (t.length == 0) {
            return 0;
        }
        long mask = t.length - 1;
        for (Entry e = t[(int) (cursor & mask)]; e != null; ) {
            Entry next = e.next; // the visitor may not remove entries, but read next first anyway
            visitor.accept(e);
            e = next;
        }
        // Set the bits above the mask so the increment carries straight into the reversed high bits.
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }
    // end::scan[]

    /**
     * A random entry, or null when empty: a random non-empty bucket, then a random position in its chain, as
     * Redis's {@code dictGetRandomKey}. Entries in long chains are slightly less likely. O(1) on average, since
     * the table is at least 1/8 full.
     */
    public Entry random(RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        Entry[] t = table;
        Entry head;
        do {
            head = t[random.nextInt(t.length)];
        } while (head == null);
        int length = 0;
        for (Entry e = head; e != null; e = e.next) {
            length++;
        }
        Entry e = head;
        for (int skip = random.nextInt(length); skip > 0; skip--) {
            e = e.next;
        }
        return e;
    }

    /** Visits every entry; the visitor must not add or remove entries. O(N). */
    public void forEach(Consumer<Entry> visitor) {
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                visitor.accept(e);
            }
        }
    }
}
