// A client's end of a connection: its byte streams and addresses, over TCP, TLS or a unix domain socket.
package io.port6379.server.network;

import io.port6379.server.util.Log;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;

/**
 * The connection loop reads and writes streams; where they come from is decided here, once per connection. A TCP
 * socket gives its own streams. A unix domain socket exists only as a {@link SocketChannel} (the JDK has no
 * {@link Socket} for it), whose blocking channel streams a virtual thread can block on just the same. A TLS
 * connection is a TCP socket wrapped in an {@link SSLSocket} by {@link #open}, on the client's own thread: the
 * handshake takes round trips, and the thread that accepts connections must never wait for one client.
 */
abstract sealed class Endpoint {

    /** Called on the connection's thread before any read or write; a second call does nothing. */
    abstract void open() throws IOException;

    abstract InputStream input() throws IOException;

    abstract OutputStream output() throws IOException;

    /** CLIENT LIST's {@code addr}: {@code ip:port}, or the socket's path followed by {@code :0}. */
    abstract String address();

    /** CLIENT LIST's {@code laddr}. */
    abstract String localAddress();

    /** Closes the connection; any thread, any number of times. */
    abstract void close();

    boolean unixSocket() {
        return false;
    }

    boolean overTls() {
        return false;
    }

    /**
     * Sets how long a read may wait ({@code 0}: for ever) and returns the previous setting, or {@code -1}, changing
     * nothing, where reads cannot time out (a unix socket's channel streams).
     */
    int readTimeout(int millis) throws IOException {
        return -1;
    }

    /** CLIENT LIST's {@code fd}: the descriptor number, or -1 where it cannot be found (a unix socket). */
    int fd() {
        return -1;
    }

    /** TCP_NODELAY, on a TCP socket (plain or under TLS); a unix socket has no such option. */
    void tcpNoDelay(boolean on) throws IOException {
    }

    static Endpoint tcp(Socket socket) {
        return new Tcp(socket);
    }

    static Endpoint tls(Socket socket, Tls tls) {
        return new TlsOverTcp(socket, tls);
    }

    static Endpoint unix(SocketChannel channel, String path) {
        return new Unix(channel, path);
    }

    /** A plain TCP connection. */
    static non-sealed class Tcp extends Endpoint {
        final Socket socket;

        Tcp(Socket socket) {
            this.socket = socket;
        }

        @Override
        void open() throws IOException {
            socket.setTcpNoDelay(true);
        }

        @Override
        void tcpNoDelay(boolean on) throws IOException {
            socket.setTcpNoDelay(on);
        }

        @Override
        InputStream input() throws IOException {
            return socket.getInputStream();
        }

        @Override
        OutputStream output() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        String address() {
            return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        }

        @Override
        int fd() {
            return SocketDescriptors.of(socket);
        }

        @Override
        int readTimeout(int millis) throws IOException {
            int previous = socket.getSoTimeout();
            socket.setSoTimeout(millis);
            return previous;
        }

        @Override
        String localAddress() {
            return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        }

        @Override
        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    // tag::tls[]
    /**
     * TLS on a TCP connection. The first byte is read before the JDK sees any: a TLS connection starts with a
     * handshake record (content type 22). Anything else, typically a plain-text client such as {@code redis-cli}
     * without {@code --tls}, is refused as Redis refuses it: nothing is written and the connection is reset
     * ({@code Connection reset by peer}). Otherwise the byte is handed back to the
     * {@link SSLSocket} layered on the socket, and the handshake runs here, so that a failed one (a client
     * certificate the CA did not sign) is logged as Redis logs it.
     *
     * <p>{@link #close} closes the TCP socket under the TLS layer, not the layer: closing an {@link SSLSocket}
     * sends a close_notify, which would wait for a write blocked on a client that stopped reading.
     */
    static final class TlsOverTcp extends Tcp {
        private static final int HANDSHAKE_RECORD = 22;
        private final Tls tls;
        private volatile SSLSocket ssl;

        TlsOverTcp(Socket socket, Tls tls) {
            super(socket);
            this.tls = tls;
        }

        @Override
        void open() throws IOException {
            if (ssl != null) {
                return; // opened already, before protected mode's check
            }
            super.open();
            int first = socket.getInputStream().read();
            if (first != HANDSHAKE_RECORD) {
                Log.log("#", "Error accepting a client connection: " + (first < 0
                        ? "Connection closed before the TLS handshake" : "wrong version number (not a TLS client)"));
                socket.setSoLinger(true, 0); // closed with a reset, as when Redis closes with the request unread
                throw new IOException("not a TLS client");
            }
            SSLSocket layered = (SSLSocket) tls.context().getSocketFactory()
                    .createSocket(socket, new ByteArrayInputStream(new byte[] {(byte) first}), true);
            layered.setUseClientMode(false);
            layered.setSSLParameters(tls.parameters());
            ssl = layered;
            try {
                layered.startHandshake();
            } catch (IOException e) {
                Log.log("#", "Error accepting a client connection: " + e.getMessage());
                throw e;
            }
        }
        // end::tls[]

        @Override
        boolean overTls() {
            return true;
        }

        /** The TLS socket, once {@link #open} has returned. */
        SSLSocket layered() {
            return ssl;
        }

        @Override
        InputStream input() throws IOException {
            return ssl.getInputStream();
        }

        @Override
        OutputStream output() throws IOException {
            return ssl.getOutputStream();
        }
    }

    /** A unix domain socket: the path is both ends' address, with port 0, as in Redis's CLIENT LIST. */
    static final class Unix extends Endpoint {
        private final SocketChannel channel;
        private final String path;
        private InputStream in;
        private OutputStream out;

        Unix(SocketChannel channel, String path) {
            this.channel = channel;
            this.path = path;
        }

        @Override
        void open() {
            in = Channels.newInputStream(channel);
            out = Channels.newOutputStream(channel);
        }

        @Override
        InputStream input() {
            return in;
        }

        @Override
        OutputStream output() {
            return out;
        }

        @Override
        String address() {
            return path + ":0";
        }

        @Override
        String localAddress() {
            return path + ":0";
        }

        @Override
        boolean unixSocket() {
            return true;
        }

        @Override
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
