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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

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
    private final List<Thread> acceptors = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ServerCron cron;
    private volatile boolean shuttingDown;

    /** A server for {@code context}, which the composition root has filled with the concerns and the commands. */
    public RedisServer(ServerContext context) {
        this.context = context;
        this.cron = new ServerCron(context);
        context.shutdownHandler(this::shutdown);
        context.listeners(this::rebind);
    }

    public ServerContext context() {
        return context;
    }

    /** Binds every configured address and starts accepting clients; returns once the server is listening. */
    public void start() throws IOException {
        ServerConfig config = context.config();
        Log.log("#", "Port 6379 (Redis " + RedisVersion.REDIS_VERSION + " compatible) is starting, pid="
                + ProcessHandle.current().pid() + ", Java " + Runtime.version());
        Log.log("#", config.file() == null ? "Warning: no config file specified, using the default config."
                : "Configuration loaded from " + config.file());
        context.persistence().load(); // before listening: Redis answers -LOADING meanwhile, we simply are not there yet
        listen();
        Thread.ofVirtual().name("cron").start(cron);
        Log.log("*", "Running mode=standalone, port=" + port() + ".");
        Log.log("*", "Server initialized");
        Log.log("*", "Ready to accept connections tcp");
    }

    /** Opens a listener on the configured port for every configured address; all or none (optional ones aside). */
    private synchronized void listen() throws IOException {
        ServerConfig config = context.config();
        for (String address : config.bindAddresses()) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            try {
                ServerSocket listener = new ServerSocket();
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(InetAddress.getByName(host.equals("*") ? "0.0.0.0" : host),
                        listeners.isEmpty() ? config.port() : port()), (int) config.number("tcp-backlog"));
                listeners.add(listener);
                acceptors.add(Thread.ofVirtual().name("accept-" + host).start(() -> acceptLoop(listener)));
            } catch (IOException e) {
                if (!optional) {
                    closeListeners();
                    throw new IOException("Could not create server TCP listening socket " + host + ":" + config.port()
                            + ": " + e.getMessage(), e);
                }
                Log.log("#", "Could not bind optional address " + host + ": " + e.getMessage());
            }
        }
        if (config.port() == 0 && !listeners.isEmpty()) {
            config.set("port", String.valueOf(port())); // --port 0 (tests): the port the system chose, from now on
        }
    }

    /** CONFIG SET port/bind: close the listeners and open them where the configuration now says. */
    private synchronized void rebind() throws IOException {
        closeListeners();
        listen();
        Log.log("*", "Listening on port " + port() + " (" + context.config().get("bind") + ")");
    }

    /** The port actually bound (useful with {@code --port 0} in tests). */
    public int port() {
        return listeners.isEmpty() ? context.config().port() : listeners.getFirst().getLocalPort();
    }

    private void acceptLoop(ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                context.stats().connectionsReceived.incrementAndGet();
                if (context.clients().size() >= context.config().number("maxclients")) {
                    reject(socket);
                    continue;
                }
                if (!context.security().admits(socket)) { // protected mode: refused with -DENIED
                    continue;
                }
                ClientConnection connection = new ClientConnection(context, socket);
                Thread.ofVirtual().name("client-" + connection.client().id()).start(connection);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    Log.log("#", "Accept failed: " + e.getMessage());
                }
            }
        }
    }

    /** Over maxclients, Redis still accepts, writes its error and closes. */
    private void reject(Socket socket) {
        context.stats().rejectedConnections.incrementAndGet();
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    // tag::shutdown[]
    /** SHUTDOWN, SIGTERM and tests end here: stop accepting, disconnect everyone, say goodbye as Redis does. */
    private boolean shutdown(Boolean save) {
        if (shuttingDown) {
            return true;
        }
        Log.log("#", "User requested shutdown...");
        boolean wantsSave = save != null ? save : !context.config().get("save").isEmpty();
        if (wantsSave && !context.persistence().saveForShutdown()) {
            return false; // as Redis: a server that cannot save its data keeps running
        }
        shuttingDown = true;
        closeListeners();
        cron.stop();
        for (Client client : List.copyOf(context.clients())) {
            client.kill();
        }
        closeAppendOnlyFile(); // after the clients: no command can run, and be acknowledged, once it is closed
        Log.log("#", "Redis is now ready to exit, bye bye...");
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
        for (ServerSocket listener : listeners) {
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
        acceptors.clear();
    }

    /** The JVM's shutdown hook (SIGTERM, Ctrl-C). */
    public void terminate() {
        if (!shuttingDown) {
            Log.log("#", "Received SIGTERM scheduling shutdown...");
        }
        close();
    }

    @Override
    public void close() {
        shutdown(null);
    }

}
