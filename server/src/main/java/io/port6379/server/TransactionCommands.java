// The transactions family: MULTI, EXEC, DISCARD, WATCH and UNWATCH, and queuing commands between MULTI and EXEC.
package io.port6379.server;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.util.List;
import java.util.Set;

/**
 * Redis's {@code multi.c}. Between MULTI and EXEC the {@link Dispatcher} does not run a command but hands it to
 * {@link #queue}, which answers {@code QUEUED}. EXEC then runs the queue in one go: it is itself one command, so
 * it holds the execution lock from the first queued command to the last and no other client's command can
 * come in between. There is no rollback: a command that fails at run time (WRONGTYPE) leaves its error in its
 * place in EXEC's reply, and the others still run. Only errors found while queuing (unknown command, wrong
 * number of arguments) stop the whole transaction, with EXECABORT.
 */
final class TransactionCommands {

    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    /** Commands that act at once even inside MULTI, as in Redis's processCommand. */
    private static final Set<String> NOT_QUEUED = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    private TransactionCommands() {
    }

    // tag::queue[]
    /**
     * The dispatcher's hook for a command that passed lookup and the arity check: inside MULTI it is queued,
     * answered {@code QUEUED}, and true is returned; otherwise false, and the dispatcher runs it.
     */
    static boolean queue(Client client, Command command, byte[][] args, RespWriter reply) {
        if (!client.inMulti() || NOT_QUEUED.contains(command.name())) {
            return false;
        }
        client.transaction().queue(command, args);
        reply.simpleString("QUEUED");
        return true;
    }

    /** The dispatcher refused a command before running it: inside MULTI that dooms the transaction (EXECABORT). */
    static void rejected(Client client) {
        if (client.inMulti()) {
            client.transaction().queuingFailed();
        }
    }
    // end::queue[]

    /** MULTI — starts queuing. */
    static void multi(Client client, byte[][] args, RespWriter reply) {
        if (client.inMulti()) {
            throw new RedisException("ERR MULTI calls can not be nested");
        }
        client.transaction().begin();
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
        Transaction transaction = client.transaction();
        WatchedKeys watchedKeys = client.server().watchedKeys();
        if (transaction.hasQueuingFailed()) {
            finish(client);
            throw new RedisException(EXECABORT);
        }
        if (transaction.isDirty() || watchedKeys.expiredSinceWatch(client)) {
            finish(client);
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
        finish(client);
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
        for (Transaction.Queued queued : client.transaction().queued()) {
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
        finish(client);
        Replies.ok(reply);
    }

    /** WATCH key [key ...] — EXEC will fail if any of these keys is modified before it runs. */
    static void watch(Client client, byte[][] args, RespWriter reply) {
        if (client.inMulti()) {
            throw new RedisException("ERR WATCH inside MULTI is not allowed");
        }
        for (int i = 1; i < args.length; i++) {
            client.server().watchedKeys().watch(client, Args.key(args[i]));
        }
        Replies.ok(reply);
    }

    /** UNWATCH — forgets the watched keys, and that one of them was modified. */
    static void unwatch(Client client, byte[][] args, RespWriter reply) {
        client.server().watchedKeys().unwatchAll(client);
        client.transaction().clean();
        Replies.ok(reply);
    }

    /** CLIENT LIST's {@code multi=}: commands queued since MULTI, or -1 outside MULTI. */
    static int queuedCount(Client client) {
        return client.inMulti() ? client.transaction().queued().size() : -1;
    }

    /** CLIENT LIST's {@code d} flag: a watched key was modified, the next EXEC will fail. */
    static String dirtyFlag(Client client) {
        Transaction transaction = client.existingTransaction();
        return transaction != null && transaction.isDirty() ? "d" : "";
    }

    /** The end of EXEC or DISCARD, and RESET and disconnection: out of MULTI, nothing queued or watched. */
    static void finish(Client client) {
        Transaction transaction = client.existingTransaction();
        if (transaction != null) {
            client.server().watchedKeys().unwatchAll(client);
            transaction.end();
        }
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    static void registerAll(CommandTable table) {
        table.handle("multi", TransactionCommands::multi);
        table.handle("exec", TransactionCommands::exec);
        table.handle("discard", TransactionCommands::discard);
        table.handle("watch", TransactionCommands::watch);
        table.handle("unwatch", TransactionCommands::unwatch);
    }
}
