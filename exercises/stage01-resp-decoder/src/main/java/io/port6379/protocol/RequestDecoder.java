// Exercise 01: your RESP request decoder. It replaces the reference io.port6379.protocol.RequestDecoder.
// Check it with `exercises/check 01`; talk to it with `exercises/run-server 01 --port 6380` and redis-cli.
package io.port6379.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streaming decoder for client requests: RESP arrays of bulk strings ({@code *2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n})
 * and inline commands ({@code ECHO hi\r\n}). A request starting with {@code *} is a multibulk; anything else
 * is an inline line.
 *
 * <p>Usage, once per read: {@link #feed} the bytes, then call {@link #next} until it returns {@code null}.
 * Not thread-safe: one decoder per connection.
 *
 * <p>What to build, in the order the tests check it:
 * <ol>
 *   <li>Buffering. A read may end anywhere: inside a length, between {@code \r} and {@code \n}, inside a
 *       payload. {@link #next} then returns {@code null} and must succeed once the rest is fed; the tests feed
 *       every golden case whole, one byte at a time, and split in the middle. Simplest: copy what is fed into
 *       one growable {@code byte[]} and parse from a read index (moving unread bytes to the front before
 *       growing); the reference instead reads the caller's array in place ({@link LentInput}) and remembers
 *       where it stopped in a state machine, like Redis's {@code multibulklen}/{@code bulklen}.</li>
 *   <li>Multibulk: {@code *<count>\r\n} then {@code count} times {@code $<length>\r\n<length bytes>\r\n}.
 *       Payloads are binary and may contain {@code \r\n}: trust the length. {@code *0} and {@code *-1} are
 *       skipped. Redis skips the two bytes after a payload without checking them.</li>
 *   <li>Inline: one line up to {@code \n} (a {@code \r} before it is dropped), split as Redis's
 *       {@code sdssplitargs} does: {@link InlineParser} does that part for you. An empty line is skipped.</li>
 *   <li>Limits and errors, with Redis's exact texts (the constants below), as {@link ProtocolException}: a count
 *       above 2147483647 (INT_MAX, as Redis 7.0; the 1024*1024 of older versions no longer applies) or not a
 *       number, a bulk length above {@link ProtocolLimits#maxBulkLength()}, an element
 *       not starting with {@code $} ({@code Protocol error: expected '$', got 'x'}), a line longer than
 *       {@link ProtocolLimits#INLINE_MAX_SIZE}. While {@link #authRequired} is true, at most 10 arguments of
 *       at most 16384 bytes. After an error the decoder stays failed: every {@code next()} throws it again.</li>
 *   <li>The corners RequestDecoderTest checks (chapter 01, "What Redis accepts"): the byte after the CR of a
 *       {@code *} or {@code $} line is skipped unchecked, as are the two bytes after a payload, so wait for that
 *       byte before deciding anything; numbers are read by {@link AsciiLong#parse} (Redis's string2ll: no
 *       {@code +}, no spaces, no leading zero, {@code -0} is not a number); a {@code *}, {@code $} or inline line
 *       with more than 64 KB ({@link ProtocolLimits#INLINE_MAX_SIZE}) before its terminator is too big, whatever
 *       the chunking; a NUL byte in such a line makes it never end (Redis searches with {@code strchr}), so it
 *       stalls until the 64 KB limit reports it; a huge count or bulk length allocates nothing up front (grow as
 *       the bytes arrive).</li>
 *   <li>Speed: the properties feed thousands of commands and every split of them. Scan each byte once: a decoder
 *       that re-parses its whole buffer on every {@code feed} is quadratic and runs into the 10 s per-test
 *       timeout.</li>
 * </ol>
 * Tests: protocol/src/test/java/io/port6379/protocol/GoldenCaseTest.java (inputs and the replies a real
 * redis-server 7.0 gave, in GoldenCases.java), RequestDecoderTest.java (the corners above, limits and the state
 * after an error) and RequestDecoderProperties.java (any chunking decodes alike;
 * any bytes give commands or a protocol error, never another exception).
 * The reference solution is protocol/src/main/java/io/port6379/protocol/RequestDecoder.java.
 */
public final class RequestDecoder {

    static final String INVALID_MULTIBULK_LENGTH = "Protocol error: invalid multibulk length";
    static final String INVALID_BULK_LENGTH = "Protocol error: invalid bulk length";
    static final String UNAUTHENTICATED_MULTIBULK_LENGTH = "Protocol error: unauthenticated multibulk length";
    static final String UNAUTHENTICATED_BULK_LENGTH = "Protocol error: unauthenticated bulk length";
    static final String TOO_BIG_INLINE_REQUEST = "Protocol error: too big inline request";
    static final String TOO_BIG_MBULK_COUNT_STRING = "Protocol error: too big mbulk count string";
    static final String TOO_BIG_BULK_COUNT_STRING = "Protocol error: too big bulk count string";

    /** A decoder with Redis's default limits. */
    public RequestDecoder() {
        this(ProtocolLimits.DEFAULT);
    }

    public RequestDecoder(ProtocolLimits limits) {
    }

    /**
     * CONFIG SET proto-max-bulk-len on a live connection: the new limit applies from the next bulk header decoded,
     * as in Redis. The server calls it before every batch of commands.
     */
    public void maxBulkLength(long length) {
        // exercise 01 (optional): replace the limit given to the constructor; until then CONFIG SET reaches new connections only.
    }

    /**
     * Whether the client must still authenticate (Redis's {@code authRequired()}): while true, a request may have
     * at most 10 arguments of at most 16 384 bytes each. Takes effect from the next header decoded.
     */
    public void authRequired(boolean required) {
        // exercise 01: remember it; the golden cases named "unauthenticated ..." check the limits it switches on.
    }

    /**
     * Makes {@code data[offset, offset + length)} available to {@link #next}. The caller may reuse the array once
     * {@code next()} has returned {@code null}.
     */
    public void feed(byte[] data, int offset, int length) {
        throw new UnsupportedOperationException("exercise 01: feed(): keep the bytes until a whole command has arrived");
    }

    /**
     * Reads the rest of a large bulk payload (32 KB or more, begun, with every fed byte decoded) from {@code in}
     * straight into the argument's array, instead of a read buffer that is then fed and copied. The server calls it
     * before each read. Returns the bytes read, -1 at the end of the stream, or 0 without reading when no large
     * payload awaits its bytes: the server then reads into its own buffer and calls {@link #feed}.
     */
    public int readPayload(InputStream in) throws IOException {
        return 0; // exercise 01 (optional): large values then arrive through feed(), one read buffer at a time.
    }

    /** Bytes received and not yet part of a returned command: the partial command so far plus unread input. */
    public int pending() {
        throw new UnsupportedOperationException("exercise 01: pending(): bytes fed but not yet returned by next()");
    }

    /**
     * Returns the next complete command as its arguments (never empty), or {@code null} when more input is needed.
     * Empty inline lines and {@code *0}/{@code *-1} arrays are skipped, as Redis does.
     *
     * @throws ProtocolException with Redis's exact text when the input can never become a valid command; the
     *                           decoder then rejects everything, so the connection should be closed
     */
    public byte[][] next() throws ProtocolException {
        throw new UnsupportedOperationException("exercise 01: next(): decode one multibulk or inline command, or return null");
    }
}
