// SET's and GETEX's options (NX, XX, GET, KEEPTTL, PERSIST, EX, PX, EXAT, PXAT), parsed as Redis parses them.
package io.port6379.server.commands;

import io.port6379.server.util.Args;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.Strings;

/**
 * A port of Redis's {@code parseExtendedStringArgumentsOrReply}. Its quirks are kept on purpose: an option may
 * repeat ({@code EX 1 EX 2} sets 2), but two different expiry options, NX with XX, or KEEPTTL with an expiry
 * are a syntax error; the expiry is checked only after all options were read.
 *
 * @param expireAtMillis absolute expiry in Unix milliseconds, or -1 for none
 */
record ExpiryOptions(Strings.Condition condition, boolean get, boolean keepTtl, boolean persist, long expireAtMillis) {

    /** Which command's options: SET accepts NX/XX/GET/KEEPTTL, GETEX accepts PERSIST. */
    enum Kind { SET, GETEX }

    /** No option at all: what a plain {@code SET key value} or {@code GETEX key} parses to. */
    static final ExpiryOptions NONE = new ExpiryOptions(Strings.Condition.ALWAYS, false, false, false, -1);

    private static final int NX = 1, XX = 2, GET = 4, KEEPTTL = 8, PERSIST = 16, EX = 32, PX = 64, EXAT = 128, PXAT = 256;
    private static final int ANY_EXPIRY = EX | PX | EXAT | PXAT;

    // tag::parse[]
    static ExpiryOptions parse(byte[][] args, int from, Kind kind, long nowMillis) {
        if (from == args.length) {
            return NONE; // most SETs have no option: no object to build per command
        }
        int flags = 0;
        byte[] expire = null;
        boolean set = kind == Kind.SET;
        for (int j = from; j < args.length; j++) {
            byte[] opt = args[j];
            boolean hasNext = j + 1 < args.length;
            if (Args.is(opt, "nx") && (flags & XX) == 0 && set) {
                flags |= NX;
            } else if (Args.is(opt, "xx") && (flags & NX) == 0 && set) {
                flags |= XX;
            } else if (Args.is(opt, "get") && set) {
                flags |= GET;
            } else if (Args.is(opt, "keepttl") && (flags & (PERSIST | ANY_EXPIRY)) == 0 && set) {
                flags |= KEEPTTL;
            } else if (Args.is(opt, "persist") && (flags & (KEEPTTL | ANY_EXPIRY)) == 0 && !set) {
                flags |= PERSIST;
            } else if (hasNext && (flags & (KEEPTTL | PERSIST)) == 0 && expiryFlag(opt) != 0
                    && (flags & (ANY_EXPIRY & ~expiryFlag(opt))) == 0) {
                flags |= expiryFlag(opt);
                expire = args[++j];
            } else {
                throw Args.syntaxError();
            }
        }
        long expireAt = -1;
        if (expire != null) {
            String name = set ? "set" : "getex";
            expireAt = (flags & EX) != 0 ? relativeToAbsolute(expire, 1000, nowMillis, name)
                    : (flags & PX) != 0 ? relativeToAbsolute(expire, 1, nowMillis, name)
                    : absolute(expire, (flags & EXAT) != 0 ? 1000 : 1, name);
        }
        Strings.Condition condition = (flags & NX) != 0 ? Strings.Condition.NX
                : (flags & XX) != 0 ? Strings.Condition.XX : Strings.Condition.ALWAYS;
        return new ExpiryOptions(condition, (flags & GET) != 0, (flags & KEEPTTL) != 0, (flags & PERSIST) != 0, expireAt);
    }
    // end::parse[]

    /** These options as {@link Strings#set} takes them; the shared {@link Strings.SetOptions#PLAIN} for none. */
    Strings.SetOptions setOptions() {
        return this == NONE ? Strings.SetOptions.PLAIN : new Strings.SetOptions(condition, expireAtMillis, keepTtl, get);
    }

    private static int expiryFlag(byte[] opt) {
        return Args.is(opt, "ex") ? EX : Args.is(opt, "px") ? PX : Args.is(opt, "exat") ? EXAT : Args.is(opt, "pxat") ? PXAT : 0;
    }

    /** EX/PX (and SETEX, PSETEX): a positive duration in {@code unit} milliseconds from now. */
    static long relativeToAbsolute(byte[] arg, long unit, long nowMillis, String command) {
        long millis = checkedMillis(arg, unit, command);
        if (millis > Long.MAX_VALUE - nowMillis) {
            throw invalidExpireTime(command);
        }
        return millis + nowMillis;
    }

    /** EXAT/PXAT: a positive Unix time in {@code unit} milliseconds. */
    private static long absolute(byte[] arg, long unit, String command) {
        return checkedMillis(arg, unit, command);
    }

    private static long checkedMillis(byte[] arg, long unit, String command) {
        long value = Args.parseLong(arg);
        if (value <= 0 || value > Long.MAX_VALUE / unit) {
            throw invalidExpireTime(command);
        }
        return value * unit;
    }

    private static RedisException invalidExpireTime(String command) {
        return new RedisException("ERR invalid expire time in '" + command + "' command");
    }
}
