// BGREWRITEAOF: compacts the append-only file into a new base while clients keep writing to a new incremental file.
package io.port6379.server.persistence;

import io.port6379.server.util.Log;
import io.port6379.server.ServerContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rewrite in Redis 7's multi-part layout needs no rewrite buffer. At the moment of the snapshot, under the
 * execution lock, three things happen at once: what is buffered goes to the current incremental file, a new one
 * is opened and listed in the manifest (so every later change lands there), and the data is captured. The old
 * incremental file is then fsynced and the new base written from the captured data and fsynced, on the
 * rewrite's own thread, and finally, under the lock, the
 * manifest is switched atomically to "new base + the incremental files opened since", and the old parts are
 * deleted. If the server stops half-way, the old manifest (old base, old and new incremental files) still
 * describes every change.
 *
 * <p>The capture is the copy-on-write {@link Snapshot} BGSAVE uses: under the lock only the shallow copy of every
 * key (O(keys), no value copied), and a collection is frozen when a client first changes it during the rewrite.
 * Like Redis, which runs one background child at a time, a rewrite and a BGSAVE never run together (the keyspaces
 * hold one copy-on-write listener): BGREWRITEAOF during a BGSAVE is scheduled, BGSAVE during a rewrite refused or
 * scheduled. With {@code aof-use-rdb-preamble yes} (the default) the base is an RDB file; with {@code no} it is
 * written as commands ({@link AofSnapshot#writeCommands}).
 */
public final class AofRewrite {

    private final ServerContext server;
    private final AppendOnlyFile aof; // null for a rewrite with appendonly no
    private final AofDirectory directory;
    private final AppendOnlyFile.Switch switched; // null for a rewrite with appendonly no
    private final AofSnapshot snapshot;
    private final boolean rdb;
    private volatile boolean abandoned;

    private AofRewrite(ServerContext server, AppendOnlyFile aof, AofDirectory directory, AppendOnlyFile.Switch switched,
                       AofSnapshot snapshot, boolean rdb) {
        this.server = server;
        this.aof = aof;
        this.directory = directory;
        this.switched = switched;
        this.snapshot = snapshot;
        this.rdb = rdb;
    }

    // tag::start[]
    /** BGREWRITEAOF, under the lock: the moment of the snapshot; the base is then written on a thread of its own. */
    static AofRewrite start(ServerContext server, AppendOnlyFile aof) throws IOException {
        AofRewrite rewrite = snapshot(server, aof);
        rewrite.snapshot.snapshot().listen(server.databases()); // copy-on-write until the base is written
        Thread.ofPlatform().name("aof-rewrite").start(rewrite::run);
        return rewrite;
    }

    /** Switches the incremental file and captures the data, in the same instant. */
    private static AofRewrite snapshot(ServerContext server, AppendOnlyFile aof) throws IOException {
        long started = System.nanoTime();
        AppendOnlyFile.Switch switched = aof.switchIncr();
        long captureStarted = System.nanoTime();
        AofSnapshot snapshot = AofSnapshot.capture(server);
        boolean rdb = server.config().flag("aof-use-rdb-preamble");
        aof.status().rewriteStarted(server.clock().millis());
        Log.log("*", String.format(Locale.ROOT, "Background append only file rewriting started (new incr file "
                + "in %.3f ms, snapshot of %d keys in %.3f ms)", (captureStarted - started) / 1e6, snapshot.keys(),
                snapshot.snapshot().takeNanos() / 1e6));
        return new AofRewrite(server, aof, aof.directory(), switched, snapshot, rdb);
    }
    // end::start[]

    /**
     * The same, with the base written before returning (start-up, CONFIG SET appendonly yes): until a base is
     * installed the manifest would list the new incremental file with nothing under it. The lock is held
     * throughout, so nothing changes and no copy-on-write listener is needed (a running BGSAVE keeps its own).
     */
    static void runNow(ServerContext server, AppendOnlyFile aof) throws IOException {
        server.executionLock().lock();
        try {
            if (!snapshot(server, aof).run()) {
                throw new IOException("writing the AOF base failed");
            }
        } finally {
            server.executionLock().unlock();
        }
    }

    /** BGREWRITEAOF, now or when the BGSAVE it waited for ends: of the open AOF, or a base alone when it is off. */
    public static void start(ServerContext server) {
        if (AppendOnlyFile.of(server) != null) {
            AppendOnlyFile.of(server).rewrite();
        } else {
            startOffline(server);
        }
    }

    /**
     * BGREWRITEAOF with {@code appendonly no}: as Redis 7.0, a base alone, which the manifest then lists alone, so
     * that a later {@code appendonly yes} starts from it.
     */
    public static void startOffline(ServerContext server) {
        AofRewrite rewrite = new AofRewrite(server, null, AofDirectory.of(server.config()), null,
                AofSnapshot.capture(server), server.config().flag("aof-use-rdb-preamble"));
        rewrite.snapshot.snapshot().listen(server.databases());
        RdbSaver.of(server).offlineAofRewrite(true);
        Log.log("*", "Background append only file rewriting started");
        Thread.ofPlatform().name("aof-rewrite").start(rewrite::run);
    }

    /**
     * CONFIG SET appendonly no or SHUTDOWN, under the lock: the base being written will be thrown away, so
     * copy-on-write stops now and a BGSAVE may take the listener.
     */
    void abandon() {
        abandoned = true;
        snapshot.snapshot().stopListening(server.databases());
    }

    /** Under the lock, however the rewrite ended: copy-on-write stops and the copy is dropped. */
    private void ended() {
        snapshot.snapshot().stopListening(server.databases());
        snapshot.snapshot().release();
        if (aof == null) {
            RdbSaver.of(server).offlineAofRewrite(false);
        }
    }

    /** Writes the base and installs it; false when that failed (logged, and reported by INFO). */
    private boolean run() {
        Path temp = directory.path("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                + (rdb ? ".rdb" : ".aof"));
        try {
            if (switched != null) {
                switched.retirePrevious();
            }
            directory.create();
            if (rdb) {
                snapshot.writeRdb(temp);
            } else {
                snapshot.writeCommands(temp);
            }
            install(temp);
            return true;
        } catch (IOException | RuntimeException e) {
            Log.log("#", "Background AOF rewrite failed: " + e.getMessage());
            server.executionLock().lock();
            try {
                ended();
                if (aof != null) {
                    aof.status().rewriteFinished(false, server.clock().millis());
                    aof.rewriteEnded();
                    if (aof.initial() && !abandoned) {
                        RdbSaver.of(server).scheduleAofRewrite(); // as Redis, the first base is retried: the AOF is on
                    }
                }
            } finally {
                server.executionLock().unlock();
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more to clean
            }
            return false;
        }
    }

    /**
     * Under the lock: the new base gets its name, and the manifest lists it and the incremental files opened
     * since the snapshot; the parts they replace become history and are deleted once the manifest says so.
     */
    private void install(Path temp) throws IOException {
        server.executionLock().lock();
        try {
            ended();
            if (abandoned || aof == null && AppendOnlyFile.of(server) != null) {
                Files.deleteIfExists(temp); // the AOF was closed, or opened with a base of its own, meanwhile
                return;
            }
            AofManifest old = aof != null ? aof.manifest() : directory.readManifest();
            if (old == null) {
                old = new AofManifest(List.of());
            }
            AofManifest.Entry base = new AofManifest.Entry(directory.baseName(old.baseSeq() + 1, rdb), old.baseSeq() + 1,
                    AofManifest.Type.BASE);
            // tag::install[]
            Files.move(temp, directory.path(base.file()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            boolean initial = aof != null && aof.initial();
            if (initial) { // CONFIG SET appendonly yes: the incremental file gets its name with its base
                Files.move(aof.initialIncr(switched.next()), directory.path(switched.next().file()),
                        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            List<AofManifest.Entry> kept = new ArrayList<>(List.of(base));
            // As Redis's manifest: the old base, then each rewritten incremental file, put at the head of the history.
            java.util.ArrayDeque<AofManifest.Entry> history = new java.util.ArrayDeque<>();
            List<AofManifest.Entry> olderHistory = new ArrayList<>();
            for (AofManifest.Entry entry : old.entries()) {
                if (switched != null && entry.type() == AofManifest.Type.INCR && entry.seq() >= switched.next().seq()) {
                    kept.add(entry);
                } else if (entry.type() == AofManifest.Type.HISTORY) {
                    olderHistory.add(entry);
                } else {
                    history.addFirst(new AofManifest.Entry(entry.file(), entry.seq(), AofManifest.Type.HISTORY));
                }
            }
            history.addAll(olderHistory);
            if (initial) {
                kept.add(switched.next());
                aof.initialBaseInstalled();
            }
            List<AofManifest.Entry> withHistory = new ArrayList<>(kept);
            withHistory.addAll(history);
            AofManifest manifest = new AofManifest(withHistory);
            directory.writeManifest(manifest);
            if (!server.config().flag("aof-disable-auto-gc")) { // else the history stays, listed, until it is enabled
                manifest = deleteHistory(directory, manifest);
            }
            // end::install[]
            if (aof != null) {
                aof.manifest(manifest);
                aof.status().rewriteFinished(true, server.clock().millis());
                aof.status().baseSize(aof.currentSize());
                aof.rewriteEnded();
            }
            Log.log("*", "Background AOF rewrite finished successfully");
        } finally {
            server.executionLock().unlock();
        }
    }

    /**
     * Redis's {@code aofDelHistoryFiles}: deletes the files the manifest lists as history, then writes it without them.
     * Returns the manifest as written.
     */
    static AofManifest deleteHistory(AofDirectory directory, AofManifest manifest) throws IOException {
        List<AofManifest.Entry> kept = new ArrayList<>();
        for (AofManifest.Entry entry : manifest.entries()) {
            if (entry.type() == AofManifest.Type.HISTORY) {
                Files.deleteIfExists(directory.path(entry.file()));
            } else {
                kept.add(entry);
            }
        }
        AofManifest cleaned = new AofManifest(kept);
        directory.writeManifest(cleaned);
        return cleaned;
    }

    /**
     * {@code auto-aof-rewrite-percentage} and {@code auto-aof-rewrite-min-size}: rewrite when the file has grown
     * by that percentage since the last rewrite (or start-up) and is at least that big, as Redis's serverCron.
     */
    static void maybeAutomatic(ServerContext server, AppendOnlyFile aof) {
        long percentage = server.config().number("auto-aof-rewrite-percentage");
        long minSize = server.config().number("auto-aof-rewrite-min-size");
        long size = aof.currentSize();
        long base = Math.max(aof.status().baseSize(), 1);
        if (percentage > 0 && size > minSize && (size - base) * 100 / base >= percentage) {
            Log.log("*", "Starting automatic rewriting of AOF on " + (size - base) * 100 / base + "% growth");
            try {
                aof.rewrite();
            } catch (RuntimeException e) {
                Log.log("#", "Automatic AOF rewrite failed: " + e.getMessage());
            }
        }
    }
}
