// The scripting concern: one sandboxed Lua interpreter per server, its script cache, and running a script.
package io.port6379.server.scripting;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.Frame;
import io.port6379.protocol.FrameDecoder;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

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

    private static final Slot<ScriptEngine> SLOT = Slot.named("scripting");

    /** A cached script: its body (SCRIPT EXISTS, the AOF) and the compiled function. */
    record Script(byte[] body, LuaFunction function, boolean readOnly) {
    }

    private final ServerContext server;
    /**
     * The Lua interpreter, made at the first script: most servers never run one (a test suite starts hundreds), and
     * LuaJ's classes and the sandbox's tables are most of what a new JVM would otherwise load for nothing.
     */
    private SandboxGlobals globals;
    private final ScriptHook hook = new ScriptHook();
    private final Map<String, Script> scripts = new LinkedHashMap<>();
    private final Client scriptClient;
    private ScriptRun current;

    private ScriptEngine(ServerContext server) {
        this.server = server;
        this.scriptClient = Client.detached(0, server);
        this.scriptClient.inMulti(true); // blocking commands answer at once inside a script, as inside MULTI
    }

    private SandboxGlobals globals() {
        if (globals == null) {
            globals = LuaSandbox.create(this, hook);
        }
        return globals;
    }

    public static ScriptEngine of(ServerContext server) {
        return server.get(SLOT);
    }

    public static void install(ServerContext server) {
        server.set(SLOT, new ScriptEngine(server));
    }

    // tag::eval[]
    /**
     * EVAL and EVALSHA after their arguments were read: runs {@code script} with KEYS and ARGV set and writes
     * its reply, or the error that ended it ({@code ... script: <sha>, on @user_script:<line>.}).
     */
    public void run(Client caller, String sha, Script script, byte[][] keys, byte[][] argv, boolean readOnly,
                    RespWriter reply) {
        ScriptRun run = new ScriptRun(server, caller, sha, readOnly || script.readOnly());
        current = run;
        server.security().runAs(scriptClient, caller);
        scriptClient.select(caller.dbIndex());
        scriptClient.propagates(true);
        SandboxGlobals globals = globals();
        globals.thaw();
        globals.rawset("KEYS", strings(keys));
        globals.rawset("ARGV", strings(argv));
        globals.freeze();
        hook.start(run);
        try {
            LuaValue result = script.function().call();
            LuaConversion.write(result, reply, run.resp);
        } catch (LuaError e) {
            failed(run, ScriptError.value(e, CHUNK, hook.line()), reply);
        } catch (StackOverflowError e) {
            failed(run, LuaValue.valueOf(CHUNK + ":" + hook.line() + ": stack overflow"), reply);
        } catch (OutOfMemoryError e) {
            failed(run, LuaValue.valueOf(CHUNK + ":" + hook.line() + ": " + ScriptMemory.TOO_MUCH), reply);
        } finally {
            hook.stop();
            run.finished();
            current = null;
        }
    }
    // end::eval[]

    /** Redis's error handler and luaCallFunction: a string error becomes {@code ERR <text>}; the place is added. */
    private void failed(ScriptRun run, LuaValue error, RespWriter reply) {
        String message;
        if (error.istable() && error.rawget("err").isstring()) {
            message = LuaConversion.cString(error.rawget("err"));
        } else {
            message = "ERR " + (error.isstring() ? error.tojstring() : "error object is not a string");
        }
        reply.error((message + " script: " + run.sha + ", on @" + CHUNK + ":" + hook.line() + ".")
                .replace('\r', ' ').replace('\n', ' '));
    }

    private static LuaTable strings(byte[][] values) {
        LuaTable table = new LuaTable(values.length, 0);
        for (int i = 0; i < values.length; i++) {
            table.rawset(i + 1, LuaString.valueOf(values[i]));
        }
        return table;
    }

    /** The cached script with this SHA1 (lower case hex), or null. */
    public Script cached(String sha) {
        return scripts.get(sha);
    }

    /** Compiles and caches {@code body} (EVAL, SCRIPT LOAD); returns its SHA1. */
    public String load(byte[] body) {
        String sha = sha1hex(body);
        if (!scripts.containsKey(sha)) {
            scripts.put(sha, compile(body));
        }
        return sha;
    }

    private Script compile(byte[] body) {
        boolean readOnly = false;
        byte[] source = body;
        if (body.length >= 2 && body[0] == '#' && body[1] == '!') {
            int end = 0;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            readOnly = Shebang.readOnly(new String(body, 0, end, StandardCharsets.ISO_8859_1));
            source = java.util.Arrays.copyOfRange(body, end, body.length); // the newline stays: lines keep their numbers
        }
        try {
            LuaValue function = globals().load(new ByteArrayInputStream(source), "@" + CHUNK, "t", globals());
            return new Script(body, (LuaFunction) function, readOnly);
        } catch (LuaError e) {
            String text = ScriptError.value(e, CHUNK, 1).tojstring().replaceFirst("^(user_script:\\d+: )\\1", "$1")
                    .replaceFirst("unexpected symbol \\d+ \\((.*)\\)$", "unexpected symbol near '$1'");
            throw new RedisException("ERR Error compiling script (new function): " + text);
        }
    }

    public boolean exists(String sha) {
        return scripts.containsKey(sha);
    }

    /** SCRIPT FLUSH. */
    public void flush() {
        scripts.clear();
    }

    public int count() {
        return scripts.size();
    }

    /** SCRIPT KILL when no script is busy (a busy one is answered by {@link ScriptRun#answer}). */
    public void kill() {
        throw new RedisException("NOTBUSY No scripts in execution right now.");
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
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue arg = args.arg(i + 1);
            if (arg.type() == LuaValue.TNUMBER) {
                argv[i] = io.port6379.datastructures.RedisNumbers.formatDouble(arg.todouble());
            } else if (arg.type() == LuaValue.TSTRING) {
                argv[i] = LuaConversion.bytes(arg.checkstring());
            } else {
                return fail(raise, "Lua redis lib command arguments must be strings or integers");
            }
        }
        Command command = server.commands().lookup(argv[0]);
        if (command != null && command.isContainer() && n >= 2) {
            command = server.commands().subcommandsOf(command).lookup(argv[1]);
        }
        if (command == null) {
            return fail(raise, "Unknown Redis command called from script");
        }
        if (!command.acceptsArgumentCount(n)) {
            return fail(raise, "Wrong number of args calling Redis command from script");
        }
        if (command.has(CommandFlag.NOSCRIPT)) {
            return fail(raise, "This Redis command is not allowed from script");
        }
        if (server.security().refusal(scriptClient, command, argv) != null) {
            return fail(raise, "The user executing the script can't run this command or subcommand");
        }
        if (command.has(CommandFlag.WRITE)) {
            if (run.readOnly) {
                return fail(raise, "Write commands are not allowed from read-only scripts.");
            }
            run.wrote = true;
        }
        RespWriter out = new RespWriter();
        out.protocolVersion(run.resp);
        scriptClient.respVersion(run.resp);
        server.dispatcher().call(command, scriptClient, argv, out);
        Frame frame = decode(out.toByteArray());
        LuaValue value = LuaConversion.toLua(frame, run.resp);
        if (raise && (frame instanceof Frame.SimpleError || frame instanceof Frame.BulkError)) {
            throw ScriptError.raw(value);
        }
        return value;
    }
    // end::call[]

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
