// The server's settings, read the way redis-server reads them: a redis.conf file, then --name value arguments.
package io.port6379.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.port6379.server.config.ConfigParameter.Flag.EMPTY_IS_NULL;
import static io.port6379.server.config.ConfigParameter.Flag.HIDDEN;
import static io.port6379.server.config.ConfigParameter.Flag.PROTECTED;
import static io.port6379.server.config.ConfigParameter.Flag.SENSITIVE;
import static io.port6379.server.config.ConfigParameter.Flag.UNSIGNED;
import static io.port6379.server.config.ConfigParameter.bool;
import static io.port6379.server.config.ConfigParameter.choice;
import static io.port6379.server.config.ConfigParameter.flagsChoice;
import static io.port6379.server.config.ConfigParameter.integer;
import static io.port6379.server.config.ConfigParameter.keyspaceEvents;
import static io.port6379.server.config.ConfigParameter.memory;
import static io.port6379.server.config.ConfigParameter.memoryOrPercent;
import static io.port6379.server.config.ConfigParameter.octal;
import static io.port6379.server.config.ConfigParameter.save;
import static io.port6379.server.config.ConfigParameter.string;
import static io.port6379.server.config.ConfigParameter.words;

/**
 * Configuration by name, with Redis 7's names, defaults and checks. Sources, later ones winning: the
 * defaults, the file given as the first command-line argument, then {@code --name value...} arguments; at run
 * time, CONFIG SET. Values are kept in their canonical form (what CONFIG GET answers); numbers are also kept
 * parsed, because some are read on every command (the slow log threshold).
 *
 * <p>Every parameter of Redis 7.0.15 is known, by its name and its alias, with Redis's default, bounds and error
 * texts. Two defaults differ from a bare {@code redis-server}: {@code bind} is {@code 127.0.0.1 -::1}, as in the
 * {@code redis.conf} Redis ships, and {@code save} is empty, so a server started without arguments writes no
 * snapshot behind its user's back.
 *
 * <p>Not thread-safe: read and changed under the execution lock, or before the server starts.
 */
public final class ServerConfig {

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long LONG_MIN = Long.MIN_VALUE;

