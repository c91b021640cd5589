// What happens between a decoded command and its reply: lookup, arity, reply mode, the call, and bookkeeping.
package io.port6379.server;

import io.port6379.server.util.Log;
import io.port6379.server.util.Replies;
import io.port6379.server.stats.ServerStats;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Runs one command the way Redis's {@code processCommand} and {@code call} do: find it (and its subcommand),
 * check the arity, run it, then count it (INFO commandstats), time it (SLOWLOG, LATENCY) and show it to
 * MONITOR clients. Errors a command raises as {@link RedisException} become its error reply.
 *
 * <p>Later stages add their checks here, before the call: authentication, MULTI queueing.
 * Runs under the execution lock.
 */
public final class Dispatcher {

    private final ServerContext server;
    /** Where replies go while CLIENT REPLY OFF/SKIP is in force; one is enough, since commands run one at a time. */
    private final RespWriter discarded = new RespWriter();
    /** The scripts that, read-only as they are, leave tracking to the commands they run (Redis's call()). */
    private static final Set<String> READ_ONLY_SCRIPTS = Set.of("eval_ro", "evalsha_ro", "fcall_ro");
    /** The command the current client runs (EXEC's queued one, the EVAL around a script's calls), with its arguments. */
    private Command currentCommand;
    private byte[][] currentArgs;

    Dispatcher(ServerContext server) {
        this.server = server;
    }

    // tag::execute[]
    void execute(Client client, byte[][] args, RespWriter out) {
        RespWriter reply = client.replyMode() == Client.ReplyMode.ON ? out : discarded;
        ServerContext.Busy busy = server.busy(); // not null: the command was handed to a busy script's hook
        Command command = server.commands().lookup(args[0]);
        String refusal;
        if (command == null) {
            reject(client, reply, unknownCommand(args), null);
        } else if (command.isContainer() && args.length >= 2
                && (command = subcommand(command, args[1])) == null) {
            reject(client, reply, "ERR unknown subcommand '" + truncated(args[1]) + "'. Try "
                    + text(args[0]).toUpperCase(Locale.ROOT) + " HELP.", null);
        } else if (!command.acceptsArgumentCount(args.length)) {
            reject(client, reply, "ERR wrong number of arguments for '" + command.name() + "' command", command.name());
        } else if (command.has(CommandFlag.ADMIN) && (refusal = protectedRefusal(client, command)) != null) {
            reject(client, reply, refusal, command.name());
        } else if (client.inMulti() && command.has(CommandFlag.NO_MULTI)) { // SAVE, SHUTDOWN, SYNC, PSYNC
            reject(client, reply, "ERR Command not allowed inside a transaction", command.name());
        } else if (!client.isMaster() // the master's stream runs as Redis's superuser
                && (refusal = server.security().refusal(client, command, args)) != null) { // NOAUTH, NOPERM
            reject(client, reply, refusal, command.name());
        } else if (!client.isMaster() && (refusal = clusterRefusal(client, command, args)) != null) {
            redirect(client, reply, refusal, command.name()); // MOVED, ASK, CROSSSLOT, TRYAGAIN, CLUSTERDOWN
        } else if (busy == null && outOfMemory(client, command)) { // no eviction between a busy script's writes
            reject(client, reply, OOM, command.name());
        } else if (server.persistence() != null
                && (refusal = server.persistence().refusal(client, command)) != null) { // MISCONF
            reject(client, reply, refusal, command.name());
        } else if (server.replication() != null
                && (refusal = server.replication().refusal(client, command)) != null) { // NOREPLICAS, READONLY
            reject(client, reply, refusal, command.name());
        } else if ((refusal = server.subscriptions().refusal(client, command)) != null) {
            reject(client, reply, refusal, command.name());
        } else if (busy != null && !command.has(CommandFlag.ALLOW_BUSY)) { // a script past busy-reply-threshold
            reject(client, reply, busy.error(), command.name());
        } else if (busy == null && !awaitUnpaused(client, command, args, reply)) {
            return; // the client went away while CLIENT PAUSE held its command back, or it is refused now
        } else if (!server.transactions().queued(client, command, args, reply)) { // inside MULTI: queued, not run
            call(command, client, args, reply == discarded && (isClientReply(command) || confirmsSubscription(command))
                    ? out : reply);
        }
        if (busy != null) { // the script's effects are still to come whole: nothing propagated or served meanwhile
            afterCommand(client);
            return;
        }
        if (server.propagation() != null) {
            server.propagation().commit(client); // what the command (or EXEC) changed, before the pops it serves below
        }
        afterCommand(client);
        server.blockingKeys().afterCommand(command); // serve clients blocked on keys this command made ready
        if (server.tracking() != null && command != null) {
            server.tracking().afterCommand(client, command, out); // invalidations follow the reply
        }
    }
    // end::execute[]

