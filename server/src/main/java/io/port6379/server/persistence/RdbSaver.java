// SAVE, BGSAVE, the save rules and SHUTDOWN's save: writes dump.rdb and keeps the figures INFO persistence shows.
package io.port6379.server.persistence;

import io.port6379.server.Slot;
import io.port6379.server.util.RedisVersion;
import io.port6379.server.util.Log;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The RDB side of persistence for one server: writes snapshots to {@code dir/dbfilename}, in the foreground
 * (SAVE, SHUTDOWN) or from a background thread (BGSAVE, the save rules), and remembers what INFO, LASTSAVE
 * and the save rules need.
 *
 * <p>A file is written as Redis does: into {@code temp-<pid>-<n>.rdb} in the same directory, flushed to disk
 * (fsync), then renamed over {@code dbfilename}, so a crash mid-save leaves the previous file intact.
 *
 * <p>Thread-safety: every method runs under the execution lock, except the background writer, which takes the
 * lock to freeze live values and to record its outcome.
 */
public final class RdbSaver {

    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, the save rules wait this long to try again. */
    private static final long RETRY_DELAY_SECONDS = 5;

    private final ServerContext server;
    private long lastSaveMillis;         // LASTSAVE, rdb_last_save_time: the last successful save (start-up at first)
    private long dirtyAtLastSave;        // server.dirty when the last successful save began
    private long lastBgsaveTryMillis;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveSeconds = -1;
    private long saves;                  // rdb_saves
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    private boolean bgsaveScheduled;     // BGSAVE SCHEDULE, or BGSAVE inside EXEC: the cron starts it
    private boolean aofRewriteScheduled; // BGREWRITEAOF during a BGSAVE or inside EXEC: the cron starts it
    private boolean offlineAofRewrite;   // a rewrite with appendonly no is writing its base
    private Background running;          // the BGSAVE in progress, or null
    private Snapshot pendingSnapshot;    // the BGSAVE's snapshot, told about every value handed out
    private long lastPauseNanos;         // how long the last BGSAVE's snapshot held the server
    private long tempFiles;

    /** A BGSAVE in progress: its thread, start time and progress; {@code cancelled} is set under the lock. */
    private static final class Background {
        final long startMillis;
        final long dirtyAtStart;
        final long totalKeys;
        final ForReplication replication;
        final AtomicLong written = new AtomicLong();
        Thread thread;
        boolean cancelled;

        Background(long startMillis, long dirtyAtStart, long totalKeys, ForReplication replication) {
            this.startMillis = startMillis;
            this.dirtyAtStart = dirtyAtStart;
            this.totalKeys = totalKeys;
            this.replication = replication;
        }
    }

    // tag::for-replication[]
    /**
     * A save that a full resynchronisation asked for (Redis's {@code startBgsaveForReplication}): the RDB names the
     * replication history in three AUX fields ({@code repl-stream-db}, {@code repl-id}, {@code repl-offset}), and
     * goes either to {@code dbfilename} as any BGSAVE (the disk target, {@code socket} null) or straight to the
     * replicas' sockets ({@code repl-diskless-sync}). {@code done} runs under the lock with the outcome.
     */
    public record ForReplication(int streamDb, String replid, long offset, OutputStream socket, Consumer<Boolean> done) {
    }
    // end::for-replication[]

    private static final Slot<RdbSaver> SLOT = Slot.named("rdb");

    /** SAVE, BGSAVE and the save rules of this server. */
    public static RdbSaver of(ServerContext server) {
        return server.get(SLOT);
    }

    public static void install(ServerContext server) {
        server.set(SLOT, new RdbSaver(server));
    }

    private RdbSaver(ServerContext server) {
        this.server = server;
        this.lastSaveMillis = server.clock().millis();
    }

    /** The file SAVE writes and start-up loads: {@code dir/dbfilename}. */
    public static Path file(ServerConfig config) {
        return Path.of(config.get("dir")).resolve(config.get("dbfilename"));
    }

    /** Whether a BGSAVE is running. */
    public boolean inProgress() {
        return running != null;
    }

    /** Whether an AOF rewrite is running: Redis runs one background child at a time, so BGSAVE waits for it. */
    public boolean aofRewriteInProgress() {
        return offlineAofRewrite || AppendOnlyFile.of(server) != null && AppendOnlyFile.of(server).rewriting();
    }

