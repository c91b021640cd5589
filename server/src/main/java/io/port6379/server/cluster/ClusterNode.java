// One node of the cluster as this node knows it: its name, address, role, slots, epochs and health.
package io.port6379.server.cluster;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's {@code clusterNode}: every node keeps one of these for itself ({@link #MYSELF}) and one for each peer it
 * learnt of through MEET or gossip. The fields are plain and mutable, changed under the execution lock by the
 * commands and by the cluster bus; the flag values are those of {@code cluster.h}, since they travel in the bus
 * header and in gossip sections as they are.
 */
public final class ClusterNode {

    // tag::flags[]
    /** The node is a master. */
    public static final int MASTER = 1;
    /** The node is a replica. */
    public static final int SLAVE = 2;
    /** Possibly failing: this node saw no PONG within the node timeout. */
    public static final int PFAIL = 4;
    /** Failing: a majority of masters reported it, or a FAIL message said so. */
    public static final int FAIL = 8;
    /** This node. */
    public static final int MYSELF = 16;
    /** Met but not yet answered: the first PONG gives its real name. */
    public static final int HANDSHAKE = 32;
    /** Its address is not known yet. */
    public static final int NOADDR = 64;
    /** Send it a MEET rather than a PING. */
    public static final int MEET = 128;
    /** A master that may receive replicas by replica migration. */
    public static final int MIGRATE_TO = 256;
    /** A replica that never starts a failover ({@code cluster-replica-no-failover}). */
    public static final int NOFAILOVER = 512;
    // end::flags[]

    /** The name of a node not known yet: 40 zero bytes on the bus. */
    public static final String NULL_NAME = "0".repeat(40);

    /** A failure report: {@code reporter} saw this node PFAIL or FAIL at {@code time} (milliseconds). */
    public record FailReport(ClusterNode reporter, long time) {
    }

    public String name;
    public int flags;
    public long ctime;
    public long configEpoch;
    /** Bit {@code s} of word {@code s / 64} is set when this node serves slot {@code s} (as the bus's bitmap). */
    public final long[] slots = new long[KeySlot.SLOTS / 64];
    public int numSlots;
    public final List<ClusterNode> replicas = new ArrayList<>();
    /** The master of a replica, or null. */
    public ClusterNode master;
    public long pingSent;
    public long pongReceived;
    public long dataReceived;
    public long failTime;
    public long voteTime;
    public long replOffsetTime;
    public long orphanedTime;
    public long replOffset;
    public String ip = "";
    public String hostname = "";
    public int port;
    public int pport;
    public int cport;
    /** Whether the bus has a connected link to this node (CLUSTER NODES's link-state); always true for myself. */
    public boolean linkConnected;
    public final List<FailReport> failReports = new ArrayList<>();

    public ClusterNode(String name, int flags, long ctime) {
        this.name = name;
        this.flags = flags;
        this.ctime = ctime;
    }

