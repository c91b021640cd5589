// nodes.conf written and read back: the same nodes, roles, slots, open slots and epochs; a corrupted file refused.
package io.port6379.server.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodesConfTest {

    @TempDir
    Path directory;

    /** Three masters (one of them myself, with a migrating and an importing slot), a replica, epochs. */
    private static ClusterState sample() {
        ClusterState state = new ClusterState(1000);
        ClusterNode myself = state.myself;
        myself.ip = "127.0.0.1";
        myself.port = 30001;
        myself.cport = 40001;
        myself.configEpoch = 1;
        ClusterNode second = node(state, "127.0.0.1", 30002, ClusterNode.MASTER, 2);
        second.hostname = "host-2";
        ClusterNode third = node(state, "::1", 30003, ClusterNode.MASTER | ClusterNode.PFAIL, 3);
        ClusterNode replica = node(state, "127.0.0.1", 30004, ClusterNode.SLAVE | ClusterNode.NOFAILOVER, 0);
        state.setReplicaOf(replica, second);
        for (int slot = 0; slot < 5461; slot++) {
            state.addSlot(slot, myself);
        }
        for (int slot = 5461; slot < 10923; slot += 2) {
            state.addSlot(slot, second);
        }
        state.addSlot(16383, third);
        state.migratingTo[42] = second;
        state.importingFrom[16383] = third;
        state.currentEpoch = 6;
        state.lastVoteEpoch = 4;
        return state;
    }

    private static ClusterNode node(ClusterState state, String ip, int port, int flags, long epoch) {
        ClusterNode node = new ClusterNode(ClusterNode.randomName(), flags, 1000);
        node.ip = ip;
        node.port = port;
        node.cport = port + 10000;
        node.configEpoch = epoch;
        state.addNode(node);
        return node;
    }

    @Test
    void aSavedStateLoadsBackAsTheSameText() throws IOException {
        ClusterState state = sample();
        Path file = directory.resolve("nodes.conf");
        NodesConf.save(state, file, true);
        ClusterState loaded = NodesConf.load(file, 2000);
        assertEquals(NodesConf.text(state), NodesConf.text(loaded));
        assertEquals(state.myself.name, loaded.myself.name);
        assertEquals(6, loaded.currentEpoch);
        assertEquals(4, loaded.lastVoteEpoch);
        assertEquals(5461, loaded.myself.numSlots);
        assertSame(loaded.node(state.migratingTo[42].name), loaded.migratingTo[42]);
        ClusterNode replica = loaded.nodes().stream().filter(ClusterNode::isReplica).findFirst().orElseThrow();
        assertTrue(replica.has(ClusterNode.NOFAILOVER));
        assertSame(replica.master, loaded.node(state.migratingTo[42].name));
        assertTrue(replica.master.replicas.contains(replica));
        assertEquals("host-2", replica.master.hostname);
    }

    @Test
    void theFileIsRedisFormat() throws IOException {
        ClusterState state = sample();
        String text = NodesConf.text(state);
        String first = text.lines().findFirst().orElseThrow();
        assertEquals(state.myself.name + " 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460 [42->-"
                + state.migratingTo[42].name + "] [16383-<-" + state.importingFrom[16383].name + "]", first);
        assertTrue(text.contains(" 127.0.0.1:30002@40002,host-2 master - 0 0 2 disconnected 5461 5463 "), text);
        assertTrue(text.contains(" ::1:30003@40003 master,fail? - 0 0 3 disconnected 16383\n"), text);
        assertTrue(text.endsWith("vars currentEpoch 6 lastVoteEpoch 4\n"), text);
    }

    @Test
    void aMissingOrEmptyFileMeansANewNode() throws IOException {
        assertNull(NodesConf.load(directory.resolve("absent.conf"), 0));
        Files.writeString(directory.resolve("empty.conf"), "");
        assertNull(NodesConf.load(directory.resolve("empty.conf"), 0));
    }

    @Test
    void aCorruptedFileIsRefused() throws IOException {
        Path file = directory.resolve("nodes.conf");
        Files.writeString(file, "abc 127.0.0.1:1@2 myself\n");
        assertThrows(IOException.class, () -> NodesConf.load(file, 0));
        Files.writeString(file, ClusterNode.randomName() + " 127.0.0.1:1@2 master - 0 0 0 connected 0-5\n");
        assertThrows(IOException.class, () -> NodesConf.load(file, 0), "no line for myself");
        Files.writeString(file, ClusterNode.randomName() + " 127.0.0.1:1@2 myself,master - 0 0 0 connected 9-x\n");
        assertThrows(IOException.class, () -> NodesConf.load(file, 0));
    }

    @Test
    void aSaveLeavesNoTemporaryFileBehind() throws IOException {
        NodesConf.save(sample(), directory.resolve("nodes.conf"), false);
        try (var files = Files.list(directory)) {
            assertEquals(1, files.count());
        }
    }
}
