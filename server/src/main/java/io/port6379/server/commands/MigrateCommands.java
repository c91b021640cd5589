// MIGRATE: keys moved to another server (ours or a real Redis) as RESTORE commands, then deleted here unless COPY.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisValue;
import io.port6379.protocol.Frame;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.cluster.Cluster;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.persistence.DumpPayload;
import io.port6379.server.security.Authentication;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.port6379.server.config.NotifyKeyspaceEvents.GENERIC;

/**
 * {@code MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password] [AUTH2 username password]
 * [KEYS key [key ...]]}, as Redis 7.0's {@code migrateCommand} ({@code cluster.c}). This server becomes a client of
 * the target: on a connection cached per host:port ({@link MigrateSockets}) it pipelines, in one write,
 *
 * <pre>
 * AUTH [username] password          only with AUTH or AUTH2
 * SELECT destination-db             only when the connection's last MIGRATE selected another database
 * RESTORE key ttl payload [REPLACE] one per key: the DUMP payload, and the time the key has left (0: none)
 * </pre>
 *
 * then reads one reply per command, and deletes each key whose RESTORE answered OK (not with COPY). A cluster node
 * sends RESTORE-ASKING instead, as Redis does: the target is importing the slot, and would answer a plain RESTORE
 * with -MOVED back to us.
 *
 * <p>The replies, in Redis's words: {@code +NOKEY} when none of the keys exists (nothing is sent);
 * {@code -IOERR error or timeout connecting to the client} (for an address that cannot be tried, or a failed TLS
 * handshake with {@code tls-cluster yes}: see {@link MigrateSockets.Target#connect}); {@code -IOERR error or timeout writing to target
 * instance} or {@code ... reading to target instance}; {@code -ERR Target instance replied with error: } and the
 * first error the target answered (to AUTH, SELECT or a RESTORE; the keys whose RESTORE succeeded are still
 * deleted); {@code +OK} otherwise.
 *
 * <p>Redis blocks its whole event loop while MIGRATE talks to the target, each wait bounded by the timeout; that is
 * what makes the move atomic (no client sees a key on both servers or on neither). Here MIGRATE runs under the
 * execution lock like every command, so it blocks every other client for the same time and for the same reason.
 * As Redis, a connection that fails before the first reply (the cached one was closed by the target, say) is
 * reopened and the whole request tried once more, unless the failure was a timeout.
 */
public final class MigrateCommands {

    private MigrateCommands() {
    }

    /** What MIGRATE's arguments ask for. */
    private record Request(String host, String port, long db, long timeout, boolean copy, boolean replace,
                           byte[] username, byte[] password, List<Bytes> keys) {
    }

    /** The keys found here, with their values and the milliseconds they have left (0: no expiry). */
    private record Found(List<Bytes> keys, List<RedisValue> values, List<Long> ttls) {
    }

    /** The connection failed or timed out; Redis tells writing from reading. */
    private static final class SocketError extends Exception {
        final boolean writing;
        final boolean timeout;

        SocketError(boolean writing, IOException cause) {
            super(cause);
            this.writing = writing;
            this.timeout = cause instanceof SocketTimeoutException;
        }
    }

    // tag::migrate[]
    /** MIGRATE — see the class comment. O(N) in the keys' elements, plus the time of the transfer. */
    static void migrate(Client client, byte[][] args, RespWriter reply) {
        Request request = parse(args);
        Found found = lookUp(client, request.keys());
        if (found.keys().isEmpty()) {
            reply.simpleString("NOKEY"); // often a key that expired meanwhile: not an error
            return;
        }
        MigrateSockets sockets = MigrateSockets.of(client.server());
        String name = request.host() + ":" + request.port();
        boolean mayRetry = true;
        while (true) {
            MigrateSockets.Target target = sockets.get(request.host(), request.port(), request.timeout());
            if (target == null) {
                throw new RedisException("IOERR error or timeout connecting to the client");
            }
            try {
                transfer(client, request, found, target, reply);
                return;
            } catch (SocketError error) {
                sockets.close(name); // also forces a SELECT the next time
                if (error.timeout || !mayRetry) {
                    throw new RedisException("IOERR error or timeout " + (error.writing ? "writing" : "reading")
                            + " to target instance");
                }
                mayRetry = false;
            }
        }
    }
    // end::migrate[]