    /** A rewrite with {@code appendonly no} started or ended: it holds the one copy-on-write slot meanwhile. */
    void offlineAofRewrite(boolean running) {
        offlineAofRewrite = running;
    }

    // tag::schedule-rewrite[]
    /**
     * BGREWRITEAOF while a BGSAVE runs, or inside EXEC: as Redis, the rewrite is scheduled (INFO's
     * {@code aof_rewrite_scheduled:1}) and the cron starts it once no save is running. One snapshot at a time
     * holds the keyspaces' copy-on-write listener, and a rewrite in the middle of a transaction would put the
     * transaction's first commands both in the base and in the new incremental file.
     */
    public void scheduleAofRewrite() {
        aofRewriteScheduled = true;
    }

    /** INFO's aof_rewrite_scheduled. */
    public boolean aofRewriteScheduled() {
        return aofRewriteScheduled;
    }
    // end::schedule-rewrite[]

    /** LASTSAVE: Unix seconds of the last successful save. */
    public long lastSaveSeconds() {
        return lastSaveMillis / 1000;
    }

    /** Changes since the last successful save (INFO's rdb_changes_since_last_save; the save rules use it). */
    public long changesSinceLastSave() {
        return server.stats().dirty() - dirtyAtLastSave;
    }

    /** A replica's load of its master's RDB: none, synchronous (clients answered -LOADING) or asynchronous. */
    public enum Loading { NONE, SYNC, ASYNC }

    private volatile Loading loading = Loading.NONE;
    private volatile long loadingStartSeconds;
    private volatile long loadingTotalBytes;
    private volatile long loadingRdbUsedMem;
    private volatile long loadingLoadedBytes;

    /**
     * Redis's startLoading/stopLoading for the RDB of a full sync: INFO's {@code loading:1} while clients are refused
     * with -LOADING, or {@code async_loading:1} while they are served the old data set (swapdb's async loading).
     * {@code totalBytes} is the payload's size, 0 when the master streams it without announcing one.
     */
    public void loading(Loading state, long totalBytes) {
        loadingStartSeconds = server.clock().millis() / 1000;
        loadingTotalBytes = totalBytes;
        loadingRdbUsedMem = 0;
        loadingLoadedBytes = 0;
        loading = state;
    }

    /** The load ended, loaded or not. */
    public void loadingEnded() {
        loading = Loading.NONE;
    }

    /** Bytes of the payload parsed so far (INFO's loading_loaded_bytes). */
    public void loadingProgress(long loadedBytes) {
        loadingLoadedBytes = loadedBytes;
    }

    /** The RDB's used-mem AUX field, read while loading (INFO's loading_rdb_used_mem). */
    void loadingRdbUsedMem(long bytes) {
        loadingRdbUsedMem = bytes;
    }

    /**
     * INFO persistence's last lines while a load runs (both kinds), as Redis's genRedisInfoString: the progress
     * and an estimate of the seconds left, a fake 1 in the first second. Without a total (a diskless load of a
     * {@code $EOF:} transfer, whose loading_total_bytes is 0 on Redis too) both are reckoned on the RDB's used-mem.
     */
    public Map<String, Object> loadingInfo() {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (loading == Loading.NONE) {
            return fields;
        }
        long total = loadingTotalBytes;
        long loaded = loadingLoadedBytes;
        long usedMem = loadingRdbUsedMem;
        double perc = 0;
        long remaining = 1;
        if (total > 0) {
            perc = (double) loaded / total * 100;
            remaining = total - loaded;
        } else if (usedMem > 0) {
            // a streamed RDB ($EOF:) announces no size: the master's used-mem stands in for it, kept below 100 %
            perc = Math.min((double) loaded / usedMem * 100, 99.99);
            remaining = Math.max(usedMem - loaded, 1);
        }
        long elapsed = server.clock().millis() / 1000 - loadingStartSeconds;
        fields.put("loading_start_time", loadingStartSeconds);
        fields.put("loading_total_bytes", total);
        fields.put("loading_rdb_used_mem", usedMem);
        fields.put("loading_loaded_bytes", loaded);
        fields.put("loading_loaded_perc", String.format(java.util.Locale.ROOT, "%.2f", perc));
        fields.put("loading_eta_seconds", elapsed == 0 ? 1 : elapsed * remaining / (loaded + 1));
        return fields;
    }

