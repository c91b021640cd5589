// The scripting family: EVAL, EVALSHA, their read-only forms, and SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP.
package io.port6379.server.commands;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.scripting.ScriptEngine;
import io.port6379.server.scripting.Scripting;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

import java.util.Arrays;
import java.util.Locale;

/**
 * Redis's {@code eval.c}, the commands around the engine ({@link ScriptEngine}). A script is named by the SHA1 of
 * its body: EVAL compiles and caches it, EVALSHA runs a cached one, SCRIPT LOAD caches without running. The
 * script runs inside the command, so under the execution lock, and its {@code redis.call}s go through the
 * dispatcher as commands of their own.
 */
public final class ScriptingCommands {

    private ScriptingCommands() {
    }

    // tag::eval[]
    /** EVAL script numkeys [key ...] [arg ...]. */
    static void eval(Client client, byte[][] args, RespWriter reply) {
        evalGeneric(client, args, reply, false, false);
    }

    static void evalRo(Client client, byte[][] args, RespWriter reply) {
        evalGeneric(client, args, reply, false, true);
    }

    /** EVALSHA sha1 numkeys [key ...] [arg ...]: NOSCRIPT when the script is not cached. */
    static void evalsha(Client client, byte[][] args, RespWriter reply) {
        evalGeneric(client, args, reply, true, false);
    }

    static void evalshaRo(Client client, byte[][] args, RespWriter reply) {
        evalGeneric(client, args, reply, true, true);
    }

    private static void evalGeneric(Client client, byte[][] args, RespWriter reply, boolean bySha, boolean readOnly) {
        client.server().dispatcher().feedMonitors(client, args); // before the script's own commands, as Redis
        ScriptEngine engine = ScriptEngine.of(client.server());
        long numkeys = Args.parseLong(args[2]);
        if (numkeys > args.length - 3) {
            throw new RedisException("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw new RedisException("ERR Number of keys can't be negative");
        }
        String sha;
        ScriptEngine.Script script;
        if (bySha) {
            script = engine.cachedBySha(args[1]);
            if (script == null) {
                throw new RedisException("NOSCRIPT No matching script. Please use EVAL.");
            }
            sha = script.sha();
        } else {
            sha = engine.load(args[1]);
            script = engine.cached(sha);
        }
        int keys = (int) numkeys;
        engine.run(client, sha, script, Arrays.copyOfRange(args, 3, 3 + keys),
                Arrays.copyOfRange(args, 3 + keys, args.length), readOnly, reply);
    }
    // end::eval[]

    /** SCRIPT LOAD script: its SHA1. */
    static void scriptLoad(Client client, byte[][] args, RespWriter reply) {
        reply.bulkString(ScriptEngine.of(client.server()).load(args[2]));
    }

    /** SCRIPT EXISTS sha1 [sha1 ...]: 1 or 0 for each. */
    static void scriptExists(Client client, byte[][] args, RespWriter reply) {
        ScriptEngine engine = ScriptEngine.of(client.server());
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            reply.integer(engine.exists(Args.text(args[i]).toLowerCase(Locale.ROOT)) ? 1 : 0);
        }
    }

    /** SCRIPT FLUSH [ASYNC|SYNC]: empties the cache; without a mode, lazyfree-lazy-user-flush decides. */
    static void scriptFlush(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3 || (args.length == 3 && !Args.is(args[2], "sync") && !Args.is(args[2], "async"))) {
            throw new RedisException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        ScriptEngine engine = client.server().peek(Scripting.SLOT); // no engine yet: no script to forget
        if (engine != null) {
            engine.flush(args.length == 3 ? Args.is(args[2], "async") : client.server().config().flag("lazyfree-lazy-user-flush"));
        }
        Replies.ok(reply);
    }

    /** SCRIPT KILL: stops a busy script that has not written; it runs between the script's instructions. */
    static void scriptKill(Client client, byte[][] args, RespWriter reply) {
        ScriptEngine.of(client.server()).kill(false);
        Replies.ok(reply);
    }

    static void scriptHelp(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply,
                "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("eval", ScriptingCommands::eval);
        table.handle("eval_ro", ScriptingCommands::evalRo);
        table.handle("evalsha", ScriptingCommands::evalsha);
        table.handle("evalsha_ro", ScriptingCommands::evalshaRo);
        table.handle("script|load", ScriptingCommands::scriptLoad);
        table.handle("script|exists", ScriptingCommands::scriptExists);
        table.handle("script|flush", ScriptingCommands::scriptFlush);
        table.handle("script|kill", ScriptingCommands::scriptKill);
        table.handle("script|help", ScriptingCommands::scriptHelp);
    }
}
