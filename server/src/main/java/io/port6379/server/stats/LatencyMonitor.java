// LATENCY LATEST/RESET: the latest and the worst latency of each event above latency-monitor-threshold.
package io.port6379.server.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redis's latency monitor, reduced to what LATENCY LATEST reports: per event ({@code command},
 * {@code fast-command}, {@code expire-cycle}), the time and duration of its latest spike and the longest one.
 * Nothing is recorded while {@code latency-monitor-threshold} is 0, Redis's default. Used under the
 * execution lock.
 */
public final class LatencyMonitor {

    /** One row of LATENCY LATEST. */
    public record Event(String name, long latestUnixSeconds, long latestMillis, long maxMillis) {
    }

    private final Map<String, Event> events = new LinkedHashMap<>();
    private long threshold;

    /** latency-monitor-threshold in milliseconds; 0 turns the monitor off. */
    public void threshold(long millis) {
        this.threshold = millis;
    }

    /** One sample of LATENCY HISTORY: a second and the worst latency seen in it. */
    public record Sample(long unixSeconds, long millis) {
    }

    /** Redis's LATENCY_TS_LEN: the samples kept per event, oldest dropped first. */
    static final int HISTORY_LENGTH = 160;

    private final Map<String, java.util.ArrayDeque<Sample>> history = new LinkedHashMap<>();

    public void record(String event, long millis, long nowMillis) {
        if (threshold <= 0 || millis < threshold) {
            return;
        }
        Event previous = events.get(event);
        long max = previous == null ? millis : Math.max(previous.maxMillis(), millis);
        events.put(event, new Event(event, nowMillis / 1000, millis, max));
        java.util.ArrayDeque<Sample> samples = history.computeIfAbsent(event, name -> new java.util.ArrayDeque<>());
        Sample last = samples.peekLast();
        if (last != null && last.unixSeconds() == nowMillis / 1000) { // one sample per second: the worst in it
            samples.pollLast();
            samples.addLast(new Sample(last.unixSeconds(), Math.max(last.millis(), millis)));
        } else {
            samples.addLast(new Sample(nowMillis / 1000, millis));
            if (samples.size() > HISTORY_LENGTH) {
                samples.pollFirst();
            }
        }
    }

    /** LATENCY HISTORY event: its samples, oldest first; empty for an unknown event. */
    public java.util.List<Sample> history(String event) {
        java.util.ArrayDeque<Sample> samples = history.get(event);
        return samples == null ? java.util.List.of() : java.util.List.copyOf(samples);
    }

    /** Whether the monitor records anything (latency-monitor-threshold above 0). */
    public boolean enabled() {
        return threshold > 0;
    }

    public Iterable<Event> latest() {
        return events.values();
    }

    public int size() {
        return events.size();
    }

    /** LATENCY RESET [event...]: the number of events removed. */
    public int reset(Iterable<String> names) {
        int removed = 0;
        for (String name : names) {
            history.remove(name);
            if (events.remove(name) != null) {
                removed++;
            }
        }
        return removed;
    }

    public int resetAll() {
        int removed = events.size();
        events.clear();
        history.clear();
        return removed;
    }
}
