// What a write tells the rest of the server: WATCH's signal, keyspace notifications, and the dirty counter.
package io.port6379.server;

import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.datastructures.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * Redis's {@code signalModifiedKey}, {@code notifyKeyspaceEvent} and {@code server.dirty}, called from inside each
 * write command at the moment it changed something, never for a write that turned out to change nothing (SETNX
 * on an existing key, DEL of a missing key). Three parties listen:
 * <ul>
 *   <li>WATCH: the clients watching the key will fail their EXEC ({@link Watchers#touch});</li>
 *   <li>keyspace notifications: when {@code notify-keyspace-events} enables the event's class, a message on
 *       {@code __keyspace@<db>__:<key>} (the message is the event name) and/or on
 *       {@code __keyevent@<db>__:<event>} (the message is the key), through ordinary PUBLISH;</li>
 *   <li>{@code server.dirty}: the count of changes SAVE rules and the append-only file look at. Redis counts a
 *       change per element for some commands (HSET of three fields adds 3, DEL of two keys adds 2).</li>
 * </ul>
 *
 * <p>The classes are Redis's letters: {@code g} generic (DEL, EXPIRE, RENAME...), {@code $} strings, {@code l}
 * lists, {@code s} sets, {@code h} hashes, {@code z} sorted sets, {@code x} expired, {@code e} evicted, {@code t}
 * streams, {@code m} key misses, {@code d} modules, {@code n} new keys; {@code A} is every class but {@code m} and
 * {@code n}; {@code K} and {@code E} choose the keyspace and keyevent channels. Without {@code K} or {@code E}
 * nothing is published at all.
 *
 * <p>Cost when nobody listens: {@link #notify} is one bit test, and WATCH's lookup one {@code isEmpty} check, so
 * a write allocates nothing for them. Thread-safety: runs under the execution lock.
 */
public final class KeyspaceEvents {

    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);

    /** WATCH: the clients watching a key that was modified fail their EXEC. */
    public interface Watchers {
        void touch(int db, Bytes key);
    }

    /** Pub/sub: delivers a notification to the subscribers of its channel. */
    public interface Publisher {
        int publish(Bytes channel, byte[] message);
    }

    private final ServerContext server;
    private Watchers watchers;
    private Publisher publisher;
    private int flags;

    KeyspaceEvents(ServerContext server) {
        this.server = server;
    }

    /** The composition root connects the events to WATCH and to pub/sub. */
    public void listeners(Watchers watchers, Publisher publisher) {
        this.watchers = watchers;
        this.publisher = publisher;
    }

    /** Applies {@code notify-keyspace-events} (already checked by CONFIG SET or at start-up). */
    public void configure(String classes) {
        int parsed = NotifyKeyspaceEvents.parse(classes);
        flags = parsed < 0 ? 0 : parsed;
    }

    /** Whether events of class {@code type} are published now. O(1). */
    public boolean enabled(int type) {
        return (flags & type) != 0;
    }

    // tag::modified[]
    /**
     * A write command changed {@code key} in the client's database: its watchers are told, the {@code event} of
     * class {@code type} is published, and {@code changes} are added to {@code server.dirty}. The common case,
     * for a command that changes one key once; the parts are below for commands that need them apart.
     */
    public void modified(Client client, Bytes key, int type, String event, long changes) {
        signalModifiedKey(client, client.dbIndex(), key);
        notify(type, event, key, client.dbIndex());
        dirty(changes);
    }

    /**
     * Redis's {@code signalModifiedKey} from a command: whoever WATCHes {@code key} in database {@code db} fails its
     * EXEC, and client-side caches of the key hear of it.
     */
    public void signalModifiedKey(int db, Bytes key) {
        signalModifiedKey(server.executingClient(), db, key);
    }

    /**
     * Redis's {@code signalModifiedKey(c, db, key)}: {@code client} made the change, or null when the server did
     * (an expired or evicted key), which tracking's NOLOOP must not take for the running client's own change.
     */
    public void signalModifiedKey(Client client, int db, Bytes key) {
        watchers.touch(db, key);
        if (server.tracking() != null) {
            server.tracking().modified(key, client); // client-side caches of the key, in any database
        }
    }

    /** Redis's {@code server.dirty += changes}. */
    public void dirty(long changes) {
        server.stats().dirty(changes);
    }

    /**
     * Redis's {@code notifyKeyspaceEvent}: publishes {@code event} on key {@code key} of database {@code db} if
     * its class {@code type} is enabled, first on the keyspace channel, then on the keyevent channel. O(1) when
     * disabled; otherwise as PUBLISH, O(subscribers + patterns).
     */
    public void notify(int type, String event, Bytes key, int db) {
        if (!enabled(type)) {
            return;
        }
        byte[] eventName = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & NotifyKeyspaceEvents.KEYSPACE) != 0) {
            publisher.publish(channel(KEYSPACE_PREFIX, db, key.array()), eventName);
        }
        if ((flags & NotifyKeyspaceEvents.KEYEVENT) != 0) {
            publisher.publish(channel(KEYEVENT_PREFIX, db, eventName), key.array());
        }
    }
    // end::modified[]

    /** {@code __keyspace@0__:key} or {@code __keyevent@0__:event}. */
    private static Bytes channel(byte[] prefix, int db, byte[] suffix) {
        byte[] number = Integer.toString(db).getBytes(StandardCharsets.US_ASCII);
        byte[] channel = new byte[prefix.length + number.length + 3 + suffix.length];
        System.arraycopy(prefix, 0, channel, 0, prefix.length);
        System.arraycopy(number, 0, channel, prefix.length, number.length);
        int at = prefix.length + number.length;
        channel[at] = '_';
        channel[at + 1] = '_';
        channel[at + 2] = ':';
        System.arraycopy(suffix, 0, channel, at + 3, suffix.length);
        return Bytes.of(channel);
    }
}
