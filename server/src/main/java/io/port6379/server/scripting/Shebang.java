// A script's first line "#!lua flags=no-writes,...": Redis 7's way for an EVAL script to declare what it does.
package io.port6379.server.scripting;

import io.port6379.datastructures.RedisException;

import java.util.List;
import java.util.Locale;

/**
 * Redis's {@code evalExtractShebangFlags} and its script flags ({@code scripts_flags_def}). A function declares
 * the same flags in {@code redis.register_function}; an EVAL script without a shebang runs in Redis 6's
 * compatibility mode ({@link #EVAL_COMPAT}), where none of the flags' checks apply.
 */
public final class Shebang {

    public static final int NO_WRITES = 1;
    public static final int ALLOW_OOM = 2;
    public static final int ALLOW_STALE = 4;
    public static final int NO_CLUSTER = 8;
    public static final int ALLOW_CROSS_SLOT_KEYS = 16;
    /** Redis's SCRIPT_FLAG_EVAL_COMPAT_MODE: an EVAL script without a shebang line. */
    public static final int EVAL_COMPAT = 32;

    /** The flags' names, in Redis's order (FUNCTION LIST lists them so): the n-th name is bit n. */
    public static final List<String> NAMES = List.of("no-writes", "allow-oom", "allow-stale", "no-cluster",
            "allow-cross-slot-keys");

    private Shebang() {
    }

    /** The bit of a flag's name (any case, as register_function accepts it), or 0 for no flag of ours. */
    static int flag(String name) {
        int index = NAMES.indexOf(name.toLowerCase(Locale.ROOT));
        return index < 0 ? 0 : 1 << index;
    }

    /** The flags the shebang line declares; throws Redis's errors for a bad line. */
    static int flags(String line) {
        String[] parts = line.substring(2).split(" ");
        if (!parts[0].equals("lua")) {
            throw new RedisException("ERR Unexpected engine in script shebang: " + line);
        }
        int flags = 0;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            if (!parts[i].startsWith("flags=")) {
                throw new RedisException("ERR Unknown lua shebang option: " + parts[i]);
            }
            for (String flag : parts[i].substring(6).split(",")) {
                if (flag.isEmpty()) {
                    continue;
                }
                if (!NAMES.contains(flag)) {
                    throw new RedisException("ERR Unexpected flag in script shebang: " + flag);
                }
                flags |= flag(flag);
            }
        }
        return flags;
    }
}
