// The server's view of one connected client: its identity and the per-connection state commands change.
package io.port6379.server;

import io.port6379.datastructures.Keyspace;

/**
 * Per-connection state: id, name, selected database, protocol version, reply mode and flags.
 *
 * <p>Thread-safety: commands read and change a client only while holding the execution lock (see
 * {@code network.RedisServer}), and so does the connection's own thread between batches. {@link #push} and
 * {@link #kill} may be called by any thread; they go through the client's {@link Channel}.
 */
public final class Client {

    /** CLIENT REPLY's modes. SKIP_NEXT becomes SKIP for exactly the next command. */
    public enum ReplyMode { ON, OFF, SKIP_NEXT, SKIP }

    /** The client's way out: messages it did not ask for (MONITOR, later pub/sub), and closing it from outside. */
    public interface Channel {
        /** Queues bytes that are written to the client independently of any reply. */
        void push(byte[] frame);

        /** Closes the connection from any thread (CLIENT KILL, SHUTDOWN). */
        void close();

        /**
         * The reply of a command that blocked the client until another thread answers it (WAIT), called by that
         * thread under the execution lock: written after everything before it, never blocking the caller on the
         * client's socket.
         */
        default void answer(byte[] frame) {
            push(frame);
        }

        /** Bytes pushed and not yet written to the socket (CLIENT LIST's {@code omem}). */
        default long pendingBytes() {
            return 0;
        }

        /** The socket's file descriptor number, or -1 (CLIENT LIST's {@code fd}). */
        default int fd() {
            return -1;
        }

        /** TCP_NODELAY on the client's socket, where there is one ({@code repl-disable-tcp-nodelay} for a replica). */
        default void tcpNoDelay(boolean on) {
        }

        /**
         * Bytes of the query buffer: the command running now and what was read after it, or the part of a command
         * not complete yet (CLIENT LIST's {@code qbuf}).
         */
        default long queryBufferLength() {
            return 0;
        }

        /** Room left in the read buffer (CLIENT LIST's {@code qbuf-free}). */
        default long queryBufferFree() {
            return 0;
        }

        /** The bytes of the buffer the connection reads into now (part of CLIENT LIST's {@code tot-mem}). */
        default long readBufferSize() {
            return READ_BUFFER;
        }

        /** The bytes of the running command's arguments, 0 between commands (CLIENT LIST's {@code argv-mem}). */
        default long argvMemory() {
            return 0;
        }

        /** The bytes of the buffer replies are written into (CLIENT LIST's {@code rbs}). */
        default long replyBufferSize() {
            return 0;
        }

        /** The most reply bytes that buffer held since its peak was last reset (CLIENT LIST's {@code rbp}). */
        default long replyBufferPeak() {
            return 0;
        }

        /**
         * The cron's turn, under the execution lock: resizes the reply buffer by its peak as Redis's
         * clientsCronResizeOutputBuffer does, and resets the peak once {@code peakResetMillis} (-1: never) have
         * passed. Returns -1 when the buffer shrank, 1 when it grew, else 0.
         */
        default int resizeReplyBuffer(long nowMillis, long peakResetMillis) {
            return 0;
        }

        /** The cron's turn, as Redis's clientsCronResizeQueryBuffer: the read buffer of an idle client shrinks. */
        default void resizeQueryBuffer(long nowMillis) {
        }

        /** The channel of a client without a socket, e.g. in unit tests: pushes are dropped. */
        Channel NONE = new Channel() {
            @Override
            public void push(byte[] frame) {
            }

            @Override
            public void close() {
            }
        };
    }

    private final long id;
    private final ServerContext server;
    private final Channel channel;
    private final String address;
    private final String localAddress;
    private final long createdAt;
    private long lastInteraction;
    private String name = "";
    private int dbIndex;
    private int respVersion = 2;
    private ReplyMode replyMode = ReplyMode.ON;
    private boolean noEvict;
    private boolean unixSocket;
    private boolean overTls;
    private boolean monitor;
    private volatile boolean closeAfterReply; // set by CLIENT KILL on another thread, read by the connection loop
    private boolean authenticated;
    private String lastCommand = "NULL";
    private boolean subscribed; // Redis's CLIENT_PUBSUB: pub/sub sets it, the output-buffer limits read it
    private boolean inMulti; // Redis's CLIENT_MULTI: between MULTI and EXEC or DISCARD
    private boolean propagates = true; // false: its writes reach no AOF (a script's redis.set_repl(REPL_NONE))
    private boolean replica; // Redis's CLIENT_SLAVE: a replica's connection, fed the replication stream
    private boolean master; // Redis's CLIENT_MASTER: the connection a replica applies its master's stream from
    private boolean script; // Redis's CLIENT_SCRIPT: the client a script's redis.call runs as
    private final Slot.Slots slots = new Slot.Slots();

