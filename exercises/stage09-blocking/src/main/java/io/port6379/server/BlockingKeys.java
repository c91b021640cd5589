// Exercise 09: your blocking keys, behind BLPOP, BRPOP, BLMOVE, BLMPOP, BZPOPMIN, BZMPOP and XREAD BLOCK. It
// replaces the reference io.port6379.server.BlockingKeys. Check it with `exercises/check 09`; talk to it with
// `exercises/run-server 09 --port 6380` and two redis-cli (one runs BLPOP q 0, the other RPUSH q a).
//
// What to build, in the order the tests check it (chapter 09):
//  1. block(): the command's non-blocking twin found every key empty. Inside MULTI answer a nil array at once and
//     do not block (CLIENT_DENY_BLOCKING). Otherwise the client joins one FIFO queue per distinct key (keyed by
//     database and key), remembered by client id too; its reply stays unwritten. Make one Condition per waiter
//     with server.executionLock().newCondition().
//  2. signal() marks a waited key ready (cheaply: usually nobody waits). afterCommand(), the dispatcher's hook
//     after every command: when the command was a WRITE of the "generic" or "server" group (RENAME, MOVE, COPY,
//     SWAPDB move whole values: executed.docs().group()), mark every waited key that now exists ready; then
//     serveReadyKeys().
//  3. serveReadyKeys(): for each ready key, its waiters oldest first, while the key exists: a waiter for another
//     type is passed over and keeps waiting (RPUSH does not wake BZPOPMIN); otherwise run its Retry; a Retry
//     that throws a RedisException has its message written as an error reply and counts as served; when a
//     Retry finds nothing, stop serving that key. Serving may make more keys ready (BLMOVE pushes): loop until
//     none is. A served waiter leaves every queue exactly once, server.propagation().served(...) (when
//     propagation is not null) tells the AOF what the pop did, and its thread is woken.
//     Readers (block(..., reader = true), XREAD) take nothing away: every reader of a ready key is asked, and
//     also when its key was deleted or replaced by another type by any write (see block's comment).
//  4. awaitUnblocked(): the blocked client's own thread takes the execution lock and waits on its Condition (which
//     releases the lock) until it is served, unblocked or cancelled, or its deadline passes: then the reply is a
//     nil array and it leaves its queues. A deadline of 0 waits forever; server.clock() gives the time.
//  5. unblock() (CLIENT UNBLOCK: a nil array, or the error UNBLOCKED), disconnected() (leave every queue, nothing
//     is popped for a gone client), isBlocked(), blockedClients(), blockedWithTimeout() for INFO.
// Given: the constructor, deadline() (the timeout argument's arithmetic) and clientUnblock() (CLIENT UNBLOCK's
// arguments). Every method but awaitUnblocked runs with the execution lock held.
// Tests: server/src/test/java/io/port6379/server/BlockingKeysTest.java, BlockingCommandsTest.java (against real
// redis-server too) and BlockingFairnessProperties.java.
// The reference solution is server/src/main/java/io/port6379/server/BlockingKeys.java.
package io.port6379.server;

