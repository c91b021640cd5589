// Redis's string type: a binary-safe byte string, with the encoding name Redis would report for it.
package io.port6379.datastructures;

/**
 * A string value. Immutable: the string operations in {@link Strings} build new values.
 *
 * <p>Redis keeps a string in one of three encodings, which OBJECT ENCODING shows: {@code int} for a decimal
 * 64-bit integer as {@code string2ll} reads it, {@code embstr} for up to 44 bytes allocated with the object
 * header, and {@code raw} for longer strings and for any string changed in place by APPEND or SETRANGE (which
 * keep a spare-capacity buffer). We store the bytes only; the encoding is derived from them, except that a
 * string produced by APPEND or SETRANGE remembers that it is {@code raw}.
 */
public final class RedisString implements RedisValue {

    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    static final int EMBSTR_SIZE_LIMIT = 44;

    private final byte[] value;
    private final boolean raw;

    /** A string in its default encoding ({@code int}, {@code embstr} or {@code raw} by content). O(1). */
    public RedisString(byte[] value) {
        this(value, false);
    }

    private RedisString(byte[] value, boolean raw) {
        this.value = value;
        this.raw = raw;
    }

    /** A string that reports the {@code raw} encoding whatever its content, as after APPEND or SETRANGE. O(1). */
    public static RedisString raw(byte[] value) {
        return new RedisString(value, true);
    }

    /** The UTF-8 bytes of {@code text}. O(N). */
    public static RedisString of(String text) {
        return new RedisString(Bytes.of(text).array());
    }

    /** The decimal text of {@code value}, as INCR stores it. O(1). */
    public static RedisString of(long value) {
        return new RedisString(RedisNumbers.formatLong(value));
    }

    /** The bytes, not a copy: do not modify. O(1). */
    public byte[] bytes() {
        return value;
    }

    /** The length in bytes, as STRLEN. O(1). */
    public int length() {
        return value.length;
    }

    /** Whether this string was made {@code raw} by an in-place operation. O(1). */
    public boolean isRaw() {
        return raw;
    }

    /** {@code "string"}. O(1). */
    @Override
    public String type() {
        return "string";
    }

    /** {@code "int"}, {@code "embstr"} or {@code "raw"}, as Redis 7.0's OBJECT ENCODING. O(1) (at most 20 bytes read). */
    @Override
    public String encoding() {
        if (raw) {
            return "raw";
        }
        if (RedisNumbers.isLong(value)) {
            return "int";
        }
        return value.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
    }
}
