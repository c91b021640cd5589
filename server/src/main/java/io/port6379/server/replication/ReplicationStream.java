// The master's side of the propagation feed: the commands as the replicas receive them, with the stream's own SELECTs.
package io.port6379.server.replication;

import io.port6379.protocol.RespWriter;
import io.port6379.server.persistence.PropagationFeed;

/**
 * Redis's {@code replicationFeedSlaves}: every command the feed propagates is encoded as a RESP array, preceded by
 * {@code SELECT db} when it runs in another database than the stream's last one ({@code slaveseldb}, independent of
 * the append-only file's). Encoded commands collect here and reach the backlog and the replicas together at the end
 * of the batch ({@link #flush}), so a pipeline of writes costs one push per replica, not one per command. Anything
 * that reads the offset (WAIT, INFO, a PSYNC) flushes first. Under the execution lock.
 */
final class ReplicationStream implements PropagationFeed.Sink {

    private final Replication replication;
    private final RespWriter pending = new RespWriter();
    private int selectedDb = -1;

    ReplicationStream(Replication replication) {
        this.replication = replication;
    }

    @Override
    public void append(int db, byte[][] args) {
        if (db >= 0 && db != selectedDb) {
            pending.arrayHeader(2).bulkString("SELECT").bulkString(Integer.toString(db));
            selectedDb = db;
        }
        if (args == null) {
            return;
        }
        pending.arrayHeader(args.length);
        for (byte[] arg : args) {
            pending.bulkString(arg);
        }
    }

    @Override
    public void beforeReplies() {
        flush();
    }

    /** Hands what was encoded to the backlog and the replicas. */
    void flush() {
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        pending.clear();
        replication.feedStream(bytes);
    }

    /** The database the stream's last command ran in, -1 when the next one must say it. */
    int selectedDb() {
        return selectedDb;
    }

    /** A new full sync or a new history: the next command is preceded by SELECT whatever its database. */
    void forceSelect() {
        flush();
        selectedDb = -1;
    }
}
