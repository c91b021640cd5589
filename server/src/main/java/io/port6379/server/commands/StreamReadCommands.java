// The stream family's readers: XREAD and XREADGROUP, at once or blocking until an entry arrives.
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
import io.port6379.server.scripting.ScriptEngine;
import io.port6379.server.scripting.Scripting;
import io.port6379.server.util.Args;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * XREAD returns the entries after an ID in one or more streams; XREADGROUP hands a group's new entries
 * ({@code >}) to a consumer and records them as pending, or replays the consumer's own pending entries (any other
 * ID). With BLOCK, when nothing can be served at once, the client waits in {@code BlockingKeys} for an XADD (or
 * an XGROUP DESTROY, which it reports as NOGROUP), and is served the new entries of the first stream that gets
 * some. The reply is an array of [key, entries] pairs in RESP2 and a map from key to entries in RESP3.
 */
final class StreamReadCommands {

    private StreamReadCommands() {
    }

    static void registerAll(CommandTable table) {
        table.handle("xread", (c, a, r) -> read(c, a, r, false));
        table.handle("xreadgroup", (c, a, r) -> read(c, a, r, true));
    }

    /** {@code >}: the group's entries never delivered. */
    private static final StreamId NEW_ENTRIES = StreamId.MAX;

    /**
     * XREAD [COUNT n] [BLOCK ms] STREAMS key [key ...] id [id ...] and XREADGROUP GROUP group consumer [COUNT n]
     * [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...].
     */
    static void read(Client client, byte[][] args, RespWriter reply, boolean xreadgroup) {
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int streams = 0;
        boolean noAck = false;
        byte[] groupName = null;
        byte[] consumerName = null;
        for (int i = 1; i < args.length; i++) {
            int more = args.length - i - 1;
            byte[] o = args[i];
            if (Args.is(o, "block") && more > 0) {
                ScriptEngine scripts = client.server().peek(Scripting.SLOT);
                if (scripts != null && scripts.runsAs(client)) { // a script must not block, even in a pcall
                    throw new RedisException("ERR " + Args.text(args[0]) + " command is not allowed with BLOCK option from scripts");
                }
                timeout = timeoutMillis(args[++i]);
            } else if (Args.is(o, "count") && more > 0) {
                count = Math.max(0, RedisNumbers.parseLong(args[++i]));
            } else if (Args.is(o, "streams") && more > 0) {
                streamsArg = i + 1;
                streams = args.length - streamsArg;
                if (streams % 2 != 0) {
                    // Redis 7.0.15 names XREAD and '$' for XREADGROUP too
                    throw new RedisException("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
                            + "specified.");
                }
                streams /= 2;
                break;
            } else if (Args.is(o, "group") && more >= 2) {
                if (!xreadgroup) {
                    throw new RedisException("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = args[i + 1];
                consumerName = args[i + 2];
                i += 2;
            } else if (Args.is(o, "noack")) {
                if (!xreadgroup) {
                    throw new RedisException("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noAck = true;
            } else {
                throw Args.syntaxError();
            }
        }
        if (streamsArg == 0) {
            throw Args.syntaxError();
        }
        if (xreadgroup && groupName == null) {
            throw new RedisException("ERR Missing GROUP option for XREADGROUP");
        }
        StreamId[] ids = new StreamId[streams];
        for (int i = 0; i < streams; i++) {
            byte[] key = args[streamsArg + i];
            byte[] idArg = args[streamsArg + streams + i];
            RedisStream stream = TypeCommands.read(client, key, RedisStream.class);
            if (groupName != null && (stream == null || !stream.groups().containsKey(Bytes.of(groupName)))) {
                throw new RedisException("NOGROUP No such key '" + Args.text(key) + "' or consumer group '"
                        + Args.text(groupName) + "' in XREADGROUP with GROUP option");
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (xreadgroup) {
                    throw new RedisException("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
                            + "history of this consumer by specifying a proper ID, or use the > ID to get new messages. "
                            + "The $ ID would just return an empty result set.");
                }
                ids[i] = stream == null ? StreamId.MIN : stream.lastId();
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!xreadgroup) {
                    throw new RedisException("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                            + "<group> <consumer> option.");
                }
                ids[i] = NEW_ENTRIES;
            } else {
                ids[i] = StreamCommands.strictId(idArg);
            }
        }
        // tag::xread[]
        Reader reader = new Reader(client, args, streamsArg, streams, ids, count, groupName, consumerName, noAck);
        if (reader.serve(reply)) {
            return;
        }
        if (timeout == -1) {
            reply.nullArray();
            return;
        }
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            keys.add(args[streamsArg + i]);
        }
        long deadline = timeout == 0 ? 0 : client.server().clock().millis() + timeout;
        client.server().blockingKeys().block(client, keys, RedisStream.class, deadline, reply, reader::serveBlocked, true);
        // end::xread[]
    }

    /** BLOCK's milliseconds, as Redis's {@code getTimeoutFromObjectOrReply(..., UNIT_MILLISECONDS)}. */
    private static long timeoutMillis(byte[] arg) {
        if (!RedisNumbers.isLong(arg)) {
            throw new RedisException("ERR timeout is not an integer or out of range");
        }
        long ms = RedisNumbers.parseLong(arg);
        if (ms < 0) {
            throw new RedisException("ERR timeout is negative");
        }
        return ms;
    }

    /** One XREAD or XREADGROUP call: what it asked for, served now or when a key it waits on gets entries. */
    private record Reader(Client client, byte[][] args, int streamsArg, int streams, StreamId[] ids, long count,
                          byte[] groupName, byte[] consumerName, boolean noAck) {

        /** Serves every stream that has something now; false (nothing written) when none has. */
        boolean serve(RespWriter reply) {
            List<Runnable> parts = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                byte[] key = args[streamsArg + i];
                RedisStream stream = TypeCommands.get(client, key, RedisStream.class);
                if (stream == null) {
                    continue;
                }
                Runnable part = part(stream, key, ids[i], reply);
                if (part != null) {
                    parts.add(part);
                }
            }
            if (parts.isEmpty()) {
                return false;
            }
            if (reply.protocolVersion() == 2) {
                reply.arrayHeader(parts.size());
            } else {
                reply.mapHeader(parts.size());
            }
            parts.forEach(Runnable::run);
            if (groupName != null) {
                client.server().keyspaceEvents().dirty(parts.size()); // a change per stream read, when not blocked
            }
            return true;
        }

        /** The reply part for one stream, or null when it has nothing to serve now ({@code xreadCommand}'s test). */
        private Runnable part(RedisStream stream, byte[] key, StreamId gt, RespWriter reply) {
            StreamGroup group = groupName == null ? null : stream.groups().get(Bytes.of(groupName));
            boolean history = false;
            StreamId after = gt;
            if (group != null) {
                if (!gt.equals(NEW_ENTRIES)) {
                    history = true;
                } else if (stream.length() > 0 && stream.first(false).id().compareTo(group.lastId) > 0) {
                    after = group.lastId;
                } else {
                    return null;
                }
            } else if (stream.length() == 0 || stream.first(false).id().compareTo(gt) <= 0) {
                return null;
            }
            boolean replayPending = history;
            StreamId from = after.next();
            return () -> {
                if (reply.protocolVersion() == 2) {
                    reply.arrayHeader(2);
                }
                reply.bulkString(key);
                if (group == null) {
                    StreamCommands.entries(reply, stream.range(from == null ? StreamId.MAX : from, StreamId.MAX, count, false));
                    return;
                }
                StreamGroup.Consumer consumer = StreamGroupCommands.consumer(client, group, key, consumerName);
                if (replayPending) {
                    pending(reply, stream, consumer, from == null ? StreamId.MAX : from);
                } else {
                    deliver(reply, stream, group, consumer, from == null ? StreamId.MAX : from, key);
                }
            };
        }

        /** The consumer's own pending entries from {@code from} on, each delivered once more. */
        private void pending(RespWriter reply, RedisStream stream, StreamGroup.Consumer consumer, StreamId from) {
            List<Map.Entry<StreamId, StreamGroup.Pending>> rows = new ArrayList<>();
            for (Map.Entry<StreamId, StreamGroup.Pending> e : consumer.pending.tailMap(from, true).entrySet()) {
                if (count != 0 && rows.size() >= count) {
                    break;
                }
                rows.add(e);
            }
            long now = client.server().clock().millis();
            reply.arrayHeader(rows.size());
            for (Map.Entry<StreamId, StreamGroup.Pending> e : rows) {
                RedisStream.Entry entry = stream.get(e.getKey());
                if (entry == null) {
                    reply.arrayHeader(2);
                    reply.bulkString(e.getKey().bytes());
                    reply.nullArray();
                } else {
                    StreamCommands.entry(reply, entry);
                    e.getValue().deliveryTime = now;
                    e.getValue().deliveryCount++;
                }
            }
        }

        // tag::deliver[]
        /** Hands the group's next entries to {@code consumer}: each moves the group on and joins the PEL. */
        private void deliver(RespWriter reply, RedisStream stream, StreamGroup group, StreamGroup.Consumer consumer,
                             StreamId from, byte[] key) {
            List<RedisStream.Entry> entries = stream.range(from, StreamId.MAX, count, false);
            long now = client.server().clock().millis();
            reply.arrayHeader(entries.size());
            for (RedisStream.Entry entry : entries) {
                stream.delivered(group, entry.id());
                StreamCommands.entry(reply, entry);
                if (noAck) {
                    continue;
                }
                StreamGroup.Pending nack = group.pending.get(entry.id());
                if (nack == null) {
                    nack = new StreamGroup.Pending(now, 1, consumer);
                    group.pending.put(entry.id(), nack);
                } else {
                    nack.consumer.pending.remove(entry.id());
                    nack.consumer = consumer;
                    nack.deliveryTime = now;
                    nack.deliveryCount = 1;
                }
                consumer.pending.put(entry.id(), nack);
            }
        }
        // end::deliver[]

        /**
         * A blocked reader's second try, when {@code key} got entries, lost its group or was deleted: the entries
         * after the ID it waited for, in a reply for that one stream; false while there is still nothing for it.
         * XREADGROUP reports a deleted key or group as an error, as Redis 7.0 does.
         */
        boolean serveBlocked(byte[] key, RespWriter reply) {
            int i = 0;
            while (i < streams && !java.util.Arrays.equals(args[streamsArg + i], key)) {
                i++;
            }
            if (!(client.db().get(Bytes.of(key)) instanceof RedisStream stream)) {
                if (groupName != null) {
                    throw new RedisException("UNBLOCKED the stream key no longer exists");
                }
                return false;
            }
            if (groupName != null && !stream.groups().containsKey(Bytes.of(groupName))) {
                throw new RedisException("NOGROUP the consumer group this client was blocked on no longer exists");
            }
            Runnable part = part(stream, key, ids[i], reply);
            if (part == null) {
                return false;
            }
            if (reply.protocolVersion() == 2) {
                reply.arrayHeader(1);
            } else {
                reply.mapHeader(1);
            }
            part.run();
            return true;
        }
    }
}
