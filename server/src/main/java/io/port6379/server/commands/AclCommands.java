// The ACL container command: SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, DRYRUN, GENPASS, LOG, HELP.
package io.port6379.server.commands;

import io.port6379.server.security.Acl;
import io.port6379.server.AclCategory;
import io.port6379.server.security.AclCommandIndex;
import io.port6379.server.security.AclLog;
import io.port6379.server.security.AclSelector;
import io.port6379.server.security.AclUser;
import io.port6379.server.util.Args;
import io.port6379.server.security.Authentication;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandTable;
import io.port6379.server.util.Log;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;

/**
 * ACL's subcommands, with Redis 7.0.15's replies. The users themselves live in {@link Acl}; this class parses
 * arguments and shapes replies. ACL LOAD and SAVE answer Redis's error for a server without an ACL file, which is
 * what this server is: users are created with ACL SETUSER and live as long as the process.
 */
public final class AclCommands {

    private static final String NO_ACL_FILE = "ERR This Redis instance is not configured to use an ACL file. You may "
            + "want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
            + "Redis configuration file set) in order to store users in the Redis configuration.";

    private AclCommands() {
    }

    /** ACL GENPASS's source, made when first asked for: seeding it costs a start-up some 15 ms (chapter 15). */
    private static final class Random {
        static final SecureRandom SOURCE = new SecureRandom();
    }

