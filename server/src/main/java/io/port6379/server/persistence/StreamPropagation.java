// What the append-only file records for the stream commands that change a consumer group: idempotent XCLAIMs.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.StreamGroup;
import io.port6379.datastructures.StreamId;
import io.port6379.protocol.Frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Redis 7.0 does not record XREADGROUP, XCLAIM or XAUTOCLAIM as they were sent: replayed later, they would read
 * other entries at other times. It records their effect on the group instead (t_stream.c), checked against the
 * incremental file a real redis-server 7.0.15 writes:
 *
 * <ul>
 * <li>each entry put in (or moved within) a PEL, as {@code streamPropagateXCLAIM}: {@code XCLAIM key group
 *     consumer 0 id TIME delivery-ms RETRYCOUNT delivery-count FORCE JUSTID LASTID group-last-id}, the group's
 *     last ID being, for XREADGROUP, the ID just delivered;</li>
 * <li>XREADGROUP ... NOACK, which leaves no PEL entry, as {@code XGROUP SETID key group last-id ENTRIESREAD n}
 *     ({@code streamPropagateGroupID}) per stream it read new entries from, after {@code XGROUP CREATECONSUMER}
 *     ({@code streamPropagateConsumerCreation}) when that read created the consumer; a consumer that existed is
 *     not recorded again;</li>
 * <li>a read of the consumer's history (an ID other than {@code >}) as nothing, or as that consumer creation
 *     with NOACK;</li>
 * <li>a PEL entry whose stream entry was deleted, which XCLAIM and XAUTOCLAIM drop, as an XCLAIM naming its
 *     former holder, delivery time and count: its replay drops it the same way;</li>
 * <li>XCLAIM's XCLAIMs in the order of its arguments, each ID as the client wrote it ({@code c->argv[j]}), or
 *     an XGROUP SETID when its LASTID was all it changed; XAUTOCLAIM's in the order it scanned the PEL.</li>
 * </ul>
 */
final class StreamPropagation {

    private StreamPropagation() {
    }

