// The one stream of effects (Redis's propagate()): what each call changed, fed to the append-only file and to replication.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.protocol.Frame;
import io.port6379.protocol.FrameDecoder;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Redis 7.0 defines "what a write means" once: {@code call()} collects the commands to propagate in
 * {@code server.also_propagate} and {@code propagatePendingCommands} hands them, wrapped in MULTI/EXEC when there
 * are several, to {@code feedAppendOnlyFile} and to {@code replicationFeedSlaves} alike. This class is that
 * collection: the dispatcher marks where a command starts, hands it over when it ran ({@link Propagation} decides
 * what to record), and commits after each call; the {@link Sink}s (the append-only file, the replication
 * backlog) receive the same commands, each tracking its own selected database (Redis's {@code aof_selected_db}
 * and {@code slaveseldb}).
 *
 * <p>It is plugged into the kernel only while at least one sink exists, so a server with {@code appendonly no}
 * and no replica pays one null check per command.
 *
 * <p>Thread-safety: every method runs under the execution lock.
 */
public final class PropagationFeed implements Concerns.Propagation {

    /** Where the propagated commands go. */
    public interface Sink {
        /**
         * One command for database {@code db}, preceded by {@code SELECT db} when the sink's selected database
         * differs; {@code db} -1 keeps the selected one (MULTI, EXEC); {@code args} null only selects.
         */
        void append(int db, byte[][] args);

        /** The end of a batch, before its replies leave: write out what was appended. */
        void beforeReplies();

        /** What was just appended ends {@code client}'s last write (Redis's {@code c->woff}, which WAIT waits for). */
        default void wroteLast(Client client) {
        }
    }

    /** A command waiting for the end of its call, with the database it ran in; some go to the replicas only. */
    private record Pending(int db, byte[][] args, boolean replicasOnly) {

        Pending(int db, byte[][] args) {
            this(db, args, false);
        }
    }

    private static final byte[][] MULTI = {Propagation.ascii("MULTI")};
    private static final byte[][] EXEC = {Propagation.ascii("EXEC")};

    private final ServerContext server;
    private final List<Pending> pending = new ArrayList<>();
    /** Blocking commands that are waiting, by client: when one is served later, its arguments say what to record. */
    private final Map<Client, byte[][]> blocked = new WeakHashMap<>();
    private AppendOnlyFile aof;
    private Sink replication;

    private PropagationFeed(ServerContext server) {
        this.server = server;
    }

    /** The feed of this server, or null while nothing consumes it. */
    public static PropagationFeed of(ServerContext server) {
        return (PropagationFeed) server.propagation();
    }

    /** The append-only file on ({@code aof}) or off (null): the feed is plugged in while any sink remains. */
    static void aof(ServerContext server, AppendOnlyFile aof) {
        PropagationFeed feed = ensure(server);
        feed.aof = aof;
        feed.unplugIfIdle();
    }

    /** The replication stream on (a backlog exists) or off (null). */
    public static void replication(ServerContext server, Sink replication) {
        PropagationFeed feed = ensure(server);
        feed.replication = replication;
        feed.unplugIfIdle();
    }

    AppendOnlyFile aof() {
        return aof;
    }

    private static PropagationFeed ensure(ServerContext server) {
        PropagationFeed feed = of(server);
        if (feed == null) {
            feed = new PropagationFeed(server);
            server.propagation(feed);
        }
        return feed;
    }

    private void unplugIfIdle() {
        if (aof == null && replication == null) {
            server.propagation(null);
        }
    }

    /** Before a command runs: a mark {@link #propagate} compares with, to see whether the command changed the data. */
    @Override
    public long mark() {
        return server.stats().dirty();
    }

    // tag::feed[]
    /**
     * After a command ran: if it changed the data since {@code mark}, what {@link Propagation} says is queued for
     * the end of the call. A blocking command that did not change anything has blocked: remember its arguments.
     */
    @Override
    public void propagate(Command command, Client client, byte[][] args, RespWriter reply, int replyStart, long mark) {
        if (command.name().equals("exec") || command.name().startsWith("eval") || command.name().startsWith("fcall")) {
            return; // its commands (a script's redis.call) were queued one by one; commit() wraps them
        }
        if (!client.propagates() || command.name().equals("debug")) {
            return; // a script's write after redis.set_repl(redis.REPL_NONE); DEBUG RELOAD's or LOADAOF's load
        }
        if (waitsUnlocked(command)) {
            return;
        }
        boolean published = publishedToReplicas(command.name());
        if (mark() == mark && !published && !alwaysPropagated(command.name())) {
            if (command.has(CommandFlag.BLOCKING)) {
                blocked.put(client, args);
            }
            return;
        }
        for (byte[][] recorded : Propagation.of(command.name(), args, client.db(), decoded(reply, replyStart))) {
            pending.add(new Pending(client.dbIndex(), recorded, published));
        }
    }

