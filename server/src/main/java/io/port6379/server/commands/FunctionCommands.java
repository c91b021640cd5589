// The functions family: FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL/HELP, FCALL and FCALL_RO.
package io.port6379.server.commands;

import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.persistence.DumpPayload;
import io.port6379.server.scripting.FunctionLibraries;
import io.port6379.server.scripting.ScriptEngine;
import io.port6379.server.scripting.Shebang;
import io.port6379.server.util.Args;
import io.port6379.server.util.Glob;
import io.port6379.server.util.Replies;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Redis 7's {@code functions.c}, the commands around {@link FunctionLibraries}. Where EVAL sends its script with
 * every call (or its SHA1, for a cache that may be flushed), a function is loaded once, under a name, as part of
 * the data: it is saved in the RDB file, written to the AOF and replicated, so an application calls
 * {@code FCALL name} and never ships code again. The run itself is EVAL's ({@link ScriptEngine#runFunction}).
 */
public final class FunctionCommands {

    private FunctionCommands() {
    }

    private static FunctionLibraries libraries(Client client) {
        return ScriptEngine.of(client.server()).libraries();
    }

    // tag::fcall[]
    /** FCALL function numkeys [key ...] [arg ...]. */
    static void fcall(Client client, byte[][] args, RespWriter reply) {
        fcallGeneric(client, args, reply, false);
    }

    /** FCALL_RO: the function must have declared {@code no-writes}. */
    static void fcallRo(Client client, byte[][] args, RespWriter reply) {
        fcallGeneric(client, args, reply, true);
    }

