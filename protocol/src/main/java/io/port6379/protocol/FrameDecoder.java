// Decodes any RESP2 or RESP3 frame from a byte stream: what a client reads from a server (test clients, exercises).
package io.port6379.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Streaming decoder for replies: every RESP2 and RESP3 type, nested to any depth up to
 * {@link ProtocolLimits#maxNestingDepth()}. Used like {@link RequestDecoder}: {@link #feed} a chunk (read in place,
 * so leave it unchanged until {@link #next} returns {@code null}), then call {@code next()} until it returns
 * {@code null}.
 *
 * <p>Where the request decoder copies Redis's leniency, this one is strict, because a client that misreads a reply
 * is out of step for good: lines must end in CRLF, payloads must be followed by CRLF, numbers must be well formed.
 * Aggregates are built on an explicit stack of partial aggregates, so a reply split anywhere resumes where it
 * stopped (no byte is looked at twice), deep nesting cannot overflow the Java stack, and a count such as
 * {@code *2000000000} allocates nothing until its elements arrive. RESP3's streamed strings and aggregates
 * ({@code $?}, {@code *?}) are not supported: Redis never sends them.
 *
 * <p>Not thread-safe. After a {@link ProtocolException} the decoder stays failed.
 */
public final class FrameDecoder {

    private static final int MAX_PREALLOCATED_BULK = 1024 * 1024;
    private static final int MAX_PREALLOCATED_ELEMENTS = 1024;
    private static final Frame.Null NULL = new Frame.Null();
    private static final Pattern DOUBLE = Pattern.compile("[+-]?(inf|nan|([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?)");
    private static final Pattern BIG_NUMBER = Pattern.compile("[+-]?[0-9]+");

    private enum State { TYPE, LINE, PAYLOAD, PAYLOAD_CRLF }

    /** An aggregate whose elements are still arriving. A map or attribute counts keys and values separately. */
    private static final class Partial {
        final byte type;
        long remaining;
        final List<Frame> items;

        Partial(byte type, long remaining) {
            this.type = type;
            this.remaining = remaining;
            this.items = new ArrayList<>((int) Math.min(remaining, MAX_PREALLOCATED_ELEMENTS));
        }
    }

    private final ProtocolLimits limits;
    private final LentInput input = new LentInput();
    private final List<Partial> stack = new ArrayList<>();
    private ProtocolException failure;

    private State state = State.TYPE;
    private byte type;
    private byte[] line = new byte[64];
    private int lineLength;
    private boolean lineEndsWithCr;
    private byte[] payload;
    private int payloadLength;
    private int payloadFilled;
    private int crlfFilled;

    public FrameDecoder() {
        this(ProtocolLimits.DEFAULT);
    }

    public FrameDecoder(ProtocolLimits limits) {
        this.limits = limits;
    }

    /** Makes {@code data[offset, offset + length)} available to {@link #next}; read in place (see {@link LentInput}). */
    public void feed(byte[] data, int offset, int length) {
        if (failure == null) {
            input.feed(data, offset, length);
        }
    }

    /** Bytes fed and not yet read. */
    public int available() {
        return input.available();
    }

    /**
     * The next complete top-level frame, or {@code null} when more input is needed. O(bytes read).
     *
     * @throws ProtocolException when the input is not RESP; the decoder then rejects everything
     */
    public Frame next() throws ProtocolException {
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

    private Frame decode() throws ProtocolException {
        while (true) {
            Frame complete = null;
            switch (state) {
                case TYPE -> {
                    if (input.available() == 0) {
                        return null;
                    }
                    type = input.bytes[input.pos++];
                    lineLength = 0;
                    state = State.LINE;
                }
                case LINE -> {
                    if (!readLine()) {
                        return null;
                    }
                    state = State.TYPE;
                    complete = complete(lineFrame()); // lineFrame may instead start a payload, setting the state
                }
                case PAYLOAD -> {
                    if (!fillPayload()) {
                        return null;
                    }
                    state = State.PAYLOAD_CRLF;
                }
                case PAYLOAD_CRLF -> {
                    if (!readPayloadCrlf()) {
                        return null;
                    }
                    state = State.TYPE;
                    complete = complete(payloadFrame());
                }
            }
            if (complete != null) {
                return complete;
            }
        }
    }

    // tag::complete[]
    /**
     * Adds a finished frame to the aggregate being built; returns the top-level frame once one is finished.
     * {@code value} is null when the line only opened an aggregate or a payload.
     */
    private Frame complete(Frame value) {
        if (value == null) {
            return null;
        }
        Frame frame = value;
        while (!stack.isEmpty()) {
            Partial top = stack.getLast();
            top.items.add(frame);
            if (--top.remaining > 0) {
                return null;
            }
            stack.removeLast();
            frame = build(top.type, top.items);
        }
        return frame;
    }
    // end::complete[]

    /** The frame for the line just read; {@code null} when it opened an aggregate or a payload. */
    private Frame lineFrame() throws ProtocolException {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        return switch (type) {
            case '+' -> new Frame.SimpleString(text);
            case '-' -> new Frame.SimpleError(text);
            case ':' -> new Frame.Integer(number("Protocol error: invalid integer"));
            case '_' -> {
                if (lineLength != 0) {
                    throw new ProtocolException("Protocol error: invalid null");
                }
                yield NULL;
            }
            case '#' -> {
                if (!text.equals("t") && !text.equals("f")) {
                    throw new ProtocolException("Protocol error: invalid boolean");
                }
                yield new Frame.Boolean(text.equals("t"));
            }
            case ',' -> {
                if (!DOUBLE.matcher(text).matches()) {
                    throw new ProtocolException("Protocol error: invalid double");
                }
                yield new Frame.Double(parseDouble(text));
            }
            case '(' -> {
                if (!BIG_NUMBER.matcher(text).matches()) {
                    throw new ProtocolException("Protocol error: invalid big number");
                }
                yield new Frame.BigNumber(new BigInteger(text));
            }
            case '$', '!', '=' -> startPayload();
            case '*', '~', '>', '%', '|' -> startAggregate();
            default -> throw new ProtocolException(
                    "Protocol error: unknown type byte '" + Printable.of(new byte[]{type}) + "'");
        };
    }

    private static double parseDouble(String text) {
        String unsigned = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        double magnitude = switch (unsigned) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(unsigned);
        };
        return text.startsWith("-") ? -magnitude : magnitude;
    }

    private long number(String error) throws ProtocolException {
        return AsciiLong.parse(line, 0, lineLength, error);
    }

    private Frame startPayload() throws ProtocolException {
        long length = number("Protocol error: invalid bulk length");
        if (length == -1 && type == '$') {
            return NULL; // RESP2's null bulk string
        }
        if (length < 0 || length > limits.maxBulkLength() || (type == '=' && length < 4)) {
            throw new ProtocolException("Protocol error: invalid bulk length");
        }
        payloadLength = (int) length;
        payloadFilled = 0;
        payload = new byte[Math.min(payloadLength, MAX_PREALLOCATED_BULK)];
        crlfFilled = 0;
        state = State.PAYLOAD;
        return null;
    }

    // tag::aggregate[]
    private Frame startAggregate() throws ProtocolException {
        long count = number("Protocol error: invalid multibulk length");
        if (count == -1 && type == '*') {
            return NULL; // RESP2's null array
        }
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new ProtocolException("Protocol error: invalid multibulk length");
        }
        long items = switch (type) {
            case '%' -> 2 * count;
            case '|' -> 2 * count + 1; // the attributes, then the frame they describe
            default -> count;
        };
        if (items == 0) {
            return build(type, List.of());
        }
        if (stack.size() == limits.maxNestingDepth()) {
            throw new ProtocolException("Protocol error: too deeply nested reply");
        }
        stack.add(new Partial(type, items));
        return null;
    }

    private static Frame build(byte type, List<Frame> items) {
        return switch (type) {
            case '~' -> new Frame.Set(items);
            case '>' -> new Frame.Push(items);
            case '%' -> new Frame.Map(entries(items, items.size()));
            case '|' -> new Frame.Attribute(entries(items, items.size() - 1), items.getLast());
            default -> new Frame.Array(items);
        };
    }
    // end::aggregate[]

    private static List<Frame.Entry> entries(List<Frame> items, int count) {
        List<Frame.Entry> entries = new ArrayList<>(count / 2);
        for (int i = 0; i < count; i += 2) {
            entries.add(new Frame.Entry(items.get(i), items.get(i + 1)));
        }
        return entries;
    }

    private Frame payloadFrame() {
        byte[] bytes = payload;
        payload = null;
        return switch (type) {
            case '!' -> new Frame.BulkError(bytes);
            case '=' -> new Frame.VerbatimString(new String(bytes, 0, 3, StandardCharsets.ISO_8859_1),
                    Arrays.copyOfRange(bytes, 4, bytes.length));
            default -> new Frame.BulkString(bytes);
        };
    }

    /** Reads up to CRLF into {@link #line}, across chunks; true when the line is complete. */
    private boolean readLine() throws ProtocolException {
        int maxLength = type == '+' || type == '-' ? (int) limits.maxBulkLength() : ProtocolLimits.INLINE_MAX_SIZE;
        while (input.available() > 0) {
            byte b = input.bytes[input.pos++];
            if (lineEndsWithCr) {
                if (b != '\n') {
                    throw new ProtocolException("Protocol error: expected '\\n' after '\\r'");
                }
                lineEndsWithCr = false;
                return true;
            }
            if (b == '\r') {
                lineEndsWithCr = true;
            } else {
                if (lineLength == maxLength) {
                    throw new ProtocolException("Protocol error: too big line");
                }
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, (int) Math.min(maxLength, 2L * line.length));
                }
                line[lineLength++] = b;
            }
        }
        return false;
    }

    private boolean fillPayload() {
        while (payloadFilled < payloadLength) {
            if (input.available() == 0) {
                return false;
            }
            if (payloadFilled == payload.length) {
                payload = Arrays.copyOf(payload, (int) Math.min(payloadLength, 2L * payload.length));
            }
            int n = Math.min(input.available(), payload.length - payloadFilled);
            System.arraycopy(input.bytes, input.pos, payload, payloadFilled, n);
            input.pos += n;
            payloadFilled += n;
        }
        return true;
    }

    private boolean readPayloadCrlf() throws ProtocolException {
        while (crlfFilled < 2) {
            if (input.available() == 0) {
                return false;
            }
            byte b = input.bytes[input.pos++];
            if (b != (crlfFilled == 0 ? '\r' : '\n')) {
                throw new ProtocolException("Protocol error: expected CRLF after bulk payload");
            }
            crlfFilled++;
        }
        return true;
    }
}
