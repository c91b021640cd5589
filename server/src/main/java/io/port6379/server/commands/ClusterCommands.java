// CLUSTER and its subcommands, ASKING, READONLY and READWRITE: a cluster node's state as its operators and clients see it.
package io.port6379.server.commands;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.cluster.Cluster;
import io.port6379.server.cluster.ClusterBus;
import io.port6379.server.cluster.ClusterNode;
import io.port6379.server.cluster.ClusterState;
import io.port6379.server.cluster.KeySlot;
import io.port6379.server.cluster.NodesConf;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code clusterCommand}. Operators and {@code redis-cli --cluster} build a cluster with these: ADDSLOTS
 * gives slots to a node, MEET introduces nodes, REPLICATE makes replicas, SETSLOT moves a slot; clients read the
 * slot map with SLOTS, SHARDS or NODES. Every change to the state is flagged for the cron, which saves
 * {@code nodes.conf} and computes {@code cluster_state} again (Redis's {@code clusterDoBeforeSleep}).
 */
public final class ClusterCommands {

    private ClusterCommands() {
    }

    private static Cluster cluster(Client client) {
        Cluster cluster = Cluster.of(client.server());
        if (cluster == null) {
            throw new RedisException("ERR This instance has cluster support disabled");
        }
        return cluster;
    }

    private static ClusterState state(Client client) {
        return cluster(client).state();
    }

    /** A slot argument, as Redis's getSlotOrReply. */
    private static int slotArg(byte[] arg) {
        long slot;
        try {
            slot = Args.parseLong(arg);
        } catch (RedisException e) {
            throw new RedisException("ERR Invalid or out of range slot");
        }
        if (slot < 0 || slot >= KeySlot.SLOTS) {
            throw new RedisException("ERR Invalid or out of range slot");
        }
        return (int) slot;
    }

    private static ClusterNode known(ClusterState state, byte[] name, String error) {
        ClusterNode node = state.node(Args.text(name));
        if (node == null) {
            throw new RedisException("ERR " + error + " " + Args.text(name));
        }
        return node;
    }

    /** Redis's addReplySubcommandSyntaxError: the subcommand as it was typed. */
    private static RedisException syntaxOf(byte[][] args) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
                + "'. Try CLUSTER HELP.");
    }

    // tag::info[]
    /** CLUSTER INFO: Redis's clusterGenClusterInfo. */
    static void info(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        cluster.settle();
        ClusterState state = cluster.state();
        int[] slots = state.slotCounts();
        ClusterNode myself = state.myself;
        long myEpoch = myself.isReplica() && myself.master != null ? myself.master.configEpoch : myself.configEpoch;
        StringBuilder text = new StringBuilder()
                .append("cluster_state:").append(state.health == ClusterState.Health.OK ? "ok" : "fail").append("\r\n")
                .append("cluster_slots_assigned:").append(slots[0]).append("\r\n")
                .append("cluster_slots_ok:").append(slots[1]).append("\r\n")
                .append("cluster_slots_pfail:").append(slots[2]).append("\r\n")
                .append("cluster_slots_fail:").append(slots[3]).append("\r\n")
                .append("cluster_known_nodes:").append(state.nodes.size()).append("\r\n")
                .append("cluster_size:").append(state.size).append("\r\n")
                .append("cluster_current_epoch:").append(state.currentEpoch).append("\r\n")
                .append("cluster_my_epoch:").append(myEpoch).append("\r\n");
        appendMessageStats(text, state.messagesSent, "sent");
        appendMessageStats(text, state.messagesReceived, "received");
        text.append("total_cluster_links_buffer_limit_exceeded:").append(state.linksBufferLimitExceeded).append("\r\n");
        Replies.verbatim(reply, text.toString());
    }
    // end::info[]

    private static void appendMessageStats(StringBuilder text, long[] counts, String direction) {
        long total = 0;
        for (int type = 0; type < counts.length; type++) {
            if (counts[type] != 0) {
                text.append("cluster_stats_messages_").append(ClusterState.MESSAGE_TYPES.get(type)).append('_')
                        .append(direction).append(':').append(counts[type]).append("\r\n");
                total += counts[type];
            }
        }
        text.append("cluster_stats_messages_").append(direction).append(':').append(total).append("\r\n");
    }

    static void myId(Client client, byte[][] args, RespWriter reply) {
        reply.bulkString(state(client).myself.name);
    }

    static void nodes(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        cluster.refreshMyself();
        Replies.verbatim(reply, NodesConf.describe(cluster.state(), false, cluster.usePport(client)));
    }

    /** CLUSTER REPLICAS and SLAVES: the replicas' CLUSTER NODES lines. */
    static void replicas(Client client, byte[][] args, RespWriter reply) {
        ClusterState state = state(client);
        ClusterNode node = known(state, args[2], "Unknown node");
        if (!node.isMaster()) {
            throw new RedisException("ERR The specified node is not a master");
        }
        reply.arrayHeader(node.replicas.size());
        for (ClusterNode replica : node.replicas) {
            reply.bulkString(NodesConf.line(state, replica, cluster(client).usePport(client)));
        }
    }

    static void keySlot(Client client, byte[][] args, RespWriter reply) {
        cluster(client);
        reply.integer(KeySlot.slot(args[2]));
    }

    static void countKeysInSlot(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        long slot = Args.parseLong(args[2]);
        if (slot < 0 || slot >= KeySlot.SLOTS) {
            throw new RedisException("ERR Invalid slot");
        }
        reply.integer(cluster.index().count((int) slot));
    }

    static void getKeysInSlot(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        long slot = Args.parseLong(args[2]);
        long max = Args.parseLong(args[3]);
        if (max < 0 || slot < 0 || slot >= KeySlot.SLOTS) {
            throw new RedisException("ERR Invalid slot or number of keys");
        }
        List<byte[]> keys = cluster.index().keys((int) slot, max);
        reply.arrayHeader(keys.size());
        keys.forEach(reply::bulkString);
    }

    // tag::addslots[]
    /**
     * ADDSLOTS, DELSLOTS and their RANGE forms: every slot is checked before any changes (busy, unassigned,
     * named twice), so a refused call changes nothing.
     */
    private static void changeSlots(Client client, byte[][] args, boolean ranges, boolean add) {
        ClusterState state = state(client);
        if (ranges && args.length % 2 == 1) {
            throw new RedisException("ERR wrong number of arguments for 'cluster|" + Args.text(args[1]).toLowerCase()
                    + "' command");
        }
        byte[] named = new byte[KeySlot.SLOTS];
        for (int i = 2; i < args.length; i += ranges ? 2 : 1) {
            int start = slotArg(args[i]);
            int end = ranges ? slotArg(args[i + 1]) : start;
            if (start > end) {
                throw new RedisException("ERR start slot number " + start + " is greater than end slot number " + end);
            }
            for (int slot = start; slot <= end; slot++) {
                if (!add && state.slots[slot] == null) {
                    throw new RedisException("ERR Slot " + slot + " is already unassigned");
                } else if (add && state.slots[slot] != null) {
                    throw new RedisException("ERR Slot " + slot + " is already busy");
                }
                if (named[slot]++ == 1) {
                    throw new RedisException("ERR Slot " + slot + " specified multiple times");
                }
            }
        }
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (named[slot] == 0) {
                continue;
            }
            if (add) {
                state.importingFrom[slot] = null; // the real owner now: no longer importing
                state.addSlot(slot, state.myself);
            } else {
                state.deleteSlot(slot);
            }
        }
        state.markDirty(true, true);
    }
    // end::addslots[]

    static void addSlots(Client client, byte[][] args, RespWriter reply) {
        changeSlots(client, args, false, true);
        Replies.ok(reply);
    }

    static void addSlotsRange(Client client, byte[][] args, RespWriter reply) {
        changeSlots(client, args, true, true);
        Replies.ok(reply);
    }

    static void delSlots(Client client, byte[][] args, RespWriter reply) {
        changeSlots(client, args, false, false);
        Replies.ok(reply);
    }

    static void delSlotsRange(Client client, byte[][] args, RespWriter reply) {
        changeSlots(client, args, true, false);
        Replies.ok(reply);
    }

    static void flushSlots(Client client, byte[][] args, RespWriter reply) {
        ClusterState state = state(client);
        if (client.server().databases().get(0).size() != 0) {
            throw new RedisException("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
        }
        state.deleteSlotsOf(state.myself);
        state.markDirty(true, true);
        Replies.ok(reply);
    }

    // tag::setslot[]
    /** CLUSTER SETSLOT slot IMPORTING|MIGRATING|NODE node, or STABLE: the steps of moving a slot. */
    static void setSlot(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        ClusterState state = cluster.state();
        ClusterNode myself = state.myself;
        if (myself.isReplica()) {
            throw new RedisException("ERR Please use SETSLOT only with masters.");
        }
        int slot = slotArg(args[2]);
        if (Args.is(args[3], "migrating") && args.length == 5) {
            if (state.slots[slot] != myself) {
                throw new RedisException("ERR I'm not the owner of hash slot " + slot);
            }
            state.migratingTo[slot] = master(known(state, args[4], "I don't know about node"));
        } else if (Args.is(args[3], "importing") && args.length == 5) {
            if (state.slots[slot] == myself) {
                throw new RedisException("ERR I'm already the owner of hash slot " + slot);
            }
            state.importingFrom[slot] = master(known(state, args[4], "I don't know about node"));
        } else if (Args.is(args[3], "stable") && args.length == 4) {
            state.migratingTo[slot] = null;
            state.importingFrom[slot] = null;
        } else if (Args.is(args[3], "node") && args.length == 5) {
            ClusterNode node = master(known(state, args[4], "Unknown node"));
            int keys = cluster.index().count(slot);
            if (state.slots[slot] == myself && node != myself && keys != 0) {
                throw new RedisException("ERR Can't assign hashslot " + slot
                        + " to a different node while I still hold keys for this hash slot.");
            }
            if (keys == 0) {
                state.migratingTo[slot] = null; // nothing left to move: the migration is over
            }
            boolean wasMine = state.slots[slot] == myself;
            state.deleteSlot(slot);
            state.addSlot(slot, node);
            if (wasMine && node != myself && myself.numSlots == 0
                    && client.server().config().get("cluster-allow-replica-migration").equals("yes")) {
                cluster.setMaster(node); // a master left without slots follows them as a replica
            }
            if (node == myself && state.importingFrom[slot] != null) {
                state.bumpEpochWithoutConsensus(); // the new owner's claim must win over the old one's
                state.importingFrom[slot] = null;
                if (cluster.bus() != null) {
                    cluster.bus().broadcastPong(); // the other nodes learn of the import now, not at their next ping
                }
            }
        } else {
            throw new RedisException("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
        }
        state.markDirty(true, true);
        Replies.ok(reply);
    }
    // end::setslot[]

    private static ClusterNode master(ClusterNode node) {
        if (node.isReplica()) {
            throw new RedisException("ERR Target node is not a master");
        }
        return node;
    }

    static void bumpEpoch(Client client, byte[][] args, RespWriter reply) {
        ClusterState state = state(client);
        boolean bumped = state.bumpEpochWithoutConsensus();
        reply.simpleString((bumped ? "BUMPED " : "STILL ") + state.myself.configEpoch);
    }

    static void setConfigEpoch(Client client, byte[][] args, RespWriter reply) {
        ClusterState state = state(client);
        long epoch = Args.parseLong(args[2]);
        if (epoch < 0) {
            throw new RedisException("ERR Invalid config epoch specified: " + epoch);
        } else if (state.nodes.size() > 1) {
            throw new RedisException("ERR The user can assign a config epoch only when the node does not know any "
                    + "other node.");
        } else if (state.myself.configEpoch != 0) {
            throw new RedisException("ERR Node config epoch is already non-zero");
        }
        state.myself.configEpoch = epoch;
        state.currentEpoch = Math.max(state.currentEpoch, epoch);
        state.markFsync();
        state.markDirty(true, true);
        Replies.ok(reply);
    }

    static void reset(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        boolean hard = false;
        if (args.length == 3) {
            if (Args.is(args[2], "hard")) {
                hard = true;
            } else if (!Args.is(args[2], "soft")) {
                throw Args.syntaxError();
            }
        } else if (args.length > 3) {
            throw syntaxOf(args);
        }
        if (cluster.state().myself.isMaster() && client.server().databases().get(0).size() != 0) {
            throw new RedisException("ERR CLUSTER RESET can't be called with master nodes containing keys");
        }
        cluster.reset(hard);
        Replies.ok(reply);
    }

    static void saveConfig(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        if (!cluster.save(true)) {
            throw new RedisException("ERR error saving the cluster node config: could not write "
                    + cluster.configFile());
        }
        Replies.ok(reply);
    }

    static void forget(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        ClusterState state = cluster.state();
        ClusterNode node = known(state, args[2], "Unknown node");
        if (node == state.myself) {
            throw new RedisException("ERR I tried hard but I can't forget myself...");
        } else if (state.myself.isReplica() && state.myself.master == node) {
            throw new RedisException("ERR Can't forget my master!");
        }
        ClusterBus bus = requireBus(cluster);
        state.blacklist(node.name, client.server().clock().millis() / 1000);
        state.deleteNode(node);
        bus.forget(node);
        state.markDirty(true, true);
        Replies.ok(reply);
    }

    static void replicate(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        ClusterState state = cluster.state();
        ClusterNode node = known(state, args[2], "Unknown node");
        if (node == state.myself) {
            throw new RedisException("ERR Can't replicate myself");
        } else if (node.isReplica()) {
            throw new RedisException("ERR I can only replicate a master, not a replica.");
        } else if (state.myself.isMaster()
                && (state.myself.numSlots != 0 || client.server().databases().get(0).size() != 0)) {
            throw new RedisException("ERR To set a master the node must be empty and without assigned slots.");
        }
        cluster.setMaster(node);
        state.markDirty(true, true);
        Replies.ok(reply);
    }

    static void countFailureReports(Client client, byte[][] args, RespWriter reply) {
        ClusterState state = state(client);
        ClusterNode node = known(state, args[2], "Unknown node");
        reply.integer(node.failReportCount(client.server().clock().millis(), state.nodeTimeout * 2));
    }

    static void meet(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        if (args.length > 5) {
            throw syntaxOf(args);
        }
        long port;
        long cport;
        try {
            port = Args.parseLong(args[3]);
        } catch (RedisException e) {
            throw new RedisException("ERR Invalid TCP base port specified: " + Args.text(args[3]));
        }
        try {
            cport = args.length == 5 ? Args.parseLong(args[4]) : port + 10000;
        } catch (RedisException e) {
            throw new RedisException("ERR Invalid TCP bus port specified: " + Args.text(args[4]));
        }
        String ip = Args.text(args[2]);
        if (!validAddress(ip, port, cport)) {
            throw new RedisException("ERR Invalid node address specified: " + ip + ":" + Args.text(args[3]));
        }
        if (!requireBus(cluster).meet(ip, (int) port, (int) cport)) {
            throw new RedisException("ERR Invalid node address specified: " + ip + ":" + Args.text(args[3]));
        }
        Replies.ok(reply);
    }

    /** clusterStartHandshake's checks: an IPv4 or IPv6 address in numbers, ports within 1..65535 (0 for cport too). */
    private static boolean validAddress(String ip, long port, long cport) {
        if (port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
            return false;
        }
        if (ip.isEmpty() || !ip.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            java.net.InetAddress.getByName(ip); // a literal by the pattern above, so no name is looked up
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static void failover(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        ClusterState state = cluster.state();
        String mode = "";
        if (args.length == 3) {
            if (Args.is(args[2], "force") || Args.is(args[2], "takeover")) {
                mode = Args.text(args[2]).toLowerCase();
            } else {
                throw Args.syntaxError();
            }
        } else if (args.length > 3) {
            throw syntaxOf(args);
        }
        ClusterNode myself = state.myself;
        if (myself.isMaster()) {
            throw new RedisException("ERR You should send CLUSTER FAILOVER to a replica");
        } else if (myself.master == null) {
            throw new RedisException("ERR I'm a replica but my master is unknown to me");
        } else if (mode.isEmpty() && (myself.master.failed() || !myself.master.linkConnected)) {
            throw new RedisException("ERR Master is down or failed, please use CLUSTER FAILOVER FORCE");
        }
        String error = requireBus(cluster).failover(mode);
        if (error != null) {
            throw new RedisException(error);
        }
        Replies.ok(reply);
    }

    static void links(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        List<ClusterBus.Link> links = cluster.bus() == null ? List.of() : cluster.bus().links();
        reply.arrayHeader(links.size());
        for (ClusterBus.Link link : links) {
            reply.mapHeader(6);
            reply.bulkString("direction").bulkString(link.direction());
            reply.bulkString("node").bulkString(link.node());
            reply.bulkString("create-time").integer(link.createTime());
            reply.bulkString("events").bulkString(link.events());
            reply.bulkString("send-buffer-allocated").integer(link.sendBufferAllocated());
            reply.bulkString("send-buffer-used").integer(link.sendBufferUsed());
        }
    }

    /** The bus, for the subcommands that act through it; a node without one says so rather than pretend. */
    private static ClusterBus requireBus(Cluster cluster) {
        if (cluster.bus() == null) {
            throw new RedisException("ERR the cluster bus is not running on this node");
        }
        return cluster.bus();
    }

    // tag::slots[]
    /** CLUSTER SLOTS: per range of slots a master serves, the range, the master, then its replicas not failing. */
    static void slots(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        cluster.refreshMyself();
        ClusterState state = cluster.state();
        List<int[]> ranges = new ArrayList<>();
        List<ClusterNode> owners = new ArrayList<>();
        for (ClusterNode node : state.nodes()) {
            if (!node.isMaster() || node.numSlots == 0) {
                continue;
            }
            for (int[] range : node.slotRanges()) {
                ranges.add(range);
                owners.add(node);
            }
        }
        reply.arrayHeader(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            ClusterNode master = owners.get(i);
            List<ClusterNode> replicas = master.replicas.stream().filter(r -> !r.failed()).toList();
            reply.arrayHeader(3 + replicas.size());
            reply.integer(ranges.get(i)[0]).integer(ranges.get(i)[1]);
            slotsNode(cluster, client, master, reply);
            for (ClusterNode replica : replicas) {
                slotsNode(cluster, client, replica, reply);
            }
        }
    }
    // end::slots[]

    /** One node in CLUSTER SLOTS: the preferred endpoint, the port, the name, and the other endpoints as a map. */
    private static void slotsNode(Cluster cluster, Client client, ClusterNode node, RespWriter reply) {
        String type = cluster.server().config().get("cluster-preferred-endpoint-type");
        reply.arrayHeader(4);
        switch (type) {
            case "hostname" -> reply.bulkString(node.hostname.isEmpty() ? "?" : node.hostname);
            case "unknown-endpoint" -> reply.nullBulkString();
            default -> reply.bulkString(node.ip);
        }
        reply.integer(cluster.clientPort(client, node)).bulkString(node.name);
        boolean ip = !type.equals("ip");
        boolean hostname = !type.equals("hostname") && !node.hostname.isEmpty();
        reply.mapHeader((ip ? 1 : 0) + (hostname ? 1 : 0));
        if (ip) {
            reply.bulkString("ip").bulkString(node.ip);
        }
        if (hostname) {
            reply.bulkString("hostname").bulkString(node.hostname);
        }
    }

    /** CLUSTER SHARDS: per master, its slot ranges and its nodes (the master, then its replicas). */
    static void shards(Client client, byte[][] args, RespWriter reply) {
        Cluster cluster = cluster(client);
        cluster.refreshMyself();
        ClusterState state = cluster.state();
        List<ClusterNode> masters = state.nodes().stream().filter(ClusterNode::isMaster).toList();
        reply.arrayHeader(masters.size());
        for (ClusterNode master : masters) {
            reply.mapHeader(2);
            reply.bulkString("slots");
            List<int[]> ranges = master.slotRanges();
            reply.arrayHeader(2 * ranges.size());
            ranges.forEach(range -> reply.integer(range[0]).integer(range[1]));
            reply.bulkString("nodes");
            reply.arrayHeader(1 + master.replicas.size());
            shardNode(cluster, master, reply);
            for (ClusterNode replica : master.replicas) {
                shardNode(cluster, replica, reply);
            }
        }
    }

    private static void shardNode(Cluster cluster, ClusterNode node, RespWriter reply) {
        boolean tls = cluster.server().config().get("tls-cluster").equals("yes");
        boolean hostname = !node.hostname.isEmpty();
        int port = tls ? node.pport : node.port; // Redis's addNodeDetailsToShardReply: the plaintext port first
        int tlsPort = tls ? node.port : 0;
        reply.mapHeader(6 + (port != 0 ? 1 : 0) + (tlsPort != 0 ? 1 : 0) + (hostname ? 1 : 0));
        reply.bulkString("id").bulkString(node.name);
        if (port != 0) {
            reply.bulkString("port").integer(port);
        }
        if (tlsPort != 0) {
            reply.bulkString("tls-port").integer(tlsPort);
        }
        reply.bulkString("ip").bulkString(node.ip);
        reply.bulkString("endpoint").bulkString(cluster.preferredEndpoint(node));
        if (hostname) {
            reply.bulkString("hostname").bulkString(node.hostname);
        }
        reply.bulkString("role").bulkString(node.isMaster() ? "master" : "replica");
        long offset = node.isMyself() ? cluster.replicationOffset() : node.replOffset;
        reply.bulkString("replication-offset").integer(offset);
        String health = node.failed() ? "fail" : node.isReplica() && offset == 0 ? "loading" : "online";
        reply.bulkString("health").bulkString(health);
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        cluster(client);
        Replies.help(reply,
                "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "ADDSLOTS <slot> [<slot> ...]",
                "    Assign slots to current node.",
                "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
                "    Assign slots which are between <start-slot> and <end-slot> to current node.",
                "BUMPEPOCH",
                "    Advance the cluster config epoch.",
                "COUNT-FAILURE-REPORTS <node-id>",
                "    Return number of failure reports for <node-id>.",
                "COUNTKEYSINSLOT <slot>",
                "    Return the number of keys in <slot>.",
                "DELSLOTS <slot> [<slot> ...]",
                "    Delete slots information from current node.",
                "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
                "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
                "FAILOVER [FORCE|TAKEOVER]",
                "    Promote current replica node to being a master.",
                "FORGET <node-id>",
                "    Remove a node from the cluster.",
                "GETKEYSINSLOT <slot> <count>",
                "    Return key names stored by current node in a slot.",
                "FLUSHSLOTS",
                "    Delete current node own slots information.",
                "INFO",
                "    Return information about the cluster.",
                "KEYSLOT <key>",
                "    Return the hash slot for <key>.",
                "MEET <ip> <port> [<bus-port>]",
                "    Connect nodes into a working cluster.",
                "MYID",
                "    Return the node id.",
                "NODES",
                "    Return cluster configuration seen by node. Output format:",
                "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
                "REPLICATE <node-id>",
                "    Configure current node as replica to <node-id>.",
                "RESET [HARD|SOFT]",
                "    Reset current node (default: soft).",
                "SET-CONFIG-EPOCH <epoch>",
                "    Set config epoch of current node.",
                "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
                "    Set slot state.",
                "REPLICAS <node-id>",
                "    Return <node-id> replicas.",
                "SAVECONFIG",
                "    Force saving cluster configuration on disk.",
                "SLOTS",
                "    Return information about slots range mappings. Each range is made of:",
                "    start, end, master and replicas IP addresses, ports and ids",
                "SHARDS",
                "    Return information about slot range mappings and the nodes associated with them.",
                "LINKS",
                "    Return information about all network links between this node and its peers.",
                "    Output format is an array where each array element is a map containing attributes of a link");
    }

    /** ASKING: the next command may touch a slot this node is importing (after an {@code -ASK} redirection). */
    static void asking(Client client, byte[][] args, RespWriter reply) {
        cluster(client);
        Cluster.asking(client);
        Replies.ok(reply);
    }

    /** READONLY: this connection reads from a replica the slots of its master. */
    static void readonly(Client client, byte[][] args, RespWriter reply) {
        cluster(client);
        Cluster.readonly(client, true);
        Replies.ok(reply);
    }

    static void readwrite(Client client, byte[][] args, RespWriter reply) {
        cluster(client);
        Cluster.readonly(client, false);
        Replies.ok(reply);
    }

    public static void registerAll(CommandTable table) {
        table.handle("asking", ClusterCommands::asking);
        table.handle("readonly", ClusterCommands::readonly);
        table.handle("readwrite", ClusterCommands::readwrite);
        table.handle("cluster|info", ClusterCommands::info);
        table.handle("cluster|myid", ClusterCommands::myId);
        table.handle("cluster|nodes", ClusterCommands::nodes);
        table.handle("cluster|slots", ClusterCommands::slots);
        table.handle("cluster|shards", ClusterCommands::shards);
        table.handle("cluster|replicas", ClusterCommands::replicas);
        table.handle("cluster|slaves", ClusterCommands::replicas);
        table.handle("cluster|keyslot", ClusterCommands::keySlot);
        table.handle("cluster|countkeysinslot", ClusterCommands::countKeysInSlot);
        table.handle("cluster|getkeysinslot", ClusterCommands::getKeysInSlot);
        table.handle("cluster|addslots", ClusterCommands::addSlots);
        table.handle("cluster|addslotsrange", ClusterCommands::addSlotsRange);
        table.handle("cluster|delslots", ClusterCommands::delSlots);
        table.handle("cluster|delslotsrange", ClusterCommands::delSlotsRange);
        table.handle("cluster|flushslots", ClusterCommands::flushSlots);
        table.handle("cluster|setslot", ClusterCommands::setSlot);
        table.handle("cluster|bumpepoch", ClusterCommands::bumpEpoch);
        table.handle("cluster|set-config-epoch", ClusterCommands::setConfigEpoch);
        table.handle("cluster|reset", ClusterCommands::reset);
        table.handle("cluster|saveconfig", ClusterCommands::saveConfig);
        table.handle("cluster|forget", ClusterCommands::forget);
        table.handle("cluster|replicate", ClusterCommands::replicate);
        table.handle("cluster|count-failure-reports", ClusterCommands::countFailureReports);
        table.handle("cluster|meet", ClusterCommands::meet);
        table.handle("cluster|failover", ClusterCommands::failover);
        table.handle("cluster|links", ClusterCommands::links);
        table.handle("cluster|help", ClusterCommands::help);
    }
}