    /** XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key ... id ... */
    static List<byte[][]> xreadgroup(Keyspace db, byte[][] args, Frame reply) {
        boolean noack = false;
        int i = 4;
        while (i < args.length && !is(args[i], "streams")) {
            noack |= is(args[i], "noack");
            i += is(args[i], "noack") ? 1 : 2;
        }
        int keys = (args.length - i - 1) / 2;
        TreeMap<Bytes, List<Frame>> served = new TreeMap<>();
        for (Frame.Entry pair : pairs(reply)) {
            served.put(Bytes.of(((Frame.BulkString) pair.key()).value()), elements(pair.value()));
        }
        byte[] groupName = args[2];
        byte[] consumer = args[3];
        List<byte[][]> out = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            byte[] key = args[i + 1 + k];
            StreamGroup group = group(db, key, groupName);
            if (group == null) {
                continue;
            }
            boolean history = !is(args[i + 1 + keys + k], ">");
            StreamGroup.Consumer holder = group.consumer(Bytes.of(consumer));
            List<Frame> entries = served.get(Bytes.of(key));
            if (entries == null) {
                continue; // not served now: the read did not look the consumer up
            }
            if (noack && holder != null && holder.justCreated) {
                out.add(Propagation.command("XGROUP", Propagation.ascii("CREATECONSUMER"), key, groupName, consumer));
            }
            if (history || entries.isEmpty()) {
                continue;
            }
            if (noack) {
                out.add(setId(key, groupName, group));
                continue;
            }
            for (Frame entry : entries) {
                StreamId id = id(entry);
                out.add(xclaim(key, groupName, group.pending.get(id), id.bytes(), id));
            }
        }
        return out;
    }

    /** XCLAIM key group consumer min-idle id ... [options]: one XCLAIM per entry claimed or dropped. */
    static List<byte[][]> xclaim(Keyspace db, byte[][] args, Frame reply) {
        StreamGroup group = group(db, args[1], args[2]);
        if (group == null) {
            return List.of();
        }
        TreeMap<StreamId, Boolean> claimed = new TreeMap<>();
        for (Frame entry : elements(reply)) {
            claimed.put(id(entry), true);
        }
        TreeMap<StreamId, StreamGroup.Pending> dropped = new TreeMap<>(group.dropped);
        List<byte[][]> out = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            StreamId id = parseId(args[i]);
            if (id == null) {
                break; // the options begin
            }
            StreamGroup.Pending gone = dropped.remove(id);
            if (gone != null) {
                out.add(xclaim(args[1], args[2], gone, args[i], group.lastId));
            } else if (claimed.remove(id) != null) {
                out.add(xclaim(args[1], args[2], group.pending.get(id), args[i], group.lastId));
            }
        }
        if (out.isEmpty()) {
            out.add(setId(args[1], args[2], group)); // it changed only the group's last ID (LASTID)
        }
        return out;
    }

    /** XAUTOCLAIM key group consumer min-idle start [COUNT n] [JUSTID]: reply [cursor, claimed, deleted]. */
    static List<byte[][]> xautoclaim(Keyspace db, byte[][] args, Frame reply) {
        StreamGroup group = group(db, args[1], args[2]);
        if (group == null) {
            return List.of();
        }
        TreeMap<StreamId, StreamGroup.Pending> touched = new TreeMap<>(group.dropped);
        for (Frame entry : elements(elements(reply).get(1))) {
            StreamId id = id(entry);
            touched.put(id, group.pending.get(id));
        }
        List<byte[][]> out = new ArrayList<>();
        touched.forEach((id, nack) -> out.add(xclaim(args[1], args[2], nack, id.bytes(), group.lastId)));
        return out;
    }

    // tag::xclaim[]
    /** {@code streamPropagateXCLAIM}: an XCLAIM that sets the PEL entry as it is, whatever the replica holds. */
    private static byte[][] xclaim(byte[] key, byte[] group, StreamGroup.Pending nack, byte[] id, StreamId lastId) {
        byte[] holder = nack.consumer.name.array();
        long time = nack.deliveryTime;
        long count = nack.deliveryCount;
        return Propagation.command("XCLAIM", key, group, holder, Propagation.ascii("0"), id,
                Propagation.ascii("TIME"), Propagation.ascii(Long.toString(time)), Propagation.ascii("RETRYCOUNT"),
                Propagation.ascii(Long.toString(count)), Propagation.ascii("FORCE"), Propagation.ascii("JUSTID"),
                Propagation.ascii("LASTID"), lastId.bytes());
    }

    /** {@code streamPropagateGroupID}: the group's last ID and read counter. */
    private static byte[][] setId(byte[] key, byte[] group, StreamGroup g) {
        return Propagation.command("XGROUP", Propagation.ascii("SETID"), key, group, g.lastId.bytes(),
                Propagation.ascii("ENTRIESREAD"), Propagation.ascii(Long.toString(g.entriesRead)));
    }
    // end::xclaim[]

    private static StreamGroup group(Keyspace db, byte[] key, byte[] group) {
        return db.peek(Bytes.of(key)) instanceof RedisStream stream ? stream.groups().get(Bytes.of(group)) : null;
    }

    /** An entry of a reply ({@code [id, fields]}) or a bare ID (JUSTID, deleted IDs). */
    private static StreamId id(Frame entry) {
        Frame id = entry instanceof Frame.Array array ? array.elements().get(0) : entry;
        return parseId(((Frame.BulkString) id).value());
    }

    private static List<Frame> elements(Frame frame) {
        return switch (frame) {
            case Frame.Array array -> array.elements();
            case Frame.Set set -> set.elements();
            default -> List.of();
        };
    }

    /** A reply by key: RESP2's array of {@code [key, value]} pairs, or RESP3's map. */
    private static List<Frame.Entry> pairs(Frame reply) {
        if (reply instanceof Frame.Map map) {
            return map.entries();
        }
        List<Frame.Entry> pairs = new ArrayList<>();
        for (Frame pair : elements(reply)) {
            List<Frame> kv = elements(pair);
            pairs.add(new Frame.Entry(kv.get(0), kv.get(1)));
        }
        return pairs;
    }

    private static StreamId parseId(byte[] arg) {
        StreamId.Parsed parsed = StreamId.parse(arg, 0, true, false);
        return parsed == null ? null : parsed.id();
    }

    private static boolean is(byte[] arg, String word) {
        return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }
}
