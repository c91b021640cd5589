// One client's connection, run on its own virtual thread: read, decode every complete command, execute, write.
package io.port6379.server.network;

import io.port6379.server.util.Log;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.ProtocolLimits;
import io.port6379.protocol.RequestDecoder;
import io.port6379.protocol.RespWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection loop. Plain blocking I/O reads top to bottom because the thread is virtual: a blocked read
 * parks the virtual thread, not an OS thread.
 *
 * <p>Pipelining comes from the loop's shape: one read may carry many commands; all complete ones are executed
 * under the execution lock, their replies collect in one buffer and leave in one write, after the lock is
 * released, so a slow client's socket never holds up the other clients.
 *
 * <p>Pushes (MONITOR lines, pub/sub messages) are produced by other clients' commands. They go through the
 * client's {@link Outbox}, drained by a second virtual thread, so that the command that produced them never
 * waits for this client's socket; from the first push on, this client's replies join the same queue, in order.
 * A client whose outbox grows beyond its output-buffer limit is disconnected, as Redis does.
 *
 * <p><b>Why the thread yields after writing its replies.</b> A virtual thread is never preempted. Writing to a
 * loopback socket wakes the client inside the {@code write} call, and a fast client (redis-benchmark on the
 * other core) has often sent its next batch before our thread reads again: the read then finds bytes, does not
 * park, and the thread goes round its loop again without ever letting go of the carrier. With one carrier, the
 * other clients, and the JDK's poller that would wake them, wait meanwhile, and under pipelining a few requests
 * wait far longer than the rest. The yield puts the thread behind the others once per batch, so clients take
 * turns as they do in Redis's event loop. Placed after the write, it also saves work: while the other clients
 * run, this client reads our replies and sends its next batch, so many of the reads that follow the yield find
 * it, instead of failing and parking the thread with the poller (a failed read and an {@code epoll_ctl} each):
 * fewer system calls and less CPU per request than a yield before the write (chapter 15 has the figures).
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
    private Thread thread; // the connection's own virtual thread: the one that runs its commands
    /** Pushes this client's own commands caused in the current batch, and where in {@link #replies} they belong. */
    private final List<SelfPush> selfPushes = new ArrayList<>();

    private record SelfPush(int offset, byte[] frame) {
    }

    /** The connection whose thread this is, for {@link #answer} called on it: set once per connection thread. */
    private static final ThreadLocal<ClientConnection> CURRENT = new ThreadLocal<>();
    /** Set while this connection's thread runs a batch under the execution lock. */
    private boolean inBatch;
    /** Answers to other connections' blocked commands that this batch gave, written once the lock is released. */
    private final List<Runnable> answersAfterBatch = new ArrayList<>();
    /** The batch ended with the client blocked until another thread answers it (WAIT). Connection thread only. */
    private boolean answerExpected;
    /** Guards the three fields below, shared by the connection thread and the thread that answers. */
    private final Object answerMonitor = new Object();
    private boolean answerOpen; // the replies before the blocked command are out: the answering thread writes it
    private byte[] handedAnswer; // an answer that came before that, for the connection thread to write
    private boolean answerWritten;

    private static final int UNKNOWN = -2;
    /** CLIENT LIST's fields, written under the execution lock by this connection, read under it by any client. */
    private volatile int fd = UNKNOWN;
    private volatile long queryBuffer;
    private volatile int readBufferSize = FIRST_READ_BUFFER;
    private volatile long runningArgv;

    ClientConnection(ServerContext server, Endpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = new Client(server.nextClientId(), server, this, endpoint.address(), endpoint.localAddress());
        if (endpoint.unixSocket()) {
            client.markUnixSocket();
        }
        if (endpoint.overTls()) {
            client.markTls();
        }
        this.decoder = new RequestDecoder(ProtocolLimits.DEFAULT.withMaxBulkLength(server.config().protoMaxBulkLength()));
        this.outbox = new Outbox(server, client, endpoint, writeLock);
        server.register(client); // on the accepting thread, so maxclients counts it before the next accept
    }

    Client client() {
        return client;
    }

    /**
     * The read buffer a connection starts with. It grows, four times at a time up to {@link Client#READ_BUFFER}, when
     * a read fills it: a pipelining client gets the large buffer after three reads, a large value is read straight
     * into its own array ({@link RequestDecoder#readPayload}), while an idle connection, or one sending a short
     * command at a time, keeps 256 bytes. Ten thousand idle connections cost 150 MB of heap with a 16 KB buffer
     * each, 10 MB with 1 KB (bench/connections).
     */
    private static final int FIRST_READ_BUFFER = 256;

    /**
     * Redis's clientsCronResizeQueryBuffer gives back the room of a client idle for more than 2 seconds. Here a read
     * buffer that grew is put aside while the connection waits for bytes (it waits in a small buffer, see
     * {@link #beforeRead}), and the cron drops it once the wait has lasted that long, so a connection that once
     * pipelined does not keep 16 KB while it idles (CLIENT LIST's {@code qbuf-free} and {@code tot-mem} show it).
     */
    private static final int IDLE_SHRINK_MILLIS = 2_000;

    // tag::loop[]
    @Override
    public void run() {
        thread = Thread.currentThread();
        CURRENT.set(this);
        try {
            endpoint.open(); // TLS: the handshake, on this thread
            InputStream in = endpoint.input();
            input = new BlockedClientReader(server, client, in);
            out = endpoint.output();
            serve(new byte[FIRST_READ_BUFFER]);
        } catch (IOException e) {
            // the client went away mid-read or mid-write, or was killed: nothing left to do for it
        } finally {
            server.unregister(client);
            close();
        }
    }

    /** The loop proper: read, run the batch, write; on the connection's thread, or the platform thread of a replica. */
    private void serve(byte[] readBuffer) throws IOException {
        while (!client.isClosing()) {
            int n = decoder.readPayload(input); // the rest of a large argument goes straight into its array
            boolean direct = n != 0;
            if (!direct) {
                readBuffer = beforeRead(readBuffer); // a grown buffer is put aside while the read waits
                n = input.read(readBuffer, 0, readBuffer.length);
            }
            if (n < 0) {
                return; // the client closed the connection
            }
            server.stats().netInputBytes.addAndGet(n);
            server.stats().readsProcessed.incrementAndGet();
            if (!direct) {
                decoder.feed(readBuffer, 0, n);
            }
            queryBuffer = decoder.pending(); // a request still arriving counts in tot-mem and maxmemory-clients
            server.stats().inputBuffer(decoder.pending() + n);
            if (decoder.pending() > server.config().clientQueryBufferLimit()) {
                Log.log("#", "Closing client that reached max query buffer length: id=" + client.id());
                return;
            }
            boolean blocked = executeCompleteCommands();
            flush();
            if (!direct) {
                readBuffer = resized(readBuffer, n);
            }
            Thread.yield(); // fairness, and the next batch read without waiting: see the class comment
            while (blocked) { // BLPOP & co.: wait without the lock, then run what was pipelined after it
                if (answerExpected ? !awaitAnswer(readBuffer) : !input.awaitReply()) {
                    return;
                }
                blocked = executeCompleteCommands();
                flush();
            }
            if (client.isReplica() && Thread.currentThread().isVirtual()) {
                continueOnPlatformThread(readBuffer);
                return;
            }
        }
    }

    // end::loop[]

    /**
     * A connection that became a replica's (SYNC, PSYNC) reads its REPLCONF ACKs on a platform thread from now on.
     * WAIT waits for those ACKs: on a virtual thread each one waited for a carrier behind every runnable client
     * thread, while the kernel schedules a platform thread at once. The virtual thread waits for it to end, so
     * the connection ends as any other (its thread known to the server's stop until then), and one thread at a
     * time still reads the socket and flushes the replies.
     */
    private void continueOnPlatformThread(byte[] readBuffer) {
        Thread platform = Thread.ofPlatform().daemon().name("replica-" + client.id()).unstarted(() -> {
            thread = Thread.currentThread(); // a push it causes itself is still recognised as one
            CURRENT.set(this);
            try {
                serve(readBuffer);
            } catch (IOException e) {
                // the replica went away or was killed: the virtual thread cleans up
            }
        });
        platform.start();
        try {
            platform.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: closing the socket ends the platform thread
            endpoint.close();
        }
    }

    // tag::batch[]
    /** Runs the complete commands in the buffer; stops after one that blocks the client, and returns true then. */
    private boolean executeCompleteCommands() throws IOException {
        List<byte[][]> afterBusy = lockExecution();
        inBatch = true;
        try {
            byte[][] args;
            for (byte[][] deferred : afterBusy) {
                server.execute(client, deferred, replies);
            }
            decoder.maxBulkLength(server.config().protoMaxBulkLength()); // CONFIG SET reaches open connections
            decoder.authRequired(server.security().authRequired(client));
            while (!client.isClosing() && (args = decoder.next()) != null) {
                long argv = 0;
                long request = 1 + digits(args.length) + 2; // *<n>\r\n, then $<len>\r\n<arg>\r\n each
                for (byte[] arg : args) {
                    argv += arg.length;
                    request += 1 + digits(arg.length) + 2 + arg.length + 2;
                }
                runningArgv = argv;
                queryBuffer = request + decoder.pending();
                server.execute(client, args, replies);
                runningArgv = 0;
                queryBuffer = decoder.pending();
                decoder.authRequired(server.security().authRequired(client)); // a pipelined AUTH lifts the limits for the rest
                if (outbox.overLimitsWith(replies.size())) { // client-output-buffer-limit: the client is closed
                    replies.clear();
                    selfPushes.clear();
                    return false;
                }
                if (server.blockingKeys().isBlocked(client)) {
                    answerExpected = server.blockingKeys().awaitsAnswer(client);
                    return true;
                }
            }
            return false;
        } catch (ProtocolException e) {
            replies.error("ERR " + e.getMessage());
            client.closeAfterReply();
            return false;
        } finally {
            if (server.propagation() != null) {
                server.propagation().beforeReplies(); // written (and with appendfsync always, fsynced) before any reply leaves
            }
            deliverSelfPushes();
            notePeak();
            outbox.takeReplies(replies);
            inBatch = false;
            server.executionLock().unlock();
            if (!answersAfterBatch.isEmpty()) {
                answersAfterBatch.forEach(Runnable::run);
                answersAfterBatch.clear();
            }
        }
    }
    // end::batch[]

    // tag::answer[]
    /**
     * A blocked command answered by another thread (WAIT, answered by the thread that reads a replica's ACK). Redis
     * writes such an answer from its event loop, in {@code beforeSleep}; here the answering thread writes it itself,
     * once the execution lock is released (after its batch, or from a thread of its own when it is not a connection's),
     * so that the answer costs this connection neither a wake-up behind the other clients' threads nor the lock.
     * Until this thread has written the replies before the blocked command, the answer is handed to it instead.
     */
    @Override
    public void answer(byte[] frame) {
        synchronized (answerMonitor) {
            if (!answerOpen) {
                handedAnswer = frame;
                return;
            }
        }
        ClientConnection current = CURRENT.get();
        if (current != null && current.inBatch) {
            current.answersAfterBatch.add(() -> writeAnswer(frame));
        } else {
            Thread.ofVirtual().name("answer-" + client.id()).start(() -> writeAnswer(frame));
        }
    }

    /**
     * The connection thread's side: the earlier replies are out, so from now on the answering thread writes the
     * answer. Meanwhile this thread reads on, as for any idle client, so that a disconnect ends the wait; when the
     * client sent more behind the blocked command, that waits for the answer, in Redis's order (a client that goes
     * away then is seen once the answer is out). False when the client went away.
     */
    private boolean awaitAnswer(byte[] buffer) throws IOException {
        answerExpected = false;
        byte[] handed;
        synchronized (answerMonitor) {
            handed = handedAnswer;
            handedAnswer = null;
            answerOpen = handed == null;
        }
        if (handed != null) {
            writeAnswer(handed);
        } else if (decoder.pending() == 0) { // else what was pipelined behind it is read already, and waits
            int n = input.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false;
            }
            server.stats().netInputBytes.addAndGet(n);
            server.stats().readsProcessed.incrementAndGet();
            decoder.feed(buffer, 0, n);
            queryBuffer = decoder.pending();
            if (decoder.pending() > server.config().clientQueryBufferLimit()) {
                Log.log("#", "Closing client that reached max query buffer length: id=" + client.id());
                return false;
            }
        }
        synchronized (answerMonitor) {
            try {
                while (!answerWritten) {
                    answerMonitor.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the server is stopping
                return false;
            } finally {
                answerOpen = false;
                answerWritten = false;
            }
        }
        return true;
    }

    /** Writes a blocked command's answer, on whichever thread: through the outbox when it is active, else directly. */
    private void writeAnswer(byte[] frame) {
        try {
            if (outbox.isActive()) {
                outbox.push(frame);
            } else {
                writeLock.lock();
                try {
                    out.write(frame);
                    out.flush();
                } finally {
                    writeLock.unlock();
                }
                server.stats().netOutputBytes.addAndGet(frame.length);
                server.stats().writesProcessed.incrementAndGet();
                if (client.isClosing()) {
                    endpoint.close(); // answered with an error before a close (the server became a replica)
                }
            }
        } catch (IOException e) {
            // the client went away: its connection thread sees it too
        }
        synchronized (answerMonitor) {
            answerWritten = true;
            answerMonitor.notifyAll();
        }
    }
    // end::answer[]

    // tag::busy[]
    /**
     * Takes the execution lock. While a script holds it past {@code busy-reply-threshold}, the commands that
     * arrive meanwhile are handed to the script, whose hook runs them between its instructions as Redis's event loop
     * does: BUSY for most, SCRIPT KILL stops the script. Returns the commands to run once the lock is ours (SHUTDOWN
     * NOSAVE, or one handed over just as the script ended).
     */
    private List<byte[][]> lockExecution() throws IOException {
        ReentrantLock lock = server.executionLock();
        List<byte[][]> afterBusy = List.of();
        try {
            while (!lock.tryLock(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                ServerContext.Busy busy = server.busy();
                if (busy == null) {
                    continue;
                }
                byte[][] args;
                while (afterBusy.isEmpty() && !client.isClosing() && (args = decoder.next()) != null) {
                    if (busy.answer(client, args, replies)) {
                        afterBusy = List.<byte[][]>of(args);
                    }
                }
                flush();
                if (afterBusy.isEmpty() && !client.isClosing()) {
                    readWhileBusy(); // the next command (SCRIPT KILL) may come on this connection
                }
            }
        } catch (ProtocolException e) {
            replies.error("ERR " + e.getMessage());
            client.closeAfterReply();
            lock.lock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lock.lock();
        }
        return afterBusy;
    }
    // end::busy[]

    /** Redis's PROTO_REPLY_MIN_BYTES and PROTO_REPLY_CHUNK_BYTES: the smallest reply buffer, and the largest it grows to. */
    private static final int MIN_REPLY_BUFFER = 1024;
    private static final int REPLY_CHUNK = 16 * 1024;
    /** The most reply bytes a batch left in the buffer since the cron last reset it (CLIENT LIST's rbp). */
    private volatile int replyBufferPeak;
    private long peakResetAt; // the cron's, under the execution lock

    /** Reads in a row that the first, small buffer would have held, counted while the buffer is larger. */
    private int smallReads;
    /** The grown read buffer, put aside while the connection waits in a small one; the cron may drop it. */
    private final AtomicReference<byte[]> asideWhileWaiting = new AtomicReference<>();
    /** When the wait with a buffer put aside began (the cron's clock), for the cron to tell an idle connection. */
    private volatile long waitingSince;

    // tag::wait[]
    /**
     * The buffer to read into next. A grown one is used while bytes are already there, or a command is half read;
     * otherwise the read would wait, and it waits in a small buffer with the grown one put aside. A wait with a
     * timeout, so as to shrink the buffer of a connection that goes idle, made every wait of a pipelining client a
     * timed park, and the JDK's timer wake-ups took the p99 at {@code -P 16} to 1.7 times Redis's: this costs one
     * {@code FIONREAD} per read of a grown buffer instead. {@link #resized} takes the grown buffer back when the
     * bytes that ended the wait fill the small one.
     */
    private byte[] beforeRead(byte[] buffer) throws IOException {
        if (buffer.length <= FIRST_READ_BUFFER || decoder.pending() > 0 || input.available() > 0) {
            return buffer;
        }
        waitingSince = server.wallClock().millis();
        asideWhileWaiting.set(buffer);
        readBufferSize = FIRST_READ_BUFFER + buffer.length;
        if (waitBuffer == null) {
            waitBuffer = new byte[FIRST_READ_BUFFER];
        }
        return waitBuffer;
    }

    /** The small buffer waits happen in, made once: the current buffer is then a grown one, never this. */
    private byte[] waitBuffer;

    /**
     * The cron's turn (Redis's clientsCronResizeQueryBuffer): a buffer put aside by a wait that has lasted
     * {@link #IDLE_SHRINK_MILLIS} is dropped; the connection keeps the small one it waits in.
     */
    @Override
    public void resizeQueryBuffer(long nowMillis) {
        byte[] aside = asideWhileWaiting.get();
        if (aside != null && nowMillis - waitingSince >= IDLE_SHRINK_MILLIS && asideWhileWaiting.compareAndSet(aside, null)) {
            readBufferSize = FIRST_READ_BUFFER;
        }
    }
    // end::wait[]

    /**
     * After a read of {@code n} bytes into {@code buffer}, the buffer for the next: four times larger after a full read
     * (more may follow, taken in fewer reads), up to {@link Client#READ_BUFFER}; back to {@link #FIRST_READ_BUFFER}
     * bytes after {@value #SMALL_READS_BEFORE_SHRINK} reads in a row that it would have held, as Redis's
     * clientsCronResizeQueryBuffer trims a query buffer much larger than its recent peak even when the client is
     * busy: a client that sent one large pipeline and then polls with short commands (lazyfree's "UNLINK can
     * reclaim memory" watches used_memory so) does not keep the large buffer in {@code mem_clients_normal}.
     */
    private byte[] resized(byte[] buffer, int n) {
        byte[] aside = asideWhileWaiting.getAndSet(null);
        if (aside != null) { // the read waited in a small buffer: judge it as a read into the grown one
            readBufferSize = aside.length;
            if (n == buffer.length) {
                smallReads = 0; // the small buffer is full: more is coming, the grown buffer takes it
                return aside;
            }
            buffer = aside;
        }
        if (n == buffer.length && n < Client.READ_BUFFER) {
            smallReads = 0;
            return readBuffer(n * 4);
        }
        if (buffer.length > FIRST_READ_BUFFER && n <= FIRST_READ_BUFFER) {
            if (++smallReads >= SMALL_READS_BEFORE_SHRINK) {
                smallReads = 0;
                return readBuffer(FIRST_READ_BUFFER);
            }
        } else {
            smallReads = 0;
        }
        return buffer;
    }

    private static final int SMALL_READS_BEFORE_SHRINK = 16;

    /** A new read buffer of {@code size} bytes, shown in CLIENT LIST's qbuf-free and tot-mem. */
    private byte[] readBuffer(int size) {
        readBufferSize = size;
        return new byte[size];
    }

    /** Reads what the client sent, waiting at most a moment, so that the lock is tried again soon. */
    private void readWhileBusy() throws IOException {
        int timeout = endpoint.readTimeout(20);
        if (timeout < 0) { // a unix socket: its reads cannot time out, so only other connections are heard meanwhile
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            return;
        }
        try {
            byte[] buffer = new byte[16 * 1024];
            int n = input.read(buffer);
            if (n < 0) {
                throw new IOException("the client closed the connection while a script was busy");
            }
            server.stats().netInputBytes.addAndGet(n);
            server.stats().readsProcessed.incrementAndGet();
            decoder.feed(buffer, 0, n);
        } catch (java.net.SocketTimeoutException e) {
            // nothing new: try the lock again
        } finally {
            endpoint.readTimeout(timeout);
        }
    }

    private void flush() throws IOException {
        if (outbox.takeReplies(replies) || replies.size() == 0) {
            return;
        }
        server.stats().netOutputBytes.addAndGet(replies.size());
        server.stats().writesProcessed.incrementAndGet();
        server.stats().outputBuffer(replies.size());
        writeLock.lock();
        try {
            replies.flushTo(out);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void push(byte[] frame) {
        if (Thread.currentThread() == thread && server.executionLock().isHeldByCurrentThread()) {
            // The client pushes to itself (a RESP3 PUBLISH to its own channel, a keyspace event it caused): Redis
            // appends the push to the reply buffer at that moment, e.g. between the elements of EXEC's array.
            // Only its place is noted here: the batch's replies stay whole (the dispatcher and the AOF read them
            // by offset) until the end of the batch interleaves the two.
            selfPushes.add(new SelfPush(replies.size(), frame));
            return;
        }
        outbox.push(frame);
    }

    /** Hands the batch's replies to the outbox cut at the noted places, each self-push in its place. */
    private void deliverSelfPushes() {
        if (selfPushes.isEmpty()) {
            return;
        }
        byte[] all = replies.toByteArray();
        replies.clear();
        int from = 0;
        for (SelfPush push : selfPushes) {
            int at = Math.min(Math.max(push.offset(), from), all.length); // a failed command's reply was truncated
            if (at > from) {
                outbox.push(Arrays.copyOfRange(all, from, at));
            }
            outbox.push(push.frame());
            from = at;
        }
        if (from < all.length) {
            outbox.push(Arrays.copyOfRange(all, from, all.length));
        }
        selfPushes.clear();
    }

    /** The decimal digits of {@code n} (0 or more), counted without making its string: this runs for every argument. */
    private static int digits(long n) {
        int digits = 1;
        for (long limit = 10; n >= limit && digits < 19; limit *= 10) {
            digits++;
        }
        return digits;
    }

    @Override
    public void tcpNoDelay(boolean on) {
        try {
            endpoint.tcpNoDelay(on);
        } catch (IOException e) {
            // not critical, as for Redis's connDisableTcpNoDelay: the connection works either way
        }
    }

    @Override
    public int fd() {
        if (fd == UNKNOWN) {
            fd = endpoint.fd();
        }
        return fd;
    }

    @Override
    public long queryBufferLength() {
        return queryBuffer;
    }

    @Override
    public long queryBufferFree() {
        return Math.max(0, readBufferSize - queryBuffer);
    }

    @Override
    public long readBufferSize() {
        return readBufferSize;
    }

    @Override
    public long replyBufferSize() {
        return replies.capacity();
    }

    @Override
    public long replyBufferPeak() {
        return replyBufferPeak;
    }

    // tag::reply-buffer[]
    /**
     * Redis's clientsCronResizeOutputBuffer on the writer's own buffer: halved or more (to the peak, at least 1 KB)
     * when the peak stayed under half of it, doubled up to 16 KB when a batch filled it. Redis gives a new client
     * 16 KB at once and shrinks it when idle; here a connection holds no buffer until its first reply, which then
     * takes 1 KB. The buffer is only replaced while it is empty and no flush writes it (the execution lock keeps
     * replies from being written meanwhile, the write lock a flush).
     */
    @Override
    public int resizeReplyBuffer(long nowMillis, long peakResetMillis) {
        int usable = replies.capacity();
        int peak = replyBufferPeak;
        int target = 0;
        int change = 0;
        if (usable / 2 >= MIN_REPLY_BUFFER && peak < usable / 2) {
            target = Math.max(MIN_REPLY_BUFFER, peak + 1);
            change = -1;
        } else if (usable > 0 && usable * 2 < 2 * REPLY_CHUNK && peak == usable) {
            target = Math.min(REPLY_CHUNK, usable * 2);
            change = 1;
        }
        if (peakResetMillis >= 0 && nowMillis - peakResetAt >= peakResetMillis) {
            replyBufferPeak = Math.min(replies.size(), usable);
            peakResetAt = nowMillis;
        }
        if (change == 0 || !writeLock.tryLock()) {
            return 0;
        }
        try {
            return replies.resize(target) ? change : 0;
        } finally {
            writeLock.unlock();
        }
    }

    /** At the end of a batch, under the execution lock: the bytes Redis's fixed reply buffer would have held. */
    private void notePeak() {
        int held = (int) Math.min(replies.size(), replies.capacity());
        if (held > replyBufferPeak) {
            replyBufferPeak = held;
        }
    }
    // end::reply-buffer[]

    @Override
    public long argvMemory() {
        return runningArgv;
    }

    @Override
    public long pendingBytes() {
        return outbox.pendingBytes();
    }

    @Override
    public void close() {
        endpoint.close();
        outbox.close();
    }
}
