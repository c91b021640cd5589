// lua-cjson 2.1.0 ("cjson"), the JSON library Redis ships: encode, decode and the seven settings, as its C does them.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * lua-cjson as Redis 7.0.15 bundles it ({@code deps/lua/src/lua_cjson.c}). Encoding: numbers as
 * {@code %.14g}; a table whose keys are all integers from 1 is an array unless it is "excessively sparse"; any other
 * table an object whose keys must be strings or numbers; {@code /} is escaped; {@code cjson.null} is JSON's null.
 * Decoding is lua-cjson's tokenizer: its token names ({@code T_END}, {@code T_NUMBER}) appear in the errors, a NUL
 * byte ends the text, and numbers are read by C's {@code strtod}, so {@code 0x10}, {@code Infinity} and {@code nan}
 * are numbers unless {@code decode_invalid_numbers} is off.
 *
 * <p>The settings ({@link Settings}) belong to the interpreter state, as lua-cjson's configuration belongs to its
 * Lua state: a script's {@code cjson.encode_max_depth(5)} holds for the scripts after it until SCRIPT FLUSH makes
 * a new one, and never for the functions, which have a state (and settings) of their own. Nesting is limited twice, as in C: by {@code encode_max_depth}/{@code decode_max_depth}, and by the
 * Lua stack the C code checks at every level ({@code lua_checkstack} against Lua 5.1's 8000 slots): an array
 * takes one slot a level, an object two (key and value), so even unlimited depth stops near 8000 or 4000 levels.
 */
final class Cjson {

    static final LuaValue NULL = new LuaUserdata(new Object());
    /**
     * JSON's {@code -0} decoded: a number that Lua 5.1 keeps, and encodes back, as {@code -0}. LuaJ's valueOf makes
     * every whole double an integer, losing the sign, so this one double is made through LuaDouble's constructor.
     */
    private static final LuaValue NEGATIVE_ZERO = negativeZero();
    /** Lua 5.1's LUAI_MAXCSTACK: lua_checkstack refuses to grow a C function's stack past it. */
    private static final int MAX_C_STACK = 8000;
    private static final String[] ON_OFF = {"off", "on"};
    private static final String[] INVALID_NUMBERS = {"off", "on", "null"};

    /** lua-cjson's json_config_t, with its defaults (DEFAULT_SPARSE_CONVERT and the others). */
    static final class Settings {
        int sparseConvert;
        int sparseRatio;
        int sparseSafe;
        int encodeMaxDepth;
        int decodeMaxDepth;
        /** 0: an error; 1: written as {@code inf}, {@code -inf}, {@code nan}; 2: written as {@code null}. */
        int encodeInvalidNumbers;
        int decodeInvalidNumbers;
        int encodeKeepBuffer;
        int encodeNumberPrecision;

        Settings() {
            reset();
        }

        /** A new Lua state's configuration: SCRIPT FLUSH. */
        void reset() {
            sparseConvert = 0;
            sparseRatio = 2;
            sparseSafe = 10;
            encodeMaxDepth = 1000;
            decodeMaxDepth = 1000;
            encodeInvalidNumbers = 0;
            decodeInvalidNumbers = 1;
            encodeKeepBuffer = 1;
            encodeNumberPrecision = 14;
        }
    }

    private Cjson() {
    }

    private static LuaValue negativeZero() {
        try {
            java.lang.reflect.Constructor<org.luaj.vm2.LuaDouble> constructor =
                    org.luaj.vm2.LuaDouble.class.getDeclaredConstructor(double.class);
            constructor.setAccessible(true);
            return constructor.newInstance(-0.0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return LuaValue.valueOf(0);
        }
    }

    static LuaTable library(Settings cfg) {
        LuaTable cjson = new LuaTable();
        cjson.rawset("encode", LuaSandbox.function(args -> encode(cfg, args)));
        cjson.rawset("decode", LuaSandbox.function(args -> decode(cfg, args)));
        cjson.rawset("encode_sparse_array", LuaSandbox.function(args -> {
            checkCount(args, 3);
            LuaValue convert = enumOption(args, 1, cfg.sparseConvert, null, v -> cfg.sparseConvert = v);
            LuaValue ratio = integerOption(args, 2, cfg.sparseRatio, 0, Integer.MAX_VALUE, v -> cfg.sparseRatio = v);
            LuaValue safe = integerOption(args, 3, cfg.sparseSafe, 0, Integer.MAX_VALUE, v -> cfg.sparseSafe = v);
            return LuaValue.varargsOf(convert, ratio, safe);
        }));
        cjson.rawset("encode_max_depth", integerSetting(1, Integer.MAX_VALUE, () -> cfg.encodeMaxDepth,
                v -> cfg.encodeMaxDepth = v));
        cjson.rawset("decode_max_depth", integerSetting(1, Integer.MAX_VALUE, () -> cfg.decodeMaxDepth,
                v -> cfg.decodeMaxDepth = v));
        cjson.rawset("encode_number_precision", integerSetting(1, 14, () -> cfg.encodeNumberPrecision,
                v -> cfg.encodeNumberPrecision = v));
        cjson.rawset("encode_keep_buffer", enumSetting(null, () -> cfg.encodeKeepBuffer, v -> cfg.encodeKeepBuffer = v));
        cjson.rawset("encode_invalid_numbers", enumSetting(INVALID_NUMBERS, () -> cfg.encodeInvalidNumbers,
                v -> cfg.encodeInvalidNumbers = v));
        cjson.rawset("decode_invalid_numbers", enumSetting(null, () -> cfg.decodeInvalidNumbers,
                v -> cfg.decodeInvalidNumbers = v));
        cjson.rawset("new", LuaSandbox.function(args -> library(new Settings())));
        cjson.rawset("null", NULL);
        cjson.rawset("_NAME", LuaValue.valueOf("cjson"));
        cjson.rawset("_VERSION", LuaValue.valueOf("2.1.0"));
        return cjson;
    }

    // tag::settings[]
    /**
     * A setting's function: with no argument (or nil) it answers the value, with one it sets it first. The checks
     * are json_arg_init's and json_integer_option's: more arguments than the setting takes, a value that is not a
     * number, and one out of range (named argument #1 whichever it was, as the C does) are argument errors.
     */
    private static LuaValue integerSetting(int min, int max, java.util.function.IntSupplier get,
                                           java.util.function.IntConsumer set) {
        return LuaSandbox.function(args -> {
            checkCount(args, 1);
            return integerOption(args, 1, get.getAsInt(), min, max, set);
        });
    }

    private static LuaValue integerOption(Varargs args, int index, int current, int min, int max,
                                          java.util.function.IntConsumer set) {
        LuaValue option = args.arg(index);
        if (option.isnil()) {
            return LuaValue.valueOf(current);
        }
        LuaValue number = option.tonumber();
        if (number.isnil()) {
            throw argument(index, "number expected, got " + option.typename());
        }
        int value = (int) cLong(number.todouble()); // luaL_checkinteger, then C's int
        if (value < min || value > max) {
            throw argument(1, "expected integer between " + min + " and " + max);
        }
        set.accept(value);
        return LuaValue.valueOf(value);
    }
    // end::settings[]

    private static LuaValue enumSetting(String[] options, java.util.function.IntSupplier get,
                                        java.util.function.IntConsumer set) {
        return LuaSandbox.function(args -> {
            checkCount(args, 1);
            return enumOption(args, 1, get.getAsInt(), options, set);
        });
    }

    /** json_enum_option: a boolean, or one of the option names; answered as a boolean for off and on. */
    private static LuaValue enumOption(Varargs args, int index, int current, String[] options,
                                       java.util.function.IntConsumer set) {
        String[] names = options == null ? ON_OFF : options;
        int value = current;
        LuaValue option = args.arg(index);
        if (!option.isnil()) {
            if (option.isboolean()) {
                value = option.toboolean() ? 1 : 0;
            } else {
                if (!option.isstring()) {
                    throw argument(index, "string expected, got " + option.typename());
                }
                String word = option.tojstring();
                value = -1;
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(word)) {
                        value = i;
                    }
                }
                if (value < 0) {
                    throw argument(index, "invalid option '" + word + "'");
                }
            }
            set.accept(value);
        }
        return value <= 1 ? LuaValue.valueOf(value == 1) : LuaValue.valueOf(names[value]);
    }

    private static void checkCount(Varargs args, int most) {
        if (args.narg() > most) {
            throw argument(most + 1, "found too many arguments");
        }
    }

    /** luaL_argerror, in LuaJ's wording: the function's name is added from the calling instruction. */
    private static LuaError argument(int index, String message) {
        return new LuaError("bad argument #" + index + ": " + message);
    }

    /** C's conversion of a double to a 64-bit integer on x86: NaN and values out of range become INT64_MIN. */
    private static long cLong(double d) {
        return Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63 ? Long.MIN_VALUE : (long) d;
    }

    /** The same to a 32-bit int (lua-cjson's {@code max = k}). */
    private static int cInt(double d) {
        return Double.isNaN(d) || d >= 0x1p31 || d < -0x1p31 ? Integer.MIN_VALUE : (int) d;
    }

    // ===== encoding =====

    private static LuaValue encode(Settings cfg, Varargs args) {
        if (args.narg() != 1) {
            throw argument(1, "expected 1 argument");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Encoder(cfg, out).value(args.arg1(), 0, 1);
        return LuaString.valueUsing(out.toByteArray());
    }

    /**
     * json_append_data, walked with a stack of open tables instead of Java's own: lua-cjson nests as deep as the
     * Lua stack allows (about 8000 arrays), deeper than a thread's stack takes recursive Java calls.
     */
    private record Encoder(Settings cfg, ByteArrayOutputStream out, java.util.ArrayDeque<Open> open) {

        Encoder(Settings cfg, ByteArrayOutputStream out) {
            this(cfg, out, new java.util.ArrayDeque<>());
        }

        /** A table being written: an array up to {@code length}, or an object's entries; its depth and stack. */
        private static final class Open {
            final LuaTable table;
            final int length;
            final List<LuaValue[]> entries;
            final int depth;
            final int stack;
            int next;

            Open(LuaTable table, int length, List<LuaValue[]> entries, int depth, int stack) {
                this.table = table;
                this.length = length;
                this.entries = entries;
                this.depth = depth;
                this.stack = stack;
            }
        }

        /** {@code stack}: the slots the C code would be using on the Lua stack at this point. */
        void value(LuaValue root, int depth, int stack) {
            append(root, depth, stack);
            while (!open.isEmpty()) {
                Open table = open.peek();
                if (table.entries == null) {
                    if (table.next >= table.length) {
                        out.write(']');
                        open.pop();
                        continue;
                    }
                    if (table.next++ > 0) {
                        out.write(',');
                    }
                    append(table.table.rawget(table.next), table.depth, table.stack + 1);
                    continue;
                }
                if (table.next >= table.entries.size()) {
                    out.write('}');
                    open.pop();
                    continue;
                }
                if (table.next > 0) {
                    out.write(',');
                }
                LuaValue[] entry = table.entries.get(table.next++);
                LuaValue key = entry[0];
                if (key.type() == LuaValue.TNUMBER) {
                    out.write('"');
                    number(key);
                    ascii("\":");
                } else if (key.type() == LuaValue.TSTRING) {
                    string(LuaConversion.bytes(key.checkstring()));
                    out.write(':');
                } else {
                    throw cannot(key, "table key must be a number or string");
                }
                append(entry[1], table.depth, table.stack + 2);
            }
        }

        private void append(LuaValue value, int depth, int stack) {
            switch (value.type()) {
                case LuaValue.TSTRING -> string(LuaConversion.bytes(value.checkstring()));
                case LuaValue.TNUMBER -> number(value);
                case LuaValue.TBOOLEAN -> ascii(value.toboolean() ? "true" : "false");
                case LuaValue.TTABLE -> table((LuaTable) value, depth + 1, stack);
                case LuaValue.TNIL -> ascii("null");
                default -> {
                    if (value != NULL) {
                        throw cannot(value, "type not supported");
                    }
                    ascii("null");
                }
            }
        }

        private void table(LuaTable table, int depth, int stack) {
            if (depth > cfg.encodeMaxDepth || stack + 3 > MAX_C_STACK) {
                throw ScriptError.positioned("Cannot serialise, excessive nesting (" + depth + ")");
            }
            int length = arrayLength(table);
            if (length > 0) {
                out.write('[');
                open.push(new Open(table, length, null, depth, stack));
            } else {
                out.write('{');
                open.push(new Open(table, 0, Lua51TableOrder.entries(table), depth, stack));
            }
        }

        /**
         * lua_array_length: the largest key if every key is an integer from 1 (the C keeps it in an int, so a key
         * past 2^31 makes it negative and the table an object), -1 for an object; a sparse array is an error or,
         * with encode_sparse_array's convert, an object.
         */
        private int arrayLength(LuaTable table) {
            int max = 0;
            int items = 0;
            List<LuaValue[]> all = null;
            LuaValue key = LuaValue.NIL;
            while (true) {
                Varargs next = table.next(key);
                if ((key = next.arg1()).isnil()) {
                    break;
                }
                if (key.type() != LuaValue.TNUMBER) {
                    return -1;
                }
                double k = key.todouble();
                if (k == 0 || Math.floor(k) != k || k < 1) {
                    return -1;
                }
                if (k >= 0x1p31) {
                    all = Lua51TableOrder.entries(table); // the int the C keeps then depends on the order of lua_next
                }
                if (k > max) {
                    max = cInt(k);
                }
                items++;
            }
            if (all != null) {
                max = 0;
                for (LuaValue[] entry : all) {
                    if (entry[0].todouble() > max) {
                        max = cInt(entry[0].todouble());
                    }
                }
            }
            if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
                if (cfg.sparseConvert == 0) {
                    throw cannot(table, "excessively sparse array");
                }
                return -1;
            }
            return max;
        }


        private void number(LuaValue value) {
            double d = value.todouble();
            if (cfg.encodeInvalidNumbers == 0) {
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw cannot(value, "must not be NaN or Inf");
                }
            } else if (cfg.encodeInvalidNumbers == 1) {
                if (Double.isNaN(d)) {
                    ascii("nan"); // never -nan, whatever the platform prints
                    return;
                }
            } else if (Double.isNaN(d) || Double.isInfinite(d)) {
                ascii("null");
                return;
            }
            ascii(LuaSandbox.formatG(d, cfg.encodeNumberPrecision));
        }

        private void string(byte[] bytes) {
            out.write('"');
            for (byte b : bytes) {
                int c = b & 0xff;
                switch (c) {
                    case '"' -> ascii("\\\"");
                    case '\\' -> ascii("\\\\");
                    case '/' -> ascii("\\/");
                    case '\b' -> ascii("\\b");
                    case '\f' -> ascii("\\f");
                    case '\n' -> ascii("\\n");
                    case '\r' -> ascii("\\r");
                    case '\t' -> ascii("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            ascii(String.format("\\u%04x", c));
                        } else {
                            out.write(c);
                        }
                    }
                }
            }
            out.write('"');
        }

        private void ascii(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        private static ScriptError cannot(LuaValue value, String reason) {
            return ScriptError.positioned("Cannot serialise " + value.typename() + ": " + reason);
        }
    }

    // ===== decoding =====

    private static LuaValue decode(Settings cfg, Varargs args) {
        if (args.narg() != 1) {
            throw argument(1, "expected 1 argument");
        }
        LuaValue text = args.arg1();
        if (!text.isstring()) {
            throw argument(1, "string expected, got " + text.typename());
        }
        byte[] bytes = LuaConversion.bytes(text.checkstring());
        if (bytes.length >= 2 && (bytes[0] == 0 || bytes[1] == 0)) {
            throw ScriptError.positioned("JSON parser does not support UTF-16 or UTF-32");
        }
        Decoder decoder = new Decoder(cfg, bytes);
        Token token = decoder.next();
        LuaValue value = decoder.value(token);
        token = decoder.next();
        if (token.type != Type.T_END) {
            throw decoder.expected("the end", token);
        }
        return value;
    }

    private enum Type { T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL,
        T_COLON, T_COMMA, T_END, T_ERROR }

    /** A token: its type, where it starts (0-based), and its value; for T_ERROR the error's words. */
    private record Token(Type type, int index, LuaValue value, String error) {
    }

    /**
     * json_next_token and the parse contexts. The text is read as C reads a string: a NUL byte, or the end, is
     * T_END. {@code stack} counts the Lua stack slots the C parser would hold, for its lua_checkstack limit.
     */
    private static final class Decoder {
        private final Settings cfg;
        private final byte[] data;
        private int ptr;
        private int depth;
        private int stack = 1;

        Decoder(Settings cfg, byte[] data) {
            this.cfg = cfg;
            this.data = data;
        }

        private int at(int i) {
            return i < data.length ? data[i] & 0xff : 0;
        }

        ScriptError expected(String what, Token token) {
            String found = token.type == Type.T_ERROR ? token.error : token.type.name();
            return ScriptError.positioned("Expected " + what + " but found " + found + " at character "
                    + (token.index + 1));
        }

        private Token error(String what) {
            return new Token(Type.T_ERROR, ptr, null, what);
        }

        Token next() {
            int ch;
            while ((ch = at(ptr)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                ptr++;
            }
            int start = ptr;
            Type single = switch (ch) {
                case '{' -> Type.T_OBJ_BEGIN;
                case '}' -> Type.T_OBJ_END;
                case '[' -> Type.T_ARR_BEGIN;
                case ']' -> Type.T_ARR_END;
                case ',' -> Type.T_COMMA;
                case ':' -> Type.T_COLON;
                default -> null;
            };
            if (ch == 0) {
                return new Token(Type.T_END, start, null, null);
            }
            if (single != null) {
                ptr++;
                return new Token(single, start, null, null);
            }
            if (ch == '"') {
                return string(start);
            }
            if (ch == '-' || (ch >= '0' && ch <= '9')) {
                if (cfg.decodeInvalidNumbers == 0 && invalidNumber()) {
                    return error("invalid number");
                }
                return number(start);
            }
            if ("fiInNt+".indexOf(ch) < 0) {
                return error("invalid token");
            }
            if (startsWith("true")) {
                ptr += 4;
                return new Token(Type.T_BOOLEAN, start, LuaValue.TRUE, null);
            }
            if (startsWith("false")) {
                ptr += 5;
                return new Token(Type.T_BOOLEAN, start, LuaValue.FALSE, null);
            }
            if (startsWith("null")) {
                ptr += 4;
                return new Token(Type.T_NULL, start, NULL, null);
            }
            if (cfg.decodeInvalidNumbers != 0 && invalidNumber()) {
                return number(start);
            }
            return error("invalid token");
        }

        private boolean startsWith(String word) {
            for (int i = 0; i < word.length(); i++) {
                if (at(ptr + i) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean startsWithIgnoringCase(int p, String word) {
            for (int i = 0; i < word.length(); i++) {
                if (Character.toLowerCase(at(p + i)) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** json_is_invalid_number: what strtod reads but JSON does not allow (+1, 0x10, 012, inf, nan). */
        private boolean invalidNumber() {
            int p = ptr;
            if (at(p) == '+') {
                return true;
            }
            if (at(p) == '-') {
                p++;
            }
            if (at(p) == '0') {
                int ch2 = at(p + 1);
                return (ch2 | 0x20) == 'x' || (ch2 >= '0' && ch2 <= '9');
            }
            if (at(p) <= '9') {
                return false;
            }
            return startsWithIgnoringCase(p, "inf") || startsWithIgnoringCase(p, "nan");
        }

        private Token number(int start) {
            int end = Strtod.end(data, ptr);
            if (end == ptr) {
                return error("invalid number");
            }
            double value = Strtod.value(data, ptr, end);
            ptr = end;
            boolean negativeZero = value == 0 && 1 / value < 0;
            return new Token(Type.T_NUMBER, start, negativeZero ? NEGATIVE_ZERO : LuaValue.valueOf(value), null);
        }

        private Token string(int start) {
            ptr++;
            ByteArrayOutputStream tmp = new ByteArrayOutputStream();
            int ch;
            while ((ch = at(ptr)) != '"') {
                if (ch == 0) {
                    return error("unexpected end of string");
                }
                if (ch == '\\') {
                    int escaped = at(ptr + 1);
                    if (escaped == 'u') {
                        if (!unicodeEscape(tmp)) {
                            return error("invalid unicode escape code");
                        }
                        continue;
                    }
                    ch = switch (escaped) {
                        case '"', '\\', '/' -> escaped;
                        case 'b' -> '\b';
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'f' -> '\f';
                        case 'r' -> '\r';
                        default -> 0;
                    };
                    if (ch == 0) {
                        return error("invalid escape code");
                    }
                    ptr++;
                }
                tmp.write(ch);
                ptr++;
            }
            ptr++;
            return new Token(Type.T_STRING, start, LuaString.valueUsing(tmp.toByteArray()), null);
        }

        private int hex4(int p) {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(at(p + i), 16);
                if (digit < 0) {
                    return -1;
                }
                value = (value << 4) + digit;
            }
            return value;
        }

        /** json_append_unicode_escape: {@code \}{@code uXXXX}, or a surrogate pair, appended as UTF-8. */
        private boolean unicodeEscape(ByteArrayOutputStream tmp) {
            int codepoint = hex4(ptr + 2);
            int length = 6;
            if (codepoint < 0) {
                return false;
            }
            if ((codepoint & 0xF800) == 0xD800) {
                if ((codepoint & 0x400) != 0 || at(ptr + 6) != '\\' || at(ptr + 7) != 'u') {
                    return false;
                }
                int low = hex4(ptr + 8);
                if (low < 0 || (low & 0xFC00) != 0xDC00) {
                    return false;
                }
                codepoint = (((codepoint & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                length = 12;
            }
            if (codepoint <= 0x7F) {
                tmp.write(codepoint);
            } else if (codepoint <= 0x7FF) {
                tmp.write((codepoint >> 6) | 0xC0);
                tmp.write((codepoint & 0x3F) | 0x80);
            } else if (codepoint <= 0xFFFF) {
                tmp.write((codepoint >> 12) | 0xE0);
                tmp.write(((codepoint >> 6) & 0x3F) | 0x80);
                tmp.write((codepoint & 0x3F) | 0x80);
            } else {
                tmp.write((codepoint >> 18) | 0xF0);
                tmp.write(((codepoint >> 12) & 0x3F) | 0x80);
                tmp.write(((codepoint >> 6) & 0x3F) | 0x80);
                tmp.write((codepoint & 0x3F) | 0x80);
            }
            ptr += length;
            return true;
        }

        /** A table being read: an object (with the key of the value being read) or an array. */
        private static final class Open {
            final LuaTable table = new LuaTable();
            final boolean object;
            LuaValue key;
            int index = 1;

            Open(boolean object) {
                this.object = object;
            }
        }

        /**
         * json_process_value and the object and array contexts, with a stack of open tables instead of recursion
         * (lua-cjson reads as deep as the Lua stack allows, about 8000 arrays). {@code token} is the value's first.
         */
        LuaValue value(Token token) {
            java.util.ArrayDeque<Open> open = new java.util.ArrayDeque<>();
            LuaValue value = begin(token, open);
            while (true) {
                Open table = open.peek();
                if (value == null) { // a table was opened: its first token
                    token = next();
                    if (token.type == (table.object ? Type.T_OBJ_END : Type.T_ARR_END)) {
                        value = close(open);
                        continue;
                    }
                } else {
                    if (table == null) {
                        return value;
                    }
                    if (table.object) {
                        table.table.rawset(table.key, value);
                        stack--; // the key
                    } else {
                        table.table.rawset(table.index++, value);
                    }
                    token = next();
                    if (token.type == (table.object ? Type.T_OBJ_END : Type.T_ARR_END)) {
                        value = close(open);
                        continue;
                    }
                    if (token.type != Type.T_COMMA) {
                        throw expected(table.object ? "comma or object end" : "comma or array end", token);
                    }
                    token = next();
                }
                if (table.object) {
                    token = key(table, token);
                }
                value = begin(token, open);
            }
        }

        /** A value's first token: the value, or null after opening a table. */
        private LuaValue begin(Token token, java.util.ArrayDeque<Open> open) {
            switch (token.type) {
                case T_STRING, T_NUMBER, T_BOOLEAN, T_NULL -> {
                    return token.value;
                }
                case T_OBJ_BEGIN -> descend(3); // table, key, value
                case T_ARR_BEGIN -> descend(2); // table, value
                default -> throw expected("value", token);
            }
            stack++;
            open.push(new Open(token.type == Type.T_OBJ_BEGIN));
            return null;
        }

        /** An object's key and colon; answers the value's first token. */
        private Token key(Open table, Token token) {
            if (token.type != Type.T_STRING) {
                throw expected("object key string", token);
            }
            table.key = token.value;
            stack++;
            token = next();
            if (token.type != Type.T_COLON) {
                throw expected("colon", token);
            }
            return next();
        }

        private LuaValue close(java.util.ArrayDeque<Open> open) {
            stack--;
            depth--;
            return open.pop().table;
        }

        private void descend(int slots) {
            depth++;
            if (depth > cfg.decodeMaxDepth || stack + slots > MAX_C_STACK) {
                throw ScriptError.positioned("Found too many nested data structures (" + depth + ") at character "
                        + ptr);
            }
        }
    }

    /**
     * What C's {@code strtod} (glibc, C locale) reads of a number: a sign, then {@code inf}/{@code infinity},
     * {@code nan} with an optional {@code (chars)}, a hexadecimal {@code 0x} mantissa with an optional binary
     * exponent, or decimal digits with an optional point and exponent.
     */
    static final class Strtod {

        private Strtod() {
        }

        private static int at(byte[] s, int i) {
            return i < s.length ? s[i] & 0xff : 0;
        }

        private static boolean word(byte[] s, int p, String word) {
            for (int i = 0; i < word.length(); i++) {
                if (Character.toLowerCase(at(s, p + i)) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean hex(int c) {
            return Character.digit(c, 16) >= 0 && c < 128;
        }

        private static boolean digit(int c) {
            return c >= '0' && c <= '9';
        }

        /** The index after the number that starts at {@code from}; {@code from} itself when there is none. */
        static int end(byte[] s, int from) {
            int p = from;
            if (at(s, p) == '+' || at(s, p) == '-') {
                p++;
            }
            if (word(s, p, "infinity")) {
                return p + 8;
            }
            if (word(s, p, "inf")) {
                return p + 3;
            }
            if (word(s, p, "nan")) {
                p += 3;
                if (at(s, p) == '(') {
                    int q = p + 1;
                    while (Character.isLetterOrDigit(at(s, q)) && at(s, q) < 128 || at(s, q) == '_') {
                        q++;
                    }
                    if (at(s, q) == ')') {
                        return q + 1;
                    }
                }
                return p;
            }
            if (at(s, p) == '0' && (at(s, p + 1) | 0x20) == 'x'
                    && (hex(at(s, p + 2)) || at(s, p + 2) == '.' && hex(at(s, p + 3)))) {
                return exponent(s, fraction(s, p + 2, true), 'p');
            }
            int q = fraction(s, p, false);
            if (q == p || q == p + 1 && at(s, p) == '.') {
                return from;
            }
            return exponent(s, q, 'e');
        }

        private static int fraction(byte[] s, int p, boolean hexadecimal) {
            while (hexadecimal ? hex(at(s, p)) : digit(at(s, p))) {
                p++;
            }
            if (at(s, p) == '.') {
                p++;
                while (hexadecimal ? hex(at(s, p)) : digit(at(s, p))) {
                    p++;
                }
            }
            return p;
        }

        private static int exponent(byte[] s, int p, char letter) {
            if ((at(s, p) | 0x20) != letter) {
                return p;
            }
            int q = p + 1;
            if (at(s, q) == '+' || at(s, q) == '-') {
                q++;
            }
            if (!digit(at(s, q))) {
                return p;
            }
            while (digit(at(s, q))) {
                q++;
            }
            return q;
        }

        /** The value of the number between {@code from} and {@code end} (as found by {@link #end}). */
        static double value(byte[] s, int from, int end) {
            String text = new String(s, from, end - from, StandardCharsets.ISO_8859_1).toLowerCase();
            boolean negative = text.startsWith("-");
            String unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
            double magnitude;
            if (unsigned.startsWith("inf")) {
                magnitude = Double.POSITIVE_INFINITY;
            } else if (unsigned.startsWith("nan")) {
                magnitude = Double.NaN;
            } else if (unsigned.startsWith("0x")) {
                magnitude = Double.parseDouble(unsigned.contains("p") ? unsigned : unsigned + "p0");
            } else {
                magnitude = Double.parseDouble(unsigned);
            }
            return negative ? -magnitude : magnitude;
        }
    }
}
