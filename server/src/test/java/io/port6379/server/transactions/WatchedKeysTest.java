// WATCH's registry on its own, in chapter 11's order: who watches which key, and who becomes dirty when it changes.
package io.port6379.server.transactions;

import io.port6379.datastructures.Bytes;
import io.port6379.server.Client;
import io.port6379.server.CommandRunner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WatchedKeys} without sockets: clients are detached ones, and a test calls what the commands call (WATCH,
 * a write's signalModifiedKey, FLUSHDB and SWAPDB, UNWATCH). Exercise 11 is graded by this class first; the
 * behaviour through the commands, against a real Redis too, is TransactionCommandsTest's.
 */
class WatchedKeysTest {

    private final CommandRunner runner = new CommandRunner();
    private final WatchedKeys watchedKeys = WatchedKeys.of(runner.server);

    private static Bytes key(String text) {
        return Bytes.of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean dirty(Client client) {
        return Transaction.of(client).isDirty();
    }

    @Test
    void touchingAWatchedKeyMakesItsWatcherDirty() {
        Client a = runner.newClient();
        watchedKeys.watch(a, key("balance"));
        assertFalse(dirty(a));
        watchedKeys.touch(0, key("balance"));
        assertTrue(dirty(a));
    }

    @Test
    void anotherKeyOrAnotherDatabaseLeavesTheWatcherClean() {
        Client a = runner.newClient();
        watchedKeys.watch(a, key("balance"));
        watchedKeys.touch(0, key("other"));
        watchedKeys.touch(1, key("balance"));
        assertFalse(dirty(a));
    }

    @Test
    void everyWatcherOfTheKeyBecomesDirty() {
        Client a = runner.newClient();
        Client b = runner.newClient();
        Client c = runner.newClient();
        watchedKeys.watch(a, key("balance"));
        watchedKeys.watch(b, key("balance"));
        watchedKeys.watch(c, key("other"));
        watchedKeys.touch(0, key("balance"));
        assertTrue(dirty(a));
        assertTrue(dirty(b));
        assertFalse(dirty(c));
    }

    @Test
    void watchingAKeyTwiceRecordsItOnce() {
        Client a = runner.newClient();
        watchedKeys.watch(a, key("balance"));
        watchedKeys.watch(a, key("balance"));
        assertEquals(1, Transaction.of(a).watched().size());
    }

    @Test
    void aDirtyClientStopsWatching() {
        Client a = runner.newClient();
        watchedKeys.watch(a, key("balance"));
        watchedKeys.watch(a, key("limit"));
        watchedKeys.touch(0, key("balance"));
        assertEquals(0, Transaction.of(a).watched().size());
    }

    @Test
    void unwatchAllForgetsEveryKey() {
        Client a = runner.newClient();
        watchedKeys.watch(a, key("balance"));
        watchedKeys.watch(a, key("limit"));
        watchedKeys.unwatchAll(a);
        assertEquals(0, Transaction.of(a).watched().size());
        watchedKeys.touch(0, key("balance"));
        assertFalse(dirty(a));
        watchedKeys.unwatchAll(runner.newClient()); // a client that never watched: nothing to do
    }

    @Test
    void aFlushTouchesTheWatchedKeysThatExistAndOnlyThose() {
        runner.run("SET", "present", "1");
        Client a = runner.newClient();
        Client b = runner.newClient();
        watchedKeys.watch(a, key("present"));
        watchedKeys.watch(b, key("absent"));
        watchedKeys.emptied(0, null);
        assertTrue(dirty(a));
        assertFalse(dirty(b));
    }

    @Test
    void aSwapTouchesTheWatchedKeysThatWillExistAfterIt() {
        runner.run("SELECT", "1");
        runner.run("SET", "arriving", "1");
        Client a = runner.newClient();
        Client b = runner.newClient();
        watchedKeys.watch(a, key("arriving"));
        watchedKeys.watch(b, key("absent"));
        watchedKeys.emptied(0, 1);
        assertTrue(dirty(a));
        assertFalse(dirty(b));
    }

    @Test
    void noKeyExpiredSinceWatchWhileNoneHasATimeToLive() {
        runner.run("SET", "balance", "100");
        Client a = runner.newClient();
        watchedKeys.watch(a, key("balance"));
        watchedKeys.watch(a, key("absent"));
        assertFalse(watchedKeys.expiredSinceWatch(a));
    }
}
