// The limits a decoder enforces, named after the Redis settings and constants they mirror.
package io.port6379.protocol;

/**
 * Limits on what a decoder accepts. Only {@code proto-max-bulk-len} is configurable in Redis; the other limits
 * are constants of Redis's {@code networking.c} and {@code server.h}, kept here so every decoder names them
 * the same way.
 *
 * @param maxBulkLength   {@code proto-max-bulk-len}: the longest bulk string accepted (Redis's default is 512 MB).
 *                        A Java array holds at most {@link #MAX_ARRAY_LENGTH} bytes, so a larger setting (Redis
 *                        allows up to 2^63-1) is lowered to that ceiling rather than refused.
 * @param maxNestingDepth how deep a reply's aggregates may nest in {@link FrameDecoder} (requests never nest).
 */
public record ProtocolLimits(long maxBulkLength, int maxNestingDepth) {

    /** {@code PROTO_INLINE_MAX_SIZE}: an inline line, or a {@code *}/{@code $} header line, longer than this is refused. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Before AUTH (when a password is required), a request may have at most this many arguments. */
    public static final int UNAUTHENTICATED_MAX_MULTIBULK_LENGTH = 10;
    /** Before AUTH (when a password is required), a bulk string may be at most this long. */
    public static final int UNAUTHENTICATED_MAX_BULK_LENGTH = 16384;
    /** Redis's default {@code proto-max-bulk-len}: 512 MB. */
    public static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;
    /** The largest byte array the JVM reliably allocates. */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Deep enough for every reply Redis sends (COMMAND DOCS nests 12 levels), shallow enough to be safe. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

    /** Redis's defaults. */
    public static final ProtocolLimits DEFAULT = new ProtocolLimits(DEFAULT_MAX_BULK_LENGTH, DEFAULT_MAX_NESTING_DEPTH);

    public ProtocolLimits {
        if (maxBulkLength < 0) {
            throw new IllegalArgumentException("maxBulkLength must not be negative: " + maxBulkLength);
        }
        maxBulkLength = Math.min(maxBulkLength, MAX_ARRAY_LENGTH);
        if (maxNestingDepth < 1) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 1: " + maxNestingDepth);
        }
    }

    /** These limits with another {@code proto-max-bulk-len}. */
    public ProtocolLimits withMaxBulkLength(long length) {
        return new ProtocolLimits(length, maxNestingDepth);
    }
}
