// Redis's string type: a binary-safe byte string.
package io.port6379.datastructures;

/** A string value. Immutable here; the string operations build new values. */
public final class RedisString implements RedisValue {

    private final byte[] value;

    public RedisString(byte[] value) {
        this.value = value;
    }

    public static RedisString of(String text) {
        return new RedisString(Bytes.of(text).array());
    }

    /** The bytes, not a copy: do not modify. O(1). */
    public byte[] bytes() {
        return value;
    }

    @Override
    public String type() {
        return "string";
    }

    @Override
    public String encoding() {
        return value.length <= 44 ? "embstr" : "raw";
    }
}
