// The cmsgpack library Redis bundles (lua_cmsgpack.c 0.4.0): Lua values to MessagePack bytes and back.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cmsgpack.pack(...)}, {@code unpack(s)}, {@code unpack_one(s [, offset])} and {@code unpack_limit(s, n
 * [, offset])}, with the C library's choices: a number that is a whole 64-bit integer gets the smallest integer
 * encoding, any other a float when a float holds it exactly, else a double; a string is a {@code str}; a table
 * whose keys are exactly 1..n is an array of {@code #t} elements, any other a map; tables nested deeper than 16 and
 * values MessagePack has no type for (functions) are nil. A map's entries come in Lua 5.1's table order
 * ({@link Lua51TableOrder}), which is Redis's for maps whose keys do not collide in its hash part.
 */
final class Cmsgpack {

    private static final int MAX_NESTING = 16;

    private Cmsgpack() {
    }

    static LuaTable library() {
        LuaTable msgpack = new LuaTable();
        msgpack.rawset("pack", LuaSandbox.function(Cmsgpack::pack));
        msgpack.rawset("unpack", LuaSandbox.function(args -> unpack(args, 0, 0)));
        msgpack.rawset("unpack_one", LuaSandbox.function(args -> unpack(args, 1, optInt(args, 2, 0))));
        msgpack.rawset("unpack_limit", LuaSandbox.function(args -> unpack(args, (int) StructLib.checkNumber(args, 2,
                "unpack_limit"), optInt(args, 3, 0))));
        msgpack.rawset("_NAME", LuaValue.valueOf("cmsgpack"));
        msgpack.rawset("_VERSION", LuaValue.valueOf("lua-cmsgpack 0.4.0"));
        msgpack.rawset("_COPYRIGHT", LuaValue.valueOf("Copyright (C) 2012, Salvatore Sanfilippo"));
        msgpack.rawset("_DESCRIPTION", LuaValue.valueOf("MessagePack C implementation for Lua"));
        return msgpack;
    }

    private static int optInt(Varargs args, int n, int otherwise) {
        return args.arg(n).isnil() ? otherwise : (int) StructLib.checkNumber(args, n, "unpack");
    }

    // tag::pack[]
    private static Varargs pack(Varargs args) {
        if (args.narg() == 0) {
            throw StructLib.argError(0, "pack", "MessagePack pack needs input.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= args.narg(); i++) {
            encode(args.arg(i), out, 0);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void encode(LuaValue value, ByteArrayOutputStream out, int level) {
        switch (value.type()) {
            case LuaValue.TBOOLEAN -> out.write(value.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(value.todouble(), out);
            case LuaValue.TSTRING -> string(LuaConversion.bytes(value.checkstring()), out);
            case LuaValue.TTABLE -> {
                if (level == MAX_NESTING) {
                    out.write(0xc0);
                } else if (isArray((LuaTable) value)) {
                    int length = value.length();
                    header(out, length, 0x90, 0xdc, 0xdd);
                    for (int i = 1; i <= length; i++) {
                        encode(value.rawget(i), out, level + 1);
                    }
                } else {
                    List<LuaValue[]> entries = Lua51TableOrder.entries((LuaTable) value);
                    header(out, entries.size(), 0x80, 0xde, 0xdf);
                    for (LuaValue[] entry : entries) {
                        encode(entry[0], out, level + 1);
                        encode(entry[1], out, level + 1);
                    }
                }
            }
            default -> out.write(0xc0);
        }
    }
    // end::pack[]

    /** Redis's table_is_an_array: every key a whole number of at least 1, and the largest equal to the count. */
    private static boolean isArray(LuaTable table) {
        long count = 0;
        long max = 0;
        for (LuaValue[] entry : Lua51TableOrder.rawEntries(table)) {
            if (entry[0].type() != LuaValue.TNUMBER) {
                return false;
            }
            double n = entry[0].todouble();
            long index = (long) n;
            if (index != n || index < 1) {
                return false;
            }
            count++;
            max = Math.max(max, index);
        }
        return max == count;
    }

    private static void header(ByteArrayOutputStream out, int length, int fix, int sixteen, int thirtyTwo) {
        if (length <= 15) {
            out.write(fix | length);
        } else if (length <= 0xffff) {
            out.write(sixteen);
            bigEndian(out, length, 2);
        } else {
            out.write(thirtyTwo);
            bigEndian(out, length, 4);
        }
    }

    private static void number(double n, ByteArrayOutputStream out) {
        if (!Double.isInfinite(n) && n >= -0x1p63 && n < 0x1p63 && (long) n == n) {
            integer((long) n, out);
        } else if ((double) (float) n == n) {
            out.write(0xca);
            bigEndian(out, Float.floatToRawIntBits((float) n), 4);
        } else {
            out.write(0xcb);
            bigEndian(out, Double.doubleToRawLongBits(n), 8);
        }
    }

    private static void integer(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                bigEndian(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                bigEndian(out, n, 4);
            } else {
                out.write(0xcf);
                bigEndian(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) n & 0xff);
        } else if (n >= -128) {
            out.write(0xd0);
            out.write((int) n & 0xff);
        } else if (n >= -32768) {
            out.write(0xd1);
            bigEndian(out, n, 2);
        } else if (n >= Integer.MIN_VALUE) {
            out.write(0xd2);
            bigEndian(out, n, 4);
        } else {
            out.write(0xd3);
            bigEndian(out, n, 8);
        }
    }

    private static void string(byte[] s, ByteArrayOutputStream out) {
        int length = s.length;
        if (length < 32) {
            out.write(0xa0 | length);
        } else if (length <= 0xff) {
            out.write(0xd9);
            out.write(length);
        } else if (length <= 0xffff) {
            out.write(0xda);
            bigEndian(out, length, 2);
        } else {
            out.write(0xdb);
            bigEndian(out, length, 4);
        }
        out.write(s, 0, length);
    }

    private static void bigEndian(ByteArrayOutputStream out, long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    /** The cursor of Redis's mp_cur: bytes left, and why decoding stopped. */
    private static final class Cursor {
        final byte[] bytes;
        int at;

        Cursor(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        int left() {
            return bytes.length - at;
        }

        void need(long n) {
            if (left() < n) {
                throw ScriptError.positioned("Missing bytes in input.");
            }
        }

        int uint8() {
            need(1);
            return bytes[at++] & 0xff;
        }

        long big(int width) {
            need(width);
            long value = 0;
            for (int i = 0; i < width; i++) {
                value = value << 8 | (bytes[at++] & 0xff);
            }
            return value;
        }

        LuaValue string(long length) {
            need(length);
            LuaValue value = LuaString.valueUsing(java.util.Arrays.copyOfRange(bytes, at, at + (int) length));
            at += (int) length;
            return value;
        }
    }

    // tag::unpack[]
    /** Redis's mp_unpack_full: every value ({@code limit} 0 and {@code offset} 0), or {@code limit} of them. */
    private static Varargs unpack(Varargs args, int limit, int offset) {
        byte[] s = StructLib.checkString(args, 1, "unpack");
        if (offset < 0 || limit < 0) {
            throw ScriptError.positioned("Invalid request to unpack with offset of " + offset + " and limit of " + s.length + ".");
        }
        if (offset > s.length) {
            throw ScriptError.positioned("Start offset " + offset + " greater than input length " + s.length + ".");
        }
        boolean all = limit == 0 && offset == 0;
        int max = all ? Integer.MAX_VALUE : limit;
        Cursor cursor = new Cursor(s, offset);
        List<LuaValue> values = new ArrayList<>();
        for (int count = 0; cursor.left() > 0 && count < max; count++) {
            values.add(decode(cursor));
        }
        if (!all) {
            values.addFirst(LuaValue.valueOf(cursor.left() == 0 ? -1 : cursor.at));
        }
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }
    // end::unpack[]

    private static LuaValue decode(Cursor c) {
        int b = c.uint8();
        switch (b) {
            case 0xcc: return LuaValue.valueOf(c.big(1));
            case 0xcd: return LuaValue.valueOf(c.big(2));
            case 0xce: return LuaValue.valueOf(c.big(4));
            case 0xcf: return LuaValue.valueOf((double) c.big(8)); // read as signed, as the C library does
            case 0xd0: return LuaValue.valueOf((byte) c.big(1));
            case 0xd1: return LuaValue.valueOf((short) c.big(2));
            case 0xd2: return LuaValue.valueOf((int) c.big(4));
            case 0xd3: return LuaValue.valueOf((double) c.big(8));
            case 0xc0: return LuaValue.NIL;
            case 0xc3: return LuaValue.TRUE;
            case 0xc2: return LuaValue.FALSE;
            case 0xca: return LuaValue.valueOf(Float.intBitsToFloat((int) c.big(4)));
            case 0xcb: return LuaValue.valueOf(Double.longBitsToDouble(c.big(8)));
            case 0xd9: return c.string(c.big(1));
            case 0xda: return c.string(c.big(2));
            case 0xdb: return c.string(c.big(4));
            case 0xdc: return array(c, c.big(2));
            case 0xdd: return array(c, c.big(4));
            case 0xde: return map(c, c.big(2));
            case 0xdf: return map(c, c.big(4));
            default:
                if ((b & 0x80) == 0) {
                    return LuaValue.valueOf(b);
                } else if ((b & 0xe0) == 0xe0) {
                    return LuaValue.valueOf((byte) b);
                } else if ((b & 0xe0) == 0xa0) {
                    return c.string(b & 0x1f);
                } else if ((b & 0xf0) == 0x90) {
                    return array(c, b & 0xf);
                } else if ((b & 0xf0) == 0x80) {
                    return map(c, b & 0xf);
                }
                throw ScriptError.positioned("Bad data format in input.");
        }
    }

    private static LuaValue array(Cursor c, long length) {
        LuaTable table = new LuaTable();
        for (long i = 1; i <= length; i++) {
            LuaValue value = decode(c);
            if (!value.isnil()) {
                table.rawset((int) i, value);
            }
        }
        return table;
    }

    private static LuaValue map(Cursor c, long length) {
        LuaTable table = new LuaTable();
        for (long i = 0; i < length; i++) {
            LuaValue key = decode(c);
            LuaValue value = decode(c);
            if (key.isnil()) {
                throw ScriptError.positioned("table index is nil");
            }
            table.rawset(key, value);
        }
        return table;
    }
}
