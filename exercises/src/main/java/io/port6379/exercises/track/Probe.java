// The track grader's client: one TCP connection that sends commands and compares the exact reply bytes.
package io.port6379.exercises.track;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.List;

/**
 * A connection to the server under test, deliberately not a real client: it sends whatever bytes a check wants
 * (half a command, a thousand at once) and reads replies as their exact bytes, so that a check compares what
 * the wire carries. Strings stand for bytes one char per byte (ISO-8859-1) in both directions.
 *
 * <p>Every failure is an {@link AssertionError} whose message a participant can act on: what was sent, what was
 * expected, and what came back — or that nothing came back within the timeout, or that the server closed the
 * connection.
 */
public final class Probe implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int timeoutMillis;
    private final List<String> expectedErrors;
    private String lastSent = "(nothing yet)";
    /** Replies read since the last send: after a pipeline, a timeout says how many of its replies did come. */
    private int repliesSinceSend;

    Probe(int port, int timeoutMillis, List<String> expectedErrors) throws IOException {
        this(connectTo(port), timeoutMillis, expectedErrors);
    }

    /** A connection the server under test opened to the grader (a replica to its master). */
    Probe(Socket socket, int timeoutMillis, List<String> expectedErrors) throws IOException {
        this.socket = socket;
        this.expectedErrors = expectedErrors;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        this.timeoutMillis = timeoutMillis;
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket connectTo(int port) throws IOException {
        try {
            return new Socket("127.0.0.1", port);
        } catch (ConnectException e) {
            throw new AssertionError("could not connect: nothing listens on port " + port);
        }
    }

    /** The port of the server at the other end. */
    public int port() {
        return socket.getPort();
    }

    // --- what a check sends -------------------------------------------------------------------------------------

    /** Sends a command as every client does, an array of bulk strings, without reading the reply. */
    public Probe send(String... command) throws IOException {
        lastSent = Resp.show(String.join(" ", command));
        write(Resp.command(command));
        return this;
    }

    /** Sends these bytes as they are: part of a command, several commands in one write. */
    public Probe sendRaw(String bytes) throws IOException {
        lastSent = Resp.show(bytes);
        write(bytes);
        return this;
    }

    private void write(String bytes) throws IOException {
        repliesSinceSend = 0;
        try {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new AssertionError("sent:     " + lastSent + "\nthe server had closed the connection (" + e.getMessage() + ")");
        }
    }

    // --- what a check reads -------------------------------------------------------------------------------------

    /** Sends {@code command} and fails unless the reply is exactly {@code expected}. */
    public void expect(String expected, String... command) throws IOException {
        send(command);
        expectReply(expected);
    }

    /** Reads one reply and fails unless it is exactly {@code expected}. */
    public void expectReply(String expected) throws IOException {
        if (expected.startsWith("-")) {
            expectedErrors.add(expected.substring(1, expected.length() - 2));
        }
        String got = reply();
        if (!got.equals(expected)) {
            throw mismatch(Resp.show(expected), Resp.show(got));
        }
    }

    /** Sends {@code command} and returns its reply's exact bytes. */
    public String call(String... command) throws IOException {
        send(command);
        return reply();
    }

    /**
     * Sends {@code command}, whose reply is an array of bulk strings in an order Redis does not promise (SMEMBERS,
     * HGETALL's pairs, KEYS), and fails unless it holds exactly {@code expected}, in any order. With
     * {@code pairs}, the elements are compared two by two (field, value).
     */
    public void expectUnordered(List<String> expected, boolean pairs, String... command) throws IOException {
        send(command);
        String got = reply();
        List<String> elements = Resp.bulkArray(got);
        if (elements == null || !Resp.sameUnordered(expected, elements, pairs ? 2 : 1)) {
            throw mismatch("an array of " + expected.size() + " bulk strings, in any order" + (pairs ? " of pairs" : "")
                    + ": " + expected, Resp.show(got));
        }
    }

    /** Reads one reply of any RESP2 type, as its exact bytes. */
    public String reply() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        try {
            readFrame(reply);
            repliesSinceSend++;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("sent:     " + lastSent + "\n"
                    + (repliesSinceSend == 0 ? "no reply within " + timeoutMillis + " ms"
                            : "no further reply within " + timeoutMillis + " ms (" + repliesSinceSend + " came)")
                    + (reply.size() > 0 ? "; got only " + Resp.show(reply.toString(StandardCharsets.ISO_8859_1)) : ""));
        } catch (IOException e) {
            throw new AssertionError("sent:     " + lastSent + "\n" + (reply.size() == 0
                    ? "the server closed the connection instead of replying"
                    : "the server closed the connection in the middle of a reply; got only "
                            + Resp.show(reply.toString(StandardCharsets.ISO_8859_1))) + " (" + e.getMessage() + ")");
        }
        return reply.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Skips the bare {@code \n} bytes a master may send to keep a replica's connection alive while it prepares the
     * RDB file, before {@code +FULLRESYNC} and before the file. Returns when another byte is next (left unread),
     * or when none came within the timeout (the next read reports it).
     */
    public Probe skipKeepAliveNewlines() throws IOException {
        try {
            while (true) {
                in.mark(1);
                int b = in.read();
                if (b != '\n') {
                    in.reset();
                    return this;
                }
            }
        } catch (SocketTimeoutException e) {
            return this;
        }
    }

    /**
     * Reads what a master sends after {@code +FULLRESYNC}: {@code $<length>\r\n} and that many bytes of an RDB
     * file, with no CRLF after them (the replication stream goes on right after the last byte). Returns the bytes.
     */
    public byte[] rdbTransfer() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        skipKeepAliveNewlines();
        try {
            String line = readLine(header);
            if (!line.matches("\\$[0-9]+")) {
                throw new AssertionError("sent:     " + lastSent + "\nexpected: $<length>\\r\\n, then the RDB file\ngot:      "
                        + Resp.show(header.toString(StandardCharsets.ISO_8859_1)));
            }
            int length = Integer.parseInt(line.substring(1));
            byte[] rdb = in.readNBytes(length);
            if (rdb.length < length) {
                throw new AssertionError("sent:     " + lastSent + "\nthe connection ended after " + rdb.length + " of the "
                        + length + " bytes of the RDB file");
            }
            return rdb;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("sent:     " + lastSent + "\nno RDB file within " + timeoutMillis + " ms"
                    + (header.size() > 0 ? "; got only " + Resp.show(header.toString(StandardCharsets.ISO_8859_1)) : ""));
        }
    }

    /** Whether any byte has arrived that nobody read yet (a reply sent too early, a duplicate reply). */
    public boolean hasUnreadBytes() throws IOException {
        return in.available() > 0;
    }

    AssertionError mismatch(String expected, String got) {
        return new AssertionError("sent:     " + lastSent + "\nexpected: " + expected + "\ngot:      " + got);
    }

    /** One frame: its first line, then the bytes or nested frames that line announces. */
    private void readFrame(ByteArrayOutputStream reply) throws IOException {
        String line = readLine(reply);
        if (line.isEmpty()) {
            throw new AssertionError("sent:     " + lastSent + "\ngot an empty line where a reply should start");
        }
        switch (line.charAt(0)) {
            case '$' -> {
                int length = parseLength(line, reply);
                if (length >= 0) {
                    byte[] payload = in.readNBytes(length + 2);
                    reply.writeBytes(payload);
                    if (payload.length < length + 2) {
                        throw new IOException("end of stream inside a bulk string");
                    }
                }
            }
            case '*' -> {
                int count = parseLength(line, reply);
                for (int i = 0; i < count; i++) {
                    readFrame(reply);
                }
            }
            case '+', '-', ':' -> { }
            default -> throw new AssertionError("sent:     " + lastSent + "\ngot a reply that is not RESP2: "
                    + Resp.show(reply.toString(StandardCharsets.ISO_8859_1)));
        }
    }

    private int parseLength(String line, ByteArrayOutputStream reply) {
        try {
            return Integer.parseInt(line.substring(1));
        } catch (NumberFormatException e) {
            throw new AssertionError("sent:     " + lastSent + "\ngot a length that is not a number: "
                    + Resp.show(reply.toString(StandardCharsets.ISO_8859_1)));
        }
    }

    /** A line up to CRLF, appended with its CRLF to {@code reply}; returned without it. */
    private String readLine(ByteArrayOutputStream reply) throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream");
            }
            reply.write(b);
            if (previous == '\r' && b == '\n') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
            previous = b;
            if (line.length() > 1 << 20) {
                throw new AssertionError("sent:     " + lastSent + "\ngot a line of more than 1 MB without CRLF");
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
