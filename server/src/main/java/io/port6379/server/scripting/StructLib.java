// The struct library Redis bundles (Roberto Ierusalimschy's lua_struct.c): binary packing of numbers and strings.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;

/**
 * {@code struct.pack(fmt, ...)}, {@code struct.unpack(fmt, s [, pos])} and {@code struct.size(fmt)}, as the C
 * library behaves on a 64-bit little-endian machine (Redis's own builds): {@code b B h H i I l L T} are integers of 1,
 * 1, 2, 2, 4 (or {@code i<n>}, up to 32 bytes), 8 and 8 bytes, {@code f d} a float and a double, {@code s} a
 * zero-terminated string, {@code c<n>} a fixed-size one ({@code c0}: the whole string when packing, the previous
 * number as its length when unpacking), {@code x} a zero byte; {@code < > !<n>} set the byte order and the maximum
 * alignment (1 by default). Numbers are Lua's doubles: an integer wider than 53 bits loses its low digits, as in C.
 */
final class StructLib {

    private static final int MAXINTSIZE = 32;
    private static final int MAXALIGN = 8;

    private StructLib() {
    }

    static LuaTable library() {
        LuaTable struct = new LuaTable();
        struct.rawset("pack", LuaSandbox.function(StructLib::pack));
        struct.rawset("unpack", LuaSandbox.function(StructLib::unpack));
        struct.rawset("size", LuaSandbox.function(StructLib::size));
        return struct;
    }

    /** The byte order and the maximum alignment, which the format's control characters change as it is read. */
    private static final class Header {
        boolean little = true;
        int align = 1;
    }

    /** The format string, read one option (and its digits) at a time. */
    private static final class Format {
        final byte[] bytes;
        int at;

        Format(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean more() {
            return at < bytes.length && bytes[at] != 0;
        }

        int number(int otherwise) {
            if (at >= bytes.length || !Character.isDigit(bytes[at])) {
                return otherwise;
            }
            long a = 0;
            while (at < bytes.length && Character.isDigit(bytes[at])) {
                a = a * 10 + bytes[at++] - '0';
                if (a > Integer.MAX_VALUE) {
                    throw ScriptError.positioned("integral size overflow");
                }
            }
            return (int) a;
        }
    }

    private static int optionSize(char option, Format format) {
        return switch (option) {
            case 'B', 'b', 'x' -> 1;
            case 'H', 'h' -> 2;
            case 'L', 'l', 'T', 'd' -> 8;
            case 'f' -> 4;
            case 'c' -> format.number(1);
            case 'i', 'I' -> {
                int size = format.number(4);
                if (size > MAXINTSIZE) {
                    throw ScriptError.positioned("integral size " + size + " is larger than limit of " + MAXINTSIZE);
                }
                yield size;
            }
            default -> 0;
        };
    }

    private static int toAlign(long length, Header h, char option, int size) {
        if (size == 0 || option == 'c') {
            return 0;
        }
        int s = Math.min(size, h.align);
        return (int) ((s - (length & (s - 1))) & (s - 1));
    }

    private static void control(String function, char option, Format format, Header h) {
        switch (option) {
            case ' ' -> { }
            case '>' -> h.little = false;
            case '<' -> h.little = true;
            case '!' -> {
                int a = format.number(MAXALIGN);
                if (a == 0 || (a & (a - 1)) != 0) {
                    throw ScriptError.positioned("alignment " + a + " is not a power of 2");
                }
                h.align = a;
            }
            default -> throw argError(1, function, "invalid format option '" + option + "'");
        }
    }

    static ScriptError argError(int n, String function, String message) {
        return ScriptError.positioned("bad argument #" + n + " to '" + function + "' (" + message + ")");
    }

    private static String typeName(Varargs args, int n) {
        return n > args.narg() ? "no value" : args.arg(n).typename();
    }

    /** luaL_checknumber; pack's missing arguments are nil (it pushed one), the others' "no value". */
    static double checkNumber(Varargs args, int n, String function) {
        LuaValue value = args.arg(n);
        if (value.type() == LuaValue.TNUMBER) {
            return value.todouble();
        }
        if (value.type() == LuaValue.TSTRING && value.tonumber().isnumber()) {
            return value.tonumber().todouble();
        }
        throw argError(n, function, "number expected, got " + (function.equals("pack") ? args.arg(n).typename()
                : typeName(args, n)));
    }

    static byte[] checkString(Varargs args, int n, String function) {
        LuaValue value = args.arg(n);
        if (value.type() == LuaValue.TSTRING) {
            return LuaConversion.bytes(value.checkstring());
        }
        if (value.type() == LuaValue.TNUMBER) {
            return LuaSandbox.format14g(value.todouble()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        throw argError(n, function, "string expected, got " + typeName(args, n));
    }

    // tag::pack[]
    private static Varargs pack(Varargs args) {
        Format format = new Format(checkString(args, 1, "pack"));
        Header h = new Header();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        long total = 0;
        while (format.more()) {
            char option = (char) format.bytes[format.at++];
            int size = optionSize(option, format);
            int align = toAlign(total, h, option, size);
            total += align;
            out.write(new byte[align], 0, align);
            switch (option) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = checkNumber(args, arg++, "pack");
                    putInteger(out, toUnsigned(n), h.little, size);
                }
                case 'x' -> out.write(0);
                case 'f' -> putInteger(out, Float.floatToRawIntBits((float) checkNumber(args, arg++, "pack")) & 0xffffffffL,
                        h.little, 4);
                case 'd' -> putInteger(out, Double.doubleToRawLongBits(checkNumber(args, arg++, "pack")), h.little, 8);
                case 'c', 's' -> {
                    byte[] s = checkString(args, arg, "pack");
                    arg++;
                    if (size == 0) {
                        size = s.length;
                    }
                    if (s.length < size) {
                        throw argError(arg, "pack", "string too short");
                    }
                    out.write(s, 0, size);
                    if (option == 's') {
                        out.write(0);
                        size++;
                    }
                }
                default -> control("pack", option, format, h);
            }
            total += size;
        }
        return LuaString.valueUsing(out.toByteArray());
    }
    // end::pack[]

