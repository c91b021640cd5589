// An error raised inside a script, in the shape Redis's Lua error handler gives it: a string or an {err=...} table.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lua 5.1 prefixes a runtime error with where it happened ({@code user_script:3: attempt to ...}); Redis keeps
 * that text and adds {@code script: <sha>, on @user_script:3.} when the error ends the script. An error raised
 * by the server's own Java code (a read-only table, {@code error()}) does not know the line, so it is marked
 * {@linkplain #positioned positioned} and gets the line of the instruction that raised it where it is caught
 * ({@link #value}); errors raised by LuaJ itself carry LuaJ's own {@code @user_script:3 text}, rewritten to Lua's.
 */
final class ScriptError extends LuaError {

    private static final Pattern LUAJ_POSITION = Pattern.compile("^@([^:\\s]+):(\\d+) ", Pattern.DOTALL);
    /** What the interpreter's traceback hook returns, so that the text it appends can be cut off again. */
    static final String NO_TRACEBACK = "\u0000";

    private final LuaValue value;
    private final boolean positioned;
    private boolean fatal;

    private ScriptError(LuaValue value, boolean positioned) {
        super(value);
        this.value = value;
        this.positioned = positioned;
    }

    /** An error pcall does not catch: SCRIPT KILL, and a script out of memory, end the script whatever it does. */
    ScriptError fatal() {
        fatal = true;
        return this;
    }

    boolean isFatal() {
        return fatal;
    }

    /** A string error that gets {@code user_script:<line>: } in front when caught. */
    static ScriptError positioned(String message) {
        return new ScriptError(LuaValue.valueOf(message), true);
    }

    /** An error value raised as it is: a table from redis.call, or error()'s value at level 0. */
    static ScriptError raw(LuaValue value) {
        return new ScriptError(value, false);
    }

    /** The error's value without a position: what a C function's luaL_error gives when its caller is not Lua. */
    LuaValue bare() {
        return value;
    }

    /**
     * Whether the error has gone through a Lua function on its way out: LuaJ then asks the debug library (the
     * {@link ScriptHook}) for a traceback, and the message ends with what it answered.
     */
    static boolean passedLuaFrame(LuaError error) {
        String message = error.getMessage();
        return message != null && message.contains("\n" + NO_TRACEBACK);
    }

    /**
     * Marks an error table as already counted in the error stats (Redis's {@code ignore_error_stats_update} field):
     * a command's error reply inside a script, or a call scriptCall refused.
     */
    static LuaTable counted(LuaTable table) {
        table.rawset("ignore_error_stats_update", LuaValue.TRUE);
        return table;
    }

    /** Whether an error value is a table marked by {@link #counted(LuaTable)}. */
    static boolean counted(LuaValue error) {
        return error.istable() && error.rawget("ignore_error_stats_update").toboolean();
    }

    /** Redis's error table {@code {err="CODE message"}}: luaPushErrorBuff's rules for the code. */
    static LuaTable errorTable(String error) {
        String message;
        String code;
        if (error.startsWith("-")) {
            int space = error.indexOf(' ');
            if (space < 0) {
                code = "ERR";
                message = error.substring(1);
            } else {
                code = error.substring(1, space);
                message = error.substring(space + 1);
            }
        } else {
            code = "ERR";
            message = error;
        }
        message = strip(message);
        LuaTable table = new LuaTable();
        table.rawset("err", LuaValue.valueOf(code + " " + message));
        return table;
    }

    private static String strip(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && (text.charAt(from) == '\r' || text.charAt(from) == '\n')) {
            from++;
        }
        while (to > from && (text.charAt(to - 1) == '\r' || text.charAt(to - 1) == '\n')) {
            to--;
        }
        return text.substring(from, to);
    }

    /** The error's value as a Lua script sees it in pcall, positioned at {@code line} where it needs a position. */
    static LuaValue value(LuaError error, String chunk, int line) {
        return value(error, chunk, line, null);
    }

    /** The error of the instruction that ran last under {@code hook}, worded as Lua 5.1 does ({@link LuaErrorText}). */
    static LuaValue value(LuaError error, ScriptHook hook) {
        return value(error, hook.chunkAt(), hook.line(), hook);
    }

    private static LuaValue value(LuaError error, String chunk, int line, ScriptHook frame) {
        if (error instanceof ScriptError script) {
            return script.positioned ? LuaValue.valueOf(chunk + ":" + line + ": " + script.value.tojstring()) : script.value;
        }
        if (error.getCause() instanceof StackOverflowError) {
            return LuaValue.valueOf(chunk + ":" + line + ": stack overflow");
        }
        if (error.getCause() instanceof OutOfMemoryError || error.getCause() instanceof NegativeArraySizeException) {
            return LuaValue.valueOf(chunk + ":" + line + ": " + ScriptMemory.TOO_MUCH); // a string past 2 GB
        }
        LuaValue object = error.getMessageObject();
        if (object != null && !object.isstring()) {
            return object;
        }
        String text = object == null ? "nil" : object.tojstring();
        int cut = text.lastIndexOf("\n" + NO_TRACEBACK);
        if (cut >= 0) {
            text = text.substring(0, cut);
        }
        if (frame != null && text.startsWith("@" + chunk + ":")) { // a chunk id with spaces: [string "a b"]
            Matcher own = Pattern.compile("^" + Pattern.quote("@" + chunk) + ":(\\d+) ", Pattern.DOTALL).matcher(text);
            if (own.find()) {
                return LuaValue.valueOf(chunk + ":" + own.group(1) + ": " + lua51(text.substring(own.end()), frame));
            }
        }
        Matcher position = LUAJ_POSITION.matcher(text);
        if (position.find()) {
            return LuaValue.valueOf(position.group(1) + ":" + position.group(2) + ": "
                    + lua51(text.substring(position.end()), frame));
        }
        return LuaValue.valueOf(chunk + ":" + line + ": " + lua51(text, frame));
    }

    private static String lua51(String text, ScriptHook frame) {
        return frame == null ? LuaErrorText.generic(text)
                : LuaErrorText.of(text, frame.proto(), frame.pc(), frame.registers());
    }

    /**
     * What Redis's error handler makes of an error value that is not an error table: {@code ERR } and Lua's
     * {@code tostring} of it ({@code ERR nil} for {@code error()}). A table without {@code err} has no text.
     */
    static String text(LuaValue error) {
        if (error.istable()) {
            return "ERR error object is not a string";
        }
        return "ERR " + error.tojstring();
    }
}
