// The cluster bus: the listener, the links, the 100 ms cron, and what each message does to the cluster state.
package io.port6379.server.cluster;

import io.port6379.server.ServerContext;
import io.port6379.server.cluster.ClusterMessage.Body;
import io.port6379.server.cluster.ClusterMessage.Empty;
import io.port6379.server.cluster.ClusterMessage.Extension;
import io.port6379.server.cluster.ClusterMessage.Fail;
import io.port6379.server.cluster.ClusterMessage.Gossip;
import io.port6379.server.cluster.ClusterMessage.Header;
import io.port6379.server.cluster.ClusterMessage.Ping;
import io.port6379.server.cluster.ClusterMessage.Publish;
import io.port6379.server.cluster.ClusterMessage.Update;
import io.port6379.datastructures.Bytes;
import io.port6379.server.replication.Replication;
import io.port6379.server.util.Log;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis 7.0's {@code cluster.c} for the bus, as blocking code on virtual threads: one thread accepts on the bus
 * port, each {@link BusLink} reads on its own thread and hands every whole message to {@link #process} under the
 * execution lock, and one thread runs {@link #cron} every 100 ms under the same lock. So every change to the
 * {@link ClusterState} happens under the lock, as every command's does, and the two never race.
 *
 * <p>The protocol in one paragraph: every node pings a few peers each second and every peer it has not heard from
 * for half the node timeout; each PING and PONG carries the sender's whole configuration (role, master, slots,
 * config epoch) and gossip about a few other nodes, so views converge. A peer silent for the node timeout is
 * PFAIL; when a majority of masters report it PFAIL or FAIL within twice the node timeout, it is FAIL and a FAIL
 * message tells everyone. Slot ownership is decided by config epochs: the greater epoch wins a slot. A replica of
 * a FAIL master waits 500 ms + 0..500 ms + 1 s per better-placed sibling, takes a new epoch and asks the masters
 * for votes; with a majority it claims its master's slots with that epoch and everyone follows its PONGs.
 */
public final class ClusterBusServer implements ClusterBus {

    /** What the bus needs from the rest of the server; the composition root provides it. */
    public interface Hooks {
        /** Writes nodes.conf ({@code fsync} when it must survive a crash: epochs, votes). */
        void saveConfig(boolean fsync);

        /** A PUBLISH or PUBLISHSHARD from the bus for this node's subscribers. */
        void deliver(byte[] channel, byte[] message, boolean sharded);

        /** master_repl_offset, or the processed offset of a replica. */
        long replicationOffset();

        /** REPLICAOF host port, unless already following it. */
        void replicaOf(String host, int port);

        /** Whether this node replicates host:port now. */
        boolean follows(String host, int port);

        /** REPLICAOF NO ONE. */
        void promote();

        /** How long (ms) this replica has not heard from its master; 0 when it cannot tell. */
        default long masterSilenceMillis() {
            return 0;
        }

        /** Keys held in a slot, and deleting them (a slot taken away by a newer config). */
        default int keysInSlot(int slot) {
            return 0;
        }

        default void deleteKeysInSlot(int slot) {
        }
    }

    static final long CRON_PERIOD = 100;
    static final int FAIL_REPORT_VALIDITY_MULT = 2;
    static final int FAIL_UNDO_TIME_MULT = 2;
    static final long MF_TIMEOUT = 5000;
    static final int MF_PAUSE_MULT = 2;

    private final ServerContext server;
    private final ClusterState state;
    private final Hooks hooks;
    /** Outbound links by node, inbound links by node (once known), and every open link. */
    private final Map<ClusterNode, BusLink> links = new IdentityHashMap<>();
    private final Map<ClusterNode, BusLink> inboundLinks = new IdentityHashMap<>();
    private final List<BusLink> allLinks = new ArrayList<>();
    private ServerSocket listener;
    private volatile boolean running;
    private long iteration;
    private int pfailNodes;

    // Replica-side election state (Redis's failover_auth_*), and manual failover (mf_*).
    private long authTime;
    private int authCount;
    private boolean authSent;
    private int authRank;
    private long authEpoch;
    private boolean handleFailover;
    private boolean cantFailoverLogged;
    private long mfEnd;
    private ClusterNode mfReplica;
    private long mfMasterOffset = -1;
    private boolean mfCanStart;

    /**
     * With cluster mode on, a bus for the server's {@link Cluster}: it listens from the cron's first round (the
     * clients' port is known by then, even when it was 0) on {@code cluster-port}, or the port + 10000 (the
     * {@code tls-port} + 10000 under {@code tls-cluster}, as Redis's {@code clusterInit}), and stops
     * with the server. {@code delivery} hands PUBLISH and PUBLISHSHARD messages to this node's subscribers.
     */
    public static ClusterBusServer install(ServerContext server, Delivery delivery) {
        Cluster cluster = Cluster.of(server);
        if (cluster == null) {
            return null;
        }
        Replication replication = Replication.of(server);
        Hooks hooks = new Hooks() {
            public void saveConfig(boolean fsync) {
                cluster.save(fsync);
            }

            public void deliver(byte[] channel, byte[] message, boolean sharded) {
                delivery.deliver(channel, message, sharded);
            }

            public long replicationOffset() {
                return cluster.replicationOffset();
            }

            public void replicaOf(String host, int port) {
                replication.replicaOf(host, port);
            }

            public boolean follows(String host, int port) {
                return replication.follows(host, port);
            }

            public void promote() {
                replication.promote();
            }

            public long masterSilenceMillis() {
                return replication.masterSilenceMillis();
            }

            public int keysInSlot(int slot) {
                return cluster.index().count(slot);
            }

            public void deleteKeysInSlot(int slot) {
                for (byte[] key : cluster.index().keys(slot, Long.MAX_VALUE)) {
                    server.databases().get(0).remove(Bytes.of(key));
                }
            }
        };
        int clusterPort = (int) server.config().number("cluster-port");
        ClusterBusServer bus = new ClusterBusServer(server, cluster.state(), hooks);
        cluster.bus(bus);
        boolean[] started = {false};
        server.addCronTask(() -> {
            if (!started[0]) {
                started[0] = true;
                int busPort = clusterPort != 0 ? clusterPort
                        : (int) server.config().number(bus.tlsCluster() ? "tls-port" : "port") + 10000;
                try {
                    bus.start(server.config().bindAddresses(), busPort);
                } catch (IOException e) {
                    // A node no peer can reach would serve its slots alone, unseen: Redis's clusterInit exits.
                    Log.log("#", "Could not bind the cluster bus port: " + e.getMessage());
                    Log.log("#", "Failed listening on port " + busPort + " (cluster), aborting.");
                    Thread.ofPlatform().name("cluster-abort").start(() -> server.requestShutdown(false));
                }
            }
        });
        server.addShutdownTask(bus::stop);
        return bus;
    }

    /** Where PUBLISH messages from the bus go: the pub/sub concern, which the cluster does not import. */
    public interface Delivery {
        void deliver(byte[] channel, byte[] message, boolean sharded);
    }

    public ClusterBusServer(ServerContext server, ClusterState state, Hooks hooks) {
        this.server = server;
        this.state = state;
        this.hooks = hooks;
    }

    /** Listens on the bus port on every address the clients' port binds, and starts the cron. */
    public void start(List<String> bindAddresses, int port) throws IOException {
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        String bind = bindAddresses.isEmpty() || bindAddresses.getFirst().equals("*") ? null
                : bindAddresses.getFirst().replaceFirst("^-", "");
        listener.bind(bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port), 511);
        running = true;
        Thread.ofVirtual().name("cluster-bus-listener").start(this::acceptLoop);
        Thread.ofVirtual().name("cluster-cron").start(this::cronLoop);
    }

    /** The bus port actually bound. */
    public int busPort() {
        return listener == null ? 0 : listener.getLocalPort();
    }

    /** Closes the listener and every link. */
    public void stop() {
        running = false;
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        locked(() -> {
            for (BusLink link : new ArrayList<>(allLinks)) {
                link.close();
            }
            allLinks.clear();
            links.clear();
            inboundLinks.clear();
        });
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                BusLink link = BusLink.accepted(socket, now());
                if (tlsCluster()) { // the handshake on a thread of its own, so that a slow peer holds up no other
                    Thread.ofVirtual().name("cluster-tls-accept").start(() -> {
                        try {
                            link.secure(server::overTls, handshakeTimeout());
                        } catch (IOException e) {
                            Log.log("-", "Error accepting cluster node connection: " + e.getMessage());
                            return;
                        }
                        adopt(link);
                    });
                } else {
                    adopt(link);
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    /** An accepted link, connected (and under tls-cluster secured): it reads from now on. */
    private void adopt(BusLink link) {
        locked(() -> {
            allLinks.add(link);
            link.startedAt = now();
        });
        link.start(this::received, this::linkClosed);
    }

    /**
     * Whether this node's outbound link to {@code node} is still connecting or, under tls-cluster, in its TLS
     * handshake. Redis forgets a node that has not answered a MEET within the handshake timeout, counted from the
     * node's creation: its connection and handshake take a few milliseconds of that. A JVM's TLS handshake on a
     * loaded machine can take more than the whole window (a node timeout), so here the window counts from the moment
     * the link is usable, and the connection and handshake are bounded by their own timeouts ({@link #connect}).
     */
    private boolean connecting(ClusterNode node) {
        BusLink link = links.get(node);
        return link != null && !link.closed() && link.startedAt == 0;
    }

    /** tls-cluster, read at each connection as Redis reads it (CONFIG SET applies to the links made afterwards). */
    private boolean tlsCluster() {
        return server.config().flag("tls-cluster");
    }

    /** How long a bus connection's TLS handshake may take: the node timeout, as for connecting. */
    private int handshakeTimeout() {
        return (int) Math.max(nodeTimeout(), 1000);
    }

    private void cronLoop() {
        while (running) {
            try {
                Thread.sleep(CRON_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            locked(() -> {
                cron();
                beforeSleep();
            });
        }
    }

    private void locked(Runnable action) {
        server.executionLock().lock();
        try {
            action.run();
        } finally {
            server.executionLock().unlock();
        }
    }

    /** A cluster-announce-* string parameter, "" when not set. */
    private String announced(String name) {
        String value = server.config().get(name);
        return value == null ? "" : value;
    }

    private long now() {
        return server.wallClock().millis();
    }

    private long nodeTimeout() {
        return state.nodeTimeout;
    }

    // ---------------------------------------------------------------- links

    private void received(BusLink link, byte[] bytes) {
        locked(() -> {
            if (!link.closed()) {
                ClusterMessage message = ClusterMessageCodec.decode(bytes);
                if (message != null && process(link, message)) {
                    beforeSleep();
                }
            }
        });
    }

    private void linkClosed(BusLink link) {
        locked(() -> freeLink(link));
    }

    /** Redis's {@code freeClusterLink}: the node keeps its state; the cron connects again. */
    private void freeLink(BusLink link) {
        link.close();
        allLinks.remove(link);
        if (link.node != null) {
            if (links.get(link.node) == link) {
                links.remove(link.node);
                link.node.linkConnected = false;
            }
            if (inboundLinks.get(link.node) == link) {
                inboundLinks.remove(link.node);
            }
        }
    }

    // tag::sendbuf-limit[]
    /**
     * Redis's {@code clusterNodeCronResizeBuffers}, then its {@code clusterNodeCronFreeLinkOnBufferLimitReached}: a
     * peer that does not read what it is sent (stopped, or on a slow network) would make its link's buffer grow
     * without end, so beyond {@code cluster-link-sendbuf-limit} (0: no limit) the link is freed, counted in CLUSTER
     * INFO, and made again by this same cron.
     */
    private void freeLinkOnBufferLimit(BusLink link) {
        if (link == null) {
            return;
        }
        link.resizeBuffer();
        long limit = server.config().number("cluster-link-sendbuf-limit");
        if (limit > 0 && link.allocated() > limit) {
            Log.log("#", "Freeing cluster link(" + (link.inbound ? "from" : "to") + " node " + link.node.name
                    + ", used memory: " + link.allocated() + ") due to exceeding send buffer memory limit.");
            freeLink(link);
            state.linksBufferLimitExceeded++;
        }
    }
    // end::sendbuf-limit[]

    private void connect(ClusterNode node) {
        BusLink link = BusLink.outbound(node, now());
        links.put(node, link);
        allLinks.add(link);
        String ip = node.ip;
        int cport = node.cport;
        int timeout = handshakeTimeout();
        boolean overTls = tlsCluster();
        Thread.ofVirtual().name("cluster-connect").start(() -> {
            try {
                link.connect(ip, cport, timeout);
                if (overTls) {
                    link.secure(server::overTls, timeout);
                }
            } catch (IOException e) {
                locked(() -> {
                    if (node.pingSent == 0) {
                        node.pingSent = now();
                    }
                    freeLink(link);
                });
                return;
            }
            locked(() -> {
                if (link.closed()) {
                    return;
                }
                link.startedAt = now();
                if (node.has(ClusterNode.HANDSHAKE)) {
                    node.ctime = link.startedAt; // the handshake window counts from a usable link (see cron)
                }
                link.start(this::received, this::linkClosed);
                node.linkConnected = true;
                long oldPingSent = node.pingSent;
                sendPing(link, node.has(ClusterNode.MEET) ? ClusterMessage.MEET : ClusterMessage.PING);
                if (oldPingSent != 0) {
                    node.pingSent = oldPingSent; // a reconnection does not hide a pending ping's timeout
                }
                node.flags &= ~ClusterNode.MEET;
            });
        });
    }

    private void send(BusLink link, ClusterMessage message) {
        if (link == null || link.closed()) {
            return;
        }
        link.send(ClusterMessageCodec.encode(message));
        int type = message.header().type();
        if (type < ClusterMessage.TYPE_COUNT) {
            state.messagesSent[type]++;
        }
    }

    /** Redis's {@code clusterBroadcastMessage}: every node with an outbound link, not in handshake. */
    private void broadcast(ClusterMessage message) {
        byte[] bytes = ClusterMessageCodec.encode(message);
        for (ClusterNode node : state.nodes()) {
            BusLink link = links.get(node);
            if (node.isMyself() || node.has(ClusterNode.HANDSHAKE) || link == null || link.closed()) {
                continue;
            }
            link.send(bytes);
            state.messagesSent[message.header().type()]++;
        }
    }

    // ---------------------------------------------------------------- messages out

    /** Redis's {@code clusterBuildMessageHdr}: a replica speaks for its master's slots and config epoch. */
    private Header header(int type) {
        ClusterNode me = state.myself;
        ClusterNode master = me.isReplica() && me.master != null ? me.master : me;
        int mflags0 = me.isMaster() && mfEnd != 0 ? ClusterMessage.FLAG0_PAUSED : 0;
        return new Header(type, me.port, state.currentEpoch,
                master.configEpoch, hooks.replicationOffset(), me.name, master.slotBytes(),
                me.master == null ? null : me.master.name, announced("cluster-announce-ip"), me.pport,
                me.cport, me.flags,
                state.health == ClusterState.Health.OK ? ClusterMessage.STATE_OK : ClusterMessage.STATE_FAIL, mflags0);
    }

    private ClusterMessage message(int type, Body body) {
        return new ClusterMessage(header(type), body);
    }

    /**
     * Redis's {@code clusterSendPing}: gossip about a tenth of the nodes (at least 3, at most all but the sender and
     * the receiver), never handshake or address-less nodes, then every PFAIL node, so failure reports spread fast.
     */
    void sendPing(BusLink link, int type) {
        List<ClusterNode> all = new ArrayList<>(state.nodes());
        int freshNodes = all.size() - 2;
        int wanted = Math.min(Math.max(all.size() / 10, 3), freshNodes);
        if (link.node != null && type == ClusterMessage.PING) {
            link.node.pingSent = now();
        }
        List<Gossip> gossip = new ArrayList<>();
        java.util.Set<ClusterNode> chosen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int maxIterations = wanted * 3;
        while (freshNodes > 0 && gossip.size() < wanted && maxIterations-- > 0) {
            ClusterNode node = all.get(random.nextInt(all.size()));
            if (node.isMyself() || node.timedOut()) {
                continue;
            }
            if (node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR) || (!links.containsKey(node) && node.numSlots == 0)) {
                freshNodes--;
                continue;
            }
            if (chosen.add(node)) {
                gossip.add(gossipAbout(node));
                freshNodes--;
            }
        }
        for (ClusterNode node : all) {
            if (node.timedOut() && !node.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR) && !node.isMyself()) {
                gossip.add(gossipAbout(node));
            }
        }
        List<Extension> extensions = new ArrayList<>();
        String hostname = state.myself.hostname;
        if (hostname != null && !hostname.isEmpty()) {
            extensions.add(ClusterMessageCodec.hostnameExtension(hostname));
        }
        send(link, message(type, new Ping(gossip, extensions)));
    }

    private static Gossip gossipAbout(ClusterNode node) {
        return new Gossip(node.name, node.pingSent / 1000, node.pongReceived / 1000, node.ip, node.port, node.cport,
                node.flags, node.pport);
    }

    @Override
    public void broadcastPong() {
        broadcastPong(false);
    }

    /** Redis's {@code clusterBroadcastPong}: to every node, or only to my master's other replicas. */
    private void broadcastPong(boolean localReplicasOnly) {
        for (ClusterNode node : state.nodes()) {
            BusLink link = links.get(node);
            if (link == null || link.closed() || node.isMyself() || node.has(ClusterNode.HANDSHAKE)) {
                continue;
            }
            if (localReplicasOnly && !(node.isReplica() && node.master != null && node.master == state.myself.master)) {
                continue;
            }
            sendPing(link, ClusterMessage.PONG);
        }
    }

    // ---------------------------------------------------------------- the cron

    /** Redis's {@code clusterCron}, every 100 ms. */
    void cron() {
        long now = now();
        long timeout = nodeTimeout();
        long handshakeTimeout = Math.max(timeout, 1000);
        iteration++;
        state.myself.hostname = announced("cluster-announce-hostname");
        pfailNodes = 0;
        for (ClusterNode node : new ArrayList<>(state.nodes())) {
            if (node.isMyself() || node.has(ClusterNode.NOADDR)) {
                continue;
            }
            if (node.timedOut()) {
                pfailNodes++;
            }
            freeLinkOnBufferLimit(links.get(node));
            freeLinkOnBufferLimit(inboundLinks.get(node));
            if (node.has(ClusterNode.HANDSHAKE) && now - node.ctime > handshakeTimeout && !connecting(node)) {
                deleteNode(node);
                continue;
            }
            if (!links.containsKey(node)) {
                connect(node);
            }
        }
        if (iteration % 10 == 0) { // once a second, ping the node of 5 random ones we heard from least recently
            List<ClusterNode> all = new ArrayList<>(state.nodes());
            ClusterNode oldest = null;
            for (int i = 0; i < 5 && !all.isEmpty(); i++) {
                ClusterNode node = all.get(ThreadLocalRandom.current().nextInt(all.size()));
                BusLink link = links.get(node);
                if (link == null || link.closed() || node.pingSent != 0
                        || node.has(ClusterNode.MYSELF | ClusterNode.HANDSHAKE)) {
                    continue;
                }
                if (oldest == null || node.pongReceived < oldest.pongReceived) {
                    oldest = node;
                }
            }
            if (oldest != null) {
                sendPing(links.get(oldest), ClusterMessage.PING);
            }
        }
        boolean update = false;
        int orphanedMasters = 0;
        int maxReplicas = 0;
        int myReplicaSiblings = 0;
        for (ClusterNode node : new ArrayList<>(state.nodes())) {
            if (node.has(ClusterNode.MYSELF | ClusterNode.NOADDR | ClusterNode.HANDSHAKE)) {
                continue;
            }
            if (state.myself.isReplica() && node.isMaster() && !node.failed()) {
                int okReplicas = node.nonFailingReplicas();
                if (okReplicas == 0 && node.numSlots > 0 && node.has(ClusterNode.MIGRATE_TO)) {
                    orphanedMasters++;
                }
                maxReplicas = Math.max(maxReplicas, okReplicas);
                if (state.myself.master == node) {
                    myReplicaSiblings = okReplicas;
                }
            }
            BusLink link = links.get(node);
            if (link != null && !link.closed() && link.startedAt != 0 && now - link.startedAt > timeout && node.pingSent != 0
                    && now - node.pingSent > timeout / 2 && now - node.dataReceived > timeout / 2) {
                freeLink(link); // connected but silent: reconnect
                link = null;
            }
            if (link != null && !link.closed() && node.pingSent == 0 && now - node.pongReceived > timeout / 2) {
                sendPing(link, ClusterMessage.PING);
                continue;
            }
            if (mfEnd != 0 && state.myself.isMaster() && mfReplica == node && link != null) {
                sendPing(link, ClusterMessage.PING);
                continue;
            }
            if (node.pingSent == 0) {
                continue;
            }
            // tag::pfail[]
            long delay = Math.min(now - node.pingSent, now - node.dataReceived);
            if (delay > timeout && !node.has(ClusterNode.PFAIL | ClusterNode.FAIL)) {
                node.flags |= ClusterNode.PFAIL;
                update = true;
            }
            // end::pfail[]
        }
        ClusterNode master = state.myself.master;
        if (state.myself.isReplica() && mfEnd == 0 && master != null && !master.has(ClusterNode.NOADDR)
                && master.port != 0 && !hooks.follows(master.ip, master.port)) {
            hooks.replicaOf(master.ip, master.port);
        }
        if (mfEnd != 0 && mfEnd < now) {
            resetManualFailover();
        }
        if (state.myself.isReplica()) {
            handleManualFailover();
            handleReplicaFailover();
            if (orphanedMasters > 0 && maxReplicas >= 2 && myReplicaSiblings == maxReplicas
                    && server.config().flag("cluster-allow-replica-migration")) {
                handleReplicaMigration(myReplicaSiblings);
            }
        }
        if (update || state.health == ClusterState.Health.FAIL) {
            state.update(now);
        }
    }

    /** Redis's {@code clusterBeforeSleep}: what messages and the cron flagged, once per batch. */
    void beforeSleep() {
        if (handleFailover) {
            handleFailover = false;
            if (state.myself.isReplica()) {
                handleManualFailover();
                handleReplicaFailover();
            }
        }
        if (state.takeUpdate()) {
            state.update(now());
        }
        if (state.takeSave()) {
            hooks.saveConfig(state.takeFsync());
        }
    }

    // ---------------------------------------------------------------- messages in

    /**
     * Redis's {@code clusterProcessPacket}: true when the link is still usable. The header alone updates epochs,
     * offsets and (for PING, PONG and MEET) the sender's role and slots.
     */
    boolean process(BusLink link, ClusterMessage message) {
        Header h = message.header();
        int type = h.type();
        long now = now();
        if (type < ClusterMessage.TYPE_COUNT) {
            state.messagesReceived[type]++;
        }
        ClusterNode sender = state.nodes.get(h.sender());
        if (sender != null && sender.has(ClusterNode.HANDSHAKE)) {
            sender = null;
        }
        if (sender != null) {
            sender.dataReceived = now;
            if (link.inbound && link.node == null) {
                link.node = sender;
                inboundLinks.put(sender, link);
            }
            if (h.currentEpoch() > state.currentEpoch) {
                state.currentEpoch = h.currentEpoch();
                state.markFsync();
            }
            if (h.configEpoch() > sender.configEpoch) {
                sender.configEpoch = h.configEpoch();
                state.markFsync();
            }
            sender.replOffset = h.offset();
            sender.replOffsetTime = now;
            if (mfEnd != 0 && state.myself.isReplica() && state.myself.master == sender
                    && (h.mflags0() & ClusterMessage.FLAG0_PAUSED) != 0 && mfMasterOffset == -1) {
                mfMasterOffset = sender.replOffset;
                handleFailover = true;
            }
        }
        boolean ping = type == ClusterMessage.PING || type == ClusterMessage.MEET;
        if (ping) {
            if ((type == ClusterMessage.MEET || state.myself.ip.isEmpty()) && announced("cluster-announce-ip").isEmpty()) {
                String ip = link.localIp();
                if (!ip.isEmpty() && !ip.equals(state.myself.ip)) {
                    state.myself.ip = ip;
                    state.markDirty(true, false);
                }
            }
            if (sender == null && type == ClusterMessage.MEET) {
                ClusterNode node = new ClusterNode(ClusterNode.randomName(), ClusterNode.HANDSHAKE, now);
                node.ip = h.myip().isEmpty() ? link.peerIp() : h.myip();
                node.port = h.port();
                node.pport = h.pport();
                node.cport = h.cport();
                state.addNode(node);
                state.markDirty(true, false);
                processGossip(null, (Ping) message.body(), true);
            }
            sendPing(link, ClusterMessage.PONG);
        }
        if (ping || type == ClusterMessage.PONG) {
            if (!link.inbound && link.node != null) {
                ClusterNode node = link.node;
                if (node.has(ClusterNode.HANDSHAKE)) {
                    if (sender != null) { // we knew it already: the handshake node was a duplicate
                        updateAddressIfNeeded(sender, link, h);
                        deleteNode(node);
                        return false;
                    }
                    state.renameNode(node, h.sender());
                    node.flags &= ~ClusterNode.HANDSHAKE;
                    node.flags |= h.flags() & (ClusterNode.MASTER | ClusterNode.SLAVE);
                    state.markDirty(true, false);
                } else if (!node.name.equals(h.sender())) {
                    node.flags |= ClusterNode.NOADDR;
                    node.ip = "";
                    node.port = 0;
                    node.pport = 0;
                    node.cport = 0;
                    freeLink(link);
                    state.markDirty(true, false);
                    return false;
                }
            }
            if (sender != null) {
                sender.flags = (sender.flags & ~ClusterNode.NOFAILOVER) | (h.flags() & ClusterNode.NOFAILOVER);
                if (type == ClusterMessage.PING && updateAddressIfNeeded(sender, link, h)) {
                    state.markDirty(true, true);
                }
            }
            if (!link.inbound && link.node != null && type == ClusterMessage.PONG) {
                ClusterNode node = link.node;
                node.pongReceived = now;
                node.pingSent = 0;
                if (node.timedOut()) {
                    node.flags &= ~ClusterNode.PFAIL;
                    state.markDirty(true, true);
                } else if (node.failed()) {
                    clearFailureIfNeeded(node);
                }
            }
            if (sender != null) {
                roleChange(sender, h);
                slotChange(sender, h);
                processGossip(sender, (Ping) message.body(), false);
                String hostname = ((Ping) message.body()).hostname();
                if (!hostname.equals(sender.hostname)) {
                    sender.hostname = hostname;
                    state.markDirty(true, false);
                }
            }
        } else if (type == ClusterMessage.FAIL) {
            if (sender != null) {
                ClusterNode failing = state.nodes.get(((Fail) message.body()).nodename());
                if (failing != null && !failing.has(ClusterNode.FAIL | ClusterNode.MYSELF)) {
                    Log.log("*", "FAIL message received from " + sender.name + " about " + failing.name);
                    failing.flags = (failing.flags | ClusterNode.FAIL) & ~ClusterNode.PFAIL;
                    failing.failTime = now;
                    state.markDirty(true, true);
                }
            }
        } else if (type == ClusterMessage.PUBLISH || type == ClusterMessage.PUBLISHSHARD) {
            if (sender != null) {
                Publish publish = (Publish) message.body();
                hooks.deliver(publish.channel(), publish.message(), type == ClusterMessage.PUBLISHSHARD);
            }
        } else if (type == ClusterMessage.FAILOVER_AUTH_REQUEST) {
            if (sender != null) {
                voteIfNeeded(sender, h);
            }
        } else if (type == ClusterMessage.FAILOVER_AUTH_ACK) {
            if (sender != null && sender.isMaster() && sender.numSlots > 0 && h.currentEpoch() >= authEpoch) {
                authCount++;
                handleFailover = true;
            }
        } else if (type == ClusterMessage.MFSTART) {
            if (sender != null && sender.master == state.myself) {
                resetManualFailover();
                mfEnd = now + MF_TIMEOUT;
                mfReplica = sender;
                server.pauseClients(now + MF_TIMEOUT * MF_PAUSE_MULT, ServerContext.PauseMode.WRITE);
                Log.log("*", "Manual failover requested by replica " + sender.name + ".");
                BusLink toReplica = links.get(sender);
                if (toReplica != null) {
                    sendPing(toReplica, ClusterMessage.PING);
                }
            }
        } else if (type == ClusterMessage.UPDATE) {
            if (sender != null) {
                Update update = (Update) message.body();
                ClusterNode node = state.nodes.get(update.nodename());
                if (node != null && node.configEpoch < update.configEpoch()) {
                    if (node.isReplica()) {
                        state.setAsMaster(node);
                    }
                    node.configEpoch = update.configEpoch();
                    updateSlotsConfigWith(node, update.configEpoch(), update.slots());
                }
            }
        }
        return true;
    }

    /** Slave -> master or master -> slave, or a new master for a replica, as the header says. */
    private void roleChange(ClusterNode sender, Header h) {
        if (h.slaveof() == null) {
            state.setAsMaster(sender);
            return;
        }
        ClusterNode master = state.nodes.get(h.slaveof());
        if (sender.isMaster()) {
            state.deleteSlotsOf(sender);
            sender.flags = (sender.flags & ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO)) | ClusterNode.SLAVE;
            state.markDirty(true, true);
        }
        if (master != null && sender.master != master) {
            state.setReplicaOf(sender, master);
        }
    }

    /**
     * The sender's slot claims: a master's claims with a greater config epoch win slots
     * ({@code clusterUpdateSlotsConfigWith}); a claim older than what we know gets an UPDATE back.
     */
    private void slotChange(ClusterNode sender, Header h) {
        ClusterNode senderMaster = sender.isMaster() ? sender : sender.master;
        boolean dirty = senderMaster != null && !senderMaster.sameSlots(h.myslots());
        if (!dirty) {
            if (state.myself.isMaster() && sender.isMaster() && h.configEpoch() == state.myself.configEpoch) {
                handleConfigEpochCollision(sender);
            }
            return;
        }
        if (sender.isMaster()) {
            updateSlotsConfigWith(sender, h.configEpoch(), h.myslots());
        }
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (ClusterNode.hasSlot(h.myslots(), slot)) {
                ClusterNode owner = state.slots[slot];
                if (owner == sender || owner == null) {
                    continue;
                }
                if (owner.configEpoch > h.configEpoch()) {
                    BusLink link = links.get(sender);
                    if (link != null) {
                        send(link, message(ClusterMessage.UPDATE,
                                new Update(owner.configEpoch, owner.name, owner.slotBytes())));
                    }
                    break;
                }
            }
        }
        if (state.myself.isMaster() && sender.isMaster() && h.configEpoch() == state.myself.configEpoch) {
            handleConfigEpochCollision(sender);
        }
    }

    /** Redis's {@code clusterUpdateSlotsConfigWith}. */
    void updateSlotsConfigWith(ClusterNode sender, long senderConfigEpoch, byte[] claimed) {
        if (sender.isMyself()) {
            return;
        }
        ClusterNode me = state.myself;
        ClusterNode currentMaster = me.isMaster() ? me : me.master;
        ClusterNode newMaster = null;
        int senderSlots = 0;
        int migratedOurSlots = 0;
        List<Integer> dirtySlots = new ArrayList<>();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (!ClusterNode.hasSlot(claimed, slot)) {
                continue;
            }
            senderSlots++;
            ClusterNode owner = state.slots[slot];
            if (owner == sender || state.importingFrom[slot] != null) {
                continue;
            }
            if (owner == null || owner.configEpoch < senderConfigEpoch) {
                if (owner == me && sender != me && hooks.keysInSlot(slot) > 0) {
                    dirtySlots.add(slot);
                }
                if (owner != null && owner == currentMaster) {
                    newMaster = sender;
                    migratedOurSlots++;
                }
                state.deleteSlot(slot);
                state.addSlot(slot, sender);
                state.markFsync();
                state.markDirty(true, true);
            }
        }
        if (newMaster != null && currentMaster.numSlots == 0
                && (server.config().flag("cluster-allow-replica-migration") || senderSlots == migratedOurSlots)) {
            Log.log("*", "Configuration change detected. Reconfiguring myself as a replica of " + sender.name);
            setMaster(sender);
            state.markFsync();
        } else if (me.master != null && me.master.master != null) {
            setMaster(me.master.master); // never a replica of a replica
        } else {
            for (int slot : dirtySlots) {
                hooks.deleteKeysInSlot(slot);
            }
        }
    }

    /** Redis's {@code clusterHandleConfigEpochCollision}: of two masters with one epoch, the greater name moves on. */
    private void handleConfigEpochCollision(ClusterNode sender) {
        ClusterNode me = state.myself;
        if (sender.configEpoch != me.configEpoch || !sender.isMaster() || !me.isMaster()
                || sender.name.compareTo(me.name) <= 0) {
            return;
        }
        state.currentEpoch++;
        me.configEpoch = state.currentEpoch;
        state.markFsync();
        Log.log("*", "configEpoch collision with node " + sender.name + ". configEpoch set to " + me.configEpoch);
    }

    /** Redis's {@code nodeUpdateAddressIfNeeded}: a PING from a known node at a new address. */
    private boolean updateAddressIfNeeded(ClusterNode node, BusLink link, Header h) {
        if (links.get(node) == link) {
            return false;
        }
        String ip = h.myip().isEmpty() ? link.peerIp() : h.myip();
        if (ip.equals(node.ip) && node.port == h.port() && node.cport == h.cport() && node.pport == h.pport()) {
            return false;
        }
        node.ip = ip;
        node.port = h.port();
        node.pport = h.pport();
        node.cport = h.cport();
        node.flags &= ~ClusterNode.NOADDR;
        BusLink old = links.get(node);
        if (old != null) {
            freeLink(old);
        }
        if (state.myself.isReplica() && state.myself.master == node) {
            hooks.replicaOf(node.ip, node.port);
        }
        return true;
    }

    /** Redis's {@code clusterProcessGossipSection}: failure reports from masters, and nodes learnt of. */
    private void processGossip(ClusterNode sender, Ping ping, boolean fromMeet) {
        long now = now();
        for (Gossip g : ping.gossip()) {
            int flags = g.flags();
            ClusterNode node = state.nodes.get(g.nodename());
            if (node != null) {
                if (sender != null && sender.isMaster() && !node.isMyself()) {
                    if ((flags & (ClusterNode.FAIL | ClusterNode.PFAIL)) != 0) {
                        node.addFailReport(sender, now);
                        markFailingIfNeeded(node);
                    } else {
                        node.removeFailReport(sender);
                    }
                }
                if ((flags & (ClusterNode.FAIL | ClusterNode.PFAIL)) == 0 && node.pingSent == 0
                        && node.failReportCount(now, nodeTimeout() * FAIL_REPORT_VALIDITY_MULT) == 0) {
                    long pongTime = g.pongReceived() * 1000;
                    if (pongTime <= now + 500 && pongTime > node.pongReceived) {
                        node.pongReceived = pongTime;
                    }
                }
                if (node.has(ClusterNode.FAIL | ClusterNode.PFAIL)
                        && (flags & (ClusterNode.NOADDR | ClusterNode.FAIL | ClusterNode.PFAIL)) == 0
                        && (!node.ip.equalsIgnoreCase(g.ip()) || node.port != g.port() || node.cport != g.cport())) {
                    BusLink link = links.get(node);
                    if (link != null) {
                        freeLink(link);
                    }
                    node.ip = g.ip();
                    node.port = g.port();
                    node.pport = g.pport();
                    node.cport = g.cport();
                    node.flags &= ~ClusterNode.NOADDR;
                }
            } else if ((sender != null || fromMeet) && (flags & ClusterNode.NOADDR) == 0
                    && !state.blacklisted(g.nodename(), now / 1000) && ClusterNode.validName(g.nodename())) {
                ClusterNode learnt = new ClusterNode(g.nodename(), flags & ~ClusterNode.MYSELF, now);
                learnt.ip = g.ip();
                learnt.port = g.port();
                learnt.pport = g.pport();
                learnt.cport = g.cport();
                state.addNode(learnt);
                state.markDirty(true, false);
            }
        }
    }

    // tag::fail[]
    /** Redis's {@code markNodeAsFailingIfNeeded}: PFAIL becomes FAIL with a majority of masters' reports. */
    private void markFailingIfNeeded(ClusterNode node) {
        int quorum = state.size / 2 + 1;
        if (!node.timedOut() || node.failed()) {
            return;
        }
        int failures = node.failReportCount(now(), nodeTimeout() * FAIL_REPORT_VALIDITY_MULT);
        if (state.myself.isMaster()) {
            failures++;
        }
        if (failures < quorum) {
            return;
        }
        Log.log("*", "Marking node " + node.name + " as failing (quorum reached).");
        node.flags = (node.flags & ~ClusterNode.PFAIL) | ClusterNode.FAIL;
        node.failTime = now();
        broadcast(message(ClusterMessage.FAIL, new Fail(node.name)));
        state.markDirty(true, true);
    }
    // end::fail[]

    /** Redis's {@code clearNodeFailureIfNeeded}: a reachable replica at once, a master only after a while. */
    private void clearFailureIfNeeded(ClusterNode node) {
        long now = now();
        if (node.isReplica() || node.numSlots == 0
                || now - node.failTime > nodeTimeout() * FAIL_UNDO_TIME_MULT) {
            Log.log("*", "Clear FAIL state for node " + node.name + ": it is reachable again.");
            node.flags &= ~ClusterNode.FAIL;
            state.markDirty(true, true);
        }
    }

    private void deleteNode(ClusterNode node) {
        BusLink link = links.get(node);
        if (link != null) {
            freeLink(link);
        }
        BusLink inbound = inboundLinks.get(node);
        if (inbound != null) {
            freeLink(inbound);
        }
        state.deleteNode(node);
        state.markDirty(true, true);
    }

    // ---------------------------------------------------------------- failover

    /** Redis's {@code clusterSetMaster}: this node (without slots) replicates {@code master}. */
    public void setMaster(ClusterNode master) {
        ClusterNode me = state.myself;
        if (me.isMaster()) {
            state.closeAllSlots();
        }
        state.setReplicaOf(me, master);
        hooks.replicaOf(master.ip, master.port);
        resetManualFailover();
    }

    /** Redis's {@code clusterGetSlaveRank}: how many sibling replicas have a greater offset than mine. */
    private int replicaRank() {
        ClusterNode master = state.myself.master;
        if (master == null) {
            return 0;
        }
        long myOffset = hooks.replicationOffset();
        int rank = 0;
        for (ClusterNode replica : master.replicas) {
            if (replica != state.myself && !replica.has(ClusterNode.NOFAILOVER) && replica.replOffset > myOffset) {
                rank++;
            }
        }
        return rank;
    }

    /** Redis's {@code clusterHandleSlaveFailover}: the election, from scheduling to promotion. */
    private void handleReplicaFailover() {
        ClusterNode me = state.myself;
        ClusterNode master = me.master;
        long now = now();
        long authAge = now - authTime;
        int quorum = state.size / 2 + 1;
        boolean manual = mfEnd != 0 && mfCanStart;
        long authTimeout = Math.max(nodeTimeout() * 2, 2000);
        long authRetryTime = authTimeout * 2;
        if (me.isMaster() || master == null || (!master.failed() && !manual)
                || (server.config().flag("cluster-replica-no-failover") && !manual) || master.numSlots == 0) {
            return;
        }
        long dataAge = hooks.masterSilenceMillis();
        if (dataAge > nodeTimeout()) {
            dataAge -= nodeTimeout(); // being cut off for the time it took to flag the master FAIL is the baseline
        }
        long validityFactor = server.config().number("cluster-replica-validity-factor");
        if (validityFactor > 0 && !manual && dataAge > server.config().number("repl-ping-replica-period") * 1000
                + nodeTimeout() * validityFactor) {
            if (!cantFailoverLogged) {
                cantFailoverLogged = true;
                Log.log("#", "Currently unable to failover: Disconnected from master for longer than allowed. "
                        + "Please check the 'cluster-replica-validity-factor' configuration option.");
            }
            return;
        }
        cantFailoverLogged = false;
        // tag::schedule[]
        if (authAge > authRetryTime) {
            authTime = now + 500 + ThreadLocalRandom.current().nextLong(500);
            authCount = 0;
            authSent = false;
            authRank = replicaRank();
            authTime += authRank * 1000L;
            if (mfEnd != 0) {
                authTime = now;
                authRank = 0;
                handleFailover = true;
            }
            Log.log("*", "Start of election delayed for " + (authTime - now) + " milliseconds (rank #" + authRank
                    + ", offset " + hooks.replicationOffset() + ").");
            broadcastPong(true);
            return;
        }
        // end::schedule[]
        if (!authSent && mfEnd == 0) {
            int rank = replicaRank();
            if (rank > authRank) {
                authTime += (rank - authRank) * 1000L;
                authRank = rank;
            }
        }
        if (now < authTime || authAge > authTimeout) {
            return;
        }
        if (!authSent) {
            state.currentEpoch++;
            authEpoch = state.currentEpoch;
            Log.log("*", "Starting a failover election for epoch " + authEpoch + ".");
            Header h = header(ClusterMessage.FAILOVER_AUTH_REQUEST);
            if (mfEnd != 0) {
                h = new Header(h.type(), h.port(), h.currentEpoch(), h.configEpoch(), h.offset(), h.sender(),
                        h.myslots(), h.slaveof(), h.myip(), h.pport(), h.cport(), h.flags(), h.state(),
                        h.mflags0() | ClusterMessage.FLAG0_FORCEACK);
            }
            broadcast(new ClusterMessage(h, new Empty()));
            authSent = true;
            state.markFsync();
            state.markDirty(true, true);
            return;
        }
        if (authCount >= quorum) {
            Log.log("*", "Failover election won: I'm the new master.");
            if (me.configEpoch < authEpoch) {
                me.configEpoch = authEpoch;
                Log.log("*", "configEpoch set to " + me.configEpoch + " after successful failover");
            }
            replaceMaster();
        }
    }

    /** Redis's {@code clusterFailoverReplaceYourMaster}: master now, with the old master's slots, and say so. */
    private void replaceMaster() {
        ClusterNode me = state.myself;
        ClusterNode old = me.master;
        if (me.isMaster() || old == null) {
            return;
        }
        state.setAsMaster(me);
        hooks.promote();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (old.hasSlot(slot)) {
                state.deleteSlot(slot);
                state.addSlot(slot, me);
            }
        }
        state.update(now());
        hooks.saveConfig(true);
        broadcastPong(false);
        resetManualFailover();
    }

    /** Redis's {@code clusterSendFailoverAuthIfNeeded}: a master votes once per epoch, for a replica of a FAIL master. */
    private void voteIfNeeded(ClusterNode node, Header request) {
        ClusterNode me = state.myself;
        ClusterNode master = node.master;
        boolean forceAck = (request.mflags0() & ClusterMessage.FLAG0_FORCEACK) != 0;
        if (me.isReplica() || me.numSlots == 0 || request.currentEpoch() < state.currentEpoch
                || state.lastVoteEpoch == state.currentEpoch) {
            return;
        }
        if (node.isMaster() || master == null || (!master.failed() && !forceAck)) {
            return;
        }
        long now = now();
        // tag::vote[]
        if (now - master.voteTime < nodeTimeout() * 2) {
            return;
        }
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (ClusterNode.hasSlot(request.myslots(), slot) && state.slots[slot] != null
                    && state.slots[slot].configEpoch > request.configEpoch()) {
                return;
            }
        }
        state.lastVoteEpoch = state.currentEpoch;
        master.voteTime = now;
        state.markFsync();
        Log.log("*", "Failover auth granted to " + node.name + " for epoch " + state.currentEpoch);
        send(links.get(node), message(ClusterMessage.FAILOVER_AUTH_ACK, new Empty()));
        // end::vote[]
    }

    /** Redis's {@code clusterHandleManualFailover}: the replica caught up with its paused master's offset. */
    private void handleManualFailover() {
        if (mfEnd == 0 || mfCanStart || mfMasterOffset == -1) {
            return;
        }
        if (mfMasterOffset == hooks.replicationOffset()) {
            mfCanStart = true;
            Log.log("*", "All master replication stream processed, manual failover can start.");
            handleFailover = true;
        }
    }

    private void resetManualFailover() {
        if (mfReplica != null) {
            server.unpauseClients();
        }
        mfEnd = 0;
        mfCanStart = false;
        mfReplica = null;
        mfMasterOffset = -1;
    }

    /** Redis's {@code clusterHandleSlaveMigration}: the replica of the best-served master moves to an orphan. */
    private void handleReplicaMigration(int siblings) {
        ClusterNode me = state.myself;
        ClusterNode master = me.master;
        if (state.health != ClusterState.Health.OK || master == null
                || siblings <= server.config().number("cluster-migration-barrier")) {
            return;
        }
        for (ClusterNode replica : master.replicas) {
            if (!replica.failed() && !replica.timedOut() && replica.name.compareTo(me.name) < 0) {
                return; // the replica with the smallest name moves
            }
        }
        ClusterNode target = null;
        long now = now();
        for (ClusterNode node : state.nodes()) {
            if (node.isMaster() && !node.failed() && node.numSlots > 0 && node.nonFailingReplicas() == 0
                    && node.has(ClusterNode.MIGRATE_TO)) {
                if (node.orphanedTime == 0) {
                    node.orphanedTime = now;
                }
                if (target == null) {
                    target = node;
                }
            } else {
                node.orphanedTime = 0;
            }
        }
        if (target != null && now - target.orphanedTime > 5000) {
            Log.log("*", "Migrating to orphaned master " + target.name);
            setMaster(target);
        }
    }

    // ---------------------------------------------------------------- what CLUSTER commands ask

    @Override
    public boolean meet(String ip, int port, int cport) {
        String normalized;
        try {
            normalized = InetAddress.getByName(ip).getHostAddress();
        } catch (IOException e) {
            return false;
        }
        if (port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
            return false;
        }
        for (ClusterNode node : state.nodes()) {
            if (node.has(ClusterNode.HANDSHAKE) && node.ip.equalsIgnoreCase(normalized) && node.port == port
                    && node.cport == cport) {
                return true; // a handshake is already in progress
            }
        }
        ClusterNode node = new ClusterNode(ClusterNode.randomName(), ClusterNode.HANDSHAKE | ClusterNode.MEET, now());
        node.ip = normalized;
        node.port = port;
        node.cport = cport;
        state.addNode(node);
        return true;
    }

    @Override
    public void forget(ClusterNode node) {
        BusLink link = links.remove(node);
        if (link != null) {
            freeLink(link);
        }
        BusLink inbound = inboundLinks.remove(node);
        if (inbound != null) {
            freeLink(inbound);
        }
    }

    @Override
    public String failover(String mode) {
        ClusterNode me = state.myself;
        if (me.isMaster()) {
            return "ERR You should send CLUSTER FAILOVER to a replica";
        }
        if (me.master == null) {
            return "ERR I'm a replica but my master is unknown to me";
        }
        BusLink toMaster = links.get(me.master);
        boolean force = mode.equalsIgnoreCase("force");
        boolean takeover = mode.equalsIgnoreCase("takeover");
        if (!force && !takeover && (me.master.failed() || toMaster == null || toMaster.closed())) {
            return "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE";
        }
        resetManualFailover();
        mfEnd = now() + MF_TIMEOUT;
        if (takeover) {
            Log.log("*", "Taking over the master (user request).");
            state.bumpEpochWithoutConsensus();
            replaceMaster();
        } else if (force) {
            Log.log("*", "Forced failover user request accepted.");
            mfCanStart = true;
            handleFailover = true;
        } else {
            Log.log("*", "Manual failover user request accepted.");
            send(toMaster, message(ClusterMessage.MFSTART, new Empty()));
        }
        return null;
    }

    @Override
    public List<Link> links() {
        List<Link> result = new ArrayList<>();
        for (BusLink link : allLinks) {
            if (link.node == null || link.closed()) {
                continue;
            }
            long pending = link.pending();
            result.add(new Link(link.inbound ? "from" : "to", link.node.name, link.ctime, pending > 0 ? "rw" : "r",
                    link.allocated(), pending));
        }
        return result;
    }

    @Override
    public void publish(byte[] channel, byte[] message, boolean sharded) {
        ClusterMessage publish = message(sharded ? ClusterMessage.PUBLISHSHARD : ClusterMessage.PUBLISH,
                new Publish(channel, message));
        if (!sharded) {
            broadcast(publish);
            return;
        }
        ClusterNode me = state.myself;
        ClusterNode master = me.isMaster() ? me : me.master;
        if (master == null || (master.numSlots == 0 && me.isMaster())) {
            return;
        }
        byte[] bytes = ClusterMessageCodec.encode(publish);
        List<ClusterNode> shard = new ArrayList<>(master.replicas);
        shard.add(master);
        for (ClusterNode node : shard) {
            BusLink link = links.get(node);
            if (node != me && link != null && !link.closed()) {
                link.send(bytes);
                state.messagesSent[ClusterMessage.PUBLISHSHARD]++;
            }
        }
    }

    /** Failure reports about {@code node} still valid (CLUSTER COUNT-FAILURE-REPORTS). */
    public int failureReports(ClusterNode node) {
        return node.failReportCount(now(), nodeTimeout() * FAIL_REPORT_VALIDITY_MULT);
    }

    /** PFAIL nodes seen by the last cron (CLUSTER INFO does not show it; the gossip does). */
    int pfailNodes() {
        return pfailNodes;
    }

    /** Used by tests: the node's outbound link, if any. */
    Map<String, Boolean> linkStates() {
        Map<String, Boolean> result = new HashMap<>();
        links.forEach((node, link) -> result.put(node.name, !link.closed()));
        return result;
    }
}
