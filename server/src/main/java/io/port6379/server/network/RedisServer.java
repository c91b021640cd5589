// The server: listens on the configured addresses and gives every client its own virtual thread.
package io.port6379.server.network;

import io.port6379.server.util.RedisVersion;
import io.port6379.server.util.Log;
import io.port6379.server.Client;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
import io.port6379.server.ServerCron;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import jdk.net.ExtendedSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.time.Duration;

// tag::story[]
/**
 * The concurrency story, told once.
 *
 * <p>Redis runs every command on one event-loop thread: it multiplexes all sockets with epoll, and because only
 * that thread touches the data, each command is atomic without any lock. We keep the atomicity and drop the
 * event loop: each accepted socket gets a virtual thread that simply blocks on {@code read} and {@code write}
 * (see {@link ClientConnection}); the JVM parks a blocked virtual thread and runs another on the same carrier,
 * so ten thousand idle clients cost ten thousand small stacks, not ten thousand OS threads.
 *
 * <p>Atomicity comes from one {@link ServerContext#executionLock() execution lock}. A connection takes it once
 * per read, runs every complete command it decoded (a pipelined batch), and releases it before writing the
 * replies. So commands never interleave, a batch pays for the lock once, and network writes happen in parallel.
 * We also measured handing each batch to one executor thread, Redis's shape: no faster without pipelining and
 * slower with it (two thread hand-offs per batch), so the lock stays. Figures in server/README.md.
 */
// end::story[]
public final class RedisServer implements AutoCloseable {

    private final ServerContext context;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<ServerSocket> tlsListeners = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private ServerSocketChannel unixListener;
    private Path unixSocketPath;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ServerCron cron;
    private Thread cronThread;
    /** Every client's thread while it runs, so that a stop can wait for them all (an embedded server's leaves none). */
    private final Set<Thread> clientThreads = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;
    /** The TLS set-up new connections on the tls-port get; replaced, never changed, by CONFIG SET tls-*. */
    private volatile Tls tls;

    /** A server for {@code context}, which the composition root has filled with the concerns and the commands. */
    public RedisServer(ServerContext context) {
        this.context = context;
        this.cron = new ServerCron(context);
        context.shutdownHandler(this::shutdown);
        context.connector(new Outgoing(() -> tls));
        context.listeners(new ServerContext.Listeners() {
            @Override
            public void rebind() throws IOException {
                RedisServer.this.rebind();
            }

            @Override
            public void reconfigureTls() throws IOException {
                RedisServer.this.configureTls();
            }
        });
    }

    public ServerContext context() {
        return context;
    }

    /** Binds every configured address and starts accepting clients; returns once the server is listening. */
    public void start() throws IOException {
        ServerConfig config = context.config();
        Log.lifecycle("Port 6379 (Redis " + RedisVersion.REDIS_VERSION + " compatible) is starting, pid="
                + ProcessHandle.current().pid() + ", Java " + Runtime.version());
        Log.lifecycle(config.file() == null ? "Warning: no config file specified, using the default config."
                : "Configuration loaded from " + config.file());
        if (Tls.wanted(config)) {
            try {
                configureTls();
            } catch (IOException e) {
                throw new IOException("Failed to configure TLS. Check logs for more info.", e);
            }
        }
        context.persistence().load(); // before listening: Redis answers -LOADING meanwhile, we simply are not there yet
        listen();
        listenOnUnixSocket();
        cronThread = Thread.ofVirtual().name("cron").start(cron);
        Log.log("*", "Running mode=" + (context.config().get("cluster-enabled").equals("yes") ? "cluster" : "standalone")
                + ", port=" + port() + ".");
        Log.log("*", "Server initialized");
        if (!listeners.isEmpty()) {
            Log.log("*", "Ready to accept connections tcp");
        }
        if (!tlsListeners.isEmpty()) {
            Log.log("*", "Ready to accept connections tls");
        }
        if (unixListener != null) {
            Log.log("*", "Ready to accept connections unix");
        }
    }

