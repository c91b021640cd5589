// Turns the bytes a client sends into commands (arrays of arguments), the way Redis's processMultibulkBuffer
// and processInlineBuffer do. Fed in arbitrary chunks; yields each command once all of its bytes arrived.
package io.port6379.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Streaming decoder for client requests: RESP arrays of bulk strings ({@code *2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n})
 * and inline commands ({@code ECHO hi\r\n}). A request starting with {@code *} is a multibulk; anything else
 * is an inline line.
 *
 * <p>Usage, once per read: {@link #feed} the bytes, then call {@link #next} until it returns {@code null}, and
 * only then reuse the array you fed (the decoder reads it in place; see {@link LentInput}). Commands are decoded
 * one at a time, when asked for, so that a command can change how the next one is decoded: after a pipelined
 * {@code AUTH}, the following command is no longer held to the unauthenticated limits, exactly as in Redis.
 *
 * <p>The decoder is a state machine, like Redis's client struct ({@code multibulklen}, {@code bulklen}): whatever
 * a chunk ends in the middle of — a header line, a payload, the two bytes after a payload — is remembered, so at
 * most one partial command is held. A plain command that is all in the input skips the states (see
 * {@link #decodeWholeCommand}); only the command a read ends inside is looked at twice, by it and then by the
 * states. Bulk payloads are copied once, from the fed array into their own {@code byte[]}; the rest of a large one
 * need not be fed at all: {@link #readPayload} reads it from the stream into that array. Memory stays
 * proportional to the bytes received: {@code *2000000000} allocates nothing up front, and a huge {@code $} header
 * allocates its array as the payload actually arrives.
 *
 * <p>Redis's quirks are kept on purpose (each is a golden test against a real redis-server): the two bytes after a
 * payload and the byte after a header's CR are skipped unchecked, {@code *0} and {@code *-5} are ignored, and a NUL
 * byte in a header or inline line stalls the request until it is too big (Redis searches lines with
 * {@code strchr}, which stops at NUL). One deliberate difference: Redis checks line length only after each 16 KB
 * read, so whether a line just over 64 KB passes depends on how the bytes were split; here a line is too big
 * when more than 64 KB precede its terminator, whatever the chunking.
 *
 * <p>Not thread-safe: one decoder per connection. After a {@link ProtocolException} the decoder stays failed.
 */
public final class RequestDecoder {

    static final String INVALID_MULTIBULK_LENGTH = "Protocol error: invalid multibulk length";
    static final String INVALID_BULK_LENGTH = "Protocol error: invalid bulk length";
    static final String UNAUTHENTICATED_MULTIBULK_LENGTH = "Protocol error: unauthenticated multibulk length";
    static final String UNAUTHENTICATED_BULK_LENGTH = "Protocol error: unauthenticated bulk length";
    static final String TOO_BIG_INLINE_REQUEST = "Protocol error: too big inline request";
    static final String TOO_BIG_MBULK_COUNT_STRING = "Protocol error: too big mbulk count string";
    static final String TOO_BIG_BULK_COUNT_STRING = "Protocol error: too big bulk count string";

    /** Redis sizes argv for at most this many arguments up front and grows it as they arrive. */
    private static final int MAX_PREALLOCATED_ARGUMENTS = 1024;
    /** A payload up to this size gets its exact array from the header; a larger one grows as its bytes arrive. */
    private static final int MAX_PREALLOCATED_BULK = 1024 * 1024;
    /** A payload from this size on is read straight into its array by {@link #readPayload} (Redis's PROTO_MBULK_BIG_ARG). */
    private static final int BIG_ARGUMENT = 32 * 1024;
    private static final byte[] EMPTY_BULK = new byte[0];

    private enum State { COMMAND_START, INLINE, MULTIBULK_LENGTH, BULK_LENGTH, BULK_PAYLOAD, BULK_TRAILER, STALLED }

    private ProtocolLimits limits;
    private final LentInput input = new LentInput();
    private boolean authRequired;
    private ProtocolException failure;

    private State state = State.COMMAND_START;
    private long commandStart;                   // stream offset of the current command's first byte

    private byte[] partialLine = EMPTY_BULK;     // a header or inline line split across chunks (made at the first one)
    private int partialLineLength;
    private boolean partialLineEndsWithCr;       // a header line's CR arrived; the byte after it has not
    private byte[] lineBytes;                    // the complete line: partialLine, or the fed array itself
    private int lineFrom;
    private int lineTo;
    private long stalledBytes;
    private String stalledError;

    private int multibulkRemaining;              // Redis's multibulklen
    private byte[][] args;
    private int argc;
    private byte[] bulk;                         // the payload being filled
    private int bulkLength;                      // Redis's bulklen
    private int bulkFilled;
    private int trailerRemaining;

    /** A decoder with Redis's default limits. */
    public RequestDecoder() {
        this(ProtocolLimits.DEFAULT);
    }

    public RequestDecoder(ProtocolLimits limits) {
        this.limits = limits;
    }

    /**
     * CONFIG SET proto-max-bulk-len on a live connection: the new limit applies from the next bulk header decoded,
     * as in Redis, whose parser reads the setting at every header. O(1); allocates only when the limit changed.
     */
    public void maxBulkLength(long length) {
        if (Math.min(length, ProtocolLimits.MAX_ARRAY_LENGTH) != limits.maxBulkLength()) {
            limits = limits.withMaxBulkLength(length);
        }
    }

    /**
     * Whether the client must still authenticate (Redis's {@code authRequired()}): while true, a request may have
     * at most 10 arguments of at most 16 384 bytes each. Takes effect from the next header decoded.
     */
    public void authRequired(boolean required) {
        this.authRequired = required;
    }

    /**
     * Makes {@code data[offset, offset + length)} available to {@link #next}. The bytes are read in place: leave
     * them unchanged until {@code next()} has returned {@code null}. O(1), or O(unread) if called before that.
     */
    public void feed(byte[] data, int offset, int length) {
        if (failure == null) {
            input.feed(data, offset, length);
        }
    }

    // tag::readPayload[]
    /**
     * Reads the rest of a large bulk payload from {@code in} straight into the argument's own array, as Redis reads a
     * big argument straight into the string that becomes the argument: no read buffer in between, no copy from it,
     * and as many bytes per read as the stream has, up to the end of the payload. It applies when a payload of at
     * least 32 KB has begun and every byte fed so far is decoded; the connection calls it before each read.
     *
     * @return the payload bytes read; 0, without reading, when no large payload awaits its bytes (read into your own
     *         buffer and {@link #feed} it); -1 at the end of the stream
     */
    public int readPayload(InputStream in) throws IOException {
        if (state != State.BULK_PAYLOAD || bulkLength < BIG_ARGUMENT || bulkFilled == bulkLength || input.available() > 0
                || failure != null) {
            return 0;
        }
        if (bulkFilled == bulk.length) { // only for payloads over MAX_PREALLOCATED_BULK: they grow as they arrive
            bulk = Arrays.copyOf(bulk, (int) Math.min(bulkLength, 2L * bulk.length));
        }
        int n = in.read(bulk, bulkFilled, bulk.length - bulkFilled);
        if (n > 0) {
            bulkFilled += n;
            input.received += n;
        }
        return n;
    }
    // end::readPayload[]

    /** Bytes received and not yet part of a returned command: the partial command so far plus unread input. */
    public int pending() {
        long pending = state == State.COMMAND_START ? input.available() : input.received - commandStart;
        return (int) Math.min(Integer.MAX_VALUE, pending);
    }

    /**
     * Returns the next complete command as its arguments (never empty), or {@code null} when more input is needed.
     * Empty inline lines and {@code *0}/{@code *-1} arrays are skipped, as Redis does. O(bytes read).
     *
     * @throws ProtocolException with Redis's exact text when the input can never become a valid command; the
     *                           decoder then rejects everything, so the connection should be closed
     */
    public byte[][] next() throws ProtocolException {
        if (failure != null) {
            throw failure;
        }
        try {
            return decode();
        } catch (ProtocolException e) {
            failure = e;
            input.discard();
            throw e;
        }
    }

    // tag::decode[]
    private byte[][] decode() throws ProtocolException {
        while (true) {
            switch (state) {
                case COMMAND_START -> {
                    if (input.available() == 0) {
                        return null;
                    }
                    byte[][] whole = decodeWholeCommand(); // the common case, without the states below
                    if (whole != null) {
                        return whole;
                    }
                    commandStart = input.streamPosition();
                    state = input.bytes[input.pos] == '*' ? State.MULTIBULK_LENGTH : State.INLINE;
                }
                case INLINE -> {
                    if (!readLine(false, TOO_BIG_INLINE_REQUEST)) {
                        return null;
                    }
                    state = State.COMMAND_START;
                    byte[][] inlineArgs = InlineParser.split(lineBytes, lineFrom, lineTo);
                    if (inlineArgs.length > 0) {
                        return inlineArgs; // a blank line is no command at all
                    }
                }
                case MULTIBULK_LENGTH -> {
                    if (!readLine(true, TOO_BIG_MBULK_COUNT_STRING)) {
                        return null;
                    }
                    startMultibulk(multibulkLength());
                }
                // end::decode[]
                // tag::decodeBulk[]
                case BULK_LENGTH -> {
                    if (!readLine(true, TOO_BIG_BULK_COUNT_STRING)) {
                        return null;
                    }
                    startBulk(bulkLength());
                }
                case BULK_PAYLOAD -> {
                    if (!fillBulk()) {
                        return null;
                    }
                    trailerRemaining = 2; // the CRLF after a payload, which Redis skips without looking at it
                    state = State.BULK_TRAILER;
                }
                case BULK_TRAILER -> {
                    if (!skipTrailer()) {
                        return null;
                    }
                    byte[][] command = addArgument();
                    if (command != null) {
                        return command;
                    }
                }
                case STALLED -> {
                    stall();
                    return null;
                }
            }
        }
    }
    // end::decodeBulk[]

    /**
     * The fast path: a plain multibulk command whose bytes are all in the input, decoded with local variables
     * only, or {@code null} (nothing read, nothing changed) to leave the input to the state machine. It exists
     * because the whole command is usually there, and the states cost a field write, a switch and several calls
     * per argument, which makes up most of a short command's decoding time (RequestDecoderBenchmark and
     * RequestPathBenchmark measure it; chapters 1 and 15 have the figures).
     * It accepts only what the state machine decodes identically: {@code *<1..1024>} then, for each argument,
     * {@code $<0..1048576>} and its payload, numbers without sign or leading zero, headers ending in CR LF, and
     * no unauthenticated client. Anything else, including Redis's quirks, goes the slow way; WholeCommandProperties
     * checks that both ways decode every input alike.
     */
    // tag::wholeCommand[]
    private byte[][] decodeWholeCommand() {
        byte[] bytes = input.bytes;
        int p = input.pos;
        int end = input.end;
        if (bytes[p] != '*' || authRequired) {
            return null;
        }
        int from = ++p;
        int count = 0;
        while (p < end && p - from < 4 && isDigit(bytes[p])) {
            count = count * 10 + bytes[p++] - '0';
        }
        if (p == from || bytes[from] == '0' || count > MAX_PREALLOCATED_ARGUMENTS || !isCrLf(bytes, p, end)) {
            return null;
        }
        p += 2;
        byte[][] command = new byte[count][];
        for (int argc = 0; argc < count; argc++) {
            if (p == end || bytes[p] != '$') {
                return null;
            }
            from = ++p;
            int length = 0; // at most 7 digits (MAX_PREALLOCATED_BULK), so no overflow check is needed
            while (p < end && p - from < 7 && isDigit(bytes[p])) {
                length = length * 10 + bytes[p++] - '0';
            }
            if (p == from || (bytes[from] == '0' && p - from > 1) || length > MAX_PREALLOCATED_BULK
                    || length > limits.maxBulkLength() || !isCrLf(bytes, p, end) || end - p - 2 < length + 2) {
                return null; // the last test: the payload and the two bytes after it are not all here yet
            }
            p += 2;
            command[argc] = length == 0 ? EMPTY_BULK : Arrays.copyOfRange(bytes, p, p + length);
            p += length + 2; // the two bytes after a payload are skipped unchecked, as by the state machine
        }
        input.pos = p;
        return command;
    }
    // end::wholeCommand[]

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isCrLf(byte[] bytes, int p, int end) {
        return p + 1 < end && bytes[p] == '\r' && bytes[p + 1] == '\n';
    }

    // tag::headers[]
    /** The count of a {@code *<count>} line: refused as Redis refuses it, or returned (0 or less is ignored). */
    private long multibulkLength() throws ProtocolException {
        long count = AsciiLong.parse(lineBytes, lineFrom + 1, lineTo, INVALID_MULTIBULK_LENGTH);
        if (count > Integer.MAX_VALUE) {
            throw new ProtocolException(INVALID_MULTIBULK_LENGTH);
        }
        if (count > ProtocolLimits.UNAUTHENTICATED_MAX_MULTIBULK_LENGTH && authRequired) {
            throw new ProtocolException(UNAUTHENTICATED_MULTIBULK_LENGTH);
        }
        return count;
    }

    /** The length of a {@code $<length>} line inside a request. */
    private int bulkLength() throws ProtocolException {
        int first = lineTo > lineFrom ? lineBytes[lineFrom] & 0xff : '\r'; // an empty line started with its CR
        if (first != '$') {
            // Redis replaces CR and LF in error texts by spaces, so that the reply stays one line
            char got = first == '\r' || first == '\n' ? ' ' : (char) first;
            throw new ProtocolException("Protocol error: expected '$', got '" + got + "'");
        }
        long length = AsciiLong.parse(lineBytes, lineFrom + 1, lineTo, INVALID_BULK_LENGTH);
        if (length < 0 || length > limits.maxBulkLength()) {
            throw new ProtocolException(INVALID_BULK_LENGTH);
        }
        if (length > ProtocolLimits.UNAUTHENTICATED_MAX_BULK_LENGTH && authRequired) {
            throw new ProtocolException(UNAUTHENTICATED_BULK_LENGTH);
        }
        return (int) length;
    }
    // end::headers[]

    private void startMultibulk(long count) {
        if (count <= 0) {
            state = State.COMMAND_START;
            return;
        }
        multibulkRemaining = (int) count;
        args = new byte[(int) Math.min(count, MAX_PREALLOCATED_ARGUMENTS)][];
        argc = 0;
        state = State.BULK_LENGTH;
    }

    // tag::payload[]
    private void startBulk(int length) {
        bulkLength = length;
        bulkFilled = 0;
        bulk = length == 0 ? EMPTY_BULK : new byte[Math.min(length, MAX_PREALLOCATED_BULK)];
        state = State.BULK_PAYLOAD;
    }

    /** Copies payload bytes from the input into {@link #bulk}; true once all {@link #bulkLength} arrived. */
    private boolean fillBulk() {
        while (bulkFilled < bulkLength) {
            if (input.available() == 0) {
                return false;
            }
            if (bulkFilled == bulk.length) { // only for payloads over MAX_PREALLOCATED_BULK
                bulk = Arrays.copyOf(bulk, (int) Math.min(bulkLength, 2L * bulk.length));
            }
            int n = Math.min(input.available(), bulk.length - bulkFilled);
            System.arraycopy(input.bytes, input.pos, bulk, bulkFilled, n);
            input.pos += n;
            bulkFilled += n;
        }
        return true;
    }
    // end::payload[]

    private boolean skipTrailer() {
        int n = Math.min(trailerRemaining, input.available());
        input.pos += n;
        trailerRemaining -= n;
        return trailerRemaining == 0;
    }

    /** Adds the finished payload to the command; returns the command when it was the last argument. */
    private byte[][] addArgument() {
        if (argc == args.length) {
            args = Arrays.copyOf(args, (int) Math.min((long) argc + multibulkRemaining, 2L * argc));
        }
        args[argc++] = bulk;
        bulk = null;
        if (--multibulkRemaining > 0) {
            state = State.BULK_LENGTH;
            return null;
        }
        state = State.COMMAND_START;
        byte[][] command = args;
        args = null;
        return command;
    }

    // tag::readLine[]
    /**
     * Reads the line at the input, across chunks if need be, and points {@link #lineBytes}[{@link #lineFrom},
     * {@link #lineTo}) at its content. Returns false when more input is needed.
     *
     * <p>A header line ({@code *3}, {@code $5}) ends at CR, and the one byte after the CR is skipped unseen, as in
     * Redis. An inline line ends at LF, and a CR before the LF is dropped. A NUL byte before the end stalls the line
     * (see {@link #stall}); more than 64 KB without an end is an error.
     */
    private boolean readLine(boolean header, String tooBig) throws ProtocolException {
        if (partialLineEndsWithCr) { // the header's CR ended the previous chunk: one more byte ends the line
            if (input.available() == 0) {
                return false;
            }
            input.pos++;
            partialLineEndsWithCr = false;
            return completePartialLine();
        }
        byte[] bytes = input.bytes;
        int start = input.pos;
        int scanEnd = start + Math.min(input.available(), ProtocolLimits.INLINE_MAX_SIZE + 1 - partialLineLength);
        byte terminator = header ? (byte) '\r' : (byte) '\n';
        int i = start;
        while (i < scanEnd && bytes[i] != terminator && bytes[i] != 0) {
            i++;
        }
        if (i == scanEnd) { // no end yet
            if (partialLineLength + (i - start) > ProtocolLimits.INLINE_MAX_SIZE) {
                throw new ProtocolException(tooBig);
            }
            appendPartialLine(start, i);
            input.pos = i;
            return false;
        }
        // end::readLine[]
        // tag::readLineEnd[]
        if (bytes[i] == 0) {
            startStall(tooBig);
            return false;
        }
        if (header && i + 1 == input.end) { // CR is the last byte we have
            appendPartialLine(start, i);
            partialLineEndsWithCr = true;
            input.pos = i + 1;
            return false;
        }
        input.pos = header ? i + 2 : i + 1;
        if (partialLineLength > 0) {
            appendPartialLine(start, i);
            return completePartialLine();
        }
        lineBytes = bytes; // the whole line is in the fed array: read it there, no copy
        lineFrom = start;
        lineTo = !header && i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        return true;
    }
    // end::readLineEnd[]

    private boolean completePartialLine() {
        lineBytes = partialLine;
        lineFrom = 0;
        lineTo = partialLineLength;
        if (state == State.INLINE && lineTo > 0 && partialLine[lineTo - 1] == '\r') {
            lineTo--;
        }
        partialLineLength = 0;
        return true;
    }

    private void appendPartialLine(int from, int to) {
        int length = to - from;
        if (partialLineLength + length > partialLine.length) {
            int size = Math.max(partialLineLength + length, Math.max(64, 2 * partialLine.length));
            partialLine = Arrays.copyOf(partialLine, size);
        }
        System.arraycopy(input.bytes, from, partialLine, partialLineLength, length);
        partialLineLength += length;
    }

    /**
     * Redis finds line ends with {@code strchr}, which stops at a NUL byte: a line holding a NUL before its end is
     * never complete. The client's later bytes all count as that line until more than 64 KB are waiting, and then
     * it is too big. We keep the count, not the bytes.
     */
    private void startStall(String tooBig) throws ProtocolException {
        stalledBytes = partialLineLength;
        partialLineLength = 0;
        stalledError = tooBig;
        state = State.STALLED;
        stall();
    }

    private void stall() throws ProtocolException {
        stalledBytes += input.available();
        input.pos = input.end;
        if (stalledBytes > ProtocolLimits.INLINE_MAX_SIZE) {
            throw new ProtocolException(stalledError);
        }
    }
}
