// The classes of notify-keyspace-events: Redis's NOTIFY_* bits and the letters that name them in the config.
package io.port6379.server.config;

/**
 * Which keyspace events are published is a set of classes, kept as Redis's bits ({@code server.h}) and written
 * as Redis's letters in {@code notify-keyspace-events}: {@code g} generic (DEL, EXPIRE, RENAME...), {@code $}
 * strings, {@code l} lists, {@code s} sets, {@code h} hashes, {@code z} sorted sets, {@code x} expired,
 * {@code e} evicted, {@code t} streams, {@code m} key misses, {@code d} modules, {@code n} new keys; {@code A}
 * is every class but {@code m} and {@code n}; {@code K} and {@code E} choose the keyspace and keyevent channels.
 */
public final class NotifyKeyspaceEvents {

    // Redis's NOTIFY_* bits (server.h); the values matter only inside this server.
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 13;
    public static final int NEW = 1 << 14;
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** The error CONFIG SET gives after its usual prefix for a letter that names no class. */
    public static final String INVALID = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

    private NotifyKeyspaceEvents() {
    }

    // tag::flags[]
    /**
     * Redis's {@code keyspaceEventsStringToFlags}: the classes named by {@code classes}, or -1 when a character
     * names none. Letters may repeat and come in any order; the empty string turns everything off.
     */
    public static int parse(String classes) {
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
    public static String format(int flags) {
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
}
