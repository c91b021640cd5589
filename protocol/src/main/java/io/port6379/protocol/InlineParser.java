// Splits an inline command line (what a person types in telnet) into arguments, as Redis's sdssplitargs() does.
package io.port6379.protocol;

import java.util.Arrays;

/**
 * The inline grammar of Redis's {@code sdssplitargs()}, byte for byte:
 * <ul>
 *   <li>arguments are separated by blanks (C's {@code isspace}: space, tab, CR, LF, vertical tab, form feed), but
 *       an unquoted argument only ends at a space, tab, CR or LF (a vertical tab inside it does not split it);</li>
 *   <li>{@code "double quotes"} understand {@code \n \r \t \b \a}, {@code \xHH} and a backslash before any other
 *       character, which stands for that character;</li>
 *   <li>{@code 'single quotes'} understand only {@code \'};</li>
 *   <li>a quote may open in the middle of an argument ({@code a"b c"} is {@code ab c}), but a closing quote must
 *       be followed by a blank or the end of the line, and every quote must be closed.</li>
 * </ul>
 * Any violation is {@code Protocol error: unbalanced quotes in request}. The C code walks a NUL-terminated
 * string, so {@link #at} answers 0 past the end; the decoder never passes a line containing a NUL byte.
 */
public final class InlineParser {

    static final String UNBALANCED_QUOTES = "Protocol error: unbalanced quotes in request";
    private static final byte[][] NO_ARGUMENTS = new byte[0][];

    private InlineParser() {
    }

    /**
     * The arguments of a configuration line ({@code user bob on "(+get ~k*)"} in redis.conf), or {@code null} when
     * a quote is unbalanced: redis.conf is read with the same sdssplitargs().
     */
    public static byte[][] splitArgs(byte[] line) {
        try {
            return split(line, 0, line.length);
        } catch (ProtocolException e) {
            return null;
        }
    }

    /** The arguments of {@code line[from, to)}; none for a blank line. O(N) in the line's length. */
    static byte[][] split(byte[] line, int from, int to) throws ProtocolException {
        Cursor cursor = new Cursor(line, from, to);
        byte[][] args = NO_ARGUMENTS;
        int argc = 0;
        byte[] current = new byte[to - from]; // an argument is never longer than its line
        while (true) {
            while (cursor.at(0) != 0 && isSpace(cursor.at(0))) {
                cursor.p++;
            }
            if (cursor.at(0) == 0) {
                return argc == args.length ? args : Arrays.copyOf(args, argc);
            }
            int length = readArgument(cursor, current);
            if (argc == args.length) {
                args = Arrays.copyOf(args, Math.max(4, argc * 2));
            }
            args[argc++] = Arrays.copyOf(current, length);
        }
    }

    /** Reads one argument into {@code out}; returns its length. Mirrors the loop body of sdssplitargs(). */
    private static int readArgument(Cursor c, byte[] out) throws ProtocolException {
        boolean inDoubleQuotes = false;
        boolean inSingleQuotes = false;
        int length = 0;
        while (true) {
            int b = c.at(0);
            // tag::doubleQuotes[]
            if (inDoubleQuotes) {
                if (b == '\\' && c.at(1) == 'x' && isHexDigit(c.at(2)) && isHexDigit(c.at(3))) {
                    out[length++] = (byte) (Character.digit(c.at(2), 16) * 16 + Character.digit(c.at(3), 16));
                    c.p += 3;
                } else if (b == '\\' && c.at(1) != 0) {
                    c.p++;
                    out[length++] = switch (c.at(0)) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'b' -> '\b';
                        case 'a' -> 7; // BEL, C's '\a'
                        default -> (byte) c.at(0);
                    };
                } else if (b == '"') {
                    return closeQuote(c, length);
                } else if (b == 0) {
                    throw new ProtocolException(UNBALANCED_QUOTES);
                } else {
                    out[length++] = (byte) b;
                }
                // end::doubleQuotes[]
            } else if (inSingleQuotes) {
                if (b == '\\' && c.at(1) == '\'') {
                    c.p++;
                    out[length++] = '\'';
                } else if (b == '\'') {
                    return closeQuote(c, length);
                } else if (b == 0) {
                    throw new ProtocolException(UNBALANCED_QUOTES);
                } else {
                    out[length++] = (byte) b;
                }
            } else {
                switch (b) {
                    case ' ', '\n', '\r', '\t', 0 -> {
                        return length;
                    }
                    case '"' -> inDoubleQuotes = true;
                    case '\'' -> inSingleQuotes = true;
                    default -> out[length++] = (byte) b;
                }
            }
            c.p++;
        }
    }

    // tag::closeQuote[]
    /** At a closing quote: it must be followed by a blank or the end of the line. */
    private static int closeQuote(Cursor c, int length) throws ProtocolException {
        if (c.at(1) != 0 && !isSpace(c.at(1))) {
            throw new ProtocolException(UNBALANCED_QUOTES);
        }
        c.p++;
        return length;
    }
    // end::closeQuote[]

    /** C's isspace() in the "C" locale. */
    private static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static boolean isHexDigit(int b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    /** A position in the line that reads as the C code does: past the end there is a NUL. */
    private static final class Cursor {
        private final byte[] line;
        private final int to;
        private int p;

        Cursor(byte[] line, int from, int to) {
            this.line = line;
            this.p = from;
            this.to = to;
        }

        /** The byte {@code offset} places ahead, 0..255, or 0 past the end. */
        int at(int offset) {
            int i = p + offset;
            return i < to ? line[i] & 0xff : 0;
        }
    }
}
