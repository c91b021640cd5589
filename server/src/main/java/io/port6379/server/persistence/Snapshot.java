// A point-in-time view of every database that a background thread can write out while clients keep changing data.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.server.Databases;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

// tag::design[]
/**
 * How BGSAVE gets a consistent picture without {@code fork}.
 *
 * <p>Redis forks: the child process sees the memory as it was at the fork, and the kernel copies a page only when
 * the parent writes to it. The JVM cannot fork, so we do the same thing one level up, per value instead of per
 * page:
 * <ol>
 *   <li><b>Shallow copy, under the execution lock.</b> {@link #take} records every key, a reference to its
 *       value and its expiry time into plain arrays. Keys and strings are immutable, so for them the reference
 *       <em>is</em> the point-in-time copy (a string that SETBIT or PFADD may change in place is marked shared
 *       here, so that their next write copies it first). This is the only pause clients see: O(keys), no value is copied.</li>
 *   <li><b>Copy on write.</b> Lists, sets, hashes and sorted sets are changed in place by later commands. Every
 *       value a command can change is handed out by {@link Keyspace#get}, which tells the snapshot first; if the
 *       snapshot still holds that very object and has not written it yet, it <em>freezes</em> it now — copies its
 *       content into a {@link FrozenValue} — before the command changes it. So a value is copied only when it is
 *       touched during the save, once.</li>
 *   <li><b>Writing, in the background.</b> The writer thread writes strings and frozen values without any lock.
 *       A live collection it must freeze itself, under the execution lock, in batches of about a millisecond, so
 *       that it never reads an object a command is changing (even a read can move a hash table's incremental
 *       rehash along).</li>
 * </ol>
 * Who pays: the snapshot's arrays (about 24 bytes a key) for the duration of the save, plus one copy of every
 * collection touched while it runs; a client pays the O(N) freeze of a large collection it is first to touch.
 *
 * <p>Thread-safety: {@link #take}, {@link #beforeAccess} and every freeze run under the execution lock. The writer
 * thread reads slot values without it: a slot changes once, from a live value to a {@link FrozenValue} whose
 * fields are final, so a racy read sees either the live value (and then freezes it under the lock, re-reading the
 * slot) or a completely built frozen value.
 */
// end::design[]
public final class Snapshot {

    /** One database's part: parallel arrays, {@code size} of them used. */
    static final class Part {
        final int db;
        final int size;
        final long expires;
        final byte[][] keys;
        final Object[] values; // a string (byte[] or RedisString), a live collection RedisValue, or a FrozenValue
        final long[] expireAts;
        /** Under an LRU policy each key's idle seconds, under an LFU one its counter; null otherwise. */
        long[] access;

        Part(int db, int size, long expires, byte[][] keys, Object[] values, long[] expireAts) {
            this.db = db;
            this.size = size;
            this.expires = expires;
            this.keys = keys;
            this.values = values;
            this.expireAts = expireAts;
        }
    }

    /** Where a live collection sits in the snapshot. */
    private record Slot(Part part, int index) {
    }

    private static final long FREEZE_BATCH_NANOS = 1_000_000;

    private final List<Part> parts;
    /** Live collections not yet frozen, by identity: a changed value is the same object with new content. */
    private final IdentityHashMap<RedisValue, Slot> unfrozen;
    private final long keys;
    private final long takeNanos;
    private boolean listening;
    /** The function libraries' code at the time of the snapshot (code never changes once loaded). */
    private List<byte[]> functions = List.of();
    private final Access access;
    private long keySaveDelayMicros;

    private Snapshot(List<Part> parts, IdentityHashMap<RedisValue, Slot> unfrozen, long keys, long takeNanos,
                     Access access) {
        this.access = access;
        this.parts = parts;
        this.unfrozen = unfrozen;
        this.keys = keys;
        this.takeNanos = takeNanos;
    }

    /**
     * The shallow copy of every database, skipping keys whose time has passed. The caller holds the execution
     * lock. O(keys); allocates three arrays per non-empty database.
     */
    // tag::take[]
    public static Snapshot take(Databases databases, long nowMillis) {
        return take(databases, nowMillis, Access.NONE);
    }

    /** Which eviction data each key carries into the file: Redis saves it only under an LRU or an LFU policy. */
    public enum Access { NONE, LRU, LFU }

