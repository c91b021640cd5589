// What a write tells the rest of the server: WATCH's signal, keyspace notifications, and the dirty counter.
package io.port6379.server;

import io.port6379.datastructures.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * Redis's {@code signalModifiedKey}, {@code notifyKeyspaceEvent} and {@code server.dirty}, called from inside each
 * write command at the moment it changed something, never for a write that turned out to change nothing (SETNX
 * on an existing key, DEL of a missing key). Three parties listen:
 * <ul>
 *   <li>WATCH: the clients watching the key will fail their EXEC ({@link WatchedKeys#touch});</li>
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
final class KeyspaceEvents {

    // Redis's NOTIFY_* bits (server.h); the values matter only inside this server.
    static final int KEYSPACE = 1;
    static final int KEYEVENT = 1 << 1;
    static final int GENERIC = 1 << 2;
    static final int STRING = 1 << 3;
    static final int LIST = 1 << 4;
    static final int SET = 1 << 5;
    static final int HASH = 1 << 6;
    static final int ZSET = 1 << 7;
    static final int EXPIRED = 1 << 8;
    static final int EVICTED = 1 << 9;
    static final int STREAM = 1 << 10;
    static final int KEY_MISS = 1 << 11;
    static final int MODULE = 1 << 13;
    static final int NEW = 1 << 14;
    static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** The error CONFIG SET gives after its usual prefix for a letter that names no class. */
    static final String INVALID = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);

    private final ServerContext server;
    private int flags;

    KeyspaceEvents(ServerContext server) {
        this.server = server;
    }

    // tag::flags[]
    /**
     * Redis's {@code keyspaceEventsStringToFlags}: the classes named by {@code classes}, or -1 when a character
     * names none. Letters may repeat and come in any order; the empty string turns everything off.
     */
    static int parse(String classes) {
        int parsed = 0;
        for (int i = 0; i < classes.length(); i++) {
            parsed |= switch (classes.charAt(i)) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> -1;
            };
            if (parsed == -1) {
                return -1;
            }
        }
        return parsed;
    }
    // end::flags[]

    /**
     * Redis's {@code keyspaceEventsFlagsToString}, what CONFIG GET shows: {@code A} when every class of it is on,
     * else the classes in a fixed order, then {@code K}, {@code E}, {@code m}. Redis's quirk is kept: {@code n}
     * is only listed without {@code A}, so {@code An} reads back as {@code A} although new-key events stay on.
     */
    static String format(int flags) {
        StringBuilder text = new StringBuilder();
        if ((flags & ALL) == ALL) {
            text.append('A');
        } else {
            String letters = "g$lshzxetdn";
            int[] classes = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};
            for (int i = 0; i < classes.length; i++) {
                if ((flags & classes[i]) != 0) {
                    text.append(letters.charAt(i));
                }
            }
        }
        if ((flags & KEYSPACE) != 0) {
            text.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            text.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            text.append('m');
        }
        return text.toString();
    }

    /** Applies {@code notify-keyspace-events} (already checked by CONFIG SET or at start-up). */
    void configure(String classes) {
        int parsed = parse(classes);
        flags = parsed < 0 ? 0 : parsed;
    }

    /** Whether events of class {@code type} are published now. O(1). */
    boolean enabled(int type) {
        return (flags & type) != 0;
    }

    // tag::modified[]
    /**
     * A write command changed {@code key} in the client's database: its watchers are told, the {@code event} of
     * class {@code type} is published, and {@code changes} are added to {@code server.dirty}. The common case,
     * for a command that changes one key once; the parts are below for commands that need them apart.
     */
    void modified(Client client, Bytes key, int type, String event, long changes) {
        signalModifiedKey(client.dbIndex(), key);
        notify(type, event, key, client.dbIndex());
        dirty(changes);
    }

    /** Redis's {@code signalModifiedKey}: whoever WATCHes {@code key} in database {@code db} fails its EXEC. */
    void signalModifiedKey(int db, Bytes key) {
        server.watchedKeys().touch(db, key);
    }

    /** Redis's {@code server.dirty += changes}. */
    void dirty(long changes) {
        server.stats().dirty(changes);
    }

    /**
     * Redis's {@code notifyKeyspaceEvent}: publishes {@code event} on key {@code key} of database {@code db} if
     * its class {@code type} is enabled, first on the keyspace channel, then on the keyevent channel. O(1) when
     * disabled; otherwise as PUBLISH, O(subscribers + patterns).
     */
    void notify(int type, String event, Bytes key, int db) {
        if (!enabled(type)) {
            return;
        }
        byte[] eventName = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & KEYSPACE) != 0) {
            server.pubSub().publish(channel(KEYSPACE_PREFIX, db, key.array()), eventName);
        }
        if ((flags & KEYEVENT) != 0) {
            server.pubSub().publish(channel(KEYEVENT_PREFIX, db, eventName), key.array());
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
