// CONFIG GET/SET/RESETSTAT/REWRITE: the running server's configuration, by Redis's names.
package io.port6379.server.commands;

import io.port6379.server.security.Acl;
import io.port6379.server.util.Log;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.config.ConfigParameter;
import io.port6379.server.util.Glob;
import io.port6379.server.util.Replies;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
import io.port6379.datastructures.HyperLogLog;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.Strings;
import io.port6379.protocol.RespWriter;
import io.port6379.server.persistence.AppendOnlyFile;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The CONFIG container command. The parameters themselves are described in {@link ServerConfig}. */
public final class ConfigCommands {

    /** Parameters that could turn CONFIG SET into writing files anywhere; guarded by enable-protected-configs. */
    private static final Set<String> PROTECTED = Set.of("dir", "dbfilename");

    private ConfigCommands() {
    }

    // tag::get[]
    /** CONFIG GET pattern [pattern ...] — name/value pairs of every parameter matching one of the globs. */
    static void get(Client client, byte[][] args, RespWriter reply) {
        ServerConfig config = client.server().config();
        Map<String, String> matches = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String pattern = Args.text(args[i]);
            for (ConfigParameter parameter : config.parameters()) {
                if (Glob.matches(pattern, parameter.name())) {
                    matches.put(parameter.name(), config.get(parameter.name()));
                }
            }
        }
        reply.mapHeader(matches.size());
        matches.forEach((name, value) -> reply.bulkString(name).bulkString(value));
    }
    // end::get[]

    /**
     * CONFIG SET name value [name value ...] — all or nothing, as in Redis 7: every pair is checked before
     * any is applied, so one bad value leaves the configuration as it was.
     */
    static void set(Client client, byte[][] args, RespWriter reply) {
        if (args.length % 2 != 0) {
            throw Args.syntaxError();
        }
        ServerConfig config = client.server().config();
        Map<String, String> changes = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i += 2) {
            String name = Args.text(args[i]);
            ConfigParameter parameter = config.parameter(name);
            if (parameter == null) {
                throw new RedisException("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            }
            if (changes.containsKey(parameter.name())) {
                throw failed(name, "duplicate parameter");
            }
            if (!parameter.mutable()) {
                throw failed(name, "can't set immutable config");
            }
            if (PROTECTED.contains(parameter.name()) && !protectedConfigsAllowed(client)) {
                throw failed(name, "can't set protected config");
            }
            String value = Args.text(args[i + 1]);
            try {
                parameter.canonical(value);
            } catch (IllegalArgumentException e) {
                throw failed(name, e.getMessage());
            }
            changes.put(parameter.name(), value);
        }
        Map<String, String> previous = new LinkedHashMap<>();
        changes.keySet().forEach(name -> previous.put(name, config.get(name)));
        try {
            changes.forEach(config::set);
        } catch (IllegalArgumentException e) {
            previous.forEach(config::set);
            String name = changes.keySet().stream().filter(n -> !config.get(n).equals(changes.get(n))).findFirst().orElse("");
            throw failed(name, e.getMessage());
        }
        String tlsSetting = changes.keySet().stream().filter(n -> n.startsWith("tls-") && !n.equals("tls-port"))
                .findFirst().orElse(null);
        if (tlsSetting != null) {
            reconfigureTls(client.server(), tlsSetting, previous);
        }
        if (changes.containsKey("port") || changes.containsKey("bind") || changes.containsKey("tls-port")) {
            rebind(client.server(), changes, previous);
        }
        apply(client.server());
        if (changes.containsKey("acllog-max-len")) {
            Acl.of(client.server()).log().maxLength(config.number("acllog-max-len"));
        }
        if (changes.containsKey("requirepass")) { // requirepass is the default user's password, as in Redis
            Acl.of(client.server()).requirepass(changes.get("requirepass"));
        }
        if (changes.containsKey("notify-keyspace-events")) {
            // the letters as given, not as CONFIG GET shows them: "An" reads back as "A" but keeps new-key events
            client.server().keyspaceEvents().configure(changes.get("notify-keyspace-events"));
        }
        if (changes.containsKey("appendonly")) {
            AppendOnlyFile.configSet(client.server()); // yes: a rewrite creates the files; no: closes them
        }
        Replies.ok(reply);
    }

    /**
     * CONFIG SET port/bind: the server stops listening where it did and listens where the configuration now says;
     * open connections stay. When that fails, the old values come back and so do the old listeners, with Redis's
     * error for the parameter.
     */
    private static void rebind(ServerContext server, Map<String, String> changes, Map<String, String> previous) {
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
            throw changes.containsKey("bind")
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
        Strings.maxLength(server.config().number("proto-max-bulk-len"));
        ServerConfig config = server.config();
        server.slowLog().configure(config.number("slowlog-log-slower-than"), config.number("slowlog-max-len"));
        server.latency().threshold(config.number("latency-monitor-threshold"));
        RedisSortedSet.listpackLimits(config.number("zset-max-listpack-entries"), config.number("zset-max-listpack-value"));
        RedisHash.listpackLimits(clampToInt(config.number("hash-max-listpack-entries")),
                clampToInt(config.number("hash-max-listpack-value")));
        RedisSet.intsetLimit(clampToInt(config.number("set-max-intset-entries")));
        HyperLogLog.sparseMaxBytes(config.number("hll-sparse-max-bytes"));
        server.stats().latencyTracking = config.flag("latency-tracking");
        server.keyspaceEvents().configure(config.get("notify-keyspace-events"));
    }

    /** The limits accept up to LONG_MAX, as Redis's; a hash or set can never hold more than an int's worth anyway. */
    private static int clampToInt(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    static void resetstat(Client client, byte[][] args, RespWriter reply) {
        client.server().stats().reset();
        client.server().slowLog().reset();
        Replies.ok(reply);
    }

    static void rewrite(Client client, byte[][] args, RespWriter reply) {
        ServerConfig config = client.server().config();
        if (config.file() == null) {
            throw new RedisException("ERR The server is running without a config file");
        }
        try {
            config.rewrite(config.get("aclfile").isEmpty() ? Acl.of(client.server()).userDirectives() : null);
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
