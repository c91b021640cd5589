// The stream family: XADD and the log's reads, deletes and trims; consumer groups are in StreamGroupCommands.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.StreamId;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

import java.util.List;

/**
 * Stream commands, on top of {@link RedisStream}, with Redis 7.0's replies and errors (t_stream.c). An entry is
 * replied as {@code [id, [field, value, ...]]} in both protocols; a stream is never deleted when it becomes
 * empty, unlike the other collections, because its last ID and its groups must survive.
 */
public final class StreamCommands {

    private StreamCommands() {
    }

    public static void registerAll(CommandTable table) {
        table.handle("xadd", StreamCommands::xadd);
        table.handle("xlen", StreamCommands::xlen);
        table.handle("xrange", (c, a, r) -> range(c, a, r, false));
        table.handle("xrevrange", (c, a, r) -> range(c, a, r, true));
        table.handle("xdel", StreamCommands::xdel);
        table.handle("xtrim", StreamCommands::xtrim);
        table.handle("xsetid", StreamCommands::xsetid);
        StreamGroupCommands.registerAll(table);
        StreamReadCommands.registerAll(table);
        StreamInfoCommands.registerAll(table);
    }

    /** The stream under {@code key} for a write, or null; WRONGTYPE for another type. */
    static RedisStream stream(Client client, byte[] key) {
        return TypeCommands.get(client, key, RedisStream.class);
    }

    /** An ID argument as most commands read it: strict ({@code -} and {@code +} refused), sequence 0 if missing. */
    static StreamId strictId(byte[] arg) {
        StreamId.Parsed parsed = StreamId.parse(arg, 0, true, false);
        if (parsed == null) {
            throw new RedisException(StreamId.INVALID);
        }
        return parsed.id();
    }

    /** An ID that may be {@code -} or {@code +}, the sequence {@code missingSeq} when missing. */
    static StreamId id(byte[] arg, long missingSeq) {
        StreamId.Parsed parsed = StreamId.parse(arg, missingSeq, false, false);
        if (parsed == null) {
            throw new RedisException(StreamId.INVALID);
        }
        return parsed.id();
    }