    /**
     * One attempt: the pipelined request, then the replies. Throws {@link SocketError} to ask for a retry (nothing
     * was processed yet) or for the IOERR reply; otherwise writes MIGRATE's reply.
     */
    private static void transfer(Client client, Request request, Found found, MigrateSockets.Target target,
                                 RespWriter reply) throws SocketError {
        boolean auth = request.password() != null;
        boolean select = target.lastDb != request.db();
        RespWriter pipeline = new RespWriter();
        if (auth) {
            pipeline.arrayHeader(request.username() != null ? 3 : 2).bulkString("AUTH");
            if (request.username() != null) {
                pipeline.bulkString(request.username());
            }
            pipeline.bulkString(request.password());
        }
        if (select) {
            pipeline.arrayHeader(2).bulkString("SELECT").bulkString(Long.toString(request.db()));
        }
        ServerConfig config = client.server().config();
        boolean cluster = Cluster.enabled(client.server());
        for (int i = 0; i < found.keys().size(); i++) {
            pipeline.arrayHeader(request.replace() ? 5 : 4).bulkString(cluster ? "RESTORE-ASKING" : "RESTORE")
                    .bulkString(found.keys().get(i).array())
                    .bulkString(Long.toString(found.ttls().get(i)))
                    .bulkString(DumpPayload.create(found.values().get(i), config.flag("rdbcompression")));
            if (request.replace()) {
                pipeline.bulkString("REPLACE");
            }
        }
        try {
            target.write(pipeline, request.timeout());
        } catch (IOException e) {
            throw new SocketError(true, e);
        }
        String authError;
        String selectError;
        try {
            authError = auth ? error(target.read(request.timeout())) : null;
            selectError = select ? error(target.read(request.timeout())) : null;
        } catch (IOException e) {
            throw new SocketError(false, e);
        }
        String targetError = null; // the first error, once a RESTORE's reply has been read (Redis's order)
        int replied = 0;
        SocketError lost = null;
        for (Bytes key : found.keys()) {
            String restoreError;
            try {
                restoreError = error(target.read(request.timeout()));
            } catch (IOException e) {
                lost = new SocketError(false, e);
                break;
            }
            replied++;
            if (authError != null || selectError != null || restoreError != null) {
                if (targetError == null) {
                    targetError = authError != null ? authError : selectError != null ? selectError : restoreError;
                }
            } else if (!request.copy()) {
                deleteMoved(client, key);
            }
        }
        if (lost != null && targetError == null && replied == 0) {
            throw lost; // nothing was processed: MIGRATE may try again on a new connection
        }
        if (lost != null) {
            // Some keys may have moved, so no retry: the target's error if it sent one, IOERR otherwise.
            MigrateSockets.of(client.server()).close(request.host() + ":" + request.port());
            if (targetError == null) {
                throw new RedisException("IOERR error or timeout reading to target instance");
            }
        }
        if (targetError != null) {
            target.lastDb = -1; // the target may not be in the database we think
            throw new RedisException("ERR Target instance replied with error: " + targetError);
        }
        target.lastDb = request.db();
        Replies.ok(reply);
    }

    /** The options in Redis's order of checks: each word, then the timeout, then the database. */
    private static Request parse(byte[][] args) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        int firstKey = 3;
        int keyCount = 1;
        for (int i = 6; i < args.length; i++) {
            int more = args.length - 1 - i;
            if (Args.is(args[i], "copy")) {
                copy = true;
            } else if (Args.is(args[i], "replace")) {
                replace = true;
            } else if (Args.is(args[i], "auth")) {
                if (more < 1) {
                    throw Args.syntaxError();
                }
                password = args[++i];
                Authentication.redact(args, i, i); // kept from SLOWLOG and MONITOR, as Redis does
            } else if (Args.is(args[i], "auth2")) {
                if (more < 2) {
                    throw Args.syntaxError();
                }
                username = args[++i];
                password = args[++i];
                Authentication.redact(args, i - 1, i);
            } else if (Args.is(args[i], "keys")) {
                if (args[3].length != 0) {
                    throw new RedisException("ERR When using MIGRATE KEYS option, the key argument must be set to "
                            + "the empty string");
                }
                firstKey = i + 1;
                keyCount = args.length - i - 1;
                break; // every argument after KEYS is a key
            } else {
                throw Args.syntaxError();
            }
        }
        long timeout = Args.parseLong(args[5]);
        long db = Args.parseLong(args[4]);
        List<Bytes> keys = new ArrayList<>();
        for (int i = firstKey; i < firstKey + keyCount; i++) {
            keys.add(Bytes.of(args[i]));
        }
        return new Request(text(args[1]), text(args[2]), db, timeout <= 0 ? 1000 : timeout, copy, replace,
                username, password, keys);
    }

    /**
     * The keys that exist (a read lookup each, so a key past its time is deleted here and counts as missing),
     * with what they hold and the time they have left, at least 1 ms: 0 would mean "no expiry" to RESTORE.
     */
    private static Found lookUp(Client client, List<Bytes> keys) {
        List<Bytes> present = new ArrayList<>();
        List<RedisValue> values = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        long now = client.server().clock().millis();
        for (Bytes key : keys) {
            RedisValue value = TypeCommands.lookupRead(client, key);
            if (value != null) {
                long at = client.db().expireTime(key);
                present.add(key);
                values.add(value);
                ttls.add(at < 0 ? 0 : Math.max(1, at - now));
            }
        }
        return new Found(present, values, ttls);
    }

    /** A key the target now holds, deleted here as DEL would be (the AOF records MIGRATE as DEL of these keys). */
    private static void deleteMoved(Client client, Bytes key) {
        Keyspace db = client.db();
        if (db.remove(key)) {
            KeyspaceEvents events = client.server().keyspaceEvents();
            events.signalModifiedKey(client.dbIndex(), key);
            events.notify(GENERIC, "del", key, client.dbIndex());
            events.dirty(1);
        }
    }

    /** The text of an error reply without its dash, as Redis quotes it; null for any other reply. */
    private static String error(Frame reply) {
        return reply instanceof Frame.SimpleError error ? error.message() : null;
    }

    private static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    public static void registerAll(CommandTable table) {
        table.handle("migrate", MigrateCommands::migrate);
    }
}
