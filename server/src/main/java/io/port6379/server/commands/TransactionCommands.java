// The transactions family: MULTI, EXEC, DISCARD, WATCH and UNWATCH, and queuing commands between MULTI and EXEC.
package io.port6379.server.commands;

import io.port6379.server.security.Acl;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.Dispatcher;
import io.port6379.server.util.Replies;
import io.port6379.server.transactions.Transaction;
import io.port6379.server.transactions.WatchedKeys;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.util.List;

/**
 * Redis's {@code multi.c}. Between MULTI and EXEC the {@link Dispatcher} does not run a command but hands it to
 * {@link #queue}, which answers {@code QUEUED}. EXEC then runs the queue in one go: it is itself one command, so
 * it holds the execution lock from the first queued command to the last and no other client's command can
 * come in between. There is no rollback: a command that fails at run time (WRONGTYPE) leaves its error in its
 * place in EXEC's reply, and the others still run. Only errors found while queuing (unknown command, wrong
 * number of arguments) stop the whole transaction, with EXECABORT.
 */
public final class TransactionCommands {

    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private TransactionCommands() {
    }

    /** MULTI — starts queuing. */
    static void multi(Client client, byte[][] args, RespWriter reply) {
        if (client.inMulti()) {
            throw new RedisException("ERR MULTI calls can not be nested");
        }
        Transaction.of(client); // from now on WATCH's keys and the queue live with the client
        client.inMulti(true);
        Replies.ok(reply);
    }

    // tag::exec[]
    /**
     * EXEC — EXECABORT if queuing failed; a nil array if a watched key was modified (the optimistic lock
     * failed, nothing runs); otherwise an array with every queued command's reply, errors in place.
     */
    static void exec(Client client, byte[][] args, RespWriter reply) {
        if (!client.inMulti()) {
            throw new RedisException("ERR EXEC without MULTI");
        }
        Transaction transaction = Transaction.of(client);
        WatchedKeys watchedKeys = WatchedKeys.of(client.server());
        if (transaction.hasQueuingFailed()) {
            client.server().transactions().finish(client);
            throw new RedisException(EXECABORT);
        }
        if (transaction.isDirty() || watchedKeys.expiredSinceWatch(client)) {
            client.server().transactions().finish(client);
            reply.nullArray();
            return;
        }
        watchedKeys.unwatchAll(client); // our own writes below must not make anything dirty
        List<Transaction.Queued> queued = List.copyOf(transaction.queued());
        reply.arrayHeader(queued.size());
        Dispatcher dispatcher = client.server().dispatcher();
        for (Transaction.Queued command : queued) {
            String denied = Acl.refusalAtExec(client, command.command(), command.args()); // rules may have changed
            if (denied != null) {
                reply.error(denied);
            } else {
                dispatcher.call(command.command(), client, command.args(), reply); // inMulti() stays true: no blocking
            }
        }
        client.server().transactions().finish(client);
    }
    // end::exec[]

    /**
     * Whether {@code value} is one of the arguments of the transaction {@code client} is executing: SET and the
     * commands like it store their argument itself, and Redis keeps a transaction's queued arguments until EXEC
     * ends, so OBJECT REFCOUNT counts them. O(arguments queued).
     */
    static boolean holdsArgument(Client client, byte[] value) {
        if (!client.inMulti()) {
            return false;
        }
        for (Transaction.Queued queued : Transaction.of(client).queued()) {
            for (byte[] arg : queued.args()) {
                if (arg == value) {
                    return true;
                }
            }
        }
        return false;
    }

    /** DISCARD — drops the queue and the watches. */
    static void discard(Client client, byte[][] args, RespWriter reply) {
        if (!client.inMulti()) {
            throw new RedisException("ERR DISCARD without MULTI");
        }
        client.server().transactions().finish(client);
        Replies.ok(reply);
    }

    /** WATCH key [key ...] — EXEC will fail if any of these keys is modified before it runs. */
    static void watch(Client client, byte[][] args, RespWriter reply) {
        if (client.inMulti()) {
            throw new RedisException("ERR WATCH inside MULTI is not allowed");
        }
        for (int i = 1; i < args.length; i++) {
            WatchedKeys.of(client.server()).watch(client, Args.key(args[i]));
        }
        Replies.ok(reply);
    }

    /** UNWATCH — forgets the watched keys, and that one of them was modified. */
    static void unwatch(Client client, byte[][] args, RespWriter reply) {
        WatchedKeys.of(client.server()).unwatchAll(client);
        Transaction.of(client).clean();
        Replies.ok(reply);
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("multi", TransactionCommands::multi);
        table.handle("exec", TransactionCommands::exec);
        table.handle("discard", TransactionCommands::discard);
        table.handle("watch", TransactionCommands::watch);
        table.handle("unwatch", TransactionCommands::unwatch);
    }
}