    /** C's {@code (Uinttype)(Inttype)n} for a negative number, {@code (Uinttype)n} otherwise. */
    private static long toUnsigned(double n) {
        if (n < 0 || n < 0x1p63) {
            return (long) n;
        }
        return (long) (n - 0x1p63) + Long.MIN_VALUE;
    }

    private static void putInteger(ByteArrayOutputStream out, long value, boolean little, int size) {
        byte[] buffer = new byte[size];
        for (int i = 0; i < size; i++) {
            buffer[little ? i : size - 1 - i] = (byte) (i < 8 ? value >>> (8 * i) : 0);
        }
        out.write(buffer, 0, size);
    }

    private static double getInteger(byte[] data, int at, boolean little, boolean signed, int size) {
        long l = 0;
        for (int i = 0; i < size; i++) {
            l = l << 8 | (data[at + (little ? size - 1 - i : i)] & 0xff);
        }
        if (!signed) {
            return l >= 0 ? l : new BigDecimal(Long.toUnsignedString(l)).doubleValue();
        }
        long mask = -1L << (size * 8 - 1); // Java masks the shift to 6 bits, as x86 does for C's wider sizes
        if ((l & mask) != 0) {
            l |= mask;
        }
        return l;
    }

    private static Varargs unpack(Varargs args) {
        Format format = new Format(checkString(args, 1, "unpack"));
        byte[] data = checkString(args, 2, "unpack");
        long pos = args.narg() >= 3 && !args.arg(3).isnil() ? (long) checkNumber(args, 3, "unpack") : 1;
        if (pos <= 0) {
            throw argError(3, "unpack", "offset must be 1 or greater");
        }
        pos--;
        Header h = new Header();
        java.util.List<LuaValue> results = new java.util.ArrayList<>();
        long ld = data.length;
        while (format.more()) {
            char option = (char) format.bytes[format.at++];
            long size = optionSize(option, format);
            pos += toAlign(pos, h, option, (int) size);
            if (!(size <= ld && pos <= ld - size)) {
                throw argError(2, "unpack", "data string too short");
            }
            switch (option) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' ->
                        results.add(LuaValue.valueOf(getInteger(data, (int) pos, h.little, Character.isLowerCase(option), (int) size)));
                case 'x' -> { }
                case 'f' -> results.add(LuaValue.valueOf(Float.intBitsToFloat(
                        (int) (long) getRaw(data, (int) pos, h.little, 4))));
                case 'd' -> results.add(LuaValue.valueOf(Double.longBitsToDouble(getRaw(data, (int) pos, h.little, 8))));
                case 'c' -> {
                    if (size == 0) {
                        if (results.isEmpty() || !results.getLast().isnumber()) {
                            throw ScriptError.positioned("format 'c0' needs a previous size");
                        }
                        size = (long) results.removeLast().todouble();
                        if (!(size <= ld && pos <= ld - size)) {
                            throw argError(2, "unpack", "data string too short");
                        }
                    }
                    results.add(LuaString.valueUsing(java.util.Arrays.copyOfRange(data, (int) pos, (int) (pos + size))));
                }
                case 's' -> {
                    int end = (int) pos;
                    while (end < data.length && data[end] != 0) {
                        end++;
                    }
                    if (end >= data.length) {
                        throw ScriptError.positioned("unfinished string in data");
                    }
                    size = end - pos + 1;
                    results.add(LuaString.valueUsing(java.util.Arrays.copyOfRange(data, (int) pos, end)));
                }
                default -> control("unpack", option, format, h);
            }
            pos += size;
        }
        results.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(results.toArray(new LuaValue[0]));
    }

    private static long getRaw(byte[] data, int at, boolean little, int size) {
        long l = 0;
        for (int i = 0; i < size; i++) {
            l = l << 8 | (data[at + (little ? size - 1 - i : i)] & 0xff);
        }
        return l;
    }

    private static Varargs size(Varargs args) {
        Format format = new Format(checkString(args, 1, "size"));
        Header h = new Header();
        long pos = 0;
        while (format.more()) {
            char option = (char) format.bytes[format.at++];
            int size = optionSize(option, format);
            pos += toAlign(pos, h, option, size);
            if (option == 's') {
                throw argError(1, "size", "option 's' has no fixed size");
            } else if (option == 'c' && size == 0) {
                throw argError(1, "size", "option 'c0' has no fixed size");
            }
            if (!Character.isLetterOrDigit(option)) {
                control("size", option, format, h);
            }
            pos += size;
        }
        return LuaValue.valueOf(pos);
    }
}
