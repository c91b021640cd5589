// Lua values to RESP replies and RESP replies to Lua values, by Redis 7.0's rules (script_lua.c).
package io.port6379.server.scripting;

import io.port6379.protocol.Frame;
import io.port6379.protocol.RespWriter;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;

/**
 * The two conversion tables of Redis's scripting documentation.
 *
 * <p>A command's reply, as a script sees it ({@link #toLua}): integer → number; bulk string → string; null
 * bulk or null array (RESP2) → {@code false}; array → table; status → {@code {ok=...}}; error →
 * {@code {err=...}}; and with {@code redis.setresp(3)}: null → nil, boolean → boolean, map →
 * {@code {map={...}}}, set → {@code {set={member=true}}}, double → {@code {double=n}}, big number →
 * {@code {big_number="..."}}, verbatim string → {@code {verbatim_string={format=..., string=...}}}.
 *
 * <p>A script's value, as the client sees it ({@link #write}): the reverse, where a number becomes an integer
 * (truncated: {@code 3.99} is {@code 3}), {@code true} is {@code :1}, {@code false} and nil are null, and a table
 * is an array up to its first nil unless it has one of the fields above. A map's or a set's order is the
 * interpreter's table order, which is not C Lua's.
 */
final class LuaConversion {

    /** Lua 5.1's LUAI_MAXCSTACK: the slots lua_checkstack lets C code use on the Lua stack. */
    private static final int MAX_LUA_STACK = 8000;

    private LuaConversion() {
    }

    // tag::toLua[]
    /** A command's reply as a Lua value; {@code resp} is the protocol the script asked for (redis.setresp). */
    static LuaValue toLua(Frame frame, int resp) {
        return switch (frame) {
            case Frame.Integer i -> LuaValue.valueOf((double) i.value());
            case Frame.BulkString b -> LuaString.valueOf(b.value());
            case Frame.Null n -> resp == 2 ? LuaValue.FALSE : LuaValue.NIL;
            case Frame.SimpleString s -> field("ok", LuaValue.valueOf(s.value()));
            case Frame.SimpleError e -> ScriptError.countedErrorTable("-" + e.message());
            case Frame.BulkError e -> ScriptError.countedErrorTable("-" + new String(e.message(), StandardCharsets.ISO_8859_1));
            case Frame.Array a -> {
                LuaTable table = new LuaTable(a.elements().size(), 0);
                int i = 1;
                for (Frame element : a.elements()) {
                    table.rawset(i++, toLua(element, resp));
                }
                yield table;
            }
            case Frame.Push p -> toLua(new Frame.Array(p.elements()), resp);
            case Frame.Set s -> {
                LuaTable members = new LuaTable();
                for (Frame element : s.elements()) {
                    members.rawset(toLua(element, resp), LuaValue.TRUE);
                }
                yield field("set", members);
            }
            case Frame.Map m -> {
                LuaTable entries = new LuaTable();
                for (var entry : m.entries()) {
                    entries.rawset(toLua(entry.key(), resp), toLua(entry.value(), resp));
                }
                yield field("map", entries);
            }
            case Frame.Boolean b -> LuaValue.valueOf(b.value());
            case Frame.Double d -> field("double", LuaValue.valueOf(d.value()));
            case Frame.BigNumber b -> field("big_number", LuaValue.valueOf(b.value().toString()));
            case Frame.VerbatimString v -> {
                LuaTable verbatim = new LuaTable();
                verbatim.rawset("string", LuaString.valueOf(v.text()));
                verbatim.rawset("format", LuaValue.valueOf(v.format()));
                yield field("verbatim_string", verbatim);
            }
            case Frame.Attribute a -> toLua(a.value(), resp);
        };
    }
    // end::toLua[]

