// One full resynchronisation: +FULLRESYNC, an RDB of the data (through a file or straight to the sockets), then the stream.
package io.port6379.server.replication;

import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.util.Log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's {@code startBgsaveForReplication}. The replicas waiting for a full sync share one snapshot, taken at the
 * stream's current offset, which each is told first:
 *
 * <pre>
 *   +FULLRESYNC &lt;replid&gt; &lt;offset&gt;\r\n          (not for an old SYNC)
 *   $&lt;length&gt;\r\n&lt;RDB bytes&gt;                   disk: the RDB is saved to dbfilename, then sent from the file
 *   $EOF:&lt;40 random bytes&gt;\r\n&lt;RDB&gt;&lt;same 40&gt;   diskless: written to the sockets as it is made; the mark ends it
 *   &lt;the stream from offset + 1 on&gt;
 * </pre>
 *
 * The stream written meanwhile is held by each {@link ReplicaLink} and follows the RDB. The RDB is produced by
 * {@link RdbSaver} as a background save (one snapshot at a time, as Redis runs one child at a time).
 */
final class FullSync {

    /** A replica's outbox holding this much is given time to drain before the next chunk of RDB is queued. */
    private static final long MAX_QUEUED = 4 << 20;
    private static final int CHUNK = 64 * 1024;

    private final Replication replication;
    private final List<ReplicaLink> replicas;
    private final boolean diskless;

    private FullSync(Replication replication, List<ReplicaLink> replicas, boolean diskless) {
        this.replication = replication;
        this.replicas = replicas;
        this.diskless = diskless;
    }

    static boolean running(Replication replication) {
        return replication.fullSync != null;
    }

    static boolean diskless(Replication replication) {
        return replication.fullSync != null && replication.fullSync.diskless;
    }

    // tag::start[]
    /** Starts the sync for {@code waiting}; false when a save or rewrite runs now (the cron tries again). */
    static boolean start(Replication replication, List<ReplicaLink> waiting, boolean diskless) {
        RdbSaver saver = RdbSaver.of(replication.server);
        if (saver.inProgress() || saver.aofRewriteInProgress() || running(replication)) {
            return false;
        }
        FullSync sync = new FullSync(replication, List.copyOf(waiting), diskless);
        // the database the stream continues in: ours as master; as a replica, the one our master's stream is in
        int streamDb = replication.link != null ? replication.link.streamDb() : Math.max(0, replication.stream.selectedDb());
        replication.stream.forceSelect(); // the replica's first command must say its database
        long offset = replication.offset;
        for (ReplicaLink replica : sync.replicas) {
            replica.state = ReplicaLink.State.WAIT_BGSAVE_END;
            if (!replica.prePsync) {
                replica.client.push(ascii("+FULLRESYNC " + replication.replid + " " + offset + "\r\n"));
            }
        }
        replication.fullSync = sync;
        Log.log("*", "Starting BGSAVE for SYNC with target: " + (diskless ? "replicas sockets" : "disk"));
        if (diskless) {
            byte[] mark = randomMark();
            for (ReplicaLink replica : sync.replicas) {
                replica.client.push(ascii("$EOF:" + new String(mark, StandardCharsets.US_ASCII) + "\r\n"));
            }
            saver.bgsave(new RdbSaver.ForReplication(streamDb, replication.replid, offset, sync.new SocketsStream(),
                    ok -> sync.disklessDone(ok, mark)));
        } else {
            boolean saving = saver.bgsave(new RdbSaver.ForReplication(streamDb, replication.replid, offset, null,
                    sync::diskDone));
            // Redis's RDBGeneratedByReplication: only while rdb-del-sync-files is on, so that turning it on later
            // never deletes a file made before
            replication.rdbGeneratedByReplication |= saving && replication.server.config().flag("rdb-del-sync-files");
        }
        return true;
    }
    // end::start[]

    /** Diskless: the RDB is out; the mark closes it and each replica goes online with the stream held for it. */
    private void disklessDone(boolean ok, byte[] mark) {
        replication.fullSync = null;
        List<ReplicaLink> failed = new ArrayList<>();
        for (ReplicaLink replica : replicas) {
            if (!ok || replica.client.isClosing()) {
                failed.add(replica);
                continue;
            }
            replica.client.push(mark);
            replica.onlineOnAck(replication.server.clock().millis());
            Log.log("*", "Synchronization with replica " + replica.ip() + ":" + replica.listeningPort + " succeeded");
        }
        replication.fullSyncEnded(failed);
    }

    /** Disk: the file is saved; each replica is sent it by a thread of its own, then goes online. */
    private void diskDone(boolean ok) {
        replication.fullSync = null;
        if (!ok) {
            replication.fullSyncEnded(replicas);
            return;
        }
        byte[] rdb;
        try {
            rdb = Files.readAllBytes(RdbSaver.file(replication.server.config())); // read now: a later save may replace it
        } catch (IOException e) {
            Log.log("#", "SYNC failed. Can't open/stat DB after BGSAVE: " + e.getMessage());
            replication.fullSyncEnded(replicas);
            return;
        }
        for (ReplicaLink replica : replicas) {
            replica.state = ReplicaLink.State.SEND_BULK;
            Thread.ofVirtual().name("send-bulk-" + replica.client.id()).start(() -> sendBulk(replica, rdb));
        }
        replication.fullSyncEnded(List.of());
    }

    private void sendBulk(ReplicaLink replica, byte[] rdb) {
        replica.client.push(ascii("$" + rdb.length + "\r\n"));
        try (InputStream in = new java.io.ByteArrayInputStream(rdb)) {
            byte[] chunk;
            while ((chunk = in.readNBytes(CHUNK)).length > 0) {
                if (!awaitRoom(replica)) {
                    return;
                }
                replica.client.push(chunk);
            }
        } catch (IOException e) {
            return; // a byte array does not fail
        }
        replication.server.executionLock().lock();
        try {
            if (!replica.client.isClosing()) {
                replica.online(replication.server.clock().millis());
                Log.log("*", "Synchronization with replica " + replica.ip() + ":" + replica.listeningPort + " succeeded");
            }
        } finally {
            replication.server.executionLock().unlock();
        }
    }

    /** Waits while the replica's outbox is full; false when it went away. */
    private static boolean awaitRoom(ReplicaLink replica) {
        while (replica.client.outputMemory() > MAX_QUEUED) {
            if (replica.client.isClosing()) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return !replica.client.isClosing();
    }

    /** Diskless: what the save writes goes to every replica of this sync, in chunks, as fast as the slowest reads. */
    private final class SocketsStream extends OutputStream {
        private final byte[] buffer = new byte[CHUNK];
        private int used;

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                flush();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int from, int length) throws IOException {
            while (length > 0) {
                if (used == buffer.length) {
                    flush();
                }
                int n = Math.min(length, buffer.length - used);
                System.arraycopy(bytes, from, buffer, used, n);
                used += n;
                from += n;
                length -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (used == 0) {
                return;
            }
            byte[] chunk = java.util.Arrays.copyOf(buffer, used);
            used = 0;
            boolean anyone = false;
            for (ReplicaLink replica : replicas) {
                if (awaitRoom(replica)) {
                    replica.client.push(chunk);
                    anyone = true;
                }
            }
            if (!anyone) {
                throw new IOException("every replica of the diskless sync went away");
            }
        }
    }

    /** The 40 bytes that end a diskless RDB: random, so they cannot be mistaken for its content (Redis's eofmark). */
    private static byte[] randomMark() {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        byte[] mark = new byte[40];
        for (int i = 0; i < mark.length; i++) {
            mark[i] = (byte) alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length()));
        }
        return mark;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
