// The server's settings, read the way redis-server reads them: a redis.conf file, then --name value arguments.
package io.port6379.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.port6379.server.config.ConfigParameter.bool;
import static io.port6379.server.config.ConfigParameter.choice;
import static io.port6379.server.config.ConfigParameter.integer;
import static io.port6379.server.config.ConfigParameter.keyspaceEvents;
import static io.port6379.server.config.ConfigParameter.memory;
import static io.port6379.server.config.ConfigParameter.save;
import static io.port6379.server.config.ConfigParameter.string;

/**
 * Configuration by name, with Redis 7's names, defaults and checks. Sources, later ones winning: the
 * defaults, the file given as the first command-line argument, then {@code --name value...} arguments; at run
 * time, CONFIG SET. Values are kept in their canonical form (what CONFIG GET answers); numbers are also kept
 * parsed, because some are read on every command (the slow log threshold).
 *
 * <p>Two defaults differ from a bare {@code redis-server}: {@code bind} is {@code 127.0.0.1 -::1}, as in the
 * {@code redis.conf} Redis ships, and {@code save} is empty until persistence exists.
 *
 * <p>Not thread-safe: read and changed under the execution lock, or before the server starts.
 */
public final class ServerConfig {

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;

    // tag::parameters[]
    private static final List<ConfigParameter> PARAMETERS = List.of(
            integer("port", 6379, 0, 65535, true),
            string("bind", "127.0.0.1 -::1", true),
            bool("protected-mode", true, true),
            string("requirepass", "", true),
            integer("maxclients", 10000, 1, 4294967295L, true),
            integer("timeout", 0, 0, INT_MAX, true),
            integer("tcp-keepalive", 300, 0, INT_MAX, true),
            integer("tcp-backlog", 511, 0, INT_MAX, false),
            integer("databases", 16, 1, INT_MAX, false),
            memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, LONG_MAX),
            memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, LONG_MAX),
            string("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", true),
            integer("hz", 10, 0, INT_MAX, true),
            bool("dynamic-hz", true, true),
            integer("active-expire-effort", 1, 1, 10, true),
            save("save", ""),
            bool("appendonly", false, true),
            choice("appendfsync", "everysec", true, "everysec", "always", "no"),
            // end::parameters[]
            string("appendfilename", "appendonly.aof", false),
            string("appenddirname", "appendonlydir", false),
            bool("aof-load-truncated", true, true),
            bool("aof-use-rdb-preamble", true, true),
            integer("auto-aof-rewrite-percentage", 100, 0, INT_MAX, true),
            memory("auto-aof-rewrite-min-size", 64L * 1024 * 1024, 0, LONG_MAX),
            string("dir", Path.of("").toAbsolutePath().toString(), true),
            string("dbfilename", "dump.rdb", true),
            bool("rdbcompression", true, true),
            bool("rdbchecksum", true, true),
            choice("sanitize-dump-payload", "no", true, "no", "yes", "clients"),
            memory("maxmemory", 0, 0, LONG_MAX),
            choice("maxmemory-policy", "noeviction", true, "volatile-lru", "volatile-lfu", "volatile-random",
                    "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"),
            integer("maxmemory-samples", 5, 1, 64, true),
            integer("slowlog-log-slower-than", 10000, -1, LONG_MAX, true),
            integer("slowlog-max-len", 128, 0, LONG_MAX, true),
            integer("latency-monitor-threshold", 0, 0, LONG_MAX, true),
            bool("latency-tracking", true, true),
            string("latency-tracking-info-percentiles", "50 99 99.9", true),
            keyspaceEvents("notify-keyspace-events"),
            choice("loglevel", "notice", true, "debug", "verbose", "notice", "warning"),
            string("logfile", "", false),
            bool("daemonize", false, false),
            string("pidfile", "", false),
            choice("enable-debug-command", "no", false, "no", "yes", "local"),
            choice("enable-protected-configs", "no", false, "no", "yes", "local"),
            bool("lazyfree-lazy-user-del", false, true),
            integer("list-max-listpack-size", -2, Integer.MIN_VALUE, INT_MAX, true),
            integer("list-compress-depth", 0, 0, INT_MAX, true),
            integer("hash-max-listpack-entries", 512, 0, LONG_MAX, true),
            integer("hash-max-listpack-value", 64, 0, LONG_MAX, true),
            integer("set-max-intset-entries", 512, 0, LONG_MAX, true),
            integer("zset-max-listpack-entries", 128, 0, LONG_MAX, true),
            integer("zset-max-listpack-value", 64, 0, LONG_MAX, true),
            memory("hll-sparse-max-bytes", 3000, 0, LONG_MAX),
            // scripting: how long a script runs before other clients are answered BUSY (lua-time-limit before 7.0)
            integer("busy-reply-threshold", 5000, 0, LONG_MAX, true));

    private final Map<String, ConfigParameter> parameters = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Long> numbers = new LinkedHashMap<>();
    /** client-output-buffer-limit parsed, as every command's reply is checked against it. */
    private volatile OutputBufferLimit normalOutputLimit;
    private volatile OutputBufferLimit pubsubOutputLimit;
    /** Read by every connection at every read, outside the execution lock: kept out of the maps. */
    private volatile long clientQueryBufferLimit;
    private volatile long protoMaxBulkLength;
    private final List<CommandRenames.Rename> commandRenames = new ArrayList<>();
    private Path file;

    public ServerConfig() {
        for (ConfigParameter parameter : PARAMETERS) {
            parameters.put(parameter.name(), parameter);
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
     * Reads {@code name value...} lines; blank lines and lines starting with {@code #} are ignored. As in
     * redis.conf, several {@code save} lines add up ({@code save 3600 1} then {@code save 300 100}).
     */
    public void load(List<String> lines) {
        boolean saveSeen = false;
        for (int n = 0; n < lines.size(); n++) {
            String trimmed = lines.get(n).strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+", 2);
            if (parts[0].equalsIgnoreCase("rename-command")) { // not a parameter: applied to the command table
                commandRenames.add(CommandRenames.parse(parts.length > 1 ? parts[1] : "",
                        "at line " + (n + 1) + " >>> '" + trimmed + "'"));
                continue;
            }
            String value = parts.length > 1 ? unquote(parts[1]) : "";
            if (parts[0].equalsIgnoreCase("save")) {
                if (saveSeen && !value.isBlank() && !get("save").isEmpty()) {
                    value = get("save") + " " + value;
                }
                saveSeen = true;
            }
            try {
                setAtStartup(parts[0], value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("at line " + (n + 1) + " >>> '" + trimmed + "' " + e.getMessage());
            }
        }
    }

    /** A start-up directive: any known parameter, mutable or not. */
    private void setAtStartup(String name, String value) {
        if (name.equalsIgnoreCase("rename-command")) {
            commandRenames.add(CommandRenames.fromCommandLine(value));
            return;
        }
        ConfigParameter parameter = parameters.get(name.toLowerCase(Locale.ROOT));
        if (parameter == null) {
            throw new IllegalArgumentException("Bad directive or wrong number of arguments: " + name);
        }
        store(parameter, canonicalFor(parameter, value));
    }

    /** The parameter named {@code name} (any case), or {@code null}. */
    public ConfigParameter parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    public List<ConfigParameter> parameters() {
        return List.copyOf(parameters.values());
    }

    /**
     * CONFIG SET of one parameter; the caller has checked that it exists and is mutable.
     *
     * @throws IllegalArgumentException with Redis's reason when the value is not acceptable
     */
    public void set(String name, String value) {
        ConfigParameter parameter = parameter(name);
        String canonical = canonicalFor(parameter, value);
        if (parameter.name().equals("hz")) {
            canonical = Long.toString(Math.clamp(Long.parseLong(canonical), 1, 500)); // Redis clamps hz to 1..500
        }
        if (parameter.name().equals("dbfilename") && canonical.contains("/")) {
            throw new IllegalArgumentException("dbfilename can't be a path, just a filename");
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
        if (parameter.kind() == ConfigParameter.Kind.INTEGER || parameter.kind() == ConfigParameter.Kind.MEMORY) {
            numbers.put(parameter.name(), Long.parseLong(canonical));
        }
        switch (parameter.name()) { // the settings read on hot paths, kept parsed
            case "client-query-buffer-limit" -> clientQueryBufferLimit = Long.parseLong(canonical);
            case "proto-max-bulk-len" -> protoMaxBulkLength = Long.parseLong(canonical);
            case "client-output-buffer-limit" -> {
                normalOutputLimit = OutputBufferLimit.of(canonical, "normal");
                pubsubOutputLimit = OutputBufferLimit.of(canonical, "pubsub");
            }
            default -> { }
        }
    }

    /** The {@code client-output-buffer-limit} of subscribed clients ({@code pubsub}) or of the others ({@code normal}). */
    public OutputBufferLimit outputBufferLimit(boolean subscribed) {
        return subscribed ? pubsubOutputLimit : normalOutputLimit;
    }

    /** {@code client-query-buffer-limit}: the most a client may send before its commands are complete. */
    public long clientQueryBufferLimit() {
        return clientQueryBufferLimit;
    }

    /** {@code proto-max-bulk-len}: the longest bulk string a request may carry. */
    public long protoMaxBulkLength() {
        return protoMaxBulkLength;
    }

    /** The canonical value of {@code name}, or {@code null} for an unknown name. */
    public String get(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    /** A numeric parameter's value, without parsing. */
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

    /** The config file the server was started with, or {@code null}. */
    public Path file() {
        return file;
    }

    // tag::rewrite[]
    /**
     * CONFIG REWRITE: keeps the file's comments and order, writes the current value on the line of each
     * parameter the file already sets (dropping repeated lines), and appends the parameters that differ from
     * their default under Redis's {@code # Generated by CONFIG REWRITE} marker.
     */
    public void rewrite() throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> written = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                if (!trimmed.equals("# Generated by CONFIG REWRITE")) {
                    lines.add(line);
                }
                continue;
            }
            String name = trimmed.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (parameters.containsKey(name) && !written.contains(name)) {
                lines.add(directive(name));
                written.add(name);
            } else if (!parameters.containsKey(name)) {
                lines.add(line);
            }
        }
        boolean marked = false;
        for (ConfigParameter parameter : parameters.values()) {
            String name = parameter.name();
            if (!written.contains(name) && !values.get(name).equals(parameter.defaultValue())) {
                if (!marked) {
                    lines.add("# Generated by CONFIG REWRITE");
                    marked = true;
                }
                lines.add(directive(name));
            }
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, lines);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
    // end::rewrite[]

    private String directive(String name) {
        String value = values.get(name);
        boolean needsQuotes = value.isEmpty() || (parameters.get(name).kind() == ConfigParameter.Kind.STRING
                && !name.equals("bind") && !name.equals("client-output-buffer-limit") && value.matches(".*\\s.*"));
        return name + " " + (needsQuotes ? "\"" + value + "\"" : value);
    }

    private static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
