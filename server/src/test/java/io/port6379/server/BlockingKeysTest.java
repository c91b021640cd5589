// Blocking commands without sockets: who is served, in which order, and what ends a wait.
package io.port6379.server;

import io.port6379.server.main.Port6379;
import io.port6379.server.config.ServerConfig;
import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs commands for detached clients through {@link ServerContext#execute}, as a connection would, and reads
 * each client's reply buffer. A blocked client has an empty buffer until it is served.
 */
class BlockingKeysTest {

    private ServerContext server;
    private long nextId = 1;

    /** A detached client and the buffer its replies go to. */
    private final class Session {
        final Client client = Client.detached(nextId++, server);
        final RespWriter reply = new RespWriter();

        /** Runs a command (split on spaces) under the execution lock; returns what it wrote so far, and clears it. */
        String run(String command) {
            server.executionLock().lock();
            try {
                server.execute(client, bytes(command.split(" ")), reply);
            } finally {
                server.executionLock().unlock();
            }
            return take();
        }

        String take() {
            String text = new String(reply.toByteArray(), StandardCharsets.ISO_8859_1);
            reply.clear();
            return text;
        }

        boolean blocked() {
            server.executionLock().lock();
            try {
                return server.blockingKeys().isBlocked(client);
            } finally {
                server.executionLock().unlock();
            }
        }
    }

    private static byte[][] bytes(String[] words) {
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return args;
    }

    @BeforeEach
    void newServer() throws Exception {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
    }

    @Test
    void blpopOnAnExistingListDoesNotBlock() {
        Session a = new Session();
        a.run("RPUSH q x y");
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", a.run("BLPOP nokey q 0"));
        assertFalse(a.blocked());
    }

    @Test
    void blpopOnEmptyKeysRepliesNothingYetAndBlocks() {
        Session a = new Session();
        assertEquals("", a.run("BLPOP q 0"));
        assertTrue(a.blocked());
    }

    @Test
    void waitersOnAKeyAreServedFirstComeFirstServed() {
        Session first = new Session();
        Session second = new Session();
        Session third = new Session();
        Session producer = new Session();
        first.run("BLPOP q 0");
        second.run("BRPOP q 0");
        third.run("BLPOP q 0");
        assertEquals(":2\r\n", producer.run("RPUSH q a b"));
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\na\r\n", first.take());
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nb\r\n", second.take());
        assertEquals("", third.take());
        assertTrue(third.blocked());
        assertEquals(":0\r\n", producer.run("EXISTS q"));
        producer.run("LPUSH q c");
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nc\r\n", third.take());
    }

    @Test
    void aClientWaitingOnSeveralKeysIsServedOnceAndLeavesEveryQueue() {
        Session waiter = new Session();
        Session other = new Session();
        Session producer = new Session();
        waiter.run("BLPOP k1 k2 0");
        other.run("BLPOP k2 0");
        producer.run("RPUSH k1 a");
        assertEquals("*2\r\n$2\r\nk1\r\n$1\r\na\r\n", waiter.take());
        producer.run("RPUSH k2 b");
        assertEquals("", waiter.take());
        assertEquals("*2\r\n$2\r\nk2\r\n$1\r\nb\r\n", other.take());
    }

    @Test
    void blmoveServedByAPushMakesTheNextKeyReady() {
        Session mover = new Session();
        Session consumer = new Session();
        Session producer = new Session();
        mover.run("BLMOVE src dst LEFT RIGHT 0");
        consumer.run("BLPOP dst 0");
        producer.run("RPUSH src job");
        assertEquals("$3\r\njob\r\n", mover.take());
        assertEquals("*2\r\n$3\r\ndst\r\n$3\r\njob\r\n", consumer.take());
        assertEquals(":0\r\n", producer.run("EXISTS src dst"));
    }

    @Test
    void blmoveToADestinationThatBecameAStringGetsWrongType() {
        Session mover = new Session();
        Session producer = new Session();
        mover.run("BLMOVE src dst LEFT RIGHT 0");
        producer.run("SET dst text");
        producer.run("RPUSH src job");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", mover.take());
        assertFalse(mover.blocked());
        assertEquals(":1\r\n", producer.run("LLEN src"));
    }

    @Test
    void bzpopminIsServedByZaddWithTheLowestScore() {
        Session waiter = new Session();
        Session producer = new Session();
        waiter.run("BZPOPMIN z 0");
        producer.run("ZADD z 2 b 1 a");
        assertEquals("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", waiter.take());
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\n2\r\n", producer.run("ZRANGE z 0 -1 WITHSCORES"));
    }

    @Test
    void aWaiterForASortedSetIsNotWokenByAList() {
        Session waiter = new Session();
        Session producer = new Session();
        waiter.run("BZPOPMIN k 0");
        producer.run("RPUSH k x");
        assertEquals("", waiter.take());
        assertTrue(waiter.blocked());
        producer.run("DEL k");
        producer.run("ZADD k 1 a");
        assertEquals("*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n", waiter.take());
    }

    @Test
    void aWaiterIsServedFromTheKeyThatBecameReadyEvenIfAnEarlierKeyHoldsAnotherType() {
        Session waiter = new Session();
        Session producer = new Session();
        waiter.run("BLPOP k2 k1 0");
        producer.run("SET k2 text");
        producer.run("RPUSH k1 x");
        assertEquals("*2\r\n$2\r\nk1\r\n$1\r\nx\r\n", waiter.take());
    }

    @Test
    void servingABlockedMoveTouchesBothKeysForWatch() {
        Session watcher = new Session();
        Session mover = new Session();
        Session producer = new Session();
        watcher.run("WATCH dst");
        mover.run("BLMOVE src dst LEFT LEFT 0");
        producer.run("RPUSH src x");
        assertEquals("$1\r\nx\r\n", mover.take());
        watcher.run("MULTI");
        watcher.run("PING");
        assertEquals("*-1\r\n", watcher.run("EXEC"));
    }

    @Test
    void aWaiterOfAnotherDatabaseIsNotServed() {
        Session waiter = new Session();
        Session producer = new Session();
        waiter.run("BLPOP q 0");
        producer.run("SELECT 1");
        producer.run("RPUSH q x");
        assertEquals("", waiter.take());
        assertTrue(waiter.blocked());
    }

    @Test
    void renamingAListOntoAWaitedKeyServesTheWaiter() {
        Session waiter = new Session();
        Session producer = new Session();
        waiter.run("BLPOP q 0");
        producer.run("RPUSH staging x");
        assertEquals("+OK\r\n", producer.run("RENAME staging q"));
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", waiter.take());
    }

    @Test
    void swappingInADatabaseWhereTheKeyExistsServesTheWaiter() {
        Session waiter = new Session();
        Session producer = new Session();
        waiter.run("BLPOP q 0");
        producer.run("SELECT 1");
        producer.run("RPUSH q x");
        producer.run("SWAPDB 0 1");
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", waiter.take());
    }

    @Test
    void aTimeoutRepliesANilArray() throws InterruptedException {
        Session waiter = new Session();
        waiter.run("BLPOP q 0.05");
        long start = System.nanoTime();
        server.blockingKeys().awaitUnblocked(waiter.client);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("*-1\r\n", waiter.take());
        assertTrue(elapsedMillis >= 40 && elapsedMillis < 1000, "waited " + elapsedMillis + " ms");
        assertFalse(waiter.blocked());
    }

    @Test
    void unblockEndsTheWaitWithNilOrAnError() {
        Session a = new Session();
        Session b = new Session();
        a.run("BLPOP q 0");
        b.run("BZPOPMAX z 0");
        server.executionLock().lock();
        try {
            assertTrue(server.blockingKeys().unblock(a.client.id(), false));
            assertTrue(server.blockingKeys().unblock(b.client.id(), true));
            assertFalse(server.blockingKeys().unblock(b.client.id(), true));
        } finally {
            server.executionLock().unlock();
        }
        assertEquals("*-1\r\n", a.take());
        assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", b.take());
    }

    @Test
    void aDisconnectedWaiterIsNeverServed() {
        Session gone = new Session();
        Session next = new Session();
        Session producer = new Session();
        gone.run("BLPOP q 0");
        next.run("BLPOP q 0");
        server.executionLock().lock();
        try {
            server.blockingKeys().disconnected(gone.client);
        } finally {
            server.executionLock().unlock();
        }
        producer.run("RPUSH q x");
        assertEquals("", gone.take());
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", next.take());
    }

    @Test
    void timeoutsAreCheckedAsRedisDoes() {
        Session a = new Session();
        assertEquals("-ERR timeout is negative\r\n", a.run("BLPOP q -1"));
        assertEquals("-ERR timeout is negative\r\n", a.run("BLPOP q inf"));
        assertEquals("-ERR timeout is negative\r\n", a.run("BLPOP q 1e400"));
        assertEquals("-ERR timeout is not a float or out of range\r\n", a.run("BLPOP q nan"));
        assertEquals("-ERR timeout is not a float or out of range\r\n", a.run("BLPOP q 1s"));
        assertFalse(a.blocked());
    }
}
