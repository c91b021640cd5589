// The running append-only file: every change is appended as a command, written before the replies leave, fsynced per policy.
package io.port6379.server.persistence;

import io.port6379.server.util.Log;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.ServerContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis's {@code aof.c} for a server whose commands run one at a time under an execution lock.
 *
 * <p><b>Feeding.</b> The {@link PropagationFeed} hands this class every command that changed the data, as
 * {@link Propagation} rewrote it, the commands of one call wrapped in MULTI/EXEC when there is more than one (a
 * transaction, or SPOP's several SREMs), as Redis 7.0's {@code propagatePendingCommands}; the replication backlog
 * receives the same. A SELECT precedes a command of another database than the previous one.
 *
 * <p><b>Writing.</b> Commands collect in a buffer. At the end of each batch, while the connection still holds
 * the lock and before its replies are handed to the socket, the buffer is written to the incremental file
 * (Redis's {@code beforeSleep} → {@code flushAppendOnlyFile}). With {@code appendfsync always} it is also
 * fsynced there, so a reply is never sent for a write the disk does not hold. With {@code everysec} a
 * background thread fsyncs once a second; with {@code no} the kernel decides. Commands that no client batch
 * follows (the cron's active expiry) are written by that thread within a second.
 *
 * <p><b>Rewriting.</b> See {@link AofRewrite}: a new incremental file is opened at the moment of the snapshot,
 * a new base is written from the snapshot, and the manifest switches to both atomically.
 *
 * <p>Thread-safety: every method runs under the execution lock, except the background thread's fsync.
 */
public final class AppendOnlyFile implements PropagationFeed.Sink {

    /** {@code appendfsync}. */
    public enum Fsync { ALWAYS, EVERYSEC, NO }

    private final ServerContext server;
    private final AofDirectory directory;
    private final RespWriter buffer = new RespWriter();
    /** What is buffered before {@link #buffer}'s commands: those written before a {@code #TS:} annotation, and it. */
    private final java.io.ByteArrayOutputStream annotated = new java.io.ByteArrayOutputStream();
    /** The second of the last {@code #TS:} annotation (aof-timestamp-enabled). */
    private long lastTimestamp;
    private final AofStatus status;
    /** Write errors are logged at most this often, as Redis's AOF_WRITE_LOG_ERROR_RATE (30 s). */
    private static final long WRITE_ERROR_LOG_INTERVAL_MILLIS = 30_000;
    private long lastWriteErrorLogMillis;
    private AofManifest manifest;
    private volatile FileChannel incr;
    private int selectedDb = -1;
    private long incrSize;
    private volatile boolean open = true;
    private volatile boolean needsFsync;
    private Thread background;
    private AofRewrite rewrite;
    private boolean initial; // CONFIG SET appendonly yes: the first base is not installed yet

    private AppendOnlyFile(ServerContext server, AofDirectory directory, AofStatus status) {
        this.server = server;
        this.directory = directory;
        this.status = status;
    }

    /** The append-only file being written, or null while {@code appendonly} is {@code no}. */
    public static AppendOnlyFile of(ServerContext server) {
        PropagationFeed feed = PropagationFeed.of(server);
        return feed == null ? null : feed.aof();
    }

    /**
     * Starts appending at start-up, after the data was loaded: continues the last incremental file of the
     * manifest, or, when there is no manifest yet, writes a first base from the data and opens incremental file 1.
     */
    public static AppendOnlyFile openAtStartup(ServerContext server) throws IOException {
        AofDirectory directory = AofDirectory.of(server.config());
        AppendOnlyFile aof = new AppendOnlyFile(server, directory, new AofStatus());
        AofManifest manifest = directory.readManifest();
        if (manifest == null || manifest.incrs().isEmpty()) {
            aof.startWithRewrite(manifest);
        } else {
            aof.manifest = manifest;
            AofManifest.Entry last = manifest.incrs().getLast();
            Log.log("*", "Opening AOF incr file " + last.file() + " on server start");
            aof.incr = FileChannel.open(directory.path(last.file()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            aof.incrSize = aof.incr.size();
        }
        aof.status.baseSize(aof.currentSize());
        aof.startBackground();
        return aof;
    }

    // tag::enable[]
    /**
     * CONFIG SET appendonly yes: as Redis's {@code startAppendOnly}, a rewrite creates a base holding the data as
     * it is now and a new incremental file that receives every change from that moment. The rewrite runs in the
     * background (Redis's {@code AOF_WAIT_REWRITE}): the new incremental file is a temporary one, named and listed
     * in the manifest only with the base. During a BGSAVE it is scheduled, and until it starts nothing is
     * recorded, since its snapshot will hold every change. While a rewrite with {@code appendonly no} still holds
     * the copy-on-write hook, the base is written at once instead.
     */
    public static AppendOnlyFile enable(ServerContext server) {
        try {
            AofDirectory directory = AofDirectory.of(server.config());
            AppendOnlyFile aof = new AppendOnlyFile(server, directory, new AofStatus());
            if (RdbSaver.of(server).aofRewriteInProgress()) {
                aof.startWithRewrite(directory.readManifest());
            } else {
                directory.create();
                AofManifest existing = directory.readManifest();
                aof.manifest = existing == null ? new AofManifest(List.of()) : existing;
                aof.initial = true;
                if (RdbSaver.of(server).inProgress()) {
                    RdbSaver.of(server).scheduleAofRewrite();
                    Log.log("#", "AOF was enabled but there is already another background operation. "
                            + "An AOF background was scheduled to start when possible.");
                } else {
                    aof.rewrite = AofRewrite.start(server, aof);
                }
            }
            aof.startBackground();
            return aof;
        } catch (IOException e) {
            Log.log("#", "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. " + e.getMessage());
            throw new RedisException("ERR Background append only file rewriting failed: " + e.getMessage());
        }
    }

    // end::enable[]

    /** Whether the first base, since CONFIG SET appendonly yes, is not installed yet (Redis's AOF_WAIT_REWRITE). */
    boolean initial() {
        return initial;
    }

    /** The first base is installed: the AOF is on for good. */
    void initialBaseInstalled() {
        initial = false;
    }

    /**
     * CONFIG SET appendonly: {@code yes} opens the AOF with a rewrite (the data so far becomes its base), {@code no}
     * closes it. A failure to open leaves {@code appendonly no} and answers Redis's error (the cause is logged).
     */
    public static void configSet(ServerContext server) {
        boolean wanted = server.config().flag("appendonly");
        if (wanted && AppendOnlyFile.of(server) == null) {
            try {
                PropagationFeed.aof(server, enable(server));
            } catch (RedisException e) {
                server.config().set("appendonly", "no");
                throw new RedisException("ERR CONFIG SET failed (possibly related to argument 'appendonly') - "
                        + "Unable to turn on AOF. Check server logs.");
            }
        } else if (!wanted && AppendOnlyFile.of(server) != null) {
            AppendOnlyFile.of(server).close();
            PropagationFeed.aof(server, null);
        }
    }

    /** CONFIG SET aof-disable-auto-gc no: the history files a rewrite kept are deleted now (Redis's updateAofAutoGCEnabled). */
    public static void autoGcChanged(ServerContext server) {
        AppendOnlyFile aof = AppendOnlyFile.of(server);
        if (aof != null && !server.config().flag("aof-disable-auto-gc")) {
            try {
                aof.manifest = AofRewrite.deleteHistory(aof.directory, aof.manifest);
            } catch (IOException e) {
                Log.log("#", "Failed to delete the AOF history files: " + e.getMessage());
            }
        }
    }

    private void startWithRewrite(AofManifest existing) throws IOException {
        directory.create();
        manifest = existing == null ? new AofManifest(List.of()) : existing;
        AofRewrite.runNow(server, this);
    }

    private void startBackground() {
        background = Thread.ofPlatform().daemon().name("aof-fsync").start(this::everySecond);
    }

    /** Appends one command to the buffer, preceded by SELECT when its database differs from the last one's. */
    @Override
    public void append(int db, byte[][] args) {
        if (initial && rewrite == null) {
            return; // the first rewrite is scheduled: its snapshot, still to come, will hold this change
        }
        if (server.config().flag("aof-timestamp-enabled")) {
            annotateTime();
        }
        if (db >= 0 && db != selectedDb) {
            buffer.arrayHeader(2).bulkString("SELECT").bulkString(Integer.toString(db));
            selectedDb = db;
        }
        if (args == null) {
            return;
        }
        buffer.arrayHeader(args.length);
        for (byte[] arg : args) {
            buffer.bulkString(arg);
        }
    }

    // tag::timestamp[]
    /**
     * {@code aof-timestamp-enabled}: before the first command of each new second, Redis's
     * {@code genAofTimestampAnnotationIfNeeded} writes {@code #TS:<unix time>}, a line loading skips and
     * {@code redis-check-aof --truncate-to-timestamp} cuts at. The commands buffered so far move ahead of it.
     */
    private void annotateTime() {
        long now = System.currentTimeMillis() / 1000;
        if (now <= lastTimestamp) {
            return;
        }
        lastTimestamp = now;
        annotated.writeBytes(buffer.toByteArray());
        buffer.clear();
        annotated.writeBytes(("#TS:" + now + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    // end::timestamp[]

    /** INFO's {@code mem_aof_buffer}. */
    public long bufferedBytes() {
        return buffered();
    }

    /** The bytes waiting to be written: annotated commands, then the buffer. */
    private int buffered() {
        return annotated.size() + buffer.size();
    }

    // tag::flush[]
    /**
     * The end of a batch, before its replies go out: writes the buffer to the incremental file, and with
     * {@code appendfsync always} fsyncs it, so that no reply acknowledges a write the disk does not hold. With
     * {@code always}, a failed write or fsync stops the server, as Redis does: it cannot keep its promise.
     */
    @Override
    public void beforeReplies() {
        if (buffered() == 0) {
            return;
        }
        Fsync policy = policy();
        try {
            write();
            if (policy == Fsync.ALWAYS && !fsyncPaused()) {
                incr.force(false);
                status.fsynced();
            }
        } catch (IOException e) {
            status.writeFailed(e);
            if (policy == Fsync.ALWAYS) {
                Log.log("#", "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
                Runtime.getRuntime().halt(1);
            }
            long now = System.currentTimeMillis();
            if (now - lastWriteErrorLogMillis > WRITE_ERROR_LOG_INTERVAL_MILLIS) { // Redis's AOF_WRITE_LOG_ERROR_RATE
                lastWriteErrorLogMillis = now;
                Log.log("#", "Error writing to the AOF file: " + e.getMessage());
            }
        }
    }

    // end::flush[]

    // tag::everysec[]
    /** The background thread: once a second, write what the cron left in the buffer and fsync ({@code everysec}). */
    private void everySecond() {
        while (open) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            server.executionLock().lock();
            try {
                if (!open) {
                    return;
                }
                beforeReplies();
                if (rewrite == null && !initial && !RdbSaver.of(server).inProgress()) { // one background job at a time, as Redis
                    AofRewrite.maybeAutomatic(server, this);
                }
            } finally {
                server.executionLock().unlock();
            }
            FileChannel channel = incr;
            if (policy() == Fsync.EVERYSEC && needsFsync && channel != null && !fsyncPaused()) {
                needsFsync = false;
                try {
                    channel.force(false); // outside the lock: clients keep being served while the disk works
                    status.fsynced();
                } catch (IOException e) {
                    if (open && channel == incr) {
                        status.writeFailed(e);
                        Log.log("#", "Can't persist the AOF file: fsync failed: " + e.getMessage());
                    }
                }
            }
        }
    }
    // end::everysec[]

    /**
     * {@code no-appendfsync-on-rewrite}: while a rewrite or a BGSAVE writes its own file, Redis skips the AOF's fsync
     * (the write still happens), so that the two do not compete for the disk; the kernel flushes in its own time.
     */
    private boolean fsyncPaused() {
        return server.config().flag("no-appendfsync-on-rewrite") && (rewrite != null || RdbSaver.of(server).inProgress());
    }

    private void write() throws IOException {
        int size = buffered();
        if (annotated.size() > 0) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(annotated.toByteArray());
            while (bytes.hasRemaining()) {
                incr.write(bytes);
            }
            annotated.reset();
        }
        buffer.flushTo(Channels.newOutputStream(incr)); // writes every byte, then empties the buffer; kept on failure
        incrSize += size;
        needsFsync = true;
        if (!status.lastWriteOk()) {
            Log.log("#", "AOF write error looks solved, Redis can write again.");
        }
        status.written();
    }

    private Fsync policy() {
        return Fsync.valueOf(server.config().get("appendfsync").toUpperCase(Locale.ROOT));
    }

    /** BGREWRITEAOF: starts a rewrite, or says why not, with Redis's error. */
    public void rewrite() {
        if (rewrite != null) {
            throw new RedisException("ERR Background append only file rewriting already in progress");
        }
        try {
            rewrite = AofRewrite.start(server, this);
        } catch (IOException e) {
            status.rewriteFinished(false, 0);
            throw new RedisException("ERR Background append only file rewriting failed: " + e.getMessage());
        }
    }

    /** Whether a rewrite is under way (INFO's aof_rewrite_in_progress). */
    public boolean rewriting() {
        return rewrite != null;
    }

    /** Called by {@link AofRewrite} when it ends, successfully or not. */
    void rewriteEnded() {
        rewrite = null;
    }

    /** What {@link #switchIncr} did: the new incremental file, and the old one, still to be fsynced and closed. */
    record Switch(AofManifest.Entry next, FileChannel previous) {

        /** Fsyncs and closes the old incremental file: on the rewrite's thread, not under the lock. */
        void retirePrevious() throws IOException {
            if (previous != null) {
                try (previous) {
                    previous.force(false);
                }
            }
        }
    }

    /**
     * The moment of a rewrite's snapshot: writes what is buffered to the current incremental file and switches
     * to a new one, listed in the manifest at once, so that every later change lands after the snapshot. The old
     * file is fsynced later, off the lock (its data is in the page cache already, as with {@code everysec}).
     */
    Switch switchIncr() throws IOException {
        if (incr != null) {
            try {
                write();
            } catch (IOException e) { // as Redis: what could not be written goes to the new file instead
                status.writeFailed(e);
            }
        }
        AofManifest.Entry next = new AofManifest.Entry(directory.incrName(manifest.lastIncrSeq() + 1),
                manifest.lastIncrSeq() + 1, AofManifest.Type.INCR);
        Path file = initial ? initialIncr(next) : directory.path(next.file());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        if (!initial) {
            manifest = manifest.withIncr(next);
            directory.writeManifest(manifest);
        }
        FileChannel previous = incr;
        incr = channel;
        incrSize = 0;
        needsFsync = false; // what was written went to the previous file, which the rewrite fsyncs
        selectedDb = -1; // the new file must say which database its first command is for
        return new Switch(next, previous);
    }

    /** Before the first base: the temporary incremental file, renamed to {@code next} when the base is installed. */
    Path initialIncr(AofManifest.Entry next) {
        return directory.path("temp-" + next.file());
    }

    AofManifest manifest() {
        return manifest;
    }

    void manifest(AofManifest manifest) {
        this.manifest = manifest;
    }

    AofDirectory directory() {
        return directory;
    }

    AofStatus status() {
        return status;
    }

    // tag::info[]
    /** The AOF lines of INFO persistence, in Redis 7.0's order; the size lines only while the AOF is on. */
    public static Map<String, Object> info(ServerContext server) {
        AppendOnlyFile aof = AppendOnlyFile.of(server);
        AofStatus status = aof == null ? new AofStatus() : aof.status;
        long now = server.clock().millis();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("aof_enabled", aof == null ? 0 : 1);
        fields.put("aof_rewrite_in_progress", RdbSaver.of(server).aofRewriteInProgress() ? 1 : 0);
        fields.put("aof_rewrite_scheduled", RdbSaver.of(server).aofRewriteScheduled() ? 1 : 0);
        fields.put("aof_last_rewrite_time_sec", status.lastRewriteSeconds());
        fields.put("aof_current_rewrite_time_sec", status.currentRewriteSeconds(now));
        fields.put("aof_last_bgrewrite_status", status.lastRewriteStatus());
        fields.put("aof_rewrites", status.rewrites());
        fields.put("aof_rewrites_consecutive_failures", status.consecutiveFailures());
        fields.put("aof_last_write_status", status.lastWriteStatus());
        fields.put("aof_last_cow_size", 0); // no fork, no copy-on-write pages: the snapshot's copy is on the heap
        fields.put("module_fork_in_progress", 0);
        fields.put("module_fork_last_cow_size", 0);
        if (aof != null) {
            fields.put("aof_current_size", aof.currentSize());
            fields.put("aof_base_size", status.baseSize());
            fields.put("aof_pending_rewrite", 0);
            fields.put("aof_buffer_length", aof.buffered());
            fields.put("aof_pending_bio_fsync", 0);
            fields.put("aof_delayed_fsync", 0);
        }
        fields.putAll(RdbSaver.of(server).loadingInfo()); // Redis ends the section with them
        return fields;
    }
    // end::info[]

    /** Base plus incremental files, in bytes (INFO's aof_current_size). */
    public long currentSize() {
        long size = incrSize;
        if (initial) {
            return size;
        }
        for (AofManifest.Entry entry : manifest.loadOrder()) {
            if (entry != manifest.incrs().getLast()) {
                size += directory.size(entry.file());
            }
        }
        return size;
    }

    /**
     * CONFIG SET appendonly no, SHUTDOWN, or the end of a test: writes and fsyncs what is buffered and closes the
     * file, as Redis's {@code stopAppendOnly}. A rewrite under way is abandoned.
     */
    public void close() {
        open = false;
        if (rewrite != null) {
            rewrite.abandon();
        }
        try {
            if (PropagationFeed.of(server) != null) {
                PropagationFeed.of(server).commit(); // a call's commands still pending belong in the file
            }
            if (initial) {
                // The first base is not installed: Redis refuses to exit ("Writing initial AOF, can't exit."); we
                // write it now, under the lock, so that the data the AOF was switched on for is not lost.
                AofRewrite.runNow(server, this);
            }
            if (buffered() > 0) {
                write();
            }
            incr.force(false);
            incr.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (background != null) {
                background.interrupt();
            }
        }
    }

    /** Opens a file of the directory for writing from scratch (the rewrite's temporary base). */
    static FileChannel create(Path path) throws IOException {
        Files.deleteIfExists(path);
        return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
