// Lua 5.1's wording of runtime errors, rebuilt from the failing instruction: "attempt to call local 'f' (a nil value)".
package io.port6379.server.scripting;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

/**
 * LuaJ words a runtime error without the variable's name ({@code attempt to call nil}, {@code attempt to index ?
 * (a nil value)}, {@code attempt to perform arithmetic __add on nil and number}) and a library's argument error
 * without the argument or function ({@code bad argument: string expected, got nil}). Redis's Lua 5.1 names both,
 * and scripts and client libraries match on that text. Lua 5.1 finds the name where its error is raised
 * ({@code ldebug.c}: {@code luaG_typeerror}, {@code getobjname}); here it is found afterwards from what the
 * {@link ScriptHook} kept of the failing frame: the function's bytecode, the index of the failing instruction
 * and the registers.
 *
 * <p>The name comes from the instruction that last set the register before the failing one ({@code findsetreg}):
 * a local variable's name, {@code global 'x'}, {@code field 'x'} (or {@code field '?'} for a non-string key),
 * {@code upvalue 'x'}, {@code method 'x'}. LuaJ compiles to Lua 5.2 bytecode, whose instructions carry the same
 * facts (a global read is a read of the {@code _ENV} upvalue). A text this class does not recognise is left as
 * LuaJ wrote it.
 */
final class LuaErrorText {

    private LuaErrorText() {
    }

    /** Lua 5.1's text for {@code text}, raised by instruction {@code pc} of {@code p}; {@code text} itself if unknown. */
    static String of(String text, Prototype p, int pc, LuaValue[] registers) {
        if (p == null || registers == null || pc < 0 || pc >= p.code.length) {
            return generic(text);
        }
        try {
            String rewritten = rewrite(text, p, pc, registers);
            return rewritten != null ? rewritten : generic(text);
        } catch (RuntimeException e) {
            return generic(text); // a frame this reading does not understand: LuaJ's words, cleaned up
        }
    }

    private static String rewrite(String text, Prototype p, int pc, LuaValue[] r) {
        int i = p.code[pc];
        int op = Lua.GET_OPCODE(i);
        int a = Lua.GETARG_A(i);
        int b = Lua.GETARG_B(i);
        int c = Lua.GETARG_C(i);
        if (text.startsWith("attempt to call") && (op == Lua.OP_CALL || op == Lua.OP_TAILCALL)) {
            return typeError(p, pc, a, r[a], "call");
        }
        if (text.startsWith("attempt to index")) {
            return switch (op) {
                case Lua.OP_GETTABLE, Lua.OP_SELF -> typeError(p, pc, b, r[b], "index");
                case Lua.OP_SETTABLE -> typeError(p, pc, a, r[a], "index");
                case Lua.OP_GETTABUP -> upvalueError(p, b, "index", text);
                case Lua.OP_SETTABUP -> upvalueError(p, a, "index", text);
                default -> null;
            };
        }
        if (text.startsWith("index expected, got") && op == Lua.OP_SETTABLE) {
            return typeError(p, pc, a, r[a], "index");
        }
        if (text.startsWith("attempt to perform arithmetic") && op >= Lua.OP_ADD && op <= Lua.OP_UNM) {
            int culprit = op == Lua.OP_UNM || rk(p, r, b).tonumber().isnil() ? b : c; // luaG_aritherror's choice
            return operandError(p, pc, r, culprit, "perform arithmetic on");
        }
        if (text.startsWith("attempt to get length") && op == Lua.OP_LEN) {
            return typeError(p, pc, b, r[b], "get length of");
        }
        if (text.startsWith("attempt to concatenate") && op == Lua.OP_CONCAT) {
            return concatError(p, pc, r, b, c);
        }
        if (text.startsWith("attempt to compare") && (op == Lua.OP_LT || op == Lua.OP_LE)) {
            String t1 = rk(p, r, b).typename();
            String t2 = rk(p, r, c).typename();
            return t1.equals(t2) ? "attempt to compare two " + t1 + " values" : "attempt to compare " + t1 + " with " + t2;
        }
        if (text.startsWith("bad argument") && (op == Lua.OP_CALL || op == Lua.OP_TAILCALL)) {
            return argumentError(text, p, pc, r, a, b);
        }
        return null;
    }

    /** {@code luaG_typeerror}: {@code attempt to <op> <kind> '<name>' (a <type> value)}, or without the name. */
    private static String typeError(Prototype p, int pc, int reg, LuaValue value, String operation) {
        String[] name = objectName(p, pc, reg);
        String type = value == null ? "nil" : value.typename();
        return name != null
                ? "attempt to " + operation + " " + name[0] + " '" + name[1] + "' (a " + type + " value)"
                : "attempt to " + operation + " a " + type + " value";
    }

