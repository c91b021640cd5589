// The stream family's consumer groups: XGROUP, XACK, XPENDING, XCLAIM and XAUTOCLAIM.
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
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A consumer group turns a stream into a work queue: each entry goes to one consumer of the group, stays in the
 * group's pending entries list (PEL) until XACK, and can be taken over by another consumer with XCLAIM or
 * XAUTOCLAIM when its holder stays silent. Replies, errors and their order are Redis 7.0's.
 */
final class StreamGroupCommands {

    private StreamGroupCommands() {
    }

    static void registerAll(CommandTable table) {
        table.handle("xgroup|create", StreamGroupCommands::create);
        table.handle("xgroup|setid", StreamGroupCommands::setId);
        table.handle("xgroup|destroy", StreamGroupCommands::destroy);
        table.handle("xgroup|createconsumer", StreamGroupCommands::createConsumer);
        table.handle("xgroup|delconsumer", StreamGroupCommands::delConsumer);
        table.handle("xgroup|help", StreamGroupCommands::help);
        table.handle("xack", StreamGroupCommands::xack);
        table.handle("xpending", StreamGroupCommands::xpending);
        table.handle("xclaim", StreamGroupCommands::xclaim);
        table.handle("xautoclaim", StreamGroupCommands::xautoclaim);
    }

