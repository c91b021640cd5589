// One running script: who runs it, what it may do, what it did, and whether it must stop.
package io.port6379.server.scripting;

import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.util.Args;

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
            server.busy(null);
        }
    }

    // tag::answer[]
    /** What another client gets while this script is busy: see {@link ServerContext.Busy}. */
    @Override
    public boolean answer(Client client, byte[][] args, RespWriter reply) {
        String name = Args.text(args[0]).toLowerCase(java.util.Locale.ROOT);
        String sub = args.length > 1 ? Args.text(args[1]).toLowerCase(java.util.Locale.ROOT) : "";
        boolean scriptKill = name.equals("script") && sub.equals("kill") && args.length == 2;
        boolean functionKill = name.equals("function") && sub.equals("kill") && args.length == 2;
        if (scriptKill || functionKill) { // Redis's scriptKill: each kind of script has its own KILL
            if (wrote) {
                reply.error(ScriptEngine.UNKILLABLE);
            } else if (scriptKill == function) {
                reply.error(function ? BUSY_FUNCTION : BUSY_EVAL);
            } else {
                killRequested = true;
                reply.simpleString("OK");
            }
            return false;
        }
        if (name.equals("function") && sub.equals("stats") && args.length == 2) {
            if (function) {
                libraries.stats(reply, this);
            } else {
                reply.error(BUSY_EVAL);
            }
            return false;
        }
        if (name.equals("shutdown") && args.length == 2 && sub.equals("nosave")) {
            shutdownRequested = true;
            return true;
        }
        server.answerWhileBusy(client, args, function ? BUSY_FUNCTION : BUSY_EVAL, reply); // MULTI's rules too
        return false;
    }
    // end::answer[]
}
