// Exercise 06: your command dispatch. It replaces the reference io.port6379.server.Dispatcher (and, with
// CommandTable.java beside it, the table it looks commands up in). Check it with `exercises/check 08`.
package io.port6379.server;

import io.port6379.server.util.Replies;
import io.port6379.server.stats.ServerStats;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;

/**
 * Runs one command the way Redis's {@code processCommand} and {@code call} do: find it (and its subcommand),
 * check the arity, run it, then count it (INFO commandstats), time it (SLOWLOG, LATENCY) and show it to
 * MONITOR clients. Errors a command raises as {@link RedisException} become its error reply.
 *
 * <p>Given: the constructor, the bookkeeping after a call (statistics, slow log, latency, MONITOR) and
 * {@code text}. What to build, in the order the tests check it:
 * <ol>
 *   <li>{@link #execute}: look the name up in {@code server.commands()} ({@link CommandTable#lookup}, any letter
 *       case); for a container command ({@code CLIENT}, {@code CONFIG}...) with a second argument, look that up
 *       in {@link CommandTable#subcommandsOf}; check {@link Command#acceptsArgumentCount}; then {@link #call}
 *       it.</li>
 *   <li>{@link #call}: {@code client.commandStarted(name, now)}, {@code command.handler().execute(client, args,
 *       reply)} (a write command reports its own changes to WATCH, keyspace notifications and the dirty
 *       counter, through {@code KeyspaceEvents}); turn a {@link RedisException} into {@code reply.error(e.getMessage())}; finally
 *       {@code bookkeeping} with the run time in microseconds.</li>
 *   <li>The errors, byte for byte as Redis 7.0: {@link #unknownCommand}; {@code ERR unknown subcommand 'nope'.
 *       Try CONFIG HELP.}; {@code ERR wrong number of arguments for 'get' command} (the name in lower case,
 *       {@code client|setname} for a subcommand). Count each with {@code server.stats().recordError(error,
 *       commandName, true)}, and errors raised by a command with {@code false}.</li>
 *   <li>CLIENT REPLY: while the client's {@link Client#replyMode()} is not ON, write the reply into
 *       {@code discarded} instead of {@code out} (except CLIENT REPLY's own reply); after every command, SKIP
 *       becomes ON and SKIP_NEXT becomes SKIP, so exactly the next command is silenced; clear
 *       {@code discarded}.</li>
 * </ol>
 * Tests: server/src/test/java/io/port6379/server/DispatcherTest.java and CommandTableTest.java.
 * The reference solution is server/src/main/java/io/port6379/server/Dispatcher.java.
 *
 * <p>Runs under the execution lock.
 */
public final class Dispatcher {

    private final ServerContext server;
    /** Where replies go while CLIENT REPLY OFF/SKIP is in force; one is enough, since commands run one at a time. */
    private final RespWriter discarded = new RespWriter();

    Dispatcher(ServerContext server) {
        this.server = server;
    }

    void execute(Client client, byte[][] args, RespWriter out) {
        throw new UnsupportedOperationException("exercise 08: execute(): lookup, subcommand, arity, call, errors, reply mode");
    }

    /**
     * Runs one command that passed the checks, as Redis's {@code call()}: also used by EXEC for the commands a
     * transaction queued.
     */
    public void call(Command command, Client client, byte[][] args, RespWriter reply) {
        throw new UnsupportedOperationException("exercise 08: call(): commandStarted, the handler, WATCH, errors, bookkeeping");
    }

    /**
     * Redis's text for an unknown command: the name (at most 128 bytes) and the first arguments, each quoted
     * and followed by a space, until 128 bytes are listed. Line breaks become spaces so the error stays one line.
     */
    static String unknownCommand(byte[][] args) {
        throw new UnsupportedOperationException("exercise 08: unknownCommand(): ERR unknown command 'x', with args beginning with: 'a' ");
    }

    // Given: what Redis's call() does after the command ran. Call it with the command's run time in microseconds
    // and the clock's time when it started.
    private void bookkeeping(Command command, Client client, byte[][] args, long micros, long now) {
        ServerStats stats = server.stats();
        stats.recordCall(command.name(), micros);
        if (!command.has(CommandFlag.SKIP_SLOWLOG)) {
            if (server.blockingKeys().isBlocked(client)) {
                server.blockingKeys().slowLogWhenUnblocked(client, args, micros); // as Redis's updateStatsOnUnblock
            } else {
                server.slowLog().record(args, micros, client.address(), client.name(), now);
            }
        }
        server.latency().record(command.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000, now);
        if (!command.has(CommandFlag.ADMIN) && !command.has(CommandFlag.SKIP_MONITOR)) {
            feedMonitors(client, args);
        }
    }

    // Given.
    /**
     * MONITOR's line: {@code +1700000000.123456 [0 127.0.0.1:50000] "set" "k" "v"}, arguments quoted as Redis's
     * sdscatrepr. A script's commands show {@code lua} instead of an address; EVAL and FCALL feed their own line
     * before their script runs.
     */
    public void feedMonitors(Client client, byte[][] args) {
        if (server.monitors().isEmpty()) {
            return;
        }
        long micros = server.wallClock().millis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder line = new StringBuilder("+")
                .append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000))
                .append(" [").append(client.dbIndex()).append(' ').append(origin(client)).append(']');
        for (byte[] arg : args) {
            line.append(' ');
            Replies.appendQuoted(line, arg);
        }
        byte[] frame = line.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        for (Client monitor : server.monitors()) {
            monitor.push(frame);
        }
    }

    private String origin(Client client) {
        if (client.isScript()) {
            return "lua";
        }
        return client.isUnixSocket() ? "unix:" + server.config().get("unixsocket") : client.address();
    }

    // Given.
    /** Arguments as text for messages: ISO-8859-1 keeps every byte as one char, which the writer sends back unchanged. */
    private static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }
}
