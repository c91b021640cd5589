// Exercise 03: your keyspace with expiry. It replaces the reference io.port6379.datastructures.Keyspace.
// Check it with `exercises/check 03`; talk to it with `exercises/run-server 03 --port 6380` and redis-cli.
package io.port6379.datastructures;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A Redis database (one of the 16 that SELECT chooses): keys to values, and each key's expiry time.
 *
 * <p>What to build, in the order the tests check it:
 * <ol>
 *   <li>Storage: a hash table from key to value. {@link Dict} (public, in this package) is the reference's own
 *       table and gives you {@code find}, {@code add}, {@code remove}, {@code random} and {@code scan}; a
 *       {@code HashMap<Bytes, ...>} works too, but then RANDOMKEY and SCAN are yours to write.</li>
 *   <li>Lazy expiry: every operation that touches a key first compares its expiry time with
 *       {@code clock.millis()} and deletes the key when the time is now or past, so an expired key is never
 *       visible. {@link #size} still counts expired keys nobody touched, as Redis's DBSIZE does.</li>
 *   <li>The expiry rules of Redis: {@code set} without a time removes the expiry, {@code setKeepTtl} keeps it;
 *       a time now or in the past deletes the key; {@link #expireTime} answers -2 for a missing key and -1 for
 *       a key without expiry.</li>
 *   <li>{@link #get(Bytes, Class)} raises {@link WrongTypeException} when the key holds another type.</li>
 *   <li>Active expiry ({@link #activeExpireCycle}): sample {@value #KEYS_PER_LOOP} random keys that have an
 *       expiry, delete the expired ones, repeat while more than a quarter of the sample had expired. Sampling
 *       needs the keys with an expiry in something you can index at random in O(1), e.g. an array where a
 *       removed key is replaced by the last one.</li>
 *   <li>{@link #scan}: a cursor that returns every key present during the whole scan at least once, even when
 *       the table grows or shrinks in between ({@link Dict#scan} does this with reverse-binary cursors).</li>
 * </ol>
 * Tests: datastructures/src/test/java/io/port6379/datastructures/KeyspaceTest.java and KeyspaceProperties.java
 * (a model-based property: random operations must agree with a plain map of values and expiry times).
 * The reference solution is datastructures/src/main/java/io/port6379/datastructures/Keyspace.java.
 *
 * <p>Not thread-safe: the server runs one command at a time.
 */
public final class Keyspace {

    /** Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP: volatile keys sampled per round of the active expiry cycle. */
    public static final int KEYS_PER_LOOP = 20;

    public Keyspace(Clock clock) {
        this(clock, new java.util.SplittableRandom());
    }

    /** A keyspace whose random choices (RANDOMKEY, active expiry sampling) come from {@code random}. */
    public Keyspace(Clock clock, RandomGenerator random) {
    }

    public Clock clock() {
        throw new UnsupportedOperationException("exercise 03: clock(): the clock given to the constructor");
    }

    // Given: the server's hooks. Call them from your code: expiryListener.expired(this, key) after deleting a key
    // because its time passed, newKeyListener.added(this, key) after adding a key that did not exist, and
    // valueAccessListener.accept(value) (when not null) before get() hands out a value, and (when not null)
    // keyIndex.added(key) / removed(key) / cleared() as keys enter and leave the table (cluster mode only).
    private ExpiryListener expiryListener = (keyspace, key) -> { };
    private NewKeyListener newKeyListener = (keyspace, key) -> { };
    private Consumer<RedisValue> valueAccessListener;
    private KeyIndex keyIndex;

    /**
     * What a lookup does with a key whose time has passed: a master deletes it, a replica hides it from its clients
     * and keeps it for its master's commands (given: the reference's replication sets it; this skeleton deletes).
     */
    public enum ExpiredKeys { DELETE, HIDE, KEEP }

    /** See {@link ExpiredKeys}; ignored here: expired keys are always deleted. */
    public void expiredKeys(ExpiredKeys mode) {
    }

    /** Who hears about keys deleted because their time had passed (expired_keys, the expired event, the AOF). */
    public void onExpiry(ExpiryListener listener) {
        this.expiryListener = listener;
    }

    /** Given: CLIENT PAUSE's hold on lazy expiry. This skeleton keeps expiring during a pause; the reference does not. */
    public void expiryPaused(BooleanSupplier paused) {
    }

    /**
     * Given: lazyfree-lazy-server-del's hook (the values a write replaces or deletes as a side effect); ignored here:
     * this skeleton's side-effect deletions are never counted as lazily freed.
     */
    public void onValueDropped(Consumer<Object> listener) {
    }

    /** Who hears about keys added where none existed (the server's {@code new} keyspace event). */
    public void onNewKey(NewKeyListener listener) {
        this.newKeyListener = listener;
    }

    /** An index told about every key added to the table or deleted from it (Redis Cluster's keys per slot). */
    public void keyIndex(KeyIndex index) {
        this.keyIndex = index;
    }

    /** Who hears about every value {@link #get} hands out, before the caller changes it (BGSAVE's snapshot). */
    public void onValueAccess(Consumer<RedisValue> listener) {
        this.valueAccessListener = listener;
    }

    // Given: the server's string and encoding limits (proto-max-bulk-len, *-max-listpack-*), kept for the commands.
    private EncodingLimits limits = EncodingLimits.REDIS_DEFAULTS;

    public EncodingLimits limits() {
        return limits;
    }

    public void limits(EncodingLimits limits) {
        this.limits = limits;
    }

    /** A key with its value and expiry time in Unix milliseconds (-1: none), as {@link #forEachEntry} sees it. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] key, RedisValue value, long expireAtMillis);
    }

    /** Every key with its value and expiry, expired ones included, without touching anything (SAVE's view). O(N). */
    public void forEachEntry(EntryVisitor visitor) {
        throw new UnsupportedOperationException("exercise 03: forEachEntry(): every entry, nothing deleted or touched");
    }

    /** A key with its value in its stored form (see {@link #forEachStoredEntry}) and expiry time (-1: none). */
    @FunctionalInterface
    public interface StoredEntryVisitor {
        void visit(byte[] key, Object storedValue, long expireAtMillis);
    }

    /**
     * {@link #forEachEntry} without wrapping strings: a string stored bare is passed as its {@code byte[]},
     * anything else as the {@link RedisValue} itself (BGSAVE's snapshot, which must not allocate per key). O(N).
     */
    public void forEachStoredEntry(StoredEntryVisitor visitor) {
        throw new UnsupportedOperationException("exercise 03: forEachStoredEntry(): as forEachEntry, values as stored");
    }

    /** DEBUG HTSTATS's text: the key table's statistics, then those of a table of the volatile keys alone. O(N). */
    public String hashTableStats() {
        throw new UnsupportedOperationException("exercise 03: hashTableStats(): the reference's Dict.stats() of its tables");
    }

    /** The value under {@code key}, or {@code null} when absent or expired. O(1). */
    public RedisValue get(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: get(): look up, deleting the key first if it has expired");
    }

    /**
     * The value under {@code key} if it has the given type, {@code null} when absent. O(1).
     *
     * @throws WrongTypeException when the key holds another type
     */
    public <T extends RedisValue> T get(Bytes key, Class<T> type) {
        throw new UnsupportedOperationException("exercise 03: get(key, type): WRONGTYPE when the value is of another type");
    }

    /** Whether the key exists (and has not expired); not an access, as EXISTS in Redis. O(1). */
    public boolean exists(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: exists()");
    }

    /**
     * The value under {@code key} without counting as an access (Redis's LOOKUP_NOTOUCH, used by TYPE, OBJECT,
     * TTL), or {@code null} when absent or expired. O(1).
     */
    public RedisValue peek(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: peek(): like get(), but leave the access time alone");
    }

    /** The value stored under {@code key} even when expired, without deleting it (DEBUG OBJECT). O(1). */
    public RedisValue stored(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: stored(): the value even past its expiry, left in place");
    }

    /** Seconds since the key was last read or written (OBJECT IDLETIME), or -1 when it is absent. O(1). */
    public long idleSeconds(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: idleSeconds(): keep the second of each key's last"
                + " access (every get and write sets it; peek, exists and expireTime do not)");
    }

    /** A number that stays the same while the key exists, or 0 when it is absent (DEBUG OBJECT's address). O(1). */
    public int identity(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: identity(): System.identityHashCode of whatever you"
                + " keep per key (an entry object), which lives as long as the key");
    }

    /** Makes the key look idle for {@code seconds} (RESTORE ... IDLETIME); nothing when it is absent. O(1). */
    public void setIdleSeconds(Bytes key, long seconds) {
        throw new UnsupportedOperationException("exercise 03: setIdleSeconds(): set the key's last access to that many"
                + " seconds ago, so idleSeconds() answers them");
    }

    /** Stores {@code value} and removes any expiry, as SET does. O(1). */
    public void set(Bytes key, RedisValue value) {
        throw new UnsupportedOperationException("exercise 03: set(): store, and forget any expiry");
    }

    /**
     * Stores {@code value} with an expiry time in Unix milliseconds ({@code -1}: none), as RESTORE and loading a
     * snapshot do. A time in the past stores nothing and removes the key, as Redis does there. O(1).
     */
    public void set(Bytes key, RedisValue value, long expireAtMillis) {
        throw new UnsupportedOperationException("exercise 03: set(key, value, expireAt): a past time removes the key");
    }

    /**
     * Stores {@code value} with an expiry time ({@code -1}: none) even when that time has already passed, as Redis
     * 7.0's SET ... EXAT/PXAT does: such a key counts in {@link #size()} (DBSIZE) until a lookup or the active
     * cycle deletes it and reports it expired, but no lookup ever returns it. O(1).
     */
    public void setExpiring(Bytes key, RedisValue value, long expireAtMillis) {
        throw new UnsupportedOperationException("exercise 03: setExpiring(): store even with a time already past");
    }

    /** Stores {@code value} and keeps the key's expiry, as SET ... KEEPTTL and the in-place updates do. O(1). */
    public void setKeepTtl(Bytes key, RedisValue value) {
        throw new UnsupportedOperationException("exercise 03: setKeepTtl(): store, keeping the expiry");
    }

    /** Removes the key; true when it existed (and had not expired). O(1). */
    public boolean remove(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: remove()");
    }

    // Given: DEL's, UNLINK's and MOVE's removal, on top of your get() and remove().
    /** Removes the key and returns its value, or null when it did not exist (or had expired). O(1). */
    public RedisValue take(Bytes key) {
        RedisValue value = get(key);
        if (value != null) {
            remove(key);
        }
        return value;
    }

    /**
     * Moves the value and its expiry from {@code source} to {@code destination}, replacing whatever was there, as
     * RENAME does. Returns false (and changes nothing) when {@code source} does not exist. Renaming a key to itself
     * changes nothing. O(1).
     */
    public boolean rename(Bytes source, Bytes destination) {
        throw new UnsupportedOperationException("exercise 03: rename(): the expiry moves with the value");
    }

    /** The key's expiry as Unix time in milliseconds, or -1 when it has none (-2 when the key is absent). O(1). */
    public long expireTime(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: expireTime(): -2 missing, -1 no expiry");
    }

    /** Sets the key's expiry; false when the key is absent. A time now or in the past deletes the key. O(1). */
    public boolean expireAt(Bytes key, long unixMillis) {
        throw new UnsupportedOperationException("exercise 03: expireAt()");
    }

    /** Removes the key's expiry; true when it had one. O(1). */
    public boolean persist(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: persist()");
    }

    /** Number of keys, expired ones that were not yet collected included (as Redis's DBSIZE). O(1). */
    public int size() {
        throw new UnsupportedOperationException("exercise 03: size(): expired but untouched keys still count");
    }

    /** Number of keys with an expiry. O(1). */
    public int volatileCount() {
        throw new UnsupportedOperationException("exercise 03: volatileCount()");
    }

    /** Removes every key. */
    public void clear() {
        throw new UnsupportedOperationException("exercise 03: clear()");
    }

    /**
     * A random live key, or null when there is none, as RANDOMKEY: expired keys met on the way are deleted.
     * O(1) on average.
     */
    public Bytes randomKey() {
        throw new UnsupportedOperationException("exercise 03: randomKey(): every key must be reachable");
    }

    /**
     * One SCAN step: visits buckets from {@code cursor} until about {@code count} keys were seen (at most
     * {@code 10 * count} buckets, as Redis), hands the live ones to {@code visitor}, and returns the cursor to
     * continue from, 0 when the scan is complete. Every key present during the whole scan is returned at least
     * once; expired keys met on the way are deleted, not returned. O(count) on average.
     */
    public long scan(long cursor, int count, Consumer<Bytes> visitor) {
        throw new UnsupportedOperationException("exercise 03: scan(): see Dict.scan for the cursor");
    }

    /** Every live key, in table order, as KEYS (which does not delete expired keys, only skips them). O(N). */
    public List<Bytes> keys() {
        throw new UnsupportedOperationException("exercise 03: keys(): skip expired keys without deleting them");
    }

    /**
     * One run of Redis's active expiry: sample {@value #KEYS_PER_LOOP} random keys that have an expiry, delete
     * those that have expired, and repeat while more than a quarter of the sample had expired. Stop when fewer
     * did, or when {@code timeLimitNanos} has passed (checked every 16 rounds, as Redis does). Returns the number
     * of keys deleted. O(keys sampled).
     */
    public int activeExpireCycle(long timeLimitNanos) {
        throw new UnsupportedOperationException("exercise 03: activeExpireCycle(): sample, delete, repeat while > 25% expired");
    }

    /**
     * Given: the server's form, with {@code active-expire-effort}'s sample size and threshold. This skeleton runs
     * the exercise's cycle above and ignores both.
     */
    public int activeExpireCycle(long timeLimitNanos, int keysPerLoop, int acceptableStalePercent) {
        return activeExpireCycle(timeLimitNanos);
    }

    // Given: used_memory and eviction (chapter 19). This keyspace does not count its bytes, so a server running it
    // reports used_memory 0 and maxmemory never evicts; the reference keeps the count as values change.

    /** How the keys' access bits are read and updated (LRU or LFU): one instance shared by every database. O(1). */
    public void accessTracking(AccessTracking tracking) {
    }

    /** The heap bytes of this database's data; 0 here (see above). */
    public long usedMemory() {
        return 0;
    }

    /** What {@link #usedMemory} counts for the table rather than the data; 0 here. */
    public long overheadMemory() {
        return 0;
    }

    /** The end of a command: values changed in place are counted at their new size; nothing to do here. */
    public void settle() {
    }

    /** MEMORY USAGE: the bytes of the key's entry, key and value, or -1 when it is absent. O(1). */
    public long memoryUsage(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: memoryUsage(): see MemorySizes");
    }

    /** The key's LFU counter after decay (OBJECT FREQ), or -1 when it is absent. O(1). */
    public int frequency(Bytes key) {
        throw new UnsupportedOperationException("exercise 03: frequency(): AccessTracking.frequency of the key's access bits");
    }

    /** Sets the key's LFU counter (RESTORE ... FREQ); nothing when it is absent. O(1). */
    public void setFrequency(Bytes key, int counter) {
        throw new UnsupportedOperationException("exercise 03: setFrequency(): AccessTracking.withFrequency");
    }

    /** A key the eviction may choose: its name, its access bits and its expiry time (-1: none). */
    @FunctionalInterface
    public interface Candidate {
        void visit(byte[] key, int accessBits, long expireAtMillis);
    }

    /** Up to {@code count} distinct random keys (with an expiry, for {@code volatileOnly}), for eviction. O(count). */
    public void sample(boolean volatileOnly, int count, Candidate visitor) {
        throw new UnsupportedOperationException("exercise 03: sample(): see Dict.someEntries");
    }

    /** A random key (with an expiry, for {@code volatileOnly}), expired or not, or null when there is none. O(1). */
    public byte[] randomCandidate(boolean volatileOnly) {
        throw new UnsupportedOperationException("exercise 03: randomCandidate(): see Dict.random");
    }

    /** Whether the key is in the table (with an expiry, for {@code volatileOnly}), expired or not. O(1). */
    public boolean contains(byte[] key, boolean volatileOnly) {
        throw new UnsupportedOperationException("exercise 03: contains(): a find without expiring");
    }

    /** Deletes the key as eviction does, without expiring, touching or reporting it; false when absent. O(1). */
    public boolean evict(byte[] key, boolean volatileOnly) {
        throw new UnsupportedOperationException("exercise 03: evict(): a delete without the expiry listener");
    }
}
