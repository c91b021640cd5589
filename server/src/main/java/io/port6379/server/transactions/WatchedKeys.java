// WATCH's registry: which clients watch which keys, and marking them dirty when a watched key is modified.
package io.port6379.server.transactions;

import io.port6379.server.Slot;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redis's {@code watched_keys}: optimistic locking. WATCH costs nothing until somebody writes: a write looks
 * up the keys it touched here and marks their watchers <em>dirty</em>; a dirty client's EXEC replies a nil
 * array and runs nothing. The client then reads again and retries.
 *
 * <p>Where the writes are seen: each write command calls {@link #touch} (through
 * {@link KeyspaceEvents#signalModifiedKey}) for the keys it really changed, at the point where Redis calls
 * {@code signalModifiedKey}, so a write that changes nothing (SETNX on an existing key, DEL of a missing key)
 * leaves EXEC alone, as in Redis. FLUSHDB, FLUSHALL and SWAPDB call {@link #emptied} before they empty or swap a
 * database. Expiry is seen twice: WATCH records the key's expiry time, and EXEC counts a key whose time has
 * passed since as modified even if nobody has deleted it yet (Redis's {@code isWatchedKeyExpired}); the
 * deletion itself signals too.
 *
 * <p>Thread-safety: runs under the execution lock.
 */
public final class WatchedKeys {

    /** A key of one numbered database: WATCH follows the database number, so SWAPDB affects it. */
    record Key(int db, Bytes key) {
    }

    private final ServerContext server;
    private final Map<Key, Set<Client>> watchers = new HashMap<>();

    private static final Slot<WatchedKeys> SLOT = Slot.named("watched-keys");

    /** Who watches which key on this server. */
    public static WatchedKeys of(ServerContext server) {
        return server.get(SLOT);
    }

    public static WatchedKeys install(ServerContext server) {
        WatchedKeys watchedKeys = new WatchedKeys(server);
        server.set(SLOT, watchedKeys);
        return watchedKeys;
    }

    private WatchedKeys(ServerContext server) {
        this.server = server;
    }

    // tag::watch[]
    /** WATCH: remembers the key and its expiry time now (-1: none, -2: absent). O(1). */
    public void watch(Client client, Bytes key) {
        Key k = new Key(client.dbIndex(), key);
        Transaction transaction = Transaction.of(client);
        if (transaction.watched().containsKey(k)) {
            return;
        }
        transaction.watched().put(k, client.db().expireTime(key));
        watchers.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(client);
    }

    /** Whether a key watched with an expiry time has reached it since: it expired, which modifies it. O(watched). */
    public boolean expiredSinceWatch(Client client) {
        long now = server.clock().millis();
        for (long expireAt : Transaction.of(client).watched().values()) {
            if (expireAt >= 0 && expireAt <= now) {
                return true;
            }
        }
        return false;
    }

    /** Redis's {@code signalModifiedKey}: every client watching {@code key} in database {@code db} is dirty. O(watchers). */
    public void touch(int db, Bytes key) {
        if (watchers.isEmpty()) {
            return; // the common case costs no allocation
        }
        Set<Client> clients = watchers.get(new Key(db, key));
        if (clients != null) {
            for (Client client : List.copyOf(clients)) {
                dirty(client);
            }
        }
    }
    // end::watch[]

    /** UNWATCH, EXEC, DISCARD, RESET and disconnection: the client stops watching everything. O(watched). */
    public void unwatchAll(Client client) {
        Transaction transaction = Transaction.existing(client);
        if (transaction == null || transaction.watched().isEmpty()) {
            return;
        }
        for (Key k : transaction.watched().keySet()) {
            Set<Client> clients = watchers.get(k);
            clients.remove(client);
            if (clients.isEmpty()) {
                watchers.remove(k);
            }
        }
        transaction.watched().clear();
    }

    /**
     * FLUSHDB, FLUSHALL and SWAPDB, called before database {@code db} is emptied or replaced by
     * {@code replacedWith} (null for a flush): a watched key is modified if it exists now, or will exist after
     * the swap. A watched key that never existed stays untouched, as in Redis's {@code touchAllWatchedKeysInDb}.
     */
    public void emptied(int db, Integer replacedWith) {
        if (watchers.isEmpty()) {
            return;
        }
        Keyspace keyspace = server.databases().get(db);
        Keyspace other = replacedWith == null ? null : server.databases().get(replacedWith);
        touchWhere(db, k -> keyspace.exists(k) || (other != null && other.exists(k)));
    }

    /** Touches every watched key of {@code db} that satisfies {@code modified}. O(watched keys). */
    private void touchWhere(int db, java.util.function.Predicate<Bytes> modified) {
        List<Client> dirty = new ArrayList<>();
        for (Map.Entry<Key, Set<Client>> entry : watchers.entrySet()) {
            if (entry.getKey().db() == db && modified.test(entry.getKey().key())) {
                dirty.addAll(entry.getValue());
            }
        }
        dirty.forEach(this::dirty);
    }

    /** Redis's CLIENT_DIRTY_CAS. The client's watches are dropped at once: touching it again would change nothing. */
    private void dirty(Client client) {
        Transaction.of(client).markDirty();
        unwatchAll(client);
    }
}
