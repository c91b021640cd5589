// What the interpreter holds for compiled code and tables, in bytes: INFO memory's used_memory_vm_* fields.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Redis reads its Lua VM's allocation counter ({@code lua_gc(LUA_GCCOUNT)}); the JVM has no counter per
 * interpreter, so the bytes are added up from what the interpreter holds: per compiled function its instruction,
 * line and constant arrays, nested functions, upvalue and local descriptions; per table its entries (keys and
 * values), nested tables and closures. Object sizes are those of a 64-bit JVM with compressed references (a
 * 16-byte array header, 4-byte references), rounded per object, not measured: the figures follow what scripts
 * and libraries add and remove, as Redis's do, rather than the collector's state.
 */
final class LuaFootprint {

    private static final int OBJECT = 16;
    private static final int ARRAY = 16;
    private static final int REFERENCE = 4;
    /** A table slot: LuaJ's entry object and the reference to it. */
    private static final int ENTRY = 32;

    private final Map<Object, Boolean> seen = new IdentityHashMap<>();
    private long bytes;

    private LuaFootprint() {
    }

    /** The bytes of {@code p} and the functions nested in it. */
    static long of(Prototype p) {
        LuaFootprint f = new LuaFootprint();
        f.prototype(p);
        return f.bytes;
    }

    /** The bytes of {@code table}, its entries and what they reach (tables, closures' code), each counted once. */
    static long of(LuaTable table) {
        LuaFootprint f = new LuaFootprint();
        f.value(table);
        return f.bytes;
    }

    private void prototype(Prototype p) {
        if (p == null || seen.put(p, Boolean.TRUE) != null) {
            return;
        }
        bytes += OBJECT + 12 * REFERENCE;
        bytes += ARRAY + 4L * p.code.length;
        bytes += p.lineinfo == null ? 0 : ARRAY + 4L * p.lineinfo.length;
        bytes += ARRAY + (long) REFERENCE * p.k.length;
        for (LuaValue k : p.k) {
            value(k);
        }
        bytes += ARRAY + (long) REFERENCE * p.upvalues.length + (OBJECT + 8L) * p.upvalues.length;
        bytes += p.locvars == null ? 0 : ARRAY + (long) (REFERENCE + OBJECT + 8) * p.locvars.length;
        bytes += ARRAY + (long) REFERENCE * p.p.length;
        for (Prototype nested : p.p) {
            prototype(nested);
        }
    }

    private void value(LuaValue v) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                if (seen.put(v, Boolean.TRUE) == null) {
                    bytes += OBJECT + 12 + ARRAY + v.checkstring().m_length;
                }
            }
            case LuaValue.TNUMBER -> bytes += OBJECT;
            case LuaValue.TTABLE -> table((LuaTable) v);
            case LuaValue.TFUNCTION -> {
                if (seen.put(v, Boolean.TRUE) == null) {
                    bytes += OBJECT + REFERENCE;
                    if (v instanceof LuaClosure closure) {
                        prototype(closure.p);
                        bytes += ARRAY + (long) REFERENCE * closure.upValues.length;
                    }
                }
            }
            default -> {
            }
        }
    }

    private void table(LuaTable t) {
        if (seen.put(t, Boolean.TRUE) != null) {
            return;
        }
        bytes += OBJECT + 4 * REFERENCE;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(key);
            if ((key = next.arg1()).isnil()) {
                break;
            }
            bytes += ENTRY;
            value(key);
            value(next.arg(2));
        }
        LuaValue meta = t.getmetatable();
        if (meta != null) {
            value(meta);
        }
    }
}
