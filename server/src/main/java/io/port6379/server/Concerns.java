// What the kernel asks of security, pub/sub, transactions and persistence, without naming any of them.
package io.port6379.server;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.protocol.RespWriter;

import java.io.IOException;
import java.net.Socket;

/**
 * The kernel runs every connection and every command, but the rules about who may run what, what a subscribed
 * or MULTI connection may do, and where a write is recorded belong to the concerns that keep that state. The
 * kernel reaches them only through these interfaces; the composition root ({@code io.port6379.server.main})
 * plugs the real ones into the {@link ServerContext} before the first client connects.
 */
public final class Concerns {

    private Concerns() {
    }

    // tag::security[]
    /** Authentication and ACLs (the {@code security} package). */
    public interface Security {
        /** A new or RESET connection: the default user, logged in when that user needs no password. */
        void connected(Client client);

        /** Redis's {@code authRequired()}: the client must still AUTH before anything but NO_AUTH commands. */
        boolean authRequired(Client client);

        /** Why {@code client} may not run this call now (NOAUTH, NOPERM), or null when it may. */
        String refusal(Client client, Command command, byte[][] args);

        /** Protected mode: whether a connection from this socket's address is served at all. */
        boolean admits(Socket socket);

        /** The ACL user's name, for CLIENT LIST. */
        String userName(Client client);

        /** A script's client acts as the user of the client running the script: its calls pass that user's ACL. */
        void runAs(Client scriptClient, Client caller);
    }
    // end::security[]

    /** The state of a subscribed connection (the {@code pubsub} package). */
    public interface Subscriptions {
        /** Why a subscribed RESP2 client may not run {@code command}, or null. */
        String refusal(Client client, Command command);

        /** RESET and disconnection: leave every channel and pattern. */
        void reset(Client client);

        /** CLIENT LIST's {@code sub=0 psub=0 ssub=0}. */
        String counts(Client client);

        /** Whether {@code allowed} accepts every channel, shard channel and pattern the client listens on (ACL). */
        boolean allAllowed(Client client, ChannelRule allowed);
    }

    /** An ACL's verdict on one channel name, or on a pattern when {@code pattern} is true. */
    public interface ChannelRule {
        boolean allows(byte[] name, boolean pattern);
    }

    /** MULTI's queue and WATCH's keys (the {@code transactions} package). */
    public interface Transactions {
        /** Inside MULTI: queues the call, answers QUEUED and returns true; otherwise false, and the call runs. */
        boolean queued(Client client, Command command, byte[][] args, RespWriter reply);

        /** A call was refused before running: inside MULTI that dooms the transaction (EXECABORT). */
        void refused(Client client);

        /** The end of EXEC or DISCARD, RESET and disconnection: out of MULTI, nothing queued or watched. */
        void finish(Client client);

        /** CLIENT LIST's {@code multi=}: the queued commands, or -1 outside MULTI. */
        int queuedCount(Client client);

        /** CLIENT LIST's {@code d} flag: a watched key was modified, the next EXEC will fail. */
        boolean dirty(Client client);

        /** Whether a command with this flag is queued (EXEC of a transaction that writes is refused under OOM). */
        boolean queuedWith(Client client, CommandFlag flag);

        /** Whether a command without this flag is queued (EXEC of a GET is refused on a stale replica). */
        default boolean queuedWithout(Client client, CommandFlag flag) {
            return false;
        }

        /** Every command the client has queued in MULTI, in order (the cluster judges EXEC by their keys). */
        void forEachQueued(Client client, java.util.function.BiConsumer<Command, byte[][]> visitor);

        /**
         * Database {@code db} is about to be emptied by something other than a command (a replica's full sync, Redis's
         * {@code signalFlushedDb}): the watched keys that exist in it are modified.
         */
        default void flushed(ServerContext server, int db) {
        }
    }

    // tag::memory[]
    /** {@code maxmemory} and the eviction of keys (the {@code eviction} package). */
    public interface Memory {
        /**
         * Redis's {@code performEvictions}, before every command while {@code maxmemory} is set: evicts keys as the
         * policy says until the data fits; true when it still does not (the dispatcher then refuses commands that
         * may grow memory with {@code -OOM}).
         */
        boolean outOfMemory();

        /** INFO's {@code used_memory}: the bytes our data occupies, kept as it changes. */
        long usedMemory();

        /** INFO's {@code used_memory_dataset}: {@link #usedMemory} less the tables and entries holding the keys. */
        long datasetMemory();

        /** INFO's {@code mem_not_counted_for_evict}: buffers counted in {@code used_memory} but not against maxmemory. */
        long notCountedForEvict();

        /** CONFIG SET of a memory parameter (or CONFIG RESETSTAT): read them again. */
        void configure();
    }
    // end::memory[]

    /** The RDB and append-only files (the {@code persistence} package), around the server's life. */
    public interface Persistence {
        /** Before listening: load the AOF or the RDB file. */
        void load() throws IOException;

        /** The MISCONF error for running {@code command} while the data cannot be saved, or {@code null}. */
        default String refusal(Client client, Command command) {
            return null;
        }

        /** SHUTDOWN SAVE: false, and the server keeps running, when the final save failed. */
        boolean saveForShutdown();

        /** After the last command: write out and close the append-only file. */
        void close();
    }

