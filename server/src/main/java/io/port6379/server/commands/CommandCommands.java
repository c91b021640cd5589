// COMMAND, COMMAND COUNT/INFO/DOCS/LIST: the command table describing itself, for redis-cli and client libraries.
package io.port6379.server.commands;

import io.port6379.server.util.Args;
import io.port6379.server.AclCategory;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.CommandTable;
import io.port6379.server.util.Glob;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Introspection of the {@link CommandTable}. Client libraries read COMMAND INFO to learn which arguments are
 * keys (to route them in a cluster) and which commands are read-only; the reply's shape is Redis 7's:
 * name, arity, flags, first key, last key, step, ACL categories, tips, key specifications, subcommands.
 */
public final class CommandCommands {

    private CommandCommands() {
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

    /**
     * COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: every command and subcommand, or
     * those the filter keeps, as Redis's {@code commandListWithFilter}: a container and its subcommands are judged
     * one by one; an unknown category keeps none, and so does any module name, since no module is loaded; a
     * pattern matches the full name ({@code config|get}) without regard to case.
     */
    static void list(Client client, byte[][] args, RespWriter reply) {
        if (args.length != 2 && !(args.length == 5 && Args.is(args[2], "filterby"))) {
            throw Args.syntaxError();
        }
        Predicate<Command> keep = args.length == 2 ? command -> true : filter(args[3], args[4]);
        List<String> names = new ArrayList<>();
        for (Command command : client.server().commands().all()) {
            if (keep.test(command)) {
                names.add(command.name());
            }
            command.subcommands().stream().filter(keep).forEach(sub -> names.add(sub.name()));
        }
        reply.arrayHeader(names.size());
        names.forEach(reply::bulkString);
    }

    private static Predicate<Command> filter(byte[] type, byte[] argument) {
        if (Args.is(type, "module")) {
            return command -> false;
        } else if (Args.is(type, "aclcat")) {
            String name = "@" + Args.text(argument).toLowerCase(Locale.ROOT);
            return Arrays.stream(AclCategory.values()).filter(category -> category.redisName().equals(name)).findFirst()
                    .<Predicate<Command>>map(category -> command -> command.aclCategories().contains(category))
                    .orElse(command -> false);
        } else if (Args.is(type, "pattern")) {
            return command -> Glob.matches(argument, command.name().getBytes(StandardCharsets.ISO_8859_1), true);
        }
        throw Args.syntaxError();
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
        boolean mayReplicate = command.has(CommandFlag.MAY_REPLICATE); // Redis hides this one flag from COMMAND INFO
        reply.setHeader(command.flags().size() - (mayReplicate ? 1 : 0));
        command.flags().stream().filter(flag -> flag != CommandFlag.MAY_REPLICATE)
                .forEach(flag -> reply.simpleString(flag.redisName()));
        reply.integer(command.firstKey()).integer(command.lastKey()).integer(command.step());
        reply.setHeader(command.aclCategories().size());
        command.aclCategories().forEach(category -> reply.simpleString(category.redisName()));
        reply.setHeader(command.tips().size());
        command.tips().forEach(reply::bulkString);
        writeKeySpecs(command, reply);
        if (command.isContainer()) { // Redis's addReplyCommandSubCommands: an array of rows, or an empty set
            reply.arrayHeader(command.subcommands().size());
        } else {
            reply.setHeader(0);
        }
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
        if (command.keySpecs().stream().allMatch(spec -> spec.flags().contains("NOT_KEY"))) {
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

    /**
     * Key-spec flags as Redis prints them: the access kind (RW, RO, OW, RM) in capitals, the rest in lower case;
     * the files write them all in capitals, as Redis's do.
     */
    private static void writeSpecFlags(List<String> flags, RespWriter reply) {
        reply.setHeader(flags.size());
        for (String flag : flags) {
            reply.simpleString(flag.length() == 2 ? flag : flag.toLowerCase(Locale.ROOT));
        }
    }

    // tag::keyspecs[]
    /** Each key specification as Redis 7 prints it: flags, where the first key is, how to find the others. */
    private static void writeKeySpecs(Command command, RespWriter reply) {
        reply.setHeader(command.keySpecs().size());
        for (Command.KeySpec spec : command.keySpecs()) {
            reply.mapHeader(spec.notes().isEmpty() ? 3 : 4);
            if (!spec.notes().isEmpty()) {
                reply.bulkString("notes").bulkString(spec.notes());
            }
            reply.bulkString("flags");
            writeSpecFlags(spec.flags(), reply);
            reply.bulkString("begin_search");
            reply.mapHeader(2);
            if (spec.find() instanceof Command.KeySpec.Unknown) {
                reply.bulkString("type").bulkString("unknown");
                reply.bulkString("spec").mapHeader(0);
            } else if (!spec.keyword().isEmpty()) {
                reply.bulkString("type").bulkString("keyword");
                reply.bulkString("spec");
                reply.mapHeader(2);
                reply.bulkString("keyword").bulkString(spec.keyword());
                reply.bulkString("startfrom").integer(spec.index());
            } else {
                reply.bulkString("type").bulkString("index");
                reply.bulkString("spec");
                reply.mapHeader(1);
                reply.bulkString("index").integer(spec.index());
            }
            reply.bulkString("find_keys");
            reply.mapHeader(2);
            switch (spec.find()) {
                case Command.KeySpec.Range range -> {
                    reply.bulkString("type").bulkString("range");
                    reply.bulkString("spec");
                    reply.mapHeader(3);
                    reply.bulkString("lastkey").integer(range.lastKey());
                    reply.bulkString("keystep").integer(range.step());
                    reply.bulkString("limit").integer(range.limit());
                }
                case Command.KeySpec.Keynum keynum -> {
                    reply.bulkString("type").bulkString("keynum");
                    reply.bulkString("spec");
                    reply.mapHeader(3);
                    reply.bulkString("keynumidx").integer(keynum.keynumIdx());
                    reply.bulkString("firstkey").integer(keynum.firstKey());
                    reply.bulkString("keystep").integer(keynum.step());
                }
                case Command.KeySpec.Unknown unknown -> reply.bulkString("type").bulkString("unknown").bulkString("spec").mapHeader(0);
            }
        }
    }
    // end::keyspecs[]

    /**
     * One command's documentation in Redis 7.0's order (addReplyCommandDocs): summary, since, group, complexity,
     * doc flags, deprecated since, replaced by, history, arguments, subcommands; a field Redis has no value for
     * is left out, except the group. redis-cli reads the arguments to show its hints as you type.
     */
    private static void writeDocs(Command command, RespWriter reply) {
        Command.Docs docs = command.docs();
        List<Command.Argument> arguments = docs.arguments().get();
        List<String> optional = new ArrayList<>();
        if (!docs.complexity().isEmpty()) optional.add("complexity");
        if (!docs.docFlags().isEmpty()) optional.add("doc_flags");
        if (!docs.deprecatedSince().isEmpty()) optional.add("deprecated_since");
        if (!docs.replacedBy().isEmpty()) optional.add("replaced_by");
        if (!docs.history().isEmpty()) optional.add("history");
        if (!arguments.isEmpty()) optional.add("arguments");
        if (command.isContainer()) optional.add("subcommands");
        reply.mapHeader(1 + count(docs.summary(), docs.since()) + optional.size());
        writeIfStated("summary", docs.summary(), reply);
        writeIfStated("since", docs.since(), reply);
        reply.bulkString("group").bulkString(docs.group());
        for (String field : optional) {
            reply.bulkString(field);
            switch (field) {
                case "complexity" -> reply.bulkString(docs.complexity());
                case "doc_flags" -> {
                    reply.setHeader(docs.docFlags().size());
                    docs.docFlags().forEach(reply::simpleString);
                }
                case "deprecated_since" -> reply.bulkString(docs.deprecatedSince());
                case "replaced_by" -> reply.bulkString(docs.replacedBy());
                case "history" -> {
                    reply.setHeader(docs.history().size());
                    for (Command.History change : docs.history()) {
                        reply.arrayHeader(2).bulkString(change.version()).bulkString(change.change());
                    }
                }
                case "arguments" -> writeArguments(arguments, reply);
                default -> {
                    reply.mapHeader(command.subcommands().size());
                    for (Command sub : command.subcommands()) {
                        reply.bulkString(sub.name());
                        writeDocs(sub, reply);
                    }
                }
            }
        }
    }

    /** The argument tree, each argument a map in Redis's order (addReplyCommandArgList). */
    private static void writeArguments(List<Command.Argument> arguments, RespWriter reply) {
        reply.arrayHeader(arguments.size());
        for (Command.Argument argument : arguments) {
            List<String> flags = new ArrayList<>();
            if (argument.optional()) flags.add("optional");
            if (argument.multiple()) flags.add("multiple");
            if (argument.multipleToken()) flags.add("multiple_token");
            boolean hasKeySpec = argument.keySpecIndex() >= 0;
            boolean grouped = argument.type().equals("oneof") || argument.type().equals("block");
            boolean hasToken = argument.token() != null; // MIGRATE's empty_string has the token "", which is shown
            reply.mapHeader(2 + (hasKeySpec ? 1 : 0) + (hasToken ? 1 : 0) + count(argument.summary(), argument.since(),
                    argument.deprecatedSince()) + (flags.isEmpty() ? 0 : 1) + (grouped ? 1 : 0));
            reply.bulkString("name").bulkString(argument.name());
            reply.bulkString("type").bulkString(argument.type());
            if (hasKeySpec) {
                reply.bulkString("key_spec_index").integer(argument.keySpecIndex());
            }
            if (hasToken) {
                reply.bulkString("token").bulkString(argument.token());
            }
            writeIfStated("summary", argument.summary(), reply);
            writeIfStated("since", argument.since(), reply);
            writeIfStated("deprecated_since", argument.deprecatedSince(), reply);
            if (!flags.isEmpty()) {
                reply.bulkString("flags").setHeader(flags.size());
                flags.forEach(reply::simpleString);
            }
            if (grouped) {
                reply.bulkString("arguments");
                writeArguments(argument.arguments(), reply);
            }
        }
    }

    private static int count(String... fields) {
        return (int) Arrays.stream(fields).filter(field -> !field.isEmpty()).count();
    }

    private static void writeIfStated(String field, String value, RespWriter reply) {
        if (!value.isEmpty()) {
            reply.bulkString(field).bulkString(value);
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

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("command", CommandCommands::all);
        table.handle("command|count", CommandCommands::count);
        table.handle("command|info", CommandCommands::info);
        table.handle("command|docs", CommandCommands::docs);
        table.handle("command|list", CommandCommands::list);
        table.handle("command|getkeys", CommandCommands::getkeys);
        table.handle("command|getkeysandflags", CommandCommands::getkeysandflags);
        table.handle("command|help", CommandCommands::help);
    }
}
