// The memory family: MEMORY USAGE, the bytes one key and its value occupy, and MEMORY HELP.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

/**
 * MEMORY USAGE answers from the same counts as INFO's {@code used_memory} (see {@code MemorySizes}): the key's entry,
 * its key and its value, in heap bytes. Redis samples up to SAMPLES elements of a nested value and extrapolates;
 * ours knows the exact figure in O(1), so SAMPLES is checked as Redis checks it and then has nothing to change.
 */
public final class MemoryCommands {

    private MemoryCommands() {
    }

    public static void registerAll(CommandTable table) {
        table.handle("memory|usage", MemoryCommands::usage);
        table.handle("memory|help", MemoryCommands::help);
    }

    // tag::usage[]
    /** MEMORY USAGE key [SAMPLES count] — the key's bytes, or nil when it is absent. */
    static void usage(Client client, byte[][] args, RespWriter reply) {
        for (int i = 3; i < args.length; i++) {
            if (Args.is(args[i], "samples") && i + 1 < args.length) {
                if (Args.parseLong(args[++i]) < 0) {
                    throw new RedisException(Args.SYNTAX_ERROR);
                }
            } else {
                throw new RedisException(Args.SYNTAX_ERROR);
            }
        }
        long bytes = client.db().memoryUsage(Bytes.of(args[2]));
        if (bytes < 0) {
            reply.nullBulkString();
        } else {
            reply.integer(bytes);
        }
    }
    // end::usage[]

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }
}
