// Server-assisted client-side caching: the keys each tracking client read, and the invalidations a change sends.
package io.port6379.server.tracking;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.Frame;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redis's {@code tracking.c}. A client that turned CLIENT TRACKING on caches what it reads; the server remembers,
 * per key name (whatever the database), the ids of the clients that read it, and when the key changes sends each of
 * them one invalidation and forgets them: they must read it again to hear about the next change.
 *
 * <ul>
 *   <li>In RESP3 the invalidation is a push on the client's own connection: {@code >2 invalidate [key]}.</li>
 *   <li>With {@code REDIRECT id} it goes to that other client instead: as a push when that client speaks RESP3, or,
 *       in RESP2, as a message on the {@code __redis__:invalidate} channel when that client is subscribed.</li>
 *   <li>{@code BCAST} tracks no reads: every change to a key under one of the client's prefixes (all keys without a
 *       prefix) is announced, once per command, the changed keys together.</li>
 *   <li>{@code OPTIN} remembers only reads right after {@code CLIENT CACHING yes}; {@code OPTOUT} all but those after
 *       {@code CLIENT CACHING no}. {@code NOLOOP} leaves out changes the client made itself.</li>
 *   <li>FLUSHDB and FLUSHALL invalidate everything: the key part of the message is null.</li>
 * </ul>
 *
 * Invalidations for the client whose command made the change follow that command's reply, as in Redis 7.0;
 * other clients get theirs at once. Guarded by the execution lock.
 */
public final class Tracking implements Concerns.Tracking {

    /** One client's tracking options (Redis's CLIENT_TRACKING* flags). */
    private static final class State {
        boolean on;
        boolean bcast;
        boolean optin;
        boolean optout;
        boolean noloop;
        boolean caching;
        boolean brokenRedirect;
        long redirect;
        final List<Bytes> prefixes = new ArrayList<>();
    }

    /** A BCAST prefix: who listens, and the keys under it changed since the last broadcast, with who changed them. */
    private static final class Prefix {
        final Set<Long> clients = new LinkedHashSet<>();
        final Map<Bytes, Long> changed = new LinkedHashMap<>();
    }

    private static final Slot<State> STATE = Slot.named("tracking", State::new);
    private static final Slot<Tracking> SLOT = Slot.named("tracking-table");
    private static final Bytes FLUSH = Bytes.of("\0flush"); // stands for "everything" in a pending list

    private final ServerContext server;
    private final Map<Bytes, Set<Long>> table = new HashMap<>();
    private final Map<Bytes, Prefix> prefixes = new LinkedHashMap<>();
    private final Map<Long, List<Bytes>> pending = new HashMap<>();
    private int roundsOverLimit;
    private int clients;

    private Tracking(ServerContext server) {
        this.server = server;
    }

    /** The server's tracking table, created and plugged into the kernel the first time a client needs it. */
    public static Tracking of(ServerContext server) {
        Tracking tracking = server.peek(SLOT);
        if (tracking == null) {
            tracking = new Tracking(server);
            server.set(SLOT, tracking);
            server.tracking(tracking);
            Tracking table = tracking;
            server.addCronTask(() -> { // as Redis's serverCron and beforeSleep
                table.limitUsedSlots(); // the table shrinks to tracking-table-max-keys even without commands
                table.broadcast(null, null); // the keys the cron expired
            });
        }
        return tracking;
    }