    /**
     * {@link #take}, with each key's LRU idle time or LFU counter when {@code access} asks for them: one more lookup
     * per key while clients wait, only under those policies.
     */
    public static Snapshot take(Databases databases, long nowMillis, Access access) {
        long start = System.nanoTime();
        List<Part> parts = new ArrayList<>();
        IdentityHashMap<RedisValue, Slot> unfrozen = new IdentityHashMap<>();
        long total = 0;
        for (int db = 0; db < databases.count(); db++) {
            Keyspace keyspace = databases.get(db);
            int capacity = keyspace.size();
            if (capacity == 0) {
                continue;
            }
            byte[][] keys = new byte[capacity][];
            Object[] values = new Object[capacity];
            long[] expireAts = new long[capacity];
            int[] size = {0};
            long[] expires = {0};
            keyspace.forEachStoredEntry((key, value, expireAt) -> {
                if (expireAt >= 0 && expireAt <= nowMillis) {
                    return; // expired but not yet collected: not part of the data
                }
                if (value instanceof RedisString string) {
                    string.share(); // SETBIT and PFADD must not change bytes the snapshot is to write
                }
                int i = size[0]++;
                keys[i] = key;
                values[i] = value;
                expireAts[i] = expireAt;
                expires[0] += expireAt >= 0 ? 1 : 0;
            });
            Part part = new Part(db, size[0], expires[0], keys, values, expireAts);
            if (access != Access.NONE) {
                part.access = new long[part.size];
                for (int i = 0; i < part.size; i++) {
                    Bytes key = Bytes.of(keys[i]);
                    part.access[i] = access == Access.LRU ? keyspace.idleSeconds(key) : keyspace.frequency(key);
                }
            }
            for (int i = 0; i < part.size; i++) {
                if (values[i] instanceof RedisValue value && !(value instanceof RedisString)) {
                    unfrozen.put(value, new Slot(part, i));
                }
            }
            parts.add(part);
            total += part.size;
        }
        return new Snapshot(parts, unfrozen, total, System.nanoTime() - start, access);
    }
    // end::take[]

    /** Records the function libraries of {@code server} as they are now; they are written before the keys. */
    public Snapshot withFunctionsOf(io.port6379.server.ServerContext server) {
        io.port6379.server.Concerns.Functions libraries = server.peek(io.port6379.server.Concerns.FUNCTIONS);
        functions = libraries == null ? List.of() : libraries.codes();
        return this;
    }

    /** The function libraries' code, in the order they are written. */
    List<byte[]> functions() {
        return functions;
    }

    /** {@code rdb-key-save-delay}: microseconds slept after writing each key (Redis's test hook; see debugDelay). */
    void keySaveDelay(long micros) {
        this.keySaveDelayMicros = micros;
    }

    // tag::debug-delay[]
    /**
     * Redis's debugDelay, which its tests use through rdb-key-save-delay and key-load-delay to make a save or a load
     * last: a positive value sleeps that many microseconds; a negative -n sleeps one microsecond once in n calls on
     * average (even the shortest sleep costs a context switch).
     */
    static void debugDelay(long micros) {
        if (micros < 0) {
            micros = java.util.concurrent.ThreadLocalRandom.current().nextLong(-micros) == 0 ? 1 : 0;
        }
        if (micros > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(micros * 1000);
        }
    }
    // end::debug-delay[]

    /** Keys in the snapshot. */
    public long keys() {
        return keys;
    }

    /** How long {@link #take} held the server, in nanoseconds: the pause BGSAVE costs clients (Redis's fork time). */
    public long takeNanos() {
        return takeNanos;
    }

    // tag::copy-on-write[]
    /**
     * Copy-on-write: {@code value} is about to be handed to a command that may change it. If this snapshot still
     * holds it unwritten, its content is copied now. Caller holds the execution lock. O(1) when the value is not
     * pending, else O(N) in its elements, once.
     */
    public void beforeAccess(RedisValue value) {
        Slot slot = unfrozen.remove(value);
        if (slot != null) {
            slot.part.values[slot.index] = FrozenValue.of(value);
        }
    }
    // end::copy-on-write[]

    /** What {@link #forEach} hands out: each database's header, then its keys as strings or frozen values. */
    interface Visitor {
        /** A database with {@code size} keys, {@code expires} of them with a time to live, follows. */
        void database(int db, int size, long expires) throws IOException;