    // tag::oom[]
    /** Redis's shared.oomerr. */
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    /**
     * Redis's maxmemory step of processCommand: keys are evicted before every command while maxmemory is set, and
     * when memory is still over it, a command that may grow memory is refused: one flagged {@code denyoom}, an EXEC
     * whose queue holds one, and anything but EXEC, DISCARD, QUIT and RESET inside MULTI (a queue grows too).
     */
    private boolean outOfMemory(Client client, Command command) {
        Concerns.Memory memory = server.memory();
        if (memory == null || !memory.outOfMemory()) {
            return false;
        }
        String name = command.name();
        if (command.has(CommandFlag.DENYOOM)
                || name.equals("exec") && server.transactions().queuedWith(client, CommandFlag.DENYOOM)) {
            return true;
        }
        return client.inMulti() && !name.equals("exec") && !name.equals("discard") && !name.equals("quit")
                && !name.equals("reset");
    }
    // end::oom[]

    // tag::call[]
    /** Runs a command that passed every check; EXEC calls it for each queued command. */
    public void call(Command command, Client client, byte[][] args, RespWriter reply) {
        long start = System.nanoTime(); // for the command's duration, and for its time (CommandClock)
        long now = server.commandClock().commandStarted(start); // the time stands still until the command ends
        Client caller = server.currentClient();
        Client executing = server.executingClient();
        Command outerCommand = currentCommand;
        byte[][] outerArgs = currentArgs;
        if (caller == null) {
            server.currentClient(client); // a script's redis.call keeps its caller as the current client, as Redis
        }
        server.executingClient(client);
        if (caller == null || caller == client) { // not a script's call: EXEC's queued command is the client's own
            currentCommand = command;
            currentArgs = args;
        }
        try {
            client.commandStarted(command.name(), now);
            int replyStart = reply.size();
            Concerns.Propagation aof = server.propagation();
            long aofMark = aof == null ? 0 : aof.mark(); // to see whether the command changed the data
            run(command, client, args, reply, replyStart);
            server.databases().settle(); // values changed in place are counted at their new size (used_memory)
            if (aof != null) {
                aof.propagate(command, client, args, reply, replyStart, aofMark);
            }
            long micros = (System.nanoTime() - start) / 1000;
            bookkeeping(command, client, args, micros, now);
            if (server.tracking() != null) {
                rememberReads(command, client, args);
            }
        } finally {
            server.commandClock().commandEnded();
            server.currentClient(caller);
            server.executingClient(executing);
            currentCommand = outerCommand;
            currentArgs = outerArgs;
        }
    }

    private void run(Command command, Client client, byte[][] args, RespWriter reply, int replyStart) {
        try {
            command.handler().execute(client, args, reply); // a write reports its changes itself: KeyspaceEvents
        } catch (RedisException e) {
            reply.error(e.getMessage());
            server.stats().recordError(e.getMessage(), command.name(), false);
        } catch (RuntimeException bug) {
            // Redis would stop on a failed assertion; we drop the half-written reply so the stream stays valid,
            // answer an error, log the bug, and keep serving everyone, this client included.
            reply.truncate(replyStart);
            String error = "ERR internal error while running '" + command.name() + "': " + bug;
            reply.error(error);
            server.stats().recordError(error, command.name(), false);
            Log.log("#", "Bug in command '" + command.name() + "': " + bug);
            bug.printStackTrace();
        }
    }
    // end::call[]

    /**
     * Redis's trackingRememberKeys after a read-only command. A script that reads makes its caller remember the keys
     * the script declared (the EVAL's or FCALL's, not those it read); EVAL_RO, EVALSHA_RO and FCALL_RO remember
     * nothing by themselves, only through the reads they run.
     */
    private void rememberReads(Command command, Client client, byte[][] args) {
        if (!command.has(CommandFlag.READONLY) || READ_ONLY_SCRIPTS.contains(command.name())) {
            return;
        }
        Client current = server.currentClient();
        if (current != null && current != client) {
            server.tracking().read(current, currentCommand, currentArgs);
        } else {
            server.tracking().read(client, command, args);
        }
    }

    /** With cluster mode on, whether another node serves this call's keys (or none does). */
    private String clusterRefusal(Client client, Command command, byte[][] args) {
        Concerns.Cluster cluster = server.peek(Concerns.CLUSTER);
        return cluster == null ? null : cluster.refusal(client, command, args);
    }

    /**
     * Redis's clusterRedirectClient: the redirection is the reply as it is, without EXECABORT; a redirected EXEC
     * discards its transaction, another command dooms the transaction it was meant for.
     */
    private void redirect(Client client, RespWriter reply, String error, String commandName) {
        if ("exec".equals(commandName)) {
            server.transactions().finish(client);
        } else {
            server.transactions().refused(client);
        }
        reply.error(error);
        server.stats().recordError(error, commandName, true);
    }

