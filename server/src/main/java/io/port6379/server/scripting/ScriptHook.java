// The interpreter's per-instruction hook: where the script is (for error lines), how deep, and whether to stop it.
package io.port6379.server.scripting;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * LuaJ calls its debug library before every instruction and around every call of a Lua function. Installed in
 * its place (the {@code debug} table itself is never given to scripts), this class does four cheap things:
 *
 * <ul>
 * <li>keeps, per call depth, the function's prototype, registers and last instruction: where an error raised now
 *     happened ({@code user_script:3:}), and what {@link LuaErrorText} reads to word it as Lua 5.1 does
 *     ({@code attempt to call local 'f' (a nil value)});</li>
 * <li>counts the depth of Lua calls and raises {@code stack overflow} past {@link #MAX_DEPTH}, long before the
 *     thread's own stack would overflow (each Lua call is a few Java frames on the virtual thread's stack);</li>
 * <li>every {@link #CHECK_EVERY} instructions, asks the {@link ScriptRun} whether the script must stop (SCRIPT
 *     KILL, SHUTDOWN NOSAVE, too much memory) and whether it has become busy: Redis's count hook, which Redis
 *     calls every 100 000 instructions;</li>
 * <li>nothing else: a script pays for a counter and two stores per instruction, and three per call.</li>
 * </ul>
 */
final class ScriptHook extends DebugLib {

    /** Lua calls nested deeper than this end the script with {@code stack overflow}. */
    static final int MAX_DEPTH = 400;
    static final int CHECK_EVERY = 1024;

    private final Prototype[] protos = new Prototype[MAX_DEPTH + 2];
    private final LuaValue[][] stacks = new LuaValue[MAX_DEPTH + 2][];
    private final int[] pcs = new int[MAX_DEPTH + 2];
    /** Whether the function at a depth was called by a Java function (pcall, table.sort), a C function in Lua. */
    private final boolean[] viaJava = new boolean[MAX_DEPTH + 2];
    /**
     * Whether the frame at a depth is kept after its function returned by a tail call of a Java function. Lua 5.1
     * tail-calls only Lua functions: a C function such as pcall runs with its caller's frame still there, so
     * {@code error(msg, 3)} in a function that pcall calls names the line of {@code return pcall(f)}. LuaJ drops
     * the frame before the Java function runs; it is put back when that function calls Lua, and let go when the
     * function has returned (the next instruction, or the return of the frame below it).
     */
    private final boolean[] kept = new boolean[MAX_DEPTH + 2];
    /** The depth of a frame that has just returned by a tail call of a Java function; 0 when none. */
    private int tailFrame;
    private int depth;
    /** The depth of the instruction that ran last. */
    private int at;
    /** The deepest call of this run: the registers kept up to there are let go when it stops. */
    private int highest;
    private int countdown = CHECK_EVERY;
    private ScriptRun run;
    /** The chunks loadstring and load compiled in this run: chunk id to the name Lua 5.1 keeps as their source. */
    private final java.util.Map<String, String> loadedSources = new java.util.HashMap<>();

    void start(ScriptRun run) {
        this.run = run;
        depth = 0;
        at = 0;
        tailFrame = 0;
        protos[0] = null;
        countdown = CHECK_EVERY;
    }

    void stop() {
        run = null;
        loadedSources.clear();
        for (int d = 1; d <= highest; d++) {
            stacks[d] = null;
            protos[d] = null;
            kept[d] = false;
        }
        highest = 0;
    }

    /** The chunk name positions carry: user_script, or user_function while a function loads or runs. */
    String chunk() {
        return run != null ? run.chunk : ScriptEngine.CHUNK;
    }

    /**
     * The chunk of the instruction that ran last, as an error names it: the script's, or a {@code loadstring}
     * chunk's ({@code [string "..."]}), which is compiled under {@code @} and its Lua 5.1 chunk id.
     */
    String chunkAt() {
        Prototype p = protos[at];
        if (p != null && p.source != null && run != null) {
            String source = p.source.tojstring();
            if (source.startsWith("@") && !source.equals("@" + ScriptEngine.CHUNK)) {
                return source.substring(1);
            }
        }
        return chunk();
    }