    /** An upvalue indexed directly (never {@code _ENV}, whose reads cannot fail): its type is in LuaJ's text. */
    private static String upvalueError(Prototype p, int upvalue, String operation, String text) {
        int open = text.lastIndexOf("(a ");
        String type = open >= 0 ? text.substring(open + 3, text.indexOf(' ', open + 3)) : "nil";
        return "attempt to " + operation + " upvalue '" + upvalueName(p, upvalue) + "' (a " + type + " value)";
    }

    /** An operand that is a register gets a name; a constant does not. */
    private static String operandError(Prototype p, int pc, LuaValue[] r, int operand, String operation) {
        if (Lua.ISK(operand)) {
            return "attempt to " + operation + " a " + p.k[Lua.INDEXK(operand)].typename() + " value";
        }
        return typeError(p, pc, operand, r[operand], operation);
    }

    /**
     * {@code luaV_concat} works from the right: the last two values first, then every string run at once. The
     * culprit is the first non-string met that way: the right one of a pair if the left one is a string or number.
     */
    private static String concatError(Prototype p, int pc, LuaValue[] r, int from, int to) {
        int top = to;
        while (top > from) {
            LuaValue right = r[top];
            LuaValue left = r[top - 1];
            if (!concatenable(right) || !concatenable(left)) {
                int culprit = concatenable(left) ? top : top - 1;
                return typeError(p, pc, culprit, r[culprit], "concatenate");
            }
            top--;
        }
        return null;
    }

    private static boolean concatenable(LuaValue v) {
        return v != null && (v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER);
    }

    /**
     * {@code luaL_argerror}: {@code bad argument #n to 'name' (message)}. LuaJ's type checks omit the argument's
     * position ({@code bad argument: string expected, got nil}): it is the first argument of the call of the type
     * named that is not of the expected type; a nil past the ones passed is {@code no value}, as Lua 5.1 says.
     */
    private static String argumentError(String text, Prototype p, int pc, LuaValue[] r, int a, int b) {
        String[] name = objectName(p, pc, a);
        String function = name == null ? "?" : name[1];
        int passed = b == 0 ? -1 : b - 1;
        int position;
        String message;
        if (text.startsWith("bad argument: ")) {
            String rest = text.substring("bad argument: ".length());
            int expectedEnd = rest.indexOf(" expected, got ");
            if (expectedEnd < 0) {
                return null;
            }
            String expected = rest.substring(0, expectedEnd);
            String actual = rest.substring(expectedEnd + " expected, got ".length());
            position = 0;
            int limit = passed < 0 ? r.length - a - 1 : passed;
            for (int n = 1; n <= limit; n++) {
                LuaValue arg = r[a + n] == null ? LuaValue.NIL : r[a + n];
                if (!fits(arg, expected) && arg.typename().equals(actual)) {
                    position = n;
                    break;
                }
            }
            if (position == 0) {
                if (passed < 0 || !actual.equals("nil")) {
                    return null;
                }
                position = passed + 1;
            }
            String got = position > passed && passed >= 0 ? "no value" : actual;
            message = expected + " expected, got " + got;
        } else if (text.startsWith("bad argument #")) {
            int colon = text.indexOf(": ");
            if (colon < 0) {
                return null;
            }
            position = Integer.parseInt(text.substring("bad argument #".length(), colon));
            message = text.substring(colon + 2);
            if (message.equals("value")) {
                message = "value expected";
            }
            if (position > passed && passed >= 0 && message.endsWith(", got nil")) {
                message = message.substring(0, message.length() - "nil".length()) + "no value";
            }
        } else {
            return null;
        }
        if (name != null && name[0].equals("method")) {
            position--;
            if (position == 0) {
                return "calling '" + function + "' on bad self (" + message + ")";
            }
        }
        return "bad argument #" + position + " to '" + function + "' (" + message + ")";
    }

    private static boolean fits(LuaValue v, String expected) {
        return switch (expected) {
            case "string" -> v.isstring();
            case "number" -> v.isnumber();
            case "table" -> v.istable();
            case "function" -> v.isfunction();
            case "boolean" -> v.isboolean();
            default -> v.typename().equals(expected);
        };
    }

    private static LuaValue rk(Prototype p, LuaValue[] r, int x) {
        LuaValue v = Lua.ISK(x) ? p.k[Lua.INDEXK(x)] : r[x];
        return v == null ? LuaValue.NIL : v;
    }

