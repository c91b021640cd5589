// nodes.conf: the cluster state a node saves after every change and loads at start-up (also CLUSTER NODES's lines).
package io.port6379.server.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file is CLUSTER NODES's text, one line per node, then the epochs:
 *
 * <pre>
 * 07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@40004,host-4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
 * e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460 [5461->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]
 * vars currentEpoch 6 lastVoteEpoch 0
 * </pre>
 *
 * The fields of a line: name, {@code ip:port@cport[,hostname]}, flags, master's name or {@code -}, when the last
 * PING was sent and the last PONG received (ms), config epoch, link state, then the slots as ranges, and for
 * this node only its open slots, {@code [slot->-node]} migrating to and {@code [slot-<-node]} importing from.
 * A node restarted with its file keeps its name, epochs, slots and peers: the epochs above all must never go
 * back, so the file is written whole to a temporary file, synced, and renamed over the old one.
 */
public final class NodesConf {

    private NodesConf() {
    }

    // tag::line[]
    /** Redis's {@code clusterGenNodeDescription}: one node's line, without the line break. */
    public static String line(ClusterState state, ClusterNode node) {
        return line(state, node, false);
    }

    /**
     * As {@link #line(ClusterState, ClusterNode)}, with the node's plaintext port ({@code pport}) in place of its
     * TLS port when {@code usePport} and it has one: what a client not on TLS is shown under tls-cluster.
     */
    public static String line(ClusterState state, ClusterNode node, boolean usePport) {
        int port = usePport && node.pport != 0 ? node.pport : node.port;
        StringBuilder line = new StringBuilder(node.name).append(' ')
                .append(node.ip).append(':').append(port).append('@').append(node.cport);
        if (!node.hostname.isEmpty()) {
            line.append(',').append(node.hostname);
        }
        line.append(' ').append(node.flagsText()).append(' ').append(node.master == null ? "-" : node.master.name);
        long epoch = node.isReplica() && node.master != null ? node.master.configEpoch : node.configEpoch;
        line.append(' ').append(node.pingSent).append(' ').append(node.pongReceived).append(' ').append(epoch)
                .append(' ').append(node.linkConnected || node.isMyself() ? "connected" : "disconnected");
        if (node.isMaster()) {
            appendRanges(line, node);
        }
        if (node.isMyself()) {
            for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
                if (state.migratingTo[slot] != null) {
                    line.append(" [").append(slot).append("->-").append(state.migratingTo[slot].name).append(']');
                } else if (state.importingFrom[slot] != null) {
                    line.append(" [").append(slot).append("-<-").append(state.importingFrom[slot].name).append(']');
                }
            }
        }
        return line.toString();
    }
    // end::line[]

    private static void appendRanges(StringBuilder line, ClusterNode node) {
        if (node.numSlots == 0) {
            return;
        }
        for (int[] range : node.slotRanges()) {
            line.append(' ').append(range[0]);
            if (range[1] != range[0]) {
                line.append('-').append(range[1]);
            }
        }
    }

    /**
     * CLUSTER NODES's text (every node; {@code forConfig} leaves out nodes still in handshake, as the file
     * does), each line ending in a line feed.
     */
    public static String describe(ClusterState state, boolean forConfig) {
        return describe(state, forConfig, false);
    }

    /** As {@link #describe(ClusterState, boolean)}, with plaintext ports when {@code usePport} (see {@link #line}). */
    public static String describe(ClusterState state, boolean forConfig, boolean usePport) {
        StringBuilder text = new StringBuilder();
        for (ClusterNode node : state.nodes()) {
            if (forConfig && node.has(ClusterNode.HANDSHAKE)) {
                continue;
            }
            text.append(line(state, node, usePport)).append('\n');
        }
        return text.toString();
    }

    /** The whole file's text. */
    public static String text(ClusterState state) {
        return describe(state, true) + "vars currentEpoch " + state.currentEpoch + " lastVoteEpoch "
                + state.lastVoteEpoch + "\n";
    }

    /** Writes the file atomically: a temporary file beside it, synced when {@code fsync}, renamed over it. */
    public static void save(ClusterState state, Path file, boolean fsync) throws IOException {
        Path temp = file.resolveSibling("temp-" + file.getFileName() + "-" + ProcessHandle.current().pid());
        byte[] bytes = text(state).getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // tag::load[]
    /**
     * Redis's {@code clusterLoadConfig}: the state the file describes, or null when there is no file (or it is
     * empty). A line that cannot be read is an {@link IOException}, as Redis refuses to start on a corrupted file.
     */
    public static ClusterState load(Path file, long now) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (text.isBlank()) {
            return null;
        }
        ClusterState state = new ClusterState(now);
        state.nodes.clear();
        state.myself = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] argv = line.split(" +");
            if (argv[0].equals("vars")) {
                for (int i = 1; i + 1 < argv.length; i += 2) {
                    switch (argv[i]) {
                        case "currentEpoch" -> state.currentEpoch = Long.parseLong(argv[i + 1]);
                        case "lastVoteEpoch" -> state.lastVoteEpoch = Long.parseLong(argv[i + 1]);
                        default -> { } // Redis skips variables it does not know, with a warning
                    }
                }
                continue;
            }
            if (argv.length < 8) {
                throw new IOException("Unrecoverable error: corrupted cluster config file: " + line);
            }
            try {
                loadNode(state, argv, now);
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IOException("Unrecoverable error: corrupted cluster config file: " + line, e);
            }
        }
        if (state.myself == null) {
            throw new IOException("Unrecoverable error: corrupted cluster config file: no line for this node");
        }
        state.currentEpoch = Math.max(state.currentEpoch, state.maxEpoch());
        return state;
    }

    private static ClusterNode nodeNamed(ClusterState state, String name, long now) {
        ClusterNode node = state.node(name);
        if (node == null) {
            node = new ClusterNode(name.toLowerCase(java.util.Locale.ROOT), 0, now);
            state.addNode(node);
        }
        return node;
    }

    private static void loadNode(ClusterState state, String[] argv, long now) throws IOException {
        ClusterNode node = nodeNamed(state, argv[0], now);
        String address = argv[1];
        int comma = address.indexOf(',');
        if (comma >= 0) {
            node.hostname = address.substring(comma + 1);
            address = address.substring(0, comma);
        }
        int at = address.indexOf('@');
        int colon = address.lastIndexOf(':', at < 0 ? address.length() : at);
        if (colon < 0) {
            throw new IOException("Unrecoverable error: corrupted cluster config file: " + argv[1]);
        }
        node.ip = address.substring(0, colon);
        node.port = Integer.parseInt(address.substring(colon + 1, at < 0 ? address.length() : at));
        node.cport = at < 0 ? node.port + 10000 : Integer.parseInt(address.substring(at + 1));
        node.flags = 0;
        for (String flag : argv[2].split(",")) {
            switch (flag) {
                case "myself" -> {
                    node.flags |= ClusterNode.MYSELF;
                    node.linkConnected = true;
                    state.myself = node;
                }
                case "master" -> node.flags |= ClusterNode.MASTER;
                case "slave" -> node.flags |= ClusterNode.SLAVE;
                case "fail?" -> node.flags |= ClusterNode.PFAIL;
                case "fail" -> {
                    node.flags |= ClusterNode.FAIL;
                    node.failTime = now;
                }
                case "handshake" -> node.flags |= ClusterNode.HANDSHAKE;
                case "noaddr" -> node.flags |= ClusterNode.NOADDR;
                case "nofailover" -> node.flags |= ClusterNode.NOFAILOVER;
                case "noflags" -> { }
                default -> throw new IOException("Unknown flag in redis cluster config file: " + flag);
            }
        }
        if (!argv[3].equals("-")) {
            ClusterNode master = nodeNamed(state, argv[3], now);
            node.master = master;
            master.addReplica(node);
        }
        node.pingSent = Long.parseLong(argv[4]) != 0 ? now : 0;
        node.pongReceived = Long.parseLong(argv[5]) != 0 ? now : 0;
        node.configEpoch = Long.parseLong(argv[6]);
        for (int i = 8; i < argv.length; i++) {
            String range = argv[i];
            if (range.startsWith("[")) {
                int arrow = range.indexOf("->-");
                boolean migrating = arrow >= 0;
                if (!migrating) {
                    arrow = range.indexOf("-<-");
                }
                if (arrow < 0) {
                    throw new IOException("Unrecoverable error: corrupted cluster config file: " + range);
                }
                int slot = Integer.parseInt(range.substring(1, arrow));
                ClusterNode other = nodeNamed(state, range.substring(arrow + 3, range.length() - 1), now);
                if (migrating) {
                    state.migratingTo[slot] = other;
                } else {
                    state.importingFrom[slot] = other;
                }
                continue;
            }
            int dash = range.indexOf('-');
            int start = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int stop = dash < 0 ? start : Integer.parseInt(range.substring(dash + 1));
            if (start < 0 || stop >= KeySlot.SLOTS || start > stop) {
                throw new IOException("Unrecoverable error: corrupted cluster config file: " + range);
            }
            for (int slot = start; slot <= stop; slot++) {
                state.addSlot(slot, node);
            }
        }
    }
    // end::load[]
}
