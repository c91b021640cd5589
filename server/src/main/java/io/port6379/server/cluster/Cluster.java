// Cluster mode: the node's state, nodes.conf, the per-slot key index, and the routing of every command by its keys.
package io.port6379.server.cluster;

import io.port6379.datastructures.Bytes;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.replication.Replication;
import io.port6379.server.util.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * With {@code cluster-enabled yes} a server is one node of a Redis Cluster. This concern holds what the node knows
 * ({@link ClusterState}, saved in {@code cluster-config-file} by {@link NodesConf}), the keys of its one database by
 * slot ({@link SlotIndex}), and, before every command, Redis's {@code getNodeByQuery}: the command runs here only
 * when every key it names hashes to one slot this node serves; otherwise the client is told where to go
 * ({@code -MOVED}, {@code -ASK}) or why it cannot ({@code -CROSSSLOT}, {@code -TRYAGAIN}, {@code -CLUSTERDOWN}).
 * The cluster bus (the links to the other nodes) plugs in through {@link ClusterBus}.
 */
public final class Cluster implements Concerns.Cluster {

    private static final Slot<Cluster> SLOT = Slot.named("cluster");
    /** A client's cluster flags: READONLY, ASKING, and the slot of its current command (for scripts). */
    private static final Slot<ClientFlags> CLIENT = Slot.named("cluster-client", ClientFlags::new);

    /** Per-connection state Redis keeps as client flags. */
    static final class ClientFlags {
        boolean readonly;
        boolean asking;
        /** ASKING served one command already: it ends before the next one, unless inside MULTI. */
        boolean askingUsed;
        /** The slot of the keys of the client's current command, or -1 (Redis's {@code c->slot}). */
        int slot = -1;
    }

    private final ServerContext server;
    private final ClusterState state;
    private final SlotIndex index = new SlotIndex();
    private final Path configFile;
    private ClusterBus bus;

    private Cluster(ServerContext server, ClusterState state, Path configFile) {
        this.server = server;
        this.state = state;
        this.configFile = configFile;
    }

