// CONFIG GET/SET/RESETSTAT/REWRITE: the running server's configuration, by Redis's names.
package io.port6379.server.commands;

import io.port6379.server.security.Acl;
import io.port6379.server.security.Authentication;
import io.port6379.server.util.Log;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.config.ConfigParameter;
import io.port6379.server.util.Glob;
import io.port6379.server.util.Replies;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.QuicklistOptions;
import io.port6379.protocol.RespWriter;
import io.port6379.server.persistence.AppendOnlyFile;
import io.port6379.server.replication.Replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The CONFIG container command. The parameters themselves are described in {@link ServerConfig}. */
public final class ConfigCommands {

    private ConfigCommands() {
    }

    // tag::get[]
    /**
     * CONFIG GET pattern [pattern ...] — name/value pairs of every parameter matching one of the globs, each once.
     * As in Redis, a name without glob characters is looked up directly (and answered as it was typed, hidden
     * parameters included), while a glob matches canonical names and aliases alike, without case.
     */
    static void get(Client client, byte[][] args, RespWriter reply) {
        ServerConfig config = client.server().config();
        Map<String, String> matches = new LinkedHashMap<>(); // lower-case name -> the name as answered
        for (int i = 2; i < args.length; i++) {
            String pattern = Args.text(args[i]);
            if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[")) {
                if (config.parameter(pattern) != null) {
                    matches.putIfAbsent(pattern.toLowerCase(Locale.ROOT), pattern);
                }
                continue;
            }
            config.names().forEach((name, parameter) -> {
                if (!parameter.is(ConfigParameter.Flag.HIDDEN) && Glob.matches(pattern, name)) {
                    matches.putIfAbsent(name, name);
                }
            });
        }
        reply.mapHeader(matches.size());
        matches.values().forEach(name -> reply.bulkString(name).bulkString(config.get(name)));
    }
    // end::get[]

    /**
     * CONFIG SET name value [name value ...] — all or nothing, as Redis 7's {@code configSetCommand}: first every
     * name is checked (unknown, immutable, protected, repeated; the first problem is the one reported), then the
     * values are set one by one, and one bad value puts back every parameter already set.
     */
    static void set(Client client, byte[][] args, RespWriter reply) {
        if (args.length % 2 != 0) {
            throw Args.syntaxError();
        }
        ServerConfig config = client.server().config();
        byte[][] values = args.clone(); // as sent: args itself is what SLOWLOG shows, passwords redacted below
        for (int i = 2; i < args.length; i += 2) { // every pair, even past a refused one, as Redis's configSetCommand
            ConfigParameter parameter = config.parameter(Args.text(args[i]));
            if (parameter != null && parameter.is(ConfigParameter.Flag.SENSITIVE)) {
                Authentication.redact(args, i + 1, i + 1);
            }
        }
        Map<String, String> changes = new LinkedHashMap<>();
        List<String> given = new ArrayList<>();
        RedisException refusal = null;
        for (int i = 2; i < args.length && refusal == null; i += 2) {
            String name = Args.text(args[i]);
            ConfigParameter parameter = config.parameter(name);
            if (parameter == null) {
                refusal = new RedisException("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            } else if (!parameter.mutable()) {
                refusal = failed(name, "can't set immutable config");
            } else if (parameter.is(ConfigParameter.Flag.PROTECTED) && !protectedConfigsAllowed(client)) {
                refusal = failed(name, "can't set protected config");
            } else if (given.contains(name.toLowerCase(Locale.ROOT))) {
                refusal = failed(name, "duplicate parameter");
            } else {
                given.add(name.toLowerCase(Locale.ROOT));
                changes.put(name.toLowerCase(Locale.ROOT), Args.text(values[i + 1]));
            }
        }
        if (refusal != null) {
            throw refusal;
        }
        Map<String, String> previous = new LinkedHashMap<>();
        changes.keySet().forEach(name -> previous.putIfAbsent(config.parameter(name).name(), config.get(name)));
        for (Map.Entry<String, String> change : changes.entrySet()) {
            try {
                config.set(change.getKey(), change.getValue());
            } catch (IllegalArgumentException e) {
                previous.forEach(config::set);
                throw failed(change.getKey(), e.getMessage());
            }
        }
        Set<String> changed = new HashSet<>();
        changes.keySet().forEach(name -> changed.add(config.parameter(name).name()));
        String tlsSetting = changed.stream().filter(n -> n.startsWith("tls-") && !n.equals("tls-port"))
                .findFirst().orElse(null);
        if (tlsSetting != null) {
            reconfigureTls(client.server(), tlsSetting, previous);
        }
        if (changed.contains("port") || changed.contains("bind") || changed.contains("tls-port")) {
            rebind(client.server(), changed, previous);
        }
        apply(client.server());
        if (changed.contains("acllog-max-len")) {
            Acl.of(client.server()).log().maxLength(config.number("acllog-max-len"));
        }
        if (changed.contains("requirepass")) { // requirepass is the default user's password, as in Redis
            Acl.of(client.server()).requirepass(config.get("requirepass"));
        }
        if (changed.contains("notify-keyspace-events")) {
            // the letters as given, not as CONFIG GET shows them: "An" reads back as "A" but keeps new-key events
            client.server().keyspaceEvents().configure(lastValue(changes, config, "notify-keyspace-events"));
        }
        if (changed.contains("aof-disable-auto-gc")) {
            AppendOnlyFile.autoGcChanged(client.server());
        }
        if (changed.contains("appendonly")) {
            AppendOnlyFile.configSet(client.server()); // yes: a rewrite creates the files; no: closes them
        }
        if (changed.contains("repl-backlog-size")) {
            Replication.of(client.server()).backlogSizeChanged(); // the ring resized at once, as Redis's resizeReplicationBacklog
        }
        Replies.ok(reply);
    }

    /** The value given for {@code parameter} under whichever of its names came last. */
    private static String lastValue(Map<String, String> changes, ServerConfig config, String parameter) {
        String value = null;
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (config.parameter(change.getKey()).name().equals(parameter)) {
                value = change.getValue();
            }
        }
        return value;
    }

