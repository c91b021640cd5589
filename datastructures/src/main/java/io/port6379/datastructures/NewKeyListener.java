// The callback a Keyspace makes when a key that did not exist is added (Redis's dbAdd).
package io.port6379.datastructures;

/**
 * Told about every key added to a keyspace where it did not exist, after it is stored: SET of a new key, the
 * first LPUSH, RENAME's and COPY's destination (which Redis deletes and adds again even when it existed).
 * Overwriting an existing key's value is not an addition. The server sends the {@code new} keyspace event
 * ({@code notify-keyspace-events} class {@code n}) from here, before the command's own event, as Redis does.
 */
@FunctionalInterface
public interface NewKeyListener {

    /** {@code key} has just been added to {@code keyspace}. */
    void added(Keyspace keyspace, Bytes key);
}