    /** A new node name: 40 random hex digits, as Redis's {@code getRandomHexChars}. */
    public static String randomName() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code name} has the shape of a node name: 40 lowercase or uppercase hex digits. */
    public static boolean validName(String name) {
        if (name.length() != 40) {
            return false;
        }
        for (int i = 0; i < 40; i++) {
            if (Character.digit(name.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isMaster() {
        return has(MASTER);
    }

    public boolean isReplica() {
        return has(SLAVE);
    }

    public boolean isMyself() {
        return has(MYSELF);
    }

    /** Whether this node is taken as failing, for sure or only in this node's view. */
    public boolean timedOut() {
        return has(PFAIL);
    }

    public boolean failed() {
        return has(FAIL);
    }

    public boolean hasSlot(int slot) {
        return (slots[slot >>> 6] & (1L << (slot & 63))) != 0;
    }

    /** Marks the slot as served by this node; false when it already was. Only the slot bitmap, see ClusterState. */
    public boolean setSlot(int slot) {
        if (hasSlot(slot)) {
            return false;
        }
        slots[slot >>> 6] |= 1L << (slot & 63);
        numSlots++;
        return true;
    }

    /** Clears the slot in this node's bitmap; false when it was not set. */
    public boolean clearSlot(int slot) {
        if (!hasSlot(slot)) {
            return false;
        }
        slots[slot >>> 6] &= ~(1L << (slot & 63));
        numSlots--;
        return true;
    }

    /**
     * The runs of consecutive slots this node serves, in order, each as {@code {first, last}}: how CLUSTER NODES,
     * SLOTS, SHARDS and nodes.conf show a bitmap. O(16384).
     */
    public List<int[]> slotRanges() {
        List<int[]> ranges = new ArrayList<>();
        int start = -1;
        for (int slot = 0; slot <= KeySlot.SLOTS; slot++) {
            boolean has = slot < KeySlot.SLOTS && hasSlot(slot);
            if (has && start == -1) {
                start = slot;
            } else if (!has && start != -1) {
                ranges.add(new int[] {start, slot - 1});
                start = -1;
            }
        }
        return ranges;
    }

    /** The slot bitmap as the bus sends it ({@code myslots[2048]}: slot {@code s} is bit {@code s % 8} of byte {@code s / 8}). */
    public byte[] slotBytes() {
        byte[] bytes = new byte[KeySlot.SLOTS / 8];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (slots[i >>> 3] >>> ((i & 7) * 8));
        }
        return bytes;
    }

    /** The bus's bitmap read eight bytes at a time: byte {@code i} is bits {@code 8i..8i+7}, so little-endian. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether {@code bitmap}, in the bus's layout, holds exactly this node's slots: what every PING and PONG is
     * checked for, so it is compared in place, 64 slots at a time, rather than through a copy made by
     * {@link #slotBytes}. O(256).
     */
    public boolean sameSlots(byte[] bitmap) {
        for (int i = 0; i < slots.length; i++) {
            if ((long) LONGS.get(bitmap, i * 8) != slots[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether slot {@code slot} is set in a bitmap in the bus's layout ({@link #slotBytes}). */
    public static boolean hasSlot(byte[] bitmap, int slot) {
        return (bitmap[slot >>> 3] & (1 << (slot & 7))) != 0;
    }

    /** Redis's {@code clusterNodeAddSlave}: a master that ever had a replica may receive one by replica migration. */
    public void addReplica(ClusterNode replica) {
        if (!replicas.contains(replica)) {
            replicas.add(replica);
        }
        flags |= MIGRATE_TO;
    }

    public void removeReplica(ClusterNode replica) {
        replicas.remove(replica);
    }

    /** Replicas not marked FAIL: Redis's {@code clusterCountNonFailingSlaves}. */
    public int nonFailingReplicas() {
        int count = 0;
        for (ClusterNode replica : replicas) {
            if (!replica.failed()) {
                count++;
            }
        }
        return count;
    }

    /** Adds or refreshes the report of {@code reporter}; true when it is a new one. */
    public boolean addFailReport(ClusterNode reporter, long now) {
        for (int i = 0; i < failReports.size(); i++) {
            if (failReports.get(i).reporter() == reporter) {
                failReports.set(i, new FailReport(reporter, now));
                return false;
            }
        }
        failReports.add(new FailReport(reporter, now));
        return true;
    }

    /** Drops reports older than {@code maxAge} ms and returns how many remain (COUNT-FAILURE-REPORTS). */
    public int failReportCount(long now, long maxAge) {
        failReports.removeIf(report -> now - report.time() > maxAge);
        return failReports.size();
    }

    public boolean removeFailReport(ClusterNode reporter) {
        return failReports.removeIf(report -> report.reporter() == reporter);
    }

    /** The flags as CLUSTER NODES prints them: {@code myself,master}, {@code slave,fail?}, or {@code noflags}. */
    public String flagsText() {
        StringBuilder text = new StringBuilder();
        appendFlag(text, MYSELF, "myself");
        appendFlag(text, MASTER, "master");
        appendFlag(text, SLAVE, "slave");
        appendFlag(text, PFAIL, "fail?");
        appendFlag(text, FAIL, "fail");
        appendFlag(text, HANDSHAKE, "handshake");
        appendFlag(text, NOADDR, "noaddr");
        appendFlag(text, NOFAILOVER, "nofailover");
        return text.isEmpty() ? "noflags" : text.toString();
    }

    private void appendFlag(StringBuilder text, int flag, String word) {
        if (has(flag)) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(word);
        }
    }

    @Override
    public String toString() {
        return name + " " + ip + ":" + port + " " + flagsText();
    }
}
