// What INFO persistence reports about the append-only file: rewrites, their outcome and the last write's status.
package io.port6379.server.persistence;

/**
 * The {@code aof_*} fields of INFO persistence that outlive one rewrite. Written under the execution lock,
 * except {@link #fsynced} and {@link #writeFailed}, which the background fsync also calls; hence volatile.
 */
public final class AofStatus {

    private volatile boolean lastWriteOk = true;
    private volatile String lastWriteError = "";
    private volatile boolean lastRewriteOk = true;
    private volatile long rewrites;
    private volatile long consecutiveFailures;
    private volatile long lastRewriteSeconds = -1;
    private volatile long rewriteStartedMillis = -1;
    private volatile long baseSize;

    void written() {
        lastWriteOk = true;
    }

    void fsynced() {
        lastWriteOk = true;
    }

    void writeFailed(Exception e) {
        lastWriteError = e.getMessage();
        lastWriteOk = false;
    }

    /** Whether the last write (or fsync) of the append-only file succeeded: writes are refused until one does. */
    boolean lastWriteOk() {
        return lastWriteOk;
    }

    /** Why the last write failed, as the system said it ({@code No space left on device}). */
    String lastWriteError() {
        return lastWriteError;
    }

    void rewriteStarted(long nowMillis) {
        rewriteStartedMillis = nowMillis;
    }

    void rewriteFinished(boolean ok, long nowMillis) {
        lastRewriteOk = ok;
        if (ok) {
            rewrites++;
            consecutiveFailures = 0;
        } else {
            consecutiveFailures++;
        }
        if (rewriteStartedMillis >= 0) {
            lastRewriteSeconds = (nowMillis - rewriteStartedMillis) / 1000;
        }
        rewriteStartedMillis = -1;
    }

    void baseSize(long size) {
        baseSize = size;
    }

    public String lastWriteStatus() {
        return lastWriteOk ? "ok" : "err";
    }

    public String lastRewriteStatus() {
        return lastRewriteOk ? "ok" : "err";
    }

    public long rewrites() {
        return rewrites;
    }

    public long consecutiveFailures() {
        return consecutiveFailures;
    }

    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    /** Seconds the rewrite under way has run, -1 when none is. */
    public long currentRewriteSeconds(long nowMillis) {
        long started = rewriteStartedMillis;
        return started < 0 ? -1 : (nowMillis - started) / 1000;
    }

    /** The size of the AOF after the last rewrite or at start-up: auto-aof-rewrite-percentage grows from it. */
    public long baseSize() {
        return baseSize;
    }
}
