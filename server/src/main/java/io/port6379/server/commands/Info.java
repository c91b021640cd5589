// INFO's text: sections of "field:value" lines with real figures from the running server and JVM.
package io.port6379.server.commands;

import io.port6379.server.cluster.Cluster;
import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.replication.ReplicationReport;
import io.port6379.server.util.RedisVersion;
import io.port6379.server.Concerns;
import io.port6379.server.Databases;
import io.port6379.server.stats.LatencyHistogram;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
import io.port6379.server.stats.ServerStats;
import io.port6379.server.persistence.AppendOnlyFile;
import io.port6379.server.pubsub.PubSub;
import io.port6379.server.tracking.Tracking;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the reply of INFO [section ...]. Field names are Redis's, so that tools that parse INFO (redis-cli
 * --stat, monitoring agents) find what they look for. Memory figures are the JVM heap's, since that is where
 * our keys live; CPU times come from {@code /proc/self/stat} where available.
 */
final class Info {

    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");

    /** INFO's redis_build_id: Redis prints a hash of its build; ours, of the version it reports. */
    private static final String BUILD_ID = Long.toHexString(RedisVersion.REDIS_VERSION.hashCode() & 0xffffffffL);

    private Info() {
    }

    /** The sections asked for ({@code default}, {@code all}, {@code everything} or names), in Redis's order. */
    static String render(ServerContext server, List<String> asked) {
        Set<String> wanted = new LinkedHashSet<>();
        if (asked.isEmpty()) {
            wanted.addAll(DEFAULT);
        }
        for (String name : asked) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "default" -> wanted.addAll(DEFAULT);
                case "all", "everything" -> wanted.addAll(ALL);
                default -> wanted.add(name.toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String section : ALL) {
            if (wanted.contains(section)) {
                if (!out.isEmpty()) {
                    out.append("\r\n");
                }
                section(server, section, out);
            }
        }
        return out.toString();
    }

