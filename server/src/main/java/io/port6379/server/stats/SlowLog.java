// SLOWLOG: the most recent commands that ran longer than slowlog-log-slower-than microseconds.
package io.port6379.server.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A bounded list of slow commands, newest first, as Redis's {@code slowlog.c}. Each entry keeps at most 32
 * arguments and 128 bytes of each, so a huge MSET cannot blow up the log: the rest is summarized as Redis does
 * ({@code "... (N more arguments)"}, {@code "... (N more bytes)"}). Used under the execution lock.
 */
public final class SlowLog {

    /** One entry of SLOWLOG GET. */
    public record Entry(long id, long unixSeconds, long micros, List<byte[]> args, String peer, String clientName) {
    }

    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG_LENGTH = 128;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private long threshold = 10000;
    private long maxLength = 128;

    /** slowlog-log-slower-than and slowlog-max-len, kept here so that no command looks them up by name. */
    public void configure(long threshold, long maxLength) {
        this.threshold = threshold;
        this.maxLength = maxLength;
        trim(maxLength);
    }

    /** Adds an entry if {@code micros} reaches the threshold (-1 disables the log); keeps at most slowlog-max-len. */
    public void record(byte[][] args, long micros, String clientAddress, String clientName, long nowMillis) {
        if (threshold < 0 || micros < threshold) {
            return;
        }
        int shown = Math.min(args.length, MAX_ARGS);
        List<byte[]> kept = new ArrayList<>(shown);
        for (int i = 0; i < shown; i++) {
            if (shown != args.length && i == shown - 1) {
                kept.add(("... (" + (args.length - shown + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII));
            } else if (args[i].length > MAX_ARG_LENGTH) {
                byte[] cut = Arrays.copyOf(args[i], MAX_ARG_LENGTH);
                String suffix = "... (" + (args[i].length - MAX_ARG_LENGTH) + " more bytes)";
                byte[] joined = Arrays.copyOf(cut, MAX_ARG_LENGTH + suffix.length());
                System.arraycopy(suffix.getBytes(StandardCharsets.US_ASCII), 0, joined, MAX_ARG_LENGTH, suffix.length());
                kept.add(joined);
            } else {
                kept.add(args[i]);
            }
        }
        entries.addFirst(new Entry(nextId++, nowMillis / 1000, micros, kept, clientAddress, clientName));
        trim(maxLength);
    }

    void trim(long maxLength) {
        while (entries.size() > maxLength) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries (all when negative). */
    public List<Entry> newest(long count) {
        return entries.stream().limit(count < 0 ? Long.MAX_VALUE : count).toList();
    }

    public int length() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
    }
}
