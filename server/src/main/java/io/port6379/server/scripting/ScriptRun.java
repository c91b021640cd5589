// One running script: who runs it, what it may do, what it did, and whether it must stop.
package io.port6379.server.scripting;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.util.Args;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * Redis's {@code scriptRunCtx}. Created by the engine for each EVAL, read by {@code redis.call} and by the
 * instruction hook. The fields other threads touch ({@link #killRequested}, {@link #shutdownRequested}) are
 * volatile: SCRIPT KILL arrives on another connection's thread while this one runs.
 */
final class ScriptRun implements ServerContext.Busy {

    static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    static final String KILLED = "Script killed by user with SCRIPT KILL...";

    final Client caller;
    /** What errors name: the script's SHA1, or the function's name. */
    final String sha;
    /** The chunk name in error positions: {@code user_script} for EVAL, {@code user_function} for a function. */
    final String chunk;
    final boolean function;
    final boolean readOnly;
    /** Redis's SCRIPT_ALLOW_OOM: the script declared {@code allow-oom}. */
    final boolean allowOom;
    /** {@code allow-cross-slot-keys}, or an EVAL without a shebang: keys of several slots may be used (cluster). */
    boolean allowCrossSlot;
    /** FCALL's arguments (FUNCTION STATS shows them) and the libraries, for a function; null for EVAL. */
    byte[][] command;
    FunctionLibraries libraries;
    /** While a library loads: when its code must have ended (System.nanoTime), else 0. */
    long loadDeadlineNanos;
    /** Redis's pre_command_oom_state: memory was over maxmemory when the script started. */
    boolean oomAtStart;
    final long startNanos = System.nanoTime();
    /** How long a busy script steps aside for the other connections, and how often (see {@link #check}). */
    private static final long BUSY_PAUSE_NANOS = 50_000;
    private static final long BUSY_PAUSE_EVERY_NANOS = 5_000_000;
    private long lastPauseNanos;
    private final ServerContext server;
    int resp = 2;
    volatile boolean wrote;
    /**
     * The replication concern's answers, asked once per run (nothing changes them while the script holds the
     * execution lock): whether the server is a stale replica (null: not asked yet), and what refuses a write.
     */
    Boolean stale;
    String writeRefusal;
    boolean writeRefusalKnown;
    volatile boolean killRequested;
    volatile boolean shutdownRequested;
    private boolean busy;
    /**
     * The commands other connections handed over while this script is busy, run by the hook on this thread
     * (Redis's processEventsWhileBlocked); {@code over} once the script has ended and takes no more.
     */
    private final ArrayDeque<Runnable> handedOver = new ArrayDeque<>();
    private boolean over;

    ScriptRun(ServerContext server, Client caller, String sha, boolean function, boolean readOnly, boolean allowOom) {
        this.server = server;
        this.caller = caller;
        this.sha = sha;
        this.function = function;
        this.chunk = function ? ScriptEngine.FUNCTION_CHUNK : ScriptEngine.CHUNK;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
    }

    // tag::check[]
    /**
     * Called by the hook every few thousand instructions, on the script's thread: stops the script when asked
     * to, becomes busy past {@code busy-reply-threshold}, and stops a script that fills the heap.
     */
    void check() {
        if (killRequested || shutdownRequested) {
            throw ScriptError.raw(ScriptError.errorTable(KILLED)).fatal();
        }
        if (loadDeadlineNanos != 0) { // FUNCTION LOAD: a library only registers functions, 500 ms are plenty
            if (System.nanoTime() - loadDeadlineNanos > 0) {
                throw ScriptError.raw(ScriptError.errorTable("FUNCTION LOAD timeout")).fatal();
            }
            return;
        }
        if (!busy) {
            long threshold = server.config().number("busy-reply-threshold");
            if (threshold > 0 && System.nanoTime() - startNanos > threshold * 1_000_000) {
                busy = true;
                server.busy(this); // from now on the other connections are answered while this script runs
            }
        } else {
            runHandedOver();
            // A virtual thread is never preempted: let the connections that answer BUSY run. Not Thread.yield():
            // with one carrier thread the yielding script goes back to the carrier's own queue and runs again before
            // the wake-ups of parked connections and of new ones, which wait in the pool's submission queue, so
            // nothing else would ever run. Parking takes the script off the carrier until the timer re-submits it;
            // once every few milliseconds, as Redis's hook serves the event loop, so that a busy script is not slowed.
            long now = System.nanoTime();
            if (now - lastPauseNanos > BUSY_PAUSE_EVERY_NANOS) {
                LockSupport.parkNanos(BUSY_PAUSE_NANOS);
                lastPauseNanos = System.nanoTime();
            }
        }
        ScriptMemory.check();
    }
    // end::check[]

    void finished() {
        if (busy) {
            runHandedOver(); // what was handed over before the end is still answered as during the script
            synchronized (handedOver) {
                over = true;
            }
            runHandedOver();
            server.busy(null);
        }
    }

    /** Whether the server is busy with this script: past its threshold and not yet ended. */
    boolean busy() {
        return busy;
    }

    private void runHandedOver() {
        Runnable task;
        while (true) {
            synchronized (handedOver) {
                task = handedOver.poll();
            }
            if (task == null) {
                return;
            }
            task.run();
        }
    }

    /**
     * SCRIPT KILL ({@code function} false) or FUNCTION KILL, run by the hook: each kind of script has its own KILL,
     * and a script that has written cannot be stopped halfway (Redis's scriptKill).
     */
    void kill(boolean function) {
        if (wrote) {
            throw new RedisException(ScriptEngine.UNKILLABLE);
        }
        if (function != this.function) {
            throw new RedisException(error());
        }
        killRequested = true;
    }

    @Override
    public String error() {
        return function ? BUSY_FUNCTION : BUSY_EVAL;
    }

    // tag::answer[]
    /**
     * What another client gets while this script is busy: its command, judged and run by the dispatcher on this
     * script's thread at the next hook (BUSY for all but the commands flagged {@code allow_busy}), while the client's
     * own thread waits. SHUTDOWN NOSAVE stops the script and runs once it is over.
     */
    @Override
    public boolean answer(Client client, byte[][] args, RespWriter reply) {
        if (args.length == 2 && Args.is(args[0], "shutdown") && Args.is(args[1], "nosave")) {
            shutdownRequested = true;
            return true;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (handedOver) {
            if (over) {
                return true; // the script has just ended: the command runs as any other
            }
            handedOver.add(() -> {
                try {
                    server.executeWhileBusy(client, args, reply);
                } finally {
                    done.complete(null);
                }
            });
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // never: the task completes normally, whatever the command did
        }
        return false;
    }
    // end::answer[]
}