    // tag::latencystats[]
    /**
     * One line per command called since the last reset, as Redis's {@code genRedisInfoStringLatencyStats}:
     * {@code latency_percentiles_usec_<command>:p50=1.003,p99=...}, each percentile of
     * {@code latency-tracking-info-percentiles} named as {@code %f} trimmed of zeros, its value in microseconds
     * with three decimals.
     */
    private static void latencyStats(ServerStats stats, String percentiles, StringBuilder out) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String word : percentiles.trim().split("\\s+")) {
            try {
                values.add(Double.parseDouble(word));
                names.add(new BigDecimal(String.format(Locale.ROOT, "%f", values.getLast()))
                        .stripTrailingZeros().toPlainString());
            } catch (NumberFormatException notANumber) {
                // an empty setting prints no percentile, as in Redis
            }
        }
        for (Map.Entry<String, ServerStats.CommandStats> e : stats.perCommand.entrySet()) {
            LatencyHistogram histogram = e.getValue().latency;
            if (histogram == null || histogram.totalCount() == 0) {
                continue;
            }
            out.append("latency_percentiles_usec_").append(e.getKey()).append(':');
            for (int i = 0; i < values.size(); i++) {
                out.append(i == 0 ? "p" : ",p").append(names.get(i)).append('=').append(String.format(Locale.ROOT,
                        "%.3f", histogram.valueAtPercentile(values.get(i)) / 1000.0));
            }
            out.append("\r\n");
        }
    }
    // end::latencystats[]

    private static void section(ServerContext server, String name, StringBuilder out) {
        ServerStats stats = server.stats();
        ServerConfig config = server.config();
        long now = server.clock().millis();
        switch (name) {
            case "server" -> {
                long uptime = (now - server.startMillis()) / 1000;
                header(out, "Server");
                line(out, "redis_version", RedisVersion.REDIS_VERSION);
                line(out, "redis_git_sha1", "00000000"); // as a Redis built outside git
                line(out, "redis_git_dirty", 0);
                line(out, "redis_build_id", BUILD_ID);
                line(out, "redis_mode", Cluster.enabled(server) ? "cluster" : "standalone");
                line(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
                line(out, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
                line(out, "monotonic_clock", "System.nanoTime");
                line(out, "multiplexing_api", "virtual-threads");
                line(out, "atomicvar_api", "java.util.concurrent");
                line(out, "gcc_version", "0.0.0"); // what Redis prints when not built by GCC
                line(out, "java_version", System.getProperty("java.version"));
                line(out, "process_id", ProcessHandle.current().pid());
                line(out, "process_supervised", "no"); // ours never talks to upstart or systemd
                line(out, "run_id", server.runId());
                line(out, "tcp_port", config.get("port"));
                line(out, "server_time_usec", now * 1000);
                line(out, "uptime_in_seconds", uptime);
                line(out, "uptime_in_days", uptime / 86400);
                line(out, "hz", server.hz());
                line(out, "configured_hz", config.get("hz"));
                line(out, "lru_clock", now / 1000 & 0xFFFFFF); // Redis's LRU clock: seconds, 24 bits
                line(out, "executable", ProcessHandle.current().info().command().orElse(""));
                line(out, "config_file", config.file() == null ? "" : config.file().toString());
                line(out, "io_threads_active", 0); // connections have their own threads; no I/O thread pool
            }
            case "clients" -> {
                header(out, "Clients");
                line(out, "connected_clients", server.clients().size());
                line(out, "cluster_connections", 0); // no cluster bus
                line(out, "maxclients", config.get("maxclients"));
                line(out, "client_recent_max_input_buffer", stats.recentMaxInputBuffer());
                line(out, "client_recent_max_output_buffer", stats.recentMaxOutputBuffer());
                line(out, "blocked_clients", server.blockedClients());
                line(out, "tracking_clients", Tracking.counts(server)[0]);
                line(out, "clients_in_timeout_table", server.blockingKeys().blockedWithTimeout());
            }
            case "memory" -> {
                Runtime runtime = Runtime.getRuntime();
                Concerns.Memory memory = server.memory(); // used_memory: the bytes of the data, not the whole heap
                long used = memory != null ? memory.usedMemory() : server.databases().usedMemory();
                long maxmemory = config.number("maxmemory");
                header(out, "Memory");
                line(out, "used_memory", used);
                line(out, "used_memory_human", human(used));
                line(out, "used_memory_rss", ProcessMemory.rss());
                line(out, "used_memory_dataset", memory != null ? memory.datasetMemory() : used);
                line(out, "total_system_memory", totalSystemMemory());
                line(out, "jvm_heap_committed", runtime.totalMemory());
                line(out, "jvm_heap_max", runtime.maxMemory());
                line(out, "maxmemory", maxmemory);
                line(out, "maxmemory_human", human(maxmemory));
                line(out, "maxmemory_policy", config.get("maxmemory-policy"));
                line(out, "mem_not_counted_for_evict", memory != null ? memory.notCountedForEvict() : 0);
                line(out, "mem_allocator", "jvm");
                memoryDetails(server, used, out);
            }
            case "persistence" -> {
                header(out, "Persistence");
                RdbSaver.of(server).info().forEach((field, value) -> {
                    line(out, field, value);
                    // No fork, so no copy-on-write: a background save writes a snapshot taken under the lock.
                    if (field.equals("async_loading")) {
                        line(out, "current_cow_peak", 0);
                        line(out, "current_cow_size", 0);
                        line(out, "current_cow_size_age", 0);
                        line(out, "current_fork_perc", "0.00");
                    } else if (field.equals("rdb_saves")) {
                        line(out, "rdb_last_cow_size", 0);
                    }
                });
                AppendOnlyFile.info(server).forEach((field, value) -> line(out, field, value));
            }
            case "stats" -> stats(server, out);
            case "replication" -> {
                header(out, "Replication");
                ReplicationReport.info(server).forEach((field, value) -> line(out, field, value));
            }
            case "cpu" -> {
                double[] cpu = cpuSeconds();
                header(out, "CPU");
                line(out, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[0]));
                line(out, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[1]));
                line(out, "used_cpu_sys_children", "0.000000"); // BGSAVE is a thread, not a child process
                line(out, "used_cpu_user_children", "0.000000");
                // Every connection's thread runs commands, so the "main thread" is the whole process here.
                line(out, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", cpu[0]));
                line(out, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", cpu[1]));
            }
            case "modules" -> header(out, "Modules");
            case "commandstats" -> {
                header(out, "Commandstats");
                for (Map.Entry<String, ServerStats.CommandStats> e : stats.perCommand.entrySet()) {
                    ServerStats.CommandStats c = e.getValue();
                    double perCall = c.calls == 0 ? 0.0 : (double) c.micros / c.calls;
                    out.append("cmdstat_").append(e.getKey()).append(":calls=").append(c.calls).append(",usec=").append(c.micros)
                            .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", perCall))
                            .append(",rejected_calls=").append(c.rejectedCalls)
                            .append(",failed_calls=").append(c.failedCalls).append("\r\n");
                }
            }
            case "errorstats" -> {
                header(out, "Errorstats");
                stats.errorCodes.forEach((code, count) ->
                        out.append("errorstat_").append(code).append(":count=").append(count).append("\r\n"));
            }
            case "latencystats" -> {
                header(out, "Latencystats");
                if (config.flag("latency-tracking")) {
                    latencyStats(stats, config.get("latency-tracking-info-percentiles"), out);
                }
            }
            case "cluster" -> {
                header(out, "Cluster");
                line(out, "cluster_enabled", Cluster.enabled(server) ? 1 : 0);
            }
            case "keyspace" -> {
                header(out, "Keyspace");
                Databases databases = server.databases();
                for (int i = 0; i < databases.count(); i++) {
                    int keys = databases.get(i).size();
                    if (keys > 0) {
                        out.append("db").append(i).append(":keys=").append(keys).append(",expires=")
                                .append(databases.get(i).volatileCount()).append(",avg_ttl=0\r\n");
                    }
                }
            }
            default -> { }
        }
    }

    // tag::stats[]
    /** INFO stats, every field of Redis 7.0.15 in its order; a field about something ours does not have is 0. */
    private static void stats(ServerContext server, StringBuilder out) {
        ServerStats stats = server.stats();
        header(out, "Stats");
        line(out, "total_connections_received", stats.connectionsReceived.get());
        line(out, "total_commands_processed", stats.commandsProcessed);
        line(out, "instantaneous_ops_per_sec", stats.instantaneousOps());
        line(out, "total_net_input_bytes", stats.netInputBytes.get());
        line(out, "total_net_output_bytes", stats.netOutputBytes.get());
        line(out, "total_net_repl_input_bytes", 0); // no replication
        line(out, "total_net_repl_output_bytes", 0);
        line(out, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", stats.instantaneousInputKbps()));
        line(out, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", stats.instantaneousOutputKbps()));
        line(out, "instantaneous_input_repl_kbps", "0.00");
        line(out, "instantaneous_output_repl_kbps", "0.00");
        line(out, "rejected_connections", stats.rejectedConnections.get());
        ReplicationReport.stats(server).forEach((field, value) -> line(out, field, value));
        line(out, "expired_keys", stats.expiredKeys);
        line(out, "expired_stale_perc", String.format(Locale.ROOT, "%.2f", stats.expiredStalePercent * 100));
        line(out, "expired_time_cap_reached_count", stats.expireTimeCapReached);
        line(out, "expire_cycle_cpu_milliseconds", stats.expireCycleMicros / 1000);
        line(out, "evicted_keys", server.stats().evictedKeys);
        line(out, "evicted_clients", stats.evictedClients);
        line(out, "total_eviction_exceeded_time", 0);
        line(out, "current_eviction_exceeded_time", 0);
        line(out, "keyspace_hits", stats.keyspaceHits);
        line(out, "keyspace_misses", stats.keyspaceMisses);
        PubSub pubSub = PubSub.of(server);
        line(out, "pubsub_channels", pubSub.active(PubSub.Kind.CHANNEL, null).size());
        line(out, "pubsub_patterns", pubSub.patternCount());
        line(out, "pubsubshard_channels", pubSub.active(PubSub.Kind.SHARD, null).size());
        line(out, "latest_fork_usec", RdbSaver.of(server).latestPauseMicros()); // our BGSAVE's snapshot pause
        line(out, "total_forks", 0); // a background save is a thread: nothing is forked
        line(out, "migrate_cached_sockets", MigrateSockets.cached(server));
        line(out, "slave_expires_tracked_keys", 0); // a master has no writable-replica expiries
        // No active defragmentation: the garbage collector compacts the heap.
        line(out, "active_defrag_hits", 0);
        line(out, "active_defrag_misses", 0);
        line(out, "active_defrag_key_hits", 0);
        line(out, "active_defrag_key_misses", 0);
        line(out, "total_active_defrag_time", 0);
        line(out, "current_active_defrag_time", 0);
        long[] tracking = Tracking.counts(server);
        line(out, "tracking_total_keys", tracking[1]);
        line(out, "tracking_total_items", tracking[2]);
        line(out, "tracking_total_prefixes", tracking[3]);
        line(out, "unexpected_error_replies", ReplicationReport.unexpectedErrorReplies(server)); // our master's commands
        line(out, "total_error_replies", stats.errorReplies);
        line(out, "dump_payload_sanitizations", stats.dumpPayloadSanitizations);
        line(out, "total_reads_processed", stats.readsProcessed.get());
        line(out, "total_writes_processed", stats.writesProcessed.get());
        line(out, "io_threaded_reads_processed", 0);
        line(out, "io_threaded_writes_processed", 0);
        line(out, "reply_buffer_shrinks", stats.replyBufferShrinks); // by the cron, as Redis's clientsCronResizeOutputBuffer
        line(out, "reply_buffer_expands", stats.replyBufferExpands);
    }
    // end::stats[]

    /**
     * INFO memory's fields after {@code used_memory*} and {@code maxmemory*}: the JVM's heap plays jemalloc's
     * part (allocated = heap in use, active = heap committed, resident = the process's RSS), so the ratios read
     * as in Redis: how much of what the process holds is data.
     */
    private static void memoryDetails(ServerContext server, long used, StringBuilder out) {
        Runtime runtime = Runtime.getRuntime();
        long committed = runtime.totalMemory();
        long rss = ProcessMemory.rss();
        long clientsMemory = server.clientsMemory();
        Concerns.Propagation aof = server.propagation();
        line(out, "allocator_allocated", used);
        line(out, "allocator_active", committed);
        line(out, "allocator_resident", rss);
        line(out, "total_system_memory_human", human(totalSystemMemory()));
        io.port6379.server.scripting.ScriptEngine scripts = server.peek(io.port6379.server.scripting.Scripting.SLOT);
        long vmEval = scripts == null ? 0 : scripts.vmEvalMemory();
        long vmFunctions = scripts == null ? 0 : scripts.vmFunctionsMemory();
        long scriptsEval = scripts == null ? 0 : scripts.scriptsEvalMemory();
        long functions = scripts == null ? 0 : scripts.functionsMemory();
        line(out, "used_memory_lua", vmEval);
        line(out, "used_memory_vm_eval", vmEval);
        line(out, "used_memory_lua_human", human(vmEval));
        line(out, "used_memory_scripts_eval", scriptsEval);
        line(out, "number_of_cached_scripts", scripts == null ? 0 : scripts.count());
        line(out, "number_of_functions", scripts == null ? 0 : scripts.libraries().functionCount());
        line(out, "number_of_libraries", scripts == null ? 0 : scripts.libraries().libraries().size());
        line(out, "used_memory_vm_functions", vmFunctions);
        line(out, "used_memory_vm_total", vmEval + vmFunctions);
        line(out, "used_memory_vm_total_human", human(vmEval + vmFunctions));
        line(out, "used_memory_functions", functions);
        line(out, "used_memory_scripts", scriptsEval + functions);
        line(out, "used_memory_scripts_human", human(scriptsEval + functions));
        line(out, "allocator_frag_ratio", ratio(committed, used));
        line(out, "allocator_frag_bytes", committed - used);
        line(out, "allocator_rss_ratio", ratio(rss, committed));
        line(out, "allocator_rss_bytes", rss - committed);
        line(out, "rss_overhead_ratio", "1.00");
        line(out, "rss_overhead_bytes", 0);
        line(out, "mem_fragmentation_ratio", ratio(rss, used));
        line(out, "mem_fragmentation_bytes", rss - used);
        long[] replication = ReplicationReport.replicationMemory(server);
        line(out, "mem_replication_backlog", replication[0]);
        line(out, "mem_total_replication_buffers", replication[2]);
        line(out, "mem_clients_slaves", replication[1]);
        line(out, "mem_clients_normal", clientsMemory);
        line(out, "mem_cluster_links", 0);
        line(out, "mem_aof_buffer", aof == null ? 0 : aof.bufferedBytes());
        line(out, "active_defrag_running", 0);
        line(out, "lazyfree_pending_objects", server.lazyFree().pending());
        line(out, "lazyfreed_objects", server.lazyFree().freed());
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    private static void header(StringBuilder out, String title) {
        out.append("# ").append(title).append("\r\n");
    }

    private static void line(StringBuilder out, String field, Object value) {
        out.append(field).append(':').append(value).append("\r\n");
    }

    /** Redis's {@code bytesToHuman}: 1.23M. */
    static String human(long bytes) {
        double n = bytes;
        if (n < 1024) return bytes + "B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.2fK", n / 1024);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.2fM", n / (1024 * 1024));
        return String.format(Locale.ROOT, "%.2fG", n / (1024L * 1024 * 1024));
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** System and user CPU seconds of the process: /proc/self/stat's stime and utime (in clock ticks of 1/100 s). */
    private static double[] cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(fields[12]) / 100.0, Long.parseLong(fields[11]) / 100.0};
        } catch (Exception e) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new double[] {0, os.getProcessCpuTime() / 1e9};
            }
            return new double[] {0, 0};
        }
    }
}
