// WATCH's registry: which clients watch which keys, and marking them dirty when a watched key is modified.
package io.port6379.server;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisNumbers;

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
 * <p>Where the writes are seen: the {@link Dispatcher} calls {@link #afterWrite} after every successful command
 * flagged {@code write}, with the keys its key specifications name as written; FLUSHDB, FLUSHALL and SWAPDB call
 * {@link #emptied} before they empty or swap a database. Expiry needs no hook at all: WATCH records the key's
 * expiry time, and EXEC counts a key whose time has passed since as modified, whether or not the expired key
 * has been deleted yet (Redis's {@code isWatchedKeyExpired} plus the deletion's own signal).
 *
 * <p>One deliberate difference: a write command counts as a modification of its keys even when it changed
 * nothing (SETNX on an existing key, DEL of a missing key), where Redis, which signals from inside each
 * command, would not abort. For optimistic locking that is the safe side: a needless abort only costs a retry.
 *
 * <p>Thread-safety: runs under the execution lock.
 */
final class WatchedKeys {

    /** A key of one numbered database: WATCH follows the database number, so SWAPDB affects it. */
    record Key(int db, Bytes key) {
    }

    private final ServerContext server;
    private final Map<Key, Set<Client>> watchers = new HashMap<>();

    WatchedKeys(ServerContext server) {
        this.server = server;
    }

    // tag::watch[]
    /** WATCH: remembers the key and its expiry time now (-1: none, -2: absent). O(1). */
    void watch(Client client, Bytes key) {
        Key k = new Key(client.dbIndex(), key);
        Transaction transaction = client.transaction();
        if (transaction.watched().containsKey(k)) {
            return;
        }
        transaction.watched().put(k, client.db().expireTime(key));
        watchers.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(client);
    }

    /** Whether a key watched with an expiry time has reached it since: it expired, which modifies it. O(watched). */
    boolean expiredSinceWatch(Client client) {
        long now = server.clock().millis();
        for (long expireAt : client.transaction().watched().values()) {
            if (expireAt >= 0 && expireAt <= now) {
                return true;
            }
        }
        return false;
    }

    /** Redis's {@code signalModifiedKey}: every client watching {@code key} in database {@code db} is dirty. O(watchers). */
    void touch(int db, Bytes key) {
        Set<Client> clients = watchers.get(new Key(db, key));
        if (clients != null) {
            for (Client client : List.copyOf(clients)) {
                dirty(client);
            }
        }
    }
    // end::watch[]

    /** UNWATCH, EXEC, DISCARD, RESET and disconnection: the client stops watching everything. O(watched). */
    void unwatchAll(Client client) {
        Transaction transaction = client.existingTransaction();
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

    // tag::afterWrite[]
    /**
     * The single place where writes are seen: after {@code command} (flagged {@code write}) ran without error,
     * every key its key specifications mark as written (all but {@code RO}) is touched. The writes whose keys
     * follow a count (LMPOP and ZMPOP: {@code numkeys key...}; BLMPOP and BZMPOP: {@code timeout numkeys key...},
     * Redis's "keynum" key specs) touch the keys they name. Costs one {@code isEmpty} check while nobody watches.
     */
    void afterWrite(Client client, Command command, byte[][] args) {
        if (watchers.isEmpty()) {
            return;
        }
        int db = client.dbIndex();
        if (command.keySpecs().isEmpty() && command.has(CommandFlag.MOVABLEKEYS)) {
            int numKeysIndex = command.has(CommandFlag.BLOCKING) ? 2 : 1;
            long numKeys = RedisNumbers.parseLong(args[numKeysIndex]); // the command accepted it before
            for (int i = numKeysIndex + 1; i <= numKeysIndex + numKeys && i < args.length; i++) {
                touch(db, Bytes.of(args[i]));
            }
            return;
        }
        for (Command.KeySpec spec : command.keySpecs()) {
            if (spec.flags().isEmpty() || spec.flags().get(0).equals("RO") || spec.flags().contains("not_key")) {
                continue;
            }
            int last = spec.lastKey() >= 0 ? spec.index() + spec.lastKey() : args.length + spec.lastKey();
            for (int i = spec.index(); i <= last && i < args.length; i += spec.step()) {
                touch(db, Bytes.of(args[i]));
            }
        }
        if (command.name().equals("move") && server.databases().isValid(parseDb(args[2]))) {
            touch((int) parseDb(args[2]), Bytes.of(args[1])); // the key also appears in the target database
        }
    }
    // end::afterWrite[]

    /**
     * FLUSHDB, FLUSHALL and SWAPDB, called before database {@code db} is emptied or replaced by
     * {@code replacedWith} (null for a flush): a watched key is modified if it exists now, or will exist after
     * the swap. A watched key that never existed stays untouched, as in Redis's {@code touchAllWatchedKeysInDb}.
     */
    void emptied(int db, Integer replacedWith) {
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
        client.transaction().markDirty();
        unwatchAll(client);
    }

    private static long parseDb(byte[] arg) {
        try {
            return Args.parseLong(arg);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
