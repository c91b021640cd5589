// The scripting concern: sandboxed Lua interpreter states (EVAL's and the functions'), the script cache, running a script.
package io.port6379.server.scripting;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.Frame;
import io.port6379.protocol.FrameDecoder;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Redis's {@code eval.c} and {@code script.c} on LuaJ, a Lua interpreter written in Java.
 *
 * <p><b>Why a script is safe to run here.</b> A script runs on the calling connection's thread, inside that
 * client's command, so under the execution lock: it is atomic as any command is, and every {@code redis.call}
 * goes through the same dispatcher, ACL and propagation as a client's command. What Redis's C interpreter
 * could get wrong, memory safety, the JVM checks on every array access: a bug in the interpreter raises an
 * exception, never a write outside an object (RediShell, CVE-2025-49844, was a use-after-free in C Lua's parser).
 * What remains is what any interpreter must limit, and {@link LuaSandbox} and {@link ScriptHook} do: which
 * functions a script can reach (no {@code io}, {@code os}, {@code debug}, {@code require}, Java bridge, bytecode
 * loading), how long it runs (SCRIPT KILL, BUSY for others), how deep it recurses and how much memory it takes,
 * and what it leaves behind (the global table and the libraries are frozen).
 *
 * <p>Not thread-safe: every method runs under the execution lock, except {@link ScriptRun#answer} (see there).
 */
public final class ScriptEngine {

    public static final String UNKILLABLE = "UNKILLABLE Sorry the script already executed write commands against the "
            + "dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN "
            + "NOSAVE command.";
    static final String CHUNK = "user_script";
    static final String FUNCTION_CHUNK = "user_function";

    /** A cached script: its body (SCRIPT EXISTS, the AOF), the compiled function and its {@link Shebang} flags. */
    public record Script(String sha, byte[] body, LuaFunction function, int flags) {
    }

    /**
     * The globals' names as Lua strings, made once: a Java string would be converted at every run. Not static: the
     * class is initialized with the first engine, not when the server starts ({@link Scripting}).
     */
    private final LuaString keysName = LuaString.valueOf("KEYS");
    private final LuaString argvName = LuaString.valueOf("ARGV");

    private final ServerContext server;
    /**
     * The interpreter states, as Redis 7.0 has two Lua VMs: EVAL's scripts run in one, the function libraries in
     * the other, each with its own globals and cjson settings. A script's {@code cjson.encode_number_precision(3)}
     * holds for the scripts after it, not for the functions, and the other way round; SCRIPT FLUSH makes EVAL's
     * new, while FUNCTION FLUSH leaves the functions' as it is. One hook (time, memory, lines) watches both.
     */
    private final SandboxGlobals globals;
    private final SandboxGlobals functionGlobals;
    private final ScriptHook hook = new ScriptHook();
    private Map<String, Script> scripts = new LinkedHashMap<>();
    /** A cached script's entry, SHA1 string and record, besides its body: the JVM objects' sizes. */
    private static final int CACHE_ENTRY_BYTES = 40 + 24 + 16 + 40 + 24 + 16;
    private long cacheBytes;
    private long codeBytes;
    private long globalsBytes = -1;
    private long functionGlobalsBytes = -1;
    /** {@link #cachedBySha}'s last hit: the argument as sent, and the script. */
    private byte[] lastShaArgument;
    private Script lastScript;
    private final Client scriptClient;
    /** Commands whose refusals on a replica tell the replication state: a read and a write, neither allowed stale. */
    private final Command get;
    private final Command set;
    private final FunctionLibraries libraries;
    /** The replies of redis.call, written and read back one at a time: one buffer, not one per call. */
    private final RespWriter callReply = new RespWriter();
    private boolean callReplyInUse;
    private ScriptRun current;
    /** Error replies of the running script's reply that were not counted before ({@link #errorReply}). */
    private int newErrors;
    /** cjson's settings in each state, which a script may change for the scripts after it; SCRIPT FLUSH resets EVAL's. */
    private final Cjson.Settings cjson = new Cjson.Settings();
    private final Cjson.Settings functionCjson = new Cjson.Settings();
    /** The state of math.random's 48-bit generator (Redis's redisLrand48), one for both states as in Redis. */
    long random = 0x1234ABCD330EL;
    private boolean denyScriptsDisabled;

    private ScriptEngine(ServerContext server) {
        this.server = server;
        this.scriptClient = Client.detached(0, server);
        this.scriptClient.markScript();
        this.get = server.commands().lookup("get".getBytes(StandardCharsets.ISO_8859_1));
        this.set = server.commands().lookup("set".getBytes(StandardCharsets.ISO_8859_1));
        this.scriptClient.inMulti(true); // blocking commands answer at once inside a script, as inside MULTI
        this.globals = LuaSandbox.create(this, hook, cjson, null);
        this.functionGlobals = LuaSandbox.create(this, hook, functionCjson, globals);
        this.libraries = new FunctionLibraries(functionGlobals, hook);
    }

    /**
     * The server's engine, made at the first script, function or SCRIPT command: most servers never run one (a test
     * suite starts hundreds), and LuaJ's classes and the sandbox's tables are most of what a new JVM would otherwise
     * load for nothing. Under the execution lock.
     */
    public static ScriptEngine of(ServerContext server) {
        ScriptEngine engine = server.peek(Scripting.SLOT);
        if (engine == null) {
            engine = new ScriptEngine(server);
            server.set(Scripting.SLOT, engine);
        }
        return engine;
    }

    /**
     * Redis's {@code evalGetCommandFlags} and {@code fcallGetCommandFlags}, asked before the call (CLIENT PAUSE WRITE
     * holds back a script that may write; MULTI notes what EXEC will do): a script's declared flags replace the
     * command's {@code write}, {@code denyoom}, {@code stale} and {@code may_replicate}. EVAL reads the shebang of
     * the body it carries (a cached script has the same); EVALSHA and FCALL need the script or function to exist.
     * Without declared flags (an EVAL script in compatibility mode, an unknown SHA1 or function, a bad shebang)
     * the command's own flags stand: EVAL, EVALSHA and FCALL then count as {@code may_replicate}.
     */
    // tag::command-flags[]
    static Set<CommandFlag> commandFlags(ServerContext server, Command command, byte[][] args) {
        ScriptEngine engine = server.peek(Scripting.SLOT);
        int flags = switch (command.name()) {
            case "eval", "eval_ro" -> declaredFlags(args[1]);
            case "evalsha", "evalsha_ro" -> {
                Script script = engine == null ? null : engine.cachedBySha(args[1]);
                yield script == null ? Shebang.EVAL_COMPAT : script.flags();
            }
            case "fcall", "fcall_ro" -> {
                FunctionLibraries.Function function = engine == null ? null
                        : engine.libraries.function(new String(args[1], StandardCharsets.ISO_8859_1));
                yield function == null ? Shebang.EVAL_COMPAT : function.flags();
            }
            default -> Shebang.EVAL_COMPAT;
        };
        if ((flags & Shebang.EVAL_COMPAT) != 0) {
            return command.flags();
        }
        Set<CommandFlag> declared = EnumSet.noneOf(CommandFlag.class);
        declared.addAll(command.flags());
        declared.removeAll(EnumSet.of(CommandFlag.STALE, CommandFlag.DENYOOM, CommandFlag.WRITE, CommandFlag.MAY_REPLICATE));
        if ((flags & (Shebang.ALLOW_OOM | Shebang.NO_WRITES)) == 0) {
            declared.add(CommandFlag.DENYOOM);
        }
        if ((flags & Shebang.NO_WRITES) == 0) {
            declared.add(CommandFlag.WRITE);
        }
        if ((flags & Shebang.ALLOW_STALE) != 0) {
            declared.add(CommandFlag.STALE);
        }
        return declared;
    }
    // end::command-flags[]

    /** The flags an EVAL body's shebang line declares; {@link Shebang#EVAL_COMPAT} without one or for a bad one. */
    private static int declaredFlags(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return Shebang.EVAL_COMPAT;
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        try {
            return Shebang.flags(new String(body, 0, end, StandardCharsets.ISO_8859_1));
        } catch (RedisException badShebang) {
            return Shebang.EVAL_COMPAT; // EVAL itself answers the error
        }
    }

    // tag::eval[]
    /**
     * EVAL and EVALSHA after their arguments were read: runs {@code script} with KEYS and ARGV set and writes
     * its reply, or the error that ended it ({@code ... script: <sha>, on @user_script:<line>.}).
     */
    public void run(Client caller, String sha, Script script, byte[][] keys, byte[][] argv, boolean readOnly,
                    RespWriter reply) {
        int flags = script.flags();
        boolean compat = (flags & Shebang.EVAL_COMPAT) != 0;
        if (!compat) {
            refuseWhenOutOfMemory(flags);
        }
        refuseOnReplica(caller, flags);
        if (!compat) {
            prepare(flags, readOnly);
        }
        boolean noWrites = readOnly || !compat && (flags & Shebang.NO_WRITES) != 0;
        ScriptRun run = new ScriptRun(server, caller, sha, false, noWrites, !compat && (flags & Shebang.ALLOW_OOM) != 0);
        run.allowCrossSlot = compat || (flags & Shebang.ALLOW_CROSS_SLOT_KEYS) != 0;
        globals.thaw();
        globals.rawset(keysName, strings(keys));
        globals.rawset(argvName, strings(argv));
        globals.freeze();
        execute(run, script.function(), LuaValue.NONE, reply);
    }
    // end::eval[]

    /** FCALL and FCALL_RO after their arguments were read: the function gets KEYS and ARGV as its two arguments. */
    public void runFunction(Client caller, FunctionLibraries.Function function, byte[][] command, byte[][] keys,
                            byte[][] argv, boolean readOnly, RespWriter reply) {
        int flags = function.flags();
        refuseOnReplica(caller, flags);
        prepare(flags, readOnly);
        ScriptRun run = new ScriptRun(server, caller, function.name(), true,
                readOnly || (flags & Shebang.NO_WRITES) != 0, (flags & Shebang.ALLOW_OOM) != 0);
        run.allowCrossSlot = (flags & Shebang.ALLOW_CROSS_SLOT_KEYS) != 0;
        run.command = command;
        run.libraries = libraries;
        execute(run, function.callback(), LuaValue.varargsOf(strings(keys), strings(argv)), reply);
    }

    /**
     * Redis's processCommand for a script that declared its flags: without {@code allow-oom} or {@code no-writes}
     * its command counts as {@code denyoom}, refused while memory is over maxmemory, before its arguments are read.
     */
    public void refuseWhenOutOfMemory(int flags) {
        if ((flags & (Shebang.ALLOW_OOM | Shebang.NO_WRITES)) == 0 && outOfMemory()) {
            throw new RedisException("OOM command not allowed when used memory > 'maxmemory'.");
        }
    }

    // tag::flags[]
    /**
     * Redis's processCommand for a script that declared its flags, whose command then counts as a write unless
     * {@code no-writes} and may run on a stale replica only with {@code allow-stale} ({@code scriptFlagsToCmdFlags}):
     * NOREPLICAS and READONLY for a write, MASTERDOWN on a replica whose link is down while
     * {@code replica-serve-stale-data} is no. A script without a shebang is never a write here, and is refused on a
     * stale replica by scriptPrepareForRun with the same MASTERDOWN. The replication concern's own refusal answers,
     * asked for SET (a write that may not run stale) or GET (a read that may not).
     */
    private void refuseOnReplica(Client caller, int flags) {
        if (server.replication() == null || get == null || set == null) {
            return; // no replication concern, or GET or SET renamed away (rename-command)
        }
        boolean compat = (flags & Shebang.EVAL_COMPAT) != 0;
        boolean write = !compat && (flags & Shebang.NO_WRITES) == 0;
        boolean stale = compat || (flags & Shebang.ALLOW_STALE) != 0;
        String refusal = server.replication().refusal(caller, write ? set : get);
        if (refusal != null && (!refusal.startsWith("MASTERDOWN") || !stale || compat)) {
            throw new RedisException(refusal);
        }
    }

    /** Redis's running_stale: a replica whose link is down and that does not serve stale data. */
    private boolean runningStale() {
        String refusal = server.replication() == null || get == null ? null : server.replication().refusal(scriptClient, get);
        return refusal != null && refusal.startsWith("MASTERDOWN");
    }

    /**
     * Redis's scriptPrepareForRun: a {@code no-cluster} script is refused in cluster mode (the
     * {@code cluster-enabled} parameter), and a script that may write cannot run from a {@code _RO} command.
     */
    private void prepare(int flags, boolean readOnlyCommand) {
        if ((flags & Shebang.NO_CLUSTER) != 0 && server.config().flag("cluster-enabled")) {
            throw new RedisException("ERR Can not run script on cluster, 'no-cluster' flag is set.");
        }
        if ((flags & Shebang.NO_WRITES) == 0 && readOnlyCommand) {
            throw new RedisException("ERR Can not execute a script with write flag using *_ro command.");
        }
    }
    // end::flags[]

    private boolean outOfMemory() {
        return server.memory() != null && server.config().number("maxmemory") > 0 && server.memory().outOfMemory();
    }

    // tag::execute[]
    /** Runs one script or function under the hook; its value, or the error that ended it, is the reply. */
    private void execute(ScriptRun run, LuaFunction function, org.luaj.vm2.Varargs args, RespWriter reply) {
        run.oomAtStart = outOfMemory();
        current = run;
        server.security().runAs(scriptClient, run.caller);
        scriptClient.select(run.caller.dbIndex());
        scriptClient.propagates(true);
        hook.start(run);
        newErrors = 0;
        try {
            LuaValue result = function.invoke(args).arg1();
            LuaConversion.write(result, reply, run.resp, this::errorReply);
        } catch (LuaError e) {
            failed(run, ScriptError.value(e, hook), reply);
        } catch (StackOverflowError e) {
            failed(run, LuaValue.valueOf(run.chunk + ":" + hook.line() + ": stack overflow"), reply);
        } catch (OutOfMemoryError e) {
            failed(run, LuaValue.valueOf(run.chunk + ":" + hook.line() + ": " + ScriptMemory.TOO_MUCH), reply);
        } finally {
            hook.stop();
            run.finished();
            current = null;
        }
        if (newErrors > 0) { // call()'s incrCommandStatsOnError: the reply added to total_error_replies
            server.stats().failedCall(run.caller.lastCommand());
        }
    }
    // end::execute[]

    // tag::error-stats[]
    /**
     * Redis's afterErrorReply for an error the script answers: counted in INFO errorstats and total_error_replies
     * by its code, unless it is a {@code redis.call}'s error that was counted when the command failed or was
     * refused; then only the script's command counts a failed call (once for each such error, as in Redis).
     */
    private void errorReply(String text, boolean alreadyCounted) {
        if (alreadyCounted) {
            server.stats().failedCall(current.caller.lastCommand());
        } else {
            server.stats().recordError(text, null, false);
            newErrors++;
        }
    }
    // end::error-stats[]

    /** Redis's error handler and luaCallFunction: a string error becomes {@code ERR <text>}; the place is added. */
    private void failed(ScriptRun run, LuaValue error, RespWriter reply) {
        String message;
        if (error.istable() && error.rawget("err").isstring()) {
            message = LuaConversion.cString(error.rawget("err"));
        } else {
            message = ScriptError.text(error);
        }
        String text = (message + " script: " + run.sha + ", on " + hook.sourceAt() + ":" + hook.line() + ".")
                .replace('\r', ' ').replace('\n', ' ');
        reply.error(text);
        errorReply(text, ScriptError.counted(error));
    }

    static LuaTable strings(byte[][] values) {
        LuaTable table = new LuaTable(values.length, 0);
        for (int i = 0; i < values.length; i++) {
            table.rawset(i + 1, LuaString.valueUsing(values[i])); // a request's arguments are its own arrays: no copy
        }
        return table;
    }

    /** The cached script with this SHA1 (lower case hex), or null. */
    public Script cached(String sha) {
        return scripts.get(sha);
    }

    /**
     * EVALSHA's lookup: the cached script whose SHA1 is {@code argument} (hex, any case), or null. The last script
     * found is remembered with the argument's bytes, so that a client that calls the same script again and again
     * (the common case) costs a 40-byte comparison instead of a string, its lower-casing and a hash lookup.
     */
    public Script cachedBySha(byte[] argument) {
        Script last = lastScript;
        if (last != null && java.util.Arrays.equals(argument, lastShaArgument)) {
            return last;
        }
        if (argument.length != 40) {
            return null;
        }
        Script script = scripts.get(new String(argument, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
        if (script != null) {
            lastShaArgument = argument;
            lastScript = script;
        }
        return script;
    }

    /** Compiles and caches {@code body} (EVAL, SCRIPT LOAD); returns its SHA1. */
    public String load(byte[] body) {
        String sha = sha1hex(body);
        if (!scripts.containsKey(sha)) {
            Script script = compile(sha, body);
            scripts.put(sha, script);
            cacheBytes += CACHE_ENTRY_BYTES + body.length;
            codeBytes += LuaFootprint.of(((org.luaj.vm2.LuaClosure) script.function()).p);
        }
        return sha;
    }

    // tag::memory[]
    /**
     * INFO's {@code used_memory_vm_eval} (and {@code used_memory_lua}): what the interpreter holds for EVAL, its
     * libraries and globals and the cached scripts' code.
     */
    public long vmEvalMemory() {
        if (globalsBytes < 0) {
            globalsBytes = LuaFootprint.of(globals); // frozen at creation: its size does not change
        }
        return globalsBytes + codeBytes;
    }

    /** INFO's {@code used_memory_scripts_eval}: the script cache itself, each script's SHA1, body and entry. */
    public long scriptsEvalMemory() {
        return cacheBytes;
    }

    /** INFO's {@code used_memory_vm_functions}: the functions' interpreter state and the loaded functions' code. */
    public long vmFunctionsMemory() {
        if (functionGlobalsBytes < 0) {
            functionGlobalsBytes = LuaFootprint.of(functionGlobals);
        }
        return functionGlobalsBytes + libraries.vmMemory();
    }

    /** INFO's {@code used_memory_functions}: the libraries' code, names and descriptions, and their entries. */
    public long functionsMemory() {
        return libraries.memory();
    }
    // end::memory[]

    private Script compile(String sha, byte[] body) {
        int flags = Shebang.EVAL_COMPAT;
        byte[] source = body;
        if (body.length >= 2 && body[0] == '#' && body[1] == '!') {
            int end = 0;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            flags = Shebang.flags(new String(body, 0, end, StandardCharsets.ISO_8859_1));
            source = java.util.Arrays.copyOfRange(body, end, body.length); // the newline stays: lines keep their numbers
        }
        String syntax = Lua51Syntax.check(source, CHUNK);
        if (syntax != null) {
            throw new RedisException("ERR Error compiling script (new function): " + syntax);
        }
        try {
            LuaValue function = globals.load(new ByteArrayInputStream(Lua51Syntax.forLuaJ(source)), "@" + CHUNK, "t", globals);
            return new Script(sha, body, (LuaFunction) function, flags);
        } catch (LuaError e) {
            throw new RedisException("ERR Error compiling script (new function): " + compileError(e, CHUNK, source,
                    src -> globals.load(new ByteArrayInputStream(src), "@" + CHUNK, "t", globals)));
        }
    }

    /** A compile error as Lua 5.1 words it: {@code user_script:2: unexpected symbol near 'x'}. */
    static String compileError(LuaError e, String chunk, byte[] source, LuaSyntaxText.Compiler compiler) {
        String luaj = ScriptError.value(e, chunk, 1).tojstring().replaceFirst("^" + chunk + ":\\d+: (" + chunk + ":\\d+: )", "$1");
        return LuaSyntaxText.of(luaj, source, compiler);
    }

    public boolean exists(String sha) {
        return scripts.containsKey(sha);
    }

    /** SCRIPT FLUSH: the cache is empty at once; with {@code async}, a big one is let go by the lazyfree thread. */
    public void flush(boolean async) {
        Map<String, Script> dropped = scripts;
        scripts = new LinkedHashMap<>();
        lastShaArgument = null;
        lastScript = null;
        cjson.reset(); // Redis makes a new Lua state, with lua-cjson's defaults
        cacheBytes = 0;
        codeBytes = 0;
        if (async) {
            server.lazyFree().emptiedScripts(dropped, dropped.size());
        }
    }

    /** Whether {@code client} is the one the server's scripts run their commands as (Redis's CLIENT_SCRIPT). */
    public boolean runsAs(Client client) {
        return client == scriptClient;
    }

    /**
     * DEBUG SET-DISABLE-DENY-SCRIPTS: lets scripts call the commands flagged {@code noscript} (Redis's test suite
     * uses it to run DEBUG PROTOCOL and CLIENT LIST from a script). A SCRIPT FLUSH leaves it as it is.
     */
    public void disableDenyScripts(boolean disabled) {
        denyScriptsDisabled = disabled;
    }

    public int count() {
        return scripts.size();
    }

    /**
     * SCRIPT KILL ({@code function} false) or FUNCTION KILL. Either runs only while a script is busy, handed over to
     * its hook ({@link ScriptRun#answer}), or when none runs at all.
     */
    public void kill(boolean function) {
        ScriptRun run = current;
        if (run == null || !run.busy()) {
            throw new RedisException("NOTBUSY No scripts in execution right now.");
        }
        run.kill(function);
    }

    /**
     * FUNCTION STATS: the function the server is busy with (an EVAL's script is refused with BUSY, as Redis's
     * functionStatsCommand does) and the engine's counts.
     */
    public void functionStats(RespWriter reply) {
        ScriptRun run = busyRun();
        if (run != null && !run.function) {
            throw new RedisException(ScriptRun.BUSY_EVAL);
        }
        libraries.stats(reply, run);
    }

    /** The script or function the server is busy with (handed-over commands run during it), or null. */
    ScriptRun busyRun() {
        ScriptRun run = current;
        return run != null && run.busy() ? run : null;
    }

    // tag::call[]
    /**
     * {@code redis.call} and {@code redis.pcall}: the checks of Redis's scriptCall, then the command through
     * the dispatcher with the script's client, its reply decoded back into a Lua value.
     */
    LuaValue call(org.luaj.vm2.Varargs args, boolean raise) {
        ScriptRun run = current;
        if (run == null) {
            return fail(raise, "Please specify at least one argument for this redis lib call");
        }
        int n = args.narg();
        if (n == 0) {
            return fail(raise, "Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = commandArguments(args);
        if (argv == null) {
            return fail(raise, BAD_ARGUMENT);
        }
        Command command = server.commands().lookup(argv[0]);
        if (command != null && command.isContainer() && n >= 2) {
            command = server.commands().subcommandsOf(command).lookup(argv[1]);
        }
        if (command == null) {
            return refused(raise, null, "Unknown Redis command called from script");
        }
        if (!command.acceptsArgumentCount(n)) {
            return refused(raise, command, "Wrong number of args calling Redis command from script");
        }
        if (command.has(CommandFlag.NOSCRIPT) && !denyScriptsDisabled) {
            return refused(raise, command, "This Redis command is not allowed from script");
        }
        if (!command.has(CommandFlag.STALE) && (run.stale != null ? run.stale : (run.stale = runningStale()))) {
            return refused(raise, command, "Can not execute the command on a stale replica"); // scriptVerifyAllowStale
        }
        if (server.security().refusal(scriptClient, command, argv) != null) {
            return refused(raise, command, "The user executing the script can't run this command or subcommand");
        }
        if (run.readOnly && command.has(CommandFlag.MAY_REPLICATE)) { // PUBLISH: a read-only script may run paused
            return refused(raise, command, "Write commands are not allowed from read-only scripts.");
        }
        if (command.has(CommandFlag.WRITE)) {
            if (run.readOnly) {
                return refused(raise, command, "Write commands are not allowed from read-only scripts.");
            }
            if (!run.writeRefusalKnown) {
                run.writeRefusal = server.replication() == null ? null : server.replication().refusal(scriptClient, command);
                run.writeRefusalKnown = true;
            }
            String refusal = run.writeRefusal;
            if (refusal != null && !refusal.startsWith("MASTERDOWN")) { // READONLY, NOREPLICAS: scriptVerifyWriteCommandAllow
                return refused(raise, command, "-" + refusal);
            }
        }
        if (!run.allowOom && !run.wrote && run.oomAtStart && command.has(CommandFlag.DENYOOM)) {
            return refused(raise, command, "-OOM command not allowed when used memory > 'maxmemory'.");
        }
        Concerns.Cluster cluster = server.peek(Concerns.CLUSTER);
        String clusterRefusal = cluster == null ? null
                : cluster.scriptRefusal(scriptClient, run.caller, command, argv, run.allowCrossSlot);
        if (clusterRefusal != null) { // a key another node serves, or in another slot than the script's others
            return refused(raise, command, clusterRefusal);
        }
        if (command.has(CommandFlag.WRITE)) {
            run.wrote = true; // from now on the script cannot be killed, nor stopped for memory
        }
        boolean shared = !callReplyInUse; // a command that runs a script inside a script gets its own buffer
        RespWriter out = shared ? callReply : new RespWriter();
        callReplyInUse = true;
        out.clear();
        out.protocolVersion(run.resp);
        scriptClient.respVersion(run.resp);
        byte[] bytes;
        try {
            server.dispatcher().call(command, scriptClient, argv, out);
            bytes = out.toByteArray();
        } finally {
            callReplyInUse = !shared;
        }
        LuaValue value = LuaConversion.simpleReply(bytes, run.resp);
        if (value != null) {
            return value;
        }
        Frame frame = decode(bytes);
        value = LuaConversion.toLua(frame, run.resp);
        if (raise && (frame instanceof Frame.SimpleError || frame instanceof Frame.BulkError)) {
            throw ScriptError.raw(value);
        }
        return value;
    }
    // end::call[]

    /**
     * Redis's scriptCall refusing a command: the error is counted in INFO errorstats (its code when it carries one,
     * as {@code -OOM ...}, else ERR) and as a rejected call of the command, then given to the script as an error
     * table marked as counted.
     */
    private LuaValue refused(boolean raise, Command command, String error) {
        server.stats().recordError(error.startsWith("-") ? error.substring(1) : "ERR " + error,
                command == null ? null : command.name(), true);
        LuaTable table = ScriptError.countedErrorTable(error);
        if (raise) {
            throw ScriptError.raw(table);
        }
        return table;
    }

    private static LuaValue fail(boolean raise, String error) {
        LuaTable table = ScriptError.errorTable(error);
        if (raise) {
            throw ScriptError.raw(table);
        }
        return table;
    }

    private static Frame decode(byte[] bytes) {
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(bytes, 0, bytes.length);
        try {
            return decoder.next();
        } catch (ProtocolException e) {
            throw new IllegalStateException("a command wrote an unreadable reply", e);
        }
    }

    private static final String BAD_ARGUMENT = "Lua redis lib command arguments must be strings or integers";

    /**
     * A command's arguments from Lua, as redis.call and redis.acl_check_cmd read them: a number in Redis's
     * {@code %.17g} form, a string as its bytes; null when one is of any other type.
     */
    private static byte[][] commandArguments(org.luaj.vm2.Varargs args) {
        byte[][] argv = new byte[args.narg()][];
        for (int i = 0; i < argv.length; i++) {
            LuaValue arg = args.arg(i + 1);
            if (arg.type() == LuaValue.TNUMBER) {
                argv[i] = io.port6379.datastructures.RedisNumbers.formatDouble(arg.todouble());
            } else if (arg.type() == LuaValue.TSTRING) {
                argv[i] = LuaConversion.bytes(arg.checkstring());
            } else {
                return null;
            }
        }
        return argv;
    }

    /**
     * {@code redis.acl_check_cmd}: whether the user running the script may run this command with these
     * arguments, without running it.
     */
    LuaValue aclCheck(org.luaj.vm2.Varargs args) {
        int n = args.narg();
        if (current == null) {
            throw ScriptError.raw(ScriptError.errorTable("redis.acl_check_cmd can only be called inside a script invocation"));
        }
        if (n == 0) {
            throw ScriptError.raw(ScriptError.errorTable("Please specify at least one argument for this redis lib call"));
        }
        byte[][] argv = commandArguments(args);
        if (argv == null) {
            throw ScriptError.raw(ScriptError.errorTable(BAD_ARGUMENT));
        }
        Command command = server.commands().lookup(argv[0]);
        if (command != null && command.isContainer() && n >= 2) {
            command = server.commands().subcommandsOf(command).lookup(argv[1]);
        }
        if (command == null) {
            throw ScriptError.raw(ScriptError.errorTable("Invalid command passed to redis.acl_check_cmd()"));
        }
        return LuaValue.valueOf(server.security().refusal(scriptClient, command, argv) == null);
    }

    /** The function libraries (FUNCTION LOAD, FCALL). */
    public FunctionLibraries libraries() {
        return libraries;
    }

    /** The chunk name of the running script's positions: user_script, or user_function inside FCALL. */
    String chunk() {
        return current != null ? current.chunk : CHUNK;
    }

    /** The configured loglevel as redis.log's numbers: debug 0, verbose 1, notice 2, warning 3. */
    int logLevel() {
        return java.util.List.of("debug", "verbose", "notice", "warning").indexOf(server.config().get("loglevel"));
    }

    /** redis.set_repl: whether the script's next writes go to the AOF. */
    void propagate(boolean on) {
        scriptClient.propagates(on);
    }

    /** redis.setresp. */
    void resp(int version) {
        if (current != null) {
            current.resp = version;
        }
    }

    /** The lines SCRIPT's errors and logs name. */
    public static String sha1hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
