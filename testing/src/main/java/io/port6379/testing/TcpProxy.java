// A loopback TCP proxy for tests: a link between two servers that a test can cut and restore at will.
package io.port6379.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens on 127.0.0.1 and an ephemeral port and forwards every connection to 127.0.0.1:{@code target}, bytes
 * unchanged in both directions. A replica pointed at the proxy instead of at its master can then lose its link
 * in the middle of a stream, the way a network partition does it:
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(master.port())) {
 *     replica.call("REPLICAOF", "127.0.0.1", Integer.toString(proxy.port()));
 *     ...
 *     proxy.cut();      // every open connection is reset, new ones are refused
 *     proxy.restore();  // connections are accepted and forwarded again
 * }
 * }</pre>
 *
 * <p>Why it resets rather than stalls: both ends must see the link break (an RST at once, not a silence that
 * only {@code repl-timeout} would notice), so that the replica reconnects and asks for a partial resync, which
 * is what a test of the backlog wants. While cut, the listening socket stays bound, so the port the replica knows
 * stays the proxy's; a new connection is accepted and reset at once, which the replica sees as a failed attempt.
 *
 * <p>One platform thread per direction of each forwarded connection: a test has a handful of links, and a thread
 * blocked in {@code read} is the simplest correct forwarder.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
    }

    /** A proxy to 127.0.0.1:{@code target}, accepting at once. */
    public static TcpProxy start(int target) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy proxy = new TcpProxy(listener, target);
        Thread.ofPlatform().daemon().name("tcp-proxy-" + listener.getLocalPort()).start(proxy::acceptLoop);
        return proxy;
    }

    /** The port to connect to instead of the target's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections were forwarded so far (those accepted while cut are not counted). */
    public long connections() {
        return connections.get();
    }

    /** Resets every forwarded connection, on both sides, and resets new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            reset(socket);
        }
    }

    /** Forwards new connections again; those reset by {@link #cut()} stay closed (their ends reconnect). */
    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                reset(client);
                continue;
            }
            Socket server;
            try {
                server = new Socket(InetAddress.getLoopbackAddress(), target);
            } catch (IOException e) {
                reset(client); // the target is down: the client sees a refused link, as it would without us
                continue;
            }
            connections.incrementAndGet();
            open.add(client);
            open.add(server);
            pump(client, server);
            pump(server, client);
        }
    }

    /** Copies {@code from} to {@code to} until either end closes, then closes both. */
    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("tcp-proxy-pump").start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // reset by cut() or by either end: the link is over
            } finally {
                reset(from);
                reset(to);
            }
        });
    }

    /** Closes with SO_LINGER 0, so the peer gets an RST rather than an orderly FIN. */
    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** Stops listening and resets every forwarded connection. */
    @Override
    public void close() throws IOException {
        closed = true;
        cut();
        listener.close();
    }
}
