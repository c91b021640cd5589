// What a key can hold: one of Redis's value types.
package io.port6379.datastructures;

/** A value stored under a key. {@link #type()} is what the TYPE command answers, {@link #encoding()} OBJECT ENCODING. */
public interface RedisValue {

    /** {@code "string"}, {@code "list"}, {@code "hash"}, {@code "set"} or {@code "zset"}. */
    String type();

    /** The current internal representation, with Redis's names ({@code "int"}, {@code "listpack"}, ...). */
    String encoding();

    /**
     * The heap bytes this value occupies (see {@link MemorySizes}), the key and its entry aside: what MEMORY USAGE
     * and {@code used_memory} count for it. Kept up to date by the value as it changes, so O(1).
     */
    long memoryUsage();
}
