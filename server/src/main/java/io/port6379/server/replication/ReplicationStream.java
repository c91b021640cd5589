// The master's side of the propagation feed: the commands as the replicas receive them, with the stream's own SELECTs.
package io.port6379.server.replication;

import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.persistence.PropagationFeed;

/**
 * Redis's {@code replicationFeedSlaves}: every command the feed propagates is encoded as a RESP array, preceded by
 * {@code SELECT db} when it runs in another database than the stream's last one ({@code slaveseldb}, independent of
 * the append-only file's). Encoded commands collect here and reach the backlog and the replicas together
 * ({@link #flush}): at the end of a client's batch once 16 KB collected or a millisecond passed since the last push,
 * else a millisecond later. Redis's event loop writes to each replica once per iteration, whatever number of clients
 * it served; pushing after every client's batch instead sent as many small packets as there are batches, and cost a
 * master with two replicas more than half its throughput (measured with redis-benchmark -P 16 on a 2-core machine).
 * Anything that reads the offset (WAIT, INFO, a PSYNC, the cron) flushes first. Under the execution lock.
 */
final class ReplicationStream implements PropagationFeed.Sink {

    private final Replication replication;
    private final RespWriter pending = new RespWriter();
    private int selectedDb = -1;
    private long lastFlushNanos;
    private boolean flushScheduled;
    /** Under load, many clients' batches share one push per replica: fewer, larger packets, as Redis's event loop. */
    private static final int COALESCE_BYTES = 16 * 1024;
    private static final long COALESCE_NANOS = 1_000_000;

    ReplicationStream(Replication replication) {
        this.replication = replication;
    }

    /** The stream's offset after the client's last write: a flush will count {@code pending} into the offset. */
    @Override
    public void wroteLast(Client client) {
        client.get(Replication.WRITE_OFFSET)[0] = replication.offset + pending.size();
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

    /** At the end of a client's batch: sent when enough has collected or a moment has passed (see the class comment). */
    @Override
    public void beforeReplies() {
        if (pending.size() >= COALESCE_BYTES || System.nanoTime() - lastFlushNanos >= COALESCE_NANOS) {
            flush();
        } else if (pending.size() > 0 && !flushScheduled) {
            flushScheduled = true; // what no later batch takes along leaves a moment later
            Thread.ofVirtual().name("replication-flush").start(this::flushSoon);
        }
    }

    private void flushSoon() {
        java.util.concurrent.locks.LockSupport.parkNanos(COALESCE_NANOS);
        replication.server.executionLock().lock();
        try {
            flushScheduled = false;
            flush();
        } finally {
            replication.server.executionLock().unlock();
        }
    }

    /** Hands what was encoded to the backlog and the replicas. */
    void flush() {
        if (pending.size() == 0) {
            return;
        }
        lastFlushNanos = System.nanoTime();
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
