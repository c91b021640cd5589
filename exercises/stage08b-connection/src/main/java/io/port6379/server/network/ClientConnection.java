// Exercise 08b: your connection loop. It replaces the reference io.port6379.server.network.ClientConnection.
// Check it with `exercises/check 08b`; talk to it with `exercises/run-server 08b --port 6380` and redis-cli.
package io.port6379.server.network;

import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.protocol.ProtocolLimits;
import io.port6379.protocol.RequestDecoder;
import io.port6379.protocol.RespWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection loop, run on the client's own virtual thread. Plain blocking I/O reads top to bottom because
 * the thread is virtual: a blocked read parks the virtual thread, not an OS thread.
 *
 * <p>Given: the fields, the constructor, {@link #push}, {@link #answer} and {@link #close} (other clients' pushes go through the
 * {@link Outbox}), and the shape of {@link #run}: the connection's {@link Endpoint} (TCP, TLS or a unix socket) is
 * opened and gives the streams, and it is closed and the client unregistered at the end, whatever happens. What to build, in the order the tests check it:
 * <ol>
 *   <li>The loop in {@link #run}: read into a 16 KB array, {@code decoder.feed} what arrived, execute every
 *       complete command, then write all their replies at once ({@code replies.flushTo(out)} under
 *       {@code writeLock}, unless {@code outbox.takeReplies(replies)} took them because pushes are queued);
 *       stop at end of stream or when the client is closing ({@link Client#isClosing()}, set by QUIT). Count
 *       the bytes in {@code server.stats()}. Close a client whose unparsed input passes
 *       {@code client-query-buffer-limit}.</li>
 *   <li>Executing: hold {@code server.executionLock()} while calling {@code server.execute(client, args,
 *       replies)} for each command {@code decoder.next()} returns, so each command is atomic as in Redis's
 *       single-threaded loop; release it before writing, so a slow socket never holds up other clients.
 *       Pipelining falls out of this shape: 1000 commands in one read leave as 1000 replies in one write.</li>
 *   <li>A {@link io.port6379.protocol.ProtocolException}: write {@code -ERR <its message>} after the replies of
 *       the good commands before it, then close the connection ({@code client.closeAfterReply()}).</li>
 *   <li>Blocking commands (BLPOP...): after a command, {@code server.blockingKeys().isBlocked(client)} says the
 *       client waits. Stop executing, write what is ready, and wait with {@code input.awaitReply()} (a
 *       {@link BlockedClientReader} over the endpoint's input stream) without holding the lock; then run what
 *       was pipelined after it.</li>
 *   <li>Taking turns: a virtual thread is never preempted, so after writing a batch's replies call
 *       {@code Thread.yield()} once, and the other clients run before this one reads again (chapter 08 says why;
 *       chapter 15 measures where in the loop it pays most). No test checks it: run {@code redis-benchmark -p 6380
 *       -P 16 -t get} against your loop with and without it, and compare the p99 latency.</li>
 * </ol>
 * Tests: server/src/test/java/io/port6379/server/WalkingSkeletonTest.java, NetworkTest.java and LimitsTest.java
 * (the query-buffer limit, the output-buffer limits, maxclients and the idle timeout).
 * The reference solution is server/src/main/java/io/port6379/server/ClientConnection.java.
 */
final class ClientConnection implements Runnable, Client.Channel {

    private final ServerContext server;
    private final Endpoint endpoint;
    private final Client client;
    private final RequestDecoder decoder;
    private final RespWriter replies = new RespWriter();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Outbox outbox;
    private OutputStream out;
    private BlockedClientReader input;

    ClientConnection(ServerContext server, Endpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = new Client(server.nextClientId(), server, this, endpoint.address(), endpoint.localAddress());
        if (endpoint.unixSocket()) {
            client.markUnixSocket();
        }
        this.decoder = new RequestDecoder(ProtocolLimits.DEFAULT.withMaxBulkLength(server.config().number("proto-max-bulk-len")));
        this.outbox = new Outbox(server, client, endpoint, writeLock);
        server.register(client); // on the accepting thread, so maxclients counts it before the next accept
    }

    Client client() {
        return client;
    }

    @Override
    public void run() {
        try {
            endpoint.open(); // TLS: the handshake, on this thread
            out = endpoint.output();
            throw new UnsupportedOperationException("exercise 08b: run(): read, feed the decoder, execute under the lock, write");
        } catch (IOException e) {
            // the client went away mid-read or mid-write, or was killed: nothing left to do for it
        } finally {
            server.unregister(client);
            close();
        }
    }

    @Override
    public void push(byte[] frame) {
        outbox.push(frame);
    }

    // Given: the answer of a blocked WAIT, from the thread that read a replica's ACK, goes through the outbox here
    // (the reference writes it directly once the answering thread released the lock: chapter 20).
    @Override
    public void answer(byte[] frame) {
        outbox.push(frame);
    }

    @Override
    public long pendingBytes() {
        return outbox.pendingBytes();
    }

    // CLIENT LIST's fd, qbuf, qbuf-free and argv-mem: this exercise keeps no account of them (the reference does).
    @Override
    public int fd() {
        return -1;
    }

    // TCP_NODELAY for a replica's connection (repl-disable-tcp-nodelay): this exercise leaves the socket as it is.
    @Override
    public void tcpNoDelay(boolean on) {
    }

    @Override
    public long queryBufferLength() {
        return 0;
    }

    @Override
    public long queryBufferFree() {
        return 0;
    }

    @Override
    public long readBufferSize() {
        return Client.READ_BUFFER; // what Client's default says; the reference counts the buffer it really holds
    }

    @Override
    public long argvMemory() {
        return 0;
    }

    // CLIENT LIST's rbs and rbp, and the cron's resize of the reply buffer: this exercise keeps its buffer as it is.
    @Override
    public long replyBufferSize() {
        return 0;
    }

    @Override
    public long replyBufferPeak() {
        return 0;
    }

    @Override
    public int resizeReplyBuffer(long nowMillis, long peakResetMillis) {
        return 0;
    }

    // The cron's resize of the read buffer: this exercise reads into one buffer of a fixed size.
    @Override
    public void resizeQueryBuffer(long nowMillis) {
    }

    @Override
    public void close() {
        endpoint.close();
        outbox.close();
    }
}
