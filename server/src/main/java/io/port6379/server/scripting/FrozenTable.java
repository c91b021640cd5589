// A Lua table no script can change: Redis 7's read-only tables for the globals, the libraries and their metatables.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Redis 7.0 marks the global table, every library table and their metatables read-only inside its Lua VM, so
 * that one script cannot leave a trap for the next (replace {@code string.format}, add a global that a later
 * script trusts). LuaJ has no such flag; this subclass refuses every way a script can write into a table:
 * assignment, {@code rawset}, {@code table.insert/remove/sort} and {@code setmetatable}. The server fills it
 * before calling {@link #freeze}.
 */
final class FrozenTable extends LuaTable {

    static final String READONLY = "Attempt to modify a readonly table";

    private boolean frozen;

    /** Copies {@code table} (its own entries, not its metatable) into a new table, to be frozen later. */
    static FrozenTable copyOf(LuaTable table) {
        FrozenTable copy = new FrozenTable();
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            if ((key = next.arg1()).isnil()) {
                break;
            }
            copy.rawset(key, next.arg(2));
        }
        return copy;
    }

    FrozenTable freeze() {
        frozen = true;
        return this;
    }

    /** An assignment in Lua code: the error names the line, as Lua's VM does. */
    private void checkAssignment() {
        if (frozen) {
            throw ScriptError.positioned(READONLY);
        }
    }

    /** rawset, table.insert & co.: raised inside a library function, so without a line, as in Lua. */
    private void check() {
        if (frozen) {
            throw ScriptError.raw(org.luaj.vm2.LuaValue.valueOf(READONLY));
        }
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        checkAssignment();
        super.set(key, value);
    }

    @Override
    public void set(int key, LuaValue value) {
        checkAssignment();
        super.set(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public void hashset(LuaValue key, LuaValue value) {
        check();
        super.hashset(key, value);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        check();
        super.insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        check();
        return super.remove(pos);
    }

    @Override
    public void sort(LuaValue comparator) {
        check();
        super.sort(comparator);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        check();
        return super.setmetatable(metatable);
    }
}
