// One client's connection, run on its own virtual thread: read, decode every complete command, execute, write.
package io.port6379.server;

import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.ProtocolLimits;
import io.port6379.protocol.RequestDecoder;
import io.port6379.protocol.RespWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection loop. Plain blocking I/O reads top to bottom because the thread is virtual: a blocked read
 * parks the virtual thread, not an OS thread.
 *
 * <p>Pipelining comes from the loop's shape: one read may carry many commands; all complete ones are executed
 * under the execution lock, their replies collect in one buffer and leave in one write, after the lock is
 * released, so a slow client's socket never holds up the other clients.
 *
 * <p>Pushes (MONITOR lines; later pub/sub messages) are produced by other clients' commands. They go through a
 * queue drained by a second virtual thread, started on the first push, so that the command that produced them
 * never waits for this client's socket. A client whose queue grows beyond its output-buffer limit is
 * disconnected, as Redis does, instead of letting memory grow without end.
 */
final class ClientConnection implements Runnable, Client.Channel {

    private final ServerContext server;
    private final Socket socket;
    private final Client client;
    private final RequestDecoder decoder;
    private final RespWriter replies = new RespWriter();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LinkedBlockingQueue<byte[]> pushes = new LinkedBlockingQueue<>();
    private final AtomicLong pushedBytes = new AtomicLong();
    private final long pushLimit;
    private Thread pusher;
    private OutputStream out;

    ClientConnection(ServerContext server, Socket socket) {
        this.server = server;
        this.socket = socket;
        this.client = new Client(server.nextClientId(), server, this, address(socket), localAddress(socket));
        this.decoder = new RequestDecoder(ProtocolLimits.DEFAULT.withMaxBulkLength(server.config().number("proto-max-bulk-len")));
        this.pushLimit = pubsubHardLimit(server.config().get("client-output-buffer-limit"));
    }

    Client client() {
        return client;
    }

    // tag::loop[]
    @Override
    public void run() {
        server.register(client);
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            out = socket.getOutputStream();
            byte[] readBuffer = new byte[16 * 1024];
            while (!client.isClosing()) {
                int n = in.read(readBuffer);
                if (n < 0) {
                    return; // the client closed the connection
                }
                server.stats().netInputBytes.addAndGet(n);
                decoder.feed(readBuffer, 0, n);
                if (decoder.pending() > server.config().number("client-query-buffer-limit")) {
                    RedisServer.log("#", "Closing client that reached max query buffer length: id=" + client.id());
                    return;
                }
                executeCompleteCommands();
                flush();
            }
        } catch (IOException e) {
            // the client went away mid-read or mid-write, or was killed: nothing left to do for it
        } finally {
            server.unregister(client);
            close();
        }
    }

    // end::loop[]

    // tag::batch[]
    private void executeCompleteCommands() {
        server.executionLock().lock();
        try {
            byte[][] args;
            while (!client.isClosing() && (args = decoder.next()) != null) {
                server.execute(client, args, replies);
            }
        } catch (ProtocolException e) {
            replies.error("ERR " + e.getMessage());
            client.closeAfterReply();
        } finally {
            server.executionLock().unlock();
        }
    }
    // end::batch[]

    private void flush() throws IOException {
        if (replies.size() == 0) {
            return;
        }
        server.stats().netOutputBytes.addAndGet(replies.size());
        writeLock.lock();
        try {
            replies.flushTo(out);
        } finally {
            writeLock.unlock();
        }
    }

    // tag::push[]
    @Override
    public void push(byte[] frame) {
        if (pushedBytes.addAndGet(frame.length) > pushLimit) {
            RedisServer.log("#", "Client id=" + client.id() + " addr=" + client.address()
                    + " scheduled to be closed ASAP for overcoming of output buffer limits.");
            close();
            return;
        }
        pushes.add(frame);
        synchronized (this) {
            if (pusher == null) {
                pusher = Thread.ofVirtual().name("push-" + client.id()).start(this::drainPushes);
            }
        }
    }

    private void drainPushes() {
        try {
            while (!socket.isClosed()) {
                byte[] frame = pushes.take();
                writeLock.lock();
                try {
                    if (out != null) {
                        out.write(frame);
                        out.flush();
                    }
                } finally {
                    writeLock.unlock();
                }
                pushedBytes.addAndGet(-frame.length);
                server.stats().netOutputBytes.addAndGet(frame.length);
            }
        } catch (InterruptedException | IOException e) {
            // closed: the pending pushes are dropped with the connection
        }
    }
    // end::push[]

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        synchronized (this) {
            if (pusher != null) {
                pusher.interrupt();
            }
        }
    }

    /** The hard limit of the {@code pubsub} class in {@code client-output-buffer-limit} (Redis default 32 MB). */
    private static long pubsubHardLimit(String setting) {
        String[] words = setting.split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("pubsub")) {
                long limit = ConfigParameter.parseMemory(words[i + 1]);
                return limit == 0 ? Long.MAX_VALUE : limit;
            }
        }
        return 32L * 1024 * 1024;
    }

    private static String address(Socket socket) {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    private static String localAddress(Socket socket) {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }
}
