// One database: the map from keys to values, with each key's expiry time, lazy and active expiry, and SCAN.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A Redis database (one of the 16 that SELECT chooses).
 *
 * <p>Expiry works as in Redis, in two ways. <em>Lazily</em>: every operation that touches a key first checks its
 * expiry time and deletes it when it has passed, so an expired key is never visible. <em>Actively</em>:
 * {@link #activeExpireCycle} samples keys that have an expiry and deletes the expired ones, so that keys nobody
 * reads again do not stay in memory forever.
 *
 * <p>Memory: each key costs one {@link Dict.Entry} (key bytes, cached hash, value, chain link). Keys with an
 * expiry use a subclass that adds the time and a slot in the array that active expiry samples from; keys without
 * one pay nothing for it. A string with Redis's default encoding is stored as its bare {@code byte[]} and wrapped
 * in a {@link RedisString} only when read.
 *
 * <p>Not thread-safe: the server runs one command at a time.
 */
public final class Keyspace {

    /** Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP: volatile keys sampled per round of the active expiry cycle. */
    public static final int KEYS_PER_LOOP = 20;

    // tag::entry[]
    /**
     * A key: the dict entry plus Redis's 24 access bits ({@code robj.lru}): the LRU clock of its last access, or
     * its LFU counter and the minute of its last decay (see {@link AccessTracking}). The int fits in the padding
     * of a 32-byte entry, so it costs no memory.
     */
    private static class KeyEntry extends Dict.Entry {
        int accessed;

        KeyEntry(byte[] key, int hash, Object value, int accessed) {
            super(key, hash, value);
            this.accessed = accessed;
        }
    }

    /** A key with an expiry time: the time, and where it sits in {@link #volatiles}. */
    private static final class VolatileEntry extends KeyEntry {
        long expireAt;
        int slot;

        VolatileEntry(byte[] key, int hash, Object value, int accessed, long expireAt) {
            super(key, hash, value, accessed);
            this.expireAt = expireAt;
        }
    }

    private final Clock clock;
    private final RandomGenerator random;
    private final Dict dict = new Dict();
    /** Every key with an expiry, in no order: O(1) random sampling, O(1) removal by moving the last one in. */
    private VolatileEntry[] volatiles = new VolatileEntry[0];
    private int volatileCount;
    // end::entry[]
    private AccessTracking access = new AccessTracking();
    /** The heap bytes of the stored values, as of their last {@link #reconcile}. */
    private long valueBytes;
    /**
     * The values handed out by {@link #get} or stored since the last {@link #settle}, with their size then:
     * commands change lists, hashes, sets and sorted sets in place, after the lookup, so their change in size is
     * counted when the command is over ({@link #settle}) or when {@code used_memory} is read, whichever is first.
     * Strings in their default encoding are immutable bare bytes and counted when stored.
     */
    private RedisValue[] pending = new RedisValue[8];
    private long[] pendingBytes = new long[8];
    private int pendingCount;
    /** More values handed out than any command looks up: counted and forgotten at once. */
    private static final int MAX_PENDING = 4096;
    private ExpiryListener expiryListener = (keyspace, key) -> { };
    private NewKeyListener newKeyListener = (keyspace, key) -> { };
    /** Told about every key added to or deleted from the table, or null (see {@link #keyIndex}). */
    private KeyIndex keyIndex;
    /** Told about every value object {@link #get} hands out, or null (see {@link #onValueAccess}). */
    private Consumer<RedisValue> valueAccessListener;
    /** The server's string and encoding limits; every database of a server holds the same instance. */
    private EncodingLimits limits = EncodingLimits.REDIS_DEFAULTS;

    public Keyspace(Clock clock) {
        this(clock, new SplittableRandom());
    }

    /** A keyspace whose random choices (RANDOMKEY, active expiry sampling) come from {@code random}. */
    public Keyspace(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * What a lookup does with a key whose time has passed. A master {@code DELETE}s it (lazy expiry). A replica
     * never deletes on its own, so that it stays the master's copy whatever its clock says: it {@code HIDE}s the key
     * from its clients, and applies its master's commands to it as to a live key ({@code KEEP}) until the master's
     * DEL comes, as Redis's {@code expireIfNeeded} on a replica.
     */
    public enum ExpiredKeys { DELETE, HIDE, KEEP }

    private ExpiredKeys expiredKeys = ExpiredKeys.DELETE;

    /** See {@link ExpiredKeys}. O(1). */
    public void expiredKeys(ExpiredKeys mode) {
        this.expiredKeys = mode;
    }

    /**
     * Who hears about keys deleted because their time had passed, lazily or by the active cycle (the server
     * counts them, notifies {@code expired} events and writes a DEL to the append-only file). O(1).
     */
    private BooleanSupplier expiryPaused = () -> false;

    public void onExpiry(ExpiryListener listener) {
        this.expiryListener = listener;
    }

    /**
     * While {@code paused} answers true (CLIENT PAUSE WRITE or ALL), an expired key that a lookup meets is reported
     * missing but not deleted, as Redis's expireIfNeeded during a pause: deleting would be a write. O(1).
     */
    public void expiryPaused(BooleanSupplier paused) {
        this.expiryPaused = paused;
    }

    private Consumer<Object> droppedListener = value -> { };

    /**
     * Who hears about each value a write lets go of as a side effect (Redis's {@code dbOverwrite} and
     * {@code dbDelete}, which {@code lazyfree-lazy-server-del} makes lazy): the value a store replaces (SET over a
     * key, RENAME's or a STORE's destination) and the value {@link #remove} deletes. Not {@link #take}'s (DEL,
     * UNLINK and MOVE hand the value on), nor expiry's and eviction's, which have their own parameters. The value
     * is given in its stored form (a bare {@code byte[]} for a plain string). O(1).
     */
    public void onValueDropped(Consumer<Object> listener) {
        this.droppedListener = listener;
    }

    /** Who hears about keys added where none existed (the server's {@code new} keyspace event). O(1). */
    public void onNewKey(NewKeyListener listener) {
        this.newKeyListener = listener;
    }

    /** An index told about every key added to the table or deleted from it (Redis Cluster's keys per slot). O(1). */
    public void keyIndex(KeyIndex index) {
        this.keyIndex = index;
    }

    /**
     * Who hears about every value {@link #get} hands out (strings in their default encoding aside: they are
     * immutable bare bytes), before the caller can change it: a snapshot being written in the background keeps
     * a copy of the value as it was (copy-on-write). {@code null} for nobody. O(1).
     */
    public void onValueAccess(Consumer<RedisValue> listener) {
        this.valueAccessListener = listener;
    }

    /** The limits APPEND, SETRANGE and the conversions of encodings obey here (proto-max-bulk-len, *-max-listpack-*). */
    public EncodingLimits limits() {
        return limits;
    }

    /** CONFIG SET of one of the {@link EncodingLimits}: applies to later writes. O(1). */
    public void limits(EncodingLimits limits) {
        this.limits = limits;
    }

    /** A key with its value and expiry time in Unix milliseconds (-1: none), as {@link #forEachEntry} sees it. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] key, RedisValue value, long expireAtMillis);
    }

    /**
     * Visits every key with its value and expiry, in table order, keys whose time has passed included (the
     * caller decides), without counting as an access or deleting anything — a snapshot's view. Do not change the
     * keyspace from the visitor. The key arrays are the keyspace's own: do not modify. O(N).
     */
    public void forEachEntry(EntryVisitor visitor) {
        dict.forEach(entry -> visitor.visit(entry.key, valueOf(entry),
                entry instanceof VolatileEntry v ? v.expireAt : -1));
    }

    /** A key with its value in its stored form (see {@link #forEachStoredEntry}) and expiry time (-1: none). */
    @FunctionalInterface
    public interface StoredEntryVisitor {
        void visit(byte[] key, Object storedValue, long expireAtMillis);
    }

    /**
     * {@link #forEachEntry} without wrapping strings: {@code storedValue} is a {@code byte[]} for a string in its
     * default encoding (stored bare, see the class comment), otherwise the {@link RedisValue} itself. For BGSAVE's
     * snapshot, taken while every client waits, where one allocation per key (and the garbage collector copying
     * them all) is a good part of the pause. O(N).
     */
    public void forEachStoredEntry(StoredEntryVisitor visitor) {
        dict.forEach(entry -> visitor.visit(entry.key, entry.value,
                entry instanceof VolatileEntry v ? v.expireAt : -1));
    }

    /** How the keys' access bits are read and updated: one instance shared by every database. O(1). */
    public void accessTracking(AccessTracking tracking) {
        this.access = tracking;
    }

    /** The clock expiry times are compared with. O(1). */
    public Clock clock() {
        return clock;
    }

    // tag::lookup[]
    /** The live entry for {@code key}, after deleting it if it has expired (lazy expiry). O(1). */
    private KeyEntry peekEntry(Bytes key) {
        byte[] k = key.array();
        int hash = Dict.hash(key);
        KeyEntry entry = (KeyEntry) dict.find(k, hash);
        if (entry instanceof VolatileEntry v && v.expireAt <= clock.millis()) {
            switch (expiredKeys) {
                case DELETE -> {
                    if (!expiryPaused.getAsBoolean()) {
                        expire(v);
                    }
                    return null;
                }
                case HIDE -> {
                    return null;
                }
                case KEEP -> { }
            }
        }
        return entry;
    }

    /** {@link #peekEntry}, and the key counts as accessed now, as Redis's lookupKey does. O(1). */
    private KeyEntry lookup(Bytes key) {
        KeyEntry entry = peekEntry(key);
        if (entry != null) {
            entry.accessed = access.accessed(entry.accessed, clock.millis(), random);
        }
        return entry;
    }
    // end::lookup[]

    /** The value under {@code key}, or {@code null} when absent or expired. O(1). */
    public RedisValue get(Bytes key) {
        Dict.Entry entry = lookup(key);
        if (entry == null) {
            return null;
        }
        if (!(entry.value instanceof byte[])) {
            track((RedisValue) entry.value);
            if (valueAccessListener != null) {
                valueAccessListener.accept((RedisValue) entry.value);
            }
        }
        return valueOf(entry);
    }

    /**
     * The value under {@code key} without counting as an access (Redis's LOOKUP_NOTOUCH, used by TYPE, OBJECT,
     * TTL), or {@code null} when absent or expired. O(1).
     */
    public RedisValue peek(Bytes key) {
        Dict.Entry entry = peekEntry(key);
        return entry == null ? null : valueOf(entry);
    }

    /**
     * The value stored under {@code key} even when its time has passed, without deleting it or counting an access
     * (DEBUG OBJECT's {@code dictFind}), or {@code null} when absent. O(1).
     */
    public RedisValue stored(Bytes key) {
        Dict.Entry entry = dict.find(key.array(), Dict.hash(key));
        return entry == null ? null : valueOf(entry);
    }

    /**
     * Seconds since the key was last read or written (OBJECT IDLETIME, under an LRU policy), or -1 when it is
     * absent. O(1).
     */
    public long idleSeconds(Bytes key) {
        KeyEntry entry = peekEntry(key);
        return entry == null ? -1 : AccessTracking.idleMillis(entry.accessed, clock.millis()) / 1000;
    }

    /** Makes the key look idle for {@code seconds} (RESTORE ... IDLETIME); nothing when it is absent. O(1). */
    public void setIdleSeconds(Bytes key, long seconds) {
        KeyEntry entry = peekEntry(key);
        if (entry != null) {
            entry.accessed = AccessTracking.idleFor(seconds, clock.millis());
        }
    }

    /** The key's LFU counter after decay (OBJECT FREQ, under an LFU policy), or -1 when it is absent. O(1). */
    public int frequency(Bytes key) {
        KeyEntry entry = peekEntry(key);
        return entry == null ? -1 : access.frequency(entry.accessed, clock.millis());
    }

    /** Sets the key's LFU counter (RESTORE ... FREQ); nothing when it is absent. O(1). */
    public void setFrequency(Bytes key, int counter) {
        KeyEntry entry = peekEntry(key);
        if (entry != null) {
            entry.accessed = AccessTracking.withFrequency(counter, clock.millis());
        }
    }

    private int created() {
        return access.created(clock.millis());
    }

    /**
     * The value under {@code key} if it has the given type, {@code null} when absent.
     * O(1).
     *
     * @throws WrongTypeException when the key holds another type
     */
    public <T extends RedisValue> T get(Bytes key, Class<T> type) {
        RedisValue value = get(key);
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw new WrongTypeException();
        }
        return type.cast(value);
    }

    /** Whether the key exists (and has not expired); not an access, as EXISTS in Redis. O(1). */
    public boolean exists(Bytes key) {
        return peekEntry(key) != null;
    }

    /** Stores {@code value} and removes any expiry, as SET does. O(1). */
    public void set(Bytes key, RedisValue value) {
        set(key, value, -1);
    }

    /**
     * Stores {@code value} with an expiry time in Unix milliseconds ({@code -1}: none), as RESTORE and loading a
     * snapshot do. A time in the past stores nothing and removes the key, as Redis does there. O(1).
     */
    public void set(Bytes key, RedisValue value, long expireAtMillis) {
        if (expireAtMillis >= 0 && expireAtMillis <= clock.millis()) {
            remove(key);
            return;
        }
        setExpiring(key, value, expireAtMillis);
    }

    /**
     * Stores {@code value} with an expiry time ({@code -1}: none) even when that time has already passed, as Redis
     * 7.0's SET ... EXAT/PXAT does: such a key counts in {@link #size()} (DBSIZE) until a lookup or the active
     * cycle deletes it and reports it expired, but no lookup ever returns it. O(1).
     */
    public void setExpiring(Bytes key, RedisValue value, long expireAtMillis) {
        byte[] k = key.array();
        int hash = Dict.hash(key);
        Object stored = storedForm(value);
        KeyEntry entry = (KeyEntry) dict.find(k, hash);
        if (entry instanceof VolatileEntry v && v.expireAt <= clock.millis()) {
            expire(v); // as Redis's lookupKeyWrite: an overwritten key whose time had passed expires first
            entry = null;
        }
        if (entry == null) {
            dict.add(expireAtMillis < 0 ? new KeyEntry(k, hash, stored, created())
                    : addVolatile(k, hash, stored, created(), expireAtMillis));
            stored(stored);
            if (keyIndex != null) {
                keyIndex.added(k);
            }
            newKeyListener.added(this, key);
            return;
        }
        // As Redis's lookupKeyWrite and dbOverwrite: an LFU counter is kept (and counts this access), a clock is now.
        entry.accessed = access.accessed(entry.accessed, clock.millis(), random);
        Object old = entry.value;
        replaced(old, stored);
        if (expireAtMillis < 0) {
            entry.value = stored;
            if (entry instanceof VolatileEntry v) {
                makePersistent(v);
            }
        } else if (entry instanceof VolatileEntry v) {
            v.value = stored;
            v.expireAt = expireAtMillis;
        } else {
            dict.replace(entry, addVolatile(entry.key, hash, stored, entry.accessed, expireAtMillis));
        }
        if (old != stored) {
            droppedListener.accept(old);
        }
    }

    /** Stores {@code value} and keeps the key's expiry, as SET ... KEEPTTL and the in-place updates do. O(1). */
    public void setKeepTtl(Bytes key, RedisValue value) {
        Dict.Entry entry = lookup(key);
        Object stored = storedForm(value);
        if (entry == null) {
            dict.add(new KeyEntry(key.array(), Dict.hash(key), stored, created()));
            stored(stored);
            if (keyIndex != null) {
                keyIndex.added(key.array());
            }
            newKeyListener.added(this, key);
        } else {
            replaced(entry.value, stored);
            entry.value = stored;
        }
    }

    /**
     * Removes the key as a side effect of a write (a STORE's empty result, RESTORE REPLACE, RENAME's destination);
     * true when it existed (and had not expired). The value goes to {@link #onValueDropped}'s listener. O(1).
     */
    public boolean remove(Bytes key) {
        Dict.Entry entry = lookup(key);
        if (entry == null) {
            return false;
        }
        delete(entry);
        droppedListener.accept(entry.value);
        return true;
    }

    /**
     * Removes the key and returns its value, or null when it did not exist (or had expired): DEL and UNLINK, which
     * free the value by their own rule, and MOVE, which stores it elsewhere. O(1).
     */
    public RedisValue take(Bytes key) {
        Dict.Entry entry = lookup(key);
        if (entry == null) {
            return null;
        }
        delete(entry);
        return valueOf(entry);
    }

    /**
     * Moves the value and its expiry from {@code source} to {@code destination}, replacing whatever was there, as
     * RENAME does. Returns false (and changes nothing) when {@code source} does not exist. Renaming a key to itself
     * changes nothing. O(1).
     */
    public boolean rename(Bytes source, Bytes destination) {
        Dict.Entry entry = lookup(source);
        if (entry == null) {
            return false;
        }
        if (source.equals(destination)) {
            return true;
        }
        long expireAt = entry instanceof VolatileEntry v ? v.expireAt : -1;
        RedisValue value = valueOf(entry);
        delete(entry);
        remove(destination);
        set(destination, value, expireAt);
        return true;
    }

    /**
     * The key's expiry as Unix time in milliseconds, or -1 when it has none (-2 when the key is absent); not an
     * access, as TTL in Redis. O(1).
     */
    public long expireTime(Bytes key) {
        Dict.Entry entry = peekEntry(key);
        if (entry == null) {
            return -2;
        }
        return entry instanceof VolatileEntry v ? v.expireAt : -1;
    }

    /** Sets the key's expiry; false when the key is absent. A time now or in the past deletes the key. O(1). */
    public boolean expireAt(Bytes key, long unixMillis) {
        KeyEntry entry = lookup(key);
        if (entry == null) {
            return false;
        }
        if (unixMillis <= clock.millis()) {
            delete(entry);
        } else if (entry instanceof VolatileEntry v) {
            v.expireAt = unixMillis;
        } else {
            dict.replace(entry, addVolatile(entry.key, entry.hash, entry.value, entry.accessed, unixMillis));
        }
        return true;
    }

    /** Removes the key's expiry; true when it had one. O(1). */
    public boolean persist(Bytes key) {
        if (lookup(key) instanceof VolatileEntry v) {
            makePersistent(v);
            return true;
        }
        return false;
    }

    /** Number of keys, expired ones that were not yet collected included (as Redis's DBSIZE). O(1). */
    public int size() {
        return dict.size();
    }

    /**
     * DEBUG HTSTATS's text: the key table's statistics, then those of the expiry table. Redis keeps expiry times in
     * a second dict; here they sit on the key's own entry, so the second part describes the table Redis would
     * have: the volatile keys alone, added to an empty dict one by one. O(N).
     */
    public String hashTableStats() {
        Dict expires = new Dict();
        dict.forEach(entry -> {
            if (entry instanceof VolatileEntry) {
                expires.add(new Dict.Entry(entry.key, entry.hash, null));
            }
        });
        return "[Dictionary HT]\n" + dict.stats() + "[Expires HT]\n" + expires.stats();
    }

    /** Number of keys with an expiry. O(1). */
    public int volatileCount() {
        return volatileCount;
    }

    /** Removes every key. O(1) here (the garbage collector frees them). */
    public void clear() {
        dict.clear();
        if (keyIndex != null) {
            keyIndex.cleared();
        }
        volatiles = new VolatileEntry[0];
        volatileCount = 0;
        valueBytes = 0;
        Arrays.fill(pending, 0, pendingCount, null);
        pendingCount = 0;
    }

    /**
     * A random live key, or null when there is none, as RANDOMKEY: expired keys met on the way are deleted, or,
     * while they must stay (a pause, a replica), skipped. When every key has an expiry and none may be deleted,
     * the hundredth expired key met is the answer, as Redis's {@code dbRandomKey} does on a replica (in a pause,
     * Redis 7.0 would loop until it ends; later versions answer as here). O(1) on average.
     */
    public Bytes randomKey() {
        long now = clock.millis();
        int tries = 100;
        while (dict.size() > 0) {
            Dict.Entry entry = dict.random(random);
            if (entry instanceof VolatileEntry v && v.expireAt <= now && expiredKeys != ExpiredKeys.KEEP) {
                if (deletesExpiredKeys()) {
                    expire(v);
                } else if (dict.size() == volatileCount && --tries == 0) {
                    return Bytes.of(entry.key);
                }
                continue;
            }
            return Bytes.of(entry.key);
        }
        return null;
    }

    /** Whether a key found expired may be deleted now: not on a replica, not during CLIENT PAUSE WRITE. */
    private boolean deletesExpiredKeys() {
        return expiredKeys == ExpiredKeys.DELETE && !expiryPaused.getAsBoolean();
    }

    // tag::keyspace-scan[]
    /**
     * One SCAN step: visits buckets from {@code cursor} until about {@code count} keys were seen (at most
     * {@code 10 * count} buckets, as Redis), hands the live ones to {@code visitor}, and returns the cursor to
     * continue from, 0 when the scan is complete. Every key present during the whole scan is returned at least
     * once (see {@link Dict#scan}); expired keys met on the way are not returned, and deleted unless they must
     * stay (a pause, a replica). O(count) on average.
     */
    public long scan(long cursor, int count, Consumer<Bytes> visitor) {
        List<Dict.Entry> seen = new ArrayList<>();
        long budget = Math.max(1, 10L * count);
        do {
            cursor = dict.scan(cursor, seen::add);
        } while (cursor != 0 && --budget > 0 && seen.size() < count);
        long now = clock.millis();
        for (Dict.Entry entry : seen) {
            if (entry instanceof VolatileEntry v && v.expireAt <= now && expiredKeys != ExpiredKeys.KEEP) {
                if (deletesExpiredKeys() && dict.find(v.key, v.hash) == v) {
                    expire(v);
                }
            } else {
                visitor.accept(Bytes.of(entry.key));
            }
        }
        return cursor;
    }
    // end::keyspace-scan[]

    /** Every live key, in table order, as KEYS (which does not delete expired keys, only skips them). O(N). */
    public List<Bytes> keys() {
        List<Bytes> keys = new ArrayList<>(dict.size());
        long now = clock.millis();
        dict.forEach(entry -> {
            if (!(entry instanceof VolatileEntry v) || v.expireAt > now) {
                keys.add(Bytes.of(entry.key));
            }
        });
        return keys;
    }

    // tag::active-expire[]
    /**
     * One run of Redis's active expiry: sample {@value #KEYS_PER_LOOP} random keys that have an expiry, delete
     * those that have expired, and repeat while more than a quarter of the sample had expired, since then many
     * more probably have too (the rule of Redis before 6.0; the server calls the form below with 7.0's numbers).
     * Stop when fewer did, or when {@code timeLimitNanos} has passed (checked every 16 rounds, as Redis does), so
     * that a database full of expired keys cannot stall the server. Returns the number of keys deleted.
     * O(keys sampled).
     */
    public int activeExpireCycle(long timeLimitNanos) {
        return activeExpireCycle(timeLimitNanos, KEYS_PER_LOOP, 25);
    }

    /**
     * The same with {@code keysPerLoop} keys per sample, repeating while more than {@code acceptableStalePercent}
     * of a sample had expired: what {@code active-expire-effort} changes. O(keys sampled).
     */
    public int activeExpireCycle(long timeLimitNanos, int keysPerLoop, int acceptableStalePercent) {
        long start = System.nanoTime();
        int expiredTotal = 0;
        int rounds = 0;
        int expired;
        int sampled;
        do {
            if (volatileCount == 0) {
                break;
            }
            long now = clock.millis();
            sampled = Math.min(keysPerLoop, volatileCount);
            expired = 0;
            for (int i = 0; i < sampled && volatileCount > 0; i++) {
                VolatileEntry candidate = volatiles[random.nextInt(volatileCount)];
                if (candidate.expireAt <= now) {
                    expire(candidate);
                    expired++;
                }
            }
            expiredTotal += expired;
            if (++rounds % 16 == 0 && System.nanoTime() - start > timeLimitNanos) {
                break;
            }
        } while (expired * 100 / sampled > acceptableStalePercent);
        return expiredTotal;
    }
    // end::active-expire[]

    private RedisValue valueOf(Dict.Entry entry) {
        return entry.value instanceof byte[] bytes ? new RedisString(bytes) : (RedisValue) entry.value;
    }

    /** Strings in their default encoding are stored bare, saving a 16-byte object per key. */
    private static Object storedForm(RedisValue value) {
        return value instanceof RedisString s && s.hasDefaultEncoding() ? s.bytes() : value;
    }

    private VolatileEntry addVolatile(byte[] key, int hash, Object value, int accessed, long expireAt) {
        VolatileEntry v = new VolatileEntry(key, hash, value, accessed, expireAt);
        if (volatileCount == volatiles.length) {
            volatiles = Arrays.copyOf(volatiles, Math.max(4, volatileCount * 2));
        }
        v.slot = volatileCount;
        volatiles[volatileCount++] = v;
        return v;
    }

    private void makePersistent(VolatileEntry v) {
        forgetVolatile(v);
        dict.replace(v, new KeyEntry(v.key, v.hash, v.value, v.accessed));
    }

    /** Deletes a key whose time has passed and tells the {@link ExpiryListener}. */
    private void expire(VolatileEntry entry) {
        delete(entry);
        expiryListener.expired(this, Bytes.of(entry.key), entry.value);
    }

    private void delete(Dict.Entry entry) {
        dict.remove(entry.key, entry.hash);
        if (keyIndex != null) {
            keyIndex.removed(entry.key);
        }
        replaced(entry.value, null);
        if (entry instanceof VolatileEntry v) {
            forgetVolatile(v);
        }
    }

    private void forgetVolatile(VolatileEntry v) {
        VolatileEntry last = volatiles[--volatileCount];
        volatiles[v.slot] = last;
        last.slot = v.slot;
        volatiles[volatileCount] = null;
        if (volatiles.length > 64 && volatileCount < volatiles.length / 4) {
            volatiles = Arrays.copyOf(volatiles, volatiles.length / 2);
        }
    }

    /** A {@link KeyEntry}: a {@link Dict.Entry} and the access bits (in its padding with 12-byte headers). */
    private static final int KEY_ENTRY = MemorySizes.object(3, 2, 0);
    /** What a {@link VolatileEntry} adds: the expiry time and the slot. */
    private static final int VOLATILE_EXTRA = MemorySizes.object(3, 3, 1) - KEY_ENTRY;

    /**
     * The heap bytes of this database's data: the table, every entry, key and value, and the array of keys with an
     * expiry. O(values changed since the last call): nothing is walked.
     */
    public long usedMemory() {
        reconcile();
        return overheadMemory() + dict.keyBytes() + valueBytes;
    }

    /**
     * What {@link #usedMemory} counts for the table rather than the data, as Redis's {@code used_memory_overhead}
     * counts its dict entries and buckets: the table, the entries, the array of keys with an expiry. O(1).
     */
    public long overheadMemory() {
        return dict.tableBytes() + (long) dict.size() * KEY_ENTRY + (long) volatileCount * VOLATILE_EXTRA
                + MemorySizes.referenceArray(volatiles.length) + (keyIndex == null ? 0 : keyIndex.memory());
    }

    /**
     * A number that stays the same while the key exists, or 0 when it is absent (DEBUG OBJECT's {@code at:}
     * address). Redis shows its value object's address, which INCR, APPEND and the collection commands keep, as
     * they change the object in place; here a default-encoded string is stored as bare bytes and each write makes
     * new ones, so the key's entry stands in for the object. Not an access. O(1).
     */
    public int identity(Bytes key) {
        KeyEntry entry = peekEntry(key);
        return entry == null ? 0 : System.identityHashCode(entry);
    }

    /**
     * MEMORY USAGE: the bytes of the key's entry, key and value (its share of the table aside), or -1 when it is
     * absent; not an access. O(1).
     */
    public long memoryUsage(Bytes key) {
        KeyEntry entry = peekEntry(key);
        if (entry == null) {
            return -1;
        }
        return KEY_ENTRY + (entry instanceof VolatileEntry ? VOLATILE_EXTRA : 0) + MemorySizes.of(entry.key)
                + bytesOf(entry.value) + (keyIndex == null ? 0 : keyIndex.memoryPerKey());
    }

    /**
     * The end of a command: the values it may have changed in place are counted at their new size and forgotten.
     * O(values the command looked up).
     */
    public void settle() {
        if (pendingCount > 0) {
            reconcile();
            Arrays.fill(pending, 0, pendingCount, null);
            pendingCount = 0;
        }
    }

    private static long bytesOf(Object stored) {
        return stored instanceof byte[] bytes ? MemorySizes.of(bytes) : ((RedisValue) stored).memoryUsage();
    }

    // tag::accounting[]
    /** A value was stored where there was none. */
    private void stored(Object stored) {
        valueBytes += bytesOf(stored);
        if (!(stored instanceof byte[])) {
            track((RedisValue) stored);
        }
    }

    /** {@code old} leaves the keyspace, {@code stored} (null for none) takes its place. */
    private void replaced(Object old, Object stored) {
        if (!(old instanceof byte[])) {
            reconcile(); // counts what a command changed in the old value before taking it out
            untrack((RedisValue) old);
        }
        valueBytes -= bytesOf(old);
        if (stored != null) {
            stored(stored);
        }
    }

    // end::accounting[]

    private void track(RedisValue value) {
        for (int i = pendingCount - 1; i >= 0 && i >= pendingCount - 64; i--) {
            if (pending[i] == value) {
                return;
            }
        }
        if (pendingCount >= 64 && isPending(value)) {
            return;
        }
        if (pendingCount == MAX_PENDING) {
            settle(); // nobody settles (a keyspace used without the server's dispatcher): keep the list bounded
        }
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pendingCount * 2);
            pendingBytes = Arrays.copyOf(pendingBytes, pendingCount * 2);
        }
        pending[pendingCount] = value;
        pendingBytes[pendingCount++] = value.memoryUsage();
    }

    private boolean isPending(RedisValue value) {
        for (int i = 0; i < pendingCount; i++) {
            if (pending[i] == value) {
                return true;
            }
        }
        return false;
    }

    private void untrack(RedisValue value) {
        for (int i = 0; i < pendingCount; i++) {
            if (pending[i] == value) {
                pending[i] = pending[--pendingCount];
                pendingBytes[i] = pendingBytes[pendingCount];
                pending[pendingCount] = null;
                return;
            }
        }
    }

    // tag::reconcile[]
    /** Counts the change in size of every value handed out since the last call. */
    private void reconcile() {
        for (int i = 0; i < pendingCount; i++) {
            long now = pending[i].memoryUsage();
            valueBytes += now - pendingBytes[i];
            pendingBytes[i] = now;
        }
    }
    // end::reconcile[]

    /** A key the eviction may choose: its name, its access bits and its expiry time (-1: none). */
    @FunctionalInterface
    public interface Candidate {
        void visit(byte[] key, int accessBits, long expireAtMillis);
    }

    /**
     * The eviction's sample: up to {@code count} distinct keys among all keys ({@link Dict#someEntries}), or
     * {@code count} random keys among those with an expiry (their array is in the order they got it, so neighbours
     * would be alike), expired keys included; not an access. All of them when there are no more than
     * {@code count}. O(count).
     */
    public void sample(boolean volatileOnly, int count, Candidate visitor) {
        if (!volatileOnly) {
            dict.someEntries(random, count, e -> visitor.visit(e.key, ((KeyEntry) e).accessed,
                    e instanceof VolatileEntry v ? v.expireAt : -1));
            return;
        }
        boolean all = count >= volatileCount;
        for (int i = 0; i < Math.min(count, volatileCount); i++) {
            VolatileEntry entry = volatiles[all ? i : random.nextInt(volatileCount)];
            visitor.visit(entry.key, entry.accessed, entry.expireAt);
        }
    }

    /**
     * A random key (with an expiry, for {@code volatileOnly}), expired or not, or null when there is none, as the
     * random eviction policies draw it (Redis's dictGetRandomKey); not an access. O(1) on average.
     */
    public byte[] randomCandidate(boolean volatileOnly) {
        if (volatileOnly) {
            return volatileCount == 0 ? null : volatiles[random.nextInt(volatileCount)].key;
        }
        Dict.Entry entry = dict.random(random);
        return entry == null ? null : entry.key;
    }

    /**
     * Whether the key is in the table (with an expiry, for {@code volatileOnly}), expired or not; not an access, as
     * the eviction pool's dictFind. O(1).
     */
    public boolean contains(byte[] key, boolean volatileOnly) {
        Dict.Entry entry = dict.find(key, Dict.hash(key));
        return entry != null && (!volatileOnly || entry instanceof VolatileEntry);
    }

    /**
     * Deletes the key as eviction does: found without expiring or touching it, and not reported to the expiry
     * listener; false when it is not there (or, with {@code volatileOnly}, has no expiry). O(1).
     */
    public boolean evict(byte[] key, boolean volatileOnly) {
        KeyEntry entry = (KeyEntry) dict.find(key, Dict.hash(key));
        if (entry == null || volatileOnly && !(entry instanceof VolatileEntry)) {
            return false;
        }
        delete(entry);
        return true;
    }
}