    /**
     * CONFIG SET port/bind: the server stops listening where it did and listens where the configuration now says;
     * open connections stay. When that fails, the old values come back and so do the old listeners, with Redis's
     * error for the parameter.
     */
    private static void rebind(ServerContext server, Set<String> changes, Map<String, String> previous) {
        try {
            server.rebind();
        } catch (java.io.IOException e) {
            Log.log("#", "Failed to listen with the new port/bind: " + e.getMessage());
            previous.forEach(server.config()::set);
            try {
                server.rebind();
            } catch (java.io.IOException again) {
                Log.log("#", "Failed to listen again on the previous port/bind: " + again.getMessage());
            }
            throw changes.contains("bind")
                    ? failed("bind", "Failed to bind to specified addresses.")
                    : failed("port", "Unable to listen on this port. Check server logs.");
        }
    }

    /**
     * CONFIG SET tls-*: new connections get a TLS set-up built from the new values (certificates read again
     * from their files, even when only their content changed); the open connections keep theirs. A set-up that
     * cannot be built puts the old values back, with Redis's error.
     */
    private static void reconfigureTls(ServerContext server, String name, Map<String, String> previous) {
        try {
            server.reconfigureTls();
        } catch (java.io.IOException e) {
            previous.forEach(server.config()::set);
            throw failed(name, "Unable to update TLS configuration. Check server logs.");
        }
    }

    private static boolean protectedConfigsAllowed(Client client) {
        String allowed = client.server().config().get("enable-protected-configs");
        return allowed.equals("yes") || (allowed.equals("local") && ServerCommands.isLocal(client));
    }

    private static RedisException failed(String name, String reason) {
        return new RedisException("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason);
    }

    /** Hands the values read on every command to the components that use them, so they need no lookup by name. */
    public static void apply(ServerContext server) {
        ServerConfig config = server.config();
        server.slowLog().configure(config.number("slowlog-log-slower-than"), config.number("slowlog-max-len"));
        server.latency().threshold(config.number("latency-monitor-threshold"));
        server.databases().limits(new EncodingLimits(config.number("proto-max-bulk-len"),
                clampToInt(config.number("hash-max-listpack-entries")), clampToInt(config.number("hash-max-listpack-value")),
                clampToInt(config.number("zset-max-listpack-entries")), clampToInt(config.number("zset-max-listpack-value")),
                clampToInt(config.number("set-max-intset-entries")), config.number("hll-sparse-max-bytes"),
                new QuicklistOptions((int) config.number("list-max-listpack-size"), clampToInt(config.number("list-compress-depth")))));
        server.stats().latencyTracking = config.flag("latency-tracking");
        server.hz((int) config.number("hz")); // Redis's updateHZ: dynamic-hz adapts it again at the next cron round
        server.keyspaceEvents().configure(config.get("notify-keyspace-events"));
        if (server.memory() != null) {
            server.memory().configure();
        }
    }

    /** The limits accept up to LONG_MAX, as Redis's; a hash or set can never hold more than an int's worth anyway. */
    private static int clampToInt(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    static void resetstat(Client client, byte[][] args, RespWriter reply) {
        client.server().stats().reset();
        client.server().slowLog().reset();
        client.server().lazyFree().resetFreed();
        Replies.ok(reply);
    }

    static void rewrite(Client client, byte[][] args, RespWriter reply) {
        ServerConfig config = client.server().config();
        if (config.file() == null) {
            throw new RedisException("ERR The server is running without a config file");
        }
        try {
            // With an aclfile the users live there, and the file's user lines are dropped, as Redis does.
            List<String> users = config.get("aclfile").isEmpty() ? Acl.of(client.server()).userDirectives() : List.of();
            config.rewrite(users);
        } catch (IOException e) {
            throw new RedisException("ERR Rewriting config file: " + e.getMessage());
        }
        Log.log("*", "CONFIG REWRITE executed with success.");
        Replies.ok(reply);
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("config|get", ConfigCommands::get);
        table.handle("config|set", ConfigCommands::set);
        table.handle("config|resetstat", ConfigCommands::resetstat);
        table.handle("config|rewrite", ConfigCommands::rewrite);
        table.handle("config|help", ConfigCommands::help);
    }
}
