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
}
