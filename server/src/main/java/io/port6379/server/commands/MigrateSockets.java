// MIGRATE's connections to target servers: one cached per host:port, closed after 10 seconds unused, as cluster.c's.
package io.port6379.server.commands;

import io.port6379.protocol.Frame;
import io.port6379.protocol.FrameDecoder;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Moving keys one MIGRATE at a time would pay a TCP handshake per call, so Redis keeps the connection to each
 * target ({@code migrateGetSocket}): at most 64, one dropped at random to make room for a new one, and each closed
 * by the cron once it has gone unused for more than 10 seconds ({@code migrateCloseTimedoutSockets}). A cached
 * connection remembers the database its last successful MIGRATE selected, so the next one to the same database
 * sends no SELECT.
 *
 * <p>Every wait on the network (connecting, each write, each read) is bounded by MIGRATE's timeout, as Redis's
 * {@code connSyncWrite} and {@code connSyncReadLine} are: the connection is the kernel's {@link ServerContext.Link},
 * over TLS when {@code tls-cluster} is on. Requests are written with {@link RespWriter} and replies decoded by
 * {@link FrameDecoder}, the same classes the server uses for its own clients.
 *
 * <p>Used only under the execution lock (commands and the cron), so nothing here is synchronized.
 */
final class MigrateSockets {

    static final int MAX_SOCKETS = 64;
    static final long IDLE_MILLIS = 10_000;

    private static final Slot<MigrateSockets> SLOT = Slot.named("migrate-sockets");

    private final ServerContext server;
    private final Map<String, Target> targets = new HashMap<>();

    private MigrateSockets(ServerContext server) {
        this.server = server;
    }

    /** The server's cache, created (and its idle check given to the cron) by the first MIGRATE. */
    /** INFO's {@code migrate_cached_sockets}: connections kept open, 0 before the first MIGRATE. */
    static int cached(ServerContext server) {
        MigrateSockets sockets = server.peek(SLOT);
        return sockets == null ? 0 : sockets.size();
    }

    static MigrateSockets of(ServerContext server) {
        MigrateSockets sockets = server.peek(SLOT);
        if (sockets == null) {
            sockets = new MigrateSockets(server);
            server.set(SLOT, sockets);
            server.addCronTask(sockets::closeIdle);
        }
        return sockets;
    }

    /**
     * The cached connection to {@code host:port}, or a new one; null when connecting failed or took longer than
     * {@code timeoutMillis}. The port is read as Redis reads it, see {@link #atoi}.
     */
    Target get(String host, String port, long timeoutMillis) {
        String name = host + ":" + port;
        Target target = targets.get(name);
        if (target != null) {
            target.lastUse = server.clock().millis();
            return target;
        }
        if (targets.size() == MAX_SOCKETS) {
            List<String> names = new ArrayList<>(targets.keySet());
            close(names.get(ThreadLocalRandom.current().nextInt(names.size())));
        }
        try {
            target = Target.connect(server, host, atoi(port), timeoutMillis);
        } catch (IOException | IllegalArgumentException cannotConnect) {
            return null;
        }
        target.lastUse = server.clock().millis();
        targets.put(name, target);
        return target;
    }

    /**
     * The port as C's {@code atoi} reads it and the socket layer then takes it: leading digits only ({@code abc}
     * is 0, {@code 7778x} is 7778), cut to an {@code int}, then to 16 bits ({@code 70000} is 4464). A negative port
     * cannot be tried at all (-1).
     */
    static int atoi(String port) {
        String text = port.stripLeading();
        int i = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        long value = 0;
        for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && value < Long.MAX_VALUE / 10; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        int number = (int) (text.startsWith("-") ? -value : value);
        return number < 0 ? -1 : number & 0xFFFF;
    }

    /** Forgets and closes the connection to {@code host:port}, if any (Redis's {@code migrateCloseSocket}). */
    void close(String name) {
        Target target = targets.remove(name);
        if (target != null) {
            target.close();
        }
    }

    /** The cron's part: connections unused for more than 10 seconds are closed. */
    private void closeIdle() {
        long now = server.clock().millis();
        for (String name : List.copyOf(targets.keySet())) {
            if (now - targets.get(name).lastUse > IDLE_MILLIS) {
                close(name);
            }
        }
    }

    /** How many connections are cached (for tests). */
    int size() {
        return targets.size();
    }

    /** One connection to a target server (the kernel's {@link ServerContext.Link}), and the state MIGRATE keeps about it. */
    static final class Target {

        private final ServerContext.Link link;
        private final FrameDecoder decoder = new FrameDecoder();
        private final ByteBuffer input = ByteBuffer.allocate(16 * 1024);
        /** The database the last successful MIGRATE selected; -1 when unknown (new, or after an error). */
        long lastDb = -1;
        long lastUse;

        private Target(ServerContext.Link link) {
            this.link = link;
        }

        /**
         * A connection to {@code host:port}, over TLS when {@code tls-cluster} is on (Redis's {@code migrateGetSocket}
         * chooses {@code connCreateTLS()} then). Over TCP only an address that cannot even be tried (a host that does
         * not resolve, a port out of range) throws here: a connection refused or not made within the timeout is
         * returned too, and fails at the first write, since Redis 7.0's {@code connSocketBlockingConnect} reports such
         * a connection as made, so MIGRATE answers {@code IOERR error or timeout writing to target instance} for a port
         * where nothing listens. Over TLS the handshake is part of connecting, and any failure throws, as Redis's
         * {@code connTLSBlockingConnect} fails: "connecting to the client".
         */
        static Target connect(ServerContext server, String host, int port, long timeoutMillis) throws IOException {
            return new Target(server.connect(host, port, timeoutMillis, server.config().flag("tls-cluster")));
        }

        /** Writes every byte of {@code request}, waiting at most {@code timeoutMillis} each time the target is slow. */
        void write(RespWriter request, long timeoutMillis) throws IOException {
            link.write(ByteBuffer.wrap(request.toByteArray()), timeoutMillis);
        }

        /** The next reply, waiting at most {@code timeoutMillis} for each chunk of it. */
        Frame read(long timeoutMillis) throws IOException {
            try {
                while (true) {
                    Frame frame = decoder.next();
                    if (frame != null) {
                        return frame;
                    }
                    input.clear();
                    if (link.read(input, timeoutMillis) < 0) {
                        throw new EOFException("the target closed the connection");
                    }
                    decoder.feed(input.array(), 0, input.position());
                }
            } catch (ProtocolException notRedis) {
                throw new IOException(notRedis.getMessage(), notRedis);
            }
        }

        void close() {
            link.close();
        }
    }
}