    private static void fcallGeneric(Client client, byte[][] args, RespWriter reply, boolean readOnly) {
        client.server().dispatcher().feedMonitors(client, args); // before the function's own commands, as Redis
        FunctionLibraries.Function function = libraries(client).function(Args.text(args[1]));
        if (function == null) {
            throw new RedisException("ERR Function not found");
        }
        ScriptEngine.of(client.server()).refuseWhenOutOfMemory(function.flags());
        long numkeys;
        try {
            numkeys = Args.parseLong(args[2]);
        } catch (RedisException e) {
            throw new RedisException("ERR Bad number of keys provided");
        }
        if (numkeys > args.length - 3) {
            throw new RedisException("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw new RedisException("ERR Number of keys can't be negative");
        }
        int keys = (int) numkeys;
        ScriptEngine.of(client.server()).runFunction(client, function, args, Arrays.copyOfRange(args, 3, 3 + keys),
                Arrays.copyOfRange(args, 3 + keys, args.length), readOnly, reply);
    }
    // end::fcall[]

    /** FUNCTION LOAD [REPLACE] code: the library's name. */
    static void load(Client client, byte[][] args, RespWriter reply) {
        boolean replace = false;
        int i = 2;
        for (; i < args.length - 1; i++) {
            if (!Args.is(args[i], "replace")) {
                throw new RedisException("ERR Unknown option given: " + Args.text(args[i]));
            }
            replace = true;
        }
        String name = libraries(client).load(args[i], replace);
        client.server().stats().dirty(1);
        reply.bulkString(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** FUNCTION DELETE library. */
    static void delete(Client client, byte[][] args, RespWriter reply) {
        libraries(client).delete(Args.text(args[2]));
        client.server().stats().dirty(1);
        Replies.ok(reply);
    }

    /** FUNCTION FLUSH [ASYNC|SYNC]. */
    static void flush(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw subcommandSyntax(args);
        }
        if (args.length == 3 && !Args.is(args[2], "sync") && !Args.is(args[2], "async")) {
            throw new RedisException("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        boolean async = args.length == 3 ? Args.is(args[2], "async") : client.server().config().flag("lazyfree-lazy-user-flush");
        libraries(client).flush(async ? client.server().lazyFree() : null);
        client.server().stats().dirty(1);
        Replies.ok(reply);
    }

    // tag::list[]
    /**
     * FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: each library with its functions, flags and maybe code. Libraries
     * and functions come in load order: Redis's order is its dict's, seeded at random per process, so not Redis's.
     */
    static void list(Client client, byte[][] args, RespWriter reply) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < args.length; i++) {
            if (!withCode && Args.is(args[i], "withcode")) {
                withCode = true;
            } else if (pattern == null && Args.is(args[i], "libraryname")) {
                if (i >= args.length - 1) {
                    throw new RedisException("ERR library name argument was not given");
                }
                pattern = args[++i];
            } else {
                throw new RedisException("ERR Unknown argument " + Args.text(args[i]));
            }
        }
        List<FunctionLibraries.Library> listed = new ArrayList<>();
        for (FunctionLibraries.Library library : libraries(client).libraries()) {
            if (pattern == null || Glob.matches(pattern, library.name().getBytes(StandardCharsets.ISO_8859_1), true)) {
                listed.add(library);
            }
        }
        reply.arrayHeader(listed.size());
        for (FunctionLibraries.Library library : listed) {
            reply.mapHeader(withCode ? 4 : 3);
            reply.bulkString("library_name").bulkString(library.name().getBytes(StandardCharsets.ISO_8859_1));
            reply.bulkString("engine").bulkString(library.engine());
            reply.bulkString("functions").arrayHeader(library.functions().size());
            for (FunctionLibraries.Function function : library.functions().values()) {
                reply.mapHeader(3);
                reply.bulkString("name").bulkString(function.name());
                reply.bulkString("description");
                if (function.description() == null) {
                    reply.nullValue();
                } else {
                    reply.bulkString(function.description());
                }
                reply.bulkString("flags").setHeader(Integer.bitCount(function.flags()));
                for (int bit = 0; bit < Shebang.NAMES.size(); bit++) {
                    if ((function.flags() & 1 << bit) != 0) {
                        reply.simpleString(Shebang.NAMES.get(bit));
                    }
                }
            }
            if (withCode) {
                reply.bulkString("library_code").bulkString(library.code());
            }
        }
    }
    // end::list[]

    /** FUNCTION DUMP: every library in one payload, RDB's FUNCTION2 records and DUMP's footer. */
    static void dump(Client client, byte[][] args, RespWriter reply) {
        List<byte[]> codes = libraries(client).libraries().stream().map(FunctionLibraries.Library::code).toList();
        reply.bulkString(DumpPayload.functions(codes, client.server().config().flag("rdbcompression")));
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. */
    static void restore(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 4) {
            throw subcommandSyntax(args);
        }
        String policy = "append";
        if (args.length == 4) {
            policy = Args.text(args[3]).toLowerCase(Locale.ROOT);
            if (!policy.equals("append") && !policy.equals("replace") && !policy.equals("flush")) {
                throw new RedisException("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        if (!DumpPayload.verify(args[2])) {
            throw new RedisException("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes;
        try {
            codes = DumpPayload.functionCodes(args[2]);
        } catch (IllegalArgumentException e) {
            throw new RedisException("ERR " + e.getMessage());
        }
        libraries(client).restore(codes, policy);
        client.server().stats().dirty(1);
        Replies.ok(reply);
    }

    /** FUNCTION STATS: the function the server is busy with, if any, and the engine's counts. */
    static void stats(Client client, byte[][] args, RespWriter reply) {
        ScriptEngine.of(client.server()).functionStats(reply);
    }

    /** FUNCTION KILL: stops a busy function that has not written; it runs between the function's instructions. */
    static void kill(Client client, byte[][] args, RespWriter reply) {
        ScriptEngine.of(client.server()).kill(true);
        Replies.ok(reply);
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply,
                "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                        + "RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }

    private static RedisException subcommandSyntax(byte[][] args) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
                + "'. Try " + Args.text(args[0]).toUpperCase(Locale.ROOT) + " HELP.");
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("fcall", FunctionCommands::fcall);
        table.handle("fcall_ro", FunctionCommands::fcallRo);
        table.handle("function|load", FunctionCommands::load);
        table.handle("function|delete", FunctionCommands::delete);
        table.handle("function|flush", FunctionCommands::flush);
        table.handle("function|list", FunctionCommands::list);
        table.handle("function|dump", FunctionCommands::dump);
        table.handle("function|restore", FunctionCommands::restore);
        table.handle("function|stats", FunctionCommands::stats);
        table.handle("function|kill", FunctionCommands::kill);
        table.handle("function|help", FunctionCommands::help);
    }
}
