// A client's output once other clients write to it too (pub/sub messages, MONITOR): ordered, bounded, sent by its own thread.
package io.port6379.server.network;

import io.port6379.server.config.OutputBufferLimit;
import io.port6379.server.util.Log;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Redis's reply list plus {@code client-output-buffer-limit}, for a server where a publisher runs on another
 * thread than the subscriber's connection.
 *
 * <p><b>Why publishing never blocks.</b> PUBLISH runs under the execution lock. If it wrote to each subscriber's
 * socket, one subscriber that stopped reading would fill its TCP window, the write would block, and with it the
 * lock and the whole server. So a publisher only {@linkplain #push appends} bytes to the subscriber's queue; a
 * <em>writer</em> virtual thread, started on the first push, takes them off and does the blocking write. The
 * price is memory, which the limits bound.
 *
 * <p><b>Order.</b> Once a client has an active outbox, its own replies go through it too
 * ({@link #takeReplies}, called under the execution lock at the end of each batch), so a SUBSCRIBE's
 * confirmation always precedes the first message, as on a Redis connection.
 *
 * <p><b>Limits.</b> The class is {@code pubsub} while the client is subscribed, {@code normal} otherwise (a MONITOR
 * client is normal, as in Redis). Past the hard limit the client is disconnected at once; above the soft limit
 * for longer than its seconds, too. Either way the server logs it as Redis does. Limits are read from the
 * configuration on each push, so CONFIG SET applies to connected clients at once.
 *
 * <p><b>A replica's writer is a platform thread.</b> A virtual writer, woken by a push, waits for a carrier behind
 * every runnable client thread: under a load of fifty clients, each {@code REPLCONF GETACK} that WAIT puts into
 * the stream waited that long before it left. The kernel schedules a platform thread at once, and a master has
 * few replicas (see {@link ClientConnection} for the replica's reads).
 *
 * <p>Thread-safety: {@link #push} and {@link #takeReplies} may be called from any thread (they synchronize on
 * the outbox); the writer thread is the only one that takes from the queue.
 */
public final class Outbox {

    private static final int MAX_BATCH = 64 * 1024;

    private final ServerContext server;
    private final Client client;
    private final Endpoint endpoint;
    private final ReentrantLock writeLock;
    private LinkedBlockingQueue<byte[]> queue; // made with the writer, by the first push: most clients never have one
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean active;
    private boolean closed;
    private long softLimitSince = -1;
    private Thread writer;

    /** {@code writeLock} is the connection's: the writer and the connection's own flush never interleave bytes. */
    Outbox(ServerContext server, Client client, Endpoint endpoint, ReentrantLock writeLock) {
        this.server = server;
        this.client = client;
        this.endpoint = endpoint;
        this.writeLock = writeLock;
    }

    /** Whether everything this client is sent goes through here (from the first push on). */
    boolean isActive() {
        return active;
    }

    /** Bytes queued and not yet written: Redis's {@code omem}. */
    long pendingBytes() {
        return pending.get();
    }

    // tag::push[]
    /** Queues {@code frame} for the writer thread; never blocks. Disconnects the client past its limits. */
    synchronized void push(byte[] frame) {
        if (closed) {
            return;
        }
        active = true;
        long used = pending.addAndGet(frame.length);
        if (overLimits(used)) {
            disconnect();
            return;
        }
        if (writer == null) {
            queue = new LinkedBlockingQueue<>();
            writer = (client.isReplica() ? Thread.ofPlatform().daemon() : Thread.ofVirtual()).name("outbox-" + client.id())
                    .unstarted(this::writeLoop);
            queue.add(frame);
            writer.start();
            return;
        }
        queue.add(frame);
    }

    /** The client's class: {@code replica} for a replica's stream, else {@code pubsub} or {@code normal}. */
    private OutputBufferLimit limit() {
        return client.isReplica() ? server.config().replicaOutputBufferLimit()
                : server.config().outputBufferLimit(client.isSubscribed());
    }

    private boolean overLimits(long used) {
        OutputBufferLimit limit = limit();
        if (limit.hard() > 0 && used >= limit.hard()) {
            return true;
        }
        if (limit.soft() == 0 || used < limit.soft()) {
            softLimitSince = -1;
            return false;
        }
        long now = server.clock().millis();
        if (softLimitSince < 0) {
            softLimitSince = now;
            return false;
        }
        return (now - softLimitSince) / 1000 > limit.softSeconds();
    }
    // end::push[]

    /**
     * The same limits for the replies a batch is building before they are written (Redis counts them in the
     * output buffer too): past them the client is disconnected and true is returned. Under the execution lock.
     */
    boolean overLimitsWith(long unwrittenReplies) {
        if (limit().isNone()) {
            return false; // the usual case, checked after every command: a normal client, no limit (Redis's default)
        }
        synchronized (this) {
            if (closed || !overLimits(pending.get() + unwrittenReplies)) {
                return false;
            }
            disconnect();
            return true;
        }
    }

    private void disconnect() {
        Log.log("#", "Client " + client.describe(client)
                + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        close();
        client.kill();
    }

    /**
     * Under the execution lock at the end of a batch: when the outbox is active, the batch's replies join the
     * queue behind the messages already in it, and true is returned; otherwise the caller writes them itself.
     */
    boolean takeReplies(io.port6379.protocol.RespWriter replies) {
        if (!active) {
            return false; // the common case, a client nobody pushes to: one volatile read per batch
        }
        synchronized (this) {
            if (replies.size() > 0) {
                byte[] bytes = replies.toByteArray();
                replies.clear();
                push(bytes);
            }
            return true;
        }
    }

    // tag::writer[]
    /** The writer thread: takes what is queued, up to 64 KB at a time, and writes it with one blocking write. */
    private void writeLoop() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream(MAX_BATCH);
        try {
            OutputStream out = endpoint.output();
            while (true) {
                batch.writeBytes(queue.take());
                byte[] next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.writeBytes(next);
                }
                writeLock.lock();
                try {
                    batch.writeTo(out);
                    out.flush();
                } finally {
                    writeLock.unlock();
                }
                pending.addAndGet(-batch.size());
                server.stats().netOutputBytes.addAndGet(batch.size());
                server.stats().writesProcessed.incrementAndGet();
                server.stats().outputBuffer(batch.size());
                batch.reset();
            }
        } catch (InterruptedException | IOException e) {
            // the connection is closing: what is still queued goes with it
        }
    }
    // end::writer[]

    /** Stops the writer and drops what is queued. Any thread. */
    synchronized void close() {
        closed = true;
        if (writer != null) {
            queue.clear();
            writer.interrupt();
        }
    }
}