    /** Why a parameter is only stored: the reasons shown in chapter 08's table. */
    private static final String RUNTIME = "Redis's C runtime only: allocator, fork, threads, CPU affinity, process title, "
            + "OOM score";
    private static final String PROCESS = "process management and logging are the launcher's: the log goes to standard output";
    private static final String MODULES = "no module system";
    /** Redis's default client-output-buffer-limit, every class named. */
    static final String DEFAULT_OUTPUT_LIMITS = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    /**
     * Every parameter of Redis 7.0, with its alias. The first group takes effect; the others are kept as Redis keeps
     * them (CONFIG GET, SET with Redis's checks, REWRITE) with the reason they have no effect here.
     */
    private static final List<ConfigParameter> PARAMETERS = List.of(
            // Parameters that take effect here.
            // tag::parameters[]
            bool("activedefrag", false, true),
            bool("aof-load-truncated", true, true),
            bool("aof-use-rdb-preamble", true, true),
            string("appenddirname", "appendonlydir", false),
            string("appendfilename", "appendonly.aof", false),
            choice("appendfsync", "everysec", true, "everysec", "always", "no"),
            bool("appendonly", false, true),
            memory("auto-aof-rewrite-min-size", 67108864, 0, LONG_MAX),
            integer("auto-aof-rewrite-percentage", 100, 0, INT_MAX, true),
            words("bind", "127.0.0.1 -::1", true),
            words("client-output-buffer-limit", DEFAULT_OUTPUT_LIMITS, true),
            memory("client-query-buffer-limit", 1073741824, 1048576, LONG_MAX),
            integer("databases", 16, 1, INT_MAX, false),
            string("dbfilename", "dump.rdb", true).with(PROTECTED),
            string("dir", Path.of("").toAbsolutePath().toString(), true).with(PROTECTED),
            choice("enable-debug-command", "no", false, "no", "yes", "local"),
            choice("enable-protected-configs", "no", false, "no", "yes", "local"),
            integer("hash-max-listpack-entries", 512, 0, LONG_MAX, true).alias("hash-max-ziplist-entries"),
            // end::parameters[]
            memory("hash-max-listpack-value", 64, 0, LONG_MAX).alias("hash-max-ziplist-value"),
            memory("hll-sparse-max-bytes", 3000, 0, LONG_MAX),
            integer("hz", 10, 0, INT_MAX, true),
            integer("latency-monitor-threshold", 0, 0, LONG_MAX, true),
            bool("latency-tracking", true, true),
            words("latency-tracking-info-percentiles", "50 99 99.9", true),
            integer("list-max-listpack-size", -2, INT_MIN, INT_MAX, true).alias("list-max-ziplist-size"),
            integer("maxclients", 10000, 1, 4294967295L, true),
            keyspaceEvents("notify-keyspace-events"),
            integer("port", 6379, 0, 65535, true),
            bool("protected-mode", true, true),
            memory("proto-max-bulk-len", 536870912, 1048576, LONG_MAX),
            bool("rdbchecksum", true, false),
            bool("rdbcompression", true, true),
            string("requirepass", "", true).with(EMPTY_IS_NULL).with(SENSITIVE),
            save("save", ""),
            integer("set-max-intset-entries", 512, 0, LONG_MAX, true),
            integer("slowlog-log-slower-than", 10000, -1, LONG_MAX, true),
            integer("slowlog-max-len", 128, 0, LONG_MAX, true),
            integer("tcp-backlog", 511, 0, INT_MAX, false),
            integer("timeout", 0, 0, INT_MAX, true),
            integer("zset-max-listpack-entries", 128, 0, LONG_MAX, true).alias("zset-max-ziplist-entries"),
            memory("zset-max-listpack-value", 64, 0, LONG_MAX).alias("zset-max-ziplist-value"),
            // Eviction (the eviction package): maxmemory and how keys are chosen when it is reached.
            integer("lfu-decay-time", 1, 0, INT_MAX, true),
            integer("lfu-log-factor", 10, 0, INT_MAX, true),
            memory("maxmemory", 0, 0, LONG_MAX).with(UNSIGNED),
            memoryOrPercent("maxmemory-clients", 0, -100, LONG_MAX),
            integer("maxmemory-eviction-tenacity", 10, 0, 100, true),
            choice("maxmemory-policy", "noeviction", true, "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                    "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"),
            integer("maxmemory-samples", 5, 1, INT_MAX, true),
            // Security (network/Tls, network/RedisServer's unix socket, security/AclFile): TLS, unix sockets, ACL files,
            // and writes refused after a failed save (persistence's MISCONF).
            bool("stop-writes-on-bgsave-error", true, true),
            choice("acl-pubsub-default", "resetchannels", true, "allchannels", "resetchannels"),
            string("aclfile", "", false),
            integer("acllog-max-len", 128, 0, LONG_MAX, true),
            choice("tls-auth-clients", "yes", true, "no", "yes", "optional"),
            string("tls-ca-cert-dir", "", true).with(EMPTY_IS_NULL),
            string("tls-ca-cert-file", "", true).with(EMPTY_IS_NULL),
            string("tls-cert-file", "", true).with(EMPTY_IS_NULL),
            string("tls-ciphers", "", true).with(EMPTY_IS_NULL),
            string("tls-ciphersuites", "", true).with(EMPTY_IS_NULL),
            string("tls-client-cert-file", "", true).with(EMPTY_IS_NULL),
            string("tls-client-key-file", "", true).with(EMPTY_IS_NULL),
            string("tls-client-key-file-pass", "", true).with(EMPTY_IS_NULL),
            bool("tls-cluster", false, true), // the cluster bus and MIGRATE over TLS; the TLS port is the node's port
            // The JDK's TLS takes no DH parameters per context: the file the server process starts with becomes the
            // JDK's legacy DHE group, a later one its RFC 7919 group as the one FFDHE group allowed (network/DhParams).
            string("tls-dh-params-file", "", true).with(EMPTY_IS_NULL),
            string("tls-key-file", "", true).with(EMPTY_IS_NULL),
            string("tls-key-file-pass", "", true).with(EMPTY_IS_NULL),
            integer("tls-port", 0, 0, 65535, true),
            bool("tls-prefer-server-ciphers", false, true),
            string("tls-protocols", "", true).with(EMPTY_IS_NULL),
            bool("tls-replication", false, true),
            integer("tls-session-cache-size", 20480, 0, INT_MAX, true),
            integer("tls-session-cache-timeout", 300, 0, INT_MAX, true),
            bool("tls-session-caching", true, true),
            string("unixsocket", "", false).with(EMPTY_IS_NULL),
            octal("unixsocketperm", 0, 0777, false),
            // Scripting: how long a script runs before other clients are answered BUSY (lua-time-limit before 7.0).
            integer("busy-reply-threshold", 5000, 0, LONG_MAX, true).alias("lua-time-limit"),
            // Streams: when XADD starts a new node.
            memory("stream-node-max-bytes", 4096, 0, LONG_MAX),
            integer("stream-node-max-entries", 100, 0, LONG_MAX, true),
            // Replication (the replication package): in effect, except those still marked as stored.
            string("bind-source-addr", "", true).with(EMPTY_IS_NULL),
            string("masterauth", "", true).with(EMPTY_IS_NULL).with(SENSITIVE),
            string("masteruser", "", true).with(EMPTY_IS_NULL).with(SENSITIVE),
            integer("min-replicas-max-lag", 10, 0, INT_MAX, true).alias("min-slaves-max-lag"),
            integer("min-replicas-to-write", 0, 0, INT_MAX, true).alias("min-slaves-to-write"),
            choice("propagation-error-behavior", "ignore", true, "ignore", "panic", "panic-on-replicas"),
            bool("rdb-del-sync-files", false, true),
            memory("repl-backlog-size", 1048576, 1, LONG_MAX),
            integer("repl-backlog-ttl", 3600, 0, LONG_MAX, true),
            bool("repl-disable-tcp-nodelay", false, true),
            choice("repl-diskless-load", "disabled", true, "disabled", "on-empty-db", "swapdb"),
            bool("repl-diskless-sync", true, true),
            integer("repl-diskless-sync-delay", 5, 0, INT_MAX, true),
            integer("repl-diskless-sync-max-replicas", 0, 0, INT_MAX, true),
            integer("repl-ping-replica-period", 10, 1, INT_MAX, true).alias("repl-ping-slave-period"),
            integer("repl-timeout", 60, 1, INT_MAX, true),
            string("replica-announce-ip", "", true).alias("slave-announce-ip").with(EMPTY_IS_NULL),
            integer("replica-announce-port", 0, 0, 65535, true).alias("slave-announce-port"),
            bool("replica-announced", true, true),
            bool("replica-ignore-disk-write-errors", false, true),
            bool("replica-ignore-maxmemory", true, true).alias("slave-ignore-maxmemory"),
            bool("replica-lazy-flush", false, true).alias("slave-lazy-flush"),
            integer("replica-priority", 100, 0, INT_MAX, true).alias("slave-priority"),
            bool("replica-read-only", true, true).alias("slave-read-only"),
            bool("replica-serve-stale-data", true, true).alias("slave-serve-stale-data"),
            words("replicaof", "", false).alias("slaveof"),
            integer("shutdown-timeout", 10, 0, INT_MAX, true),
            // SIGINT and SIGTERM take SHUTDOWN's path with these flags (main/Main).
            flagsChoice("shutdown-on-sigint", "default", "default", "save", "nosave", "now", "force"),
            flagsChoice("shutdown-on-sigterm", "default", "default", "save", "nosave", "now", "force"),
            // Redis Cluster (cluster/Cluster): read at start-up, and by the cluster bus and routing as they run.
            bool("cluster-allow-pubsubshard-when-down", true, true),
            bool("cluster-allow-reads-when-down", false, true),
            bool("cluster-allow-replica-migration", true, true),
            integer("cluster-announce-bus-port", 0, 0, 65535, true),
            string("cluster-announce-hostname", "", true).with(EMPTY_IS_NULL),
            string("cluster-announce-ip", "", true).with(EMPTY_IS_NULL),
            integer("cluster-announce-port", 0, 0, 65535, true),
            integer("cluster-announce-tls-port", 0, 0, 65535, true),
            string("cluster-config-file", "nodes.conf", false),
            bool("cluster-enabled", false, false),
            memory("cluster-link-sendbuf-limit", 0, 0, LONG_MAX).with(UNSIGNED),
            integer("cluster-migration-barrier", 1, 0, INT_MAX, true),
            integer("cluster-node-timeout", 15000, 0, LONG_MAX, true),
            integer("cluster-port", 0, 0, 65535, false),
            choice("cluster-preferred-endpoint-type", "ip", true, "ip", "hostname", "unknown-endpoint"),
            bool("cluster-replica-no-failover", false, true).alias("cluster-slave-no-failover"),
            integer("cluster-replica-validity-factor", 10, 0, INT_MAX, true).alias("cluster-slave-validity-factor"),
            bool("cluster-require-full-coverage", true, true),
            // Client-side caching (tracking/Tracking.limitUsedSlots): how many keys the tracking table remembers.
            integer("tracking-table-max-keys", 1000000, 0, LONG_MAX, true),
            // memcached's text protocol (memcached/MemcachedListener): its port (0 = off; memcached's is 11211) and the
            // largest item it stores (memcached's -I). Not Redis parameters: CONFIG GET lists them only by name.
            integer("memcached-port", 0, 0, 65535, false).with(HIDDEN),
            memory("memcached-max-item-size", 1048576, 1024, 1073741824).with(HIDDEN),
            // Stored only: RUNTIME.
            integer("active-defrag-cycle-max", 25, 1, 99, true).storedOnly(RUNTIME),
            integer("active-defrag-cycle-min", 1, 1, 99, true).storedOnly(RUNTIME),
            memory("active-defrag-ignore-bytes", 104857600, 1, LONG_MAX).storedOnly(RUNTIME),
            integer("active-defrag-max-scan-fields", 1000, 1, LONG_MAX, true).storedOnly(RUNTIME),
            integer("active-defrag-threshold-lower", 10, 0, 1000, true).storedOnly(RUNTIME),
            integer("active-defrag-threshold-upper", 100, 0, 1000, true).storedOnly(RUNTIME),
            bool("activerehashing", true, true).storedOnly(RUNTIME),
            bool("aof-rewrite-incremental-fsync", true, true).storedOnly(RUNTIME),
            string("aof_rewrite_cpulist", "", false).with(EMPTY_IS_NULL).storedOnly(RUNTIME),
            string("bgsave_cpulist", "", false).with(EMPTY_IS_NULL).storedOnly(RUNTIME),
            string("bio_cpulist", "", false).with(EMPTY_IS_NULL).storedOnly(RUNTIME),
            bool("crash-log-enabled", true, true).storedOnly(RUNTIME),
            bool("crash-memcheck-enabled", true, true).storedOnly(RUNTIME),
            bool("disable-thp", true, false).storedOnly(RUNTIME),
            string("ignore-warnings", "", true).storedOnly(RUNTIME),
            integer("io-threads", 1, 1, 128, false).storedOnly(RUNTIME),
            bool("io-threads-do-reads", false, false).storedOnly(RUNTIME),
            bool("jemalloc-bg-thread", true, true).storedOnly(RUNTIME),
            choice("oom-score-adj", "no", true, "no", "yes", "relative", "absolute").storedOnly(RUNTIME),
            words("oom-score-adj-values", "0 200 800", true).storedOnly(RUNTIME),
            string("proc-title-template", "{title} {listen-addr} {server-mode}", true).storedOnly(RUNTIME),
            bool("rdb-save-incremental-fsync", true, true).storedOnly(RUNTIME),
            string("server_cpulist", "", false).with(EMPTY_IS_NULL).storedOnly(RUNTIME),
            bool("set-proc-title", true, false).storedOnly(RUNTIME),
            integer("socket-mark-id", 0, 0, 4294967295L, false).storedOnly(RUNTIME),
            bool("use-exit-on-panic", false, true).with(HIDDEN).storedOnly(RUNTIME),
            integer("watchdog-period", 0, 0, INT_MAX, true).with(HIDDEN).storedOnly(RUNTIME),
            // Stored only: PROCESS.
            bool("always-show-logo", false, false).storedOnly(PROCESS),
            bool("daemonize", false, false).storedOnly(PROCESS),
            string("logfile", "", false).storedOnly(PROCESS),
            choice("loglevel", "notice", true, "debug", "verbose", "notice", "warning").storedOnly(PROCESS),
            string("pidfile", "", false).with(EMPTY_IS_NULL).storedOnly(PROCESS),
            choice("supervised", "no", false, "upstart", "systemd", "auto", "no").storedOnly(PROCESS),
            bool("syslog-enabled", false, false).storedOnly(PROCESS),
            choice("syslog-facility", "local0", false, "user", "local0", "local1", "local2", "local3", "local4", "local5",
                    "local6", "local7").storedOnly(PROCESS),
            string("syslog-ident", "redis", false).storedOnly(PROCESS),
            // Stored only: MODULES.
            choice("enable-module-command", "no", false, "no", "yes", "local").storedOnly(MODULES),
            // The cron (ServerCron): the active expiry cycle's effort, hz raised with the number of clients.
            integer("active-expire-effort", 1, 1, 10, true),
            bool("dynamic-hz", true, true),
            // The append-only file (persistence/AppendOnlyFile, AofRewrite): history kept, #TS: lines, fsync paused.
            bool("aof-disable-auto-gc", false, true),
            bool("aof-timestamp-enabled", false, true),
            bool("no-appendfsync-on-rewrite", false, true),
            // DUMP and DEBUG OBJECT (persistence/RdbWriter.compressedNode); in memory a list stays one uncompressed array.
            integer("list-compress-depth", 0, 0, INT_MAX, true),
            // RESTORE and RDB loading (persistence/RdbReader): deep checks of listpacks and intsets.
            choice("sanitize-dump-payload", "no", true, "no", "yes", "clients"),
            // Lazy freeing (util/LazyFree): which deletions hand big values to the lazyfree thread; server-del: the values
            // a write replaces or deletes as a side effect (Keyspace.onValueDropped).
            bool("lazyfree-lazy-eviction", false, true),
            bool("lazyfree-lazy-expire", false, true),
            bool("lazyfree-lazy-server-del", false, true),
            bool("lazyfree-lazy-user-del", false, true),
            bool("lazyfree-lazy-user-flush", false, true),
            // Accepted TCP connections (network/RedisServer.keepAlive).
            integer("tcp-keepalive", 300, 0, INT_MAX, true),
            // Test hooks of saving and loading (persistence/Snapshot.debugDelay): a sleep per key.
            integer("key-load-delay", 0, INT_MIN, INT_MAX, true).with(HIDDEN),
            integer("rdb-key-save-delay", 0, INT_MIN, INT_MAX, true).with(HIDDEN),
            // How often a replica's load of its master's RDB updates INFO's loading_loaded_bytes (persistence/StartupLoader).
            integer("loading-process-events-interval-bytes", 2097152, 1024, INT_MAX, true).with(HIDDEN));

    /** By canonical name, in the table's order. */
    private final Map<String, ConfigParameter> parameters = new LinkedHashMap<>();
    /** By every name Redis answers to (canonical names and aliases), lower case. */
    private final Map<String, ConfigParameter> byName = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Long> numbers = new LinkedHashMap<>();
    /** client-output-buffer-limit parsed, as every command's reply is checked against it. */
    private volatile OutputBufferLimit normalOutputLimit;
    private volatile OutputBufferLimit pubsubOutputLimit;
    private volatile OutputBufferLimit replicaOutputLimit;
    /** Read by every connection at every read, outside the execution lock: kept out of the maps. */
    private volatile long clientQueryBufferLimit;
    private volatile long protoMaxBulkLength;
    private final List<CommandRenames.Rename> commandRenames = new ArrayList<>();
    /** The {@code user} directives of the config file, for the ACL to apply at start-up. */
    private final List<List<String>> userDirectives = new ArrayList<>();
    private Path file;

    public ServerConfig() {
        for (ConfigParameter parameter : PARAMETERS) {
            parameters.put(parameter.name(), parameter);
            byName.put(parameter.name(), parameter);
            if (parameter.alias() != null) {
                byName.put(parameter.alias(), parameter);
            }
            store(parameter, parameter.defaultValue());
        }
    }

    /**
     * Parses {@code redis-server}-style arguments: an optional config file first, then {@code --name value...}.
     *
     * @throws IllegalArgumentException with a message naming the bad directive
     */
    public static ServerConfig fromArguments(String... args) throws IOException {
        ServerConfig config = new ServerConfig();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            config.file = Path.of(args[0]).toAbsolutePath();
            config.load(Files.readAllLines(config.file));
            i = 1;
        }
        while (i < args.length) {
            String arg = args[i++];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("Invalid argument '" + arg + "': expected --name value");
            }
            List<String> words = new ArrayList<>();
            while (i < args.length && !args[i].startsWith("--")) {
                words.add(args[i++]);
            }
            config.setAtStartup(arg.substring(2), String.join(" ", words));
        }
        return config;
    }

    /**
     * Reads {@code name value...} lines, words split and unquoted as Redis's {@code sdssplitargs} does; blank lines
     * and lines starting with {@code #} are ignored. As in redis.conf, several {@code save} lines add up
     * ({@code save 3600 1} then {@code save 300 100}).
     */
    public void load(List<String> lines) {
        boolean saveSeen = false;
        for (int n = 0; n < lines.size(); n++) {
            String trimmed = lines.get(n).strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String where = "at line " + (n + 1) + " >>> '" + trimmed + "'";
            List<String> words = ConfigFile.splitArgs(trimmed);
            if (words == null) {
                throw new IllegalArgumentException(where + " Unbalanced quotes in configuration line");
            }
            String name = words.get(0).toLowerCase(Locale.ROOT);
            List<String> rest = words.subList(1, words.size());
            if (name.equals("rename-command")) { // not a parameter: applied to the command table
                commandRenames.add(CommandRenames.parse(trimmed.split("\\s+", 2).length > 1
                        ? trimmed.split("\\s+", 2)[1] : "", where));
                continue;
            }
            if (name.equals("user")) {
                userDirectives.add(List.copyOf(rest));
                continue;
            }
            String value = String.join(" ", rest);
            if (name.equals("save")) {
                if (saveSeen && !value.isBlank() && !get("save").isEmpty()) {
                    value = get("save") + " " + value;
                }
                saveSeen = true;
            }
            ConfigParameter parameter = byName.get(name);
            if (parameter != null && rest.size() != 1 && !parameter.multiWord()) {
                throw new IllegalArgumentException(where + " wrong number of arguments");
            }
            try {
                setAtStartup(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " " + e.getMessage());
            }
        }
    }

    /** A start-up directive: any known parameter, mutable or not. */
    private void setAtStartup(String name, String value) {
        if (name.equalsIgnoreCase("rename-command")) {
            commandRenames.add(CommandRenames.fromCommandLine(value));
            return;
        }
        ConfigParameter parameter = parameter(name);
        if (parameter == null) {
            throw new IllegalArgumentException("Bad directive or wrong number of arguments: " + name);
        }
        store(parameter, canonicalFor(parameter, value));
    }

    /** The parameter named {@code name} (any case, canonical name or alias), or {@code null}. */
    public ConfigParameter parameter(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every parameter once, by its canonical name. */
    public List<ConfigParameter> parameters() {
        return List.copyOf(parameters.values());
    }

    /** Every name CONFIG GET may list, aliases included, each with its parameter. */
    public Map<String, ConfigParameter> names() {
        return Collections.unmodifiableMap(byName);
    }

    /**
     * CONFIG SET of one parameter (canonical name or alias); the caller has checked that it exists and is mutable.
     *
     * @throws IllegalArgumentException with Redis's reason when the value is not acceptable
     */
    public void set(String name, String value) {
        ConfigParameter parameter = parameter(name);
        String canonical = canonicalFor(parameter, value);
        if (parameter.name().equals("hz")) {
            canonical = Long.toString(Math.clamp(Long.parseLong(canonical), 1, 500)); // Redis clamps hz to 1..500
        }
        if (parameter.name().equals("dir") && !Files.isDirectory(Path.of(canonical))) {
            throw new IllegalArgumentException("No such file or directory");
        }
        store(parameter, canonical);
    }

    /** client-output-buffer-limit changes only the classes it names, as in Redis; see {@link OutputBufferLimit}. */
    private String canonicalFor(ConfigParameter parameter, String value) {
        if (parameter.name().equals("client-output-buffer-limit")) {
            return OutputBufferLimit.merged(values.getOrDefault(parameter.name(), parameter.defaultValue()), value);
        }
        return parameter.canonical(value);
    }

    private void store(ConfigParameter parameter, String canonical) {
        values.put(parameter.name(), canonical);
        switch (parameter.kind()) {
            case INTEGER, MEMORY -> numbers.put(parameter.name(), new BigInteger(canonical).min(BIG_LONG_MAX).longValue());
            case MEMORY_PERCENT -> numbers.put(parameter.name(), canonical.endsWith("%")
                    ? -Long.parseLong(canonical.substring(0, canonical.length() - 1)) : Long.parseLong(canonical));
            default -> { }
        }
        switch (parameter.name()) { // the settings read on hot paths, kept parsed
            case "client-query-buffer-limit" -> clientQueryBufferLimit = Long.parseLong(canonical);
            case "proto-max-bulk-len" -> protoMaxBulkLength = Long.parseLong(canonical);
            case "client-output-buffer-limit" -> {
                normalOutputLimit = OutputBufferLimit.of(canonical, "normal");
                pubsubOutputLimit = OutputBufferLimit.of(canonical, "pubsub");
                replicaOutputLimit = OutputBufferLimit.of(canonical, "slave");
            }
            default -> { }
        }
    }

    private static final BigInteger BIG_LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** The {@code client-output-buffer-limit} of subscribed clients ({@code pubsub}) or of the others ({@code normal}). */
    public OutputBufferLimit outputBufferLimit(boolean subscribed) {
        return subscribed ? pubsubOutputLimit : normalOutputLimit;
    }

    /** The {@code client-output-buffer-limit} of the {@code replica} class: the stream a master sends a replica. */
    public OutputBufferLimit replicaOutputBufferLimit() {
        return replicaOutputLimit;
    }

    /** {@code client-query-buffer-limit}: the most a client may send before its commands are complete. */
    public long clientQueryBufferLimit() {
        return clientQueryBufferLimit;
    }

    /** {@code proto-max-bulk-len}: the longest bulk string a request may carry. */
    public long protoMaxBulkLength() {
        return protoMaxBulkLength;
    }

    /** The canonical value of {@code name} (canonical name or alias), or {@code null} for an unknown name. */
    public String get(String name) {
        ConfigParameter parameter = parameter(name);
        return parameter == null ? null : values.get(parameter.name());
    }

    /** A numeric parameter's value, without parsing (a value past a long reads as Long.MAX_VALUE). */
    public long number(String name) {
        return numbers.get(name);
    }

    public boolean flag(String name) {
        return "yes".equals(values.get(name));
    }

    public int port() {
        return (int) number("port");
    }

    /** The addresses to listen on; Redis's {@code -} prefix marks an address that may be unavailable. */
    public List<String> bindAddresses() {
        return List.of(get("bind").trim().split("\\s+"));
    }

    /** The {@code rename-command} directives, in the order given; see {@link CommandRenames}. */
    public List<CommandRenames.Rename> commandRenames() {
        return List.copyOf(commandRenames);
    }

    /** The config file's {@code user name rule...} directives, each as its words after {@code user}. */
    public List<List<String>> userDirectives() {
        return List.copyOf(userDirectives);
    }

    /** The config file the server was started with, or {@code null}. */
    public Path file() {
        return file;
    }

    /**
     * CONFIG REWRITE, as Redis's {@code rewriteConfig}: see {@link ConfigFile}. {@code users} are the ACL's
     * {@code user} lines, which Redis writes back too.
     */
    public void rewrite(List<String> users) throws IOException {
        String old = Files.exists(file) ? Files.readString(file) : "";
        String content = ConfigFile.rewrite(old, this, users);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
