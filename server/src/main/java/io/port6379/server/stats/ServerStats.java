// The counters INFO reports: connections, commands, keyspace hits, network bytes, per-command calls.
package io.port6379.server.stats;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Running totals since start-up (or CONFIG RESETSTAT). Commands update them under the execution lock; the
 * connection threads add network bytes and connection counts from outside it, hence the atomics there.
 */
public final class ServerStats {

    /** Calls and total time of one command, for INFO commandstats; its latency distribution for INFO latencystats. */
    public static final class CommandStats {
        public long calls;
        public long micros;
        public long rejectedCalls;
        public long failedCalls;
        /** Created by the first call timed while {@code latency-tracking} is on, as Redis's per-command histogram. */
        public LatencyHistogram latency;
    }

    /** {@code latency-tracking}: whether calls feed the per-command latency histograms. */
    public volatile boolean latencyTracking = true;

    public final AtomicLong connectionsReceived = new AtomicLong();
    public final AtomicLong rejectedConnections = new AtomicLong();
    public final AtomicLong netInputBytes = new AtomicLong();
    public final AtomicLong netOutputBytes = new AtomicLong();
    public long commandsProcessed;
    /**
     * Redis's {@code server.dirty}: changes made to the data since start-up. SAVE rules compare it with its
     * value at the last save; the append-only file propagates a command exactly when it moved this counter.
     */
    long dirty;
    public long expiredKeys;
    /** INFO's {@code evicted_keys}: keys maxmemory's policy deleted. */
    public long evictedKeys;
    /** Clients disconnected by maxmemory-clients (INFO's evicted_clients). */
    public long evictedClients;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long errorReplies;
    /** RESTORE's deep checks of encoded blobs (sanitize-dump-payload), as Redis's stat_dump_payload_sanitizations. */
    public long dumpPayloadSanitizations;
    public final Map<String, CommandStats> perCommand = new HashMap<>();
    /** Error replies by their first word (ERR, WRONGTYPE...), for INFO errorstats. */
    public final Map<String, Long> errorCodes = new TreeMap<>();

    // Samples for instantaneous_ops_per_sec, taken by the server cron (as Redis's trackInstantaneousMetric).
    private final long[] opsSamples = new long[16];
    private int sampleIndex;
    private long lastSampleTime;
    private long lastSampleCount;

    // INFO's introspection fields (Redis 7.0's stats, clients and cpu sections), counted by the network and the cron.
    /** Reads from client sockets that returned data, and writes of replies or pushes to them. */
    public final AtomicLong readsProcessed = new AtomicLong();
    public final AtomicLong writesProcessed = new AtomicLong();
    /** Redis's clientsCronTrackExpansiveClients: the largest query buffer and reply batch of each of the last 8 seconds. */
    private final AtomicLongArray inputPeaks = new AtomicLongArray(8);
    private final AtomicLongArray outputPeaks = new AtomicLongArray(8);
    /** Redis's stat_reply_buffer_shrinks and _expands: the cron's resizes of clients' reply buffers. */
    public long replyBufferShrinks;
    public long replyBufferExpands;
    /** Time the cron spent in active expiry, and the cycles that used their whole time budget. */
    public long expireCycleMicros;
    public long expireTimeCapReached;
    /** Redis's {@code stat_expired_stale_perc}: a running estimate of the share of volatile keys already expired. */
    public double expiredStalePercent;
    private final long[] inputSamples = new long[16];
    private final long[] outputSamples = new long[16];
    private long lastInputBytes;
    private long lastOutputBytes;

    /** A client's query buffer held {@code bytes} after a read. Any thread. */
    public void inputBuffer(long bytes) {
        peak(inputPeaks, bytes);
    }

    /** {@code bytes} of replies were written to a client at once. Any thread. */
    public void outputBuffer(long bytes) {
        peak(outputPeaks, bytes);
    }

    private static void peak(AtomicLongArray peaks, long bytes) {
        int slot = (int) (System.currentTimeMillis() / 1000 % peaks.length());
        peaks.accumulateAndGet(slot, bytes, Math::max);
    }

    /** INFO's client_recent_max_input_buffer and client_recent_max_output_buffer. */
    public long recentMaxInputBuffer() {
        return max(inputPeaks);
    }

    public long recentMaxOutputBuffer() {
        return max(outputPeaks);
    }

    private static long max(AtomicLongArray peaks) {
        long max = 0;
        for (int i = 0; i < peaks.length(); i++) {
            max = Math.max(max, peaks.get(i));
        }
        return max;
    }

    /** One active-expiry round of the cron: {@code expired} of {@code volatiles} keys, in {@code micros}. */
    public void expireCycle(long expired, long volatiles, long micros, boolean timeCapReached) {
        expireCycleMicros += micros;
        if (timeCapReached) {
            expireTimeCapReached++;
        }
        if (volatiles > 0) {
            double current = (double) expired / volatiles;
            expiredStalePercent = current * 0.05 + expiredStalePercent * 0.95; // as Redis's activeExpireCycle
        }
    }