    // tag::setuser[]
    /** ACL SETUSER username [rule ...] — creates or changes a user; all rules apply, or none. */
    static void setuser(Client client, byte[][] args, RespWriter reply) {
        String name = Acl.text(args[2]);
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            rules.add(Acl.text(args[i]));
        }
        Authentication.redact(args, 2, args.length - 1); // rules may hold passwords: keep them from SLOWLOG and MONITOR
        if (name.chars().anyMatch(c -> c == ' ' || (c >= '\t' && c <= '\r') || c == 0)) {
            throw new RedisException("ERR Usernames can't contain spaces or null characters");
        }
        try {
            Acl.of(client.server()).setUser(client, name, rules);
        } catch (AclUser.InvalidRule e) {
            throw new RedisException(e.getMessage());
        }
        Replies.ok(reply);
    }
    // end::setuser[]

    /** ACL GETUSER username — the user's flags, passwords and permissions as a map (RESP3) or flat array. */
    static void getuser(Client client, byte[][] args, RespWriter reply) {
        AclUser user = Acl.of(client.server()).user(Acl.text(args[2]));
        if (user == null) {
            reply.nullValue();
            return;
        }
        reply.mapHeader(6);
        reply.bulkString("flags").setHeader(user.flags().size());
        user.flags().forEach(reply::bulkString);
        reply.bulkString("passwords").arrayHeader(user.passwords().size());
        user.passwords().forEach(reply::bulkString);
        describe(user.selector(), reply);
        reply.bulkString("selectors").arrayHeader(user.selectors().size());
        for (AclSelector selector : user.selectors()) {
            reply.mapHeader(3);
            describe(selector, reply);
        }
    }

    /** A selector's three fields in ACL GETUSER: commands, keys, channels. */
    private static void describe(AclSelector selector, RespWriter reply) {
        reply.bulkString("commands").bulkString(Acl.bytes(selector.describeCommands()));
        reply.bulkString("keys").bulkString(Acl.bytes(selector.describeKeys()));
        reply.bulkString("channels").bulkString(Acl.bytes(selector.describeChannels()));
    }

    /** ACL DELUSER username [username ...] — the number of users removed; {@code default} cannot be. */
    static void deluser(Client client, byte[][] args, RespWriter reply) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String name = Acl.text(args[i]);
            if (name.equals(Acl.DEFAULT_USER)) {
                throw new RedisException("ERR The 'default' user cannot be removed");
            }
            names.add(name);
        }
        reply.integer(Acl.of(client.server()).deleteUsers(client, names));
    }

    /** ACL LIST — one line per user, in the rule syntax ACL SETUSER accepts. */
    static void list(Client client, byte[][] args, RespWriter reply) {
        Acl acl = Acl.of(client.server());
        reply.arrayHeader(acl.users().size());
        acl.users().forEach(user -> reply.bulkString(Acl.bytes(user.describe())));
    }

    /** ACL USERS — the user names, sorted. */
    static void users(Client client, byte[][] args, RespWriter reply) {
        Acl acl = Acl.of(client.server());
        reply.arrayHeader(acl.users().size());
        acl.users().forEach(user -> reply.bulkString(Acl.bytes(user.name())));
    }

    /** ACL WHOAMI — the user this connection runs as. */
    static void whoami(Client client, byte[][] args, RespWriter reply) {
        reply.bulkString(Acl.bytes(Acl.user(client).name()));
    }

    /** ACL CAT [category] — the categories, or the commands (and subcommands) in one. */
    static void cat(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw wrongUsage(args[1]);
        }
        if (args.length == 2) {
            AclCategory[] categories = AclCategory.values();
            reply.arrayHeader(categories.length);
            for (AclCategory category : categories) {
                reply.bulkString(category.redisName().substring(1));
            }
            return;
        }
        AclCategory category = AclCommandIndex.category(Acl.text(args[2]));
        if (category == null) {
            String name = Acl.text(args[2]);
            throw new RedisException("ERR Unknown category '" + (name.length() > 128 ? name.substring(0, 128) : name) + "'");
        }
        AclCommandIndex index = Acl.of(client.server()).index();
        BitSet members = index.members(category);
        reply.arrayHeader(members.cardinality());
        for (int id = members.nextSetBit(0); id >= 0; id = members.nextSetBit(id + 1)) {
            reply.bulkString(index.ordered().get(id).name());
        }
    }

    /** ACL DRYRUN username command [arg ...] — OK, or why the user could not run it, without running it. */
    static void dryrun(Client client, byte[][] args, RespWriter reply) {
        AclUser user = Acl.of(client.server()).user(Acl.text(args[2]));
        if (user == null) {
            throw new RedisException("ERR User '" + Acl.text(args[2]) + "' not found");
        }
        byte[][] call = Arrays.copyOfRange(args, 3, args.length);
        CommandTable table = client.server().commands();
        Command command = table.lookup(call[0]);
        if (command != null && command.isContainer() && call.length >= 2) {
            command = table.subcommandsOf(command).lookup(call[1]);
        }
        if (command == null) {
            throw new RedisException("ERR Command '" + Acl.text(args[3]) + "' not found");
        }
        if (!command.acceptsArgumentCount(call.length)) {
            throw new RedisException("ERR wrong number of arguments for '" + command.name() + "' command");
        }
        AclSelector.Denial denial = user.unrestricted() ? null : user.check(command, call);
        if (denial == null) {
            Replies.ok(reply);
            return;
        }
        String message = switch (denial.kind()) {
            case COMMAND -> "This user has no permissions to run the '" + command.name() + "' command";
            case KEY -> "This user has no permissions to access the '" + Acl.text(call[denial.argument()]) + "' key";
            case CHANNEL -> "This user has no permissions to access the '" + Acl.text(call[denial.argument()]) + "' channel";
        };
        reply.bulkString(Acl.bytes(message));
    }

    /** ACL GENPASS [bits] — a random password of {@code bits} bits (256 by default), in hex. */
    static void genpass(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw wrongUsage(args[1]);
        }
        long bits = 256;
        if (args.length == 3) {
            bits = Args.parseLong(args[2]);
            if (bits <= 0 || bits > 4096) {
                throw new RedisException("ERR ACL GENPASS argument must be the number of bits for the output password, "
                        + "a positive number up to 4096");
            }
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] random = new byte[(chars + 1) / 2];
        Random.SOURCE.nextBytes(random);
        reply.bulkString(HexFormat.of().formatHex(random).substring(0, chars));
    }

    /** ACL LOG [count | RESET] — the latest denials, newest first (10 by default). */
    static void log(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw wrongUsage(args[1]);
        }
        AclLog log = Acl.of(client.server()).log();
        if (args.length == 3 && Args.is(args[2], "reset")) {
            log.reset();
            Replies.ok(reply);
            return;
        }
        long count = args.length == 3 ? Args.parseLong(args[2]) : 10;
        log.reply(reply, count, client.server().clock().millis());
    }

    // tag::load[]
    /** ACL LOAD — the ACL file's users replace all users, or nothing changes and the errors are listed. */
    static void load(Client client, byte[][] args, RespWriter reply) {
        if (client.server().config().get("aclfile").isEmpty()) {
            throw new RedisException(NO_ACL_FILE);
        }
        try {
            Acl.of(client.server()).load(client);
        } catch (AclUser.InvalidRule e) {
            throw new RedisException("ERR " + e.getMessage());
        }
        Replies.ok(reply);
    }
    // end::load[]

    /** ACL SAVE — every user to the ACL file, which a temporary file replaces whole. */
    static void save(Client client, byte[][] args, RespWriter reply) {
        if (client.server().config().get("aclfile").isEmpty()) {
            throw new RedisException(NO_ACL_FILE);
        }
        try {
            Acl.of(client.server()).save();
        } catch (java.io.IOException e) {
            Log.log("#", "Opening temp ACL file for ACL SAVE: " + e.getMessage());
            throw new RedisException("ERR There was an error trying to save the ACLs. Please check the server logs for "
                    + "more information");
        }
        Replies.ok(reply);
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.");
    }

    /** Redis's {@code addReplySubcommandSyntaxError}, naming the subcommand as the client typed it. */
    private static RedisException wrongUsage(byte[] subcommand) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + Acl.text(subcommand)
                + "'. Try ACL HELP.");
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("acl|setuser", AclCommands::setuser);
        table.handle("acl|deluser", AclCommands::deluser);
        table.handle("acl|cat", AclCommands::cat);
        table.handle("acl|dryrun", AclCommands::dryrun);
        table.handle("acl|genpass", AclCommands::genpass);
        table.handle("acl|help", AclCommands::help);
        table.handle("acl|users", AclCommands::users);
        table.handle("acl|getuser", AclCommands::getuser);
        table.handle("acl|log", AclCommands::log);
        table.handle("acl|list", AclCommands::list);
        table.handle("acl|save", AclCommands::save);
        table.handle("acl|load", AclCommands::load);
        table.handle("acl|whoami", AclCommands::whoami);
    }
}