    /** A range bound: {@code (id} excludes it (Redis's {@code streamParseIntervalIDOrReply}). */
    static StreamId bound(byte[] arg, long missingSeq, boolean start) {
        boolean exclusive = arg.length > 1 && arg[0] == '(';
        if (!exclusive) {
            return id(arg, missingSeq);
        }
        StreamId id = strictId(missingSeq, java.util.Arrays.copyOfRange(arg, 1, arg.length));
        StreamId moved = start ? id.next() : id.previous();
        if (moved == null) {
            throw new RedisException(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
        }
        return moved;
    }

    private static StreamId strictId(long missingSeq, byte[] arg) {
        StreamId.Parsed parsed = StreamId.parse(arg, missingSeq, true, false);
        if (parsed == null) {
            throw new RedisException(StreamId.INVALID);
        }
        return parsed.id();
    }

    /** One entry as XRANGE and XREAD reply it. */
    static void entry(RespWriter reply, RedisStream.Entry entry) {
        reply.arrayHeader(2);
        reply.bulkString(entry.id().bytes());
        reply.arrayHeader(entry.fieldsAndValues().length);
        for (byte[] element : entry.fieldsAndValues()) {
            reply.bulkString(element);
        }
    }

    static void entries(RespWriter reply, List<RedisStream.Entry> entries) {
        reply.arrayHeader(entries.size());
        for (RedisStream.Entry entry : entries) {
            entry(reply, entry);
        }
    }

    /** MAXLEN/MINID with {@code =} or {@code ~}, and LIMIT, as XADD and XTRIM read them. */
    static final class TrimOptions {
        long maxLen = -1;
        StreamId minId;
        boolean approx;
        long limit;
        boolean noMkStream;
        /** XADD: the ID argument's position, and the ID (null for {@code *}) with whether its sequence was given. */
        int idIndex;
        StreamId id;
        boolean seqGiven;

        boolean trims() {
            return maxLen >= 0 || minId != null;
        }

        /** Redis's {@code streamParseAddOrTrimArgsOrReply}. */
        static TrimOptions parse(Client client, byte[][] args, boolean xadd) {
            TrimOptions o = new TrimOptions();
            boolean limitGiven = false;
            int i = 2;
            for (; i < args.length; i++) {
                int more = args.length - 1 - i;
                byte[] opt = args[i];
                if (xadd && opt.length == 1 && opt[0] == '*') {
                    break;
                } else if ((Args.is(opt, "maxlen") || Args.is(opt, "minid")) && more > 0) {
                    if (o.trims()) {
                        throw new RedisException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    }
                    boolean maxlen = Args.is(opt, "maxlen");
                    o.approx = false;
                    byte[] next = args[i + 1];
                    if (more >= 2 && next.length == 1 && next[0] == '~') {
                        o.approx = true;
                        i++;
                    } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                        i++;
                    }
                    if (maxlen) {
                        o.maxLen = RedisNumbers.parseLong(args[i + 1]);
                        if (o.maxLen < 0) {
                            throw new RedisException("ERR The MAXLEN argument must be >= 0.");
                        }
                    } else {
                        o.minId = strictId(args[i + 1]);
                    }
                    i++;
                } else if (Args.is(opt, "limit") && more > 0) {
                    o.limit = RedisNumbers.parseLong(args[i + 1]);
                    if (o.limit < 0) {
                        throw new RedisException("ERR The LIMIT argument must be >= 0.");
                    }
                    limitGiven = true;
                    i++;
                } else if (xadd && Args.is(opt, "nomkstream")) {
                    o.noMkStream = true;
                } else if (xadd) {
                    StreamId.Parsed parsed = StreamId.parse(opt, 0, true, true);
                    if (parsed == null) {
                        throw new RedisException(StreamId.INVALID);
                    }
                    o.id = parsed.id();
                    o.seqGiven = parsed.seqGiven();
                    break;
                } else {
                    throw Args.syntaxError();
                }
            }
            o.idIndex = i;
            if (o.limit != 0 && !o.trims()) {
                throw new RedisException("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            }
            if (!xadd && !o.trims()) {
                throw new RedisException("ERR syntax error, XTRIM must be called with a trimming strategy");
            }
            if (client.isMaster() || client.id() < 0) {
                o.limit = 0; // the master's stream or the AOF (Redis's mustObeyClient): its trims were made exact
            } else if (limitGiven) {
                if (!o.approx) {
                    throw new RedisException("ERR syntax error, LIMIT cannot be used without the special ~ option");
                }
            } else if (o.approx) {
                long entries = client.server().config().number("stream-node-max-entries");
                o.limit = entries <= 0 ? 10_000 : Math.min(1_000_000, 100 * entries);
            }
            return o;
        }

        long trim(RedisStream stream) {
            return stream.trim(Math.max(maxLen, 0), minId, approx, limit);
        }
    }

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
    static void xadd(Client client, byte[][] args, RespWriter reply) {
        TrimOptions o = TrimOptions.parse(client, args, true);
        int fields = args.length - o.idIndex - 1;
        if (fields < 2 || fields % 2 == 1) {
            throw new RedisException("ERR wrong number of arguments for 'xadd' command");
        }
        if (o.id != null && o.seqGiven && o.id.isZero()) {
            throw new RedisException("ERR The ID specified in XADD must be greater than 0-0");
        }
        RedisStream stream = stream(client, args[1]);
        if (stream == null) {
            if (o.noMkStream) {
                reply.nullBulkString();
                return;
            }
            stream = new RedisStream();
            client.db().set(Bytes.of(args[1]), stream);
        }
        if (stream.lastId().equals(StreamId.MAX)) {
            throw new RedisException("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = stream.nextId(o.id, o.seqGiven, client.server().clock().millis());
        if (id == null) {
            throw new RedisException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        byte[][] fieldsAndValues = java.util.Arrays.copyOfRange(args, o.idIndex + 1, args.length);
        stream.append(id, fieldsAndValues, client.server().config().number("stream-node-max-bytes"),
                client.server().config().number("stream-node-max-entries"));
        reply.bulkString(id.bytes());
        Bytes key = Bytes.of(args[1]);
        client.server().keyspaceEvents().modified(client, key, NotifyKeyspaceEvents.STREAM, "xadd", 1);
        if (o.trims() && o.trim(stream) > 0) {
            client.server().keyspaceEvents().notify(NotifyKeyspaceEvents.STREAM, "xtrim", key, client.dbIndex());
        }
        client.server().blockingKeys().signal(client.dbIndex(), key);
    }

    static void xlen(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = TypeCommands.read(client, args[1], RedisStream.class);
        reply.integer(stream == null ? 0 : stream.length());
    }

    /** XRANGE key start end [COUNT n] and XREVRANGE key end start [COUNT n]. */
    static void range(Client client, byte[][] args, RespWriter reply, boolean rev) {
        StreamId start = bound(rev ? args[3] : args[2], 0, true);
        StreamId end = bound(rev ? args[2] : args[3], -1L, false);
        long count = -1;
        for (int j = 4; j < args.length; j++) {
            if (Args.is(args[j], "count") && j + 1 < args.length) {
                count = Math.max(0, RedisNumbers.parseLong(args[++j]));
            } else {
                throw Args.syntaxError();
            }
        }
        RedisStream stream = TypeCommands.read(client, args[1], RedisStream.class);
        if (stream == null) {
            reply.arrayHeader(0);
        } else if (count == 0) {
            reply.nullArray();
        } else {
            entries(reply, stream.range(start, end, Math.max(count, 0), rev));
        }
    }

    /** XDEL key id [id ...] — the number deleted; the stream stays, even empty. */
    static void xdel(Client client, byte[][] args, RespWriter reply) {
        RedisStream stream = stream(client, args[1]);
        if (stream == null) {
            reply.integer(0);
            return;
        }
        StreamId[] ids = new StreamId[args.length - 2];
        for (int j = 2; j < args.length; j++) {
            ids[j - 2] = strictId(args[j]);
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (stream.delete(id)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.STREAM, "xdel", deleted);
        }
        reply.integer(deleted);
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] — the number of entries removed. */
    static void xtrim(Client client, byte[][] args, RespWriter reply) {
        TrimOptions o = TrimOptions.parse(client, args, false);
        RedisStream stream = stream(client, args[1]);
        if (stream == null) {
            reply.integer(0);
            return;
        }
        long deleted = o.trim(stream);
        if (deleted > 0) {
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.STREAM, "xtrim", deleted);
        }
        reply.integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]. */
    static void xsetid(Client client, byte[][] args, RespWriter reply) {
        StreamId id = strictId(args[2]);
        long added = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < args.length; i += 2) {
            boolean more = i + 1 < args.length;
            if (Args.is(args[i], "entriesadded") && more) {
                added = RedisNumbers.parseLong(args[i + 1]);
                if (added < 0) {
                    throw new RedisException("ERR entries_added must be positive");
                }
            } else if (Args.is(args[i], "maxdeletedid") && more) {
                maxDeleted = strictId(args[i + 1]);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new RedisException("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw Args.syntaxError();
            }
        }
        RedisStream stream = stream(client, args[1]);
        if (stream == null) {
            throw new RedisException("ERR no such key");
        }
        if (stream.length() > 0) {
            if (id.compareTo(stream.first(false).id()) < 0) {
                throw new RedisException("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (added != -1 && stream.length() > added) {
                throw new RedisException("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        stream.setId(id, added, maxDeleted);
        Replies.ok(reply);
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.STREAM, "xsetid", 1);
    }
}