    static RedisException subcommandSyntaxError(byte[][] args, String command) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
                + "'. Try " + command + " HELP.");
    }

    static RedisException noGroup(byte[] key, byte[] group) {
        return new RedisException("NOGROUP No such key '" + Args.text(key) + "' or consumer group '" + Args.text(group) + "'");
    }

    static RedisException noGroupForKey(byte[] key, byte[] group) {
        return new RedisException("NOGROUP No such consumer group '" + Args.text(group) + "' for key name '" + Args.text(key) + "'");
    }

    /** Redis's {@code streamCreateConsumer}: a new consumer is announced and counted as a change. */
    static StreamGroup.Consumer consumer(Client client, StreamGroup group, byte[] key, byte[] name) {
        long now = client.server().clock().millis();
        StreamGroup.Consumer consumer = group.consumer(Bytes.of(name));
        if (consumer != null) {
            consumer.seenTime = now;
            consumer.justCreated = false;
            return consumer;
        }
        consumer = group.consumerOrCreate(Bytes.of(name), now);
        consumer.justCreated = true;
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.notify(NotifyKeyspaceEvents.STREAM, "xgroup-createconsumer", Bytes.of(key), client.dbIndex());
        events.dirty(1);
        return consumer;
    }

    /**
     * What every XGROUP subcommand but HELP checks first, in Redis's order: the key's type, that it exists (unless
     * MKSTREAM), and for SETID, CREATECONSUMER and DELCONSUMER that the group exists.
     */
    private static RedisStream streamFor(Client client, byte[][] args, boolean mkstream, boolean groupNeeded) {
        RedisStream stream = StreamCommands.stream(client, args[2]);
        if (!mkstream) {
            if (stream == null) {
                throw new RedisException("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
                        + "want to use the MKSTREAM option to create an empty stream automatically.");
            }
            if (groupNeeded && !stream.groups().containsKey(Bytes.of(args[3]))) {
                throw noGroupForKey(args[2], args[3]);
            }
        }
        return stream;
    }

    private static long entriesRead(byte[] arg) {
        long value = RedisNumbers.parseLong(arg);
        if (value < 0 && value != -1) {
            throw new RedisException("ERR value for ENTRIESREAD must be positive or -1");
        }
        return value;
    }

    /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]. */
    static void create(Client client, byte[][] args, RespWriter reply) {
        boolean mkstream = false;
        long entriesRead = -1;
        for (int i = 5; i < args.length; i++) {
            if (Args.is(args[i], "mkstream")) {
                mkstream = true;
            } else if (Args.is(args[i], "entriesread") && i + 1 < args.length) {
                entriesRead = entriesRead(args[++i]);
            } else {
                throw subcommandSyntaxError(args, "XGROUP");
            }
        }
        RedisStream stream = streamFor(client, args, mkstream, false);
        if (args.length > 8) {
            throw subcommandSyntaxError(args, "XGROUP");
        }
        StreamId id;
        if (args[4].length == 1 && args[4][0] == '$') {
            id = stream == null ? StreamId.MIN : stream.lastId();
        } else {
            id = StreamCommands.strictId(args[4]);
        }
        Bytes key = Bytes.of(args[2]);
        if (stream == null) {
            stream = new RedisStream();
            client.db().set(key, stream);
            client.server().keyspaceEvents().signalModifiedKey(client.dbIndex(), key);
        }
        Bytes name = Bytes.of(args[3]);
        if (stream.groups().containsKey(name)) {
            throw new RedisException("BUSYGROUP Consumer Group name already exists");
        }
        stream.groups().put(name, new StreamGroup(id, entriesRead));
        Replies.ok(reply);
        client.server().keyspaceEvents().dirty(1);
        client.server().keyspaceEvents().notify(NotifyKeyspaceEvents.STREAM, "xgroup-create", key, client.dbIndex());
    }

    /** XGROUP SETID key group id|$ [ENTRIESREAD n]. */
    static void setId(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = streamFor(client, args, false, true);
        if (args.length != 5 && args.length != 7) {
            throw subcommandSyntaxError(args, "XGROUP");
        }
        StreamId id;
        if (args[4].length == 1 && args[4][0] == '$') {
            id = stream.lastId();
        } else {
            id = StreamCommands.id(args[4], 0);
        }
        long entriesRead = -1;
        if (args.length == 7) {
            if (!Args.is(args[5], "entriesread")) {
                throw subcommandSyntaxError(args, "XGROUP");
            }
            entriesRead = entriesRead(args[6]);
        }
        StreamGroup group = stream.groups().get(Bytes.of(args[3]));
        group.lastId = id;
        group.entriesRead = entriesRead;
        Replies.ok(reply);
        client.server().keyspaceEvents().dirty(1);
        client.server().keyspaceEvents().notify(NotifyKeyspaceEvents.STREAM, "xgroup-setid", Bytes.of(args[2]), client.dbIndex());
    }

    /** XGROUP DESTROY key group — 1 when it existed; blocked XREADGROUP clients of the group get NOGROUP. */
    static void destroy(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = streamFor(client, args, false, false);
        if (stream.groups().remove(Bytes.of(args[3])) == null) {
            reply.integer(0);
            return;
        }
        reply.integer(1);
        Bytes key = Bytes.of(args[2]);
        client.server().keyspaceEvents().dirty(1);
        client.server().keyspaceEvents().notify(NotifyKeyspaceEvents.STREAM, "xgroup-destroy", key, client.dbIndex());
        client.server().blockingKeys().signal(client.dbIndex(), key);
    }

    /** XGROUP CREATECONSUMER key group consumer — 1 when created, 0 when it existed. */
    static void createConsumer(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = streamFor(client, args, false, true);
        StreamGroup group = stream.groups().get(Bytes.of(args[3]));
        if (group.consumer(Bytes.of(args[4])) != null) {
            reply.integer(0);
            return;
        }
        consumer(client, group, args[2], args[4]);
        reply.integer(1);
    }

    /** XGROUP DELCONSUMER key group consumer — the number of entries it still had pending. */
    static void delConsumer(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = streamFor(client, args, false, true);
        long pending = stream.groups().get(Bytes.of(args[3])).deleteConsumer(Bytes.of(args[4]));
        if (pending >= 0) {
            client.server().keyspaceEvents().dirty(1);
            client.server().keyspaceEvents().notify(NotifyKeyspaceEvents.STREAM, "xgroup-delconsumer", Bytes.of(args[2]),
                    client.dbIndex());
        }
        reply.integer(Math.max(pending, 0));
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter.");
    }

    /** The stream and group of XACK, XCLAIM, XAUTOCLAIM, XPENDING, or null when either is missing. */
    private static StreamGroup group(Client client, byte[] key, byte[] name) {
        RedisStream stream = TypeCommands.read(client, key, RedisStream.class);
        return stream == null ? null : stream.groups().get(Bytes.of(name));
    }

    /** XACK key group id [id ...] — the number of entries that were pending and are no longer. */
    static void xack(Client client, byte[][] args, RespWriter reply) {
        StreamGroup group = group(client, args[1], args[2]);
        if (group == null) {
            reply.integer(0);
            return;
        }
        StreamId[] ids = new StreamId[args.length - 3];
        for (int j = 3; j < args.length; j++) {
            ids[j - 3] = StreamCommands.strictId(args[j]);
        }
        long acknowledged = 0;
        for (StreamId id : ids) {
            if (group.ack(id)) {
                acknowledged++;
            }
        }
        client.server().keyspaceEvents().dirty(acknowledged);
        reply.integer(acknowledged);
    }

    /** XPENDING key group [[IDLE min-idle] start end count [consumer]]: the summary, or the entries. */
    static void xpending(Client client, byte[][] args, RespWriter reply) {
        if (args.length != 3 && (args.length < 6 || args.length > 9)) {
            throw Args.syntaxError();
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (args.length >= 6) {
            int at = 3;
            if (Args.is(args[3], "idle")) {
                minIdle = RedisNumbers.parseLong(args[4]);
                if (args.length < 8) {
                    throw Args.syntaxError();
                }
                at += 2;
            }
            count = Math.max(0, RedisNumbers.parseLong(args[at + 2]));
            start = StreamCommands.bound(args[at], 0, true);
            end = StreamCommands.bound(args[at + 1], -1L, false);
            if (at + 3 < args.length) {
                consumerName = args[at + 3];
            }
        }
        StreamGroup group = group(client, args[1], args[2]);
        if (group == null) {
            throw noGroup(args[1], args[2]);
        }
        if (start == null) {
            summary(group, reply);
            return;
        }
        Map<StreamId, StreamGroup.Pending> pel = group.pending;
        if (consumerName != null) {
            StreamGroup.Consumer consumer = group.consumer(Bytes.of(consumerName));
            if (consumer == null) {
                reply.arrayHeader(0);
                return;
            }
            pel = consumer.pending;
        }
        long now = client.server().clock().millis();
        List<Map.Entry<StreamId, StreamGroup.Pending>> rows = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, StreamGroup.Pending> e : ((java.util.NavigableMap<StreamId, StreamGroup.Pending>) pel)
                    .subMap(start, true, end, true).entrySet()) {
                if (rows.size() >= count) {
                    break;
                }
                if (minIdle == 0 || now - e.getValue().deliveryTime >= minIdle) {
                    rows.add(e);
                }
            }
        }
        reply.arrayHeader(rows.size());
        for (Map.Entry<StreamId, StreamGroup.Pending> e : rows) {
            StreamGroup.Pending nack = e.getValue();
            reply.arrayHeader(4);
            reply.bulkString(e.getKey().bytes());
            reply.bulkString(nack.consumer.name.array());
            reply.integer(Math.max(0, now - nack.deliveryTime));
            reply.integer(nack.deliveryCount);
        }
    }

    private static void summary(StreamGroup group, RespWriter reply) {
        reply.arrayHeader(4);
        reply.integer(group.pending.size());
        if (group.pending.isEmpty()) {
            reply.nullBulkString();
            reply.nullBulkString();
            reply.nullArray();
            return;
        }
        reply.bulkString(group.pending.firstKey().bytes());
        reply.bulkString(group.pending.lastKey().bytes());
        List<StreamGroup.Consumer> holders = new ArrayList<>();
        for (StreamGroup.Consumer consumer : group.consumers.values()) {
            if (!consumer.pending.isEmpty()) {
                holders.add(consumer);
            }
        }
        reply.arrayHeader(holders.size());
        for (StreamGroup.Consumer consumer : holders) {
            reply.arrayHeader(2);
            reply.bulkString(consumer.name.array());
            reply.bulkString(Long.toString(consumer.pending.size()));
        }
    }

    /** Moves the pending entry {@code id} to {@code consumer}, as XCLAIM and XAUTOCLAIM do. */
    private static void claim(StreamGroup group, StreamId id, StreamGroup.Pending nack, StreamGroup.Consumer consumer) {
        if (nack.consumer != consumer) {
            if (nack.consumer != null) {
                nack.consumer.pending.remove(id);
            }
            consumer.pending.put(id, nack);
            nack.consumer = consumer;
        }
        group.pending.put(id, nack);
    }

    private static long optionNumber(byte[] arg, String message) {
        if (!RedisNumbers.isLong(arg)) {
            throw new RedisException("ERR " + message);
        }
        return RedisNumbers.parseLong(arg);
    }

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID]
     * [LASTID id] — the entries (or IDs) now held by {@code consumer}.
     */
    static void xclaim(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = TypeCommands.read(client, args[1], RedisStream.class);
        StreamGroup group = stream == null ? null : stream.groups().get(Bytes.of(args[2]));
        if (group == null) {
            throw noGroup(args[1], args[2]);
        }
        long minIdle = Math.max(0, optionNumber(args[4], "Invalid min-idle-time argument for XCLAIM"));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < args.length; j++) {
            StreamId.Parsed parsed = StreamId.parse(args[j], 0, true, false);
            if (parsed == null) {
                break;
            }
            ids.add(parsed.id());
        }
        long now = client.server().clock().millis();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < args.length; j++) {
            boolean more = j + 1 < args.length;
            byte[] opt = args[j];
            if (Args.is(opt, "force")) {
                force = true;
            } else if (Args.is(opt, "justid")) {
                justId = true;
            } else if (Args.is(opt, "idle") && more) {
                deliveryTime = now - optionNumber(args[++j], "Invalid IDLE option argument for XCLAIM");
            } else if (Args.is(opt, "time") && more) {
                deliveryTime = optionNumber(args[++j], "Invalid TIME option argument for XCLAIM");
            } else if (Args.is(opt, "retrycount") && more) {
                retryCount = optionNumber(args[++j], "Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Args.is(opt, "lastid") && more) {
                lastId = StreamCommands.strictId(args[++j]);
            } else {
                throw new RedisException("ERR Unrecognized XCLAIM option '" + Args.text(opt) + "'");
            }
        }
        long changes = 0;
        if (lastId.compareTo(group.lastId) > 0) {
            group.lastId = lastId;
            changes++;
        }
        if (deliveryTime < 0 || deliveryTime > now) {
            deliveryTime = now;
        }
        StreamGroup.Consumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        group.dropped.clear();
        for (StreamId id : ids) {
            StreamGroup.Pending nack = group.pending.get(id);
            RedisStream.Entry entry = stream.get(id);
            if (entry == null) {
                if (nack != null) {
                    group.ack(id);
                    group.dropped.put(id, nack);
                    changes++;
                }
                continue;
            }
            if (force && nack == null) {
                nack = new StreamGroup.Pending(now, 1, null);
                group.pending.put(id, nack);
            }
            if (nack == null) {
                continue;
            }
            if (nack.consumer != null && minIdle > 0 && now - nack.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = consumer(client, group, args[1], args[3]);
            }
            claim(group, id, nack, consumer);
            nack.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                nack.deliveryCount = retryCount;
            } else if (!justId) {
                nack.deliveryCount++;
            }
            claimed.add(justId ? id : entry);
            changes++;
        }
        client.server().keyspaceEvents().dirty(changes);
        claimed(reply, claimed);
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID] — [next cursor, claimed, deleted IDs]. */
    static void xautoclaim(Client client, byte[][] args, RespWriter reply) {
        long minIdle = Math.max(0, optionNumber(args[4], "Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamCommands.bound(args[5], 0, true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < args.length; j++) {
            if (Args.is(args[j], "count") && j + 1 < args.length) {
                byte[] arg = args[++j];
                if (!RedisNumbers.isLong(arg)) {
                    throw new RedisException("ERR COUNT must be > 0");
                }
                count = RedisNumbers.parseLong(arg);
                if (count < 1 || count > Long.MAX_VALUE / 16) {
                    throw new RedisException("ERR COUNT must be > 0");
                }
            } else if (Args.is(args[j], "justid")) {
                justId = true;
            } else {
                throw Args.syntaxError();
            }
        }
        RedisStream stream = TypeCommands.read(client, args[1], RedisStream.class);
        StreamGroup group = stream == null ? null : stream.groups().get(Bytes.of(args[2]));
        if (group == null) {
            throw noGroup(args[1], args[2]);
        }
        long attempts = count * 10;
        long now = client.server().clock().millis();
        StreamGroup.Consumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        long changes = 0;
        StreamId cursor = start;
        StreamId next = null;
        group.dropped.clear();
        while (true) {
            if (attempts-- == 0 || count == 0) {
                next = group.pending.ceilingKey(cursor);
                break;
            }
            Map.Entry<StreamId, StreamGroup.Pending> e = group.pending.ceilingEntry(cursor);
            if (e == null) {
                break;
            }
            StreamId id = e.getKey();
            StreamId after = id.next();
            cursor = after == null ? id : after;
            StreamGroup.Pending nack = e.getValue();
            RedisStream.Entry entry = stream.get(id);
            if (entry == null) {
                group.ack(id);
                group.dropped.put(id, nack);
                deleted.add(id);
                changes++;
                count--;
            } else if (minIdle == 0 || now - nack.deliveryTime >= minIdle) {
                if (consumer == null) {
                    consumer = consumer(client, group, args[1], args[3]);
                }
                claim(group, id, nack, consumer);
                nack.deliveryTime = now;
                if (!justId) {
                    nack.deliveryCount++;
                }
                claimed.add(justId ? id : entry);
                count--;
                changes++;
            }
            if (after == null) {
                break;
            }
        }
        client.server().keyspaceEvents().dirty(changes);
        reply.arrayHeader(3);
        reply.bulkString((next == null ? StreamId.MIN : next).bytes());
        claimed(reply, claimed);
        reply.arrayHeader(deleted.size());
        for (StreamId id : deleted) {
            reply.bulkString(id.bytes());
        }
    }

    /** XCLAIM's and XAUTOCLAIM's list of what was claimed: IDs with JUSTID, else the entries. */
    private static void claimed(RespWriter reply, List<Object> claimed) {
        reply.arrayHeader(claimed.size());
        for (Object item : claimed) {
            if (item instanceof StreamId id) {
                reply.bulkString(id.bytes());
            } else {
                StreamCommands.entry(reply, (RedisStream.Entry) item);
            }
        }
    }
}
