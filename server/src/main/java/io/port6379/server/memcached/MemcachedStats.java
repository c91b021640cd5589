// memcached's "stats": the general counters under memcached's names, in memcached 1.6's order.
package io.port6379.server.memcached;

import io.port6379.memcached.TextReplies;
import io.port6379.server.ServerContext;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The subset of memcached 1.6's general statistics that means something here, each named and placed as memcached
 * prints it (so a monitoring tool that parses them by name finds them). The slab allocator's, the LRU crawler's and
 * the worker threads' counters have no counterpart and are left out; {@code bytes}, {@code curr_items},
 * {@code limit_maxbytes} and {@code evictions} are database 0's size in used memory and keys, maxmemory, and the
 * server's evicted keys.
 */
final class MemcachedStats {

    private MemcachedStats() {
    }

    static void write(ServerContext server, Items items, TextReplies out) {
        Items.Stats s = items.stats;
        long now = server.clock().millis();
        double[] cpu = cpuSeconds();
        stat(out, "pid", Long.toString(ProcessHandle.current().pid()));
        stat(out, "uptime", Long.toString((now - server.startMillis()) / 1000));
        stat(out, "time", Long.toString(now / 1000));
        stat(out, "version", TextCommands.VERSION);
        stat(out, "pointer_size", "64");
        stat(out, "rusage_user", String.format(Locale.ROOT, "%.6f", cpu[0]));
        stat(out, "rusage_system", String.format(Locale.ROOT, "%.6f", cpu[1]));
        stat(out, "max_connections", server.config().get("maxclients"));
        stat(out, "curr_connections", s.currConnections);
        stat(out, "total_connections", s.totalConnections);
        stat(out, "rejected_connections", 0);
        stat(out, "cmd_get", s.cmdGet);
        stat(out, "cmd_set", s.cmdSet);
        stat(out, "cmd_flush", s.cmdFlush);
        stat(out, "cmd_touch", s.cmdTouch);
        stat(out, "get_hits", s.getHits);
        stat(out, "get_misses", s.getMisses);
        stat(out, "delete_misses", s.deleteMisses);
        stat(out, "delete_hits", s.deleteHits);
        stat(out, "incr_misses", s.incrMisses);
        stat(out, "incr_hits", s.incrHits);
        stat(out, "decr_misses", s.decrMisses);
        stat(out, "decr_hits", s.decrHits);
        stat(out, "cas_misses", s.casMisses);
        stat(out, "cas_hits", s.casHits);
        stat(out, "cas_badval", s.casBadval);
        stat(out, "touch_hits", s.touchHits);
        stat(out, "touch_misses", s.touchMisses);
        stat(out, "store_too_large", s.storeTooLarge);
        stat(out, "store_no_memory", s.storeNoMemory);
        stat(out, "bytes_read", s.bytesRead);
        stat(out, "bytes_written", s.bytesWritten);
        stat(out, "limit_maxbytes", server.config().get("maxmemory"));
        stat(out, "threads", 1);
        stat(out, "bytes", server.databases().get(0).usedMemory());
        stat(out, "curr_items", server.databases().get(0).size());
        stat(out, "total_items", s.totalItems);
        stat(out, "evictions", server.stats().evictedKeys);
        out.end();
    }

    /** {@code stats reset}: the counters back to 0, as memcached's stats_reset (current connections stay). */
    static void reset(Items items) {
        long current = items.stats.currConnections;
        items.stats = new Items.Stats();
        items.stats.currConnections = current;
    }

    private static void stat(TextReplies out, String name, long value) {
        stat(out, name, Long.toString(value));
    }

    private static void stat(TextReplies out, String name, String value) {
        out.line("STAT " + name + " " + value);
    }

    /** User and system CPU seconds of the process (memcached's getrusage), from the JVM's total when split is unknown. */
    private static double[] cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new double[] {os.getProcessCpuTime() / 1e9, 0};
        }
        return new double[] {0, 0};
    }
}
