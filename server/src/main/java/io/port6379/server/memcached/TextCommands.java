// memcached's text commands on the Redis keyspace: reads straight from database 0, writes as Redis commands.
package io.port6379.server.memcached;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.memcached.Numbers;
import io.port6379.memcached.TextDecoder;
import io.port6379.memcached.TextReplies;
import io.port6379.memcached.TextRequest;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One connection's memcached commands, run under the execution lock like a batch of Redis commands.
 *
 * <p>Reads (the get family) look the key up in database 0 directly, with Redis's lazy expiry. Every write is
 * turned into the Redis command that has the same effect ({@code set} is {@code SET key value PXAT ms},
 * {@code append} is {@code SET key whole KEEPTTL}, {@code delete} is {@code DEL}, {@code touch} is
 * {@code PEXPIREAT} or {@code PERSIST}, {@code flush_all} is {@code FLUSHDB}) and run through the dispatcher as
 * this connection's client: so the AOF, the replicas, keyspace notifications, WATCH, client-side caching,
 * maxmemory's evictions and refusals, and INFO's command statistics see a memcached write as the Redis write it
 * is. The condition of a conditional store (add, replace, cas, append) is checked here first, under the same lock,
 * so the pair is atomic.
 *
 * <p>A key of another type is a miss for the get family, a non-numeric value for incr and decr, and there for add,
 * replace, append (which does not store), delete and touch; set overwrites it, as Redis's SET does.
 */
final class TextCommands {

    /** The memcached release whose text protocol this follows, byte for byte. */
    static final String VERSION = "1.6.18";
    /** exptime: stored, but already expired (a negative exptime, or an absolute time in the past). */
    static final long EXPIRED = -1;

    final ServerContext server;
    final Items items;
    private final Client client;
    private final RespWriter scratch = new RespWriter();
    private final long[] number = new long[1];
    /** When this connection's last command ran, Unix ms (stats conns). */
    long lastCommand;
    /** What the last {@link #write} stored beside its value, or null. */
    private Items.Meta written;

    TextCommands(ServerContext server, Client client) {
        this.server = server;
        this.items = Items.of(server);
        this.client = client;
    }

    Keyspace db() {
        return server.databases().get(0);
    }

    /** Runs {@code request}, writing its reply (none for noreply) to {@code out}; false when the connection must close. */
    boolean execute(TextRequest request, TextReplies out) {
        lastCommand = server.clock().millis();
        switch (request.command()) {
            case GET, GETS, GAT, GATS -> retrieve(request, out);
            case SET, ADD, REPLACE, APPEND, PREPEND, CAS -> reply(request, out, store(request));
            case INCR, DECR -> arithmetic(request, out);
            case DELETE -> reply(request, out, delete(request));
            case TOUCH -> reply(request, out, touch(request));
            case FLUSH_ALL -> reply(request, out, flushAll(request));
            case VERSION -> out.line("VERSION " + VERSION);
            case VERBOSITY -> {
                items.verbosity = (int) Math.min(Integer.toUnsignedLong((int) request.casUnique()), 2); // MAX_VERBOSITY_LEVEL
                reply(request, out, "OK");
            }
            case STATS -> stats(request, out);
            case MN -> out.line("MN");
            case MG -> MetaCommands.get(this, request, out);
            case MS -> MetaCommands.set(this, request, out);
            case MD -> MetaCommands.delete(this, request, out);
            case MA -> MetaCommands.arithmetic(this, request, out);
            case ME -> MetaCommands.debug(this, request, out);
            case ERROR -> reply(request, out, request.error());
            case REJECTED_SET -> {
                items.stats.storeTooLarge++;
                run("del", request.key()); // memcached drops the old value rather than keep a stale one
                reply(request, out, request.error());
            }
            case REJECTED_GET -> {
                out.reset();
                out.line(request.error());
            }
            case QUIT, CLOSE -> {
                return false;
            }
        }
        return true;
    }

    private static void reply(TextRequest request, TextReplies out, String line) {
        if (!request.noreply()) {
            out.line(line);
        }
    }

    // tag::retrieve[]
    /** get, gets, gat, gats: a VALUE block per hit, in the order asked, then END. */
    private void retrieve(TextRequest request, TextReplies out) {
        boolean touch = request.command() == TextRequest.Command.GAT || request.command() == TextRequest.Command.GATS;
        boolean withCas = request.command() == TextRequest.Command.GETS || request.command() == TextRequest.Command.GATS;
        long expireAt = touch ? expireAt(request.exptime()) : 0;
        for (byte[] key : request.keys()) {
            RedisValue value = db().get(Bytes.of(key));
            if (touch) {
                items.stats.cmdTouch++;
            } else {
                items.stats.cmdGet++;
            }
            if (!(value instanceof RedisString string)) {
                if (touch) {
                    items.stats.touchMisses++;
                } else {
                    items.stats.getMisses++;
                }
                continue;
            }
            if (touch) {
                items.stats.touchHits++;
            } else {
                items.stats.getHits++;
            }
            Items.Meta meta = withCas ? items.meta(string) : items.find(string);
            if (meta != null) {
                meta.fetched = true;
                meta.accessed = server.clock().millis();
            }
            out.value(key, meta == null ? 0 : meta.flags, string.bytes(), withCas, withCas ? meta.cas : 0);
            if (touch) {
                expire(key, expireAt);
            }
        }
        out.end();
    }
    // end::retrieve[]