import io.port6379.server.util.Args;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisValue;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Redis's {@code blocking.c}, for a server whose commands run one at a time under an execution lock.
 *
 * <p>A blocking command first tries its non-blocking twin. When every key is empty it calls {@link #block}:
 * the client joins a FIFO queue per key and the command writes no reply yet. Its connection thread then calls
 * {@link #awaitUnblocked}, which waits on a {@link Condition} of the execution lock, so the lock is released
 * for everybody else while the client waits.
 *
 * <p>A write that creates a list or sorted set {@linkplain #signal signals} the key. After every command the
 * dispatcher calls {@link #serveReadyKeys}: for each ready key, the waiters are served first come, first
 * served, by re-running their pop ({@link Retry}) under the lock, right after the command that made the key
 * ready and before any other command (as {@code handleClientsBlockedOnKeys} does). The reply is written into
 * the waiter's buffer and its thread is woken to send it. Timeouts, CLIENT UNBLOCK and disconnection end the
 * wait the same way: under the lock, the waiter leaves every queue exactly once.
 *
 * <p>Thread-safety: every method except {@link #awaitUnblocked} is called with the execution lock held.
 */
public final class BlockingKeys {

    static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
    /** What {@link #disconnectAll} answers, as Redis's {@code disconnectAllBlockedClients}. */
    static final String ROLE_CHANGED =
            "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";

    /** A blocked command's second try, run under the lock when a key it waits on holds the type it pops. */
    @FunctionalInterface
    public interface Retry {
        /** Pops from {@code key}: writes the reply and returns true, or writes nothing and returns false. */
        boolean serve(byte[] key, RespWriter reply);
    }

    /** Judges a blocked client in cluster mode: the error that ends its wait on {@code key}, or null. */
    @FunctionalInterface
    public interface Judge {
        String refusal(Client client, byte[] key);
    }

    private final ServerContext server;

    BlockingKeys(ServerContext server) {
        this.server = server;
    }

    // What strtold accepts in Redis's getLongDoubleFromObject: a decimal or hexadecimal number or inf, whole.
    private static final Pattern LONG_DOUBLE = Pattern.compile(
            "[+-]?(?:inf(?:inity)?|0x(?:\\p{XDigit}+\\.?\\p{XDigit}*|\\.\\p{XDigit}+)(?:p[+-]?\\d+)?"
                    + "|(?:\\d+\\.?\\d*|\\.\\d+)(?:e[+-]?\\d+)?)", Pattern.CASE_INSENSITIVE);

    /**
     * A blocking command's timeout in seconds (fractions allowed) as an absolute deadline in Unix milliseconds,
     * or 0 for "forever", as {@code getTimeoutFromObjectOrReply} since Redis 7.0.8: a long double times 1000,
     * rounded up to a whole millisecond, so 0.0001 waits 1 ms while -0.0001 rounds to 0 (forever); an infinite or
     * huge value wraps to a negative one. (Redis computes in long double; doubles differ only for timeouts within
     * 2^-53 of 2^63 ms.)
     */
    public static long deadline(Client client, byte[] timeout) {
        String text = new String(timeout, StandardCharsets.ISO_8859_1);
        if (!LONG_DOUBLE.matcher(text).matches()) {
            throw new RedisException("ERR timeout is not a float or out of range");
        }
        double seconds = RedisNumbers.isDouble(timeout) ? RedisNumbers.parseDouble(timeout) : beyondDouble(text);
        double millis = Math.ceil(tinyButNotZero(seconds, text) * 1000.0);
        if (millis < 0 || millis >= 0x1p63) {
            throw new RedisException("ERR timeout is negative");
        }
        long relative = (long) millis;
        long now = client.server().clock().millis();
        if (relative == 0) {
            return 0;
        }
        return relative > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + relative; // 7.0 has no "out of range" check
    }

    /**
     * 1e-400 is 0 as a double but not as Redis's long double, and rounds up to 1 ms there: keep it a tiny number
     * of its sign, so that the rounding up sees it.
     */
    private static double tinyButNotZero(double seconds, String text) {
        if (seconds != 0.0) {
            return seconds;
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean hex = lower.contains("0x");
        String mantissa = lower.split(hex ? "p" : "e")[0].replace("0x", "");
        boolean nonZero = mantissa.chars().anyMatch(c -> c != '0' && c != '.' && c != '+' && c != '-');
        return nonZero ? Math.copySign(Double.MIN_VALUE, lower.startsWith("-") ? -1.0 : 1.0) : seconds;
    }

    /** A number strtold reads but a double cannot hold (1e400, 1e-400): only its magnitude matters here. */
    private static double beyondDouble(String text) {
        try {
            return Double.parseDouble(text); // Infinity or 0.0
        } catch (NumberFormatException e) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * Parks {@code client} on {@code keys} until one holds a non-empty {@code type} (a list or a sorted set),
     * or until {@code deadline} (0: forever); nothing is written to
     * {@code reply} now. Inside MULTI a blocking command must not block: it answers a nil array at once, as
     * Redis's {@code CLIENT_DENY_BLOCKING} does.
     */
    public void block(Client client, List<byte[]> keys, Class<? extends RedisValue> type, long deadline, RespWriter reply,
               Retry retry) {
        throw new UnsupportedOperationException("exercise 09: block()");
    }

    /**
     * {@link #block}, for a {@code reader} or not. A pop takes what it is served, so when one waiter finds nothing
     * the next finds nothing either; a reader (XREAD, XREADGROUP) takes nothing away, so every reader of a ready
     * key is asked, and it is asked too when its key is deleted or replaced by another type, after any write
     * (XREADGROUP then answers an error, as Redis 7.0 does).
     */
    public void block(Client client, List<byte[]> keys, Class<? extends RedisValue> type, long deadline, RespWriter reply,
               Retry retry, boolean reader) {
        throw new UnsupportedOperationException("exercise 09: block()");
    }

    /** A client blocked until another thread answers it: see {@link #blockForAnswer}. */
    public static final class Pending {
        private Pending() {
        }

        public Client client() {
            throw new UnsupportedOperationException("exercise 09 (optional, for WAIT): Pending.client()");
        }

        /** When the wait ends without an answer, in Unix milliseconds; 0 for never. */
        public long deadline() {
            throw new UnsupportedOperationException("exercise 09 (optional, for WAIT): Pending.deadline()");
        }

        /** Whether the client still waits: not answered, unblocked or gone. Under the lock. */
        public boolean waiting() {
            throw new UnsupportedOperationException("exercise 09 (optional, for WAIT): Pending.waiting()");
        }
    }

    // Optional, for WAIT (chapter 20): a client blocked until another thread answers it. It counts as blocked
    // (isBlocked, blockedClients, CLIENT UNBLOCK answers it with unblockedReply), has no key, and its answer is
    // given to client.answer(bytes) by finish, besides waking its condition.
    /**
     * Blocks {@code client} until {@link #answer} gives its reply, which another thread calls; CLIENT UNBLOCK
     * answers with {@code unblockedReply} instead. Nothing is written now.
     */
    public Pending blockForAnswer(Client client, long deadline, Consumer<RespWriter> unblockedReply) {
        throw new UnsupportedOperationException("exercise 09 (optional, for WAIT): blockForAnswer()");
    }

    /** Ends the wait of {@code pending} with the reply {@code reply} writes; false when it no longer waits. */
    public boolean answer(Pending pending, Consumer<RespWriter> reply) {
        throw new UnsupportedOperationException("exercise 09 (optional, for WAIT): answer()");
    }

    // Given: the connection asks it of every client that blocked; false until blockForAnswer is written.
    /** Whether {@code client} is blocked by {@link #blockForAnswer}: its connection waits for {@link Client#answer}. */
    public boolean awaitsAnswer(Client client) {
        return false;
    }

    // Given, and optional: the reference keeps a blocked command's SLOWLOG entry until the command is served (as
    // sent, with the time of both tries) or CLIENT UNBLOCK ends its wait; here such a command is not logged.
    void slowLogWhenUnblocked(Client client, byte[][] args, long micros) {
    }

    /** Whether {@code client} waits in a blocking command. O(1); asked before every command. */
    public boolean isBlocked(Client client) {
        throw new UnsupportedOperationException("exercise 09: isBlocked()");
    }

    /** Number of clients waiting in a blocking command, for INFO's {@code blocked_clients}. */
    public int blockedClients() {
        throw new UnsupportedOperationException("exercise 09: blockedClients()");
    }

    /** INFO's {@code clients_in_timeout_table}: blocked clients whose wait has a deadline. O(blocked clients). */
    public int blockedWithTimeout() {
        throw new UnsupportedOperationException("exercise 09: blockedWithTimeout()");
    }

    /** A write created {@code key} in database {@code db}: if anybody waits on it, serve them after this command. O(1). */
    public void signal(int db, Bytes key) {
        throw new UnsupportedOperationException("exercise 09: signal()");
    }

    /**
     * The dispatcher's hook after every command: serves the keys made ready. The list and sorted-set commands
     * signal the keys they create; commands of the generic and server groups that write (RENAME, MOVE, COPY,
     * SWAPDB...) move whole values between keys and databases, so after them every waited key is checked
     * instead, which costs one lookup per waited key, and only while somebody is blocked.
     */
    void afterCommand(Command executed) {
        throw new UnsupportedOperationException("exercise 09: afterCommand()");
    }

    /**
     * Serves the waiters of every key signalled since the last call, oldest waiter first, while the key
     * exists. A waiter for another type is passed over and keeps waiting (BZPOPMIN is not woken by RPUSH), as
     * {@code serveClientsBlockedOnKey} does. Serving may make more keys ready (BLMOVE pushes), so this loops
     * until none is left. Runs under the lock.
     */
    void serveReadyKeys() {
        throw new UnsupportedOperationException("exercise 09: serveReadyKeys()");
    }

    /**
     * Called by a blocked client's connection thread: waits, without holding the execution lock, until the
     * client is served, its deadline passes (then a nil array is its reply), it is unblocked or disconnected.
     * Returns at once when the client is not blocked.
     */
    public void awaitUnblocked(Client client) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 09: awaitUnblocked()");
    }

    /**
     * CLIENT UNBLOCK: ends the wait of the client with that id as if it had timed out (a nil array) or with
     * {@value #UNBLOCKED}; false when it is not blocked.
     */
    public boolean unblock(long clientId, boolean withError) {
        throw new UnsupportedOperationException("exercise 09: unblock()");
    }

    /** CLIENT UNBLOCK client-id [TIMEOUT|ERROR] — 1 when that client was blocked and is now released. */
    public static void clientUnblock(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 4) {
            throw new RedisException("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
                    + "'. Try CLIENT HELP.");
        }
        long id = Args.parseLong(args[2]);
        boolean withError = false;
        if (args.length == 4) {
            if (Args.is(args[3], "error")) {
                withError = true;
            } else if (!Args.is(args[3], "timeout")) {
                throw new RedisException("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        reply.integer(client.server().blockingKeys().unblock(id, withError) ? 1 : 0);
    }

    /**
     * Redis's {@code clusterRedirectBlockedClientIfNeeded}, which its clients cron runs for every blocked client:
     * a client waits on keys of one slot, so {@code judge} is asked about the first of them; an error it gives
     * (the slot moved, the cluster went down) ends the wait with that error, and the client is served no more.
     * O(blocked clients).
     */
    public void endWaitsRefused(Judge judge) {
        throw new UnsupportedOperationException("exercise 09: endWaitsRefused()");
    }

    /**
     * Redis's {@code disconnectAllBlockedClients}, when a master becomes a replica: what the clients wait for may
     * never come now, so each is told {@value #ROLE_CHANGED} and closed after that reply.
     */
    public void disconnectAll() {
        throw new UnsupportedOperationException("exercise 09: disconnectAll()");
    }

    /** The client went away: it leaves every queue, and nothing is popped for it any more. */
    public void disconnected(Client client) {
        throw new UnsupportedOperationException("exercise 09: disconnected()");
    }
}
