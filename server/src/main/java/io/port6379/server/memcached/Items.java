// What memcached keeps with an item and Redis does not: the client's flags and the CAS unique, beside the value.
package io.port6379.server.memcached;

import io.port6379.datastructures.RedisString;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

import java.util.Map;
import java.util.WeakHashMap;

// tag::items[]
/**
 * An item is a Redis string in database 0; its flags and CAS unique live here, in a table keyed by the string's
 * byte array itself (the keyspace stores a plain string as its bare array), by identity and weakly. Three things
 * follow from that choice:
 *
 * <ul>
 *   <li>A plain Redis key costs nothing: only a value stored or read with {@code gets} through memcached has an
 *       entry, and the entry goes away with the value (the table holds it weakly, and a value nothing else holds
 *       is gone from the keyspace).</li>
 *   <li>Any write through RESP stores a new array (strings are immutable; SETBIT copies an array it did not
 *       create), so the new value has no entry: its flags read as 0 and it gets a new CAS unique the first
 *       time {@code gets} asks. A CAS taken before a RESP write therefore fails with EXISTS, as memcached's would
 *       after any other client's write. RENAME moves the array, so the flags follow the key.</li>
 *   <li>What is not in the keyspace is not saved: an RDB, the AOF and a replica keep the value and its expiry,
 *       not the flags (they come back as 0) nor the CAS uniques (new ones are given).</li>
 * </ul>
 *
 * Touched only under the execution lock, like the keyspace.
 */
final class Items {

    static final Slot<Items> SLOT = Slot.named("memcached-items", Items::new);

    /** An item's flags and CAS unique, and what the meta commands ask of it. */
    static final class Meta {
        final int flags;
        long cas;
        /** Read since it was stored (mg's h). */
        boolean fetched;
        /** When it was last read or stored, Unix ms (mg's l). */
        long accessed;
        /** A client was given the token to recache it (mg's W, then Z to the others). */
        boolean tokenSent;
        /** Invalidated by md with I, or stored over a newer CAS by ms with I (mg's X). */
        boolean stale;
        /** Stored with a base64 key (b), so a reply shows the key in base64. */
        boolean binaryKey;

        Meta(int flags, long cas) {
            this.flags = flags;
            this.cas = cas;
        }
    }

    private final Map<byte[], Meta> meta = new WeakHashMap<>(); // arrays compare by identity
    private long lastCas;
    // end::items[]
    /** When a delayed {@code flush_all} empties database 0 (Unix ms), or 0. */
    long flushAt;
    Stats stats = new Stats();
    /** verbosity's level (memcached keeps it for its logging; here it is only shown by stats settings). */
    int verbosity;
    /** The open connections of memcached-port, for stats conns, in the order they came. */
    final java.util.Set<TextCommands> connections = new java.util.LinkedHashSet<>();

    static Items of(ServerContext server) {
        return server.get(SLOT);
    }

    /** Stores {@code flags} with {@code value} under a new CAS unique, as every memcached store does. O(1). */
    long stored(RedisString value, int flags) {
        return storedMeta(value, flags).cas;
    }

    private Meta storedMeta(RedisString value, int flags) {
        Meta m = new Meta(flags, ++lastCas);
        meta.put(value.bytes(), m);
        return m;
    }

    /** The next CAS unique (md with I gives the item a new one). */
    long nextCas() {
        return ++lastCas;
    }

    /** What is kept of {@code value}, made now (flags 0, a new CAS) for a string written through RESP. O(1). */
    Meta meta(RedisString value) {
        Meta m = meta.get(value.bytes());
        return m != null ? m : storedMeta(value, 0);
    }

    /** What is kept of {@code value}, or null (a string written through RESP and never asked for its CAS). O(1). */
    Meta find(RedisString value) {
        return meta.get(value.bytes());
    }

    /** The flags of {@code value}: 0 for a string written through RESP. O(1). */
    int flags(RedisString value) {
        Meta m = meta.get(value.bytes());
        return m == null ? 0 : m.flags;
    }

    /** The CAS unique of {@code value}, given now if it has none yet (a string written through RESP). O(1). */
    long cas(RedisString value) {
        Meta m = meta.get(value.bytes());
        return m != null ? m.cas : stored(value, 0);
    }

    /** Entries in the table (tests: a value dropped from the keyspace leaves it after a collection). */
    int size() {
        return meta.size();
    }

    /** memcached's general counters, under the names {@code stats} prints. */
    static final class Stats {
        long cmdGet;
        long cmdSet;
        long cmdFlush;
        long cmdTouch;
        long getHits;
        long getMisses;
        long deleteHits;
        long deleteMisses;
        long incrHits;
        long incrMisses;
        long decrHits;
        long decrMisses;
        long casHits;
        long casMisses;
        long casBadval;
        long touchHits;
        long touchMisses;
        long storeTooLarge;
        long storeNoMemory;
        long totalItems;
        long bytesRead;
        long bytesWritten;
        long totalConnections;
        long currConnections;
    }
}