        /** A string key; {@code expireAt} in Unix ms, -1 for none. */
        void string(byte[] key, byte[] value, long expireAt) throws IOException;

        /** Any other key, frozen as it was at the snapshot. */
        void entry(byte[] key, FrozenValue value, long expireAt) throws IOException;

        /** Before {@link #string} or {@link #entry}: the key's LRU idle seconds or LFU counter (-1: not saved). */
        default void access(long idleSeconds, int frequency) throws IOException {
        }
    }

    /**
     * Hands every key to {@code visitor}, from any thread: strings and frozen values without the lock, live
     * collections frozen under {@code executionLock} in batches of about a millisecond. {@code progress} counts
     * the keys visited so far. O(keys + elements).
     */
    void forEach(Visitor visitor, Lock executionLock, AtomicLong progress) throws IOException {
        for (Part part : parts) {
            visitor.database(part.db, part.size, part.expires);
            for (int i = 0; i < part.size; i++) {
                Object value = part.values[i];
                if (value instanceof RedisValue live && !(live instanceof RedisString)) {
                    freezeBatch(part, i, executionLock);
                    value = part.values[i];
                }
                if (part.access != null && part.access[i] >= 0) {
                    boolean lru = access == Access.LRU;
                    visitor.access(lru ? part.access[i] : -1, lru ? -1 : (int) part.access[i]);
                }
                switch (value) {
                    case byte[] string -> visitor.string(part.keys[i], string, part.expireAts[i]);
                    case RedisString s -> visitor.string(part.keys[i], s.bytes(), part.expireAts[i]);
                    default -> visitor.entry(part.keys[i], (FrozenValue) value, part.expireAts[i]);
                }
                progress.incrementAndGet();
                if (keySaveDelayMicros != 0) {
                    debugDelay(keySaveDelayMicros);
                }
            }
        }
    }

    /** Writes every database to {@code writer} as RDB, as {@link #forEach}. O(keys + elements). */
    void writeTo(RdbWriter writer, Lock executionLock, AtomicLong progress) throws IOException {
        for (byte[] code : functions) {
            writer.function(code);
        }
        forEach(new Visitor() {
            @Override
            public void database(int db, int size, long expires) throws IOException {
                writer.selectDb(db, size, expires);
            }

            @Override
            public void string(byte[] key, byte[] value, long expireAt) throws IOException {
                writer.stringEntry(key, value, expireAt);
            }

            @Override
            public void entry(byte[] key, FrozenValue value, long expireAt) throws IOException {
                writer.entry(key, value, expireAt);
            }

            @Override
            public void access(long idleSeconds, int frequency) {
                writer.access(idleSeconds, frequency);
            }
        }, executionLock, progress);
    }

    /**
     * Copy-on-write on or off for {@code databases}: while a snapshot is being written, every database tells it
     * about each value it hands out; otherwise nobody listens, so reads and writes pay nothing. A keyspace holds
     * one listener, so one snapshot at a time is written, as Redis runs one background child at a time. SWAPDB
     * only reorders the same keyspaces. Under the execution lock; O(databases).
     */
    void listen(Databases databases) {
        listening = true;
        for (int db = 0; db < databases.count(); db++) {
            databases.get(db).onValueAccess(this::beforeAccess);
        }
    }

    /**
     * Stops copy-on-write (see {@link #listen}); a second call does nothing, so an abandoned rewrite can stop early
     * without later removing the listener of the snapshot that took its place. Under the execution lock.
     */
    void stopListening(Databases databases) {
        if (!listening) {
            return;
        }
        listening = false;
        for (int db = 0; db < databases.count(); db++) {
            databases.get(db).onValueAccess(null);
        }
    }

    /** Freezes the live collections from {@code from} on, until about a millisecond has passed. */
    private void freezeBatch(Part part, int from, Lock executionLock) {
        executionLock.lock();
        try {
            long start = System.nanoTime();
            for (int i = from; i < part.size && (i == from || System.nanoTime() - start < FREEZE_BATCH_NANOS); i++) {
                if (part.values[i] instanceof RedisValue live && !(live instanceof RedisString)) {
                    beforeAccess(live);
                }
            }
        } finally {
            executionLock.unlock();
        }
    }

    /** Drops references so the garbage collector can free the copy once the save has ended. */
    void release() {
        unfrozen.clear();
        parts.clear();
    }
}
