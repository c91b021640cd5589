// Redis's dict: a chained hash table with power-of-two buckets, whose SCAN cursor survives resizing.
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

    // tag::rehash-fields[]
    static final int INITIAL_CAPACITY = 4; // Redis's DICT_HT_INITIAL_SIZE
    private static final Entry[] EMPTY = new Entry[0];

    private Entry[] table = EMPTY;   // the only table, or the old one while rehashing
    private Entry[] target;          // the new table while rehashing, else null
    private int rehashIndex;         // buckets of table below this index have been moved to target
    private int size;                // entries in both tables
    // end::rehash-fields[]
    /** The heap bytes of the key arrays of all entries, kept as entries come and go (used_memory). */
    private long keyBytes;

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

    /** The number of buckets, a power of two (0 while empty); while rehashing, of the new table. O(1). */
    public int capacity() {
        return target != null ? target.length : table.length;
    }

    /** Whether a resize is in progress (entries are in two tables). O(1). */
    boolean isRehashing() {
        return target != null;
    }

    /** The entry with this key, or null. O(1) on average. */
    public Entry find(byte[] key, int hash) {
        rehashStep();
        Entry e = findIn(table, key, hash);
        return e != null || target == null ? e : findIn(target, key, hash);
    }

    private static Entry findIn(Entry[] t, byte[] key, int hash) {
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

    /** Adds an entry whose key is not in the table yet (the caller checked with {@link #find}). O(1). */
    public void add(Entry entry) {
        rehashStep();
        if (target == null && size >= table.length) {
            startResize(Math.max(INITIAL_CAPACITY, table.length * 2));
        }
        Entry[] t = target != null ? target : table;
        int bucket = entry.hash & (t.length - 1);
        entry.next = t[bucket];
        t[bucket] = entry;
        size++;
        keyBytes += MemorySizes.of(entry.key);
    }

    /** Puts {@code replacement}, which has the same key, where {@code old} was. O(1) on average. */
    public void replace(Entry old, Entry replacement) {
        if (!replaceIn(table, old, replacement)) {
            replaceIn(target, old, replacement);
        }
    }

    private static boolean replaceIn(Entry[] t, Entry old, Entry replacement) {
        int bucket = old.hash & (t.length - 1);
        if (t[bucket] == old) {
            replacement.next = old.next;
            t[bucket] = replacement;
            return true;
        }
        for (Entry e = t[bucket]; e != null; e = e.next) {
            if (e.next == old) {
                replacement.next = old.next;
                e.next = replacement;
                return true;
            }
        }
        return false;
    }

    /** Removes and returns the entry with this key, or null. May start shrinking the table. O(1). */
    public Entry remove(byte[] key, int hash) {
        rehashStep();
        Entry removed = removeFrom(table, key, hash);
        if (removed == null && target != null) {
            removed = removeFrom(target, key, hash);
        }
        if (removed != null) {
            size--;
            keyBytes -= MemorySizes.of(removed.key);
            if (target == null && table.length > INITIAL_CAPACITY && size < table.length / 8) {
                startResize(Math.max(INITIAL_CAPACITY, Integer.highestOneBit(Math.max(1, size - 1)) << 1));
            }
        }
        return removed;
    }

    private static Entry removeFrom(Entry[] t, byte[] key, int hash) {
        if (t.length == 0) {
            return null;
        }
        int bucket = hash & (t.length - 1);
        Entry previous = null;
        for (Entry e = t[bucket]; e != null; previous = e, e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                if (previous == null) {
                    t[bucket] = e.next;
                } else {
                    previous.next = e.next;
                }
                e.next = null;
                return e;
            }
        }
        return null;
    }

    /** Removes every entry and frees the buckets. O(1) (the garbage collector does the rest). */
    public void clear() {
        table = EMPTY;
        target = null;
        rehashIndex = 0;
        size = 0;
        keyBytes = 0;
    }

    /** The heap bytes of the entries' keys. O(1). */
    public long keyBytes() {
        return keyBytes;
    }

    /**
     * The heap bytes of the table itself: this object and its bucket arrays (two while resizing), not the entries.
     * O(1).
     */
    public long tableBytes() {
        return MemorySizes.DICT + MemorySizes.referenceArray(table.length)
                + (target == null ? 0 : MemorySizes.referenceArray(target.length));
    }

    /**
     * The heap bytes of the table, its plain {@link Entry} objects and their keys; the owner adds what the values
     * hold. O(1).
     */
    public long memoryUsage() {
        return tableBytes() + (long) size * MemorySizes.DICT_ENTRY + keyBytes;
    }

    private void startResize(int capacity) {
        if (size == 0) { // nothing to move: switch at once
            table = new Entry[capacity];
            return;
        }
        target = new Entry[capacity];
        rehashIndex = 0;
    }

    // tag::rehash-step[]
    /**
     * Moves one bucket of the old table to the new one, as Redis's {@code _dictRehashStep}; visits at most ten
     * empty buckets looking for it, so that one step stays cheap. When the old table is empty, the new one
     * takes its place.
     */
    private void rehashStep() {
        if (target == null) {
            return;
        }
        int mask = target.length - 1;
        for (int emptyVisits = 10; rehashIndex < table.length; rehashIndex++) {
            Entry e = table[rehashIndex];
            if (e == null) {
                if (--emptyVisits == 0) {
                    return;
                }
                continue;
            }
            while (e != null) {
                Entry next = e.next;
                int bucket = e.hash & mask;
                e.next = target[bucket];
                target[bucket] = e;
                e = next;
            }
            table[rehashIndex++] = null;
            break;
        }
        if (rehashIndex >= table.length) {
            table = target;
            target = null;
            rehashIndex = 0;
        }
    }
    // end::rehash-step[]

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
    // tag::scan[]
    public long scan(long cursor, Consumer<Entry> visitor) {
        if (target == null) {
            Entry[] t = table;
            if (t.length == 0) {
                return 0;
            }
            long mask = t.length - 1;
            visitBucket(t, cursor & mask, visitor);
            return nextCursor(cursor, mask);
        }
        // While rehashing: the bucket of the smaller table, then every bucket of the larger table that it
        // splits into (same low bits, any high bits), so that the keys of both tables under this cursor are seen.
        Entry[] small = table.length <= target.length ? table : target;
        Entry[] large = small == table ? target : table;
        long smallMask = small.length - 1;
        long largeMask = large.length - 1;
        visitBucket(small, cursor & smallMask, visitor);
        do {
            visitBucket(large, cursor & largeMask, visitor);
            cursor = nextCursor(cursor, largeMask);
        } while ((cursor & (smallMask ^ largeMask)) != 0);
        return cursor;
    }

    private static void visitBucket(Entry[] t, long bucket, Consumer<Entry> visitor) {
        for (Entry e = t[(int) bucket]; e != null; ) {
            Entry next = e.next;
            visitor.accept(e);
            e = next;
        }
    }

    /** The reverse-binary increment: set the bits above the mask, reverse, add one, reverse back. */
    private static long nextCursor(long cursor, long mask) {
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
        Entry head;
        if (target == null) {
            do {
                head = table[random.nextInt(table.length)];
            } while (head == null);
        } else {
            // Buckets of the old table below rehashIndex are empty: draw from the rest of it and the new table.
            int slots = table.length - rehashIndex + target.length;
            do {
                int h = rehashIndex + random.nextInt(slots);
                head = h < table.length ? table[h] : target[h - table.length];
            } while (head == null);
        }
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

    /**
     * Redis's {@code dictGetFairRandomKey}: a uniform pick among up to 15 entries gathered from consecutive buckets
     * at a random place ({@link #someEntries}). {@link #random} favours entries alone in their bucket over those
     * that share a chain; this evens that out, which is why Redis's sets (SRANDMEMBER, SPOP) draw with it.
     * O(1) on average.
     */
    public Entry fairRandom(RandomGenerator random) {
        List<Entry> sample = new ArrayList<>(15);
        someEntries(random, 15, sample::add);
        return sample.isEmpty() ? random(random) : sample.get(random.nextInt(sample.size()));
    }

    // tag::some-keys[]
    /**
     * Redis's {@code dictGetSomeKeys}: up to {@code count} entries from consecutive buckets after a random one (in
     * both tables while resizing), walking at most {@code 10 * count} buckets, and jumping to another random bucket
     * after a run of more than {@code count} (and at least 5) empty ones; fewer when the table holds fewer.
     * Cheaper than {@code count} calls of {@link #random} (one random number, neighbouring buckets), and each entry
     * is visited once, but not a uniform sample. The visitor must not change the table. O(count).
     */
    public int someEntries(RandomGenerator random, int count, Consumer<Entry> visitor) {
        count = Math.min(count, size);
        int length = Math.max(table.length, target == null ? 0 : target.length);
        if (count == 0 || length == 0) {
            return 0;
        }
        int visited = 0;
        int emptyRun = 0;
        int index = random.nextInt(length);
        for (long steps = 10L * count; visited < count && steps > 0; steps--, index = (index + 1) & (length - 1)) {
            int before = visited;
            if (index >= rehashIndex || target == null) { // below rehashIndex the old table's buckets are moved
                visited += visitChain(table, index, count - visited, visitor);
            }
            if (target != null && visited < count) {
                visited += visitChain(target, index, count - visited, visitor);
            }
            if (visited > before) {
                emptyRun = 0;
            } else if (++emptyRun >= 5 && emptyRun > count) {
                index = random.nextInt(length) - 1 & (length - 1); // the loop's step adds the 1 back
                emptyRun = 0;
            }
        }
        return visited;
    }

    private static int visitChain(Entry[] t, int index, int limit, Consumer<Entry> visitor) {
        int visited = 0;
        if (index < t.length) {
            for (Entry e = t[index]; e != null && visited < limit; e = e.next) {
                visitor.accept(e);
                visited++;
            }
        }
        return visited;
    }
    // end::some-keys[]

    /** Visits every entry; the visitor must not add or remove entries. O(N). */
    public void forEach(Consumer<Entry> visitor) {
        forEachIn(table, visitor);
        if (target != null) {
            forEachIn(target, visitor);
        }
    }

    private static void forEachIn(Entry[] t, Consumer<Entry> visitor) {
        for (Entry head : t) {
            for (Entry e = head; e != null; e = e.next) {
                visitor.accept(e);
            }
        }
    }

    // tag::stats[]
    /**
     * DEBUG HTSTATS's text for this table, as Redis's {@code dictGetStats}: per table (the main one, and the new
     * one while rehashing) its size, entries, non-empty buckets, the longest chain and how many buckets have each
     * chain length (lengths of 49 and more counted together, as Redis's 50-slot vector). O(capacity).
     */
    public String stats() {
        StringBuilder out = new StringBuilder();
        tableStats(out, 0, table, target == null ? size : size - countIn(target));
        if (target != null) {
            tableStats(out, 1, target, countIn(target));
        }
        return out.toString();
    }

    private static int countIn(Entry[] buckets) {
        int count = 0;
        for (Entry head : buckets) {
            for (Entry e = head; e != null; e = e.next) {
                count++;
            }
        }
        return count;
    }

    private static void tableStats(StringBuilder out, int number, Entry[] buckets, int used) {
        out.append("Hash table ").append(number).append(" stats (")
                .append(number == 0 ? "main hash table" : "rehashing target").append("):\n");
        if (used == 0) {
            out.append("No stats available for empty dictionaries\n");
            return;
        }
        long[] lengths = new long[50];
        long slots = 0;
        long maxChain = 0;
        long totalChain = 0;
        for (Entry head : buckets) {
            int chain = 0;
            for (Entry e = head; e != null; e = e.next) {
                chain++;
            }
            lengths[Math.min(chain, lengths.length - 1)]++;
            if (chain > 0) {
                slots++;
                maxChain = Math.max(maxChain, chain);
                totalChain += chain;
            }
        }
        out.append(" table size: ").append(buckets.length).append('\n')
                .append(" number of elements: ").append(used).append('\n')
                .append(" different slots: ").append(slots).append('\n')
                .append(" max chain length: ").append(maxChain).append('\n')
                .append(String.format(Locale.ROOT, " avg chain length (counted): %.2f\n", (double) totalChain / slots))
                .append(String.format(Locale.ROOT, " avg chain length (computed): %.2f\n", (double) used / slots))
                .append(" Chain length distribution:\n");
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] != 0) {
                out.append(String.format(Locale.ROOT, "   %d: %d (%.2f%%)\n", i, lengths[i],
                        lengths[i] * 100.0 / buckets.length));
            }
        }
    }
    // end::stats[]
}
