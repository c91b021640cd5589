// What a key can hold: one of Redis's value types.
package io.port6379.datastructures;

/** A value stored under a key. {@link #type()} is what the TYPE command answers, {@link #encoding()} OBJECT ENCODING. */
public interface RedisValue {

    /** {@code "string"}, {@code "list"}, {@code "hash"}, {@code "set"} or {@code "zset"}. */
    String type();

    /** The current internal representation, with Redis's names ({@code "int"}, {@code "listpack"}, ...). */
    String encoding();
}
