// The clients blocked by BLPOP, BLMOVE, BZPOPMIN...: who waits on which key, in arrival order, and how they are served.
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
 * <p>A command that waits for something other than a key (WAIT, for replicas' acknowledgements) blocks through
 * {@link #blockForAnswer}: it counts as blocked (INFO, CLIENT LIST, CLIENT UNBLOCK), but is answered by
 * {@link #answer} from the thread that sees what it waits for, and its connection thread does not wait on the
 * execution lock meanwhile (see {@link Client#answer}).
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

    private enum State { WAITING, SERVED, TIMED_OUT, CANCELLED }

    private record Key(int db, Bytes key) {
    }

    /** One blocked client: what it waits on, until when, and how to serve it. */
    private static final class Waiter {
        final Client client;
        final Class<? extends RedisValue> type;
        final List<Key> keys;
        final long deadline;
        final RespWriter reply;
        final Retry retry;
        final Condition woken;
        /** A reader (XREAD, XREADGROUP): asked whatever became of its keys, and never in the way of the next. */
        final boolean reader;
        /** For a client answered by another thread ({@link #blockForAnswer}): what CLIENT UNBLOCK answers; else null. */
        Consumer<RespWriter> unblockedReply;
        State state = State.WAITING;
        /** The command as SLOWLOG shows it once served, and how long its first try took, in microseconds. */
        byte[][] slowLogArgs;
        long callMicros;

        Waiter(Client client, Class<? extends RedisValue> type, List<Key> keys, long deadline, RespWriter reply,
               Retry retry, Condition woken, boolean reader) {
            this.client = client;
            this.type = type;
            this.keys = keys;
            this.deadline = deadline;
            this.reply = reply;
            this.retry = retry;
            this.woken = woken;
            this.reader = reader;
        }
    }

    private final ServerContext server;
    private final Map<Key, ArrayDeque<Waiter>> waiting = new HashMap<>();
    private final Map<Long, Waiter> byClient = new HashMap<>();
    private final LinkedHashSet<Key> ready = new LinkedHashSet<>();

    BlockingKeys(ServerContext server) {
        this.server = server;
    }

    // tag::timeout[]
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
    // end::timeout[]

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

    // tag::block[]
    /**
     * Parks {@code client} on {@code keys} until one holds a non-empty {@code type} (a list or a sorted set),
     * or until {@code deadline} (0: forever); nothing is written to
     * {@code reply} now. Inside MULTI a blocking command must not block: it answers a nil array at once, as
     * Redis's {@code CLIENT_DENY_BLOCKING} does.
     */
    public void block(Client client, List<byte[]> keys, Class<? extends RedisValue> type, long deadline, RespWriter reply,
               Retry retry) {
        block(client, keys, type, deadline, reply, retry, false);
    }

    /**
     * {@link #block}, for a {@code reader} or not. A pop takes what it is served, so when one waiter finds nothing
     * the next finds nothing either; a reader (XREAD, XREADGROUP) takes nothing away, so every reader of a ready
     * key is asked, and it is asked too when its key is deleted or replaced by another type, after any write
     * (XREADGROUP then answers an error, as Redis 7.0 does).
     */
    public void block(Client client, List<byte[]> keys, Class<? extends RedisValue> type, long deadline, RespWriter reply,
               Retry retry, boolean reader) {
        if (client.inMulti()) {
            reply.nullArray();
            return;
        }
        List<Key> waitedOn = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            Key k = new Key(client.dbIndex(), Bytes.of(key));
            if (!waitedOn.contains(k)) {
                waitedOn.add(k);
            }
        }
        Waiter waiter = new Waiter(client, type, waitedOn, deadline, reply, retry,
                server.executionLock().newCondition(), reader);
        for (Key k : waitedOn) {
            waiting.computeIfAbsent(k, x -> new ArrayDeque<>()).addLast(waiter);
        }
        byClient.put(client.id(), waiter);
    }
    // end::block[]

    /** A client blocked until another thread answers it: see {@link #blockForAnswer}. */
    public static final class Pending {
        private final Waiter waiter;

        private Pending(Waiter waiter) {
            this.waiter = waiter;
        }

        public Client client() {
            return waiter.client;
        }

        /** When the wait ends without an answer, in Unix milliseconds; 0 for never. */
        public long deadline() {
            return waiter.deadline;
        }

        /** Whether the client still waits: not answered, unblocked or gone. Under the lock. */
        public boolean waiting() {
            return waiter.state == State.WAITING;
        }
    }

    // tag::answer[]
    /**
     * Blocks {@code client} until {@link #answer} gives its reply, which another thread calls (WAIT: the one that
     * reads a replica's ACK, or the cron at the deadline); CLIENT UNBLOCK answers with {@code unblockedReply}
     * instead. Nothing is written now. Unlike a waiter on keys, the client's connection thread does not wait on a
     * condition of the execution lock: the answer goes to the socket through {@link Client#answer}.
     */
    public Pending blockForAnswer(Client client, long deadline, Consumer<RespWriter> unblockedReply) {
        Waiter waiter = new Waiter(client, null, List.of(), deadline, new RespWriter(), null,
                server.executionLock().newCondition(), false); // the condition serves a connection that awaits it anyway
        waiter.unblockedReply = unblockedReply;
        byClient.put(client.id(), waiter);
        return new Pending(waiter);
    }

    /** Ends the wait of {@code pending} with the reply {@code reply} writes; false when it no longer waits. */
    public boolean answer(Pending pending, Consumer<RespWriter> reply) {
        if (!pending.waiting()) {
            return false;
        }
        reply.accept(pending.waiter.reply);
        finish(pending.waiter, State.SERVED);
        return true;
    }
    // end::answer[]

    /** Whether {@code client} is blocked by {@link #blockForAnswer}: its connection waits for {@link Client#answer}. */
    public boolean awaitsAnswer(Client client) {
        Waiter waiter = byClient.isEmpty() ? null : byClient.get(client.id());
        return waiter != null && waiter.unblockedReply != null;
    }

    /**
     * The dispatcher's bookkeeping for a command that blocked: as Redis's {@code updateStatsOnUnblock}, its
     * SLOWLOG entry is written when it is served (as the command was sent, its duration that of its first try plus
     * that of the try that served it) or when CLIENT UNBLOCK ends its wait; not on a timeout.
     */
    void slowLogWhenUnblocked(Client client, byte[][] args, long micros) {
        Waiter waiter = byClient.get(client.id());
        if (waiter != null) {
            waiter.slowLogArgs = args.clone();
            waiter.callMicros = micros;
        }
    }

    private void slowLog(Waiter waiter, byte[][] args, long servingNanos) {
        if (waiter.slowLogArgs != null) {
            server.slowLog().record(args, waiter.callMicros + servingNanos / 1000,
                    waiter.client.address(), waiter.client.name(), server.wallClock().millis());
        }
    }

    /** Whether {@code client} waits in a blocking command. O(1); asked before every command. */
    public boolean isBlocked(Client client) {
        // Usually nobody is blocked: the emptiness check spares boxing the id into a Long on every command.
        return !byClient.isEmpty() && byClient.containsKey(client.id());
    }

    /** Number of clients waiting in a blocking command, for INFO's {@code blocked_clients}. */
    public int blockedClients() {
        return byClient.size();
    }

    /** INFO's {@code clients_in_timeout_table}: blocked clients whose wait has a deadline. O(blocked clients). */
    public int blockedWithTimeout() {
        int count = 0;
        for (Waiter waiter : byClient.values()) {
            count += waiter.deadline != 0 ? 1 : 0;
        }
        return count;
    }

    /** A write created {@code key} in database {@code db}: if anybody waits on it, serve them after this command. O(1). */
    public void signal(int db, Bytes key) {
        if (waiting.isEmpty()) { // usually nobody waits: then no Key is built for the lookup
            return;
        }
        Key k = new Key(db, key);
        if (waiting.containsKey(k)) {
            ready.add(k);
        }
    }

    /**
     * The dispatcher's hook after every command: serves the keys made ready. The list and sorted-set commands
     * signal the keys they create; commands of the generic and server groups that write (RENAME, MOVE, COPY,
     * SWAPDB...) move whole values between keys and databases, so after them every waited key is checked
     * instead, which costs one lookup per waited key, and only while somebody is blocked.
     */
    void afterCommand(Command executed) {
        if (executed != null && !waiting.isEmpty() && executed.has(CommandFlag.WRITE)) {
            boolean movesValues = executed.docs().group().equals("generic") || executed.docs().group().equals("server");
            for (Map.Entry<Key, ArrayDeque<Waiter>> e : waiting.entrySet()) {
                Key k = e.getKey();
                if (movesValues && server.databases().isValid(k.db()) && server.databases().get(k.db()).exists(k.key())) {
                    ready.add(k);
                } else if (e.getValue().stream().anyMatch(w -> w.reader) && server.databases().isValid(k.db())
                        && !e.getValue().getFirst().type.isInstance(server.databases().get(k.db()).peek(k.key()))) {
                    ready.add(k); // a reader's key is gone or holds another type now
                }
            }
        }
        serveReadyKeys();
    }

    // tag::serve[]
    /**
     * Serves the waiters of every key signalled since the last call, oldest waiter first, while the key
     * exists. A waiter for another type is passed over and keeps waiting (BZPOPMIN is not woken by RPUSH), as
     * {@code serveClientsBlockedOnKey} does. Serving may make more keys ready (BLMOVE pushes), so this loops
     * until none is left. Runs under the lock.
     */
    void serveReadyKeys() {
        while (!ready.isEmpty()) {
            List<Key> keys = new ArrayList<>(ready);
            ready.clear();
            for (Key key : keys) {
                ArrayDeque<Waiter> queue = waiting.get(key);
                if (queue == null) {
                    continue;
                }
                for (Waiter waiter : new ArrayList<>(queue)) {
                    RedisValue value = server.databases().get(key.db()).get(key.key());
                    if (waiter.reader) {
                        serve(waiter, key); // it judges for itself, and what one reader takes the next still finds
                        continue;
                    }
                    if (value == null) {
                        break; // emptied and deleted: the others keep waiting
                    }
                    if (waiter.type.isInstance(value) && !serve(waiter, key)) {
                        break;
                    }
                }
            }
        }
    }
    // end::serve[]

    private boolean serve(Waiter waiter, Key key) {
        boolean served;
        long start = System.nanoTime();
        int replyStart = waiter.reply.size();
        Client caller = server.currentClient();
        Client executing = server.executingClient();
        server.currentClient(waiter.client); // as Redis: the waiter's own invalidations (BLMOVE's target) follow its reply
        server.executingClient(waiter.client);
        try {
            served = waiter.retry.serve(key.key().array(), waiter.reply);
        } catch (RedisException e) {
            waiter.reply.error(e.getMessage()); // e.g. BLMOVE whose destination became a string meanwhile
            server.stats().recordError(e.getMessage(), waiter.client.lastCommand(), false); // a failed call, as in Redis
            served = true;
        } finally {
            server.currentClient(caller);
            server.executingClient(executing);
        }
        if (served) { // the pop announced its own changes (KeyspaceEvents), as the same command run directly does
            if (server.propagation() != null) {
                server.propagation().served(waiter.client, key.db(), waiter.reply, replyStart); // as LPOP, ZPOPMIN...
            }
            slowLog(waiter, waiter.slowLogArgs, System.nanoTime() - start);
            if (server.tracking() != null) {
                server.tracking().pendingInvalidations(waiter.client, waiter.reply);
            }
            finish(waiter, State.SERVED);
        }
        return served;
    }

    private void finish(Waiter waiter, State state) {
        waiter.state = state;
        byClient.remove(waiter.client.id());
        for (Key k : waiter.keys) {
            ArrayDeque<Waiter> queue = waiting.get(k);
            if (queue != null) {
                queue.remove(waiter);
                if (queue.isEmpty()) {
                    waiting.remove(k);
                }
            }
        }
        if (waiter.unblockedReply != null && state != State.CANCELLED) {
            waiter.client.answer(waiter.reply.toByteArray());
        }
        waiter.woken.signal();
    }

    // tag::await[]
    /**
     * Called by a blocked client's connection thread: waits, without holding the execution lock, until the
     * client is served, its deadline passes (then a nil array is its reply), it is unblocked or disconnected.
     * Returns at once when the client is not blocked.
     */
    public void awaitUnblocked(Client client) throws InterruptedException {
        server.executionLock().lock();
        try {
            Waiter waiter = byClient.get(client.id());
            while (waiter != null && waiter.state == State.WAITING) {
                if (waiter.deadline == 0 || waiter.unblockedReply != null) { // an answer's deadline is its answerer's
                    waiter.woken.await();
                    continue;
                }
                long left = waiter.deadline - server.clock().millis();
                if (left <= 0) {
                    waiter.reply.nullArray();
                    finish(waiter, State.TIMED_OUT);
                } else {
                    waiter.woken.await(left, TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            server.executionLock().unlock();
        }
    }
    // end::await[]

    /**
     * CLIENT UNBLOCK: ends the wait of the client with that id as if it had timed out (a nil array) or with
     * {@value #UNBLOCKED}; false when it is not blocked.
     */
    public boolean unblock(long clientId, boolean withError) {
        Waiter waiter = byClient.get(clientId);
        if (waiter == null) {
            return false;
        }
        if (withError) {
            waiter.reply.error(UNBLOCKED);
        } else if (waiter.unblockedReply != null) {
            waiter.unblockedReply.accept(waiter.reply); // WAIT: how many replicas acknowledged so far
        } else {
            waiter.reply.nullArray();
        }
        // Redis 7.0 logs it after unblockClient has freed the command's arguments: an entry without a command
        slowLog(waiter, new byte[0][], 0);
        finish(waiter, State.TIMED_OUT);
        return true;
    }

    // tag::unblock[]
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
    // end::unblock[]

    // tag::redirect[]
    /**
     * Redis's {@code clusterRedirectBlockedClientIfNeeded}, which its clients cron runs for every blocked client:
     * a client waits on keys of one slot, so {@code judge} is asked about the first of them; an error it gives
     * (the slot moved, the cluster went down) ends the wait with that error, and the client is served no more.
     * O(blocked clients).
     */
    public void endWaitsRefused(Judge judge) {
        if (byClient.isEmpty()) {
            return;
        }
        for (Waiter waiter : new ArrayList<>(byClient.values())) {
            if (waiter.keys.isEmpty()) {
                continue; // WAIT: no key, so no slot to have moved
            }
            String error = judge.refusal(waiter.client, waiter.keys.getFirst().key().array());
            if (error != null) {
                waiter.reply.error(error);
                finish(waiter, State.TIMED_OUT);
            }
        }
    }
    // end::redirect[]

    /**
     * Redis's {@code disconnectAllBlockedClients}, when a master becomes a replica: what the clients wait for may
     * never come now, so each is told {@value #ROLE_CHANGED} and closed after that reply.
     */
    public void disconnectAll() {
        for (Waiter waiter : new ArrayList<>(byClient.values())) {
            waiter.reply.error(ROLE_CHANGED);
            waiter.client.closeAfterReply();
            finish(waiter, State.TIMED_OUT);
        }
    }

    /** The client went away: it leaves every queue, and nothing is popped for it any more. */
    public void disconnected(Client client) {
        Waiter waiter = byClient.get(client.id());
        if (waiter != null) {
            finish(waiter, State.CANCELLED);
        }
    }
}
