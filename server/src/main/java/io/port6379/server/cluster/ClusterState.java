// What this node knows of the cluster: itself, its peers, who serves each slot, the epochs and the state.
package io.port6379.server.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's {@code clusterState}: one per node, changed under the execution lock by the CLUSTER commands and by the
 * cluster bus. {@link #slots} says which node serves each of the 16 384 slots, and is what routing asks on every
 * command; a node's own bitmap ({@link ClusterNode#slots}) mirrors it for the nodes it lists. A change that must
 * reach {@code nodes.conf} or the state (ok / fail) is only flagged with {@link #markDirty}; the cluster's cron
 * (Redis's {@code clusterBeforeSleep}) does the work once per batch of commands.
 */
public final class ClusterState {

    /** {@code cluster_state}: whether this node serves queries. */
    public enum Health { OK, FAIL }

    /** The bus message types, in the order of their numbers on the wire (CLUSTER INFO's names). */
    public static final List<String> MESSAGE_TYPES = List.of("ping", "pong", "meet", "fail", "publish",
            "auth-req", "auth-ack", "update", "mfstart", "module", "publishshard");

    /** After start-up a master waits this long before it says ok, so that it can learn of a newer configuration. */
    public static final long WRITABLE_DELAY = 2000;
    /** The bounds of how long a master that was in a minority partition waits before it says ok again. */
    public static final long MIN_REJOIN_DELAY = 500;
    public static final long MAX_REJOIN_DELAY = 5000;
    /** How long a forgotten node is not added back from gossip (CLUSTER FORGET), in seconds. */
    public static final long BLACKLIST_TTL = 60;

    public ClusterNode myself;
    public long currentEpoch;
    public long lastVoteEpoch;
    public Health health = Health.FAIL;
    /** {@code cluster_size}: masters serving at least one slot. */
    public int size;
    public final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    /** Forgotten node names and when (seconds) they may be learnt again. */
    public final Map<String, Long> blacklist = new HashMap<>();
    public final ClusterNode[] slots = new ClusterNode[KeySlot.SLOTS];
    public final ClusterNode[] migratingTo = new ClusterNode[KeySlot.SLOTS];
    public final ClusterNode[] importingFrom = new ClusterNode[KeySlot.SLOTS];
    public final long[] messagesSent = new long[MESSAGE_TYPES.size()];
    public final long[] messagesReceived = new long[MESSAGE_TYPES.size()];
    public long linksBufferLimitExceeded;
    /** What {@code cluster-node-timeout} says, in milliseconds; kept here by the configuration. */
    public long nodeTimeout = 15000;
    public boolean requireFullCoverage = true;

    private boolean saveNeeded;
    private boolean fsyncNeeded;
    private boolean updateNeeded;
    private long firstUpdate;
    private long amongMinoritySince;

    /** A state whose only node is a new master, myself. */
    public ClusterState(long now) {
        myself = new ClusterNode(ClusterNode.randomName(), ClusterNode.MYSELF | ClusterNode.MASTER, now);
        myself.linkConnected = true;
        nodes.put(myself.name, myself);
    }

    public ClusterNode node(String name) {
        return nodes.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public Collection<ClusterNode> nodes() {
        return nodes.values();
    }

    public void addNode(ClusterNode node) {
        nodes.put(node.name, node);
    }

    /**
     * Redis's {@code clusterDelNode}: the node is gone from this node's view, with the slots it served, the
     * migrations to or from it, and the failure reports it made.
     */
    public void deleteNode(ClusterNode node) {
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (importingFrom[slot] == node) {
                importingFrom[slot] = null;
            }
            if (migratingTo[slot] == node) {
                migratingTo[slot] = null;
            }
            if (slots[slot] == node) {
                deleteSlot(slot);
            }
        }
        for (ClusterNode other : nodes.values()) {
            if (other != node) {
                other.removeFailReport(node);
            }
        }
        if (node.master != null) {
            node.master.removeReplica(node);
        }
        for (ClusterNode replica : node.replicas) {
            if (replica.master == node) {
                replica.master = null;
            }
        }
        nodes.remove(node.name);
    }

    /** A handshake node learnt its real name from its first PONG. */
    public void renameNode(ClusterNode node, String name) {
        nodes.remove(node.name);
        node.name = name;
        nodes.put(name, node);
    }

    // tag::slots[]
    /** Redis's {@code clusterAddSlot}: false when the slot already has an owner. */
    public boolean addSlot(int slot, ClusterNode node) {
        if (slots[slot] != null) {
            return false;
        }
        node.setSlot(slot);
        slots[slot] = node;
        return true;
    }

    /** Redis's {@code clusterDelSlot}: false when the slot had no owner. */
    public boolean deleteSlot(int slot) {
        ClusterNode owner = slots[slot];
        if (owner == null) {
            return false;
        }
        owner.clearSlot(slot);
        slots[slot] = null;
        return true;
    }
    // end::slots[]

    /** Every slot {@code node} serves is unassigned (CLUSTER FLUSHSLOTS, a node turning replica); how many. */
    public int deleteSlotsOf(ClusterNode node) {
        int deleted = 0;
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (slots[slot] == node && deleteSlot(slot)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Redis's {@code clusterCloseAllSlots}: no slot is migrating or importing any more. */
    public void closeAllSlots() {
        java.util.Arrays.fill(migratingTo, null);
        java.util.Arrays.fill(importingFrom, null);
    }

    /** Redis's {@code clusterSetNodeAsMaster}: {@code node} is a master, no longer anyone's replica. */
    public void setAsMaster(ClusterNode node) {
        if (node.isMaster()) {
            return;
        }
        if (node.master != null) {
            node.master.removeReplica(node);
            if (node != myself) {
                node.flags |= ClusterNode.MIGRATE_TO;
            }
        }
        node.flags = (node.flags & ~ClusterNode.SLAVE) | ClusterNode.MASTER;
        node.master = null;
        markDirty(true, true);
    }

    /** {@code node} replicates {@code master}, as CLUSTER REPLICATE or gossip says. */
    public void setReplicaOf(ClusterNode node, ClusterNode master) {
        if (node.master != null && node.master != master) {
            node.master.removeReplica(node);
        }
        node.flags = (node.flags & ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO)) | ClusterNode.SLAVE;
        node.master = master;
        master.addReplica(node);
        markDirty(true, true);
    }

    /** Redis's {@code clusterGetMaxEpoch}: the greatest config epoch known, or the current epoch if greater. */
    public long maxEpoch() {
        long max = currentEpoch;
        for (ClusterNode node : nodes.values()) {
            max = Math.max(max, node.configEpoch);
        }
        return max;
    }

    /**
     * Redis's {@code clusterBumpConfigEpochWithoutConsensus}: unless this node's epoch is already the one greatest
     * config epoch, it takes a new one; true when it did (CLUSTER BUMPEPOCH says BUMPED, else STILL).
     */
    public boolean bumpEpochWithoutConsensus() {
        long max = maxEpoch();
        if (myself.configEpoch == 0 || myself.configEpoch != max) {
            currentEpoch++;
            myself.configEpoch = currentEpoch;
            markDirty(true, false);
            fsyncNeeded = true;
            return true;
        }
        return false;
    }

    /** Asks the cron to write {@code nodes.conf} ({@code save}) and to compute the state again ({@code update}). */
    public void markDirty(boolean save, boolean update) {
        saveNeeded |= save;
        updateNeeded |= update;
    }

    /** Asks for nodes.conf to be written and synced to disk (epochs must never go back after a crash). */
    public void markFsync() {
        saveNeeded = true;
        fsyncNeeded = true;
    }

    /** Whether nodes.conf must be written, and clears the flag; {@link #takeFsync} says whether also synced. */
    public boolean takeSave() {
        boolean save = saveNeeded;
        saveNeeded = false;
        return save;
    }

    public boolean takeFsync() {
        boolean fsync = fsyncNeeded;
        fsyncNeeded = false;
        return fsync;
    }

    public boolean takeUpdate() {
        boolean update = updateNeeded;
        updateNeeded = false;
        return update;
    }

    // tag::update[]
    /**
     * Redis's {@code clusterUpdateState}: the cluster is ok when every slot is served by a node not marked FAIL
     * (unless {@code cluster-require-full-coverage} is off) and this node sees a majority of the masters that serve
     * slots. A master says ok only {@link #WRITABLE_DELAY} after its first update, and after leaving a minority
     * only after the rejoin delay, so that it first learns whether its slots were taken over meanwhile.
     */
    public void update(long now) {
        if (firstUpdate == 0) {
            firstUpdate = now;
        }
        if (myself.isMaster() && health == Health.FAIL && now - firstUpdate < WRITABLE_DELAY) {
            return;
        }
        Health next = Health.OK;
        if (requireFullCoverage) {
            for (ClusterNode owner : slots) {
                if (owner == null || owner.failed()) {
                    next = Health.FAIL;
                    break;
                }
            }
        }
        int reachableMasters = 0;
        size = 0;
        for (ClusterNode node : nodes.values()) {
            if (node.isMaster() && node.numSlots > 0) {
                size++;
                if (!node.failed() && !node.timedOut()) {
                    reachableMasters++;
                }
            }
        }
        if (reachableMasters < size / 2 + 1) {
            next = Health.FAIL;
            amongMinoritySince = now;
        }
        if (next != health) {
            long rejoinDelay = Math.clamp(nodeTimeout, MIN_REJOIN_DELAY, MAX_REJOIN_DELAY);
            if (next == Health.OK && myself.isMaster() && now - amongMinoritySince < rejoinDelay) {
                return;
            }
            health = next;
        }
    }
    // end::update[]

    /** CLUSTER INFO's slot counts: assigned, ok, pfail, fail. */
    public int[] slotCounts() {
        int[] counts = new int[4];
        for (ClusterNode owner : slots) {
            if (owner != null) {
                counts[0]++;
                if (owner.failed()) {
                    counts[3]++;
                } else if (owner.timedOut()) {
                    counts[2]++;
                } else {
                    counts[1]++;
                }
            }
        }
        return counts;
    }

    /** Redis's {@code clusterBlacklistAddNode}: {@code name} is not learnt again from gossip for a minute. */
    public void blacklist(String name, long nowSeconds) {
        cleanBlacklist(nowSeconds);
        blacklist.put(name, nowSeconds + BLACKLIST_TTL);
    }

    public boolean blacklisted(String name, long nowSeconds) {
        cleanBlacklist(nowSeconds);
        return blacklist.containsKey(name);
    }

    private void cleanBlacklist(long nowSeconds) {
        blacklist.values().removeIf(until -> until < nowSeconds);
    }

    /**
     * The state part of Redis's {@code clusterReset}: no slots, no migrations, no peers; a hard reset also zeroes
     * the epochs and gives this node a new name. (The caller empties the data and stops replicating first.)
     */
    public void reset(boolean hard, long now) {
        if (myself.isReplica()) {
            setAsMaster(myself);
        }
        closeAllSlots();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            deleteSlot(slot);
        }
        List<ClusterNode> others = new ArrayList<>();
        for (ClusterNode node : nodes.values()) {
            if (node != myself) {
                others.add(node);
            }
        }
        others.forEach(this::deleteNode);
        if (hard) {
            currentEpoch = 0;
            lastVoteEpoch = 0;
            myself.configEpoch = 0;
            renameNode(myself, ClusterNode.randomName());
        }
        markFsync();
        updateNeeded = true;
    }
}