    // tag::enable[]
    /**
     * CLIENT TRACKING ON with its options, checked as Redis checks them (the messages are Redis's). Turning it on again
     * changes the options but keeps the BCAST and OPTIN/OPTOUT modes, which need an OFF first.
     */
    public void enable(Client client, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                       List<byte[]> newPrefixes) {
        State state = client.get(STATE);
        if (!bcast && !newPrefixes.isEmpty()) {
            throw new RedisException("ERR PREFIX option requires BCAST mode to be enabled");
        }
        if (state.on && state.bcast != bcast) {
            throw new RedisException("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        if (bcast && (optin || optout)) {
            throw new RedisException("ERR OPTIN and OPTOUT are not compatible with BCAST");
        }
        if (optin && optout) {
            throw new RedisException("ERR You can't specify both OPTIN mode and OPTOUT mode");
        }
        if ((optin && state.optout) || (optout && state.optin)) {
            throw new RedisException("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        if (bcast) {
            checkPrefixCollisions(state, newPrefixes);
        }
        if (!state.on) {
            clients++;
        }
        state.on = true;
        state.brokenRedirect = false;
        state.redirect = redirect;
        state.bcast = bcast;
        state.optin = optin;
        state.optout = optout;
        state.noloop = noloop;
        if (bcast) {
            if (newPrefixes.isEmpty()) {
                listen(client, state, Bytes.EMPTY);
            }
            for (byte[] prefix : newPrefixes) {
                listen(client, state, Bytes.of(prefix));
            }
        }
    }
    // end::enable[]

    private static void checkPrefixCollisions(State state, List<byte[]> newPrefixes) {
        for (int i = 0; i < newPrefixes.size(); i++) {
            byte[] prefix = newPrefixes.get(i);
            for (Bytes existing : state.prefixes) {
                if (overlap(existing.array(), prefix)) {
                    throw new RedisException("ERR Prefix '" + text(prefix) + "' overlaps with an existing prefix '"
                            + text(existing.array()) + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = i + 1; j < newPrefixes.size(); j++) {
                if (overlap(prefix, newPrefixes.get(j))) {
                    throw new RedisException("ERR Prefix '" + text(prefix) + "' overlaps with another provided prefix '"
                            + text(newPrefixes.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    /** Redis's {@code stringCheckPrefix}: one is a prefix of the other. */
    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private void listen(Client client, State state, Bytes prefix) {
        if (!state.prefixes.contains(prefix)) {
            state.prefixes.add(prefix);
            prefixes.computeIfAbsent(prefix, p -> new Prefix()).clients.add(client.id());
        }
    }

    /** CLIENT TRACKING OFF (and RESET, disconnection): the client's prefixes are dropped; its read keys lapse lazily. */
    public void disable(Client client) {
        State state = client.peek(STATE);
        if (state == null || !state.on) {
            return;
        }
        for (Bytes prefix : state.prefixes) {
            Prefix p = prefixes.get(prefix);
            if (p != null) {
                p.clients.remove(client.id());
                if (p.clients.isEmpty()) {
                    prefixes.remove(prefix);
                }
            }
        }
        client.set(STATE, new State());
        pending.remove(client.id());
        clients--;
    }

    /**
     * CLIENT CACHING yes|no: the next command's reads are remembered (OPTIN) or not (OPTOUT); {@code yes} null for
     * another word, a syntax error once tracking is known to be on (Redis's order).
     */
    public static void caching(Client client, Boolean yes) {
        State state = client.peek(STATE);
        if (state == null || !state.on) {
            throw new RedisException("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
                    + "or OPTOUT mode enabled");
        }
        if (yes == null) {
            throw new RedisException("ERR syntax error");
        }
        if (yes && !state.optin) {
            throw new RedisException("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
        }
        if (!yes && !state.optout) {
            throw new RedisException("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
        }
        state.caching = true;
    }

    // tag::client-list[]
    /** CLIENT LIST's tracking flags, in Redis's order: {@code t} tracking, {@code R} broken redirection, {@code B} BCAST. */
    @Override
    public String flags(Client client) {
        State state = client.peek(STATE);
        if (state == null || !state.on) {
            return "";
        }
        return "t" + (state.brokenRedirect ? "R" : "") + (state.bcast ? "B" : "");
    }

    /** CLIENT LIST's {@code redir}: the redirection, 0 without one, -1 when tracking is off. */
    @Override
    public long redirect(Client client) {
        return redirection(client);
    }
    // end::client-list[]

    /** CLIENT GETREDIR: the redirection's client id, 0 without one, -1 when tracking is off. */
    public static long redirection(Client client) {
        State state = client.peek(STATE);
        return state == null || !state.on ? -1 : state.redirect;
    }

    /** CLIENT TRACKINGINFO: {@code flags} (a set), {@code redirect}, {@code prefixes}. */
    public static void info(Client client, RespWriter reply) {
        State state = client.peek(STATE);
        List<String> flags = new ArrayList<>();
        if (state == null || !state.on) {
            flags.add("off");
        } else {
            flags.add("on");
            if (state.bcast) {
                flags.add("bcast");
            }
            if (state.optin) {
                flags.add("optin");
                if (state.caching) {
                    flags.add("caching-yes");
                }
            }
            if (state.optout) {
                flags.add("optout");
                if (state.caching) {
                    flags.add("caching-no");
                }
            }
            if (state.noloop) {
                flags.add("noloop");
            }
            if (state.brokenRedirect) {
                flags.add("broken_redirect");
            }
        }
        reply.mapHeader(3);
        reply.bulkString("flags").setHeader(flags.size());
        flags.forEach(reply::bulkString);
        reply.bulkString("redirect").integer(state == null || !state.on ? -1 : state.redirect);
        List<Bytes> shown = state == null ? List.of() : state.prefixes;
        reply.bulkString("prefixes").arrayHeader(shown.size());
        shown.forEach(prefix -> reply.bulkString(prefix.array()));
    }

    // tag::remember[]
    @Override
    public void read(Client client, Command command, byte[][] args) {
        State state = client.peek(STATE);
        if (state == null || !state.on || state.bcast || (state.optin && !state.caching) || (state.optout && state.caching)
                || command.has(CommandFlag.PUBSUB)) { // shard channels are keys, but nobody caches them
            return;
        }
        for (Command.KeyReference key : command.keys(args)) {
            table.computeIfAbsent(Bytes.of(args[key.position()]), k -> new HashSet<>()).add(client.id());
        }
    }

    @Override
    public void modified(Bytes key, Client changer) {
        invalidate(key, changer, true);
    }

    /**
     * Redis's trackingInvalidateKey: {@code changer} made the change (null for an expiry or an eviction: BCAST's
     * NOLOOP then never leaves the key out); {@code bcast} is false when the table itself drops the key, which is no
     * change to broadcast. The client running a command hears of its own reads after its reply, unless NOLOOP.
     */
    private void invalidate(Bytes key, Client changer, boolean bcast) {
        Client current = server.currentClient();
        if (bcast && !prefixes.isEmpty()) {
            prefixes.forEach((prefix, p) -> {
                if (startsWith(key, prefix)) {
                    p.changed.put(key, changer == null ? 0L : changer.id());
                }
            });
        }
        Set<Long> readers = table.remove(key);
        if (readers == null) {
            return;
        }
        for (long id : readers) {
            Client target = server.client(id);
            State state = target == null ? null : target.peek(STATE);
            if (state == null || !state.on || state.bcast || (state.noloop && target == current)) {
                continue;
            }
            if (target == current) { // after its reply, as Redis 7.0's tracking_pending_keys
                pending.computeIfAbsent(id, k -> new ArrayList<>()).add(key);
            } else {
                send(target, state, new Frame.Array(List.of(new Frame.BulkString(key.array()))), null);
            }
        }
    }
    // end::remember[]

    /** FLUSHDB, FLUSHALL, DEBUG RELOAD: every tracking client hears that everything changed; the table is emptied. */
    public static void flushed(ServerContext server) {
        Tracking tracking = server.peek(SLOT);
        if (tracking == null) {
            return;
        }
        Client current = server.currentClient();
        for (Client client : server.clients()) {
            State state = client.peek(STATE);
            if (state != null && state.on) {
                if (client == current) {
                    tracking.pending.computeIfAbsent(client.id(), k -> new ArrayList<>()).add(FLUSH);
                } else {
                    tracking.send(client, state, new Frame.Null(), null);
                }
            }
        }
        tracking.table.clear();
    }

    @Override
    public void flushedAll() {
        flushed(server);
    }

    // tag::table-limit[]
    /**
     * {@code tracking-table-max-keys}, as Redis's trackingLimitUsedSlots before each command: over the limit, keys
     * leave the table (in its hash order, as arbitrary as Redis's random walk) and their readers get an invalidation
     * as if the keys had changed, up to {@code 100 × (rounds over the limit so far + 1)} keys at a time.
     */
    private void limitUsedSlots() {
        long max = server.config().number("tracking-table-max-keys");
        if (max == 0 || table.size() <= max) {
            roundsOverLimit = 0;
            return;
        }
        int effort = 100 * (roundsOverLimit + 1);
        for (Bytes key : List.copyOf(table.keySet())) {
            if (effort-- == 0) {
                break;
            }
            invalidate(key, null, false);
            if (table.size() <= max) {
                roundsOverLimit = 0;
                return;
            }
        }
        roundsOverLimit++;
    }
    // end::table-limit[]

    @Override
    public void afterCommand(Client client, Command command, RespWriter reply) {
        limitUsedSlots(); // Redis does it before the next command: the same messages, in the same order
        pendingInvalidations(client, reply);
        State state = client.peek(STATE);
        broadcast(client, reply);
        if (state != null && state.caching && !client.inMulti() && !command.name().startsWith("client|")) {
            state.caching = false; // CLIENT CACHING lasts one command (a whole MULTI ... EXEC)
        }
    }

    @Override
    public void pendingInvalidations(Client client, RespWriter reply) {
        List<Bytes> keys = pending.remove(client.id());
        State state = client.peek(STATE);
        if (keys != null && state != null && state.on) {
            for (Bytes key : keys) {
                send(client, state, key == FLUSH ? new Frame.Null()
                        : new Frame.Array(List.of(new Frame.BulkString(key.array()))), reply);
            }
        }
    }

    /** BCAST: per prefix, the keys changed under it go to each listener in one message; NOLOOP drops its own. */
    private void broadcast(Client current, RespWriter reply) {
        for (Prefix prefix : prefixes.values()) {
            if (prefix.changed.isEmpty()) {
                continue;
            }
            for (long id : prefix.clients) {
                Client target = server.client(id);
                State state = target == null ? null : target.peek(STATE);
                if (state == null || !state.on) {
                    continue;
                }
                List<Frame> keys = new ArrayList<>();
                prefix.changed.forEach((key, changer) -> {
                    if (!state.noloop || changer != id) {
                        keys.add(new Frame.BulkString(key.array()));
                    }
                });
                if (!keys.isEmpty()) {
                    send(target, state, new Frame.Array(keys), target == current ? reply : null);
                }
            }
            prefix.changed.clear();
        }
    }

    // tag::send[]
    /**
     * Redis's {@code sendTrackingMessage}: to the client itself in RESP3, to its redirection (RESP3 push, or RESP2
     * message on {@code __redis__:invalidate} if subscribed), or nowhere (RESP2 without redirection). A redirection to
     * a client that has gone is marked broken and, in RESP3, reported to the client as {@code tracking-redir-broken}.
     * {@code reply} is the running command's reply when the message must follow it; otherwise it is pushed.
     */
    private void send(Client target, State state, Frame keys, RespWriter reply) {
        Client recipient = target;
        if (state.redirect != 0) {
            recipient = server.client(state.redirect);
            if (recipient == null) {
                state.brokenRedirect = true;
                if (target.respVersion() == 3) {
                    deliver(target, new Frame.Push(List.of(bulk("tracking-redir-broken"), new Frame.Integer(state.redirect))),
                            reply);
                }
                return;
            }
            reply = null; // the running command's reply belongs to the target, not to the redirection
        }
        if (recipient.respVersion() == 3) {
            deliver(recipient, new Frame.Push(List.of(bulk("invalidate"), keys)), reply);
        } else if (recipient != target && recipient.isSubscribed()) {
            deliver(recipient, new Frame.Array(List.of(bulk("message"), bulk("__redis__:invalidate"), keys)), null);
        }
    }
    // end::send[]

    private static void deliver(Client recipient, Frame message, RespWriter reply) {
        if (reply != null) {
            reply.frame(message);
            return;
        }
        RespWriter out = new RespWriter();
        out.protocolVersion(recipient.respVersion());
        out.frame(message);
        recipient.push(out.toByteArray());
    }

    @Override
    public void reset(Client client) {
        disable(client);
    }

    /** INFO's tracking_clients, tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
    public static long[] counts(ServerContext server) {
        Tracking tracking = server.peek(SLOT);
        if (tracking == null) {
            return new long[4];
        }
        long items = 0;
        for (Set<Long> readers : tracking.table.values()) {
            items += readers.size();
        }
        return new long[] {tracking.clients, tracking.table.size(), items, tracking.prefixes.size()};
    }

    private static boolean startsWith(Bytes key, Bytes prefix) {
        return key.length() >= prefix.length() && overlap(key.array(), prefix.array());
    }

    private static Frame bulk(String text) {
        return new Frame.BulkString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
