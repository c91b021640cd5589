// One connection of the cluster bus (TCP, or TLS under tls-cluster): a reader thread that hands whole messages over,
// a writer thread with a queue.
package io.port6379.server.cluster;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Redis's {@code clusterLink}. A node keeps two per peer: the outbound link it opened (it sends PINGs, FAILs and
 * broadcasts there, and reads the PONGs) and the inbound link the peer opened (it reads the peer's PINGs and answers
 * PONGs on it). Each link has a virtual thread that reads (8 bytes, then the rest of {@code totlen}) and one that
 * writes from a queue, so that a peer that stops reading never blocks the sender, which usually holds the execution
 * lock. Everything else about a link (which node it belongs to, when it was made) is changed under that lock.
 */
final class BusLink {

    final boolean inbound;
    final long ctime;
    /** The node this link talks to; null for an inbound link until its first message names the sender. */
    ClusterNode node;
    /** The TCP connection: its addresses, and what {@link #close} closes. */
    private final Socket socket;
    /** What the messages cross: the TCP socket, or the TLS layer over it ({@link #secure}). */
    private volatile Socket stream;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    /** What Redis's sds send buffer would have allocated; changed under the execution lock. */
    private long allocated;
    private volatile boolean closed;
    /**
     * When the link started reading and writing, connected and, under tls-cluster, secured; 0 before. The silent-link
     * check counts from here: a TLS handshake that a loaded peer is slow to finish is bounded by its own timeout.
     */
    volatile long startedAt;

    private BusLink(Socket socket, boolean inbound, ClusterNode node, long ctime) {
        this.socket = socket;
        this.stream = socket;
        this.inbound = inbound;
        this.node = node;
        this.ctime = ctime;
    }

    /** A link for a socket the listener accepted. */
    static BusLink accepted(Socket socket, long now) {
        return new BusLink(socket, true, null, now);
    }

    /** An outbound link toward {@code node}, not connected yet: {@link #connect} does that on the link's thread. */
    static BusLink outbound(ClusterNode node, long now) {
        return new BusLink(new Socket(), false, node, now);
    }

    /** Connects (outbound links only), within {@code timeoutMillis}. */
    void connect(String ip, int port, int timeoutMillis) throws IOException {
        socket.connect(new InetSocketAddress(ip, port), timeoutMillis);
        socket.setTcpNoDelay(true);
    }

    /**
     * Under {@code tls-cluster}, before {@link #start}: the TLS handshake, done by {@code tls} within
     * {@code timeoutMillis}; the messages then cross the TLS layer. {@link #close} still closes the TCP socket: closing
     * the layer would send a close_notify, which waits while a writer is blocked on a peer that stopped reading.
     */
    void secure(TlsLayer tls, int timeoutMillis) throws IOException {
        stream = tls.over(socket, inbound, timeoutMillis);
    }

    /** The TLS layer over a bus connection (the kernel's {@code overTls}, on network's TLS set-up). */
    interface TlsLayer {
        Socket over(Socket tcp, boolean accepted, int timeoutMillis) throws IOException;
    }

    /**
     * Starts the reader and the writer: each whole message goes to {@code onMessage}; when the peer closes, a read
     * fails or the framing is wrong, {@code onClose} is called once.
     */
    void start(BiConsumer<BusLink, byte[]> onMessage, Consumer<BusLink> onClose) {
        Thread.ofVirtual().name("cluster-link-writer").start(this::writeLoop);
        Thread.ofVirtual().name("cluster-link-reader").start(() -> {
            try {
                DataInputStream in = new DataInputStream(stream.getInputStream());
                byte[] first8 = new byte[8];
                while (!closed) {
                    in.readFully(first8);
                    int totlen = ClusterMessageCodec.totalLength(first8);
                    if (totlen < 0) {
                        break; // not a cluster bus peer: Redis frees the link
                    }
                    byte[] bytes = new byte[totlen];
                    System.arraycopy(first8, 0, bytes, 0, 8);
                    in.readFully(bytes, 8, totlen - 8);
                    onMessage.accept(this, bytes);
                }
            } catch (IOException e) {
                // the peer went away or the link was closed
            }
            if (!closed) {
                onClose.accept(this);
            }
        });
    }

    private void writeLoop() {
        try {
            OutputStream out = stream.getOutputStream();
            while (!closed) {
                byte[] bytes = queue.take();
                if (bytes.length == 0) {
                    break;
                }
                out.write(bytes);
                queued.addAndGet(-bytes.length);
            }
        } catch (IOException | InterruptedException e) {
            close();
        }
    }

    /** Queues a message; never blocks. */
    void send(byte[] bytes) {
        if (!closed) {
            long used = queued.addAndGet(bytes.length);
            allocated = SendBuffer.grown(allocated, used - bytes.length, bytes.length);
            queue.add(bytes);
        }
    }

    /** Bytes queued and not yet written (CLUSTER LINKS's send-buffer-used). */
    long pending() {
        return queued.get();
    }

    /** The bytes Redis's send buffer would hold allocated now (CLUSTER LINKS's send-buffer-allocated). */
    long allocated() {
        return allocated;
    }

    /** Redis's {@code clusterNodeCronResizeBuffers}: a buffer mostly unused shrinks to what it holds. */
    void resizeBuffer() {
        allocated = SendBuffer.shrunk(allocated, queued.get());
    }

    /** The peer's address as seen from here. */
    String peerIp() {
        return socket.getInetAddress() == null ? "" : socket.getInetAddress().getHostAddress();
    }

    /** This side's address of the connection: what the peer dialled to reach us. */
    String localIp() {
        return socket.getLocalAddress() == null ? "" : socket.getLocalAddress().getHostAddress();
    }

    boolean closed() {
        return closed;
    }

    /** Closes the socket; the threads end. */
    void close() {
        if (!closed) {
            closed = true;
            queue.add(new byte[0]);
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
