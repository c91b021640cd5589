// MULTI's rules for the dispatcher: what is queued instead of run, what dooms a transaction, and how one ends.
package io.port6379.server.transactions;

import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;

import java.util.Set;

/**
 * Redis's {@code multi.c} as the kernel sees it: between MULTI and EXEC the dispatcher does not run a command
 * but asks {@link #queued}, which queues it in the client's {@link Transaction} and answers {@code QUEUED}. The
 * commands themselves (MULTI, EXEC, DISCARD, WATCH) are the transaction family's.
 */
public final class MultiExec implements Concerns.Transactions {

    /** Commands that act at once even inside MULTI, as in Redis's processCommand. */
    private static final Set<String> NOT_QUEUED = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    // tag::queue[]
    /**
     * The dispatcher's hook for a command that passed lookup and the arity check: inside MULTI it is queued,
     * answered {@code QUEUED}, and true is returned; otherwise false, and the dispatcher runs it.
     */
    @Override
    public boolean queued(Client client, Command command, byte[][] args, RespWriter reply) {
        if (!client.inMulti() || NOT_QUEUED.contains(command.name())) {
            return false;
        }
        Transaction.of(client).queue(command, args, client.server().commandFlags(command, args));
        reply.simpleString("QUEUED");
        return true;
    }

    /** The dispatcher refused a command before running it: inside MULTI that dooms the transaction (EXECABORT). */
    @Override
    public void refused(Client client) {
        if (client.inMulti()) {
            Transaction.of(client).queuingFailed();
        }
    }
    // end::queue[]

    /** The end of EXEC or DISCARD, and RESET and disconnection: out of MULTI, nothing queued or watched. */
    @Override
    public void finish(Client client) {
        Transaction transaction = Transaction.existing(client);
        if (transaction != null) {
            WatchedKeys.of(client.server()).unwatchAll(client);
            transaction.end();
        }
        client.inMulti(false);
    }

    /** CLIENT LIST's {@code multi=}: commands queued since MULTI, or -1 outside MULTI. */
    @Override
    public int queuedCount(Client client) {
        return client.inMulti() ? Transaction.of(client).queued().size() : -1;
    }

    @Override
    public void flushed(io.port6379.server.ServerContext server, int db) {
        WatchedKeys.of(server).emptied(db, null);
    }

    @Override
    public boolean queuedWith(Client client, CommandFlag flag) {
        Transaction transaction = Transaction.existing(client);
        return transaction != null && transaction.queuedWith(flag);
    }

    @Override
    public boolean queuedWithout(Client client, CommandFlag flag) {
        Transaction transaction = Transaction.existing(client);
        return transaction != null && transaction.queuedWithout(flag);
    }

    @Override
    public void forEachQueued(Client client, java.util.function.BiConsumer<Command, byte[][]> visitor) {
        Transaction transaction = Transaction.existing(client);
        if (transaction != null) {
            transaction.queued().forEach(q -> visitor.accept(q.command(), q.args()));
        }
    }

    @Override
    public boolean dirty(Client client) {
        Transaction transaction = Transaction.existing(client);
        return transaction != null && transaction.isDirty();
    }
}
