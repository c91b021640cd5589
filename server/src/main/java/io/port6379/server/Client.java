// The server's view of one connected client: its identity and the per-connection state commands change.
package io.port6379.server;

import io.port6379.datastructures.Keyspace;

/**
 * Per-connection state: id, name, selected database, protocol version, reply mode and flags.
 *
 * <p>Thread-safety: commands read and change a client only while holding the execution lock (see
 * {@link RedisServer}), and so does the connection's own thread between batches. {@link #push} and
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

        /** Bytes pushed and not yet written to the socket (CLIENT LIST's {@code omem}). */
        default long pendingBytes() {
            return 0;
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
    private boolean monitor;
    private volatile boolean closeAfterReply; // set by CLIENT KILL on another thread, read by the connection loop
    private boolean authenticated;
    private AclUser user; // the ACL user this connection runs as; default until AUTH names another
    private String lastCommand = "NULL";
    private PubSub.Subscriptions subscriptions; // created on the first SUBSCRIBE
    private Transaction transaction; // created on the first MULTI or WATCH

    public Client(long id, ServerContext server, Channel channel, String address, String localAddress) {
        this.id = id;
        this.server = server;
        this.channel = channel;
        this.address = address;
        this.localAddress = localAddress;
        this.createdAt = server.clock().millis();
        this.lastInteraction = createdAt;
        this.user = server.acl().defaultUser();
        this.authenticated = Authentication.passwordFree(server);
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

    public boolean isMonitor() {
        return monitor;
    }

    void monitor(boolean monitor) {
        this.monitor = monitor;
    }

    public String address() {
        return address;
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

    void commandStarted(String commandName, long now) {
        this.lastCommand = commandName;
        this.lastInteraction = now;
    }

    /** Whether the client has passed AUTH (or HELLO ... AUTH), or connected while no password was set; see {@link Authentication}. */
    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** The ACL user whose permissions apply to this connection's commands; see {@link Acl}. */
    AclUser user() {
        return user;
    }

    void user(AclUser user) {
        this.user = user;
    }

    /**
     * RESET: the state of a new connection (database 0, RESP2, no name, replies on, not authenticated).
     * Out of every channel and pattern, out of MULTI, nothing watched.
     */
    void reset() {
        PubSubCommands.reset(this);
        TransactionCommands.finish(this);
        dbIndex = 0;
        respVersion = 2;
        name = "";
        replyMode = ReplyMode.ON;
        noEvict = false;
        user = server.acl().defaultUser();
        authenticated = Authentication.passwordFree(server);
    }

    /** The channels, patterns and shard channels this client listens on; see {@link PubSub}. */
    PubSub.Subscriptions subscriptions() {
        if (subscriptions == null) {
            subscriptions = new PubSub.Subscriptions();
        }
        return subscriptions;
    }

    /** Whether the client listens on anything: in RESP2 it may then only (un)subscribe, PING, QUIT and RESET. */
    public boolean isSubscribed() {
        return subscriptions != null && !subscriptions.isEmpty();
    }

    /** MULTI's queue and WATCH's keys; see {@link TransactionCommands}. */
    Transaction transaction() {
        if (transaction == null) {
            transaction = new Transaction();
        }
        return transaction;
    }

    /** The transaction state if MULTI or WATCH ever ran on this connection, else null. */
    Transaction existingTransaction() {
        return transaction;
    }

    /**
     * Between MULTI and the end of EXEC (Redis's {@code CLIENT_MULTI}): commands are queued, and a blocking
     * command must not block but answer as if it had timed out at once.
     */
    public boolean inMulti() {
        return transaction != null && transaction.inMulti();
    }

    /** Asks the connection to close once the replies so far have been written (QUIT, CLIENT KILL of itself). */
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

    /** Bytes queued for this client and not yet written: Redis's {@code omem}, e.g. a subscriber that does not read. */
    public long outputMemory() {
        return channel.pendingBytes();
    }

    /** Disconnects the client now. Any thread. */
    public void kill() {
        closeAfterReply = true;
        channel.close();
    }
}