    /**
     * Redis's {@code clusterInit}, when {@code cluster-enabled} is yes: the node's state from its
     * {@code cluster-config-file}, or a new node (a new name) saved there at once; null when cluster mode is off.
     */
    public static Cluster install(ServerContext server) {
        ServerConfig config = server.config();
        if (!config.get("cluster-enabled").equals("yes")) {
            return null;
        }
        if (!config.get("replicaof").isEmpty()) { // a cluster node follows the master the cluster gives it
            throw new IllegalArgumentException("replicaof directive not allowed in cluster mode");
        }
        Path file = Path.of(config.get("dir")).resolve(config.get("cluster-config-file"));
        long now = server.clock().millis();
        ClusterState state;
        try {
            state = NodesConf.load(file, now);
            if (state == null) {
                state = new ClusterState(now);
                Log.log("*", "No cluster configuration found, I'm " + state.myself.name);
            } else {
                Log.log("*", "Node configuration loaded, I'm " + state.myself.name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unrecoverable error: corrupted cluster config file \"" + file + "\"", e);
        }
        Cluster cluster = new Cluster(server, state, file);
        cluster.configure();
        cluster.refreshMyself();
        cluster.save(true);
        server.databases().get(0).keyIndex(cluster.index);
        server.set(SLOT, cluster);
        server.set(Concerns.CLUSTER, cluster);
        server.addCronTask(cluster::cron);
        state.markDirty(false, true);
        return cluster;
    }

    /** The server's cluster, or null when cluster mode is off. */
    public static Cluster of(ServerContext server) {
        return server.peek(SLOT);
    }

    /** Whether cluster mode is on (SELECT, MOVE, SWAPDB and COPY ... DB are refused then). */
    public static boolean enabled(ServerContext server) {
        return server.peek(SLOT) != null;
    }

    public ClusterState state() {
        return state;
    }

    public SlotIndex index() {
        return index;
    }

    public Path configFile() {
        return configFile;
    }

    /** The bus, or null until one is plugged in. */
    public ClusterBus bus() {
        return bus;
    }

    public void bus(ClusterBus bus) {
        this.bus = bus;
    }

    public ServerContext server() {
        return server;
    }

    /** The parameters the state keeps a copy of; read again before each update of the state, for CONFIG SET. */
    public void configure() {
        state.nodeTimeout = server.config().number("cluster-node-timeout");
        state.requireFullCoverage = server.config().get("cluster-require-full-coverage").equals("yes");
    }

    // tag::announced[]
    /**
     * Redis's {@code clusterUpdateMyselfAnnouncedPorts} and friends: the address this node gives of itself, from
     * {@code port} (or {@code tls-port} under {@code tls-cluster}), {@code cluster-port} (0: the port + 10000) and
     * the {@code cluster-announce-*} parameters, which win when set.
     */
    public void refreshMyself() {
        ServerConfig config = server.config();
        boolean tlsCluster = config.get("tls-cluster").equals("yes");
        int port = (int) config.number(tlsCluster ? "tls-port" : "port");
        int pport = tlsCluster ? (int) config.number("port") : 0;
        int clusterPort = (int) config.number("cluster-port");
        int cport = clusterPort != 0 ? clusterPort : port + 10000;
        int announcePort = (int) config.number("cluster-announce-port");
        int announceTlsPort = (int) config.number("cluster-announce-tls-port");
        if (tlsCluster && announceTlsPort != 0) {
            port = announceTlsPort;
            pport = announcePort;
        } else if (announcePort != 0) {
            port = announcePort;
        }
        int announceBusPort = (int) config.number("cluster-announce-bus-port");
        if (announceBusPort != 0) {
            cport = announceBusPort;
        }
        ClusterNode myself = state.myself;
        String announceIp = config.get("cluster-announce-ip");
        String hostname = config.get("cluster-announce-hostname");
        if (myself.port != port || myself.pport != pport || myself.cport != cport
                || !announceIp.isEmpty() && !announceIp.equals(myself.ip) || !hostname.equals(myself.hostname)) {
            myself.port = port;
            myself.pport = pport;
            myself.cport = cport;
            if (!announceIp.isEmpty()) {
                myself.ip = announceIp;
            }
            myself.hostname = hostname;
            state.markDirty(true, false);
        }
    }
    // end::announced[]

    /** Redis's clusterBeforeSleep part that commands need at once: the state computed again when asked for. */
    public void settle() {
        if (state.takeUpdate()) {
            configure();
            state.update(server.clock().millis());
        }
    }

    /**
     * Every cron tick: the announced address, the state, the clients blocked on slots served no more, and
     * nodes.conf when something changed.
     */
    private void cron() {
        refreshMyself();
        state.markDirty(false, true); // Redis's clusterCron updates the state on every tick as well
        settle();
        server.blockingKeys().endWaitsRefused(this::blockedRefusal);
        if (state.takeSave()) {
            save(state.takeFsync());
        }
    }

    /** Writes nodes.conf now; a failure is logged (Redis exits when it cannot, at start-up). */
    public boolean save(boolean fsync) {
        try {
            NodesConf.save(state, configFile, fsync);
            return true;
        } catch (IOException e) {
            Log.log("#", "Could not save the cluster configuration " + configFile + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Redis's {@code clusterSetMaster}: this node becomes a replica of {@code master} (its open slots closed, as a
     * master's), and replication connects to it.
     */
    public void setMaster(ClusterNode master) {
        if (state.myself.isMaster()) {
            state.closeAllSlots();
        }
        state.setReplicaOf(state.myself, master);
        Replication.of(server).replicaOf(master.ip, master.port);
    }

    /**
     * Redis's {@code clusterReset}: a replica stops replicating and empties its data; then no slots and no peers,
     * and with {@code hard} the epochs back to 0 and a new name.
     */
    public void reset(boolean hard) {
        if (state.myself.isReplica()) {
            Replication.of(server).promote();
            server.databases().flushAll();
        }
        state.reset(hard, server.clock().millis());
        save(true);
    }

    /** This node's replication offset, for CLUSTER SHARDS (and the bus's header). */
    public long replicationOffset() {
        return Replication.of(server).offset();
    }

    // tag::blocked[]
    /**
     * Redis 7.0's {@code clusterRedirectBlockedClientIfNeeded}, asked by the cron about each client blocked on
     * {@code key} (BLPOP, BLMOVE, BZPOPMIN, XREAD...): when the cluster is down, or the key's slot is neither served
     * here (nor, for a READONLY reader, by this replica's master) nor being imported, the client would wait for a
     * write that can never come here, so its wait ends with the error it would get now. Redis asks from its clients
     * cron only, so a slot that moves away is noticed within a tick, not at once; no {@code -ASK} is given.
     */
    private String blockedRefusal(Client client, byte[] key) {
        if (state.health != ClusterState.Health.OK) {
            return "CLUSTERDOWN The cluster is down";
        }
        int slot = KeySlot.slot(key);
        ClusterNode node = state.slots[slot];
        if (readOnly(client) && node != null && state.myself.isReplica() && state.myself.master == node) {
            Command last = server.commands().lookup(client.lastCommand().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (last != null && !last.has(CommandFlag.WRITE)) {
                node = state.myself;
            }
        }
        if (node == state.myself || state.importingFrom[slot] != null) {
            return null;
        }
        return node == null ? "CLUSTERDOWN Hash slot not served" : redirect("MOVED", slot, node, client);
    }
    // end::blocked[]

    // tag::refusal[]
    @Override
    public String refusal(Client client, Command command, byte[][] args) {
        ClientFlags flags = client.get(CLIENT);
        if (flags.asking && flags.askingUsed && !client.inMulti()) {
            flags.asking = false; // ASKING is good for one command (or one transaction)
        }
        flags.askingUsed = true;
        flags.slot = -1;
        if (command.name().equals("reset")) {
            flags.readonly = false;
            flags.asking = false;
        }
        boolean exec = command.name().equals("exec");
        if (client.id() < 0 || command.keySpecs().isEmpty() && !exec) { // the AOF's loader, or no keys at all
            return null;
        }
        settle();
        Route route = new Route(command);
        route.client = client;
        if (exec) {
            if (!client.inMulti()) {
                return null;
            }
            server.transactions().forEachQueued(client, route::add);
        } else {
            route.add(command, args);
        }
        String error = route.judge(flags);
        flags.slot = route.slot;
        return error;
    }
    // end::refusal[]

    @Override
    public String scriptRefusal(Client scriptClient, Client caller, Command command, byte[][] args,
                                boolean crossSlot) {
        if (caller == null || caller.isMaster() || caller.id() < 0 || command.keySpecs().isEmpty()) {
            return null;
        }
        ClientFlags callerFlags = caller.get(CLIENT);
        Route route = new Route(command);
        route.add(command, args);
        String error = route.judge(callerFlags);
        if (error != null) {
            if (error.startsWith("CLUSTERDOWN The cluster is down and only")) {
                return "Script attempted to execute a write command while the cluster is down and readonly";
            } else if (error.startsWith("CLUSTERDOWN")) {
                return "Script attempted to execute a command while the cluster is down";
            }
            return "Script attempted to access a non local key in a cluster node";
        }
        if (route.slot != -1 && !crossSlot) {
            if (callerFlags.slot == -1) {
                callerFlags.slot = route.slot;
            } else if (callerFlags.slot != route.slot) {
                return "Script attempted to access keys that do not hash to the same slot";
            }
        }
        return null;
    }

    /** ASKING: the next command may use a slot this node is importing. */
    public static void asking(Client client) {
        ClientFlags flags = client.get(CLIENT);
        flags.asking = true;
        flags.askingUsed = false;
    }

    /** READONLY (true) and READWRITE (false): whether a replica serves reads of its master's slots. */
    @Override
    public boolean readOnly(Client client) {
        ClientFlags flags = client.peek(CLIENT);
        return flags != null && flags.readonly;
    }

    public static void readonly(Client client, boolean readonly) {
        client.get(CLIENT).readonly = readonly;
    }

    // tag::route[]
    /** One query's keys gathered the way getNodeByQuery does, then judged. */
    private final class Route {
        private final Command command;
        private final boolean shardChannels;
        private byte[] firstKey;
        private int slot = -1;
        private ClusterNode owner;
        private boolean unbound;
        private boolean crossSlot;
        private boolean multipleKeys;
        private boolean migrating;
        private boolean importing;
        private int missingKeys;
        private boolean writes;
        /** Who asked: the port in a redirection is the one matching its connection ({@link #clientPort}). */
        private Client client;

        Route(Command command) {
            this.command = command;
            String name = command.name();
            this.shardChannels = name.equals("ssubscribe") || name.equals("sunsubscribe") || name.equals("spublish");
            this.writes = command.has(CommandFlag.WRITE);
        }

        void add(Command queued, byte[][] args) {
            if (unbound || crossSlot) {
                return;
            }
            writes |= queued.has(CommandFlag.WRITE);
            for (Command.KeyReference reference : queued.keys(args)) {
                byte[] key = args[reference.position()];
                int keySlot = KeySlot.slot(key);
                if (firstKey == null) {
                    firstKey = key;
                    slot = keySlot;
                    owner = state.slots[keySlot];
                    if (owner == null) {
                        unbound = true;
                        return;
                    }
                    if (owner == state.myself && state.migratingTo[keySlot] != null) {
                        migrating = true;
                    } else if (state.importingFrom[keySlot] != null) {
                        importing = true;
                    }
                } else if (!java.util.Arrays.equals(firstKey, key)) {
                    if (keySlot != slot) {
                        crossSlot = true;
                        return;
                    }
                    multipleKeys = true;
                }
                if ((migrating || importing) && !shardChannels && server.databases().get(0).peek(Bytes.of(key)) == null) {
                    missingKeys++;
                }
            }
        }

        /** The error, or null when this node serves the query. */
        String judge(ClientFlags flags) {
            if (crossSlot) {
                return "CROSSSLOT Keys in request don't hash to the same slot";
            }
            if (unbound) {
                return "CLUSTERDOWN Hash slot not served";
            }
            if (firstKey == null) {
                return null;
            }
            if (state.health != ClusterState.Health.OK) {
                ServerConfig config = server.config();
                if (shardChannels) {
                    if (!config.get("cluster-allow-pubsubshard-when-down").equals("yes")) {
                        return "CLUSTERDOWN The cluster is down";
                    }
                } else if (!config.get("cluster-allow-reads-when-down").equals("yes")) {
                    return "CLUSTERDOWN The cluster is down";
                } else if (command.has(CommandFlag.WRITE)) {
                    return "CLUSTERDOWN The cluster is down and only accepts read commands";
                }
            }
            if ((migrating || importing) && command.name().equals("migrate")) {
                return null;
            }
            if (migrating && missingKeys > 0) {
                return multipleKeys ? "TRYAGAIN Multiple keys request during rehashing of slot"
                        : redirect("ASK", state.migratingTo[slot]);
            }
            if (importing && (flags.asking || command.has(CommandFlag.ASKING))) {
                return multipleKeys && missingKeys > 0 ? "TRYAGAIN Multiple keys request during rehashing of slot" : null;
            }
            boolean write = command.name().equals("exec") ? writes : command.has(CommandFlag.WRITE);
            if ((flags.readonly || shardChannels) && !write && state.myself.isReplica() && state.myself.master == owner) {
                return null;
            }
            return owner == state.myself ? null : redirect("MOVED", owner);
        }

        private String redirect(String kind, ClusterNode node) {
            return Cluster.this.redirect(kind, slot, node, client);
        }
    }
    // end::route[]

    // tag::pport[]
    /**
     * The port {@code client} is shown for {@code node} (CLUSTER NODES, SLOTS, REPLICAS, -MOVED, -ASK): a node's
     * port is its TLS port under tls-cluster, so a client that is not on TLS is shown the node's plaintext port
     * ({@code pport}, carried in the bus header) when the node has one, as Redis 7.0's {@code use_pport}.
     */
    public int clientPort(Client client, ClusterNode node) {
        return usePport(client) && node.pport != 0 ? node.pport : node.port;
    }

    /** Whether {@code client} is shown plaintext ports: tls-cluster is on and the client is not on TLS. */
    public boolean usePport(Client client) {
        return server.config().flag("tls-cluster") && !client.overTls();
    }
    // end::pport[]

    /**
     * {@code MOVED 3999 127.0.0.1:6381}: the node's preferred endpoint and the port {@code client} is shown (the
     * node's port when there is no client to ask).
     */
    private String redirect(String kind, int slot, ClusterNode node, Client client) {
        return kind + " " + slot + " " + preferredEndpoint(node) + ":" + (client == null ? node.port : clientPort(client, node));
    }

    /** Redis's getPreferredEndpoint: the IP, the hostname ("?" when it has none), or "?" as configured. */
    public String preferredEndpoint(ClusterNode node) {
        return switch (server.config().get("cluster-preferred-endpoint-type")) {
            case "hostname" -> node.hostname.isEmpty() ? "?" : node.hostname;
            case "unknown-endpoint" -> "?";
            default -> node.ip;
        };
    }
}