    /**
     * Redis 7's function libraries (the {@code scripting} package): RDB files, FUNCTION DUMP and AOF rewrites carry
     * them as their code, which loads them again; and the flags a script's call counts with (CLIENT PAUSE WRITE,
     * MULTI). Reached through {@link #FUNCTIONS} on the server.
     */
    public interface Functions {
        /** Every library's code as it was loaded, shebang line included. */
        java.util.List<byte[]> codes();

        /** Loads libraries (an RDB file's); those of the same names are replaced with {@code replace}. */
        void loadAll(java.util.List<byte[]> codes, boolean replace);

        /**
         * Redis's {@code getCommandFlags}: the flags a call of {@code command} counts with. EVAL's, EVALSHA's and
         * FCALL's (and their {@code _RO} forms') follow the flags their script declared ({@code scriptFlagsToCmdFlags}:
         * a write unless {@code no-writes}, never {@code may_replicate}); any other command's are its own.
         */
        default java.util.Set<CommandFlag> commandFlags(Command command, byte[][] args) {
            return command.flags();
        }
    }

    /** Where the server keeps its {@link Functions}; empty in a context without scripting. */
    public static final Slot<Functions> FUNCTIONS = Slot.named("functions");

    // tag::propagation[]
    /**
     * What the append-only file records of each command, while {@code appendonly} is on: the dispatcher marks
     * where a command starts, hands it over when it ran, and commits after each call; the connection loop asks
     * for the file to be written before any reply leaves (so nothing acknowledged is lost).
     */
    public interface Propagation {
        long mark();

        void propagate(Command command, Client client, byte[][] args, RespWriter reply, int replyStart, long mark);

        void commit();

        /** The end of {@code client}'s command: {@link #commit()}, and what it wrote is the client's last write. */
        default void commit(Client client) {
            commit();
        }

        void expired(Keyspace keyspace, Bytes key);

        /** A blocked client was served a pop: recorded as the pop it stands for. */
        void served(Client client, int db, RespWriter reply, int replyStart);

        void beforeReplies();

        /** INFO's {@code mem_aof_buffer}: bytes waiting to be written to the file, in used_memory, not evicted for. */
        default long bufferedBytes() {
            return 0;
        }
    }
    // end::propagation[]

    // tag::replication[]
    /** Master and replica (the {@code replication} package): what a replica or a master short of replicas refuses. */
    public interface Replication {
        /**
         * Why {@code command} may not run now, or null: NOREPLICAS (too few good replicas for a write), READONLY (a
         * write sent to a read-only replica by anyone but its master), MASTERDOWN (stale data not served).
         */
        String refusal(Client client, Command command);
    }
    // end::replication[]

    // tag::tracking[]
    /**
     * Client-side caching (the {@code tracking} package): which keys each tracking client has read, and the
     * invalidation messages a change to them sends. Plugged in by the first CLIENT TRACKING ON, so a server where
     * nobody tracks pays one null check per command.
     */
    public interface Tracking {
        /** A read-only command ran: remember the keys it read for its client (Redis's trackingRememberKeys). */
        void read(Client client, Command command, byte[][] args);

        /**
         * A key changed or went away (Redis's trackingInvalidateKey, from signalModifiedKey): {@code changer} is the
         * client whose command changed it, null for the server's own deletions (expiry, eviction).
         */
        void modified(Bytes key, Client changer);

        /** Every database was emptied or replaced (Redis's trackingInvalidateKeysOnFlush): a null invalidation to all. */
        void flushedAll();

        /** After each command: invalidations for the running client follow its reply in {@code reply}. */
        void afterCommand(Client client, Command command, RespWriter reply);

        /**
         * Redis's trackingHandlePendingKeyInvalidations for a blocked client just served: the invalidations its pop
         * caused for itself follow the reply in {@code reply}.
         */
        void pendingInvalidations(Client client, RespWriter reply);

        /** RESET and disconnection: tracking off for the client. */
        void reset(Client client);

        /** CLIENT LIST's tracking flags for the client ({@code t}, {@code R}, {@code B}), or "". */
        String flags(Client client);

        /** CLIENT LIST's {@code redir}: -1 when tracking is off, else the redirection (0 for none). */
        long redirect(Client client);
    }
    // end::tracking[]

    // tag::cluster[]
    /**
     * Redis Cluster (the {@code cluster} package): which node serves the keys of a call. Reached through
     * {@link #CLUSTER} on the server, present only with {@code cluster-enabled yes}.
     */
    public interface Cluster {
        /**
         * Redis's {@code getNodeByQuery}: the redirection or error for this call ({@code MOVED 3999 127.0.0.1:6381},
         * {@code ASK ...}, {@code CROSSSLOT ...}, {@code TRYAGAIN ...}, {@code CLUSTERDOWN ...}), or null when this
         * node serves it. For EXEC it judges the queued commands together.
         */
        String refusal(Client client, Command command, byte[][] args);

        /**
         * A command {@code redis.call} runs from a script of {@code caller}'s: an error text (without a leading
         * dash) when one of its keys is not served here or, unless {@code crossSlot}, is in another slot than the
         * script's earlier keys; null when it may run.
         */
        String scriptRefusal(Client scriptClient, Client caller, Command command, byte[][] args, boolean crossSlot);

        /** CLIENT LIST's {@code r} flag: the client sent READONLY, so a replica serves it its master's slots. */
        boolean readOnly(Client client);
    }
    // end::cluster[]

    /** Where the server keeps its {@link Cluster}; empty unless cluster mode is on. */
    public static final Slot<Cluster> CLUSTER = Slot.named("cluster");
}
