// The global table every script sees: frozen after set-up, and reading a missing name is an error, as in Redis 7.
package io.port6379.server.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;

/**
 * LuaJ's {@link Globals} with {@link FrozenTable}'s refusals. Only the server writes into it, between
 * {@link #thaw} and {@link #freeze}: the libraries at start-up, and KEYS and ARGV before each EVAL (Redis lifts
 * the protection for the same two names in the same way).
 */
final class SandboxGlobals extends Globals {

    private boolean frozen;

    void freeze() {
        frozen = true;
    }

    void thaw() {
        frozen = false;
    }

    private void checkAssignment() {
        if (frozen) {
            throw ScriptError.positioned(FrozenTable.READONLY);
        }
    }

    private void check() {
        if (frozen) {
            throw ScriptError.raw(LuaValue.valueOf(FrozenTable.READONLY));
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