    /**
     * Builds the TLS set-up from the tls-* settings (at start-up when tls-port, tls-replication or tls-cluster is
     * on, and on CONFIG SET of any of them); a setting that cannot be applied is logged as Redis logs it.
     */
    private void configureTls() throws IOException {
        if (!Tls.wanted(context.config())) {
            return;
        }
        try {
            tls = Tls.configure(context.config());
            tls.warmUp(); // the process's first set-up only
        } catch (Tls.Failure e) {
            Log.log("#", e.getMessage());
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Opens a listener on the configured port, and on the tls-port when set, for every configured address; all
     * or none (optional ones aside). {@code port 0} with a tls-port is Redis's TLS alone; without one it is a
     * port the system chooses (tests).
     */
    private synchronized void listen() throws IOException {
        ServerConfig config = context.config();
        int tlsPort = (int) config.number("tls-port");
        try {
            if (config.port() != 0 || tlsPort == 0) {
                bindAll(listeners, config.port(), false);
            }
            if (tlsPort != 0) {
                if (tls == null) {
                    configureTls();
                }
                bindAll(tlsListeners, tlsPort, true);
            }
        } catch (IOException e) {
            closeListeners();
            throw e;
        }
        if (config.port() == 0 && !listeners.isEmpty()) {
            config.set("port", String.valueOf(port())); // --port 0 (tests): the port the system chose, from now on
        }
    }

    private void bindAll(List<ServerSocket> bound, int port, boolean overTls) throws IOException {
        for (String address : context.config().bindAddresses()) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            try {
                ServerSocket listener = new ServerSocket();
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(InetAddress.getByName(host.equals("*") ? "0.0.0.0" : host),
                        bound.isEmpty() ? port : bound.getFirst().getLocalPort()), (int) context.config().number("tcp-backlog"));
                bound.add(listener);
                acceptors.add(Thread.ofVirtual().name("accept-" + host).start(() -> acceptLoop(listener, overTls)));
            } catch (IOException e) {
                if (!optional) {
                    throw new IOException("Could not create server " + (overTls ? "TLS" : "TCP") + " listening socket "
                            + host + ":" + port + ": " + e.getMessage(), e);
                }
                Log.log("#", "Could not bind optional address " + host + ": " + e.getMessage());
            }
        }
    }

    // tag::unix[]
    /**
     * {@code unixsocket}: a unix domain socket at that path, with {@code unixsocketperm}'s mode when not 0. A file
     * left there by an earlier run is removed first, as Redis does.
     */
    private void listenOnUnixSocket() throws IOException {
        String path = context.config().get("unixsocket");
        if (path.isEmpty()) {
            return;
        }
        unixSocketPath = Path.of(path);
        try {
            Files.deleteIfExists(unixSocketPath);
            unixListener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            unixListener.bind(UnixDomainSocketAddress.of(unixSocketPath), (int) context.config().number("tcp-backlog"));
            int mode = Integer.parseInt(context.config().get("unixsocketperm"), 8);
            if (mode != 0) {
                Files.setPosixFilePermissions(unixSocketPath, permissions(mode));
            }
        } catch (IOException e) {
            throw new IOException("Failed opening Unix socket: " + e.getMessage(), e);
        }
        ServerSocketChannel listener = unixListener;
        Thread.ofVirtual().name("accept-unix").start(() -> {
            while (listener.isOpen()) {
                try {
                    SocketChannel channel = listener.accept();
                    admit(Endpoint.unix(channel, path), null);
                } catch (IOException e) {
                    if (listener.isOpen()) {
                        Log.log("#", "Accept failed: " + e.getMessage());
                    }
                }
            }
        });
    }
    // end::unix[]

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE: 0400 down to 0001
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /** CONFIG SET port/bind/tls-port: close the listeners and open them where the configuration now says. */
    private synchronized void rebind() throws IOException {
        closeListeners();
        listen();
        Log.log("*", "Listening on port " + port() + " (" + context.config().get("bind") + ")");
    }

    /** The port actually bound (useful with {@code --port 0} in tests). */
    public int port() {
        return listeners.isEmpty() ? context.config().port() : listeners.getFirst().getLocalPort();
    }

    /** The TLS port actually bound, or 0. */
    public int tlsPort() {
        return tlsListeners.isEmpty() ? 0 : tlsListeners.getFirst().getLocalPort();
    }

