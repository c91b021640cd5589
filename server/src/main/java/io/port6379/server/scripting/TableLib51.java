// Lua 5.1's table library (ltablib.c), which redis-server 7.0.15's scripts call: its functions, checks and texts.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.util.function.Function;

/**
 * LuaJ's table library is Lua 5.2's: it has {@code pack} and {@code unpack} but not {@code foreach},
 * {@code foreachi}, {@code maxn} or {@code setn}; its {@code insert} and {@code concat} check their arguments
 * otherwise ({@code wrong number of arguments to 'insert'}, {@code invalid value (table) at index 1 in table for
 * 'concat'}) and its {@code sort} is another algorithm, so an inconsistent comparison orders differently (or
 * is not refused with {@code invalid order function for sorting}). This is {@code ltablib.c} of Lua 5.1 line
 * for line: the same reads and writes in the same order, so a script sees the same table afterwards.
 *
 * <p>Argument errors are raised as LuaJ raises them ({@code bad argument #1: table expected, got nil}) and
 * completed with the function's name by {@link LuaErrorText}; {@code luaL_error}'s texts get the caller's line.
 */
final class TableLib51 {

    private TableLib51() {
    }

    static LuaTable library() {
        LuaTable table = new LuaTable();
        table.rawset("concat", function(TableLib51::concat));
        table.rawset("foreach", function(TableLib51::foreach));
        table.rawset("foreachi", function(TableLib51::foreachi));
        table.rawset("getn", function(args -> LuaValue.valueOf(checkTable(args, 1).rawlen())));
        table.rawset("insert", function(TableLib51::insert));
        table.rawset("maxn", function(TableLib51::maxn));
        table.rawset("remove", function(TableLib51::remove));
        table.rawset("setn", function(args -> {
            checkTable(args, 1);
            throw ScriptError.positioned("'setn' is obsolete");
        }));
        table.rawset("sort", function(TableLib51::sort));
        return table;
    }

    private static LuaValue function(Function<Varargs, Varargs> body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }

    private static LuaError argumentError(int position, String expected, LuaValue got) {
        return new LuaError("bad argument #" + position + ": " + expected + " expected, got " + got.typename());
    }

    private static LuaTable checkTable(Varargs args, int position) {
        LuaValue value = args.arg(position);
        if (!value.istable()) {
            throw argumentError(position, "table", value);
        }
        return (LuaTable) value;
    }

    private static void checkFunction(Varargs args, int position) {
        if (!args.arg(position).isfunction()) {
            throw argumentError(position, "function", args.arg(position));
        }
    }

    /** {@code luaL_checkint}: a number, or a string that reads as one, cut to an integer. */
    private static int checkInt(Varargs args, int position) {
        LuaValue value = args.arg(position);
        LuaValue number = value.tonumber();
        if (number.isnil()) {
            throw argumentError(position, "number", value);
        }
        return (int) number.todouble();
    }

    private static int optInt(Varargs args, int position, int otherwise) {
        return args.arg(position).isnil() ? otherwise : checkInt(args, position);
    }

    private static Varargs foreachi(Varargs args) {
        LuaTable t = checkTable(args, 1);
        checkFunction(args, 2);
        int n = t.rawlen();
        for (int i = 1; i <= n; i++) {
            LuaValue result = args.arg(2).call(LuaValue.valueOf(i), t.rawget(i));
            if (!result.isnil()) {
                return result;
            }
        }
        return LuaValue.NONE;
    }

    private static Varargs foreach(Varargs args) {
        LuaTable t = checkTable(args, 1);
        checkFunction(args, 2);
        LuaValue key = LuaValue.NIL;
        for (;;) {
            Varargs entry = t.next(key);
            key = entry.arg1();
            if (key.isnil()) {
                return LuaValue.NONE;
            }
            LuaValue result = args.arg(2).call(key, entry.arg(2));
            if (!result.isnil()) {
                return result;
            }
        }
    }

    private static Varargs maxn(Varargs args) {
        LuaTable t = checkTable(args, 1);
        double max = 0;
        LuaValue key = LuaValue.NIL;
        for (;;) {
            key = t.next(key).arg1();
            if (key.isnil()) {
                return LuaValue.valueOf(max);
            }
            if (key.type() == LuaValue.TNUMBER && key.todouble() > max) {
                max = key.todouble();
            }
        }
    }

    // tag::insert[]
    /** {@code tinsert}: at the end, or at a position (any integer) after moving the elements above it up. */
    private static Varargs insert(Varargs args) {
        LuaTable t = checkTable(args, 1);
        int e = t.rawlen() + 1; // the first empty element
        int pos;
        switch (args.narg()) {
            case 2 -> pos = e;
            case 3 -> {
                pos = checkInt(args, 2);
                if (pos > e) {
                    e = pos; // the array grows to reach it
                }
                for (int i = e; i > pos; i--) {
                    t.rawset(i, t.rawget(i - 1));
                }
            }
            default -> throw ScriptError.positioned("wrong number of arguments to 'insert'");
        }
        t.rawset(pos, args.arg(args.narg()));
        return LuaValue.NONE;
    }
    // end::insert[]

