// Redis's string type: a binary-safe byte string, with the encoding name Redis would report for it.
package io.port6379.datastructures;

/**
 * A string value. Immutable, with one exception: the string operations in {@link Strings} build new values, but
 * SETBIT, BITFIELD and PFADD change the bytes of a {@linkplain #writable writable} string in place, as Redis
 * changes its buffer, instead of copying a 125 KB bitmap or a 12 KB HyperLogLog for every bit or register.
 * A string is writable from its creation by one of those commands until its bytes are first handed out by
 * {@link #bytes()} (a GET, a DUMP, a snapshot, any other command) or it is {@linkplain #share shared}; from then on
 * whoever got the array may keep it, and the next in-place write copies first and stores a new writable string.
 *
 * <p>Redis keeps a string in one of three encodings, which OBJECT ENCODING shows: {@code int} for a decimal
 * 64-bit integer as {@code string2ll} reads it, {@code embstr} for up to 44 bytes allocated with the object
 * header, and {@code raw} for longer strings and for any string changed in place by APPEND or SETRANGE (which
 * keep a spare-capacity buffer). We store the bytes only; the encoding is derived from them, except that a
 * string produced by APPEND or SETRANGE remembers that it is {@code raw}, and one produced by INCRBYFLOAT that
 * it is not {@code int}.
 */
public final class RedisString implements RedisValue {

    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    static final int EMBSTR_SIZE_LIMIT = 44;

    private final byte[] value;
    /** The encoding Redis chose when it made this string, or null when it follows from the content. */
    private final String encoding;
    /** Whether nothing but the keyspace holds {@link #value} yet, so that the bit commands may change it in place. */
    private boolean writable;

    /**
     * A string in its default encoding ({@code int}, {@code embstr} or {@code raw} by content), as SET and most
     * commands store it after Redis's {@code tryObjectEncoding}. O(1).
     */
    public RedisString(byte[] value) {
        this(value, null);
    }

    private RedisString(byte[] value, String encoding) {
        this.value = value;
        this.encoding = encoding;
    }

    /** A string that reports the {@code raw} encoding whatever its content, as after APPEND or SETRANGE. O(1). */
    public static RedisString raw(byte[] value) {
        return new RedisString(value, "raw");
    }

    /**
     * A {@code raw} string whose bytes the caller has just made and hands over: SETBIT, BITFIELD and PFADD may
     * change them in place ({@link #writableBytes}) until they are handed out. O(1).
     */
    public static RedisString writable(byte[] value) {
        RedisString string = new RedisString(value, "raw");
        string.writable = true;
        return string;
    }

    /**
     * A string made from a formatted number, as INCRBYFLOAT's result: Redis creates it {@code embstr} (or
     * {@code raw} beyond 44 bytes) without trying the {@code int} encoding, so "5000" is an embstr. O(1).
     */
    public static RedisString formatted(byte[] value) {
        return new RedisString(value, value.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw");
    }

    /** The UTF-8 bytes of {@code text}. O(N). */
    public static RedisString of(String text) {
        return new RedisString(Bytes.of(text).array());
    }

    /** The decimal text of {@code value}, as INCR stores it. O(1). */
    public static RedisString of(long value) {
        return new RedisString(RedisNumbers.formatLong(value));
    }

    /**
     * The bytes, not a copy: do not modify. The caller may keep them, so a writable string stops being writable
     * (its next in-place write copies first). O(1).
     */
    public byte[] bytes() {
        if (writable) {
            writable = false;
        }
        return value;
    }

    /**
     * The bytes for a reading that is over before the command returns and keeps nothing of them (GETBIT,
     * BITCOUNT, BITPOS): unlike {@link #bytes()}, a writable string stays writable. Do not modify. O(1).
     */
    public byte[] bytesToRead() {
        return value;
    }

    /** Whether SETBIT, BITFIELD and PFADD may change {@link #writableBytes} in place. O(1). */
    public boolean isWritable() {
        return writable;
    }

    /**
     * The bytes of a {@linkplain #isWritable writable} string, to change in place under the execution lock; they
     * stay the string's own, so do not keep them. O(1).
     */
    public byte[] writableBytes() {
        if (!writable) {
            throw new IllegalStateException("the string's bytes are shared");
        }
        return value;
    }

    /** Ends in-place writes without handing the bytes out: a snapshot now holds this very string. O(1). */
    public void share() {
        writable = false;
    }

    /** The length in bytes, as STRLEN. O(1). */
    public int length() {
        return value.length;
    }

    /** Whether this string was made {@code raw} by an in-place operation. O(1). */
    public boolean isRaw() {
        return "raw".equals(encoding);
    }

    /** Whether the encoding follows from the content alone (the keyspace then stores just the bytes). O(1). */
    public boolean hasDefaultEncoding() {
        return encoding == null;
    }

    /**
     * COPY's copy, as Redis's {@code dupStringObject}: new bytes in the same encoding. It is never one of Redis's
     * shared integers 0..9999, even when its content is one, so OBJECT REFCOUNT reports 1 for it. O(N).
     */
    public RedisString copy() {
        return new RedisString(value.clone(), encoding());
    }

    /**
     * This object (bytes, encoding) and its bytes. A string in the default encoding is stored
     * as its bare bytes, which the keyspace counts without this object. O(1).
     */
    @Override
    public long memoryUsage() {
        return MemorySizes.object(2, 0, 0) + MemorySizes.of(value);
    }

    /** {@code "string"}. O(1). */
    @Override
    public String type() {
        return "string";
    }

    /** {@code "int"}, {@code "embstr"} or {@code "raw"}, as Redis 7.0's OBJECT ENCODING. O(1) (at most 20 bytes read). */
    @Override
    public String encoding() {
        if (encoding != null) {
            return encoding;
        }
        if (RedisNumbers.isLong(value)) {
            return "int";
        }
        return value.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
    }
}