    private void reject(Client client, RespWriter reply, String error, String commandName) {
        server.transactions().refused(client);
        if ("exec".equals(commandName)) { // Redis's execCommandAbort: a refused EXEC also ends the transaction
            server.transactions().finish(client);
            error = "EXECABORT Transaction discarded because of: " + (error.startsWith("ERR ") ? error.substring(4) : error);
        }
        reply.error(error);
        server.stats().recordError(error, commandName, true);
    }

    /**
     * CLIENT PAUSE: a command the pause holds back waits here, the execution lock released meanwhile, as Redis
     * blocks the client (BLOCKED_POSTPONE) until the pause ends. False when the client was closed while waiting.
     */
    private boolean awaitUnpaused(Client client, Command command, byte[][] args, RespWriter reply) {
        if (!server.holdsBack(client, command, args)) {
            return true;
        }
        client.postponed(command.name());
        server.postponed(client, true);
        try {
            do {
                if (client.isClosing()) {
                    return false;
                }
                server.awaitUnpause();
            } while (server.holdsBack(client, command, args));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            server.postponed(client, false);
        }
        String refusal;
        if (server.replication() != null && (refusal = server.replication().refusal(client, command)) != null) {
            reject(client, reply, refusal, command.name()); // a FAILOVER's pause ended with this server a replica
            return false;
        }
        return true;
    }

    /**
     * Why a protected command (DEBUG: {@code enable-debug-command}) is refused to this client, or null: the
     * parameter says {@code no}, or {@code local} and the client did not connect from 127.0.0.1 or ::1.
     */
    private String protectedRefusal(Client client, Command command) {
        String configName = server.protectedBy(command.name());
        if (configName == null) {
            return null;
        }
        String allowed = server.config().get(configName);
        if (allowed.equals("yes") || (allowed.equals("local") && client.isLocal())) {
            return null;
        }
        return "ERR " + command.name().toUpperCase(Locale.ROOT) + " command not allowed. If the " + configName
                + " option is set to \"local\", you can run it from a local connection, otherwise you need to set this "
                + "option in the configuration file, and then restart the server.";
    }

    private Command subcommand(Command container, byte[] name) {
        return server.commands().subcommandsOf(container).lookup(name);
    }

    private static boolean isClientReply(Command command) {
        return command.name().equals("client|reply");
    }

    /**
     * (P|S)(UN)SUBSCRIBE confirm every channel even under CLIENT REPLY OFF or SKIP, in RESP2 and RESP3 alike:
     * Redis writes them as pushes ({@code CLIENT_PUSHING}), which those modes do not silence.
     */
    private static boolean confirmsSubscription(Command command) {
        return switch (command.name()) {
            case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe" -> true;
            default -> false;
        };
    }

    /** CLIENT REPLY SKIP silences exactly the command after it. */
    private void afterCommand(Client client) {
        server.clientMemoryChanged(client);
        switch (client.replyMode()) {
            case SKIP -> client.replyMode(Client.ReplyMode.ON);
            case SKIP_NEXT -> client.replyMode(Client.ReplyMode.SKIP);
            default -> { }
        }
        discarded.clear();
    }

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

    // tag::monitor[]
    /**
     * MONITOR's line: {@code +1700000000.123456 [0 127.0.0.1:50000] "set" "k" "v"}, arguments quoted as Redis's
     * sdscatrepr, as Redis's {@code replicationFeedMonitors}. A script's commands show {@code lua} instead of an
     * address; EVAL and FCALL (flagged {@code skip_monitor}) feed their own line before their script runs, so that
     * it comes before the script's commands. Arguments hold {@code (redacted)} where AUTH, HELLO and MIGRATE
     * replaced a password.
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
    // end::monitor[]

    /**
     * Redis's text for an unknown command: the name (at most 128 bytes) and the first arguments, each quoted
     * and followed by a space, until 128 bytes are listed. Line breaks become spaces so the error stays one line.
     */
    static String unknownCommand(byte[][] args) {
        StringBuilder listed = new StringBuilder();
        for (int i = 1; i < args.length && listed.length() < 128; i++) {
            String arg = text(args[i]);
            int room = 128 - listed.length();
            listed.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
        }
        String message = "ERR unknown command '" + truncated(args[0]) + "', with args beginning with: " + listed;
        return message.replace('\r', ' ').replace('\n', ' ');
    }

    private static String truncated(byte[] arg) {
        String text = text(arg);
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    /** Arguments as text for messages: ISO-8859-1 keeps every byte as one char, which the writer sends back unchanged. */
    private static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }
}
