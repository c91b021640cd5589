// COMMAND, COMMAND COUNT/INFO/DOCS/LIST: the command table describing itself, for redis-cli and client libraries.
package io.port6379.server.commands;

import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.CommandHandler;
import io.port6379.server.CommandTable;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.port6379.server.AclCategory.CONNECTION;
import static io.port6379.server.CommandFlag.LOADING;
import static io.port6379.server.CommandFlag.STALE;

/**
 * Introspection of the {@link CommandTable}. Client libraries read COMMAND INFO to learn which arguments are
 * keys (to route them in a cluster) and which commands are read-only; the reply's shape is Redis 7's:
 * name, arity, flags, first key, last key, step, ACL categories, tips, key specifications, subcommands.
 */
public final class CommandCommands {

    private CommandCommands() {
    }

    public static void registerAll(CommandTable table) {
        table.register(Command.named("command", -1).flags(LOADING, STALE).acl(CONNECTION)
                .tips("nondeterministic_output_order")
                .doc("Get array of Redis command details", "2.8.13", "server", "O(N) where N is the total number of Redis commands")
                .alone(CommandCommands::all).subcommands(
                sub("command|count", 2, "Get total number of Redis commands", "O(1)", CommandCommands::count),
                sub("command|info", -2, "Get array of specific Redis command details, or all when no argument is given.",
                        "O(N) where N is the number of commands to look up", CommandCommands::info),
                sub("command|docs", -2, "Get array of specific Redis command documentation",
                        "O(N) where N is the number of commands to look up", CommandCommands::docs),
                sub("command|list", -2, "Get an array of Redis command names", "O(N) where N is the total number of Redis commands",
                        CommandCommands::list),
                sub("command|getkeys", -4, "Extract keys given a full Redis command",
                        "O(N) where N is the number of arguments to the command", CommandCommands::getkeys),
                Command.named("command|getkeysandflags", -4).flags(LOADING, STALE).acl(CONNECTION)
                        .doc("Extract keys and access flags given a full Redis command", "7.0.0", "server",
                                "O(N) where N is the number of arguments to the command")
                        .handler(CommandCommands::getkeysandflags),
                sub("command|help", 2, "Show helpful text about the different subcommands", "O(1)", CommandCommands::help)));
    }

    private static Command sub(String name, int arity, String summary, String complexity, CommandHandler handler) {
        return Command.named(name, arity).flags(LOADING, STALE).acl(CONNECTION)
                .doc(summary, "2.8.13", "server", complexity).handler(handler);
    }

    /** COMMAND — the description of every command. */
    static void all(Client client, byte[][] args, RespWriter reply) {
        List<Command> commands = client.server().commands().all();
        reply.arrayHeader(commands.size());
        commands.forEach(command -> writeInfo(command, reply));
    }

    static void count(Client client, byte[][] args, RespWriter reply) {
        reply.integer(client.server().commands().size());
    }

