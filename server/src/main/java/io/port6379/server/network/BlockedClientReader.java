// A connection's reads while its client is blocked: a second virtual thread keeps reading, so a disconnect is seen at once.
package io.port6379.server.network;

import io.port6379.server.util.Log;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The socket side of blocking commands. While BLPOP waits, its connection thread is parked in
 * {@link BlockingKeys#awaitUnblocked} and reads nothing, so it would not notice that the client went away:
 * a waiter with timeout 0 would stay forever, and the next push would be popped for a dead client and lost.
 * Redis's event loop notices because it keeps reading. Here a <em>watcher</em> virtual thread takes over the
 * reading for the time the client is blocked: an end of stream (or a killed socket) removes the waiter at once
 * through {@link BlockingKeys#disconnected}; bytes that arrive are kept, as Redis keeps them in the query
 * buffer, and handed back when the connection thread reads again.
 *
 * <p>Only one thread reads the socket at any time: the watcher until the connection thread asks to read, then
 * the connection thread, which first waits for the watcher's read in progress to complete.
 */
final class BlockedClientReader extends InputStream {

    private final ServerContext server;
    private final Client client;
    private final InputStream in;
    /** What the watcher read while the client was blocked: nothing for most connections, so room for one chunk. */
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(1);
    private long buffered;
    private boolean watching;
    private boolean handBack;
    private boolean closed;

    BlockedClientReader(ServerContext server, Client client, InputStream in) {
        this.server = server;
        this.client = client;
        this.in = in;
    }

    // tag::awaitReply[]
    /**
     * Called by the connection thread after a command blocked the client (its earlier replies are flushed):
     * waits until the blocked command has its reply, watching the socket meanwhile. False when the client
     * disconnected while it waited.
     */
    boolean awaitReply() {
        synchronized (this) {
            handBack = false;
            if (!watching && !closed) {
                watching = true;
                Thread.ofVirtual().name("blocked-" + client.id()).start(this::watch);
            }
        }
        try {
            server.blockingKeys().awaitUnblocked(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
            return false;
        }
        synchronized (this) {
            return !closed;
        }
    }
    // end::awaitReply[]

    private void watch() {
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                boolean overLimit;
                synchronized (this) {
                    chunks.addLast(Arrays.copyOf(buffer, n));
                    buffered += n;
                    if (handBack) {
                        watching = false;
                        notifyAll();
                        return;
                    }
                    overLimit = buffered > server.config().clientQueryBufferLimit();
                }
                if (overLimit) {
                    Log.log("#", "Closing client that reached max query buffer length: id=" + client.id());
                    client.kill();
                    break;
                }
            }
        } catch (IOException e) {
            // killed or reset: the same as an end of stream for a blocked client
        }
        synchronized (this) {
            closed = true;
            watching = false;
            notifyAll();
        }
        server.executionLock().lock();
        try {
            server.blockingKeys().disconnected(client);
        } finally {
            server.executionLock().unlock();
        }
    }

    /**
     * Bytes that a read would return without waiting: what the watcher kept, else (when no watcher reads) what the
     * socket holds.
     */
    @Override
    public int available() throws IOException {
        synchronized (this) {
            if (!chunks.isEmpty()) {
                return (int) Math.min(buffered, Integer.MAX_VALUE);
            }
            if (watching || closed) {
                return 0;
            }
        }
        return in.available();
    }

    /** One byte, for completeness: the connection thread reads arrays. */
    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * {@link InputStream#read(byte[], int, int)} for the connection thread: first what the watcher read, then the
     * socket. Returns -1 at the end of the stream.
     */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        synchronized (this) {
            handBack = true;
            while (watching && chunks.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the watcher was reading", e);
                }
            }
            byte[] chunk = chunks.pollFirst();
            if (chunk != null) {
                buffered -= chunk.length;
                if (chunk.length > length) {
                    chunks.addFirst(Arrays.copyOfRange(chunk, length, chunk.length));
                    buffered += chunk.length - length;
                }
                int n = Math.min(chunk.length, length);
                System.arraycopy(chunk, 0, buffer, offset, n);
                return n;
            }
            if (closed) {
                return -1;
            }
        }
        return in.read(buffer, offset, length);
    }
}
