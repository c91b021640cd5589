// CLIENT and its subcommands: who is connected, naming connections, killing them, and reply modes.
package io.port6379.server.commands;

import io.port6379.server.security.Acl;
import io.port6379.server.security.AclUser;
import io.port6379.server.util.Args;
import io.port6379.server.BlockingKeys;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.ServerContext;
import io.port6379.server.tracking.Tracking;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.protocol.RespWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** CLIENT ID, SETNAME, GETNAME, LIST, INFO, KILL, NO-EVICT, REPLY and HELP. */
public final class ClientCommands {

    private ClientCommands() {
    }

    static void id(Client client, byte[][] args, RespWriter reply) {
        reply.integer(client.id());
    }

    /** CLIENT SETNAME name — an empty name removes it. */
    static void setName(Client client, byte[][] args, RespWriter reply) {
        client.name(checkedName(args[2]));
        Replies.ok(reply);
    }

    /** Redis allows only printable ASCII without spaces in a name, so that CLIENT LIST stays parseable. */
    static String checkedName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                throw new RedisException("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        return Args.text(name);
    }

    static void getName(Client client, byte[][] args, RespWriter reply) {
        if (client.name().isEmpty()) {
            reply.nullBulkString();
        } else {
            reply.bulkString(client.name());
        }
    }

    /** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]] — one line per client. */
    static void list(Client client, byte[][] args, RespWriter reply) {
        Predicate<Client> filter = c -> true;
        if (args.length == 4 && Args.is(args[2], "type")) {
            filter = typeFilter(args[3]);
        } else if (args.length >= 4 && Args.is(args[2], "id")) {
            List<Long> ids = new ArrayList<>();
            for (int i = 3; i < args.length; i++) {
                if (!RedisNumbers.isLong(args[i])) {
                    throw new RedisException("ERR Invalid client ID");
                }
                ids.add(Args.parseLong(args[i]));
            }
            filter = c -> ids.contains(c.id());
        } else if (args.length != 2) {
            throw Args.syntaxError();
        }
        StringBuilder lines = new StringBuilder();
        for (Client c : client.server().clients()) {
            if (filter.test(c)) {
                lines.append(c.describe(client)).append('\n');
            }
        }
        Replies.verbatim(reply, lines.toString());
    }

    static void info(Client client, byte[][] args, RespWriter reply) {
        Replies.verbatim(reply, client.describe(client) + "\n");
    }

    private static Predicate<Client> typeFilter(byte[] type) {
        return switch (Args.text(type).toLowerCase(Locale.ROOT)) {
            case "normal" -> c -> !c.isSubscribed();
            case "pubsub" -> Client::isSubscribed;
            case "master" -> Client::isMaster;
            case "replica", "slave" -> Client::isReplica;
            default -> throw new RedisException("ERR Unknown client type '" + Args.text(type) + "'");
        };
    }