    public Loading loading() {
        return loading;
    }

    /** Records what the start-up load found (INFO's rdb_last_load_keys_*). */
    void loaded(long keysLoaded, long keysExpired) {
        this.lastLoadKeysLoaded = keysLoaded;
        this.lastLoadKeysExpired = keysExpired;
    }

    // tag::save[]
    /**
     * SAVE: writes the file now, blocking every client until done, as Redis does. O(keys + elements).
     *
     * @throws IOException when the file cannot be written (the previous file is left as it was)
     */
    public void save() throws IOException {
        long dirty = server.stats().dirty();
        Snapshot snapshot = Snapshot.take(server.databases(), server.clock().millis(), savedAccess(server)).withFunctionsOf(server);
        snapshot.keySaveDelay(server.config().number("rdb-key-save-delay"));
        Path temp = writeTemp(snapshot, new AtomicLong(), null);
        Files.move(temp, file(server.config()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        succeeded(dirty);
        Log.log("*", "DB saved on disk");
    }
    // end::save[]

    private void succeeded(long dirtyAtStart) {
        dirtyAtLastSave = dirtyAtStart;
        lastSaveMillis = server.wallClock().millis(); // when the save ended, as Redis's time(NULL)
        saves++;
    }

    // tag::bgsave[]
    /**
     * BGSAVE: the snapshot is taken now (the only pause), then a background thread writes it while clients are
     * served; the outcome is recorded when it ends. Returns false when one is running already.
     */
    public boolean bgsave() {
        return bgsave(null);
    }

    /**
     * BGSAVE, or the save of a full resynchronisation: see {@link ForReplication}. Returns false when a save or an
     * append-only rewrite is running already (one snapshot at a time holds the copy-on-write hook).
     */
    public boolean bgsave(ForReplication replication) {
        if (running != null || replication != null && aofRewriteInProgress()) {
            return false;
        }
        bgsaveScheduled = false;
        lastBgsaveTryMillis = server.clock().millis();
        long dirty = server.stats().dirty();
        // a replica's RDB carries the keys whose time has passed too, as Redis's does: the replica keeps them until
        // the DEL this master's stream sends for them (a snapshot at "time -1" leaves none out)
        long now = replication != null ? -1 : server.clock().millis();
        Snapshot snapshot = Snapshot.take(server.databases(), now, savedAccess(server)).withFunctionsOf(server);
        snapshot.keySaveDelay(server.config().number("rdb-key-save-delay"));
        lastPauseNanos = snapshot.takeNanos();
        pendingSnapshot = snapshot;
        snapshot.listen(server.databases());
        Background background = new Background(server.clock().millis(), dirty, snapshot.keys(), replication);
        background.thread = Thread.ofPlatform().name("bgsave").daemon().unstarted(() -> writeInBackground(snapshot, background));
        running = background;
        Log.log("*", String.format(Locale.ROOT, "Background %s started (snapshot of %d keys in %.3f ms)",
                replication != null && replication.socket() != null ? "RDB transfer" : "saving",
                snapshot.keys(), snapshot.takeNanos() / 1e6));
        background.thread.start();
        return true;
    }
    // end::bgsave[]

    // tag::bgsave-writer[]
    /** The writer thread: the temporary file without the lock; the rename and the bookkeeping under it. */
    private void writeInBackground(Snapshot snapshot, Background background) {
        ForReplication replication = background.replication;
        if (replication != null && replication.socket() != null) {
            sendInBackground(snapshot, background);
            return;
        }
        Path temp = null;
        try {
            temp = writeTemp(snapshot, background.written, replication);
        } catch (IOException | RuntimeException e) {
            Log.log("#", "Background saving error: " + e.getMessage());
        }
        server.executionLock().lock();
        try {
            boolean ok = temp != null && !background.cancelled;
            if (ok) {
                Files.move(temp, file(server.config()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else if (temp != null) {
                Files.deleteIfExists(temp);
            }
            finished(ok);
            if (replication != null) {
                replication.done().accept(ok);
            }
        } catch (IOException e) {
            Log.log("#", "Background saving error: " + e.getMessage());
            finished(false);
            if (replication != null) {
                replication.done().accept(false);
            }
        } finally {
            server.executionLock().unlock();
        }
    }
    // end::bgsave-writer[]

    /** A diskless transfer: the RDB written to the replicas' sockets; not a save (LASTSAVE stays), as in Redis. */
    private void sendInBackground(Snapshot snapshot, Background background) {
        boolean ok;
        try {
            OutputStream out = background.replication.socket();
            writeRdb(out, snapshot, background.written, background.replication);
            out.flush();
            ok = true;
        } catch (IOException | RuntimeException e) {
            Log.log("#", "Diskless RDB transfer error: " + e.getMessage());
            ok = false;
        }
        server.executionLock().lock();
        try {
            Background done = release();
            Log.log("*", "Background RDB transfer terminated " + (ok ? "with success" : "with error"));
            background.replication.done().accept(ok && !background.cancelled);
        } finally {
            server.executionLock().unlock();
        }
    }

    /** Whether the last BGSAVE (or scheduled save) succeeded; true before any. */
    boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    /** The end of a background save or transfer: its snapshot stops copying on write and is let go. Under the lock. */
    private Background release() {
        Background done = running;
        running = null;
        pendingSnapshot.stopListening(server.databases());
        pendingSnapshot.release();
        pendingSnapshot = null;
        lastBgsaveSeconds = (server.clock().millis() - done.startMillis) / 1000;
        return done;
    }

    /** Redis's backgroundSaveDoneHandler: records the outcome and stops copy-on-write. Under the lock. */
    private void finished(boolean ok) {
        Background done = release();
        if (done.cancelled) {
            return; // SHUTDOWN saved in the foreground instead
        }
        lastBgsaveOk = ok;
        if (ok) {
            succeeded(done.dirtyAtStart);
            Log.log("*", "Background saving terminated with success");
        }
    }

    /** Waits for a running BGSAVE to end (SHUTDOWN, tests). The caller must not hold the execution lock. */
    public void awaitBackgroundSave() throws InterruptedException {
        Background current;
        server.executionLock().lock();
        try {
            current = running;
        } finally {
            server.executionLock().unlock();
        }
        if (current != null) {
            current.thread.join();
        }
    }

    /**
     * BGSAVE SCHEDULE, or BGSAVE inside EXEC (a snapshot in the middle of a transaction would not be
     * point-in-time for it): the cron starts the save as soon as it can.
     */
    public void schedule() {
        bgsaveScheduled = true;
    }

    /**
     * After FLUSHALL, as Redis's flushAllDataAndResetRDB: a running BGSAVE is cancelled, since its file would bring
     * the flushed data back after a restart, and with save rules set the (empty) dataset is saved at once.
     */
    public void flushedAll() {
        if (running != null) {
            running.cancelled = true;
            running.thread.interrupt();
        }
        if (!SaveRules.parse(server.config().get("save")).rules().isEmpty()) {
            try {
                save();
            } catch (IOException e) {
                Log.log("#", "Failed saving the DB after FLUSHALL: " + e.getMessage());
            }
        }
    }

    // tag::cron[]
    /**
     * From the server cron, under the lock: a scheduled AOF rewrite first (as Redis's serverCron), else a
     * scheduled BGSAVE, or one the save rules call for.
     */
    public void cron() {
        if (running != null || aofRewriteInProgress()) {
            return;
        }
        if (aofRewriteScheduled) {
            aofRewriteScheduled = false;
            try {
                AofRewrite.start(server);
            } catch (RuntimeException e) {
                Log.log("#", "Scheduled AOF rewrite failed: " + e.getMessage());
            }
            return;
        }
        long now = server.clock().millis();
        if (bgsaveScheduled) {
            bgsave();
            return;
        }
        SaveRules rules = SaveRules.parse(server.config().get("save"));
        boolean mayRetry = lastBgsaveOk || (now - lastBgsaveTryMillis) / 1000 > RETRY_DELAY_SECONDS;
        if (mayRetry && rules.due(changesSinceLastSave(), (now - lastSaveMillis) / 1000)) {
            Log.log("*", changesSinceLastSave() + " changes in " + (now - lastSaveMillis) / 1000 + " seconds. Saving...");
            bgsave();
        }
    }
    // end::cron[]

    /**
     * SHUTDOWN and SIGTERM with saving: waits out a running BGSAVE's writer (its file would be older anyway),
     * then saves in the foreground. Returns false (and logs why) when the file could not be written.
     */
    public boolean saveForShutdown() {
        Log.log("#", "Saving the final RDB snapshot before exiting.");
        server.executionLock().lock();
        try {
            if (running != null) {
                running.cancelled = true; // its file would be older: it is deleted instead of renamed
                running.thread.interrupt();
            }
            save();
            return true;
        } catch (IOException e) {
            Log.log("#", "Error trying to save the DB, can't exit: " + e.getMessage());
            return false;
        } finally {
            server.executionLock().unlock();
        }
    }

    /** Redis saves LRU idle times under volatile-lru and allkeys-lru, LFU counters under the two LFU policies. */
    static Snapshot.Access savedAccess(ServerContext server) {
        String policy = server.config().get("maxmemory-policy");
        return policy.endsWith("-lru") ? Snapshot.Access.LRU : policy.endsWith("-lfu") ? Snapshot.Access.LFU
                : Snapshot.Access.NONE;
    }

    // tag::write-file[]
    /** Writes the snapshot to a new temporary file beside the RDB file and fsyncs it; the caller renames it. */
    private Path writeTemp(Snapshot snapshot, AtomicLong written, ForReplication replication) throws IOException {
        ServerConfig config = server.config();
        Path temp = file(config).resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + nextTempNumber() + ".rdb");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeRdb(Channels.newOutputStream(channel), snapshot, written, replication);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }
    // end::write-file[]

    /** The RDB bytes, AUX fields in Redis's order: the replication ones only for a save replication asked for. */
    private void writeRdb(OutputStream out, Snapshot snapshot, AtomicLong written, ForReplication replication)
            throws IOException {
        RdbWriter writer = new RdbWriter(out, server.config().flag("rdbcompression"));
        writer.header();
        writer.aux("redis-ver", RedisVersion.REDIS_VERSION);
        writer.aux("redis-bits", "64");
        writer.aux("ctime", Long.toString(server.clock().millis() / 1000));
        writer.aux("used-mem", Long.toString(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
        if (replication != null) {
            writer.aux("repl-stream-db", Integer.toString(replication.streamDb()));
            writer.aux("repl-id", replication.replid());
            writer.aux("repl-offset", Long.toString(replication.offset()));
        }
        writer.aux("aof-base", "0");
        snapshot.writeTo(writer, server.executionLock(), written);
        writer.finish();
    }

    private synchronized long nextTempNumber() {
        return ++tempFiles;
    }

    // tag::info[]
    /** The RDB lines of INFO persistence, in Redis's order. */
    public Map<String, Object> info() {
        Map<String, Object> fields = new LinkedHashMap<>();
        long now = server.clock().millis();
        Loading state = loading;
        fields.put("loading", state == Loading.SYNC ? 1 : 0);
        fields.put("async_loading", state == Loading.ASYNC ? 1 : 0);
        fields.put("current_save_keys_processed", running == null ? 0 : running.written.get());
        fields.put("current_save_keys_total", running == null ? 0 : running.totalKeys);
        fields.put("rdb_changes_since_last_save", changesSinceLastSave());
        fields.put("rdb_bgsave_in_progress", running == null ? 0 : 1);
        fields.put("rdb_last_save_time", lastSaveSeconds());
        fields.put("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
        fields.put("rdb_last_bgsave_time_sec", lastBgsaveSeconds);
        fields.put("rdb_current_bgsave_time_sec", running == null ? -1 : (now - running.startMillis) / 1000);
        fields.put("rdb_saves", saves);
        fields.put("rdb_last_load_keys_expired", lastLoadKeysExpired);
        fields.put("rdb_last_load_keys_loaded", lastLoadKeysLoaded);
        return fields;
    }
    // end::info[]

    /** Microseconds the last BGSAVE's snapshot held the server (INFO stats latest_fork_usec, Redis's fork time). */
    public long latestPauseMicros() {
        return lastPauseNanos / 1000;
    }
}
