// The server: listens on the configured addresses and gives every client its own virtual thread.
package io.port6379.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The concurrency story, told once: each accepted socket gets a virtual thread that blocks on reads and writes
 * (see {@link ClientConnection}). Redis runs every command on one event-loop thread, which makes each command
 * atomic; we get the same guarantee with one {@link #executionLock()} that a connection holds while it executes
 * a batch of pipelined commands, and releases before it writes the replies.
 */
public final class RedisServer implements AutoCloseable {

    private final ServerConfig config;
    private final CommandTable commands = new CommandTable();
    private final ReentrantLock executionLock = new ReentrantLock();
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long nextClientId = 1;

    public RedisServer(ServerConfig config) {
        this.config = config;
        ConnectionCommands.registerAll(commands);
    }

    public CommandTable commands() {
        return commands;
    }

    public ReentrantLock executionLock() {
        return executionLock;
    }

    /** Binds every configured address and starts accepting clients; returns once the server is listening. */
    public void start() throws IOException {
        for (String address : config.bindAddresses()) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            try {
                ServerSocket listener = new ServerSocket();
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(InetAddress.getByName(host), config.port()), 511);
                listeners.add(listener);
                Thread.ofVirtual().name("accept-" + host).start(() -> acceptLoop(listener));
            } catch (IOException e) {
                if (!optional) {
                    close();
                    throw new IOException("Could not create server TCP listening socket " + host + ":" + config.port()
                            + ": " + e.getMessage(), e);
                }
                log("#", "Could not bind optional address " + host + ": " + e.getMessage());
            }
        }
        log("*", "Server initialized");
        log("*", "Ready to accept connections tcp on port " + port());
    }

    /** The port actually bound (useful with {@code --port 0} in tests). */
    public int port() {
        return listeners.isEmpty() ? config.port() : listeners.getFirst().getLocalPort();
    }

    private void acceptLoop(ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                long id;
                synchronized (this) {
                    id = nextClientId++;
                }
                ClientConnection connection = new ClientConnection(this, socket, new Client(id));
                Thread.ofVirtual().name("client-" + id).start(connection);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    log("#", "Accept failed: " + e.getMessage());
                }
            }
        }
    }

    /** Blocks until {@link #close()} is called. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        for (ServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (stopped.getCount() > 0) {
            log("#", "Redis is now ready to exit, bye bye...");
        }
        stopped.countDown();
    }

    static void log(String level, String message) {
        System.out.printf("%d:M %s %s %s%n", ProcessHandle.current().pid(),
                java.time.format.DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", java.util.Locale.ROOT)
                        .format(java.time.LocalDateTime.now()), level, message);
    }
}
