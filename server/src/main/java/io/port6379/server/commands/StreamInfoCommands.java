// The stream family's introspection: XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS, XINFO HELP.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.StreamGroup;
import io.port6379.datastructures.StreamId;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

import java.util.Map;

/**
 * XINFO's replies are maps (flat arrays in RESP2) with Redis 7.0's fields in its order, including the counters
 * 7.0 added for consumer groups: {@code entries-added}, {@code max-deleted-entry-id},
 * {@code recorded-first-entry-id}, and per group {@code entries-read} and {@code lag} (null when they cannot be
 * known, see {@link RedisStream#lag}).
 */
final class StreamInfoCommands {

    private StreamInfoCommands() {
    }

    static void registerAll(CommandTable table) {
        table.handle("xinfo|stream", StreamInfoCommands::stream);
        table.handle("xinfo|groups", StreamInfoCommands::groups);
        table.handle("xinfo|consumers", StreamInfoCommands::consumers);
        table.handle("xinfo|help", StreamInfoCommands::help);
    }

    private static RedisStream streamOrError(Client client, byte[] key) {
        RedisStream stream = TypeCommands.read(client, key, RedisStream.class);
        if (stream == null) {
            throw new RedisException("ERR no such key");
        }
        return stream;
    }

    private static void field(RespWriter reply, String name, long value) {
        reply.bulkString(name);
        reply.integer(value);
    }

    private static void field(RespWriter reply, String name, StreamId id) {
        reply.bulkString(name);
        reply.bulkString(id.bytes());
    }

    /** A counter that may be unknown (-1): an integer, or a null. */
    /** A group's lag: null when it cannot be known, and otherwise the number, negative ones included. */
    private static void lag(RespWriter reply, long lag) {
        reply.bulkString("lag");
        if (lag == RedisStream.UNKNOWN_LAG) {
            reply.nullValue();
        } else {
            reply.integer(lag);
        }
    }

    private static void maybe(RespWriter reply, String name, long value) {
        reply.bulkString(name);
        if (value == -1) {
            reply.nullValue();
        } else {
            reply.integer(value);
        }
    }

    /** XINFO STREAM key [FULL [COUNT n]]. */
    static void stream(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = streamOrError(client, args[2]);
        int options = args.length - 3;
        boolean full = options > 0;
        long count = 10;
        if (full) {
            if (options != 1 && options != 3 || !Args.is(args[3], "full")) {
                throw StreamGroupCommands.subcommandSyntaxError(args, "XINFO");
            }
            if (options == 3) {
                if (!Args.is(args[4], "count")) {
                    throw StreamGroupCommands.subcommandSyntaxError(args, "XINFO");
                }
                count = RedisNumbers.parseLong(args[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        reply.mapHeader(full ? 9 : 10);
        field(reply, "length", stream.length());
        field(reply, "radix-tree-keys", stream.radixTreeKeys());
        field(reply, "radix-tree-nodes", stream.radixTreeNodes());
        field(reply, "last-generated-id", stream.lastId());
        field(reply, "max-deleted-entry-id", stream.maxDeletedEntryId());
        field(reply, "entries-added", stream.entriesAdded());
        field(reply, "recorded-first-entry-id", stream.firstId());
        if (!full) {
            field(reply, "groups", stream.groups().size());
            for (boolean first : new boolean[] {true, false}) {
                reply.bulkString(first ? "first-entry" : "last-entry");
                RedisStream.Entry entry = stream.first(first);
                if (entry == null) {
                    reply.nullValue();
                } else {
                    StreamCommands.entry(reply, entry);
                }
            }
            return;
        }
        reply.bulkString("entries");
        StreamCommands.entries(reply, stream.range(StreamId.MIN, StreamId.MAX, count, false));
        reply.bulkString("groups");
        reply.arrayHeader(stream.groups().size());
        for (Map.Entry<Bytes, StreamGroup> e : stream.groups().entrySet()) {
            fullGroup(reply, stream, e.getKey(), e.getValue(), count);
        }
    }

    private static void fullGroup(RespWriter reply, RedisStream stream, Bytes name, StreamGroup group, long count) {
        reply.mapHeader(7);
        reply.bulkString("name");
        reply.bulkString(name.array());
        field(reply, "last-delivered-id", group.lastId);
        maybe(reply, "entries-read", group.entriesRead);
        lag(reply, stream.lag(group));
        field(reply, "pel-count", group.pending.size());
        reply.bulkString("pending");
        long rows = count == 0 ? group.pending.size() : Math.min(count, group.pending.size());
        reply.arrayHeader((int) rows);
        long n = 0;
        for (Map.Entry<StreamId, StreamGroup.Pending> p : group.pending.entrySet()) {
            if (n++ == rows) {
                break;
            }
            reply.arrayHeader(4);
            reply.bulkString(p.getKey().bytes());
            reply.bulkString(p.getValue().consumer.name.array());
            reply.integer(p.getValue().deliveryTime);
            reply.integer(p.getValue().deliveryCount);
        }
        reply.bulkString("consumers");
        reply.arrayHeader(group.consumers.size());
        for (StreamGroup.Consumer consumer : group.consumers.values()) {
            reply.mapHeader(4);
            reply.bulkString("name");
            reply.bulkString(consumer.name.array());
            field(reply, "seen-time", consumer.seenTime);
            field(reply, "pel-count", consumer.pending.size());
            reply.bulkString("pending");
            long mine = count == 0 ? consumer.pending.size() : Math.min(count, consumer.pending.size());
            reply.arrayHeader((int) mine);
            long m = 0;
            for (Map.Entry<StreamId, StreamGroup.Pending> p : consumer.pending.entrySet()) {
                if (m++ == mine) {
                    break;
                }
                reply.arrayHeader(3);
                reply.bulkString(p.getKey().bytes());
                reply.integer(p.getValue().deliveryTime);
                reply.integer(p.getValue().deliveryCount);
            }
        }
    }

    /** XINFO GROUPS key. */
    static void groups(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = streamOrError(client, args[2]);
        reply.arrayHeader(stream.groups().size());
        for (Map.Entry<Bytes, StreamGroup> e : stream.groups().entrySet()) {
            StreamGroup group = e.getValue();
            reply.mapHeader(6);
            reply.bulkString("name");
            reply.bulkString(e.getKey().array());
            field(reply, "consumers", group.consumers.size());
            field(reply, "pending", group.pending.size());
            field(reply, "last-delivered-id", group.lastId);
            maybe(reply, "entries-read", group.entriesRead);
            lag(reply, stream.lag(group));
        }
    }

    /** XINFO CONSUMERS key group. */
    static void consumers(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = streamOrError(client, args[2]);
        StreamGroup group = stream.groups().get(Bytes.of(args[3]));
        if (group == null) {
            throw StreamGroupCommands.noGroupForKey(args[2], args[3]);
        }
        long now = client.server().clock().millis();
        reply.arrayHeader(group.consumers.size());
        for (StreamGroup.Consumer consumer : group.consumers.values()) {
            reply.mapHeader(3);
            reply.bulkString("name");
            reply.bulkString(consumer.name.array());
            field(reply, "pending", consumer.pending.size());
            field(reply, "idle", Math.max(0, now - consumer.seenTime));
        }
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream.");
    }
}
