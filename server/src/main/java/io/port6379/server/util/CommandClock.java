// The time commands see: read once when a command starts and fixed until it ends, as Redis's cached mstime.
package io.port6379.server.util;

import io.port6379.datastructures.Clock;

import java.time.Instant;

/**
 * The server's clock, which every database's keyspace reads for expiry and access times.
 *
 * <p>While a command runs, {@link #millis()} returns the moment it started instead of reading the wall clock.
 * Redis does the same ({@code call()} updates the cached {@code server.mstime} once, and EXEC's commands keep
 * the time EXEC started with), for two reasons we share:
 * <ul>
 *   <li><b>Consistency.</b> A key cannot expire halfway through a command: {@code EXISTS k k} or a transaction
 *       that reads a key twice sees it either present both times or absent both times.</li>
 *   <li><b>Cost.</b> A key lookup records its access time; reading the clock each time would cost as much as the
 *       lookup itself. With the time fixed, a command reads the wall clock once, however many keys it touches
 *       (chapter 15 shows the profile that found the clock reads).</li>
 * </ul>
 *
 * <p>Reading the wall clock is not free: with the two monotonic readings that time the command, the clock was
 * the largest item of our own code in the profile of {@code redis-benchmark -P 16 -t get} (async-profiler,
 * chapter 15). So the wall clock is read at most once a millisecond and carried forward in between by the
 * monotonic reading the dispatcher takes anyway for the command's duration: one clock read per command fewer,
 * and the time it gives is the wall clock's to within a microsecond, unless the wall clock itself is set back or
 * forward, which then shows within a millisecond. Only the real wall clock is carried forward; a test's clock
 * is read at every command, so that moving it takes effect at once.
 *
 * <p>Outside a command (the cron's active expiry, start-up loading, tests) it reads the source clock each time.
 * Only the thread holding the execution lock starts and ends commands. A background saver reading it meanwhile
 * gets the running command's start time, microseconds old, as good as a fresh reading for skipping expired keys.
 */
public final class CommandClock implements Clock {

    /** How long one reading of the wall clock is carried forward by the monotonic clock. */
    private static final long READING_LIFETIME_NANOS = 1_000_000;

    private final Clock source;
    private final boolean wallClock; // the real wall clock, which may be carried forward
    private int running;     // commands started and not ended: EXEC's queued commands run inside EXEC
    private long fixedMillis;
    private long readingMicros;      // the wall clock's last reading, in microseconds since the epoch
    private long readingNanos;       // the monotonic clock then

    public CommandClock(Clock source) {
        this.source = source;
        this.wallClock = source == Clock.SYSTEM;
        this.readingNanos = System.nanoTime() - READING_LIFETIME_NANOS; // as if expired: the first command reads
    }

    // tag::clock[]
    @Override
    public long millis() {
        return running > 0 ? fixedMillis : source.millis();
    }

    /**
     * A command starts at {@code startNanos} ({@link System#nanoTime()}): until the matching {@link #commandEnded},
     * the time stands still. Returns that time.
     */
    public long commandStarted(long startNanos) {
        if (running++ == 0) {
            fixedMillis = wallClock ? wallMillisAt(startNanos) : source.millis();
        }
        return fixedMillis;
    }

    public void commandEnded() {
        running--;
    }
    // end::clock[]

    // tag::carried[]
    /**
     * The wall clock at {@code nanos}: its last reading plus the monotonic time since, read again after 1 ms. The
     * monotonic clock is read after the wall clock, not taken from {@code nanos}: a thread paused between the two
     * readings would otherwise date the reading too early, and the time carried forward from it would run ahead of
     * the wall clock by the pause.
     */
    private long wallMillisAt(long nanos) {
        long since = nanos - readingNanos;
        if (since < 0 || since >= READING_LIFETIME_NANOS) {
            Instant now = Instant.now(); // microseconds, where currentTimeMillis() would lose up to 1 ms
            readingMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            readingNanos = System.nanoTime();
            since = 0;
        }
        return (readingMicros + since / 1_000) / 1_000;
    }
    // end::carried[]
}
