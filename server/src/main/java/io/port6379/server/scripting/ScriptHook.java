// The interpreter's per-instruction hook: where the script is (for error lines), how deep, and whether to stop it.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * LuaJ calls its debug library before every instruction and around every call of a Lua function. Installed in
 * its place (the {@code debug} table itself is never given to scripts), this class does four cheap things:
 *
 * <ul>
 * <li>keeps the line of the last instruction, which is where an error raised now happened ({@code user_script:3:});</li>
 * <li>counts the depth of Lua calls and raises {@code stack overflow} past {@link #MAX_DEPTH}, long before the
 *     thread's own stack would overflow (each Lua call is a few Java frames on the virtual thread's stack);</li>
 * <li>every {@link #CHECK_EVERY} instructions, asks the {@link ScriptRun} whether the script must stop (SCRIPT
 *     KILL, SHUTDOWN NOSAVE, too much memory) and whether it has become busy: Redis's count hook, which Redis
 *     calls every 100 000 instructions;</li>
 * <li>nothing else: no call stack is recorded, so a script pays for a counter and an array read per instruction.</li>
 * </ul>
 */
final class ScriptHook extends DebugLib {

    /** Lua calls nested deeper than this end the script with {@code stack overflow}. */
    static final int MAX_DEPTH = 400;
    static final int CHECK_EVERY = 1024;

    private final int[][] lines = new int[MAX_DEPTH + 2][];
    private int depth;
    private int line;
    private int countdown = CHECK_EVERY;
    private ScriptRun run;

    void start(ScriptRun run) {
        this.run = run;
        depth = 0;
        line = 0;
        countdown = CHECK_EVERY;
    }

    void stop() {
        run = null;
    }

    /** The chunk name positions carry: user_script, or user_function while a function loads or runs. */
    String chunk() {
        return run != null ? run.chunk : ScriptEngine.CHUNK;
    }

    /** The line of the instruction that ran last: where an error raised now happened. */
    int line() {
        return line;
    }

    @Override
    public void onCall(LuaFunction f) {
        // Java functions: nothing to track
    }

    @Override
    public void onCall(LuaClosure closure, Varargs varargs, LuaValue[] stack) {
        if (depth >= MAX_DEPTH) {
            throw ScriptError.positioned("stack overflow");
        }
        lines[++depth] = closure.p.lineinfo;
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            depth--;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        int[] info = lines[depth];
        if (info != null && pc < info.length) {
            line = info[pc];
        }
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
