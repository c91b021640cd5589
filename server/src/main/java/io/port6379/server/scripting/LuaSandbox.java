// The global environment of every script: which libraries exist, the redis table, and what is frozen.
package io.port6379.server.scripting;

import io.port6379.server.util.Log;
import io.port6379.server.util.RedisVersion;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.Function;

/**
 * What a script can reach, listed once (Redis 7.0's allow lists in {@code script_lua.c}):
 *
 * <ul>
 * <li>the base library without {@code dofile}, {@code loadfile} and {@code print}; {@code load} and
 *     {@code loadstring} compile text only, never bytecode; {@code collectgarbage} cannot start a collection;</li>
 * <li>{@code string} without {@code dump} ({@code string.rep} checks the size before allocating), {@code table}
 *     (Lua 5.1's, {@link TableLib51}),
 *     {@code math} (with Redis's {@code random}, the same sequence in every script), {@code cjson}, {@code bit},
 *     {@code struct}, {@code cmsgpack};</li>
 * <li>{@code redis}: call, pcall, error_reply, status_reply, sha1hex, log, setresp, set_repl and its flags,
 *     replicate_commands, breakpoint and debug (no-ops here, as outside the debugger), acl_check_cmd,
 *     REDIS_VERSION and REDIS_VERSION_NUM;</li>
 * <li>never {@code io}, {@code os}, {@code debug}, {@code package}/{@code require}, {@code luajava}, nor
 *     {@code coroutine}: LuaJ runs each coroutine on a thread of its own, which a script could multiply.</li>
 * </ul>
 *
 * After set-up every table a script can reach is frozen ({@link FrozenTable}, {@link SandboxGlobals}),
 * including the strings' metatable, and reading a global that does not exist is an error.
 */
final class LuaSandbox {

    /** Redis's REDIS_VERSION_NUM for 7.0.15: 0x00MMmmpp. */
    private static final int VERSION_NUM = 0x07000f;

    private LuaSandbox() {
    }

