// Redis 7's functions: libraries of Lua code loaded once (FUNCTION LOAD), whose registered functions FCALL runs by name.
package io.port6379.server.scripting;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.InlineParser;
import io.port6379.server.Concerns;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis's {@code functions.c} and {@code function_lua.c}.
 *
 * <p><b>A library</b> is Lua code whose first line names it, {@code #!lua name=mylib}. FUNCTION LOAD runs the code
 * once, and the only thing it can do then is call {@code redis.register_function}: the code sees a global table
 * that holds {@code redis} with register_function, log and the version, and nothing else (no {@code string}, no
 * {@code pairs}, no {@code redis.call}). A registered function runs later, on FCALL, with the full sandbox of an
 * EVAL script, except KEYS and ARGV, which it receives as its two arguments; but in an interpreter state of its
 * own, as Redis 7.0 runs functions in a second Lua VM: the functions' globals (their {@code _G}) and cjson settings
 * are not EVAL's, and a FUNCTION FLUSH leaves them as they are.
 *
 * <p><b>Isolation.</b> Every library's code runs with the same environment table, {@code env}, which holds nothing
 * and cannot be written to: what a library's functions keep between calls lives in the library's own local
 * variables, never in a global another library could read or replace. What a global name means is decided when
 * it is read, by the environment's {@code __index}: the load-time table while the library loads, the run-time
 * table afterwards (C Lua does the same by swapping the globals' metatable).
 *
 * <p>Function names are compared without case across libraries, as Redis's dictionary of functions does; library
 * names with case. Not thread-safe: used under the execution lock.
 */
public final class FunctionLibraries implements Concerns.Functions {

    /** Redis allows a library 500 ms to register its functions. */
    private static final long LOAD_TIMEOUT_NANOS = 500_000_000L;
    private static final String ENGINE = "LUA";

    /** One registered function: FUNCTION LIST shows all but the callback. */
    public record Function(String name, String description, int flags, LuaFunction callback, Library library) {
    }

    /** One library: its name, its code as loaded (shebang line included), and its functions in registration order. */
    public record Library(String name, byte[] code, Map<String, Function> functions) {
        public String engine() {
            return ENGINE;
        }
    }

    private final SandboxGlobals globals;
    private final ScriptHook hook;
    /** Every library's global table: a Globals, so that closures created under it call the hook (lines, limits). */
    private final SandboxGlobals env = new SandboxGlobals();
    private final LuaTable loadTime;
    private final LuaTable runTime;
    private boolean loading;
    /** The library being loaded, which register_function adds to. */
    private Library building;

    private Map<String, Library> libraries = new LinkedHashMap<>();
    private Map<String, Function> functions = new LinkedHashMap<>(); // by lower-case name

    FunctionLibraries(SandboxGlobals globals, ScriptHook hook) {
        this.globals = globals;
        this.hook = hook;
        this.loadTime = loadTimeGlobals();
        this.runTime = runTimeGlobals(globals);
        FrozenTable meta = new FrozenTable();
        meta.rawset("__index", LuaSandbox.function(args -> {
            LuaValue value = (loading ? loadTime : runTime).rawget(args.arg(2));
            if (value.isnil()) {
                throw missing(args.arg(2));
            }
            return value;
        }));
        env.setmetatable(meta.freeze());
        env.debuglib = globals.debuglib;
        env.running = globals.running;
        env.freeze();
    }

    private static ScriptError missing(LuaValue name) {
        return ScriptError.positioned("Script attempted to access nonexistent global variable '" + name.tojstring()
                + "'");
    }

    /** What a library sees while it loads: {@code redis} with register_function, log and the version only. */
    private LuaTable loadTimeGlobals() {
        FrozenTable redis = new FrozenTable();
        redis.rawset("register_function", LuaSandbox.function(this::register));
        LuaTable full = (LuaTable) globals.rawget("redis");
        for (String name : new String[]{"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
                "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
            redis.rawset(name, full.rawget(name));
        }
        FrozenTable missing = new FrozenTable();
        missing.rawset("__index", LuaSandbox.function(args -> {
            throw missing(args.arg(2));
        }));
        redis.setmetatable(missing.freeze());
        FrozenTable table = new FrozenTable();
        table.rawset("redis", redis.freeze());
        return table.freeze();
    }

    /** What a function sees when it runs: its state's globals, whose {@code redis} lacks the EVAL-only calls. */
    private static LuaTable runTimeGlobals(SandboxGlobals globals) {
        FrozenTable table = FrozenTable.copyOf(globals);
        table.rawset("KEYS", LuaValue.NIL);
        table.rawset("ARGV", LuaValue.NIL);
        FrozenTable redis = FrozenTable.copyOf((LuaTable) globals.rawget("redis"));
        for (String evalOnly : new String[]{"breakpoint", "debug", "replicate_commands"}) {
            redis.rawset(evalOnly, LuaValue.NIL);
        }
        table.rawset("redis", redis.freeze());
        return table.freeze();
    }

    // tag::load[]
    /**
     * FUNCTION LOAD: compiles the library, runs it to collect its functions, and adds it (replacing the library of
     * the same name with {@code replace}). Returns the library's name; throws Redis's error otherwise.
     */
    public String load(byte[] code, boolean replace) {
        Library library = create(code);
        Library old = libraries.get(library.name());
        if (old != null && !replace) {
            throw new RedisException("ERR Library '" + library.name() + "' already exists");
        }
        for (Function function : library.functions().values()) {
            Function existing = functions.get(key(function.name()));
            if (existing != null && existing.library() != old) {
                throw new RedisException("ERR Function " + function.name() + " already exists");
            }
        }
        if (old != null) {
            unlink(old);
        }
        link(library);
        return library.name();
    }
    // end::load[]

    /** A library compiled and run, not yet added: checks the shebang line, then lets the code register. */
    private Library create(byte[] code) {
        String[] meta = metadata(code);
        String name = meta[1];
        if (!validName(name)) {
            throw new RedisException("ERR Library names can only contain letters, numbers, or underscores(_) and must "
                    + "be at least one character long");
        }
        if (!meta[0].equalsIgnoreCase(ENGINE)) {
            throw new RedisException("ERR Engine '" + meta[0] + "' not found");
        }
        int newline = indexOf(code, (byte) '\n');
        byte[] body = Arrays.copyOfRange(code, newline, code.length); // the newline stays: lines keep their numbers
        String syntax = Lua51Syntax.check(body, ScriptEngine.FUNCTION_CHUNK);
        if (syntax != null) {
            throw new RedisException("ERR Error compiling function: " + syntax);
        }
        LuaFunction chunk;
        try {
            chunk = (LuaFunction) globals.load(new ByteArrayInputStream(Lua51Syntax.forLuaJ(body)),
                    "@" + ScriptEngine.FUNCTION_CHUNK, "t", env);
        } catch (LuaError e) {
            throw new RedisException("ERR Error compiling function: "
                    + ScriptEngine.compileError(e, ScriptEngine.FUNCTION_CHUNK, body, src -> globals.load(
                            new ByteArrayInputStream(src), "@" + ScriptEngine.FUNCTION_CHUNK, "t", env)));
        }
        Library library = new Library(name, code, new LinkedHashMap<>());
        ScriptRun run = new ScriptRun(null, null, name, true, true, true);
        run.loadDeadlineNanos = System.nanoTime() + LOAD_TIMEOUT_NANOS;
        building = library;
        loading = true;
        hook.start(run);
        try {
            chunk.call();
        } catch (LuaError e) {
            LuaValue error = ScriptError.value(e, hook);
            String message = error.istable() && error.rawget("err").isstring() ? error.rawget("err").tojstring()
                    : ScriptError.text(error);
            throw new RedisException("ERR Error registering functions: " + message);
        } catch (StackOverflowError e) {
            throw new RedisException("ERR Error registering functions: ERR " + ScriptEngine.FUNCTION_CHUNK + ":"
                    + hook.line() + ": stack overflow");
        } finally {
            hook.stop();
            loading = false;
            building = null;
        }
        if (library.functions().isEmpty()) {
            throw new RedisException("ERR No functions registered");
        }
        return library;
    }

    /** Redis's functionExtractLibMetaData: {@code {engine, name}} from {@code #!<engine> name=<name>}. */
    private static String[] metadata(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new RedisException("ERR Missing library metadata");
        }
        int newline = indexOf(code, (byte) '\n');
        if (newline < 0) {
            throw new RedisException("ERR Invalid library metadata");
        }
        byte[][] parts = InlineParser.splitArgs(Arrays.copyOf(code, newline));
        if (parts == null || parts.length == 0) {
            throw new RedisException("ERR Invalid library metadata");
        }
        String engineName = text(parts[0]).substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            String part = text(parts[i]);
            if (part.length() >= 5 && part.substring(0, 5).equalsIgnoreCase("name=")) {
                if (name != null) {
                    throw new RedisException("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new RedisException("ERR Invalid metadata value given: " + part);
        }
        if (name == null) {
            throw new RedisException("ERR Library name was not given");
        }
        return new String[]{engineName, name};
    }

    // tag::register[]
    /** {@code redis.register_function(name, callback)} or {@code redis.register_function{function_name=..., ...}}. */
    private Varargs register(Varargs args) {
        if (building == null) {
            throw error("redis.register_function can only be called on FUNCTION LOAD command");
        }
        String name;
        String description = null;
        LuaValue callback = LuaValue.NIL;
        int flags = 0;
        if (args.narg() < 1 || args.narg() > 2) {
            throw error("wrong number of arguments to redis.register_function");
        }
        if (args.narg() == 2) {
            if (!args.arg1().isstring()) {
                throw error("first argument to redis.register_function must be a string");
            }
            name = args.arg1().tojstring();
            if (!args.arg(2).isfunction()) {
                throw error("second argument to redis.register_function must be a function");
            }
            callback = args.arg(2);
        } else {
            if (!args.arg1().istable()) {
                throw error("calling redis.register_function with a single argument is only applicable to Lua table "
                        + "(representing named arguments).");
            }
            name = null;
            LuaValue key = LuaValue.NIL;
            while (true) {
                Varargs next = args.arg1().next(key);
                if ((key = next.arg1()).isnil()) {
                    break;
                }
                LuaValue value = next.arg(2);
                if (!key.isstring()) {
                    throw error("named argument key given to redis.register_function is not a string");
                }
                switch (key.tojstring().toLowerCase(Locale.ROOT)) {
                    case "function_name" -> {
                        if (!value.isstring()) {
                            throw error("function_name argument given to redis.register_function must be a string");
                        }
                        name = value.tojstring();
                    }
                    case "description" -> {
                        if (!value.isstring()) {
                            throw error("description argument given to redis.register_function must be a string");
                        }
                        description = value.tojstring();
                    }
                    case "callback" -> {
                        if (!value.isfunction()) {
                            throw error("callback argument given to redis.register_function must be a function");
                        }
                        callback = value;
                    }
                    case "flags" -> {
                        if (!value.istable()) {
                            throw error("flags argument to redis.register_function must be a table representing "
                                    + "function flags");
                        }
                        flags = flags(value);
                    }
                    default -> throw error("unknown argument given to redis.register_function");
                }
            }
            if (name == null) {
                throw error("redis.register_function must get a function name argument");
            }
            if (callback.isnil()) {
                throw error("redis.register_function must get a callback argument");
            }
        }
        if (!validName(name)) {
            throw error("Library names can only contain letters, numbers, or underscores(_) and must be at least one "
                    + "character long");
        }
        if (building.functions().containsKey(name)) {
            throw error("Function already exists in the library");
        }
        building.functions().put(name, new Function(name, description, flags, (LuaFunction) callback, building));
        return LuaValue.NONE;
    }
    // end::register[]

    /** The flags table: {@code {'no-writes', 'allow-oom'}}, names in any case. */
    private static int flags(LuaValue table) {
        int flags = 0;
        for (int i = 1; ; i++) {
            LuaValue flag = table.get(i);
            if (flag.isnil()) {
                return flags;
            }
            int bit = flag.isstring() ? Shebang.flag(flag.tojstring()) : 0;
            if (bit == 0) {
                throw error("unknown flag given");
            }
            flags |= bit;
        }
    }

    private static ScriptError error(String message) {
        return ScriptError.raw(ScriptError.errorTable(message));
    }

    /** Redis's functionsVerifyName: letters, digits and underscores, at least one. */
    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private void link(Library library) {
        libraries.put(library.name(), library);
        for (Function function : library.functions().values()) {
            functions.put(key(function.name()), function);
        }
    }

    private void unlink(Library library) {
        libraries.remove(library.name());
        for (Function function : library.functions().values()) {
            functions.remove(key(function.name()));
        }
    }

    /** The function FCALL names, or null. */
    public Function function(String name) {
        return functions.get(key(name));
    }

    /** FUNCTION DELETE. */
    public void delete(String name) {
        Library library = libraries.get(name);
        if (library == null) {
            throw new RedisException("ERR Library not found");
        }
        unlink(library);
    }

    /**
     * FUNCTION FLUSH: no library is left at once; with {@code lazyFree} (ASYNC), the old ones are let go by its
     * thread when there are many functions, as Redis's {@code freeFunctionsAsync}.
     */
    public void flush(io.port6379.server.util.LazyFree lazyFree) {
        Map<String, Library> dropped = libraries;
        int count = functions.size();
        libraries = new LinkedHashMap<>();
        functions = new LinkedHashMap<>();
        if (lazyFree != null) {
            lazyFree.emptiedScripts(dropped, count);
        }
    }

    /**
     * The libraries in the order they were loaded, which is the order FUNCTION LIST, FUNCTION DUMP and the RDB use.
     * Redis walks a dict whose hash function takes a random seed at each start, so its order of several libraries
     * (and of a library's functions) changes from one redis-server process to the next: no order is Redis's, and
     * load order is the one a reader can predict.
     */
    public Collection<Library> libraries() {
        return libraries.values();
    }

    public int functionCount() {
        return functions.size();
    }

    /** The bytes of the functions' compiled code ({@link LuaFootprint}). */
    long vmMemory() {
        long bytes = 0;
        for (Function function : functions.values()) {
            if (function.callback() instanceof org.luaj.vm2.LuaClosure closure) {
                bytes += LuaFootprint.of(closure.p);
            }
        }
        return bytes;
    }

    /** The bytes of the libraries' code and names and the functions' names and descriptions, with their entries. */
    long memory() {
        long bytes = 0;
        for (Library library : libraries.values()) {
            bytes += 40 + 24 + 16 + library.name().length() + 16 + library.code().length + 48;
        }
        for (Function function : functions.values()) {
            bytes += 40 + 24 + 16 + function.name().length() + 48
                    + (function.description() == null ? 0 : 24 + 16 + function.description().length());
        }
        return bytes;
    }

    /** FUNCTION STATS: the running function (from {@code running}, null when none runs) and the engine's counts. */
    void stats(io.port6379.protocol.RespWriter reply, ScriptRun running) {
        reply.mapHeader(2);
        reply.bulkString("running_script");
        if (running == null) {
            reply.nullValue();
        } else {
            reply.mapHeader(3);
            reply.bulkString("name").bulkString(running.sha);
            reply.bulkString("command").arrayHeader(running.command.length);
            for (byte[] arg : running.command) {
                reply.bulkString(arg);
            }
            reply.bulkString("duration_ms").integer((System.nanoTime() - running.startNanos) / 1_000_000);
        }
        reply.bulkString("engines").mapHeader(1);
        reply.bulkString(ENGINE).mapHeader(2);
        reply.bulkString("libraries_count").integer(libraries.size());
        reply.bulkString("functions_count").integer(functions.size());
    }

    // tag::restore[]
    /**
     * FUNCTION RESTORE's libraries (and an RDB file's): all are compiled first, then added as {@code policy} says
     * (FLUSH: instead of the current ones; APPEND: none may exist already; REPLACE: the new replace the old). Nothing
     * changes when one fails.
     */
    public void restore(List<byte[]> codes, String policy) {
        Map<String, Library> loaded = new LinkedHashMap<>();
        Map<String, Function> loadedFunctions = new LinkedHashMap<>();
        for (byte[] code : codes) {
            Library library = create(code);
            if (loaded.containsKey(library.name())) {
                throw new RedisException("ERR Library '" + library.name() + "' already exists");
            }
            for (Function function : library.functions().values()) {
                if (loadedFunctions.containsKey(key(function.name()))) {
                    throw new RedisException("ERR Function " + function.name() + " already exists");
                }
                loadedFunctions.put(key(function.name()), function);
            }
            loaded.put(library.name(), library);
        }
        if (policy.equals("flush")) {
            libraries = loaded;
            functions = loadedFunctions;
            return;
        }
        List<Library> replaced = new ArrayList<>();
        for (Library library : loaded.values()) {
            Library old = libraries.get(library.name());
            if (old != null) {
                if (!policy.equals("replace")) {
                    throw new RedisException("ERR Library " + library.name() + " already exists");
                }
                replaced.add(old);
            }
        }
        for (Function function : loadedFunctions.values()) {
            Function existing = functions.get(key(function.name()));
            if (existing != null && !replaced.contains(existing.library())) {
                throw new RedisException("ERR Function " + function.name() + " already exists");
            }
        }
        replaced.forEach(this::unlink);
        loaded.values().forEach(this::link);
    }
    // end::restore[]

    @Override
    public List<byte[]> codes() {
        return libraries.values().stream().map(Library::code).toList();
    }

    @Override
    public void loadAll(List<byte[]> codes, boolean replace) {
        restore(codes, replace ? "replace" : "append");
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
