// Lua BitOp ("bit"), the bitwise library Redis ships: 32-bit operations on Lua numbers.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.function.IntBinaryOperator;

/** Every function normalises its arguments to signed 32-bit integers and returns one, as Lua BitOp does. */
final class BitOps {

    private BitOps() {
    }

    static LuaTable library() {
        LuaTable bit = new LuaTable();
        bit.rawset("tobit", LuaSandbox.function(args -> number(toBit(args.checkdouble(1)))));
        bit.rawset("bnot", LuaSandbox.function(args -> number(~toBit(args.checkdouble(1)))));
        bit.rawset("band", fold((a, b) -> a & b));
        bit.rawset("bor", fold((a, b) -> a | b));
        bit.rawset("bxor", fold((a, b) -> a ^ b));
        bit.rawset("lshift", shift((a, n) -> a << n));
        bit.rawset("rshift", shift((a, n) -> a >>> n));
        bit.rawset("arshift", shift((a, n) -> a >> n));
        bit.rawset("rol", shift(Integer::rotateLeft));
        bit.rawset("ror", shift(Integer::rotateRight));
        bit.rawset("bswap", LuaSandbox.function(args -> number(Integer.reverseBytes(toBit(args.checkdouble(1))))));
        bit.rawset("tohex", LuaSandbox.function(BitOps::tohex));
        return bit;
    }

    /** Lua BitOp's normalisation: the number modulo 2^32, as a signed 32-bit integer. */
    static int toBit(double value) {
        double wrapped = value % 4294967296.0;
        return (int) (long) wrapped;
    }

    private static LuaValue number(int value) {
        return LuaValue.valueOf(value);
    }

    private static LuaValue fold(IntBinaryOperator op) {
        return LuaSandbox.function(args -> {
            int result = toBit(args.checkdouble(1));
            for (int i = 2; i <= args.narg(); i++) {
                result = op.applyAsInt(result, toBit(args.checkdouble(i)));
            }
            return number(result);
        });
    }

    private static LuaValue shift(IntBinaryOperator op) {
        return LuaSandbox.function(args -> number(op.applyAsInt(toBit(args.checkdouble(1)),
                toBit(args.checkdouble(2)) & 31)));
    }

    private static Varargs tohex(Varargs args) {
        int value = toBit(args.checkdouble(1));
        int n = args.isnoneornil(2) ? 8 : toBit(args.checkdouble(2));
        boolean upper = n < 0;
        n = Math.min(Math.abs(n), 8);
        String hex = String.format(upper ? "%08X" : "%08x", value);
        return LuaValue.valueOf(hex.substring(8 - n));
    }
}
