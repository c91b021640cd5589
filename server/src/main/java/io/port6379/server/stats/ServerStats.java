// The counters INFO reports: connections, commands, keyspace hits, network bytes, per-command calls.
package io.port6379.server.stats;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

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
    public long keyspaceHits;
    public long keyspaceMisses;
    public long errorReplies;
    public final Map<String, CommandStats> perCommand = new HashMap<>();
    /** Error replies by their first word (ERR, WRONGTYPE...), for INFO errorstats. */
    public final Map<String, Long> errorCodes = new TreeMap<>();

    // Samples for instantaneous_ops_per_sec, taken by the server cron (as Redis's trackInstantaneousMetric).
    private final long[] opsSamples = new long[16];
    private int sampleIndex;
    private long lastSampleTime;
    private long lastSampleCount;

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

    /** Records an error reply and, when a command was found, that it failed ({@code rejected} before running). */
    public void recordError(String message, String command, boolean rejected) {
        errorReplies++;
        int space = message.indexOf(' ');
        errorCodes.merge(space < 0 ? message : message.substring(0, space), 1L, Long::sum);
        if (command != null) {
            CommandStats stats = perCommand.computeIfAbsent(command, n -> new CommandStats());
            if (rejected) {
                stats.rejectedCalls++;
            } else {
                stats.failedCalls++;
            }
        }
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
            sampleIndex = (sampleIndex + 1) % opsSamples.length;
        }
        lastSampleTime = nowMillis;
        lastSampleCount = commandsProcessed;
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
        keyspaceHits = 0;
        keyspaceMisses = 0;
        errorReplies = 0;
        perCommand.clear();
        errorCodes.clear();
        Arrays.fill(opsSamples, 0);
    }
}