    /**
     * CLIENT KILL addr:port (the old form: +OK or an error), or CLIENT KILL filter value... (the new form: the
     * number of clients killed). Filters: ID, ADDR, LADDR, TYPE, USER, SKIPME yes|no, MAXAGE seconds.
     */
    static void kill(Client client, byte[][] args, RespWriter reply) {
        if (args.length == 3) {
            String address = Args.text(args[2]);
            Client victim = client.server().clients().stream()
                    .filter(c -> c.address().equals(address)).findFirst()
                    .orElseThrow(() -> new RedisException("ERR No such client"));
            kill(client, victim);
            Replies.ok(reply);
            return;
        }
        Predicate<Client> filter = c -> true;
        boolean skipMe = true;
        for (int i = 2; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw Args.syntaxError();
            }
            byte[] value = args[i + 1];
            String text = Args.text(value);
            if (Args.is(args[i], "id")) {
                long id = RedisNumbers.isLong(value) ? Args.parseLong(value) : 0;
                if (id <= 0) {
                    throw new RedisException("ERR client-id should be greater than 0");
                }
                filter = filter.and(c -> c.id() == id);
            } else if (Args.is(args[i], "addr")) {
                filter = filter.and(c -> c.address().equals(text));
            } else if (Args.is(args[i], "laddr")) {
                filter = filter.and(c -> c.localAddress().equals(text));
            } else if (Args.is(args[i], "type")) {
                filter = filter.and(typeFilter(value));
            } else if (Args.is(args[i], "user")) {
                AclUser user = Acl.of(client.server()).user(text);
                if (user == null) {
                    throw new RedisException("ERR No such user '" + text + "'");
                }
                filter = filter.and(c -> Acl.user(c) == user);
            } else if (Args.is(args[i], "maxage")) {
                long maxAge = parseOrSyntaxError(value);
                long now = client.server().clock().millis();
                filter = filter.and(c -> (now - c.createdAt()) / 1000 >= maxAge);
            } else if (Args.is(args[i], "skipme")) {
                if (Args.is(value, "yes")) {
                    skipMe = true;
                } else if (Args.is(value, "no")) {
                    skipMe = false;
                } else {
                    throw Args.syntaxError();
                }
            } else {
                throw Args.syntaxError();
            }
        }
        int killed = 0;
        for (Client c : List.copyOf(client.server().clients())) {
            if (filter.test(c) && !(skipMe && c == client)) {
                kill(client, c);
                killed++;
            }
        }
        reply.integer(killed);
    }

    /** Killing oneself lets this reply go out first, as Redis does with CLIENT_CLOSE_AFTER_REPLY. */
    private static void kill(Client self, Client victim) {
        if (victim == self) {
            self.closeAfterReply();
        } else {
            victim.kill();
        }
    }

    private static long parseOrSyntaxError(byte[] value) {
        try {
            return Args.parseLong(value);
        } catch (RedisException e) {
            throw Args.syntaxError();
        }
    }

    /** CLIENT NO-EVICT on|off. There is no client eviction here yet; the flag shows in CLIENT LIST as {@code e}. */
    static void noEvict(Client client, byte[][] args, RespWriter reply) {
        if (Args.is(args[2], "on")) {
            client.noEvict(true);
        } else if (Args.is(args[2], "off")) {
            client.noEvict(false);
        } else {
            throw Args.syntaxError();
        }
        Replies.ok(reply);
    }

    /** CLIENT REPLY on|off|skip — OFF and SKIP are silent themselves; see {@link Dispatcher} for the effect. */
    static void reply(Client client, byte[][] args, RespWriter reply) {
        if (Args.is(args[2], "on")) {
            client.replyMode(Client.ReplyMode.ON);
            Replies.ok(reply);
        } else if (Args.is(args[2], "off")) {
            client.replyMode(Client.ReplyMode.OFF);
        } else if (Args.is(args[2], "skip")) {
            if (client.replyMode() != Client.ReplyMode.OFF) {
                client.replyMode(Client.ReplyMode.SKIP_NEXT);
            }
        } else {
            throw Args.syntaxError();
        }
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CACHING (YES|NO)", "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR", "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME", "    Return the name of the current connection.",
                "ID", "    Return the ID of the current connection.",
                "INFO", "    Return information about the current client connection.",
                "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]", "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
                "    * USER <username>", "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
                "LIST [options ...]", "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
                "UNPAUSE", "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                "SETNAME <name>", "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]", "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO", "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction.");
    }

    // tag::tracking[]
    /**
     * CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]: the options parsed in
     * Redis's order (a bad option or a missing client is refused before ON/OFF is read), the rules in {@link Tracking}.
     */
    static void tracking(Client client, byte[][] args, RespWriter reply) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < args.length; j++) {
            boolean more = j < args.length - 1;
            if (Args.is(args[j], "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw new RedisException("ERR A client can only redirect to a single other client");
                }
                redirect = Args.parseLong(args[j]);
                if (client.server().client(redirect) == null) {
                    throw new RedisException("ERR The client ID you want redirect to does not exist");
                }
            } else if (Args.is(args[j], "bcast")) {
                bcast = true;
            } else if (Args.is(args[j], "optin")) {
                optin = true;
            } else if (Args.is(args[j], "optout")) {
                optout = true;
            } else if (Args.is(args[j], "noloop")) {
                noloop = true;
            } else if (Args.is(args[j], "prefix") && more) {
                prefixes.add(args[++j]);
            } else {
                throw Args.syntaxError();
            }
        }
        if (Args.is(args[2], "on")) {
            Tracking.of(client.server()).enable(client, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Args.is(args[2], "off")) {
            Tracking.of(client.server()).disable(client);
        } else {
            throw Args.syntaxError();
        }
        Replies.ok(reply);
    }

    static void caching(Client client, byte[][] args, RespWriter reply) {
        Tracking.caching(client, Args.is(args[2], "yes") ? Boolean.TRUE : Args.is(args[2], "no") ? Boolean.FALSE : null);
        Replies.ok(reply);
    }
    // end::tracking[]

    // tag::pause[]
    /**
     * CLIENT PAUSE timeout [WRITE|ALL]: for {@code timeout} milliseconds, hold back every command (ALL, the default)
     * or those that write (WRITE), from every client, this one included; they run when the pause ends.
     */
    static void pause(Client client, byte[][] args, RespWriter reply) {
        long timeout;
        if (!RedisNumbers.isLong(args[2])) {
            throw new RedisException("ERR timeout is not an integer or out of range");
        }
        timeout = RedisNumbers.parseLong(args[2]);
        if (timeout < 0) {
            throw new RedisException("ERR timeout is negative");
        }
        ServerContext.PauseMode mode = ServerContext.PauseMode.ALL;
        if (args.length == 4) {
            if (Args.is(args[3], "write")) {
                mode = ServerContext.PauseMode.WRITE;
            } else if (!Args.is(args[3], "all")) {
                throw new RedisException("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        } else if (args.length > 4) {
            throw new RedisException("ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.");
        }
        client.server().pauseClients(client.server().wallClock().millis() + timeout, mode);
        Replies.ok(reply);
    }

    static void unpause(Client client, byte[][] args, RespWriter reply) {
        client.server().unpauseClients();
        Replies.ok(reply);
    }
    // end::pause[]

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("client|id", ClientCommands::id);
        table.handle("client|setname", ClientCommands::setName);
        table.handle("client|getname", ClientCommands::getName);
        table.handle("client|list", ClientCommands::list);
        table.handle("client|info", ClientCommands::info);
        table.handle("client|kill", ClientCommands::kill);
        table.handle("client|no-evict", ClientCommands::noEvict);
        table.handle("client|unblock", BlockingKeys::clientUnblock);
        table.handle("client|reply", ClientCommands::reply);
        table.handle("client|help", ClientCommands::help);
        table.handle("client|pause", ClientCommands::pause);
        table.handle("client|tracking", ClientCommands::tracking);
        table.handle("client|caching", ClientCommands::caching);
        table.handle("client|getredir", (client, args, reply) -> reply.integer(Tracking.redirection(client)));
        table.handle("client|trackinginfo", (client, args, reply) -> Tracking.info(client, reply));
        table.handle("client|unpause", ClientCommands::unpause);
    }
}
