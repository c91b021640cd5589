// What the list, hash, set and sorted-set families share: typed lookups (counted for reads), empty-key deletion, counts, SCAN options.
package io.port6379.server.commands;

import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.util.Glob;
import io.port6379.server.KeyspaceEvents;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.WrongTypeException;
import io.port6379.protocol.RespWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Helpers for the four collection families. Two Redis rules live here so that every command follows them the
 * same way: a collection that becomes empty is deleted (Redis never keeps an empty list, hash, set or sorted
 * set), and a key created by a write is announced to the clients blocked on it ({@link BlockingKeys}).
 */
final class TypeCommands {

    static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    private TypeCommands() {
    }

    /**
     * The value of {@code type} under {@code key} for a write, or null when absent; WRONGTYPE for another type.
     * As Redis's {@code lookupKeyWrite}, it counts neither a hit nor a miss. O(1).
     */
    static <T extends RedisValue> T get(Client client, byte[] key, Class<T> type) {
        return client.db().get(Bytes.of(key), type);
    }

    // tag::lookupRead[]
    /**
     * The value of {@code type} under {@code key} for a read, or null when absent; WRONGTYPE for another type.
     * As Redis's {@code lookupKeyRead} followed by {@code checkType}: the lookup is counted before the type is
     * checked, so a key of another type is a hit. O(1).
     */
    static <T extends RedisValue> T read(Client client, byte[] key, Class<T> type) {
        RedisValue value = lookupRead(client, Bytes.of(key));
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw new WrongTypeException();
        }
        return type.cast(value);
    }

    /** Redis's {@code lookupKeyRead}: the value under {@code key} of any type, or null; {@link #counted}. O(1). */
    static RedisValue lookupRead(Client client, Bytes key) {
        RedisValue value = client.db().get(key);
        counted(client, key, value != null);
        return value;
    }

    /**
     * The end of Redis's {@code lookupKey} for a read: INFO's {@code keyspace_hits} or {@code keyspace_misses}
     * goes up by one, and a miss is announced as a {@code keymiss} event (class {@code m}). A key that had expired
     * was deleted by the lookup itself, so its {@code expired} event comes first. Writes never call this, as in
     * Redis, where {@code lookupKeyWrite} counts nothing. Costs one increment when nobody listens. O(1).
     */
    static void counted(Client client, Bytes key, boolean hit) {
        client.server().stats().keyspaceLookup(hit);
        if (!hit) {
            client.server().keyspaceEvents().notify(NotifyKeyspaceEvents.KEY_MISS, "keymiss", key, client.dbIndex());
        }
    }
    // end::lookupRead[]

    /**
     * Redis's {@code lookupKeyReadWithFlags(LOOKUP_NOTOUCH)}, as TYPE and OBJECT look (EXISTS and TTL count
     * their own lookups the same way): counted as a read, but the key's idle time is left alone. OBJECT also
     * passes LOOKUP_NONOTIFY, so with {@code announceMiss} false a miss is counted without a {@code keymiss}
     * event. O(1).
     */
    static RedisValue peekRead(Client client, Bytes key, boolean announceMiss) {
        RedisValue value = client.db().peek(key);
        if (announceMiss) {
            counted(client, key, value != null);
        } else {
            client.server().stats().keyspaceLookup(value != null);
        }
        return value;
    }

    /**
     * The value of {@code type} under {@code key}, created empty (and stored) when absent, as Redis's
     * {@code lookupKeyWrite} followed by {@code dbAdd}. Creating a list or sorted set wakes clients blocked on it.
     */
    static <T extends RedisValue> T getOrCreate(Client client, byte[] key, Class<T> type, Supplier<T> empty) {
        T value = get(client, key, type);
        if (value == null) {
            value = empty.get();
            store(client, client.db(), Bytes.of(key), value);
        }
        return value;
    }

    /** Stores a new value under {@code key} (replacing any, and its TTL) and signals blocked clients. O(1). */
    static void store(Client client, Keyspace db, Bytes key, RedisValue value) {
        db.set(key, value);
        client.server().blockingKeys().signal(client.dbIndex(), key);
    }

    /**
     * Deletes {@code key} when {@code empty}: Redis keeps no empty collections. The deletion is announced as a
     * {@code del} event after the command's own event; the command signals the key and counts its changes. O(1).
     */
    static void deleteIfEmpty(Client client, byte[] key, boolean empty) {
        if (empty) {
            Bytes k = Bytes.of(key);
            client.db().remove(k);
            client.server().keyspaceEvents().notify(NotifyKeyspaceEvents.GENERIC, "del", k, client.dbIndex());
        }
    }

    /**
     * The end of SINTERSTORE, ZUNIONSTORE, ZRANGESTORE...: a non-empty {@code result} replaces {@code destination}
     * (one change, event {@code event} of class {@code type}); an empty one deletes it, which is a change (and a
     * {@code del} event) only when it existed. O(1).
     */
    static void storeResult(Client client, Bytes destination, RedisValue result, boolean empty, int type, String event) {
        KeyspaceEvents events = client.server().keyspaceEvents();
        if (!empty) {
            store(client, client.db(), destination, result);
            events.modified(client, destination, type, event, 1);
        } else if (client.db().remove(destination)) {
            events.modified(client, destination, NotifyKeyspaceEvents.GENERIC, "del", 1);
        }
    }

    /** A count that must be 0 or more, with the error text the caller's Redis command uses for both failures. */
    static long positiveLong(byte[] arg, String error) {
        long value;
        try {
            value = Args.parseLong(arg);
        } catch (RedisException e) {
            throw new RedisException(error);
        }
        if (value < 0) {
            throw new RedisException(error);
        }
        return value;
    }

    /** A count in [1, 2^63-1], as {@code getRangeLongFromObjectOrReply(c, o, 1, LONG_MAX, ..., error)}. */
    static long strictlyPositiveLong(byte[] arg, String error) {
        long value = positiveLong(arg, error);
        if (value == 0) {
            throw new RedisException(error);
        }
        return value;
    }

    /**
     * The tail of LMPOP, ZMPOP and their blocking forms after the direction word at {@code directionIndex}: an
     * optional {@code COUNT n} (n > 0), given at most once; the default is 1. Anything else is a syntax error.
     */
    static long multiPopCount(byte[][] args, int directionIndex) {
        long count = -1;
        for (int i = directionIndex + 1; i < args.length; i++) {
            if (count == -1 && Args.is(args[i], "count") && i + 1 < args.length) {
                count = strictlyPositiveLong(args[++i], "ERR count should be greater than 0");
            } else {
                throw Args.syntaxError();
            }
        }
        return count == -1 ? 1 : count;
    }

    /** The arguments from {@code from} (inclusive) to {@code to} (exclusive): the keys of a numkeys command. */
    static List<byte[]> argumentRange(byte[][] args, int from, int to) {
        return new ArrayList<>(Arrays.asList(args).subList(from, to));
    }

    /**
     * The {@code numkeys} of LMPOP, ZMPOP, SINTERCARD, ZUNION... at {@code index}: at least 1, and no more than
     * the arguments that follow, otherwise Redis's error for the command.
     */
    static int numKeys(byte[][] args, int index, String tooFew, String tooMany) {
        long numKeys = strictlyPositiveLong(args[index], tooFew);
        if (numKeys > args.length - index - 1) {
            throw new RedisException(tooMany);
        }
        return (int) numKeys;
    }

    /**
     * The options of SCAN, HSCAN, SSCAN and ZSCAN: a glob (null for all), a COUNT hint, and for SCAN a TYPE
     * (null for any).
     */
    record ScanOptions(byte[] pattern, long count, String type) {

        /**
         * Parses {@code [MATCH pattern] [COUNT count]}, and {@code [TYPE type]} where {@code typeAllowed} (SCAN
         * only), from {@code from} on, as {@code scanGenericCommand}: anything else is a syntax error.
         */
        static ScanOptions parse(byte[][] args, int from, boolean typeAllowed) {
            byte[] pattern = null;
            long count = 10;
            String type = null;
            for (int i = from; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw Args.syntaxError();
                }
                if (Args.is(args[i], "count")) {
                    count = Args.parseLong(args[i + 1]);
                    if (count < 1) {
                        throw Args.syntaxError();
                    }
                } else if (Args.is(args[i], "match")) {
                    pattern = args[i + 1];
                } else if (typeAllowed && Args.is(args[i], "type")) {
                    type = Args.text(args[i + 1]);
                } else {
                    throw Args.syntaxError();
                }
            }
            boolean all = pattern != null && pattern.length == 1 && pattern[0] == '*';
            return new ScanOptions(all ? null : pattern, count, type);
        }

        boolean matches(byte[] element) {
            return pattern == null || Glob.matches(pattern, element, false);
        }
    }

    /** The reply of a SCAN on a missing key: cursor 0 and no elements. */
    static void emptyScan(RespWriter reply) {
        reply.arrayHeader(2);
        reply.bulkString("0");
        reply.arrayHeader(0);
    }
}