    /** {@code getobjname}: what register {@code reg} holds at instruction {@code lastpc}, as {kind, name}, or null. */
    static String[] objectName(Prototype p, int lastpc, int reg) {
        LuaString local = p.getlocalname(reg + 1, lastpc);
        if (local != null) {
            return new String[]{"local", local.tojstring()};
        }
        int pc = findSetRegister(p, lastpc, reg);
        if (pc < 0) {
            return null;
        }
        int i = p.code[pc];
        int a = Lua.GETARG_A(i);
        int b = Lua.GETARG_B(i);
        int c = Lua.GETARG_C(i);
        return switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_MOVE -> b < a ? objectName(p, pc, b) : null;
            case Lua.OP_GETTABUP -> "_ENV".equals(upvalueName(p, b))
                    ? new String[]{"global", constantName(p, c)} : new String[]{"field", constantName(p, c)};
            case Lua.OP_GETTABLE -> {
                LuaString table = p.getlocalname(b + 1, pc);
                yield new String[]{table != null && table.tojstring().equals("_ENV") ? "global" : "field", constantName(p, c)};
            }
            case Lua.OP_GETUPVAL -> new String[]{"upvalue", upvalueName(p, b)};
            case Lua.OP_SELF -> new String[]{"method", constantName(p, c)};
            default -> null;
        };
    }

    /** {@code kname}: a string constant's text, else {@code ?}. */
    private static String constantName(Prototype p, int c) {
        if (Lua.ISK(c) && p.k[Lua.INDEXK(c)].type() == LuaValue.TSTRING) {
            return p.k[Lua.INDEXK(c)].tojstring();
        }
        return "?";
    }

    private static String upvalueName(Prototype p, int index) {
        return index < p.upvalues.length && p.upvalues[index].name != null
                ? p.upvalues[index].name.tojstring() : "?";
    }

    /** {@code findsetreg}: the last instruction before {@code lastpc} that changed register {@code reg}, or -1. */
    private static int findSetRegister(Prototype p, int lastpc, int reg) {
        int setreg = -1;
        for (int pc = 0; pc < lastpc; pc++) {
            int i = p.code[pc];
            int op = Lua.GET_OPCODE(i);
            int a = Lua.GETARG_A(i);
            switch (op) {
                case Lua.OP_LOADNIL -> {
                    if (a <= reg && reg <= a + Lua.GETARG_B(i)) {
                        setreg = pc;
                    }
                }
                case Lua.OP_TFORCALL -> {
                    if (reg >= a + 2) {
                        setreg = pc;
                    }
                }
                case Lua.OP_CALL, Lua.OP_TAILCALL -> {
                    if (reg >= a) {
                        setreg = pc;
                    }
                }
                case Lua.OP_JMP -> {
                    int dest = pc + 1 + Lua.GETARG_sBx(i);
                    if (pc < dest && dest <= lastpc) {
                        pc = dest - 1; // a forward jump that does not skip lastpc: follow it
                    }
                }
                case Lua.OP_TEST -> {
                    if (reg == a) {
                        setreg = pc;
                    }
                }
                default -> {
                    if (Lua.testAMode(op) && reg == a) {
                        setreg = pc;
                    }
                }
            }
        }
        return setreg;
    }

    /**
     * The text of an error raised by a library function that a Java function (pcall) called: an argument error
     * names the function {@code '?'} and counts the arguments of that call, {@code args}.
     */
    static String ofDirectCall(String text, Varargs args) {
        int passed = args.narg();
        if (text.startsWith("bad argument #")) {
            int colon = text.indexOf(": ");
            if (colon > 0) {
                int position = Integer.parseInt(text.substring("bad argument #".length(), colon));
                String message = text.substring(colon + 2);
                if (position > passed && message.endsWith(", got nil")) {
                    message = message.substring(0, message.length() - "nil".length()) + "no value";
                }
                return "bad argument #" + position + " to '?' (" + message + ")";
            }
        } else if (text.startsWith("bad argument: ")) {
            String rest = text.substring("bad argument: ".length());
            int expectedEnd = rest.indexOf(" expected, got ");
            if (expectedEnd > 0) {
                String expected = rest.substring(0, expectedEnd);
                String actual = rest.substring(expectedEnd + " expected, got ".length());
                for (int n = 1; n <= passed; n++) {
                    if (!fits(args.arg(n), expected) && args.arg(n).typename().equals(actual)) {
                        return "bad argument #" + n + " to '?' (" + expected + " expected, got " + actual + ")";
                    }
                }
                if (actual.equals("nil")) {
                    return "bad argument #" + (passed + 1) + " to '?' (" + expected + " expected, got no value)";
                }
            }
        }
        return generic(text);
    }

    /** Without a frame to read: LuaJ's type-only texts in Lua 5.1's shape ({@code attempt to call a nil value}). */
    static String generic(String text) {
        for (String operation : new String[]{"call", "get length of"}) {
            String prefix = "attempt to " + operation + " ";
            if (text.startsWith(prefix) && text.indexOf(' ', prefix.length()) < 0) {
                return prefix + "a " + text.substring(prefix.length()) + " value";
            }
        }
        if (text.startsWith("attempt to index ? (")) {
            return "attempt to index " + text.substring("attempt to index ? (".length(), text.length() - 1);
        }
        return text;
    }
}