    public Client(long id, ServerContext server, Channel channel, String address, String localAddress) {
        this.id = id;
        this.server = server;
        this.channel = channel;
        this.address = address;
        this.localAddress = localAddress;
        this.createdAt = server.clock().millis();
        this.lastInteraction = createdAt;
        server.security().connected(this);
    }

    /** A client without a socket, for running commands in tests. */
    public static Client detached(long id, ServerContext server) {
        return new Client(id, server, Channel.NONE, "127.0.0.1:0", "127.0.0.1:0");
    }

    public long id() {
        return id;
    }

    public ServerContext server() {
        return server;
    }

    /** The selected database. */
    public Keyspace db() {
        return server.databases().get(dbIndex);
    }

    public int dbIndex() {
        return dbIndex;
    }

    /** SELECT: switches to database {@code index}, which the caller has checked. */
    public void select(int index) {
        this.dbIndex = index;
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    /** 2 or 3, as chosen by HELLO. */
    public int respVersion() {
        return respVersion;
    }

    public void respVersion(int version) {
        this.respVersion = version;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode mode) {
        this.replyMode = mode;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean noEvict) {
        this.noEvict = noEvict;
    }

    /** A client connected through {@code unixsocket}: CLIENT LIST's flag {@code U}. */
    public void markUnixSocket() {
        this.unixSocket = true;
    }

    /** A client connected through {@code tls-port}: a cluster under tls-cluster shows it the TLS ports. */
    public void markTls() {
        this.overTls = true;
    }

    public boolean overTls() {
        return overTls;
    }

    public boolean isUnixSocket() {
        return unixSocket;
    }

    /** The client a script's {@code redis.call} runs as (Redis's CLIENT_SCRIPT): MONITOR shows it as {@code lua}. */
    public void markScript() {
        this.script = true;
    }

    public boolean isScript() {
        return script;
    }

    public boolean isMonitor() {
        return monitor;
    }

    void monitor(boolean monitor) {
        this.monitor = monitor;
    }

    public String address() {
        return address;
    }

    /** Whether the client connected from the loopback address (Redis's {@code islocalClient}: 127.0.0.1 or ::1). */
    public boolean isLocal() {
        return address.startsWith("127.0.0.1:") || address.startsWith("[::1]:") || address.startsWith("0:0:0:0:0:0:0:1");
    }

    public String localAddress() {
        return localAddress;
    }

    public long createdAt() {
        return createdAt;
    }

    public long lastInteraction() {
        return lastInteraction;
    }

    /** The name of the last command run, as CLIENT LIST shows it ({@code client|list}). */
    public String lastCommand() {
        return lastCommand;
    }

    /** CLIENT PAUSE holds back this command: CLIENT LIST's {@code cmd=} names it already, as Redis's lastcmd. */
    void postponed(String commandName) {
        this.lastCommand = commandName;
    }

    void commandStarted(String commandName, long now) {
        this.lastCommand = commandName;
        this.lastInteraction = now;
    }

    /** Whether the client has passed AUTH (or HELLO ... AUTH), or connected while no password was set (security sets it). */
    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /**
     * RESET: the state of a new connection (database 0, RESP2, no name, replies on, not authenticated).
     * Out of every channel and pattern, out of MULTI, nothing watched.
     */
    public void reset() {
        server.subscriptions().reset(this);
        server.transactions().finish(this);
        if (server.tracking() != null) {
            server.tracking().reset(this);
        }
        dbIndex = 0;
        respVersion = 2;
        name = "";
        replyMode = ReplyMode.ON;
        noEvict = false;
        server.security().connected(this);
    }

    /** The size of a connection's read buffer (CLIENT LIST's {@code rbs}). */
    public static final int READ_BUFFER = 16 * 1024;

    // tag::describe[]
    /** Whether this client sent READONLY to a cluster node. */
    private boolean readOnlyInCluster() {
        Concerns.Cluster cluster = server.peek(Concerns.CLUSTER);
        return cluster != null && cluster.readOnly(this);
    }

    /** The cron's resize of this client's read buffer: see {@link Channel#resizeQueryBuffer}. */
    void resizeQueryBuffer(long nowMillis) {
        channel.resizeQueryBuffer(nowMillis);
    }

    /** The cron's resize of this client's reply buffer: see {@link Channel#resizeReplyBuffer}. */
    int resizeReplyBuffer(long nowMillis, long peakResetMillis) {
        return channel.resizeReplyBuffer(nowMillis, peakResetMillis);
    }

    /**
     * One line of CLIENT LIST (also CLIENT INFO, ACL LOG and the log of a closed client), with Redis's fields in
     * Redis's order; {@code asking} sees itself idle for 0 seconds. {@code qbuf} counts the running command's own
     * bytes, as Redis's does ({@code qbuf=26} for a client's own CLIENT LIST); {@code tot-mem} adds up what this
     * server holds for the client: its read buffer, the query bytes, the arguments and the output buffer.
     */
    public String describe(Client asking) {
        long now = server.clock().millis();
        Concerns.Tracking tracking = server.tracking();
        String flags = (replica ? "S" : "") + (master ? "M" : "") + (monitor ? "O" : "") + (subscribed ? "P" : "")
                + (inMulti ? "x" : "") + (server.blockingKeys().isBlocked(this) || server.isPostponed(this) ? "b" : "")
                + (tracking == null ? "" : tracking.flags(this)) + (server.transactions().dirty(this) ? "d" : "")
                + (closeAfterReply ? "c" : "") + (unixSocket ? "U" : "") + (readOnlyInCluster() ? "r" : "")
                + (noEvict ? "e" : "");
        long qbuf = channel.queryBufferLength();
        long argv = channel.argvMemory();
        long omem = outputMemory();
        return "id=" + id + " addr=" + address + " laddr=" + localAddress + " fd=" + channel.fd()
                + " name=" + name + " age=" + (now - createdAt) / 1000
                + " idle=" + (this == asking ? 0 : (now - lastInteraction) / 1000)
                + " flags=" + (flags.isEmpty() ? "N" : flags) + " db=" + dbIndex
                + " " + server.subscriptions().counts(this) + " multi=" + server.transactions().queuedCount(this)
                + " qbuf=" + qbuf + " qbuf-free=" + channel.queryBufferFree() + " argv-mem=" + argv
                + " multi-mem=0 rbs=" + channel.replyBufferSize() + " rbp=" + channel.replyBufferPeak()
                + " obl=0 oll=0 omem=" + omem
                + " tot-mem=" + (channel.readBufferSize() + qbuf + argv + omem) + " events=r cmd=" + lastCommand
                + " user=" + server.security().userName(this)
                + " redir=" + (tracking == null ? -1 : tracking.redirect(this)) + " resp=" + respVersion;
    }
    // end::describe[]

    // tag::slots[]
    /** A concern's state for this connection (its MULTI queue, its channels, its ACL user): see {@link Slot}. */
    public <T> T get(Slot<T> slot) {
        return slots.get(slot);
    }

    /** The state in {@code slot}, or null when there is none yet. */
    public <T> T peek(Slot<T> slot) {
        return slots.peek(slot);
    }

    public <T> void set(Slot<T> slot, T value) {
        slots.set(slot, value);
    }
    // end::slots[]

    /** Whether the client listens on a channel or pattern (Redis's CLIENT_PUBSUB flag); set by pub/sub. */
    public boolean isSubscribed() {
        return subscribed;
    }

    public void subscribed(boolean subscribed) {
        this.subscribed = subscribed;
    }

    /** Whether this is a replica's connection (Redis's CLIENT_SLAVE): set by replication on SYNC or PSYNC. */
    public boolean isReplica() {
        return replica;
    }

    public void markReplica() {
        this.replica = true;
    }

    /** Whether this is the master's connection on a replica (Redis's CLIENT_MASTER): set by replication. */
    public boolean isMaster() {
        return master;
    }

    public void markMaster() {
        this.master = true;
    }

    /** Whether this client's writes are propagated (the AOF); Redis's CLIENT_PREVENT_PROP when false. */
    public boolean propagates() {
        return propagates;
    }

    public void propagates(boolean propagates) {
        this.propagates = propagates;
    }

    /** Whether the client is between MULTI and EXEC or DISCARD (Redis's CLIENT_MULTI flag); set by transactions. */
    public boolean inMulti() {
        return inMulti;
    }

    public void inMulti(boolean inMulti) {
        this.inMulti = inMulti;
    }

    public void closeAfterReply() {
        this.closeAfterReply = true;
    }

    public boolean isClosing() {
        return closeAfterReply;
    }

    /** Writes {@code frame} to the client outside the request/reply flow. Any thread. */
    public void push(byte[] frame) {
        channel.push(frame);
    }

    /** The reply of the client's blocked command, from the thread that answers it: see {@link Channel#answer}. */
    public void answer(byte[] frame) {
        channel.answer(frame);
    }

    /** Sets TCP_NODELAY on the connection's socket; nothing on a unix socket or a connection without a socket. */
    public void tcpNoDelay(boolean on) {
        channel.tcpNoDelay(on);
    }

    /** Bytes queued for this client and not yet written: Redis's {@code omem}, e.g. a subscriber that does not read. */
    public long outputMemory() {
        return channel.pendingBytes();
    }

    /** What {@link ServerContext#clientMemoryChanged} last counted for this client in {@code mem_clients_normal}. */
    long countedMemory;

    /**
     * The bytes this server holds for the client, CLIENT LIST's {@code tot-mem} and Redis's getClientMemoryUsage:
     * the read buffer, the query bytes not yet run, the running command's arguments and the output not yet sent.
     */
    public long memoryUsage() {
        return channel.readBufferSize() + channel.queryBufferLength() + channel.argvMemory() + outputMemory();
    }

    /** Disconnects the client now. Any thread. */
    public void kill() {
        closeAfterReply = true;
        channel.close();
    }
}
