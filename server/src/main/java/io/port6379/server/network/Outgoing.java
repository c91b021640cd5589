// The connections this server opens to other servers (MIGRATE, replication), over TCP or TLS, each wait bounded.
package io.port6379.server.network;

import io.port6379.server.ServerContext;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The one way this server connects to another: {@code context.connect(host, port, timeoutMillis, tls)} (the
 * kernel's {@link ServerContext.Connector}, installed by {@link RedisServer}) returns a {@link ServerContext.Link}.
 * Redis opens such connections with {@code connCreateSocket()} or {@code connCreateTLS()}, choosing by
 * {@code tls-cluster} for MIGRATE ({@code migrateGetSocket} in cluster.c) and by {@code tls-replication} for a
 * replica's link to its master; a caller here passes that setting as {@code tls}:
 *
 * <pre>{@code
 * try (ServerContext.Link master = context.connect(host, port, timeoutMillis, config.flag("tls-replication"))) {
 *     master.write(ByteBuffer.wrap(request), timeoutMillis); // every byte, or an IOException
 *     int n = master.read(buffer, timeoutMillis);            // at least one byte, -1 at the end
 * }
 * }</pre>
 *
 * <p>The cluster bus keeps its blocking sockets (a reader and a writer thread per link) and asks only for the TLS
 * layer over them under {@code tls-cluster}: {@link #overTls}, which {@link Tls} sets up as Redis's bus does.
 *
 * <p>The contract, for every caller:
 * <ul>
 * <li><b>Timeouts.</b> Connecting, the TLS handshake, and each step of a write or a read wait at most the timeout
 * given, then throw {@link SocketTimeoutException} (Redis's {@code connSyncWrite}/{@code connSyncRead} with their
 * timeout). The channel is non-blocking and a selector waits for it: a Java blocking socket can time out its reads
 * but never its writes, and a peer that stops reading must not hold the caller, often under the execution lock. A read that timed out may be
 * called again: nothing read is lost, even in the middle of a TLS record (a replica's link polls so).</li>
 * <li><b>TCP failures.</b> Only an address that cannot be tried (a host that does not resolve) fails {@code connect};
 * a refused or timed-out TCP connection fails at the first write, as Redis 7.0's {@code connSocketBlockingConnect}
 * reports such a connection as made (MIGRATE then answers "error or timeout writing").</li>
 * <li><b>TLS.</b> {@code connect} also completes the handshake and throws when it fails (a refused port, a peer
 * certificate not signed by {@code tls-ca-cert-file}/{@code -dir}, no common protocol or suite), as Redis's
 * {@code connTLSBlockingConnect} does. The certificate shown is {@code tls-client-cert-file}, else
 * {@code tls-cert-file}; {@code tls-protocols}, {@code tls-ciphers} and {@code tls-ciphersuites} apply as on the
 * server side; the peer's name is not checked, only its chain (see {@link Tls#clientEngine}). The settings are
 * those in force when {@code connect} is called (CONFIG SET of a tls-* setting affects later connections only).
 * TLS with none of tls-port, tls-cluster, tls-replication set fails: Redis configures TLS only then.</li>
 * <li><b>Timeouts are positive</b>: a selector's wait of 0 would be forever (MIGRATE makes its 0 a second).</li>
 * <li><b>Threads.</b> A link belongs to one thread at a time; nothing here is synchronized. Closing is quiet and
 * idempotent; a TLS link sends its close_notify first when it can do so at once.</li>
 * </ul>
 */
public final class Outgoing implements ServerContext.Connector {

    private final Supplier<Tls> tls;

    /** {@code tls} gives the TLS set-up in force, or null when TLS is not configured. */
    Outgoing(Supplier<Tls> tls) {
        this.tls = tls;
    }

    /** For a context without a server (tests of commands): TCP only, since no TLS is configured there. */
    public static Outgoing overTcpOnly() {
        return new Outgoing(() -> null);
    }

    // tag::connect[]
    @Override
    public ServerContext.Link connect(String host, int port, long timeoutMillis, boolean overTls, String sourceAddress)
            throws IOException {
        if (!overTls) {
            return Plain.connect(host, port, timeoutMillis, sourceAddress);
        }
        Tls current = tls.get();
        if (current == null) {
            throw new IOException("TLS is not configured");
        }
        Plain plain = Plain.connect(host, port, timeoutMillis, sourceAddress);
        try {
            Secure secure = new Secure(plain, current.clientEngine(host, port));
            secure.handshake(timeoutMillis);
            return secure;
        } catch (IOException | RuntimeException failed) {
            plain.close();
            throw failed instanceof IOException io ? io : new IOException(failed.getMessage(), failed);
        }
    }
    // end::connect[]

    @Override
    public Socket overTls(Socket tcp, boolean accepted, int timeoutMillis) throws IOException {
        Tls current = tls.get();
        if (current == null) {
            tcp.close();
            throw new IOException("TLS is not configured");
        }
        return current.busSocket(tcp, accepted, timeoutMillis);
    }

    /** TCP on a non-blocking channel, each wait for it bounded by a selector. */
    static final class Plain implements ServerContext.Link {

        private final SocketChannel channel;
        private final Selector selector;
        /** Why connecting failed, reported by the first write as Redis does; null once connected. */
        private IOException connectFailure;

        private Plain(SocketChannel channel, Selector selector) {
            this.channel = channel;
            this.selector = selector;
        }

        /** {@code sourceAddress}, when not null, is bound first; a failure to bind it fails here, as Redis's. */
        static Plain connect(String host, int port, long timeoutMillis, String sourceAddress) throws IOException {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new IOException("cannot resolve " + host);
            }
            SocketChannel channel = SocketChannel.open();
            Plain link = new Plain(channel, Selector.open());
            if (sourceAddress != null) {
                try {
                    channel.bind(new InetSocketAddress(sourceAddress, 0));
                } catch (IOException | RuntimeException failed) {
                    link.close();
                    throw new IOException("cannot bind to " + sourceAddress + ": " + failed.getMessage(), failed);
                }
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (!channel.connect(address)) {
                    link.await(SelectionKey.OP_CONNECT, timeoutMillis);
                    channel.finishConnect();
                }
            } catch (IOException failed) {
                link.connectFailure = failed;
            } catch (RuntimeException failed) {
                link.close();
                throw failed;
            }
            return link;
        }

        @Override
        public void write(ByteBuffer bytes, long timeoutMillis) throws IOException {
            if (connectFailure != null) {
                throw connectFailure;
            }
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    await(SelectionKey.OP_WRITE, timeoutMillis);
                }
            }
        }

        @Override
        public int read(ByteBuffer into, long timeoutMillis) throws IOException {
            if (connectFailure != null) {
                throw connectFailure;
            }
            while (true) {
                int read = channel.read(into);
                if (read != 0) {
                    return read;
                }
                await(SelectionKey.OP_READ, timeoutMillis);
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            try {
                return (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                return null;
            }
        }

        /** Writes what the socket takes now, without waiting. */
        void writeNow(ByteBuffer bytes) throws IOException {
            if (connectFailure == null) {
                channel.write(bytes);
            }
        }

        /** What is there now, without waiting: 0 when nothing is, -1 at the end. */
        int readNow(ByteBuffer into) throws IOException {
            if (connectFailure != null) {
                throw connectFailure;
            }
            return channel.read(into);
        }

        /**
         * Waits until the channel is ready for {@code operation}. The key keeps its interest between waits: a link
         * mostly waits to read, and changing the interest back and forth cost a system call per wait.
         */
        void await(int operation, long timeoutMillis) throws IOException {
            SelectionKey key = channel.keyFor(selector);
            if (key == null) {
                channel.register(selector, operation);
            } else if (key.interestOps() != operation) {
                key.interestOps(operation);
            }
            try {
                if (selector.select(timeoutMillis) == 0) {
                    throw new SocketTimeoutException("no progress within " + timeoutMillis + " ms");
                }
            } finally {
                selector.selectedKeys().clear();
            }
        }

        @Override
        public void close() {
            try {
                selector.close();
                channel.close();
            } catch (IOException ignored) {
                // closing is all that was asked: a connection that fails to close is gone all the same
            }
        }
    }

    /**
     * TLS over {@link Plain}, with the JDK's {@link SSLEngine}: records are wrapped into {@code netOut} and written,
     * read into {@code netIn} and unwrapped into {@code appIn}, which {@link #read} hands out. The engine may ask
     * for a write while reading (a TLS 1.3 key update) or for a read while writing (a handshake message): both
     * directions are served by {@link #step}, whatever the caller is doing.
     */
    static final class Secure implements ServerContext.Link {

        private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

        private final Plain plain;
        private final SSLEngine engine;
        private ByteBuffer netIn;
        private final ByteBuffer netOut;
        private ByteBuffer appIn;
        private boolean closed;

        Secure(Plain plain, SSLEngine engine) {
            this.plain = plain;
            this.engine = engine;
            int packet = engine.getSession().getPacketBufferSize();
            this.netIn = ByteBuffer.allocate(packet);
            this.netOut = ByteBuffer.allocate(packet);
            this.netOut.flip(); // read mode: nothing pending
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            this.appIn.flip();
        }

        void handshake(long timeoutMillis) throws IOException {
            engine.beginHandshake();
            while (handshaking()) {
                step(timeoutMillis);
            }
            flush(timeoutMillis);
        }

        private boolean handshaking() {
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            return status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    && status != SSLEngineResult.HandshakeStatus.FINISHED;
        }

        /** One step of whatever the engine wants: a task, a record to write, or a record to read. */
        private void step(long timeoutMillis) throws IOException {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                case NEED_WRAP -> wrap(NOTHING, timeoutMillis);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap(timeoutMillis)) {
                        throw new EOFException("the peer closed the connection during the handshake");
                    }
                }
                default -> {
                }
            }
        }

        /** Wraps from {@code source} into one record and writes it whole. */
        private void wrap(ByteBuffer source, long timeoutMillis) throws IOException {
            flush(timeoutMillis);
            netOut.clear();
            SSLEngineResult result;
            try {
                result = engine.wrap(source, netOut);
            } finally {
                netOut.flip();
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && netOut.hasRemaining()) {
                flush(timeoutMillis); // our close_notify or an alert: the peer deserves to see it
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS connection is closed");
            }
            flush(timeoutMillis);
        }

        private void flush(long timeoutMillis) throws IOException {
            plain.write(netOut, timeoutMillis);
        }

        /**
         * Unwraps what {@code netIn} holds into {@code appIn}, reading from the network (waiting at most
         * {@code timeoutMillis}) while a whole record is not there yet. Returns false at the end of the stream.
         */
        private boolean unwrap(long timeoutMillis) throws IOException {
            while (true) {
                netIn.flip();
                appIn.compact();
                SSLEngineResult result;
                try {
                    result = engine.unwrap(netIn, appIn);
                } finally {
                    appIn.flip();
                    netIn.compact();
                }
                switch (result.getStatus()) {
                    case OK -> {
                        return true;
                    }
                    case CLOSED -> {
                        return false;
                    }
                    case BUFFER_OVERFLOW -> appIn = grown(appIn, engine.getSession().getApplicationBufferSize(), true);
                    case BUFFER_UNDERFLOW -> {
                        if (!netIn.hasRemaining()) {
                            netIn = grown(netIn, engine.getSession().getPacketBufferSize(), false);
                        }
                        int read = plain.readNow(netIn);
                        if (read < 0) {
                            throw new EOFException("the peer closed the connection");
                        }
                        if (read == 0) {
                            plain.await(SelectionKey.OP_READ, timeoutMillis);
                        }
                    }
                }
            }
        }

        /** A larger buffer holding what {@code buffer} holds; {@code readMode} tells which way it is flipped. */
        private static ByteBuffer grown(ByteBuffer buffer, int atLeast, boolean readMode) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity()) + buffer.capacity());
            if (!readMode) {
                buffer.flip();
            }
            larger.put(buffer);
            if (readMode) {
                larger.flip();
            }
            return larger;
        }

        @Override
        public void write(ByteBuffer bytes, long timeoutMillis) throws IOException {
            while (bytes.hasRemaining()) {
                while (handshaking()) {
                    step(timeoutMillis);
                }
                wrap(bytes, timeoutMillis);
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return plain.localAddress();
        }

        @Override
        public int read(ByteBuffer into, long timeoutMillis) throws IOException {
            while (!appIn.hasRemaining()) {
                if (handshaking() && engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                    step(timeoutMillis);
                } else if (!unwrap(timeoutMillis)) {
                    return -1;
                }
            }
            int count = Math.min(appIn.remaining(), into.remaining());
            into.put(into.position(), appIn, appIn.position(), count);
            into.position(into.position() + count);
            appIn.position(appIn.position() + count);
            return count;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    engine.closeOutbound();
                    netOut.clear();
                    engine.wrap(NOTHING, netOut);
                    netOut.flip();
                    plain.writeNow(netOut);
                } catch (IOException | RuntimeException ignored) {
                    // the close_notify is a courtesy; the TCP close below is what counts
                }
            }
            plain.close();
        }
    }
}
