// Everything the commands share: the databases, the configuration, the connected clients, the statistics, the concerns.
package io.port6379.server;

import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.CommandClock;
import io.port6379.server.util.LazyFree;
import io.port6379.server.stats.LatencyMonitor;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.stats.ServerStats;
import io.port6379.server.stats.SlowLog;
import io.port6379.datastructures.Clock;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.ExpiryListener;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisString;


import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's state without its sockets, so that commands can be run and tested without a network: a test
 * asks the composition root for one ({@code Port6379.context(config, clock)}, which puts the concerns and the
 * command families in), makes a {@link Client#detached} client, and calls {@link #execute}. The concerns'
 * state lives in {@link Slot}s, their rules behind the {@link Concerns} interfaces.
 *
 * <p>Thread-safety: everything here is guarded by {@link #executionLock()} except the client registry
 * (a concurrent map, because connections come and go from their own threads) and the network counters.
 */
public final class ServerContext {

    /** What SHUTDOWN asks of the server that owns this context. */
    public interface ShutdownHandler {
        /**
         * Stops the server; {@code save} is SHUTDOWN SAVE/NOSAVE, or {@code null} for "as configured". Returns
         * false, and keeps running, when the final save failed (as Redis).
         */
        boolean shutdown(Boolean save);
    }

    /** What CONFIG SET port/bind/tls-port calls: listen on the configured port and addresses instead of the current ones. */
    public interface Listeners {
        void rebind() throws java.io.IOException;

        /** CONFIG SET tls-*: new connections get the TLS set-up the configuration now describes. */
        default void reconfigureTls() throws java.io.IOException {
        }
    }

    /**
     * A connection this server opens to another server: MIGRATE's target, a replica's master. Every wait is bounded
     * by the timeout given, so a peer that stops answering cannot hold the caller (often under the execution lock)
     * for longer. Made by {@link Connector}; network's {@code Outgoing} is the implementation and tells the rest.
     */
    public interface Link extends AutoCloseable {
        /** Writes every remaining byte of {@code bytes}, waiting at most {@code timeoutMillis} for each step. */
        void write(java.nio.ByteBuffer bytes, long timeoutMillis) throws java.io.IOException;

        /** Reads at least one byte into {@code into}, waiting at most {@code timeoutMillis}; -1 at the end. */
        int read(java.nio.ByteBuffer into, long timeoutMillis) throws java.io.IOException;

        /** This end's address ({@code laddr} in CLIENT LIST), or null when not connected. */
        default java.net.InetSocketAddress localAddress() {
            return null;
        }

        @Override
        void close();
    }

    /**
     * Opens {@link Link}s: over TLS with the tls-* client settings (tls-cluster, tls-replication), else TCP; from
     * {@code sourceAddress} when not null ({@code bind-source-addr}, which Redis applies to a replica's link).
     */
    public interface Connector {
        Link connect(String host, int port, long timeoutMillis, boolean tls, String sourceAddress) throws java.io.IOException;

        default Link connect(String host, int port, long timeoutMillis, boolean tls) throws java.io.IOException {
            return connect(host, port, timeoutMillis, tls, null);
        }

        /**
         * The cluster bus under {@code tls-cluster}: {@code tcp}, connected or ({@code accepted}) accepted, as a TLS
         * socket whose handshake is done within {@code timeoutMillis}; a failed handshake closes {@code tcp}.
         */
        default java.net.Socket overTls(java.net.Socket tcp, boolean accepted, int timeoutMillis) throws java.io.IOException {
            throw new java.io.IOException("TLS is not configured");
        }
    }

    /**
     * A script that has run longer than {@code busy-reply-threshold} (Redis's "busy" state): while it holds the
     * execution lock, the connections waiting for it hand their commands here instead of waiting.
     */
    public interface Busy {
        /**
         * Answers a command that arrived while the script runs, on the waiting client's thread: the command is handed
         * to the script's hook and this returns once it ran there. Returns true when the command must run normally
         * once the script is over instead (SHUTDOWN NOSAVE, which also stops the script).
         */
        boolean answer(Client client, byte[][] args, io.port6379.protocol.RespWriter reply);

        /** The BUSY error for this kind of script: it names the KILL that stops it. */
        String error();
    }

    private final ServerConfig config;
    private final CommandClock clock;
    private final Clock wallClock;
    private final Databases databases;
    private final CommandTable commands = CommandTable.described();
    private final Dispatcher dispatcher;
    private final ServerStats stats = new ServerStats();
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final ConcurrentSkipListMap<Long, Client> clients = new ConcurrentSkipListMap<>();
    private final List<Client> monitors = new ArrayList<>();
    private final ReentrantLock executionLock = new ReentrantLock();
    private final BlockingKeys blockingKeys = new BlockingKeys(this);
    private final KeyspaceEvents keyspaceEvents = new KeyspaceEvents(this);
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final long startMillis;
    private final String runId;
    private ShutdownHandler shutdownHandler = save -> true;
    private Listeners listeners = () -> { }; // a context without sockets (unit tests) has nothing to rebind
    private Connector connector = (host, port, timeoutMillis, tls, sourceAddress) -> {
        throw new java.io.IOException("no connector installed"); // the composition root installs one
    };
    private boolean activeExpire = true;
    private long replyBufferPeakResetMillis = DEFAULT_PEAK_RESET_MILLIS;
    private boolean replyBufferResizing = true;
    private volatile boolean cronPaused; // read by the cron's thread without the lock
    private final LazyFree lazyFree = new LazyFree();
    private volatile int hz = 10; // Redis's server.hz: the configured hz, raised by dynamic-hz; read by INFO and the cron
    private long clientsMemory; // the sum of the clients' countedMemory
    private PauseMode pauseMode = PauseMode.NONE;
    private long pauseEndMillis;
    private final java.util.concurrent.locks.Condition unpaused = executionLock.newCondition();
    /** Redis's server.postponed_clients: those whose command CLIENT PAUSE holds back, in arrival order. */
    private final java.util.Set<Client> postponed = new java.util.LinkedHashSet<>();
    private final java.util.Map<String, String> protectedCommands = new java.util.HashMap<>();
    private final Slot.Slots slots = new Slot.Slots();
    private final List<Runnable> cronTasks = new CopyOnWriteArrayList<>();
    private final List<Runnable> shutdownTasks = new CopyOnWriteArrayList<>();
    private Concerns.Security security;
    private Concerns.Subscriptions subscriptions;
    private Concerns.Transactions transactions;
    private Concerns.Persistence persistence;
    private Concerns.Propagation propagation; // null while appendonly is no, so that path costs one null check
    private Concerns.Memory memory; // null in a context without the eviction concern: no maxmemory there
    private Concerns.Tracking tracking; // null until a client turns tracking on
    private Concerns.Replication replication; // null in a context without the replication concern
    private Client currentClient; // the client whose command runs (Redis's server.current_client), or null
    private Client executingClient; // the client of the innermost command running (a script's own client)
    private volatile Busy busy; // set by a script's thread, read by the connections waiting for the lock

    public ServerContext(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = new CommandClock(clock);
        this.wallClock = clock;
        this.databases = new Databases((int) config.number("databases"), this.clock);
        for (int i = 0; i < databases.count(); i++) {
            databases.get(i).onExpiry(new ExpiryListener() {
                @Override
                public void expired(Keyspace keyspace, Bytes key) {
                    keyExpired(keyspace, key);
                }

                @Override
                public void expired(Keyspace keyspace, Bytes key, Object value) {
                    keyExpired(keyspace, key);
                    lazyFree.deleted(value, config.flag("lazyfree-lazy-expire"));
                }
            });
            databases.get(i).onValueDropped(value -> {
                if (!(value instanceof byte[] || value instanceof RedisString)) { // a string is one allocation: never lazy
                    lazyFree.deleted(value, config.flag("lazyfree-lazy-server-del"));
                }
            });
            databases.get(i).onNewKey(this::keyAdded);
            databases.get(i).expiryPaused(this::writesPaused);
        }
        this.startMillis = clock.millis();
        byte[] random = new byte[20];
        ThreadLocalRandom.current().nextBytes(random);
        this.runId = HexFormat.of().formatHex(random);
        this.dispatcher = new Dispatcher(this);
    }

    /** Runs one command: see {@link Dispatcher}. The caller holds the execution lock. */
    public void execute(Client client, byte[][] args, io.port6379.protocol.RespWriter reply) {
        dispatcher.execute(client, args, reply);
    }

    public ServerConfig config() {
        return config;
    }

    /** The time commands see: fixed while a command runs (see {@link CommandClock}); the keyspaces read it too. */
    public Clock clock() {
        return clock;
    }

    CommandClock commandClock() {
        return clock;
    }

    /** The time now, even in the middle of a command: for what must not stand still with it (LASTSAVE after SAVE). */
    public Clock wallClock() {
        return wallClock;
    }

    public Databases databases() {
        return databases;
    }

    public CommandTable commands() {
        return commands;
    }

    /**
     * A key of {@code keyspace} was just deleted because its time had passed (lazily or by the cron). The
     * database number is looked up now, not captured, because SWAPDB moves keyspaces between numbers.
     */
    private void keyExpired(Keyspace keyspace, Bytes key) {
        stats.expired(1);
        if (propagation != null) {
            propagation.expired(keyspace, key);
        }
        int db = databases.indexOf(keyspace);
        keyspaceEvents.notify(NotifyKeyspaceEvents.EXPIRED, "expired", key, db);
        keyspaceEvents.signalModifiedKey(null, db, key); // the server's change, not the running client's
    }



    /** A key was added where none existed (Redis's {@code dbAdd}): the {@code new} keyspace event. */
    private void keyAdded(Keyspace keyspace, Bytes key) {
        if (keyspaceEvents.enabled(NotifyKeyspaceEvents.NEW)) {
            keyspaceEvents.notify(NotifyKeyspaceEvents.NEW, "new", key, databases.indexOf(keyspace));
        }
    }

    public ServerStats stats() {
        return stats;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    /** Serializes command execution; see {@code network.RedisServer}. */
    public ReentrantLock executionLock() {
        return executionLock;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }


    /** What a write tells WATCH, keyspace-notification subscribers and the dirty counter. */
    public KeyspaceEvents keyspaceEvents() {
        return keyspaceEvents;
    }


    /** The clients blocked by BLPOP & co. and the keys they wait on. */
    public BlockingKeys blockingKeys() {
        return blockingKeys;
    }

    public long startMillis() {
        return startMillis;
    }

    public String runId() {
        return runId;
    }

    public long nextClientId() {
        return nextClientId.getAndIncrement();
    }

    /** Adds a connected client to CLIENT LIST. */
    public void register(Client client) {
        clients.put(client.id(), client);
    }

    // tag::client-memory[]
    /**
     * Redis's updateClientMemUsage: {@code mem_clients_normal}, part of {@code used_memory} and counted against
     * maxmemory as in Redis, is kept as a sum that each client corrects by its own change after each of its
     * commands and at every cron round (its output drains on another thread). Under the execution lock. O(1).
     */
    public void clientMemoryChanged(Client client) {
        long now = client.isClosing() ? 0 : client.memoryUsage();
        clientsMemory += now - client.countedMemory;
        client.countedMemory = now;
    }

    /** INFO's {@code mem_clients_normal}: what every connected client holds, as last counted. */
    public long clientsMemory() {
        return clientsMemory;
    }
    // end::client-memory[]

    /** Removes a disconnected client everywhere. Takes the execution lock itself. */
    public void unregister(Client client) {
        clients.remove(client.id());
        executionLock.lock();
        try {
            clientsMemory -= client.countedMemory;
            client.countedMemory = 0;
            monitors.remove(client);
            subscriptions.reset(client);
            transactions.finish(client);
            blockingKeys.disconnected(client);
            if (tracking != null) {
                tracking.reset(client);
            }
        } finally {
            executionLock.unlock();
        }
    }

    /** Connected clients by increasing id. */
    public Collection<Client> clients() {
        return clients.values();
    }

    public Client client(long id) {
        return clients.get(id);
    }

    /** MONITOR: from now on {@code client} receives every command the server runs. */
    public void addMonitor(Client client) {
        client.monitor(true);
        if (!monitors.contains(client)) {
            monitors.add(client);
        }
    }

    public void removeMonitor(Client client) {
        client.monitor(false);
        monitors.remove(client);
    }

    List<Client> monitors() {
        return monitors;
    }

    /** Whether the cron deletes expired keys nobody reads (DEBUG SET-ACTIVE-EXPIRE turns it off for tests). */
    public boolean activeExpire() {
        return activeExpire;
    }

    public void activeExpire(boolean enabled) {
        this.activeExpire = enabled;
    }

    /** Redis's REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME: how often a client's reply-buffer peak starts again. */
    public static final long DEFAULT_PEAK_RESET_MILLIS = 5000;

    /** DEBUG REPLYBUFFER PEAK-RESET-TIME: milliseconds between two resets of a reply buffer's peak, -1 for never. */
    public long replyBufferPeakResetMillis() {
        return replyBufferPeakResetMillis;
    }

    public void replyBufferPeakResetMillis(long millis) {
        this.replyBufferPeakResetMillis = millis;
    }

    /** DEBUG REPLYBUFFER RESIZING: whether the cron resizes the clients' reply buffers. */
    public boolean replyBufferResizing() {
        return replyBufferResizing;
    }

    public void replyBufferResizing(boolean enabled) {
        this.replyBufferResizing = enabled;
    }

    /**
     * Runs a command that arrived while a script is busy, on the script's thread between two of its hooks, as
     * Redis's processEventsWhileBlocked: the dispatcher judges it as any other (refusing with BUSY all but the
     * commands flagged {@code allow_busy}), with {@code client} as the current client instead of the script's caller.
     */
    public void executeWhileBusy(Client client, byte[][] args, io.port6379.protocol.RespWriter reply) {
        Client caller = currentClient;
        currentClient = null;
        try {
            dispatcher.execute(client, args, reply);
        } finally {
            currentClient = caller;
        }
    }

    // tag::client-pause[]
    /** CLIENT PAUSE's modes, weakest first: WRITE holds back writes, ALL every command. */
    public enum PauseMode { NONE, WRITE, ALL }

    /**
     * CLIENT PAUSE timeout WRITE|ALL, as Redis's {@code pauseClients}: a pause only grows, in mode and in time,
     * until it ends or CLIENT UNPAUSE lifts it.
     */
    public void pauseClients(long endMillis, PauseMode mode) {
        if (mode.compareTo(pauseMode) > 0) {
            pauseMode = mode;
        }
        pauseEndMillis = Math.max(pauseEndMillis, endMillis);
    }

    /** CLIENT UNPAUSE, or the pause's time is over: the clients held back run their commands. */
    public void unpauseClients() {
        pauseMode = PauseMode.NONE;
        pauseEndMillis = 0;
        unpaused.signalAll();
    }

    /**
     * Whether {@code command} must wait for the pause to end: every command under ALL, under WRITE those that
     * write or may replicate (Redis's {@code is_may_replicate_command}). A pause whose time is over ends here.
     */
    boolean holdsBack(Client client, Command command, byte[][] args) {
        if (!writesPaused()) {
            return false;
        }
        if (pauseMode == PauseMode.ALL) {
            return true;
        }
        java.util.Set<CommandFlag> flags = commandFlags(command, args); // a script's declared flags count (EVAL)
        return flags.contains(CommandFlag.WRITE) || flags.contains(CommandFlag.MAY_REPLICATE)
                || command.name().equals("exec") && (transactions.queuedWith(client, CommandFlag.WRITE)
                        || transactions.queuedWith(client, CommandFlag.MAY_REPLICATE));
    }

    /**
     * Redis's {@code getCommandFlags}: the flags a call counts with before it runs, its command's own but for
     * EVAL, EVALSHA and FCALL, whose scripts may declare theirs (see {@link Concerns.Functions#commandFlags}).
     */
    public java.util.Set<CommandFlag> commandFlags(Command command, byte[][] args) {
        Concerns.Functions scripts = peek(Concerns.FUNCTIONS);
        return scripts == null ? command.flags() : scripts.commandFlags(command, args);
    }

    /**
     * Redis's blockClient(BLOCKED_POSTPONE) and its end: while the pause holds its command back, the client counts
     * in INFO's {@code blocked_clients} and CLIENT LIST shows it with the {@code b} flag.
     */
    void postponed(Client client, boolean waiting) {
        if (waiting) {
            postponed.add(client);
        } else {
            postponed.remove(client);
        }
    }

    /** Whether CLIENT PAUSE holds back this client's command now. */
    boolean isPostponed(Client client) {
        return !postponed.isEmpty() && postponed.contains(client);
    }

    /** INFO's {@code blocked_clients}: the clients waiting in a blocking command, and those CLIENT PAUSE holds back. */
    public int blockedClients() {
        return blockingKeys.blockedClients() + postponed.size();
    }

    /**
     * Whether a pause (WRITE or ALL) is on now, as Redis's checkClientPauseTimeoutAndReturnIfPaused: then neither
     * lazy nor active expiry deletes a key, and eviction does not run, since each would be a write. A pause whose
     * time is over ends here.
     */
    public boolean writesPaused() {
        if (pauseMode == PauseMode.NONE) {
            return false;
        }
        if (wallClock.millis() >= pauseEndMillis) {
            unpauseClients();
            return false;
        }
        return true;
    }

    /** Waits, without the execution lock, until the pause may have ended; the caller holds the lock and asks again. */
    void awaitUnpause() throws InterruptedException {
        long wait = Math.min(100, Math.max(1, pauseEndMillis - wallClock.millis()));
        unpaused.await(wait, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** INFO's and CLIENT LIST's view: the current mode ({@code NONE} when none or over). */
    public PauseMode pauseMode() {
        return pauseMode;
    }
    // end::client-pause[]

    /** UNLINK's and the lazyfree-lazy-* parameters' background freeing, and INFO's counts of it. */
    public LazyFree lazyFree() {
        return lazyFree;
    }

    /** The cron's current frequency: {@code hz}, doubled by {@code dynamic-hz} as clients grow (see ServerCron). */
    public int hz() {
        return hz;
    }

    public void hz(int hz) {
        this.hz = hz;
    }

    /** DEBUG PAUSE-CRON: whether the cron skips its rounds (active expiry, statistics, the concerns' tasks). */
    public boolean cronPaused() {
        return cronPaused;
    }

    public void cronPaused(boolean paused) {
        this.cronPaused = paused;
    }

    /**
     * Redis's CMD_PROTECTED: the command (DEBUG, MODULE) is refused unless the {@code yes|no|local} parameter
     * {@code configName} allows it for the client; the dispatcher checks it right after the arity.
     */
    public void protect(String commandName, String configName) {
        protectedCommands.put(commandName, configName);
    }

    /** The parameter that guards {@code commandName}, or null. */
    String protectedBy(String commandName) {
        return protectedCommands.get(commandName);
    }

    // tag::concerns[]
    /** A concern's state on the server: see {@link Slot}. */
    public <T> T get(Slot<T> slot) {
        return slots.get(slot);
    }

    /** What {@code slot} holds, or null: unlike {@link #get}, never creates it. */
    public <T> T peek(Slot<T> slot) {
        return slots.peek(slot);
    }

    public <T> void set(Slot<T> slot, T value) {
        slots.set(slot, value);
    }

    /**
     * A task the cron runs on every round, under the execution lock: the work Redis's {@code serverCron} does for a
     * concern or a command family (a scheduled BGSAVE, MIGRATE's idle connections), without the kernel naming it.
     */
    public void addCronTask(Runnable task) {
        cronTasks.add(task);
    }

    public List<Runnable> cronTasks() {
        return cronTasks;
    }

    /**
     * A task run once when the server shuts down, after it stopped listening: a concern's own threads and sockets
     * (the cluster bus's listener and links) end with the server.
     */
    public void addShutdownTask(Runnable task) {
        shutdownTasks.add(task);
    }

    public List<Runnable> shutdownTasks() {
        return shutdownTasks;
    }

    /** Plugs the concerns in; the composition root calls this once, before the first client connects. */
    public void concerns(Concerns.Security security, Concerns.Subscriptions subscriptions,
                         Concerns.Transactions transactions, Concerns.Persistence persistence) {
        this.security = security;
        this.subscriptions = subscriptions;
        this.transactions = transactions;
        this.persistence = persistence;
    }
    // end::concerns[]

    public Concerns.Security security() {
        return security;
    }

    public Concerns.Subscriptions subscriptions() {
        return subscriptions;
    }

    public Concerns.Transactions transactions() {
        return transactions;
    }

    public Concerns.Persistence persistence() {
        return persistence;
    }

    /** maxmemory and eviction, or null when the composition has none. */
    public Concerns.Memory memory() {
        return memory;
    }

    public void memory(Concerns.Memory memory) {
        this.memory = memory;
    }

    /** What the append-only file records of each command, or null while {@code appendonly} is {@code no}. */
    public Concerns.Propagation propagation() {
        return propagation;
    }

    public void propagation(Concerns.Propagation propagation) {
        this.propagation = propagation;
    }

    /** Client-side caching, or null while no client ever turned CLIENT TRACKING on. */
    public Concerns.Replication replication() {
        return replication;
    }

    public void replication(Concerns.Replication replication) {
        this.replication = replication;
    }

    public Concerns.Tracking tracking() {
        return tracking;
    }

    public void tracking(Concerns.Tracking tracking) {
        this.tracking = tracking;
    }

    /**
     * Redis's {@code server.current_client}: the client whose command is running at the top level (a script's caller,
     * not the script's own client), or null between commands. NOLOOP tracking asks it whose reads a change concerns.
     */
    public Client currentClient() {
        return currentClient;
    }

    void currentClient(Client client) {
        this.currentClient = client;
    }

    /** The client whose command is running right now: a script's own client inside {@code redis.call}. */
    public Client executingClient() {
        return executingClient;
    }

    void executingClient(Client client) {
        this.executingClient = client;
    }

    /** The script running past its time limit, or null: see {@link Busy}. */
    public Busy busy() {
        return busy;
    }

    public void busy(Busy busy) {
        this.busy = busy;
    }

    public void shutdownHandler(ShutdownHandler handler) {
        this.shutdownHandler = handler;
    }

    public boolean requestShutdown(Boolean save) {
        return shutdownHandler.shutdown(save);
    }

    public void listeners(Listeners listeners) {
        this.listeners = listeners;
    }

    public void rebind() throws java.io.IOException {
        listeners.rebind();
    }

    public void reconfigureTls() throws java.io.IOException {
        listeners.reconfigureTls();
    }

    public void connector(Connector connector) {
        this.connector = connector;
    }

    /** A connection to {@code host:port}, over TLS when {@code tls}; see {@link Link}. */
    public Link connect(String host, int port, long timeoutMillis, boolean tls) throws java.io.IOException {
        return connector.connect(host, port, timeoutMillis, tls);
    }

    /** The cluster bus's TLS (tls-cluster): see {@link Connector#overTls}. */
    public java.net.Socket overTls(java.net.Socket tcp, boolean accepted, int timeoutMillis) throws java.io.IOException {
        return connector.overTls(tcp, accepted, timeoutMillis);
    }

    /** As {@link #connect(String, int, long, boolean)}, from {@code sourceAddress} when not null. */
    public Link connect(String host, int port, long timeoutMillis, boolean tls, String sourceAddress) throws java.io.IOException {
        return connector.connect(host, port, timeoutMillis, tls, sourceAddress);
    }
}
