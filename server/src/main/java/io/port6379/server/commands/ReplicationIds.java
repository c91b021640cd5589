// The replication ids INFO shows (master_replid, master_replid2), which DEBUG CHANGE-REPL-ID renews.
package io.port6379.server.commands;

import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis names the history of its data set with a random 40-hex-digit id, separate from the process's run_id, and
 * keeps the previous one (replid2) so replicas of the old history can continue. Without replication, only INFO
 * and DEBUG CHANGE-REPL-ID see them.
 */
final class ReplicationIds {

    private static final Slot<ReplicationIds> SLOT = Slot.named("replication-ids", ReplicationIds::new);
    static final String NONE = "0000000000000000000000000000000000000000";

    private String replid = random();
    private String replid2 = NONE;

    static ReplicationIds of(ServerContext server) {
        return server.get(SLOT);
    }

    String replid() {
        return replid;
    }

    String replid2() {
        return replid2;
    }

    /** Redis's {@code changeReplicationId} then {@code clearReplicationId2}: a new history, no previous one. */
    void change() {
        replid = random();
        replid2 = NONE;
    }

    private static String random() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
