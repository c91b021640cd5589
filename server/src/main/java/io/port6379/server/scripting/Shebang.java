// A script's first line "#!lua flags=no-writes,...": Redis 7's way for an EVAL script to declare what it does.
package io.port6379.server.scripting;

import io.port6379.datastructures.RedisException;

import java.util.Set;

/** Redis's {@code evalExtractShebangFlags}: the engine must be {@code lua}, the only option is {@code flags=}. */
final class Shebang {

    private static final Set<String> FLAGS = Set.of("no-writes", "allow-oom", "allow-stale", "no-cluster",
            "allow-cross-slot-keys");

    private Shebang() {
    }

    /** Whether the shebang line declares {@code no-writes}; throws Redis's errors for a bad line. */
    static boolean readOnly(String line) {
        String[] parts = line.substring(2).split(" ");
        if (!parts[0].equals("lua")) {
            throw new RedisException("ERR Unexpected engine in script shebang: " + line);
        }
        boolean readOnly = false;
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
                if (!FLAGS.contains(flag)) {
                    throw new RedisException("ERR Unexpected flag in script shebang: " + flag);
                }
                readOnly |= flag.equals("no-writes");
            }
        }
        return readOnly;
    }
}
