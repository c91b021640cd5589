// One client's MULTI state: the queued commands, whether queuing failed, and the keys it WATCHes.
package io.port6379.server.transactions;

import io.port6379.server.Client;
import io.port6379.server.Slot;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redis keeps this in the client ({@code mstate}, {@code watched_keys} and the {@code CLIENT_MULTI},
 * {@code CLIENT_DIRTY_EXEC} and {@code CLIENT_DIRTY_CAS} flags); here it is one object, created on a client's
 * first MULTI or WATCH. Used under the execution lock.
 */
public final class Transaction {

    /** A command accepted while queuing: already looked up and arity-checked. */
    public record Queued(Command command, byte[][] args) {
    }

    /** A client's transaction: created on its first MULTI or WATCH. */
    private static final Slot<Transaction> SLOT = Slot.named("transaction", Transaction::new);

    private final List<Queued> queued = new ArrayList<>();
    /** Redis's mstate.cmd_flags: every flag a queued call counts with, a script's declared ones included. */
    private final Set<CommandFlag> queuedFlags = EnumSet.noneOf(CommandFlag.class);
    /** Redis's mstate.cmd_inv_flags: every flag some queued call lacks (EXEC of a GET on a stale replica fails). */
    private final Set<CommandFlag> lackedFlags = EnumSet.noneOf(CommandFlag.class);
    private final Map<WatchedKeys.Key, Long> watched = new LinkedHashMap<>();
    private boolean queuingFailed;
    private boolean dirty;

    /** Between MULTI and the end of EXEC or DISCARD (EXEC's own commands run with this still set, as in Redis). */
    public static Transaction of(Client client) {
        return client.get(SLOT);
    }

    /** The client's transaction, or null before its first MULTI or WATCH. */
    public static Transaction existing(Client client) {
        return client.peek(SLOT);
    }

    /** Queues a call that counts with {@code flags} (its command's, or its script's: see ServerContext#commandFlags). */
    public void queue(Command command, byte[][] args, Set<CommandFlag> flags) {
        queued.add(new Queued(command, args));
        queuedFlags.addAll(flags);
        for (CommandFlag flag : CommandFlag.values()) {
            if (!flags.contains(flag)) {
                lackedFlags.add(flag);
            }
        }
    }

    /** Whether a queued call lacks {@code flag} (EXEC may not run on a stale replica a call that may not). */
    public boolean queuedWithout(CommandFlag flag) {
        return lackedFlags.contains(flag);
    }

    /** Whether a queued call counts with {@code flag} (EXEC of a transaction that writes waits out CLIENT PAUSE WRITE). */
    public boolean queuedWith(CommandFlag flag) {
        return queuedFlags.contains(flag);
    }

    public List<Queued> queued() {
        return queued;
    }

    /** A command was rejected while queuing (unknown, wrong arity): EXEC will answer EXECABORT. */
    public void queuingFailed() {
        queuingFailed = true;
    }

    public boolean hasQueuingFailed() {
        return queuingFailed;
    }

    /** A watched key was modified: EXEC will answer a nil array. */
    void markDirty() {
        dirty = true;
    }

    public boolean isDirty() {
        return dirty;
    }

    /** UNWATCH: whatever was modified no longer matters. */
    public void clean() {
        dirty = false;
    }

    /** Each watched key with its expiry time when WATCH ran (-1: none, -2: absent). */
    Map<WatchedKeys.Key, Long> watched() {
        return watched;
    }

    /** After EXEC or DISCARD: out of MULTI, nothing queued, clean. The caller unwatches. */
    public void end() {
        queued.clear();
        queuedFlags.clear();
        lackedFlags.clear();
        queuingFailed = false;
        dirty = false;
    }
}