    /**
     * The common replies of {@code redis.call} read straight from their bytes, without building a frame: an
     * integer, a bulk string or null bulk, a status. Null for anything else (errors, aggregates, RESP3 types), which
     * {@link #toLua} converts.
     */
    static LuaValue simpleReply(byte[] reply, int resp) {
        if (reply.length < 4 || reply[reply.length - 2] != '\r') {
            return null;
        }
        switch (reply[0]) {
            case ':' -> {
                long value = 0;
                int i = 1;
                boolean negative = reply[1] == '-';
                if (negative) {
                    i++;
                }
                for (; reply[i] != '\r'; i++) {
                    value = value * 10 + (reply[i] - '0');
                }
                return i == reply.length - 2 && i < 19 ? LuaValue.valueOf((double) (negative ? -value : value)) : null;
            }
            case '$' -> {
                if (reply[1] == '-') {
                    return reply.length == 5 ? (resp == 2 ? LuaValue.FALSE : LuaValue.NIL) : null;
                }
                int length = 0;
                int i = 1;
                for (; reply[i] != '\r'; i++) {
                    length = length * 10 + (reply[i] - '0');
                }
                int start = i + 2;
                return start + length + 2 == reply.length ? LuaString.valueOf(reply, start, length) : null;
            }
            case '+' -> {
                for (int i = 1; i < reply.length - 2; i++) {
                    if (reply[i] == '\r') {
                        return null; // more than one reply
                    }
                }
                return field("ok", LuaString.valueOf(reply, 1, reply.length - 3));
            }
            default -> {
                return null;
            }
        }
    }

    private static LuaTable field(String name, LuaValue value) {
        LuaTable table = new LuaTable();
        table.rawset(name, value);
        return table;
    }

