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

    // tag::settings[]
    /**
     * {@code stats settings}: memcached's names for the settings that have a counterpart here, in memcached's order;
     * the slab allocator's, the LRU crawler's, extstore's and the like are left out rather than shown with values
     * that would mean nothing. maxbytes is maxmemory (0: no limit), maxconns maxclients, inter the bind addresses,
     * evictions whether maxmemory-policy may evict, idle_timeout Redis's timeout.
     */
    static void settings(ServerContext server, Items items, TextReplies out) {
        var config = server.config();
        stat(out, "maxbytes", config.get("maxmemory"));
        stat(out, "maxconns", config.get("maxclients"));
        stat(out, "tcpport", config.get("memcached-port"));
        stat(out, "udpport", 0);
        stat(out, "inter", String.join(",", config.bindAddresses()));
        stat(out, "verbosity", items.verbosity);
        stat(out, "evictions", config.get("maxmemory-policy").equals("noeviction") ? "off" : "on");
        stat(out, "domain_socket", "NULL");
        stat(out, "num_threads", 1);
        stat(out, "cas_enabled", "yes");
        stat(out, "tcp_backlog", config.get("tcp-backlog"));
        stat(out, "binding_protocol", "ascii");
        stat(out, "auth_enabled_sasl", "no");
        stat(out, "auth_enabled_ascii", "no");
        stat(out, "item_size_max", config.get("memcached-max-item-size"));
        stat(out, "flush_enabled", "yes");
        stat(out, "idle_timeout", config.get("timeout"));
        stat(out, "ssl_enabled", "no");
        out.end();
    }
    // end::settings[]

    /**
     * {@code stats slabs}: there are no slab classes here (a value is a Redis string in the keyspace's hash table),
     * so no class is listed; total_malloced is database 0's used memory. {@code stats items} lists nothing for the
     * same reason.
     */
    static void slabs(ServerContext server, TextReplies out) {
        stat(out, "active_slabs", 0);
        stat(out, "total_malloced", server.databases().get(0).usedMemory());
        out.end();
    }

    /**
     * {@code stats conns}: each memcached-port connection under its client id (memcached numbers them by file
     * descriptor): its address, the address it came in on, its state (the asking one is parsing its command, the
     * others wait) and the seconds since its last command.
     */
    static void conns(ServerContext server, Items items, TextCommands asking, TextReplies out) {
        long now = server.clock().millis();
        for (TextCommands connection : items.connections) {
            String id = Long.toString(connection.client().id());
            stat(out, id + ":addr", "tcp:" + connection.client().address());
            stat(out, id + ":listen_addr", "tcp:" + connection.client().localAddress());
            stat(out, id + ":state", connection == asking ? "conn_parse_cmd" : "conn_waiting");
            stat(out, id + ":secs_since_last_cmd", Math.max(0, now - connection.lastCommand) / 1000);
        }
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