    // tag::store[]
    /** set, add, replace, append, prepend, cas: memcached's do_store_item, on the keyspace. */
    private String store(TextRequest request) {
        items.stats.cmdSet++;
        byte[] key = request.key();
        RedisValue old = db().get(Bytes.of(key));
        RedisString oldString = old instanceof RedisString s ? s : null;
        int flags = request.flags();
        byte[] data = request.data();
        long expireAt = expireAt(request.exptime());
        switch (request.command()) {
            case ADD -> {
                if (old != null) {
                    return "NOT_STORED";
                }
            }
            case REPLACE -> {
                if (old == null) {
                    return "NOT_STORED";
                }
            }
            case APPEND, PREPEND -> {
                if (oldString == null) {
                    return "NOT_STORED";
                }
                byte[] front = request.command() == TextRequest.Command.APPEND ? oldString.bytes() : data;
                byte[] back = request.command() == TextRequest.Command.APPEND ? data : oldString.bytes();
                byte[] whole = Arrays.copyOf(front, front.length + back.length);
                System.arraycopy(back, 0, whole, front.length, back.length);
                return stored(write(key, whole, items.flags(oldString), 0, true));
            }
            case CAS -> {
                if (old == null) {
                    items.stats.casMisses++;
                    return "NOT_FOUND";
                }
                if (oldString == null || items.cas(oldString) != request.casUnique()) {
                    items.stats.casBadval++;
                    return "EXISTS";
                }
                items.stats.casHits++;
            }
            default -> {
            }
        }
        if (expireAt == EXPIRED) { // stored and gone at once: what remains is that the old value is gone
            run("del", key);
            return "STORED";
        }
        return stored(write(key, data, flags, expireAt, false));
    }
    // end::store[]

    /** STORED, or why Redis refused the write: maxmemory as memcached words it, anything else (READONLY) as Redis does. */
    String stored(String refusal) {
        if (refusal == null) {
            return "STORED";
        }
        if (refusal.startsWith("OOM ")) {
            items.stats.storeNoMemory++;
            return "SERVER_ERROR out of memory storing object";
        }
        return "SERVER_ERROR " + refusal;
    }

    /**
     * {@code SET key data} (with PXAT, or KEEPTTL), through the dispatcher; then the new string gets its flags and
     * a new CAS unique. Redis's error when it refused the write (maxmemory, a read-only replica), else null.
     */
    String write(byte[] key, byte[] data, int flags, long expireAt, boolean keepTtl) {
        String error = keepTtl ? run("set", key, data, bytes("KEEPTTL"))
                : expireAt > 0 ? run("set", key, data, bytes("PXAT"), bytes(Long.toString(expireAt)))
                : run("set", key, data);
        if (error != null) {
            return error;
        }
        written = null;
        if (db().peek(Bytes.of(key)) instanceof RedisString stored) {
            items.stored(stored, flags);
            written = items.meta(stored);
            written.accessed = server.clock().millis();
        }
        items.stats.totalItems++;
        return null;
    }

    // tag::arithmetic[]
    /**
     * incr and decr as memcached's add_delta: the value must read as an unsigned 64-bit decimal; incr wraps around
     * at 2^64, decr stops at 0; a result shorter than the value is padded with spaces to its length (memcached
     * rewrites the item in place), a longer one makes a longer value. Flags and expiry stay, the CAS changes.
     */
    private void arithmetic(TextRequest request, TextReplies out) {
        boolean incr = request.command() == TextRequest.Command.INCR;
        byte[] key = request.key();
        RedisValue value = db().get(Bytes.of(key));
        if (value == null) {
            if (incr) {
                items.stats.incrMisses++;
            } else {
                items.stats.decrMisses++;
            }
            reply(request, out, "NOT_FOUND");
            return;
        }
        byte[] old = value instanceof RedisString s ? s.bytes() : new byte[0];
        if (old.length == 0 || !Numbers.strtoull(old, 0, old.length, number)) {
            reply(request, out, "CLIENT_ERROR cannot increment or decrement non-numeric value");
            return;
        }
        long delta = request.delta();
        long result = incr ? number[0] + delta
                : Long.compareUnsigned(delta, number[0]) > 0 ? 0 : number[0] - delta;
        byte[] digits = Long.toUnsignedString(result).getBytes(StandardCharsets.US_ASCII);
        byte[] stored = digits;
        if (digits.length < old.length) {
            stored = Arrays.copyOf(digits, old.length);
            Arrays.fill(stored, digits.length, old.length, (byte) ' ');
        }
        String refusal = write(key, stored, items.flags((RedisString) value), 0, true);
        if (refusal != null) {
            reply(request, out, refusal.startsWith("OOM ") ? "SERVER_ERROR out of memory" : "SERVER_ERROR " + refusal);
            return;
        }
        if (incr) {
            items.stats.incrHits++;
        } else {
            items.stats.decrHits++;
        }
        if (!request.noreply()) {
            out.unsignedLine(result);
        }
    }
    // end::arithmetic[]