    // tag::write[]
    /**
     * Writes a script's return value as its reply. {@code scriptResp} is the protocol the script chose with
     * redis.setresp: under RESP2 {@code true} is {@code :1} and {@code false} null, under RESP3 both are booleans.
     * Tables are walked with a list of what is still to write, not by recursion: Redis's C walks them on the Lua
     * stack and answers {@code reached lua stack limit} in place of a value nested deeper than that stack's 8000
     * slots allow (an array takes one slot a level), which a table that contains itself reaches.
     */
    static void write(LuaValue value, RespWriter out, int scriptResp, ErrorReplies errors) {
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(value, 2)); // on the stack: the error handler and the value
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            LuaValue v = next.value;
            if (next.stack + 4 > MAX_LUA_STACK) { // luaReplyToRedisReply's lua_checkstack(lua, 4)
                out.error(STACK_LIMIT);
                errors.written(STACK_LIMIT, false);
                continue;
            }
            switch (v.type()) {
                case LuaValue.TSTRING -> out.bulkString(bytes(v.checkstring()));
                case LuaValue.TBOOLEAN -> {
                    if (scriptResp == 3) {
                        out.bool(v.toboolean());
                    } else if (v.toboolean()) {
                        out.integer(1);
                    } else {
                        out.nullValue();
                    }
                }
                case LuaValue.TNUMBER -> out.integer(truncate(v.todouble()));
                case LuaValue.TTABLE -> {
                    List<Pending> items = writeTable((LuaTable) v, next.stack, out, errors);
                    for (int i = items.size() - 1; i >= 0; i--) {
                        pending.push(items.get(i));
                    }
                }
                default -> out.nullValue();
            }
        }
    }

    private static final String STACK_LIMIT = "ERR reached lua stack limit";

    /**
     * Told of every error reply a script's value writes, at any depth, as Redis's afterErrorReply is: its text, and
     * whether it was already counted in INFO errorstats where it arose (a {@code redis.call}'s error).
     */
    interface ErrorReplies {
        void written(String text, boolean alreadyCounted);
    }

    /** A value still to write, and the Lua stack slots Redis's C uses when it writes it. */
    private record Pending(LuaValue value, int stack) {
    }

    /** Writes a table's reply, or its header: then the values of its elements are answered, to write in order. */
    private static List<Pending> writeTable(LuaTable table, int stack, RespWriter out, ErrorReplies errors) {
        List<Pending> items = new ArrayList<>();
        if (writeSpecial(table, out, errors)) {
            return items;
        }
        LuaValue map = table.rawget("map");
        if (map.type() == LuaValue.TTABLE) {
            forEach((LuaTable) map, (k, v) -> {
                items.add(new Pending(k, stack + 4)); // the map, lua_next's key and value, the key's copy
                items.add(new Pending(v, stack + 3));
            });
            out.mapHeader(items.size() / 2);
            return items;
        }
        LuaValue set = table.rawget("set");
        if (set.type() == LuaValue.TTABLE) {
            forEach((LuaTable) set, (k, v) -> items.add(new Pending(k, stack + 3)));
            out.setHeader(items.size());
            return items;
        }
        for (int i = 1; !table.rawget(i).isnil(); i++) {
            items.add(new Pending(table.rawget(i), stack + 1));
        }
        out.arrayHeader(items.size());
        return items;
    }

    /** The tables that stand for one reply: {@code err}, {@code ok}, {@code double}, {@code big_number}, verbatim. */
    private static boolean writeSpecial(LuaTable table, RespWriter out, ErrorReplies errors) {
        LuaValue err = table.rawget("err");
        if (err.type() == LuaValue.TSTRING) {
            String text = errorText(cString(err));
            out.error(text);
            errors.written(text, ScriptError.counted(table));
            return true;
        }
        LuaValue ok = table.rawget("ok");
        if (ok.type() == LuaValue.TSTRING) {
            out.simpleString(cString(ok).replace('\r', ' ').replace('\n', ' '));
            return true;
        }
        LuaValue dbl = table.rawget("double");
        if (dbl.type() == LuaValue.TNUMBER) {
            out.doubleValue(dbl.todouble());
            return true;
        }
        LuaValue big = table.rawget("big_number");
        if (big.type() == LuaValue.TSTRING) {
            byte[] digits = bytes(big.checkstring()); // unchecked, as Redis writes them, CR and LF made spaces
            for (int i = 0; i < digits.length; i++) {
                if (digits[i] == '\r' || digits[i] == '\n') {
                    digits[i] = ' ';
                }
            }
            out.bigNumber(digits);
            return true;
        }
        LuaValue verbatim = table.rawget("verbatim_string");
        if (verbatim.type() == LuaValue.TTABLE) {
            LuaValue format = verbatim.rawget("format");
            LuaValue text = verbatim.rawget("string");
            if (format.type() == LuaValue.TSTRING && text.type() == LuaValue.TSTRING && format.rawlen() == 3) {
                out.verbatim(format.tojstring(), bytes(text.checkstring()));
                return true;
            }
        }
        return false;
    }
    // end::write[]

    /**
     * An error reply's text as Redis's {@code addReplyErrorFormatEx} makes it: the newlines at the end trimmed, the
     * ones left in the middle turned into spaces.
     */
    static String errorText(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
            end--;
        }
        return text.substring(0, end).replace('\r', ' ').replace('\n', ' ');
    }

    /** A Lua string as Redis's C code reads it for status and error replies: up to its first zero byte. */
    static String cString(LuaValue value) {
        String text = new String(bytes(value.checkstring()), java.nio.charset.StandardCharsets.ISO_8859_1);
        int zero = text.indexOf('\0');
        return zero < 0 ? text : text.substring(0, zero);
    }

    /** The table's entries in Lua 5.1's {@code lua_next} order ({@link Lua51TableOrder}), as Redis's reply walks it. */
    private static void forEach(LuaTable table, java.util.function.BiConsumer<LuaValue, LuaValue> action) {
        for (LuaValue[] entry : Lua51TableOrder.entries(table)) {
            action.accept(entry[0], entry[1]);
        }
    }

    /** C's {@code (long long)} of a double as x86 computes it: NaN and out-of-range values give the minimum. */
    static long truncate(double value) {
        if (Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) value;
    }

    static byte[] bytes(LuaString s) {
        byte[] copy = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, copy, 0, s.m_length);
        return copy;
    }
}
