// The flags of Redis's command table, in the order COMMAND INFO lists them.
package io.port6379.server;

import java.util.Locale;

/**
 * What the server must know about a command before running it: does it write (refused when out of memory,
 * propagated), may it run before AUTH, is it O(1) ("fast", which decides the {@code @fast}/{@code @slow} ACL
 * category), and so on. The declaration order is Redis's, so that an {@code EnumSet} iterates in the order
 * {@code COMMAND INFO} prints.
 */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR, SKIP_SLOWLOG,
    ASKING, FAST, NO_AUTH, MAY_REPLICATE, NO_MANDATORY_KEYS, NO_ASYNC_LOADING, NO_MULTI, MOVABLEKEYS, ALLOW_BUSY;

    private final String redisName = name().toLowerCase(Locale.ROOT);

    /** The name as COMMAND INFO prints it, e.g. {@code no_auth}. */
    public String redisName() {
        return redisName;
    }
}