    /** INFO's instantaneous_input_kbps and instantaneous_output_kbps: KB per second over the last 16 cron samples. */
    public double instantaneousInputKbps() {
        return average(inputSamples) / 1024.0;
    }

    public double instantaneousOutputKbps() {
        return average(outputSamples) / 1024.0;
    }

    private static double average(long[] samples) {
        long sum = 0;
        for (long sample : samples) {
            sum += sample;
        }
        return (double) sum / samples.length;
    }

    /** Changes made to the data since start-up (Redis's {@code server.dirty}). */
    public long dirty() {
        return dirty;
    }

    /** {@code changes} modifications were made to the data. */
    public void dirty(long changes) {
        dirty += changes;
    }

    /** Records one executed command. */
    public void recordCall(String name, long micros) {
        commandsProcessed++;
        CommandStats stats = perCommand.computeIfAbsent(name, n -> new CommandStats());
        stats.calls++;
        stats.micros += micros;
        if (latencyTracking) { // Redis records the call's microseconds as nanoseconds: duration * 1000
            if (stats.latency == null) {
                stats.latency = new LatencyHistogram();
            }
            stats.latency.record(micros * 1000);
        }
    }

    /**
     * Records an error reply and, when a command was found, that it failed ({@code rejected} before running). The
     * code counted is the reply's first word, as Redis's afterErrorReply finds it: a space among the reply's first
     * 32 bytes (with its {@code -}), else {@code ERR}.
     */
    public void recordError(String message, String command, boolean rejected) {
        errorReplies++;
        int space = message.indexOf(' ');
        errorCodes.merge(space < 0 || space > 30 ? "ERR" : message.substring(0, space), 1L, Long::sum);
        if (command != null) {
            CommandStats stats = perCommand.computeIfAbsent(command, n -> new CommandStats());
            if (rejected) {
                stats.rejectedCalls++;
            } else {
                stats.failedCalls++;
            }
        }
    }

    /**
     * A call that failed with an error reply counted where it arose: a script's reply that is the error of a
     * {@code redis.call} (Redis's ERR_REPLY_FLAG_NO_STATS_UPDATE), counted against the script's command only.
     */
    public void failedCall(String command) {
        perCommand.computeIfAbsent(command, n -> new CommandStats()).failedCalls++;
    }

    /** GET-like lookups count as a hit or a miss (INFO's keyspace_hits, keyspace_misses). */
    public void keyspaceLookup(boolean hit) {
        if (hit) {
            keyspaceHits++;
        } else {
            keyspaceMisses++;
        }
    }

    /** Keys deleted because their time passed. Not a change in {@code dirty}: Redis 7.0 counts none for expiry. */
    public void expired(long count) {
        expiredKeys += count;
    }

    /** Called by the cron: turns the command count into an operations-per-second sample. */
    public void sample(long nowMillis) {
        if (lastSampleTime > 0 && nowMillis > lastSampleTime) {
            long ops = (commandsProcessed - lastSampleCount) * 1000 / (nowMillis - lastSampleTime);
            opsSamples[sampleIndex] = ops;
            long input = netInputBytes.get();
            long output = netOutputBytes.get();
            inputSamples[sampleIndex] = (input - lastInputBytes) * 1000 / (nowMillis - lastSampleTime);
            outputSamples[sampleIndex] = (output - lastOutputBytes) * 1000 / (nowMillis - lastSampleTime);
            sampleIndex = (sampleIndex + 1) % opsSamples.length;
        }
        lastSampleTime = nowMillis;
        lastSampleCount = commandsProcessed;
        lastInputBytes = netInputBytes.get();
        lastOutputBytes = netOutputBytes.get();
    }

    public long instantaneousOps() {
        long sum = 0;
        for (long sample : opsSamples) {
            sum += sample;
        }
        return sum / opsSamples.length;
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        connectionsReceived.set(0);
        rejectedConnections.set(0);
        netInputBytes.set(0);
        netOutputBytes.set(0);
        commandsProcessed = 0;
        expiredKeys = 0;
        evictedKeys = 0;
        evictedClients = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        errorReplies = 0;
        dumpPayloadSanitizations = 0;
        perCommand.clear();
        errorCodes.clear();
        Arrays.fill(opsSamples, 0);
        readsProcessed.set(0);
        writesProcessed.set(0);
        expireCycleMicros = 0;
        expireTimeCapReached = 0;
        expiredStalePercent = 0;
        replyBufferShrinks = 0;
        replyBufferExpands = 0;
    }

    /** What a client's {@code resizeReplyBuffer} did: -1 shrank, 1 grew, 0 nothing. */
    public void replyBufferResized(int change) {
        if (change < 0) {
            replyBufferShrinks++;
        } else if (change > 0) {
            replyBufferExpands++;
        }
    }
}
