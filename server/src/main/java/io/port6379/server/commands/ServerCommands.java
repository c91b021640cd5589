// The server family: INFO, TIME, DBSIZE, FLUSHDB/FLUSHALL, MONITOR, SLOWLOG, LATENCY and SHUTDOWN.
package io.port6379.server.commands;

import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.tracking.Tracking;
import io.port6379.server.replication.Replication;
import io.port6379.server.transactions.WatchedKeys;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
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

/** Commands about the server as a whole rather than about one key or one connection. */
public final class ServerCommands {

    private ServerCommands() {
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

    /**
     * FLUSHDB [ASYNC|SYNC]: the keys are gone at once either way. ASYNC, or no mode with
     * {@code lazyfree-lazy-user-flush}, counts them as lazily freed, as Redis's {@code emptyDbAsync}.
     */
    static void flushdb(Client client, byte[][] args, RespWriter reply) {
        boolean lazy = flushIsAsync(client, args);
        WatchedKeys.of(client.server()).emptied(client.dbIndex(), null);
        long removed = client.db().size();
        client.db().clear();
        if (lazy) {
            client.server().lazyFree().emptied(removed);
        }
        Tracking.flushed(client.server()); // every client-side cache is emptied
        client.server().keyspaceEvents().dirty(removed); // one change per key; no keyspace event, as in Redis
        Replies.ok(reply);
    }

    static void flushall(Client client, byte[][] args, RespWriter reply) {
        boolean lazy = flushIsAsync(client, args);
        for (int db = 0; db < client.server().databases().count(); db++) {
            WatchedKeys.of(client.server()).emptied(db, null);
        }
        long removed = client.server().databases().totalKeys();
        client.server().databases().flushAll();
        if (lazy) {
            client.server().lazyFree().emptied(removed);
        }
        Tracking.flushed(client.server());
        client.server().keyspaceEvents().dirty(removed);
        RdbSaver.of(client.server()).flushedAll(); // as Redis: the old data must not come back from a dump
        Replies.ok(reply);
    }

    /** ASYNC, SYNC, or neither: then {@code lazyfree-lazy-user-flush} decides, as Redis's getFlushCommandFlags. */
    private static boolean flushIsAsync(Client client, byte[][] args) {
        if (args.length > 2 || (args.length == 2 && !Args.is(args[1], "async") && !Args.is(args[1], "sync"))) {
            throw Args.syntaxError();
        }
        return args.length == 2 ? Args.is(args[1], "async") : client.server().config().flag("lazyfree-lazy-user-flush");
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
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. On success nothing is replied: the server goes away. Without NOW
     * a master first waits up to {@code shutdown-timeout} seconds for its replicas to acknowledge the whole stream;
     * SHUTDOWN ABORT from another client ends that wait.
     */
    static void shutdown(Client client, byte[][] args, RespWriter reply) {
        Boolean save = null;
        boolean abort = false;
        boolean other = false;
        boolean now = false;
        for (int i = 1; i < args.length; i++) {
            if (Args.is(args[i], "nosave")) {
                save = Boolean.FALSE;
            } else if (Args.is(args[i], "save")) {
                save = Boolean.TRUE;
            } else if (Args.is(args[i], "now") || Args.is(args[i], "force")) {
                other = true;
                now |= Args.is(args[i], "now");
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
            Replication replication = Replication.of(client.server());
            if (replication == null || !replication.abortShutdown()) {
                throw new RedisException("ERR No shutdown in progress.");
            }
            Replies.ok(reply);
            return;
        }
        if (save != Boolean.FALSE && client.server().busy() != null) { // only NOSAVE may end a busy script's server
            throw new RedisException(client.server().busy().error());
        }
        Replication replication = Replication.of(client.server());
        if (!now && replication != null && !replication.awaitReplicasBeforeShutdown()) {
            throw new RedisException("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        if (!client.server().requestShutdown(save)) {
            throw new RedisException("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        client.closeAfterReply();
    }
    // end::shutdown[]

    /** Whether the client connected over the loopback interface ({@code local} in enable-protected-configs). */
    static boolean isLocal(Client client) {
        return client.isLocal();
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
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.");
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("info", ServerCommands::info);
        table.handle("time", ServerCommands::time);
        table.handle("dbsize", ServerCommands::dbsize);
        table.handle("flushdb", ServerCommands::flushdb);
        table.handle("flushall", ServerCommands::flushall);
        table.handle("monitor", ServerCommands::monitor);
        table.handle("shutdown", ServerCommands::shutdown);
        table.handle("slowlog|get", ServerCommands::slowlogGet);
        table.handle("slowlog|len", (client, args, reply) -> reply.integer(client.server().slowLog().length()));
        table.handle("slowlog|reset", (client, args, reply) -> { client.server().slowLog().reset(); Replies.ok(reply); });
        table.handle("slowlog|help", ServerCommands::slowlogHelp);
        table.handle("latency|latest", ServerCommands::latencyLatest);
        table.handle("latency|reset", ServerCommands::latencyReset);
        table.handle("latency|help", ServerCommands::latencyHelp);
    }
}