    /** COMMAND INFO [name ...] — nil for an unknown name; {@code container|sub} names a subcommand. */
    static void info(Client client, byte[][] args, RespWriter reply) {
        if (args.length == 2) {
            all(client, args, reply);
            return;
        }
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            Command command = find(client, args[i]);
            if (command == null) {
                reply.nullBulkString();
            } else {
                writeInfo(command, reply);
            }
        }
    }

    /** COMMAND DOCS [name ...] — a map from name to its documentation; unknown names are left out. */
    static void docs(Client client, byte[][] args, RespWriter reply) {
        List<Command> found = new ArrayList<>();
        if (args.length == 2) {
            found.addAll(client.server().commands().all());
        }
        for (int i = 2; i < args.length; i++) {
            Command command = find(client, args[i]);
            if (command != null) {
                found.add(command);
            }
        }
        reply.mapHeader(found.size());
        for (Command command : found) {
            reply.bulkString(command.name());
            writeDocs(command, reply);
        }
    }

    static void list(Client client, byte[][] args, RespWriter reply) {
        if (args.length != 2) {
            throw Args.syntaxError();
        }
        List<String> names = new ArrayList<>();
        for (Command command : client.server().commands().all()) {
            names.add(command.name());
            command.subcommands().forEach(sub -> names.add(sub.name()));
        }
        reply.arrayHeader(names.size());
        names.forEach(reply::bulkString);
    }

    private static Command find(Client client, byte[] name) {
        String text = Args.text(name);
        int bar = text.indexOf('|');
        CommandTable table = client.server().commands();
        if (bar < 0) {
            return table.lookup(name);
        }
        Command container = table.lookup(text.substring(0, bar).getBytes(StandardCharsets.ISO_8859_1));
        if (container == null || !container.isContainer()) {
            return null;
        }
        return table.subcommandsOf(container).lookup(text.substring(bar + 1).getBytes(StandardCharsets.ISO_8859_1));
    }

    // tag::info[]
    static void writeInfo(Command command, RespWriter reply) {
        reply.arrayHeader(10);
        reply.bulkString(command.name());
        reply.integer(command.arity());
        reply.setHeader(command.flags().size());
        command.flags().forEach(flag -> reply.simpleString(flag.redisName()));
        reply.integer(command.firstKey()).integer(command.lastKey()).integer(command.step());
        reply.setHeader(command.aclCategories().size());
        command.aclCategories().forEach(category -> reply.simpleString(category.redisName()));
        reply.setHeader(command.tips().size());
        command.tips().forEach(reply::bulkString);
        writeKeySpecs(command, reply);
        reply.setHeader(command.subcommands().size());
        command.subcommands().forEach(sub -> writeInfo(sub, reply));
    }

    // end::info[]

    static void getkeys(Client client, byte[][] args, RespWriter reply) {
        keysOfCall(client, args, reply, false);
    }

    static void getkeysandflags(Client client, byte[][] args, RespWriter reply) {
        keysOfCall(client, args, reply, true);
    }

    /**
     * COMMAND GETKEYS / GETKEYSANDFLAGS command [arg ...] — the keys the command's key specifications find in the
     * call ({@link Command#keys}), with Redis's checks in Redis's order; with flags, each key with its
     * specification's flags.
     */
    private static void keysOfCall(Client client, byte[][] args, RespWriter reply, boolean withFlags) {
        byte[][] call = Arrays.copyOfRange(args, 2, args.length);
        CommandTable table = client.server().commands();
        Command command = table.lookup(call[0]);
        if (command != null && command.isContainer()) {
            command = call.length > 1 ? table.subcommandsOf(command).lookup(call[1]) : null;
        }
        if (command == null) {
            throw new RedisException("ERR Invalid command specified");
        }
        if (command.keySpecs().stream().allMatch(spec -> spec.flags().contains("not_key"))) {
            throw new RedisException("ERR The command has no key arguments");
        }
        if (!command.acceptsArgumentCount(call.length)) {
            throw new RedisException("ERR Invalid number of arguments specified for command");
        }
        List<Command.KeyReference> keys = command.keys(call);
        if (keys.isEmpty() && !command.has(CommandFlag.NO_MANDATORY_KEYS)) {
            throw new RedisException("ERR Invalid arguments specified for command");
        }
        reply.arrayHeader(keys.size());
        for (Command.KeyReference key : keys) {
            if (withFlags) {
                reply.arrayHeader(2);
                reply.bulkString(call[key.position()]);
                writeSpecFlags(key.flags(), reply);
            } else {
                reply.bulkString(call[key.position()]);
            }
        }
    }

    /** Key-spec flags as Redis prints them: the access kind (RO, RW, OW, RM) in capitals, the rest in lower case. */
    private static void writeSpecFlags(List<String> flags, RespWriter reply) {
        reply.setHeader(flags.size());
        for (int i = 0; i < flags.size(); i++) {
            reply.simpleString(i == 0 ? flags.get(i) : flags.get(i).toLowerCase(Locale.ROOT));
        }
    }

    // tag::keyspecs[]
    /** Each key specification as Redis 7 prints it: flags, where the first key is, how to find the others. */
    private static void writeKeySpecs(Command command, RespWriter reply) {
        reply.setHeader(command.keySpecs().size());
        for (Command.KeySpec spec : command.keySpecs()) {
            reply.mapHeader(3);
            reply.bulkString("flags");
            writeSpecFlags(spec.flags(), reply);
            reply.bulkString("begin_search");
            reply.mapHeader(2);
            reply.bulkString("type").bulkString("index");
            reply.bulkString("spec");
            reply.mapHeader(1);
            reply.bulkString("index").integer(spec.index());
            reply.bulkString("find_keys");
            reply.mapHeader(2);
            switch (spec.find()) {
                case Command.KeySpec.Range range -> {
                    reply.bulkString("type").bulkString("range");
                    reply.bulkString("spec");
                    reply.mapHeader(3);
                    reply.bulkString("lastkey").integer(range.lastKey());
                    reply.bulkString("keystep").integer(range.step());
                    reply.bulkString("limit").integer(0);
                }
                case Command.KeySpec.Keynum keynum -> {
                    reply.bulkString("type").bulkString("keynum");
                    reply.bulkString("spec");
                    reply.mapHeader(3);
                    reply.bulkString("keynumidx").integer(keynum.keynumIdx());
                    reply.bulkString("firstkey").integer(keynum.firstKey());
                    reply.bulkString("keystep").integer(keynum.step());
                }
            }
        }
    }
    // end::keyspecs[]

    private static void writeDocs(Command command, RespWriter reply) {
        Command.Docs docs = command.docs();
        boolean hasSubcommands = command.isContainer();
        reply.mapHeader(hasSubcommands ? 5 : 4);
        reply.bulkString("summary").bulkString(docs.summary());
        reply.bulkString("since").bulkString(docs.since());
        reply.bulkString("group").bulkString(docs.group());
        reply.bulkString("complexity").bulkString(docs.complexity());
        if (hasSubcommands) {
            reply.bulkString("subcommands");
            reply.mapHeader(command.subcommands().size());
            for (Command sub : command.subcommands()) {
                reply.bulkString(sub.name());
                writeDocs(sub, reply);
            }
        }
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }
}