    /**
     * A new interpreter state: its own global table and libraries, and its own cjson settings ({@code cjson}). The
     * first is EVAL's; a second one, for the functions, is made {@code beside} it: one hook sees both, and a
     * script's calls are on one call stack (they share LuaJ's running thread).
     */
    static SandboxGlobals create(ScriptEngine engine, ScriptHook hook, Cjson.Settings cjson, SandboxGlobals beside) {
        SandboxGlobals globals = new SandboxGlobals();
        globals.load(new BaseLib());
        globals.load(new PackageLib()); // the other libraries register in package.loaded; removed below
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new JseMathLib());
        if (beside == null) {
            globals.load(hook); // sets globals.debuglib, so the interpreter calls the hook; its table is removed below
        } else {
            globals.debuglib = hook;
            globals.running = beside.running;
        }
        LoadState.install(globals);
        Lua51Syntax.unreserveGoto(); // goto is a name in Lua 5.1, a keyword in LuaJ's 5.2
        LuaC.install(globals);
        for (String name : new String[]{"debug", "dofile", "loadfile", "print", "rawlen", "package", "require"}) {
            globals.rawset(name, LuaValue.NIL);
        }
        globals.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        globals.rawset("load", function(args -> load(globals, hook, args, true)));
        globals.rawset("loadstring", function(args -> load(globals, hook, args, false)));
        globals.rawset("collectgarbage", function(args -> LuaValue.valueOf(0)));
        globals.rawset("error", function(args -> {
            throw raised(hook, args.arg1(), args.optint(2, 1));
        }));
        globals.rawset("pcall", function(args -> pcall(hook, args, globals.rawget("error"))));
        globals.rawset("xpcall", function(args -> xpcall(hook, args)));
        globals.rawset("tostring", function(args -> tostring(globals, args.arg1())));
        globals.rawset("unpack", ((LuaTable) globals.rawget("table")).rawget("unpack"));
        globals.rawset("table", TableLib51.library());
        LuaTable string = (LuaTable) globals.rawget("string");
        string.rawset("dump", LuaValue.NIL);
        string.rawset("rep", function(LuaSandbox::rep));
        string.rawset("format", function(StringFormat::format));
        LuaTable math = (LuaTable) globals.rawget("math");
        math.rawset("random", function(args -> random(engine, args)));
        math.rawset("randomseed", function(args -> {
            seed(engine, args.checklong(1));
            return LuaValue.NONE;
        }));
        math.rawset("log10", function(args -> LuaValue.valueOf(Math.log10(args.checkdouble(1)))));
        globals.rawset("redis", redisTable(engine));
        globals.rawset("cjson", Cjson.library(cjson));
        globals.rawset("bit", BitOps.library());
        globals.rawset("struct", StructLib.library());
        globals.rawset("cmsgpack", Cmsgpack.library());
        freezeLibraries(globals, beside);
        LuaTable missing = new FrozenTable();
        missing.rawset("__index", function(args -> {
            throw ScriptError.positioned("Script attempted to access nonexistent global variable '"
                    + args.arg(2).tojstring() + "'");
        }));
        globals.setmetatable(((FrozenTable) missing).freeze());
        globals.freeze();
        return globals;
    }

    /**
     * Replaces each library table by a frozen copy, and the strings' metatable by a frozen one. LuaJ has one
     * metatable for all strings in the JVM, where each C Lua state has its own, whose {@code __index} is that
     * state's {@code string}: so a second state takes the first one's (frozen, and without settings) string
     * library, and {@code getmetatable('').__index == string} holds in both.
     */
    private static void freezeLibraries(SandboxGlobals globals, SandboxGlobals beside) {
        for (String name : new String[]{"string", "table", "math", "redis", "cjson", "bit", "struct", "cmsgpack"}) {
            globals.rawset(name, FrozenTable.copyOf((LuaTable) globals.rawget(name)).freeze());
        }
        if (beside != null) {
            globals.rawset("string", beside.rawget("string"));
            return;
        }
        FrozenTable stringMeta = new FrozenTable();
        stringMeta.rawset("__index", globals.rawget("string"));
        LuaString.s_metatable = stringMeta.freeze();
    }

    // tag::redis[]
    private static LuaTable redisTable(ScriptEngine engine) {
        LuaTable redis = new LuaTable();
        redis.rawset("call", function(args -> engine.call(args, true)));
        redis.rawset("pcall", function(args -> engine.call(args, false)));
        redis.rawset("error_reply", function(args -> {
            if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
                return ScriptError.errorTable("wrong number or type of arguments");
            }
            String text = args.arg1().tojstring();
            return ScriptError.errorTable(text.startsWith("-") ? text : "-" + text);
        }));
        redis.rawset("status_reply", function(args -> {
            if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
                return ScriptError.errorTable("wrong number or type of arguments");
            }
            LuaTable status = new LuaTable();
            status.rawset("ok", args.arg1());
            return status;
        }));
        redis.rawset("sha1hex", function(args -> {
            if (args.narg() != 1) {
                throw ScriptError.raw(ScriptError.errorTable("wrong number of arguments"));
            }
            LuaValue text = args.arg1();
            byte[] bytes = text.isstring() ? LuaConversion.bytes(text.checkstring()) : new byte[0];
            return LuaValue.valueOf(ScriptEngine.sha1hex(bytes));
        }));
        redis.rawset("log", function(args -> log(engine, args)));
        redis.rawset("LOG_DEBUG", LuaValue.valueOf(0));
        redis.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
        redis.rawset("LOG_NOTICE", LuaValue.valueOf(2));
        redis.rawset("LOG_WARNING", LuaValue.valueOf(3));
        redis.rawset("setresp", function(args -> {
            if (args.narg() != 1) {
                throw ScriptError.raw(ScriptError.errorTable("redis.setresp() requires one argument."));
            }
            int resp = (int) args.arg1().todouble();
            if (resp != 2 && resp != 3) {
                throw ScriptError.raw(ScriptError.errorTable("RESP version must be 2 or 3."));
            }
            engine.resp(resp);
            return LuaValue.NONE;
        }));
        redis.rawset("set_repl", function(args -> {
            if (args.narg() != 1) {
                throw ScriptError.raw(ScriptError.errorTable("redis.set_repl() requires two arguments."));
            }
            int flags = (int) args.arg1().todouble();
            if ((flags & ~3) != 0) {
                throw ScriptError.raw(ScriptError.errorTable(
                        "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
            }
            engine.propagate((flags & 1) != 0); // REPL_AOF; there are no replicas yet
            return LuaValue.NONE;
        }));
        redis.rawset("REPL_NONE", LuaValue.valueOf(0));
        redis.rawset("REPL_AOF", LuaValue.valueOf(1));
        redis.rawset("REPL_SLAVE", LuaValue.valueOf(2));
        redis.rawset("REPL_REPLICA", LuaValue.valueOf(2));
        redis.rawset("REPL_ALL", LuaValue.valueOf(3));
        redis.rawset("acl_check_cmd", function(engine::aclCheck));
        redis.rawset("replicate_commands", function(args -> LuaValue.TRUE));
        redis.rawset("breakpoint", function(args -> LuaValue.FALSE));
        redis.rawset("debug", function(args -> LuaValue.NONE));
        redis.rawset("REDIS_VERSION", LuaValue.valueOf(RedisVersion.REDIS_VERSION));
        redis.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(VERSION_NUM));
        return redis;
    }
    // end::redis[]

    private static Varargs log(ScriptEngine engine, Varargs args) {
        int n = args.narg();
        if (n < 2) {
            throw ScriptError.raw(ScriptError.errorTable("redis.log() requires two arguments or more."));
        }
        if (!args.arg1().isnumber()) {
            throw ScriptError.raw(ScriptError.errorTable("First argument must be a number (log level)."));
        }
        int level = (int) args.arg1().todouble();
        if (level < 0 || level > 3) {
            throw ScriptError.raw(ScriptError.errorTable("Invalid debug level."));
        }
        if (level < engine.logLevel()) {
            return LuaValue.NONE;
        }
        StringBuilder line = new StringBuilder();
        for (int i = 2; i <= n; i++) {
            if (args.arg(i).isstring()) {
                if (i != 2) {
                    line.append(' ');
                }
                line.append(args.arg(i).tojstring());
            }
        }
        Log.log(new String[]{".", "-", "*", "#"}[level], line.toString());
        return LuaValue.NONE;
    }

    /** error(value, level): a string gets its position (level 1, or 2 for the caller: approximated by 1). */
    /**
     * {@code error(value, level)}: a string or number gets the position of the function {@code level} levels up,
     * 1 being the one that called error; none when that is the script's own caller (level 2 in the main chunk).
     */
    private static LuaError raised(ScriptHook hook, LuaValue value, int level) {
        if ((value.type() != LuaValue.TSTRING && value.type() != LuaValue.TNUMBER) || level <= 0) {
            return ScriptError.raw(value);
        }
        String text = value.type() == LuaValue.TSTRING ? value.tojstring() : format14g(value.todouble());
        if (level == 1) {
            return ScriptError.positioned(text);
        }
        int line = hook.lineOfLevel(level, false);
        return ScriptError.raw(LuaValue.valueOf(line < 0 ? text : hook.chunk() + ":" + line + ": " + text));
    }

    // tag::pcall[]
    /**
     * Redis's pcall: an error table from redis.call is handed to the script as its {@code err} string, and
     * errors get Lua's {@code user_script:N:} position. A killed script cannot be kept alive by pcall: SCRIPT
     * KILL's error, like running out of memory, goes through it (Redis raises it again at every line instead).
     */
    private static Varargs pcall(ScriptHook hook, Varargs args, LuaValue error) {
        LuaValue function = args.checkvalue(1);
        if (function == error) { // error's caller is pcall, a C function in Lua: no position at level 1
            LuaValue value = args.arg(2);
            int level = args.optint(3, 1);
            if (level >= 2 && (value.type() == LuaValue.TSTRING || value.type() == LuaValue.TNUMBER)) {
                int line = hook.lineOfLevel(level, true); // level 2 is the Lua function that called pcall
                String text = value.type() == LuaValue.TSTRING ? value.tojstring() : format14g(value.todouble());
                value = LuaValue.valueOf(line < 0 ? text : hook.chunk() + ":" + line + ": " + text);
            }
            return LuaValue.varargsOf(LuaValue.FALSE, value.istable() && value.rawget("err").isstring()
                    ? value.rawget("err") : value);
        }
        try {
            return LuaValue.varargsOf(LuaValue.TRUE, function.invoke(args.subargs(2)));
        } catch (LuaError e) {
            if (!(function instanceof LuaClosure) && !ScriptError.passedLuaFrame(e)) {
                return LuaValue.varargsOf(LuaValue.FALSE, raisedForPcall(e, args.subargs(2)));
            }
            return LuaValue.varargsOf(LuaValue.FALSE, caught(hook, e));
        } catch (StackOverflowError e) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(hook.chunk() + ":" + hook.line()
                    + ": stack overflow"));
        }
    }

    private static Varargs xpcall(ScriptHook hook, Varargs args) {
        LuaValue function = args.checkvalue(1);
        LuaValue handler = args.arg(2);
        try {
            return LuaValue.varargsOf(LuaValue.TRUE, function.invoke(args.subargs(3)));
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.FALSE, handler.call(caught(hook, e)));
        } catch (StackOverflowError e) {
            return LuaValue.varargsOf(LuaValue.FALSE, handler.call(LuaValue.valueOf(hook.chunk() + ":"
                    + hook.line() + ": stack overflow")));
        }
    }

    /**
     * An error raised by a library function that pcall called itself ({@code pcall(cjson.decode, text)}). Lua 5.1's
     * luaL_error puts the position of the function's caller in front, and that caller is pcall, a C function: no
     * position, and an argument error names the function {@code '?'}, as pcall's call has no name to read.
     */
    private static LuaValue raisedForPcall(LuaError e, Varargs callArgs) {
        if (e instanceof ScriptError error) {
            if (error.isFatal()) {
                throw e;
            }
            LuaValue value = error.bare();
            if (value.isstring() && value.tojstring().startsWith("bad argument #")) {
                return LuaValue.valueOf(value.tojstring().replaceFirst(" to '[^']*' \\(", " to '?' ("));
            }
            return value.istable() && value.rawget("err").isstring() ? value.rawget("err") : value;
        }
        LuaValue object = e.getMessageObject();
        if (object != null && !object.isstring()) {
            return object;
        }
        return LuaValue.valueOf(LuaErrorText.ofDirectCall(object == null ? "nil" : object.tojstring(), callArgs));
    }

    private static LuaValue caught(ScriptHook hook, LuaError e) {
        if (e instanceof ScriptError error && error.isFatal()) {
            throw e;
        }
        LuaValue value = ScriptError.value(e, hook);
        if (value.istable() && value.rawget("err").isstring()) {
            return value.rawget("err");
        }
        return value;
    }
    // end::pcall[]

    /**
     * load and loadstring: text only, so no bytecode (which the VM would trust) ever reaches the interpreter. As in
     * redis-server 7.0.15, whose Lua parses every chunk as text, a binary chunk is a syntax error
     * ({@code unexpected symbol near 'char(27)'}). {@code load} takes a reader function, as in Lua 5.1.
     */
    private static Varargs load(SandboxGlobals globals, ScriptHook hook, Varargs args, boolean reader) {
        byte[] source;
        String name;
        if (reader) {
            LuaValue function = args.checkfunction(1);
            name = args.isstring(2) ? args.tojstring(2) : "=(load)";
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
            for (;;) {
                LuaValue piece = function.call();
                if (piece.isnil() || piece.isstring() && piece.rawlen() == 0) {
                    break;
                }
                if (!piece.isstring()) {
                    // Redis's error handler makes luaL_error's text an error table, which load returns
                    return LuaValue.varargsOf(LuaValue.NIL, ScriptError.errorTable(hook.chunk() + ":" + hook.line()
                            + ": reader function must return a string"));
                }
                byte[] bytes = LuaConversion.bytes(piece.checkstring());
                ScriptMemory.reserve(read.size() + (long) bytes.length);
                read.writeBytes(bytes);
            }
            source = read.toByteArray();
        } else {
            source = LuaConversion.bytes(args.checkstring(1));
            name = args.isstring(2) ? args.tojstring(2) : new String(source, StandardCharsets.ISO_8859_1);
        }
        String error = Lua51Syntax.check(source, Lua51Syntax.chunkId(name));
        if (error != null) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(error.getBytes(StandardCharsets.ISO_8859_1)));
        }
        String chunkId = Lua51Syntax.chunkId(name);
        hook.loaded(chunkId, name);
        try { // compiled as "@<chunk id>", so that its runtime errors name it as Lua 5.1 does
            return globals.load(new ByteArrayInputStream(Lua51Syntax.forLuaJ(source)), "@" + chunkId, "t", globals);
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.NIL, ScriptError.value(e, chunkId, 1));
        }
    }

    /** string.rep, with its size checked before the bytes are allocated. */
    private static Varargs rep(Varargs args) {
        LuaString s = args.checkstring(1);
        long n = args.checklong(2);
        if (n <= 0 || s.m_length == 0) {
            return LuaValue.EMPTYSTRING;
        }
        ScriptMemory.reserve(n * s.m_length);
        byte[] out = new byte[(int) (n * s.m_length)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.m_bytes, s.m_offset, out, i * s.m_length, s.m_length);
        }
        return LuaString.valueUsing(out);
    }

    /** tostring with Lua 5.1's number format, {@code %.14g}. */
    private static LuaValue tostring(SandboxGlobals globals, LuaValue value) {
        if (value.type() == LuaValue.TNUMBER) {
            return LuaValue.valueOf(format14g(value.todouble()));
        }
        LuaValue meta = value.getmetatable();
        if (meta != null && !meta.rawget("__tostring").isnil()) {
            return meta.rawget("__tostring").call(value);
        }
        return value.tostring().isnil() ? LuaValue.valueOf(value.tojstring()) : value.tostring();
    }

    /** C's {@code printf("%.14g")}: 14 significant digits, trailing zeros dropped, an exponent outside [-4, 14). */
    static String format14g(double value) {
        return formatG(value, 14);
    }

    /** C's {@code printf("%.<precision>g")}, for precisions 1 to 17. */
    static String formatG(double value, int precision) {
        if (Double.isNaN(value)) {
            return Double.doubleToRawLongBits(value) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            String digits = rounded.unscaledValue().abs().toString().replaceAll("0+$", "");
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        String plain = rounded.setScale(Math.max(0, precision - 1 - exponent), RoundingMode.HALF_EVEN).toPlainString();
        if (plain.contains(".")) {
            plain = plain.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return plain;
    }

    // tag::random[]
    /**
     * math.random as Redis's: the 48-bit generator of {@code rand48} ({@code redisLrand48}), the same on every
     * platform, in one state for the whole server that starts as rand48's default and that only
     * math.randomseed resets, as in Redis 7.0. EVAL's scripts and the functions draw from the same sequence: the
     * state is the engine's, as Redis's is the process's, not one interpreter's.
     */
    private static void seed(ScriptEngine engine, long seed) {
        engine.random = ((seed & 0xffffffffL) << 16) | 0x330E;
    }

    private static long lrand48(ScriptEngine engine) {
        engine.random = (engine.random * 0x5DEECE66DL + 0xB) & ((1L << 48) - 1);
        return engine.random >>> 17;
    }

    private static Varargs random(ScriptEngine engine, Varargs args) {
        final long max = Integer.MAX_VALUE;
        double r = (double) (lrand48(engine) % max) / (double) max;
        switch (args.narg()) {
            case 0 -> {
                return LuaValue.valueOf(r);
            }
            case 1 -> {
                int u = args.checkint(1);
                if (u < 1) {
                    throw ScriptError.positioned("bad argument #1 to 'random' (interval is empty)");
                }
                return LuaValue.valueOf(Math.floor(r * u) + 1);
            }
            case 2 -> {
                int l = args.checkint(1);
                int u = args.checkint(2);
                if (l > u) {
                    throw ScriptError.positioned("bad argument #2 to 'random' (interval is empty)");
                }
                return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
            }
            default -> throw ScriptError.positioned("wrong number of arguments");
        }
    }
    // end::random[]

    static VarArgFunction function(Function<Varargs, Varargs> body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }
}
