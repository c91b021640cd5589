// What a key's 24-bit access field means: Redis's LRU clock, or its LFU counter with the minute of its last decay.
package io.port6379.datastructures;

import java.util.random.RandomGenerator;

/**
 * Redis keeps 24 bits per value ({@code robj.lru}) for the eviction policies, and reads them one of two ways.
 *
 * <p><b>LRU</b> (every policy but the LFU ones): the time of the last access on a clock of seconds
 * ({@code LRU_CLOCK_RESOLUTION} 1000 ms) that wraps after 2^24 s, about 194 days; idle time is now minus that, with
 * the wrap undone.
 *
 * <p><b>LFU</b> ({@code volatile-lfu}, {@code allkeys-lfu}): the high 16 bits hold the minute (wrapping after 45
 * days) when the counter was last decreased, the low 8 bits a logarithmic access counter. A new key starts at
 * {@value #LFU_INIT_VAL}, so it is not evicted before it had a chance to be read again. Each access first takes off
 * one for every {@code lfu-decay-time} minutes gone by, then adds one with probability
 * {@code 1 / ((counter - 5) * lfu-log-factor + 1)}: with the default factor 10 the counter reaches about 100 after
 * ten thousand accesses and 255 after a million.
 *
 * <p>The keyspace keeps these 24 bits in the padding of its entries (an {@code int}), so they cost no memory. One
 * instance is shared by every database; CONFIG SET changes it in place.
 */
public final class AccessTracking {

    /** Redis's LRU_CLOCK_MAX: the clock wraps at 2^24. */
    public static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    /** Redis's LRU_CLOCK_RESOLUTION, in milliseconds. */
    public static final int LRU_CLOCK_RESOLUTION = 1000;
    /** Redis's LFU_INIT_VAL: the counter of a new key. */
    public static final int LFU_INIT_VAL = 5;

    private volatile boolean lfu;
    private volatile int logFactor = 10;
    private volatile int decayMinutes = 1;

    /** Reads the access fields as LFU counters ({@code true}) or as LRU clocks. O(1). */
    public void lfu(boolean lfu) {
        this.lfu = lfu;
    }

    /** Whether an LFU policy is selected. O(1). */
    public boolean lfu() {
        return lfu;
    }

    /** {@code lfu-log-factor} and {@code lfu-decay-time} (minutes). O(1). */
    public void lfuParameters(int logFactor, int decayMinutes) {
        this.logFactor = logFactor;
        this.decayMinutes = decayMinutes;
    }

    /** Redis's LRU_CLOCK() at {@code millis}. O(1). */
    public static int lruClock(long millis) {
        return (int) ((millis / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX);
    }

    /** Redis's estimateObjectIdleTime: milliseconds since the access an LRU field records. O(1). */
    public static long idleMillis(int lru, long millis) {
        int now = lruClock(millis);
        long ticks = now >= lru ? now - lru : now + (LRU_CLOCK_MAX - lru);
        return ticks * LRU_CLOCK_RESOLUTION;
    }

    /** The field of a new value: the clock now, or the minute now with the initial counter. O(1). */
    public int created(long millis) {
        return lfu ? (minutes(millis) << 8) | LFU_INIT_VAL : lruClock(millis);
    }

    // tag::lfu[]
    /** The field after an access: the clock now, or the counter decayed, maybe incremented, stamped now. O(1). */
    public int accessed(int field, long millis, RandomGenerator random) {
        if (!lfu) {
            return lruClock(millis);
        }
        int counter = frequency(field, millis);
        if (counter < 255) { // LFULogIncr
            double base = Math.max(0, counter - LFU_INIT_VAL);
            if (random.nextDouble() < 1.0 / (base * logFactor + 1)) {
                counter++;
            }
        }
        return (minutes(millis) << 8) | counter;
    }

    /** LFUDecrAndReturn: the counter less one per decay period since its minute, not below 0. O(1). */
    public int frequency(int field, long millis) {
        int counter = field & 255;
        int last = (field >>> 8) & 0xFFFF;
        int now = minutes(millis);
        int elapsed = now >= last ? now - last : 65535 - last + now;
        int periods = decayMinutes > 0 ? elapsed / decayMinutes : 0;
        return periods > counter ? 0 : counter - periods;
    }
    // end::lfu[]

    /** RESTORE ... FREQ: the counter given, stamped now. O(1). */
    public static int withFrequency(int counter, long millis) {
        return (minutes(millis) << 8) | counter;
    }

    /** RESTORE ... IDLETIME: the clock as it was {@code idleSeconds} ago, wrapped as Redis's objectSetLRUOrLFU. O(1). */
    public static int idleFor(long idleSeconds, long millis) {
        long at = lruClock(millis) - idleSeconds * 1000 / LRU_CLOCK_RESOLUTION;
        if (at < 0) {
            at += LRU_CLOCK_MAX;
        }
        return (int) (at & LRU_CLOCK_MAX);
    }

    private static int minutes(long millis) {
        return (int) ((millis / 1000 / 60) & 65535);
    }
}
