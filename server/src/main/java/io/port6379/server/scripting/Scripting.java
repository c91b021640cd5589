// Scripting as the server starts it: where its engine will live, and the RDB's functions, without loading LuaJ.
package io.port6379.server.scripting;

import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

import java.util.List;
import java.util.Set;

/**
 * What the server needs of scripting before the first script: the slot its {@link ScriptEngine} goes into, and the
 * functions an RDB file or an AOF rewrite carries. Nothing here names a LuaJ class, and nothing at start-up touches
 * {@link ScriptEngine}: its static fields are Lua strings, and linking it loads and verifies LuaJ's classes, which
 * (compiled for Java 1.3) can be in no AOT cache. Kept apart, the engine's classes are first loaded by the first
 * EVAL, FCALL, SCRIPT or FUNCTION command, or by an RDB file's function library, and a server that runs no script
 * never pays for them (chapter 15).
 */
public final class Scripting {

    /** Where the server keeps its engine; empty until the first script, and in a context without scripting. */
    public static final Slot<ScriptEngine> SLOT = Slot.named("scripting");

    private Scripting() {
    }

    /**
     * Plugs in what RDB files and AOF rewrites carry of the functions: none while no engine exists, and loading a
     * file's libraries makes the engine.
     */
    public static void install(ServerContext server) {
        server.set(Concerns.FUNCTIONS, new Concerns.Functions() {
            @Override
            public List<byte[]> codes() {
                ScriptEngine engine = server.peek(SLOT);
                return engine == null ? List.of() : engine.libraries().codes();
            }

            @Override
            public void loadAll(List<byte[]> codes, boolean replace) {
                ScriptEngine.of(server).libraries().loadAll(codes, replace);
            }

            @Override
            public Set<CommandFlag> commandFlags(Command command, byte[][] args) {
                return switch (command.name()) { // others never touch the engine, so LuaJ loads with the first script
                    case "eval", "eval_ro", "evalsha", "evalsha_ro", "fcall", "fcall_ro" ->
                            ScriptEngine.commandFlags(server, command, args);
                    default -> command.flags();
                };
            }
        });
    }
}
