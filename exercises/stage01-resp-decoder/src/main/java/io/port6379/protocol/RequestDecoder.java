// Exercise 01: your RESP request decoder. It replaces the reference io.port6379.protocol.RequestDecoder.
// Check it with `exercises/check 01`; talk to it with `exercises/run-server 01 --port 6380` and redis-cli.
package io.port6379.protocol;

/**
 * Streaming decoder for client requests: RESP arrays of bulk strings ({@code *2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n})
 * and inline commands ({@code ECHO hi\r\n}).
 *
 * <p>Usage: {@link #feed} the bytes of each read, then call {@link #next} until it returns {@code null}.
 * Not thread-safe: one decoder per connection.
 *
 * <p>What to build, in the order the tests check it:
 * <ol>
 *   <li>Keep the bytes fed so far in one growable {@code byte[]} with a read index and a write index. A read
 *       may end anywhere: in the middle of a length, between {@code \r} and {@code \n}, inside a payload.
 *       {@link #next} must then return {@code null} without consuming anything, and succeed after more
 *       {@link #feed}s. Move the unread bytes to the front before growing, so memory holds one partial command.</li>
 *   <li>A request starting with {@code *} is a multibulk: {@code *<count>\r\n} then {@code count} times
 *       {@code $<length>\r\n<length bytes>\r\n}. Payloads are binary: they may contain {@code \r\n}; trust the
 *       length, never search for the line end inside a payload. {@code *0} and {@code *-1} are skipped.</li>
 *   <li>Anything else is an inline command: one line up to {@code \n} (an optional {@code \r} before it),
 *       split on spaces. An empty line is skipped, as Redis does.</li>
 *   <li>Redis's limits, with its exact texts (see REDIS-FACTS and chapter 1), thrown as {@link ProtocolException}:
 *       a count that is not a number or above 1024*1024 is {@code Protocol error: invalid multibulk length};
 *       a bad or too large bulk length is {@code Protocol error: invalid bulk length}; an element that does not
 *       start with {@code $} is {@code Protocol error: expected '$', got 'x'}; an inline line longer than
 *       64 KB without its {@code \n} is {@code Protocol error: too big inline request}.</li>
 * </ol>
 * The reference solution is protocol/src/main/java/io/port6379/protocol/RequestDecoder.java.
 */
public final class RequestDecoder {

    /** Appends {@code length} bytes of {@code data} from {@code offset}. */
    public void feed(byte[] data, int offset, int length) {
        throw new UnsupportedOperationException("exercise 01: feed(): keep the bytes until a whole command has arrived");
    }

    /** Number of bytes received but not yet consumed by a complete command. */
    public int pending() {
        throw new UnsupportedOperationException("exercise 01: pending(): bytes fed but not yet returned by next()");
    }

    /**
     * Returns the next complete command as its arguments, or {@code null} when more input is needed.
     * Empty inline lines and {@code *0}/{@code *-1} arrays are skipped, as Redis does.
     */
    public byte[][] next() throws ProtocolException {
        throw new UnsupportedOperationException("exercise 01: next(): decode one multibulk or inline command, or return null");
    }
}
