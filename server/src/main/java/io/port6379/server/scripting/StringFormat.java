// string.format as Lua 5.1 does it: C's printf conversions, with %q and %s on Lua values.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * LuaJ's string.format ignores widths and precisions; this one follows C's printf for the conversions Lua 5.1
 * allows ({@code %d %i %o %u %c %x %X %e %E %f %g %G %q %s %%}), flags {@code -+ #0} and width and precision.
 */
final class StringFormat {

    private StringFormat() {
    }

    static Varargs format(Varargs args) {
        byte[] f = LuaConversion.bytes(args.checkstring(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 1;
        for (int i = 0; i < f.length; i++) {
            byte c = f[i];
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (++i >= f.length) {
                throw ScriptError.positioned("invalid option '%' to 'format'");
            }
            if (f[i] == '%') {
                out.write('%');
                continue;
            }
            int start = i;
            while (i < f.length && "-+ #0".indexOf(f[i]) >= 0) {
                i++;
            }
            int digits = 0;
            while (i < f.length && Character.isDigit(f[i])) {
                i++;
                digits++;
            }
            int precision = 0;
            if (i < f.length && f[i] == '.') {
                i++;
                while (i < f.length && Character.isDigit(f[i])) {
                    i++;
                    precision++;
                }
            }
            if (digits > 2 || precision > 2) { // as C Lua: a width or precision of three digits or more is refused
                throw ScriptError.positioned("invalid format (width or precision too long)");
            }
            if (i >= f.length) {
                throw ScriptError.positioned("invalid option '%' to 'format'");
            }
            String spec = new String(f, start, i - start);
            char conversion = (char) f[i];
            arg++;
            if (arg > args.narg() && conversion != '%') {
                throw ScriptError.positioned("bad argument #" + arg + " to 'format' (no value)");
            }
            LuaValue value = args.arg(arg);
            String text = switch (conversion) {
                case 'd', 'i' -> String.format("%" + spec + "d", (long) number(value, arg));
                case 'u' -> String.format("%" + spec + "d", (long) number(value, arg));
                case 'o' -> String.format("%" + spec + "o", (long) number(value, arg));
                case 'x' -> String.format("%" + spec + "x", (long) number(value, arg));
                case 'X' -> String.format("%" + spec + "X", (long) number(value, arg));
                case 'c' -> String.valueOf((char) (int) number(value, arg));
                case 'e', 'E', 'f' -> String.format("%" + spec + conversion, number(value, arg));
                case 'g', 'G' -> general(spec, number(value, arg), conversion == 'G');
                case 'q' -> quoted(value);
                case 's' -> {
                    String s = value.isstring() && value.type() == LuaValue.TSTRING
                            ? new String(LuaConversion.bytes(value.checkstring()), java.nio.charset.StandardCharsets.ISO_8859_1)
                            : value.type() == LuaValue.TNUMBER ? LuaSandbox.format14g(value.todouble()) : value.tojstring();
                    yield String.format("%" + spec + "s", s);
                }
                default -> throw ScriptError.positioned("invalid option '%" + conversion + "' to 'format'");
            };
            out.writeBytes(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static double number(LuaValue value, int arg) {
        if (!value.isnumber()) {
            throw ScriptError.positioned("bad argument #" + arg + " to 'format' (number expected, got "
                    + (value.isnil() ? "no value" : value.typename()) + ")");
        }
        return value.todouble();
    }

    /** C's %g with an optional width and precision (default 6). */
    private static String general(String spec, double value, boolean upper) {
        int dot = spec.indexOf('.');
        int precision = dot < 0 ? 6 : (dot + 1 == spec.length() ? 0 : Integer.parseInt(spec.substring(dot + 1)));
        String flags = dot < 0 ? spec : spec.substring(0, dot);
        String text;
        if (Double.isNaN(value) || Double.isInfinite(value) || value == 0) {
            text = Double.isNaN(value) ? "nan" : Double.isInfinite(value) ? (value > 0 ? "inf" : "-inf")
                    : (1 / value < 0 ? "-0" : "0");
        } else {
            int p = Math.max(precision, 1);
            BigDecimal rounded = new BigDecimal(value).round(new MathContext(p, RoundingMode.HALF_EVEN));
            int exponent = rounded.precision() - rounded.scale() - 1;
            if (exponent < -4 || exponent >= p) {
                String digits = rounded.unscaledValue().abs().toString().replaceAll("0+$", "");
                String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
                text = (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                        + String.format("%02d", Math.abs(exponent));
            } else {
                text = rounded.setScale(Math.max(0, p - 1 - exponent), RoundingMode.HALF_EVEN).toPlainString();
                if (text.contains(".")) {
                    text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
                }
            }
        }
        if (upper) {
            text = text.toUpperCase(java.util.Locale.ROOT);
        }
        return flags.isEmpty() ? text : String.format("%" + flags.replace("#", "").replace("0", "") + "s", text);
    }

    private static String quoted(LuaValue value) {
        byte[] bytes = LuaConversion.bytes(value.checkstring());
        StringBuilder out = new StringBuilder("\"");
        for (byte b : bytes) {
            switch (b) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\\n");
                case '\r' -> out.append("\\r");
                case 0 -> out.append("\\000");
                default -> out.append((char) (b & 0xff));
            }
        }
        return out.append('"').toString();
    }
}
