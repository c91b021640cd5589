// INFO's text: sections of "field:value" lines with real figures from the running server and JVM.
package io.port6379.server.commands;

import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.util.RedisVersion;
import io.port6379.server.Databases;
import io.port6379.server.stats.LatencyHistogram;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
import io.port6379.server.stats.ServerStats;
import io.port6379.server.persistence.AppendOnlyFile;

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
                line(out, "redis_mode", "standalone");
                line(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
                line(out, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
                line(out, "multiplexing_api", "virtual-threads");
                line(out, "java_version", System.getProperty("java.version"));
                line(out, "process_id", ProcessHandle.current().pid());
                line(out, "run_id", server.runId());
                line(out, "tcp_port", config.get("port"));
                line(out, "server_time_usec", now * 1000);
                line(out, "uptime_in_seconds", uptime);
                line(out, "uptime_in_days", uptime / 86400);
                line(out, "hz", config.get("hz"));
                line(out, "configured_hz", config.get("hz"));
                line(out, "executable", ProcessHandle.current().info().command().orElse(""));
                line(out, "config_file", config.file() == null ? "" : config.file().toString());
            }
            case "clients" -> {
                header(out, "Clients");
                line(out, "connected_clients", server.clients().size());
                line(out, "maxclients", config.get("maxclients"));
                line(out, "blocked_clients", server.blockingKeys().blockedClients());
            }
            case "memory" -> {
                Runtime runtime = Runtime.getRuntime();
                long used = runtime.totalMemory() - runtime.freeMemory();
                long maxmemory = config.number("maxmemory");
                header(out, "Memory");
                line(out, "used_memory", used);
                line(out, "used_memory_human", human(used));
                line(out, "used_memory_rss", rss());
                line(out, "total_system_memory", totalSystemMemory());
                line(out, "jvm_heap_committed", runtime.totalMemory());
                line(out, "jvm_heap_max", runtime.maxMemory());
                line(out, "maxmemory", maxmemory);
                line(out, "maxmemory_human", human(maxmemory));
                line(out, "maxmemory_policy", config.get("maxmemory-policy"));
                line(out, "mem_allocator", "jvm");
            }
            case "persistence" -> {
                header(out, "Persistence");
                RdbSaver.of(server).info().forEach((field, value) -> line(out, field, value));
                AppendOnlyFile.info(server).forEach((field, value) -> line(out, field, value));
            }
            case "stats" -> {
                header(out, "Stats");
                line(out, "total_connections_received", stats.connectionsReceived.get());
                line(out, "total_commands_processed", stats.commandsProcessed);
                line(out, "instantaneous_ops_per_sec", stats.instantaneousOps());
                line(out, "total_net_input_bytes", stats.netInputBytes.get());
                line(out, "total_net_output_bytes", stats.netOutputBytes.get());
                line(out, "rejected_connections", stats.rejectedConnections.get());
                line(out, "expired_keys", stats.expiredKeys);
                line(out, "evicted_keys", 0);
                line(out, "keyspace_hits", stats.keyspaceHits);
                line(out, "keyspace_misses", stats.keyspaceMisses);
                line(out, "pubsub_channels", 0);
                line(out, "pubsub_patterns", 0);
                line(out, "latest_fork_usec", RdbSaver.of(server).latestPauseMicros()); // our BGSAVE's snapshot pause
                line(out, "total_error_replies", stats.errorReplies);
            }
            case "replication" -> {
                header(out, "Replication");
                line(out, "role", "master");
                line(out, "connected_slaves", 0);
                line(out, "master_replid", ReplicationIds.of(server).replid());
                line(out, "master_replid2", ReplicationIds.of(server).replid2());
                line(out, "master_repl_offset", 0);
            }
            case "cpu" -> {
                double[] cpu = cpuSeconds();
                header(out, "CPU");
                line(out, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[0]));
                line(out, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[1]));
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
                line(out, "cluster_enabled", 0);
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

    /** Resident set size from /proc (Linux), else the committed heap. */
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux: fall through
        }
        return Runtime.getRuntime().totalMemory();
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
