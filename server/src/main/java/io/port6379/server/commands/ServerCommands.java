// The server family: INFO, TIME, DBSIZE, FLUSHDB/FLUSHALL, MONITOR, SLOWLOG, LATENCY, DEBUG and SHUTDOWN.
package io.port6379.server.commands;

import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.transactions.WatchedKeys;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.CommandTable;
import io.port6379.server.stats.LatencyMonitor;
import io.port6379.server.util.Replies;
import io.port6379.server.stats.SlowLog;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.protocol.RespWriter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.port6379.server.AclCategory.DANGEROUS;
import static io.port6379.server.AclCategory.KEYSPACE;
import static io.port6379.server.CommandFlag.ADMIN;
import static io.port6379.server.CommandFlag.FAST;
import static io.port6379.server.CommandFlag.LOADING;
import static io.port6379.server.CommandFlag.NOSCRIPT;
import static io.port6379.server.CommandFlag.NO_MULTI;
import static io.port6379.server.CommandFlag.READONLY;
import static io.port6379.server.CommandFlag.STALE;
import static io.port6379.server.CommandFlag.WRITE;

/** Commands about the server as a whole rather than about one key or one connection. */
public final class ServerCommands {

    private ServerCommands() {
    }

    public static void registerAll(CommandTable table) {
        table.register(Command.named("info", -1).flags(LOADING, STALE).acl(DANGEROUS)
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .doc("Get information and statistics about the server", "1.0.0", "server", "O(1)").handler(ServerCommands::info));
        table.register(Command.named("time", 1).flags(LOADING, STALE, FAST).tips("nondeterministic_output")
                .doc("Return the current server time", "2.6.0", "server", "O(1)").handler(ServerCommands::time));
        table.register(Command.named("dbsize", 1).flags(READONLY, FAST).acl(KEYSPACE)
                .tips("request_policy:all_shards", "response_policy:agg_sum")
                .doc("Return the number of keys in the selected database", "1.0.0", "server", "O(1)").handler(ServerCommands::dbsize));
        table.register(Command.named("flushdb", -1).flags(WRITE).acl(KEYSPACE, DANGEROUS)
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("Remove all keys from the current database", "1.0.0", "server",
                        "O(N) where N is the number of keys in the selected database").handler(ServerCommands::flushdb));
        table.register(Command.named("flushall", -1).flags(WRITE).acl(KEYSPACE, DANGEROUS)
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("Remove all keys from all databases", "1.0.0", "server",
                        "O(N) where N is the total number of keys in all databases").handler(ServerCommands::flushall));
        table.register(Command.named("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .doc("Listen for all requests received by the server in real time", "1.0.0", "server", "")
                .handler(ServerCommands::monitor));
        table.register(Command.named("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, CommandFlag.ALLOW_BUSY)
                .doc("Synchronously save the dataset to disk and then shut down the server", "1.0.0", "server",
                        "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
                .handler(ServerCommands::shutdown));
        table.register(Command.named("debug", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .doc("A container for debugging commands", "1.0.0", "server", "Depends on subcommand.")
                .handler(ServerCommands::debug));
        table.register(Command.named("slowlog", -2).doc("A container for slow log commands", "2.2.12", "server", "Depends on subcommand.")
                .subcommands(
                        Command.named("slowlog|get", -2).flags(ADMIN, LOADING, STALE)
                                .tips("request_policy:all_nodes", "nondeterministic_output")
                                .doc("Get the slow log's entries", "2.2.12", "server", "O(N) where N is the number of entries returned")
                                .handler(ServerCommands::slowlogGet),
                        Command.named("slowlog|len", 2).flags(ADMIN, LOADING, STALE)
                                .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output")
                                .doc("Get the slow log's length", "2.2.12", "server", "O(1)")
                                .handler((client, args, reply) -> reply.integer(client.server().slowLog().length())),
                        Command.named("slowlog|reset", 2).flags(ADMIN, LOADING, STALE)
                                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                                .doc("Clear all entries from the slow log", "2.2.12", "server", "O(N) where N is the number of entries in the slowlog")
                                .handler((client, args, reply) -> {
                                    client.server().slowLog().reset();
                                    Replies.ok(reply);
                                }),
                        Command.named("slowlog|help", 2).flags(LOADING, STALE)
                                .doc("Show helpful text about the different subcommands", "6.2.0", "server", "O(1)")
                                .handler(ServerCommands::slowlogHelp)));
        table.register(Command.named("latency", -2).doc("A container for latency diagnostics commands", "2.8.13", "server", "Depends on subcommand.")
                .subcommands(
                        Command.named("latency|latest", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                                .doc("Return the latest latency samples for all events.", "2.8.13", "server", "O(1)")
                                .handler(ServerCommands::latencyLatest),
                        Command.named("latency|reset", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                                .tips("request_policy:all_nodes", "response_policy:agg_sum")
                                .doc("Reset latency data for one or more events.", "2.8.13", "server", "O(1)")
                                .handler(ServerCommands::latencyReset),
                        Command.named("latency|help", 2).flags(LOADING, STALE)
                                .doc("Show helpful text about the different subcommands.", "2.8.13", "server", "O(1)")
                                .handler(ServerCommands::latencyHelp)));
    }

    /** INFO [section ...] — see {@link Info}. */
    static void info(Client client, byte[][] args, RespWriter reply) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sections.add(Args.text(args[i]));
        }
        Replies.verbatim(reply, Info.render(client.server(), sections));
    }

    /** TIME — Unix seconds and microseconds, both as bulk strings. */
    static void time(Client client, byte[][] args, RespWriter reply) {
        Instant now = Instant.now();
        reply.arrayHeader(2);
        reply.bulkString(RedisNumbers.formatLong(now.getEpochSecond()));
        reply.bulkString(RedisNumbers.formatLong(now.getNano() / 1000));
    }

    static void dbsize(Client client, byte[][] args, RespWriter reply) {
        reply.integer(client.db().size());
    }

    /** FLUSHDB [ASYNC|SYNC]: both are immediate here; the garbage collector frees the memory in the background. */
    static void flushdb(Client client, byte[][] args, RespWriter reply) {
        checkFlushMode(args);
        WatchedKeys.of(client.server()).emptied(client.dbIndex(), null);
        long removed = client.db().size();
        client.db().clear();
        client.server().keyspaceEvents().dirty(removed); // one change per key; no keyspace event, as in Redis
        Replies.ok(reply);
    }

    static void flushall(Client client, byte[][] args, RespWriter reply) {
        checkFlushMode(args);
        for (int db = 0; db < client.server().databases().count(); db++) {
            WatchedKeys.of(client.server()).emptied(db, null);
        }
        long removed = client.server().databases().totalKeys();
        client.server().databases().flushAll();
        client.server().keyspaceEvents().dirty(removed);
        RdbSaver.of(client.server()).flushedAll(); // as Redis: the old data must not come back from a dump
        Replies.ok(reply);
    }

    private static void checkFlushMode(byte[][] args) {
        if (args.length > 2 || (args.length == 2 && !Args.is(args[1], "async") && !Args.is(args[1], "sync"))) {
            throw Args.syntaxError();
        }
    }

    /** MONITOR — +OK, then every command the server runs, as pushed status lines (see {@link Dispatcher}). */
    static void monitor(Client client, byte[][] args, RespWriter reply) {
        if (!client.isMonitor()) {
            client.server().addMonitor(client);
        }
        Replies.ok(reply);
    }

    // tag::shutdown[]
    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. On success nothing is replied: the server goes away.
     * There is no shutdown in progress to ABORT, because ours never waits for replicas.
     */
    static void shutdown(Client client, byte[][] args, RespWriter reply) {
        Boolean save = null;
        boolean abort = false;
        boolean other = false;
        for (int i = 1; i < args.length; i++) {
            if (Args.is(args[i], "nosave")) {
                save = Boolean.FALSE;
            } else if (Args.is(args[i], "save")) {
                save = Boolean.TRUE;
            } else if (Args.is(args[i], "now") || Args.is(args[i], "force")) {
                other = true;
            } else if (Args.is(args[i], "abort")) {
                abort = true;
            } else {
                throw Args.syntaxError();
            }
        }
        if (abort) {
            if (save != null || other) {
                throw Args.syntaxError();
            }
            throw new RedisException("ERR No shutdown in progress.");
        }
        if (!client.server().requestShutdown(save)) {
            throw new RedisException("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        client.closeAfterReply();
    }
    // end::shutdown[]

    /**
     * DEBUG SLEEP seconds (blocks the whole server, on purpose: it simulates a slow command) and DEBUG
     * SET-ACTIVE-EXPIRE 0|1. Refused unless {@code enable-debug-command} allows it, as Redis 7 does.
     */
    static void debug(Client client, byte[][] args, RespWriter reply) {
        String allowed = client.server().config().get("enable-debug-command");
        if (allowed.equals("no") || (allowed.equals("local") && !isLocal(client))) {
            throw new RedisException("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                    + "you can run it from a local connection, otherwise you need to set this option in the configuration file, "
                    + "and then restart the server.");
        }
        if (Args.is(args[1], "sleep") && args.length == 3) {
            double seconds = RedisNumbers.parseDouble(args[2]);
            try {
                Thread.sleep((long) (seconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Replies.ok(reply);
        } else if (Args.is(args[1], "set-active-expire") && args.length == 3) {
            client.server().activeExpire(Args.parseLong(args[2]) != 0);
            Replies.ok(reply);
        } else if (Args.is(args[1], "help")) {
            Replies.help(reply, "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "SET-ACTIVE-EXPIRE <0|1>",
                    "    Setting it to 0 disables expiring keys in background when they are not",
                    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                    "    default.",
                    "SLEEP <seconds>",
                    "    Stop the server for <seconds>. Decimals allowed.");
        } else {
            throw new RedisException("ERR unknown subcommand '" + Args.text(args[1]) + "'. Try DEBUG HELP.");
        }
    }

    /** Whether the client connected over the loopback interface ({@code local} in enable-debug-command). */
    static boolean isLocal(Client client) {
        return client.address().startsWith("127.") || client.address().startsWith("0:0:0:0:0:0:0:1");
    }

    // tag::slowlog[]
    /** SLOWLOG GET [count] — newest first: id, Unix time, microseconds, arguments, client address, client name. */
    static void slowlogGet(Client client, byte[][] args, RespWriter reply) {
        long count = 10;
        if (args.length == 3) {
            count = RedisNumbers.isLong(args[2]) ? Args.parseLong(args[2]) : -2;
            if (count < -1) {
                throw new RedisException("ERR count should be greater than or equal to -1");
            }
        } else if (args.length > 3) {
            throw new RedisException("ERR wrong number of arguments for 'slowlog|get' command");
        }
        List<SlowLog.Entry> entries = client.server().slowLog().newest(count);
        reply.arrayHeader(entries.size());
        for (SlowLog.Entry entry : entries) {
            reply.arrayHeader(6);
            reply.integer(entry.id()).integer(entry.unixSeconds()).integer(entry.micros());
            reply.arrayHeader(entry.args().size());
            entry.args().forEach(reply::bulkString);
            reply.bulkString(entry.peer()).bulkString(entry.clientName());
        }
    }
    // end::slowlog[]

    static void slowlogHelp(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }

    /** LATENCY LATEST — per event: name, Unix time of the latest spike, its milliseconds, the worst milliseconds. */
    static void latencyLatest(Client client, byte[][] args, RespWriter reply) {
        LatencyMonitor latency = client.server().latency();
        reply.arrayHeader(latency.size());
        for (LatencyMonitor.Event event : latency.latest()) {
            reply.arrayHeader(4);
            reply.bulkString(event.name()).integer(event.latestUnixSeconds()).integer(event.latestMillis()).integer(event.maxMillis());
        }
    }

    static void latencyReset(Client client, byte[][] args, RespWriter reply) {
        LatencyMonitor latency = client.server().latency();
        if (args.length == 2) {
            reply.integer(latency.resetAll());
        } else {
            List<String> names = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                names.add(Args.text(args[i]));
            }
            reply.integer(latency.reset(names));
        }
    }

    static void latencyHelp(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)");
    }
}