    private String delete(TextRequest request) {
        String refusal = run("del", request.key());
        if (refusal != null) {
            return "SERVER_ERROR " + refusal;
        }
        boolean deleted = "1".equals(integerReply(null));
        if (deleted) {
            items.stats.deleteHits++;
        } else {
            items.stats.deleteMisses++;
        }
        return deleted ? "DELETED" : "NOT_FOUND";
    }

    private String touch(TextRequest request) {
        items.stats.cmdTouch++;
        byte[] key = request.key();
        if (db().get(Bytes.of(key)) == null) {
            items.stats.touchMisses++;
            return "NOT_FOUND";
        }
        items.stats.touchHits++;
        expire(key, expireAt(request.exptime()));
        return "TOUCHED";
    }

    /** The key's new expiry: PERSIST for none, DEL for already expired, else PEXPIREAT. */
    void expire(byte[] key, long expireAt) {
        if (expireAt == 0) {
            run("persist", key);
        } else if (expireAt == EXPIRED) {
            run("del", key);
        } else {
            run("pexpireat", key, bytes(Long.toString(expireAt)));
        }
    }

    /**
     * flush_all: database 0 emptied now, or at the delay's end (memcached invalidates every item stored before that
     * moment then, which is the same). A later flush_all replaces a pending one.
     */
    private String flushAll(TextRequest request) {
        items.stats.cmdFlush++;
        long at = request.exptime() > 0 ? expireAt(request.exptime()) : 0;
        if (at > 0) {
            items.flushAt = at;
        } else {
            items.flushAt = 0;
            run("flushdb");
        }
        return "OK";
    }

    // tag::exptime[]
    /**
     * memcached's exptime as a Unix time in ms for PXAT: 0 is no expiry; up to 30 days it counts seconds from now;
     * above, it is a Unix time in seconds; negative, or an absolute time already past, means expired at once.
     */
    long expireAt(long exptime) {
        if (exptime == 0) {
            return 0;
        }
        if (exptime < 0) {
            return EXPIRED;
        }
        long now = server.clock().millis();
        if (exptime > TextDecoder.REALTIME_MAXDELTA) {
            return exptime * 1000 <= now ? EXPIRED : exptime * 1000;
        }
        return now + exptime * 1000;
    }
    // end::exptime[]

    /** A delayed flush_all whose time has come (the server's cron, under the lock). */
    void flushIfDue() {
        if (items.flushAt != 0 && server.clock().millis() >= items.flushAt) {
            items.flushAt = 0;
            run("flushdb");
        }
    }

    private void stats(TextRequest request, TextReplies out) {
        if (request.keys().length == 0) {
            MemcachedStats.write(server, items, out);
        } else if (Arrays.equals(request.keys()[0], bytes("reset"))) {
            MemcachedStats.reset(items);
            out.line("RESET");
        } else if (Arrays.equals(request.keys()[0], bytes("detail"))) { // per-prefix counters: accepted, none kept
            String mode = request.keys().length > 1 ? new String(request.keys()[1], StandardCharsets.ISO_8859_1) : "";
            switch (mode) {
                case "on", "off" -> out.line("OK");
                case "dump" -> out.end();
                default -> out.line("CLIENT_ERROR usage: stats detail on|off|dump");
            }
        } else if (Arrays.equals(request.keys()[0], bytes("settings"))) {
            MemcachedStats.settings(server, items, out);
        } else if (Arrays.equals(request.keys()[0], bytes("items"))) {
            out.end(); // no slab classes, so no per-class item counts: see MemcachedStats
        } else if (Arrays.equals(request.keys()[0], bytes("slabs"))) {
            MemcachedStats.slabs(server, out);
        } else if (Arrays.equals(request.keys()[0], bytes("conns"))) {
            MemcachedStats.conns(server, items, this, out);
        } else {
            out.line("ERROR");
        }
    }

    Client client() {
        return client;
    }

    /** Runs a Redis command as this connection's client in database 0; its error text, or null. */
    String run(String name, byte[]... rest) {
        byte[][] args = new byte[rest.length + 1][];
        args[0] = bytes(name);
        System.arraycopy(rest, 0, args, 1, rest.length);
        scratch.clear();
        client.select(0);
        server.execute(client, args, scratch);
        byte[] reply = scratch.toByteArray();
        return reply.length > 0 && reply[0] == '-' ? new String(reply, 1, reply.length - 3, StandardCharsets.UTF_8) : null;
    }

    /** What the last {@link #write} stored beside its value, or null when it stored nothing. */
    Items.Meta written() {
        return written;
    }

    /** The integer of the last reply, as text. */
    String integerReply(String error) {
        byte[] reply = scratch.toByteArray();
        return error == null && reply.length > 3 && reply[0] == ':'
                ? new String(reply, 1, reply.length - 3, StandardCharsets.US_ASCII) : null;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
