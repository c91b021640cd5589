// memcached-port: a second listener, for memcached's text protocol, in front of the same keyspace.
package io.port6379.server.memcached;

import io.port6379.memcached.TextDecoder;
import io.port6379.memcached.TextReplies;
import io.port6379.memcached.TextRequest;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.util.Log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

// tag::story[]
/**
 * With {@code memcached-port} set (0, the default, leaves it off; memcached's own is 11211), the server also
 * speaks memcached's text protocol there. It is the RESP listener's story again: one virtual thread per
 * connection reads, decodes every complete request ({@link TextDecoder}), runs the batch under the execution lock
 * ({@link TextCommands}), and sends the replies with one write. So a memcached client and a Redis client see each
 * other's writes at once, and every request is atomic with respect to every Redis command.
 *
 * <p>memcached has no authentication, so neither has this port: it binds to the addresses in {@code bind}
 * (loopback by default), and protected mode refuses other addresses as it does on the Redis port. Its clients are
 * Redis clients of the default user to the rest of the server: CLIENT LIST shows them, MONITOR shows the Redis
 * commands their writes become, maxclients counts them.
 */
// end::story[]
public final class MemcachedListener {

    private final ServerContext server;
    private final int port;
    private final List<ServerSocket> sockets = new ArrayList<>();
    private final TextCommands cron;
    private volatile boolean stopped;

    private MemcachedListener(ServerContext server, int port) {
        this.server = server;
        this.port = port;
        Client internal = Client.detached(server.nextClientId(), server);
        internal.authenticated(true);
        this.cron = new TextCommands(server, internal);
    }

    /**
     * The composition root's hook: with {@code memcached-port} set, the listener opens at the cron's first round
     * (the server is listening by then) and stops with the server; the cron also runs a delayed flush_all.
     */
    public static void install(ServerContext server) {
        int port = (int) server.config().number("memcached-port");
        if (port == 0) {
            return;
        }
        MemcachedListener listener = new MemcachedListener(server, port);
        boolean[] started = {false};
        server.addCronTask(() -> {
            if (!started[0]) {
                started[0] = true;
                listener.start();
            }
            listener.cron.flushIfDue();
        });
        server.addShutdownTask(listener::stop);
    }

    private void start() {
        for (String address : server.config().bindAddresses()) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(host.equals("*") ? "0.0.0.0" : host), port),
                        (int) server.config().number("tcp-backlog"));
                sockets.add(socket);
                Thread.ofVirtual().name("memcached-accept-" + host).start(() -> accept(socket));
            } catch (IOException e) {
                Log.log(optional ? "." : "#", "Could not bind the memcached port " + host + ":" + port + ": "
                        + e.getMessage());
            }
        }
        if (!sockets.isEmpty()) {
            Log.log("*", "Ready to accept memcached connections on port " + port);
        }
    }

    private void accept(ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                if (server.security().admits(socket)) { // protected mode, as on the Redis port
                    Thread.ofVirtual().name("memcached-client").start(() -> serve(socket));
                }
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    Log.log("#", "memcached accept failed: " + e.getMessage());
                }
            }
        }
    }

    // tag::loop[]
    /** One connection: read, decode every complete request, run them under the lock, one write, yield. */
    private void serve(Socket socket) {
        Client client = new Client(server.nextClientId(), server, channel(socket), address(socket.getRemoteSocketAddress()),
                address(socket.getLocalSocketAddress()));
        client.authenticated(true); // memcached has no AUTH; the port's bind address is its only guard
        server.register(client);
        Items items = Items.of(server);
        TextCommands commands = new TextCommands(server, client);
        TextDecoder decoder = new TextDecoder(server.config().number("memcached-max-item-size"));
        TextReplies replies = new TextReplies();
        ReentrantLock lock = server.executionLock();
        lock.lock();
        try {
            items.stats.currConnections++;
            items.stats.totalConnections++;
            items.connections.add(commands);
        } finally {
            lock.unlock();
        }
        byte[] chunk = new byte[16 * 1024];
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            boolean open = true;
            while (open && !stopped && !client.isClosing()) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                decoder.feed(chunk, 0, n);
                lock.lock();
                try {
                    items.stats.bytesRead += n;
                    for (TextRequest request = decoder.next(); request != null && open; request = decoder.next()) {
                        open = commands.execute(request, replies);
                    }
                    items.stats.bytesWritten += replies.size();
                } finally {
                    lock.unlock();
                }
                if (replies.size() > 0) {
                    replies.writeTo(out);
                }
                Thread.yield(); // let the other connections take their turn, as ClientConnection explains
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            server.unregister(client);
            lock.lock();
            try {
                items.stats.currConnections--;
                items.connections.remove(commands);
            } finally {
                lock.unlock();
            }
        }
    }
    // end::loop[]

    private static Client.Channel channel(Socket socket) {
        return new Client.Channel() {
            @Override
            public void push(byte[] frame) {
                // memcached has no pushes
            }

            @Override
            public void close() {
                try {
                    socket.close(); // CLIENT KILL, shutdown: the blocked read ends
                } catch (IOException ignored) {
                    // closed anyway
                }
            }
        };
    }

    private static String address(java.net.SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(address);
    }

    private void stop() {
        stopped = true;
        for (ServerSocket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
