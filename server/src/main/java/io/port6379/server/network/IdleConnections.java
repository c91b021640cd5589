// Idle connections without a thread: their sockets wait in one selector, and a new thread is started when bytes arrive.
package io.port6379.server.network;

import io.port6379.server.util.Log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Where an idle connection waits. A virtual thread parked in a read keeps its stack: sixteen frames, 1.6 to 2.9 KB
 * of heap per connection, more than Redis spends on a whole client. So a connection that has been idle for a while
 * ({@link ClientConnection} says when) lets its thread end instead: it puts its socket in non-blocking mode and
 * hands it to this class, whose one platform thread watches all such sockets in one {@link Selector}, as Redis's
 * event loop watches all of its clients. When bytes arrive (or the client closes), the socket leaves the selector,
 * and the connection runs again on a new virtual thread: its state (decoder, client, outbox) is in its object, not
 * on the stack, so nothing was lost with the old thread.
 *
 * <p>A parked connection is also resumed when something else needs its socket: CLIENT KILL, a timeout or SHUTDOWN
 * closed it (the new thread sees it closed and ends the connection as any other), or another client pushed it a
 * message, whose writer waits for the socket to block again ({@link #wake}). Only this class's thread registers
 * and cancels the selector's keys, so a connection is resumed exactly once per park.
 */
final class IdleConnections implements Runnable {

    /**
     * A connection that can wait here: a channel to watch, and {@link #run} to continue it on a new thread. Public
     * so that an exercise's {@code ClientConnection}, loaded by another class loader, may implement it.
     */
    public interface Parked extends Runnable {
        SelectableChannel channel();
    }

    private final Selector selector;
    /** Starts a client's virtual thread, known to the server's stop until it ends. */
    private final Consumer<Runnable> threads;
    private final Queue<Parked> arriving = new ConcurrentLinkedQueue<>();
    private final Queue<Parked> waking = new ConcurrentLinkedQueue<>();
    /** The connections waiting here and their keys: this class's thread only. */
    private final Map<Parked, SelectionKey> parked = new HashMap<>();
    private volatile boolean closed;
    private volatile int waiting;
    private final Thread thread;

    IdleConnections(Consumer<Runnable> threads) throws IOException {
        this.selector = Selector.open();
        this.threads = threads;
        this.thread = Thread.ofPlatform().daemon().name("idle-connections").unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Called by a connection's thread as its last act: its channel is non-blocking, and {@code connection} waits here. */
    void park(Parked connection) {
        arriving.add(connection);
        selector.wakeup();
    }

    /**
     * Resumes {@code connection} if it waits here; any thread, any number of times. The caller must have seen the
     * connection parked after its {@link #park}, so that the request cannot overtake the park.
     */
    void wake(Parked connection) {
        waking.add(connection);
        selector.wakeup();
    }

    /** At shutdown, after every client was killed: resumes everything still here, so that it ends, then stops. */
    void close() {
        closed = true;
        selector.wakeup();
    }

    /** How many connections wait here, as of the selector's last round. */
    int waiting() {
        return waiting;
    }

    /** Waits for this class's thread to end, after {@link #close}. */
    void join(java.time.Duration timeout) throws InterruptedException {
        thread.join(timeout);
    }

    // tag::selector[]
    @Override
    public void run() {
        List<Parked> ready = new ArrayList<>();
        try {
            while (true) {
                selector.select();
                List<Parked> wakes = drain(waking); // before the arrivals: a wake never overtakes its park
                for (Parked connection; (connection = arriving.poll()) != null; ) {
                    try {
                        parked.put(connection, connection.channel().register(selector, SelectionKey.OP_READ, connection));
                    } catch (ClosedChannelException e) {
                        ready.add(connection); // killed on its way here: its new thread ends it
                    }
                }
                boolean stopping = closed;
                for (Parked connection : stopping ? List.copyOf(parked.keySet()) : wakes) {
                    resume(parked.remove(connection), connection, ready);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Parked connection = (Parked) key.attachment();
                    resume(parked.remove(connection), connection, ready);
                }
                selector.selectedKeys().clear();
                waiting = parked.size();
                if (!ready.isEmpty()) {
                    selector.selectNow(); // takes the cancelled keys out, so that their channels may block again
                    for (Parked connection : ready) {
                        threads.accept(connection);
                    }
                    ready.clear();
                }
                if (stopping) {
                    selector.close();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.log("#", "The selector of idle connections failed: " + e);
        }
    }
    // end::selector[]

    /** A connection leaves the selector and is to be resumed, unless it was not waiting here (key null). */
    private static void resume(SelectionKey key, Parked connection, List<Parked> ready) {
        if (key != null) {
            key.cancel();
            ready.add(connection);
        }
    }

    private static List<Parked> drain(Queue<Parked> queue) {
        List<Parked> all = new ArrayList<>();
        for (Parked connection; (connection = queue.poll()) != null; ) {
            all.add(connection);
        }
        return all;
    }
}
