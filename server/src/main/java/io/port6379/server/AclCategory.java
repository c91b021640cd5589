// Redis's ACL categories (@read, @string, ...), in the order COMMAND INFO lists them.
package io.port6379.server;

import java.util.Locale;

/**
 * The categories a command belongs to. Some are stated per command (its data type, {@code @keyspace},
 * {@code @connection}); the others follow from its flags, as Redis's {@code setImplicitACLCategories} does:
 * see {@link Command#aclCategories()}.
 */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM, PUBSUB, ADMIN,
    FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    private final String redisName = "@" + name().toLowerCase(Locale.ROOT);

    /** The name with its {@code @}, e.g. {@code @sortedset}. */
    public String redisName() {
        return redisName;
    }
}
