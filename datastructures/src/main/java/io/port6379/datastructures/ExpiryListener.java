// The callback a Keyspace makes when it deletes a key because the key's time had passed.
package io.port6379.datastructures;

/**
 * Told about every key deleted by expiry, lazily (an access found it expired) or by the active cycle, after the
 * key is gone. Redis does three things at that moment, all outside this module: count it ({@code expired_keys}),
 * send the {@code expired} keyspace event, and propagate a DEL to the append-only file and replicas.
 * A key deleted by DEL, or by an EXPIRE to a time already past, is not an expiry and is not reported here.
 */
@FunctionalInterface
public interface ExpiryListener {

    /** {@code key} has just been deleted from {@code keyspace} because its expiry time had passed. */
    void expired(Keyspace keyspace, Bytes key);

    /**
     * The same, with the value the key held ({@code byte[]} for a plain string, else a {@link RedisValue}), for a
     * listener that frees big values its own way (the server's lazyfree-lazy-expire). By default, the call above.
     */
    default void expired(Keyspace keyspace, Bytes key, Object value) {
        expired(keyspace, key);
    }
}
