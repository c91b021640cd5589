// lua-cjson ("cjson"), the JSON library Redis ships: encode and decode with its defaults.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;

/**
 * lua-cjson's behaviour with Redis's settings: numbers as {@code %.14g}; a table whose keys are 1..n (with few
 * holes) is an array, any other table an object whose keys must be strings or numbers; {@code /} is escaped
 * ({@code \/}); {@code cjson.null} stands for JSON's null; nesting deeper than 1000 is an error both ways.
 */
final class Cjson {

    static final LuaValue NULL = new LuaUserdata(new Object());
    private static final int MAX_DEPTH = 1000;

    private Cjson() {
    }

    static LuaTable library() {
        LuaTable cjson = new LuaTable();
        cjson.rawset("encode", LuaSandbox.function(args -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            encode(args.checkvalue(1), out, 0);
            return LuaString.valueUsing(out.toByteArray());
        }));
        cjson.rawset("decode", LuaSandbox.function(args -> {
            LuaString text = args.checkstring(1);
            Decoder decoder = new Decoder(LuaConversion.bytes(text));
            LuaValue value = decoder.value(0);
            decoder.skipSpace();
            if (decoder.at < decoder.bytes.length) {
                throw decoder.error("the end");
            }
            return value;
        }));
        cjson.rawset("null", NULL);
        boolean[] keepBuffer = {true};
        cjson.rawset("encode_keep_buffer", LuaSandbox.function(args -> keepBuffer(args, keepBuffer)));
        return cjson;
    }

    /**
     * {@code cjson.encode_keep_buffer([true|false|"on"|"off"])}: whether lua-cjson keeps its encoding buffer between
     * calls, a memory setting of the C library; kept and answered as it does (Redis's own tests call it), with no
     * effect here, where each encoding has its own buffer.
     */
    private static LuaValue keepBuffer(Varargs args, boolean[] setting) {
        LuaValue option = args.arg1();
        if (option.isboolean()) {
            setting[0] = option.toboolean();
        } else if (!option.isnil()) {
            String word = option.checkjstring();
            if (!word.equals("on") && !word.equals("off")) {
                throw new org.luaj.vm2.LuaError("bad argument #1 to '?' (invalid option '" + word + "')");
            }
            setting[0] = word.equals("on");
        }
        return LuaValue.valueOf(setting[0]);
    }

    private static void encode(LuaValue value, ByteArrayOutputStream out, int depth) {
        switch (value.type()) {
            case LuaValue.TNIL -> out.writeBytes("null".getBytes());
            case LuaValue.TBOOLEAN -> out.writeBytes((value.toboolean() ? "true" : "false").getBytes());
            case LuaValue.TNUMBER -> {
                double d = value.todouble();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw ScriptError.positioned("Cannot serialise number: must not be NaN or Inf");
                }
                out.writeBytes(LuaSandbox.format14g(d).getBytes());
            }
            case LuaValue.TSTRING -> string(LuaConversion.bytes(value.checkstring()), out);
            case LuaValue.TTABLE -> table((LuaTable) value, out, depth + 1);
            case LuaValue.TUSERDATA -> {
                if (value == NULL) {
                    out.writeBytes("null".getBytes());
                } else {
                    throw ScriptError.positioned("Cannot serialise userdata: type not supported");
                }
            }
            default -> throw ScriptError.positioned("Cannot serialise " + value.typename() + ": type not supported");
        }
    }

    private static void table(LuaTable table, ByteArrayOutputStream out, int depth) {
        if (depth > MAX_DEPTH) {
            throw ScriptError.positioned("Cannot serialise, excessive nesting (" + depth + ")");
        }
        int max = 0;
        int count = 0;
        boolean array = true;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            if ((key = next.arg1()).isnil()) {
                break;
            }
            count++;
            if (key.type() == LuaValue.TNUMBER && key.todouble() >= 1 && key.todouble() == Math.floor(key.todouble())) {
                max = Math.max(max, (int) key.todouble());
            } else {
                array = false;
            }
        }
        if (array && max > 0 && max > count * 2 && max > 10) {
            throw ScriptError.positioned("Cannot serialise table: excessively sparse array");
        }
        if (array && count > 0) {
            out.write('[');
            for (int i = 1; i <= max; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(table.rawget(i), out, depth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        java.util.List<LuaValue[]> entries = new java.util.ArrayList<>();
        key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            if ((key = next.arg1()).isnil()) {
                break;
            }
            entries.add(new LuaValue[]{key, next.arg(2)});
        }
        for (LuaValue[] entry : Lua51TableOrder.order(entries)) { // Lua 5.1's lua_next order, as Redis's cjson
            key = entry[0];
            if (!first) {
                out.write(',');
            }
            first = false;
            if (key.type() == LuaValue.TSTRING) {
                string(LuaConversion.bytes(key.checkstring()), out);
            } else if (key.type() == LuaValue.TNUMBER) {
                string(LuaSandbox.format14g(key.todouble()).getBytes(), out);
            } else {
                throw ScriptError.positioned("Cannot serialise " + key.typename() + ": table key must be a number or string");
            }
            out.write(':');
            encode(entry[1], out, depth);
        }
        out.write('}');
    }

    private static void string(byte[] bytes, ByteArrayOutputStream out) {
        out.write('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> out.writeBytes("\\\"".getBytes());
                case '\\' -> out.writeBytes("\\\\".getBytes());
                case '/' -> out.writeBytes("\\/".getBytes());
                case '\b' -> out.writeBytes("\\b".getBytes());
                case '\f' -> out.writeBytes("\\f".getBytes());
                case '\n' -> out.writeBytes("\\n".getBytes());
                case '\r' -> out.writeBytes("\\r".getBytes());
                case '\t' -> out.writeBytes("\\t".getBytes());
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.writeBytes(String.format("\\u%04x", c).getBytes());
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    /** A recursive-descent JSON reader producing Lua values. */
    private static final class Decoder {
        final byte[] bytes;
        int at;

        Decoder(byte[] bytes) {
            this.bytes = bytes;
        }

        void skipSpace() {
            while (at < bytes.length && (bytes[at] == ' ' || bytes[at] == '\t' || bytes[at] == '\n' || bytes[at] == '\r')) {
                at++;
            }
        }

        ScriptError error(String expected) {
            String found = at >= bytes.length ? "the end" : "'" + (char) bytes[at] + "'";
            return ScriptError.positioned("Expected " + expected + " but found " + found + " at character " + (at + 1));
        }

        LuaValue value(int depth) {
            if (depth > MAX_DEPTH) {
                throw ScriptError.positioned("Found too many nested data structures (" + depth + ") at character " + (at + 1));
            }
            skipSpace();
            if (at >= bytes.length) {
                throw error("value");
            }
            byte c = bytes[at];
            if (c == '{') {
                at++;
                LuaTable table = new LuaTable();
                skipSpace();
                if (at < bytes.length && bytes[at] == '}') {
                    at++;
                    return table;
                }
                while (true) {
                    skipSpace();
                    if (at >= bytes.length || bytes[at] != '"') {
                        throw error("object key string");
                    }
                    LuaValue key = text();
                    skipSpace();
                    if (at >= bytes.length || bytes[at] != ':') {
                        throw error("colon");
                    }
                    at++;
                    table.rawset(key, value(depth + 1));
                    skipSpace();
                    if (at < bytes.length && bytes[at] == ',') {
                        at++;
                    } else if (at < bytes.length && bytes[at] == '}') {
                        at++;
                        return table;
                    } else {
                        throw error("comma or object end");
                    }
                }
            }
            if (c == '[') {
                at++;
                LuaTable table = new LuaTable();
                skipSpace();
                if (at < bytes.length && bytes[at] == ']') {
                    at++;
                    return table;
                }
                int i = 1;
                while (true) {
                    table.rawset(i++, value(depth + 1));
                    skipSpace();
                    if (at < bytes.length && bytes[at] == ',') {
                        at++;
                    } else if (at < bytes.length && bytes[at] == ']') {
                        at++;
                        return table;
                    } else {
                        throw error("comma or array end");
                    }
                }
            }
            if (c == '"') {
                return text();
            }
            if (matches("true")) {
                return LuaValue.TRUE;
            }
            if (matches("false")) {
                return LuaValue.FALSE;
            }
            if (matches("null")) {
                return NULL;
            }
            int start = at;
            while (at < bytes.length && "+-0123456789.eE".indexOf(bytes[at]) >= 0) {
                at++;
            }
            try {
                return LuaValue.valueOf(Double.parseDouble(new String(bytes, start, at - start)));
            } catch (NumberFormatException e) {
                at = start;
                throw error("value");
            }
        }

        private boolean matches(String word) {
            if (at + word.length() <= bytes.length && new String(bytes, at, word.length()).equals(word)) {
                at += word.length();
                return true;
            }
            return false;
        }

        private LuaValue text() {
            at++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (at >= bytes.length) {
                    throw error("string end");
                }
                byte c = bytes[at++];
                if (c == '"') {
                    return LuaString.valueUsing(out.toByteArray());
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (at >= bytes.length) {
                    throw error("escape");
                }
                byte e = bytes[at++];
                switch (e) {
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        int code = Integer.parseInt(new String(bytes, at, Math.min(4, bytes.length - at)), 16);
                        at += 4;
                        out.writeBytes(new String(Character.toChars(code)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    default -> out.write(e);
                }
            }
        }
    }
}