    /**
     * WAIT and SHUTDOWN wait inside their call with the execution lock released (Redis blocks the client instead and
     * finishes the call at once): the changes other clients make meanwhile move the mark, but are theirs, propagated
     * by their own calls. Recorded as well, a WAIT would reach every replica, which answers it with an error.
     */
    private static boolean waitsUnlocked(Command command) {
        return command.name().equals("wait") || command.name().equals("shutdown");
    }

    /** The end of a client's command (or transaction): its commands go to the sinks, in MULTI/EXEC if several. */
    @Override
    public void commit() {
        if (pending.isEmpty()) {
            return;
        }
        boolean transaction = pending.size() > 1;
        if (transaction) {
            append(pending.getFirst().db(), null); // Redis selects the first command's database before MULTI
            append(-1, MULTI);
        }
        for (Pending command : pending) {
            if (!command.replicasOnly()) {
                append(command.db(), command.args());
            } else if (replication != null) {
                replication.append(command.db(), command.args()); // PUBLISH: not for the AOF
            }
        }
        if (transaction) {
            append(-1, EXEC);
        }
        pending.clear();
    }

    /** As {@link #commit()}; when the call propagated anything, it is the client's last write. */
    @Override
    public void commit(Client client) {
        if (pending.isEmpty()) {
            return;
        }
        commit();
        if (replication != null) {
            replication.wroteLast(client);
        }
    }
    // end::feed[]

    /**
     * FLUSHALL and FLUSHDB are propagated even when there was nothing to delete (Redis's forceCommandPropagation
     * in {@code flushallCommand} and {@code flushdbCommand}): a replica may hold keys its master never had, and an
     * AOF must record that everything before it is gone.
     */
    private static boolean alwaysPropagated(String name) {
        return name.equals("flushall") || name.equals("flushdb");
    }

    /**
     * PUBLISH and SPUBLISH change no data, but outside cluster mode Redis replicates them (not to the AOF), so that
     * a replica's subscribers receive what is published on its master; a cluster spreads them over its bus instead.
     */
    private boolean publishedToReplicas(String name) {
        return (name.equals("publish") || name.equals("spublish")) && !server.config().flag("cluster-enabled");
    }

    /** A key of {@code keyspace} expired (lazily or in the cron) or was evicted: recorded at once as {@code DEL key}. */
    @Override
    public void expired(Keyspace keyspace, Bytes key) {
        append(server.databases().indexOf(keyspace), Propagation.command("DEL", key.array()));
    }

    /**
     * A client blocked in BLPOP & co. was served by another client's write: record its pop in its non-blocking
     * form, on the key that served it, as a unit of its own.
     */
    @Override
    public void served(Client client, int db, RespWriter reply, int replyStart) {
        byte[][] args = blocked.remove(client);
        if (args == null || reply.size() <= replyStart || reply.toByteArray()[replyStart] == '-') {
            return; // not recorded when it blocked (nothing consumed the feed), or served with an error
        }
        String name = new String(args[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (byte[][] recorded : Propagation.of(name, args, server.databases().get(db), decoded(reply, replyStart))) {
            pending.add(new Pending(db, recorded));
        }
        commit(client);
    }

    /** INFO's {@code mem_aof_buffer}: what the append-only file has yet to write. */
    @Override
    public long bufferedBytes() {
        return aof == null ? 0 : aof.bufferedBytes();
    }

    /** The end of a batch: each sink writes out what it was given (the AOF to its file, replication to replicas). */
    @Override
    public void beforeReplies() {
        if (aof != null) {
            aof.beforeReplies();
        }
        if (replication != null) {
            replication.beforeReplies();
        }
    }

    private void append(int db, byte[][] args) {
        if (aof != null) {
            aof.append(db, args);
        }
        if (replication != null) {
            replication.append(db, args);
        }
    }

    /** A reply, decoded only if a rule asks for it. */
    private static Supplier<Frame> decoded(RespWriter reply, int replyStart) {
        return () -> {
            byte[] bytes = reply.toByteArray();
            FrameDecoder decoder = new FrameDecoder();
            decoder.feed(bytes, replyStart, bytes.length - replyStart);
            try {
                return decoder.next();
            } catch (ProtocolException e) {
                throw new IllegalStateException("a command wrote an unreadable reply", e);
            }
        };
    }
}