    private static Varargs remove(Varargs args) {
        LuaTable t = checkTable(args, 1);
        int e = t.rawlen();
        int pos = optInt(args, 2, e);
        if (!(1 <= pos && pos <= e)) {
            return LuaValue.NONE;
        }
        LuaValue removed = t.rawget(pos);
        for (; pos < e; pos++) {
            t.rawset(pos, t.rawget(pos + 1));
        }
        t.rawset(e, LuaValue.NIL);
        return removed;
    }

    /** {@code tconcat}: the separator is checked first, then the table, then the range; numbers print as %.14g. */
    private static Varargs concat(Varargs args) {
        LuaValue separator = args.arg(2);
        byte[] sep;
        if (separator.isnil()) {
            sep = new byte[0];
        } else if (separator.isstring()) {
            sep = text(separator);
        } else {
            throw argumentError(2, "string", separator);
        }
        LuaTable t = checkTable(args, 1);
        int i = optInt(args, 3, 1);
        int last = args.arg(4).isnil() ? t.rawlen() : checkInt(args, 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (; i < last; i++) {
            field(t, i, out);
            ScriptMemory.reserve(out.size() + (long) sep.length);
            out.writeBytes(sep);
        }
        if (i == last) {
            field(t, i, out);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void field(LuaTable t, int i, ByteArrayOutputStream out) {
        LuaValue value = t.rawget(i);
        if (!value.isstring()) {
            throw ScriptError.positioned("invalid value (" + value.typename() + ") at index " + i
                    + " in table for 'concat'");
        }
        byte[] bytes = text(value);
        ScriptMemory.reserve(out.size() + (long) bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] text(LuaValue value) {
        if (value.type() == LuaValue.TNUMBER) {
            return LuaSandbox.format14g(value.todouble()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return LuaConversion.bytes(value.checkstring());
    }

    private static Varargs sort(Varargs args) {
        LuaTable t = checkTable(args, 1);
        int n = t.rawlen();
        LuaValue comparator = args.arg(2);
        if (!comparator.isnil()) {
            checkFunction(args, 2);
        }
        auxsort(t, comparator, 1, n);
        return LuaValue.NONE;
    }

    /** {@code sort_comp}: the script's function, or {@code lua_lessthan}. */
    private static boolean less(LuaValue comparator, LuaValue a, LuaValue b) {
        if (!comparator.isnil()) {
            return comparator.call(a, b).toboolean();
        }
        if (a.type() == LuaValue.TNUMBER && b.type() == LuaValue.TNUMBER
                || a.type() == LuaValue.TSTRING && b.type() == LuaValue.TSTRING) {
            return a.lt_b(b);
        }
        if (a.type() == b.type()) {
            LuaValue handler = a.getmetatable() == null ? LuaValue.NIL : a.getmetatable().rawget("__lt");
            LuaValue other = b.getmetatable() == null ? LuaValue.NIL : b.getmetatable().rawget("__lt");
            if (!handler.isnil() && handler.raweq(other)) {
                return handler.call(a, b).toboolean();
            }
        }
        String t1 = a.typename();
        String t2 = b.typename();
        // luaG_ordererror, raised while the sort (a C function) runs: no line in front
        throw ScriptError.raw(LuaValue.valueOf(t1.equals(t2) ? "attempt to compare two " + t1 + " values"
                : "attempt to compare " + t1 + " with " + t2));
    }

    /** {@code auxsort}: Lua 5.1's quicksort, median of three, the smaller half by recursion. */
    private static void auxsort(LuaTable t, LuaValue cmp, int l, int u) {
        while (l < u) {
            LuaValue al = t.rawget(l);
            LuaValue au = t.rawget(u);
            if (less(cmp, au, al)) { // a[u] < a[l]: swap
                t.rawset(l, au);
                t.rawset(u, al);
            }
            if (u - l == 1) {
                break;
            }
            int i = (l + u) / 2;
            LuaValue ai = t.rawget(i);
            al = t.rawget(l);
            if (less(cmp, ai, al)) {
                t.rawset(i, al);
                t.rawset(l, ai);
            } else {
                au = t.rawget(u);
                if (less(cmp, au, ai)) {
                    t.rawset(i, au);
                    t.rawset(u, ai);
                }
            }
            if (u - l == 2) {
                break;
            }
            LuaValue pivot = t.rawget(i);
            LuaValue beforeLast = t.rawget(u - 1);
            t.rawset(i, beforeLast);
            t.rawset(u - 1, pivot);
            i = l;
            int j = u - 1;
            for (;;) { // a[l..i] <= pivot <= a[j..u]
                LuaValue x;
                while (less(cmp, x = t.rawget(++i), pivot)) {
                    if (i > u) {
                        throw ScriptError.positioned("invalid order function for sorting");
                    }
                }
                LuaValue y;
                while (less(cmp, pivot, y = t.rawget(--j))) {
                    if (j < l) {
                        throw ScriptError.positioned("invalid order function for sorting");
                    }
                }
                if (j < i) {
                    break;
                }
                t.rawset(i, y);
                t.rawset(j, x);
            }
            LuaValue pivotNow = t.rawget(u - 1);
            LuaValue atI = t.rawget(i);
            t.rawset(u - 1, atI);
            t.rawset(i, pivotNow);
            if (i - l < u - i) { // the smaller half by recursion, the larger one by the loop
                j = l;
                i = i - 1;
                l = i + 2;
            } else {
                j = i + 1;
                i = u;
                u = j - 2;
            }
            auxsort(t, cmp, j, i);
        }
    }
}
