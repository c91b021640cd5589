// Redis's lazyfree: big values deleted by UNLINK or a lazyfree-lazy-* setting are let go by a thread of their own.
package io.port6379.server.util;

import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisStream;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis frees a deleted value on the spot unless freeing it takes many allocations ({@code lazyfreeGetFreeEffort}
 * above {@value #THRESHOLD}) and the deletion is lazy (UNLINK, FLUSHALL ASYNC, or a {@code lazyfree-lazy-*}
 * parameter); then the value goes to a background thread, counted in INFO's {@code lazyfree_pending_objects} until
 * that thread has freed it and in {@code lazyfreed_objects} afterwards.
 *
 * <p>In the JVM the memory itself is the garbage collector's to reclaim, and its concurrent phases do that off the
 * execution thread whichever way a value is deleted. What this class moves off the execution thread is the last
 * reference: a lazily deleted big value is handed to the {@code lazyfree} thread, which drops it and counts it, so
 * the two INFO fields follow the same rules and the same values as Redis's.
 */
public final class LazyFree {

    /** Redis's LAZYFREE_THRESHOLD: a value that takes more allocations than this to free is freed lazily. */
    public static final int THRESHOLD = 64;
    /** The bytes of a quicklist node under the default list-max-listpack-size -2. */
    private static final int QUICKLIST_NODE_BYTES = 8192;

    private record Job(Object value, long objects) {
    }

    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong freed = new AtomicLong();

    private Thread thread; // started by the first lazy free, so that a server that never frees lazily has none
    private Object held; // the value a running command still reads, see hold()

    private void run() {
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            freed.addAndGet(job.objects); // the job, and with it the last reference to the value, is dropped here
            pending.addAndGet(-job.objects);
        }
    }

    // tag::lazyfree[]
    /**
     * A value just deleted: when {@code lazy} and it is big, it goes to the lazyfree thread (Redis's
     * {@code freeObjAsync}); otherwise it is simply dropped, as Redis's {@code decrRefCount}.
     */
    public void deleted(Object value, boolean lazy) {
        if (lazy && value != null && value != held && freeEffort(value) > THRESHOLD) {
            submit(new Job(value, 1));
        }
    }

    /** A database emptied by FLUSHDB/FLUSHALL ASYNC: Redis counts one object per key (its {@code emptyDbAsync}). */
    public void emptied(long keys) {
        submit(new Job(null, keys));
    }

    /**
     * The scripts or the functions emptied by SCRIPT FLUSH or FUNCTION FLUSH in ASYNC mode: Redis's
     * {@code freeLuaScriptsAsync} and {@code freeFunctionsAsync} hand more than {@value #THRESHOLD} entries to the
     * background thread, counted one object per script or function, and drop fewer at once.
     */
    public void emptiedScripts(Object scripts, long entries) {
        if (entries > THRESHOLD) {
            submit(new Job(scripts, entries));
        }
    }

    private synchronized void submit(Job job) {
        pending.addAndGet(job.objects);
        if (thread == null) {
            thread = Thread.ofVirtual().name("lazyfree").start(this::run);
        }
        queue.add(job);
    }

    /**
     * Redis's {@code lazyfreeGetFreeEffort}: the allocations freeing the value takes. A 7.0 list is a quicklist, one
     * allocation per node of about 8 KB; a set or hash in a hash table and a skiplist sorted set, one per element; a
     * stream, one per radix tree node; every other encoding is a single allocation.
     */
    static long freeEffort(Object value) {
        return switch (value) {
            case RedisList list when list.size() > THRESHOLD -> Math.ceilDiv(list.memoryUsage(), QUICKLIST_NODE_BYTES);
            case RedisSet set when set.encoding().equals("hashtable") -> set.size();
            case RedisHash hash when hash.encoding().equals("hashtable") -> hash.size();
            case RedisSortedSet zset when zset.encoding().equals("skiplist") -> zset.size();
            case RedisStream stream -> streamFreeEffort(stream);
            default -> 1;
        };
    }
    // end::lazyfree[]

    /**
     * A stream's effort as Redis estimates it: one allocation per radix tree node, then per consumer group one, and
     * one per entry of the first group's PEL for each group. Counted here by the stream's nodes (its radix tree's
     * keys, O(1)): Redis's tree has at least that many nodes, its inner ones too.
     */
    private static long streamFreeEffort(RedisStream stream) {
        long effort = stream.radixTreeKeys();
        if (!stream.groups().isEmpty()) {
            effort += (long) stream.groups().size() * (1 + stream.groups().firstEntry().getValue().pending.size());
        }
        return effort;
    }

    /**
     * {@code value} stays referenced by the running command until {@link #release}: Redis's SORT takes a reference
     * to the value it sorts ({@code incrRefCount}), so when STORE replaces or deletes that very key the value's
     * reference count is 2, and {@code freeObjAsync} frees only values referenced once: it is dropped on the spot,
     * not counted. One value at a time; commands run one after the other.
     */
    public void hold(Object value) {
        held = value;
    }

    /** The running command no longer reads the value it held. */
    public void release() {
        held = null;
    }

    /** INFO's {@code lazyfree_pending_objects}. */
    public long pending() {
        return pending.get();
    }

    /** INFO's {@code lazyfreed_objects}. */
    public long freed() {
        return freed.get();
    }

    /** CONFIG RESETSTAT: Redis resets lazyfreed_objects. */
    public void resetFreed() {
        freed.set(0);
    }
}