    /** A chunk compiled by loadstring or load under {@code chunkId}, whose source Lua 5.1 calls {@code source}. */
    void loaded(String chunkId, String source) {
        if (run != null) {
            loadedSources.put(chunkId, source);
        }
    }

    /**
     * The source of the instruction that ran last, as Redis's error handler puts it after {@code on}:
     * {@code @user_script}, or a loaded chunk's own name (its code, for loadstring without a name).
     */
    String sourceAt() {
        String chunk = chunkAt();
        String source = loadedSources.get(chunk);
        return source != null && !chunk.equals(chunk()) ? source : "@" + chunk;
    }

    /** The line of the instruction that ran last: where an error raised now happened. */
    int line() {
        return lineAt(at);
    }

    /**
     * The line where the function {@code level} levels up from the running one is, as {@code error(msg, level)}
     * counts: 1 is the running function, 2 its caller; -1 when that is not Lua code (a library function such as
     * pcall, or the script's own caller). {@code fromJava}: the running function is a library function called by
     * the last Lua function (error called directly by pcall).
     */
    int lineOfLevel(int level, boolean fromJava) {
        int d = at;
        boolean inJava = fromJava;
        for (int l = 1; l < level; l++) {
            if (inJava) {
                inJava = false; // up to the Lua function d that called the library function
            } else if (viaJava[d]) {
                inJava = true; // up to the library function that called d, itself called by d - 1
                d--;
            } else {
                d--;
            }
        }
        return inJava || d < 1 ? -1 : lineAt(d);
    }

    private int lineAt(int d) {
        Prototype p = protos[d];
        return p != null && p.lineinfo != null && pcs[d] < p.lineinfo.length ? p.lineinfo[pcs[d]] : 0;
    }

    /** The function of the instruction that ran last, or null before the first. */
    Prototype proto() {
        return protos[at];
    }

    /** The index of the instruction that ran last in {@link #proto()}'s code. */
    int pc() {
        return pcs[at];
    }

    /** The registers of the function of the instruction that ran last. */
    LuaValue[] registers() {
        return stacks[at];
    }

    @Override
    public void onCall(LuaFunction f) {
        // Java functions: nothing to track
    }

    @Override
    public void onCall(LuaClosure closure, Varargs varargs, LuaValue[] stack) {
        if (tailFrame > 0) { // the Java function tail-called by that frame calls Lua: the frame is still there
            if (tailFrame == depth + 1) {
                kept[++depth] = true;
            }
            tailFrame = 0;
        }
        if (depth >= MAX_DEPTH) {
            throw ScriptError.positioned("stack overflow");
        }
        boolean direct = true;
        if (depth >= 1 && stacks[depth] != null) {
            int i = protos[depth].code[pcs[depth]];
            int op = Lua.GET_OPCODE(i);
            if (op == Lua.OP_CALL || op == Lua.OP_TAILCALL) {
                direct = stacks[depth][Lua.GETARG_A(i)] == closure;
            }
        }
        protos[++depth] = closure.p;
        stacks[depth] = stack;
        viaJava[depth] = !direct;
        if (depth > highest) {
            highest = depth;
        }
    }

    @Override
    public void onReturn() {
        while (kept[depth]) {
            kept[depth--] = false;
        }
        tailFrame = 0;
        if (depth > 0) {
            Prototype p = protos[depth];
            LuaValue[] stack = stacks[depth];
            if (p != null && stack != null && pcs[depth] < p.code.length) {
                int i = p.code[pcs[depth]];
                if (Lua.GET_OPCODE(i) == Lua.OP_TAILCALL && !(stack[Lua.GETARG_A(i)] instanceof LuaClosure)) {
                    tailFrame = depth;
                }
            }
            depth--;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        while (kept[depth]) { // the Java function a kept frame tail-called has returned
            kept[depth--] = false;
        }
        tailFrame = 0;
        pcs[depth] = pc;
        at = depth;
        if (--countdown <= 0) {
            countdown = CHECK_EVERY;
            if (run != null) {
                run.check();
            }
        }
    }

    @Override
    public String traceback(int level) {
        return ScriptError.NO_TRACEBACK;
    }
}
