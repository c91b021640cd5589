// Small helpers for reading command arguments, which arrive as raw bytes.
package io.port6379.server.util;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;

import java.nio.charset.StandardCharsets;

/** Argument parsing with Redis's rules and error texts; option names compare without allocating. */
public final class Args {

    public static final String SYNTAX_ERROR = "ERR syntax error";

    private Args() {
    }

    /** Whether {@code arg} is {@code option} in any letter case; {@code option} is lower case ASCII. */
    public static boolean is(byte[] arg, String option) {
        if (arg.length != option.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int b = arg[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != option.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The argument as a 64-bit integer ({@code string2ll}), or {@code ERR value is not an integer or out of range}. */
    public static long parseLong(byte[] arg) {
        return RedisNumbers.parseLong(arg);
    }

    /** An integer argument that must fit in {@code [min, max]}; outside it, {@code error} is raised. */
    public static long parseLong(byte[] arg, long min, long max, String error) {
        long value = RedisNumbers.parseLong(arg);
        if (value < min || value > max) {
            throw new RedisException(error);
        }
        return value;
    }

    public static Bytes key(byte[] arg) {
        return Bytes.of(arg);
    }

    /** The argument as text (one char per byte), for names, patterns and messages. */
    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    public static RedisException syntaxError() {
        return new RedisException(SYNTAX_ERROR);
    }
}
