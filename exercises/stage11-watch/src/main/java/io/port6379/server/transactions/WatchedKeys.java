// Exercise 11: your WATCH registry, the optimistic lock of transactions. It replaces the reference
// io.port6379.server.transactions.WatchedKeys, under the reference MULTI/EXEC. Check it with `exercises/check 11`;
// talk to it with `exercises/run-server 11 --port 6380` and two redis-cli (WATCH, MULTI, a SET from the other
// one, EXEC answers a nil array).
//
// What to build, in the order the tests check it (chapter 11, "WATCH"):
//  1. watch(): a key is the database number and the key (Key; SWAPDB moves watches with the number). Record it in
//     the client's Transaction.of(client).watched() with the key's expiry time now (client.db().expireTime(key):
//     -1 none, -2 absent) and add the client to the key's watchers here. Watching a key twice changes nothing.
//  2. touch(): Redis's signalModifiedKey, called for every key a write really changed: every client watching it
//     is dirty (Transaction.of(client).markDirty()) and stops watching everything. Keep it free when nobody
//     watches: it runs on every write.
//  3. expiredSinceWatch(): EXEC asks it; true when a key watched with an expiry time has reached that time
//     (server.clock().millis()), even if nobody has deleted the key yet (Redis's isWatchedKeyExpired).
//  4. unwatchAll(): UNWATCH, EXEC, DISCARD, RESET and disconnection; Transaction.existing(client) is null for a
//     client that never watched. Remove the client from every key's watchers, and the key when nobody is left.
//  5. emptied(): FLUSHDB, FLUSHALL, SWAPDB: a watched key of that database is modified when it exists now, or
//     will exist after the swap (in the database `replacedWith`); a key that never existed stays untouched.
// Given: of(), install() and the constructor (the registry lives in a Slot of the server).
// Tests: server/src/test/java/io/port6379/server/transactions/WatchedKeysTest.java (the registry without a socket),
// then server/src/test/java/io/port6379/server/TransactionCommandsTest.java (through the commands, against real
// redis-server too) and TransactionProperties.java.
// The reference solution is server/src/main/java/io/port6379/server/transactions/WatchedKeys.java.
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

    /** WATCH: remembers the key and its expiry time now (-1: none, -2: absent). O(1). */
    public void watch(Client client, Bytes key) {
        throw new UnsupportedOperationException("exercise 11: watch()");
    }

    /** Whether a key watched with an expiry time has reached it since: it expired, which modifies it. O(watched). */
    public boolean expiredSinceWatch(Client client) {
        throw new UnsupportedOperationException("exercise 11: expiredSinceWatch()");
    }

    /** Redis's {@code signalModifiedKey}: every client watching {@code key} in database {@code db} is dirty. O(watchers). */
    public void touch(int db, Bytes key) {
        throw new UnsupportedOperationException("exercise 11: touch()");
    }

    /** UNWATCH, EXEC, DISCARD, RESET and disconnection: the client stops watching everything. O(watched). */
    public void unwatchAll(Client client) {
        throw new UnsupportedOperationException("exercise 11: unwatchAll()");
    }

    /**
     * FLUSHDB, FLUSHALL and SWAPDB, called before database {@code db} is emptied or replaced by
     * {@code replacedWith} (null for a flush): a watched key is modified if it exists now, or will exist after
     * the swap. A watched key that never existed stays untouched, as in Redis's {@code touchAllWatchedKeysInDb}.
     */
    public void emptied(int db, Integer replacedWith) {
        throw new UnsupportedOperationException("exercise 11: emptied()");
    }

}