    private void acceptLoop(ServerSocket listener, boolean overTls) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                keepAlive(socket, context.config().number("tcp-keepalive"));
                Tls current = tls;
                if (overTls && current != null) {
                    admit(Endpoint.tls(socket, current), socket);
                } else {
                    admit(Endpoint.tcp(socket), socket);
                }
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    Log.log("#", "Accept failed: " + e.getMessage());
                }
            }
        }
    }

    // tag::keepalive[]
    /**
     * {@code tcp-keepalive} as Redis's {@code anetKeepAlive} on Linux: the first probe after {@code seconds} idle,
     * then one every third of that, and the peer is dead after three unanswered probes. Read at accept, so CONFIG
     * SET applies to new connections only, as in Redis; 0 leaves the socket without keepalive.
     */
    static void keepAlive(Socket socket, long seconds) {
        if (seconds <= 0) {
            return;
        }
        int idle = (int) Math.min(seconds, Integer.MAX_VALUE);
        try {
            socket.setKeepAlive(true);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, idle);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, Math.max(1, idle / 3));
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        } catch (IOException | UnsupportedOperationException e) {
            // Redis ignores a refused setsockopt too (an interval past the kernel's 32767 s, a system without them)
        }
    }
    // end::keepalive[]

    /**
     * On the accepting thread: counts the connection and refuses it over maxclients. A plain TCP client is then
     * checked by protected mode and given its thread; a TLS client is checked after its handshake, on its own
     * thread, since protected mode's refusal is written over TLS; a unix socket client is local by definition.
     */
    private void admit(Endpoint endpoint, Socket socket) {
        context.stats().connectionsReceived.incrementAndGet();
        if (context.clients().size() >= context.config().number("maxclients")) {
            context.stats().rejectedConnections.incrementAndGet();
            Thread.ofVirtual().start(() -> reject(endpoint));
            return;
        }
        if (endpoint instanceof Endpoint.TlsOverTcp secured) {
            startClientThread(() -> {
                try {
                    secured.open();
                } catch (IOException e) {
                    secured.close();
                    return;
                }
                if (context.security().admits(secured.layered())) {
                    ClientConnection connection = new ClientConnection(context, secured);
                    Thread.currentThread().setName("client-" + connection.client().id());
                    connection.run();
                }
            }, true);
            return;
        }
        if (socket != null && !context.security().admits(socket)) { // protected mode: refused with -DENIED
            return;
        }
        ClientConnection connection = new ClientConnection(context, endpoint);
        startClientThread(connection, false).setName("client-" + connection.client().id());
    }

    /** A client's virtual thread, known to {@link #awaitStopped} until it ends. */
    private Thread startClientThread(Runnable body, boolean tls) {
        Thread thread = Thread.ofVirtual().name(tls ? "client-tls" : "client").unstarted(() -> {
            try {
                body.run();
            } finally {
                clientThreads.remove(Thread.currentThread());
            }
        });
        clientThreads.add(thread);
        thread.start();
        return thread;
    }

    /** Over maxclients, Redis still accepts, writes its error and closes. */
    private static void reject(Endpoint endpoint) {
        try {
            endpoint.open();
            OutputStream out = endpoint.output();
            out.write("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the client is gone already
        } finally {
            endpoint.close();
        }
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Whether SHUTDOWN, a signal or {@link #close} has begun to stop the server; {@link #awaitStopped} waits for the end. */
    public boolean isShutDown() {
        return shuttingDown;
    }

    /**
     * After a shutdown: waits until the cron's thread and every client's thread have ended (a disconnected client's
     * thread ends at its next read), at most a few seconds each, so that a program that starts and stops servers
     * keeps no thread, socket or port of a stopped one.
     */
    public void awaitStopped() {
        try {
            stopped.await();
            if (cronThread != null) {
                cronThread.join(Duration.ofSeconds(5));
            }
            for (Thread client : List.copyOf(clientThreads)) {
                client.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // tag::shutdown[]
    /** SHUTDOWN, SIGTERM and tests end here: stop accepting, disconnect everyone, say goodbye as Redis does. */
    private boolean shutdown(Boolean save) {
        if (shuttingDown) {
            return true;
        }
        Log.lifecycle("User requested shutdown...");
        boolean wantsSave = save != null ? save : !context.config().get("save").isEmpty();
        if (wantsSave && !context.persistence().saveForShutdown()) {
            return false; // as Redis: a server that cannot save its data keeps running
        }
        shuttingDown = true;
        closeListeners();
        closeUnixSocket();
        cron.stop();
        context.shutdownTasks().forEach(Runnable::run);
        for (Client client : List.copyOf(context.clients())) {
            client.kill();
        }
        closeAppendOnlyFile(); // after the clients: no command can run, and be acknowledged, once it is closed
        Log.lifecycle("Redis is now ready to exit, bye bye...");
        stopped.countDown();
        return true;
    }
    // end::shutdown[]

    /** Writes and fsyncs what the append-only file still buffers, as Redis's prepareForShutdown. */
    private void closeAppendOnlyFile() {
        context.executionLock().lock();
        try {
            context.persistence().close();
        } finally {
            context.executionLock().unlock();
        }
    }

    private synchronized void closeListeners() {
        List<ServerSocket> all = new ArrayList<>(listeners);
        all.addAll(tlsListeners);
        for (ServerSocket listener : all) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        // A socket closed while a thread is blocked in accept() is released only when that accept() returns:
        // wait for the accept loops to end, so the port can be bound again at once (CONFIG SET port/bind).
        for (Thread acceptor : acceptors) {
            try {
                acceptor.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listeners.clear();
        tlsListeners.clear();
        acceptors.clear();
    }

    /** Closes the unix socket's listener and removes its file, as Redis does at shutdown. */
    private void closeUnixSocket() {
        if (unixListener == null) {
            return;
        }
        try {
            unixListener.close();
            Files.deleteIfExists(unixSocketPath);
        } catch (IOException e) {
            Log.log("#", "Error removing the unix socket file: " + e.getMessage());
        }
    }

    /** The JVM's shutdown hook (SIGTERM, Ctrl-C). */
    public void terminate() {
        if (!shuttingDown) {
            Log.lifecycle("Received SIGTERM scheduling shutdown...");
        }
        close();
    }

    @Override
    public void close() {
        shutdown(null);
    }

}
