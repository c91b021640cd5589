// One database: the map from keys to values, with each key's expiry time.
package io.port6379.datastructures;

import java.util.HashMap;
import java.util.Map;

/**
 * A Redis database (one of the 16 that SELECT chooses). Keys expire lazily: every lookup first checks the
 * key's expiry time and deletes it when it has passed, so an expired key is never visible.
 *
 * <p>Not thread-safe: the server runs one command at a time.
 */
public final class Keyspace {

    private final Clock clock;
    private final Map<Bytes, RedisValue> values = new HashMap<>();
    private final Map<Bytes, Long> expires = new HashMap<>();

    public Keyspace(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** The value under {@code key}, or {@code null} when absent or expired. O(1). */
    public RedisValue get(Bytes key) {
        expireIfNeeded(key);
        return values.get(key);
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

    public boolean exists(Bytes key) {
        return get(key) != null;
    }

    /** Stores {@code value} and removes any expiry, as SET does. O(1). */
    public void set(Bytes key, RedisValue value) {
        values.put(key, value);
        expires.remove(key);
    }

    /** Stores {@code value} and keeps the key's expiry, as SET ... KEEPTTL and the in-place updates do. O(1). */
    public void setKeepTtl(Bytes key, RedisValue value) {
        expireIfNeeded(key);
        values.put(key, value);
    }

    /** Removes the key; true when it existed. O(1). */
    public boolean remove(Bytes key) {
        expireIfNeeded(key);
        expires.remove(key);
        return values.remove(key) != null;
    }

    /** The key's expiry as Unix time in milliseconds, or -1 when it has none (-2 when the key is absent). O(1). */
    public long expireTime(Bytes key) {
        if (get(key) == null) {
            return -2;
        }
        return expires.getOrDefault(key, -1L);
    }

    /** Sets the key's expiry; false when the key is absent. A time in the past deletes the key. O(1). */
    public boolean expireAt(Bytes key, long unixMillis) {
        if (get(key) == null) {
            return false;
        }
        expires.put(key, unixMillis);
        expireIfNeeded(key);
        return true;
    }

    /** Removes the key's expiry; true when it had one. O(1). */
    public boolean persist(Bytes key) {
        return get(key) != null && expires.remove(key) != null;
    }

    /** Number of keys, expired ones that were not yet collected included (as Redis's DBSIZE). O(1). */
    public int size() {
        return values.size();
    }

    /** Number of keys with an expiry. O(1). */
    public int volatileCount() {
        return expires.size();
    }

    /** Removes every key. O(N). */
    public void clear() {
        values.clear();
        expires.clear();
    }

    private void expireIfNeeded(Bytes key) {
        Long when = expires.get(key);
        if (when != null && when <= clock.millis()) {
            expires.remove(key);
            values.remove(key);
        }
    }
}
