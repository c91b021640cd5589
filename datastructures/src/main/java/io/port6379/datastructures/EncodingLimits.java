// The size limits that choose a value's compact encoding and cap a string's length: one server's settings.
package io.port6379.datastructures;

/**
 * Redis keeps these in its global {@code server} struct ({@code proto-max-bulk-len}, {@code hash-max-listpack-*},
 * {@code zset-max-listpack-*}, {@code set-max-intset-entries}, {@code hll-sparse-max-bytes}). Several servers may share one JVM, so here they are
 * a value each server owns: its {@link Keyspace}s hold the current one, and the operations that may grow a string
 * or convert an encoding take it as an argument. CONFIG SET replaces it; an instance never changes, so reading it
 * costs one field load and nothing is shared between servers.
 *
 * @param maxStringLength         {@code proto-max-bulk-len}: APPEND, SETRANGE and SETBIT cannot grow past it
 * @param hashMaxListpackEntries  {@code hash-max-listpack-entries}
 * @param hashMaxListpackValue    {@code hash-max-listpack-value} (bytes of one field or value)
 * @param zsetMaxListpackEntries  {@code zset-max-listpack-entries}
 * @param zsetMaxListpackValue    {@code zset-max-listpack-value} (bytes of one member)
 * @param setMaxIntsetEntries     {@code set-max-intset-entries}
 * @param hllSparseMaxBytes       {@code hll-sparse-max-bytes}: a sparse HyperLogLog that would grow past it turns dense
 * @param lists                   {@code list-max-listpack-size} and {@code list-compress-depth}: what a list made now
 *                                keeps ({@link QuicklistOptions})
 */
public record EncodingLimits(long maxStringLength, int hashMaxListpackEntries, int hashMaxListpackValue,
                             int zsetMaxListpackEntries, int zsetMaxListpackValue, int setMaxIntsetEntries,
                             long hllSparseMaxBytes, QuicklistOptions lists) {

    /** Redis 7.0's defaults. */
    public static final EncodingLimits REDIS_DEFAULTS = new EncodingLimits(Strings.DEFAULT_MAX_LENGTH, 512, 64,
            RedisSortedSet.ZSET_MAX_LISTPACK_ENTRIES, RedisSortedSet.ZSET_MAX_LISTPACK_VALUE,
            RedisSet.SET_MAX_INTSET_ENTRIES, HyperLogLog.DEFAULT_SPARSE_MAX_BYTES, QuicklistOptions.DEFAULT);

    /** These limits with the sorted sets' changed, as CONFIG SET zset-max-listpack-entries / -value. */
    public EncodingLimits withSortedSets(int maxEntries, int maxValue) {
        return new EncodingLimits(maxStringLength, hashMaxListpackEntries, hashMaxListpackValue, maxEntries, maxValue,
                setMaxIntsetEntries, hllSparseMaxBytes, lists);
    }

    /** These limits with the hashes' changed, as CONFIG SET hash-max-listpack-entries / -value. */
    public EncodingLimits withHashes(int maxEntries, int maxValue) {
        return new EncodingLimits(maxStringLength, maxEntries, maxValue, zsetMaxListpackEntries, zsetMaxListpackValue,
                setMaxIntsetEntries, hllSparseMaxBytes, lists);
    }

    /** These limits with the sets' changed, as CONFIG SET set-max-intset-entries. */
    public EncodingLimits withSets(int maxIntsetEntries) {
        return new EncodingLimits(maxStringLength, hashMaxListpackEntries, hashMaxListpackValue, zsetMaxListpackEntries,
                zsetMaxListpackValue, maxIntsetEntries, hllSparseMaxBytes, lists);
    }

    /** These limits with the strings' changed, as CONFIG SET proto-max-bulk-len. */
    public EncodingLimits withMaxStringLength(long bytes) {
        return new EncodingLimits(bytes, hashMaxListpackEntries, hashMaxListpackValue, zsetMaxListpackEntries,
                zsetMaxListpackValue, setMaxIntsetEntries, hllSparseMaxBytes, lists);
    }
}
