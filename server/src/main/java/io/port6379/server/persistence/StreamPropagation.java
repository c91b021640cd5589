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
 *     ({@code streamPropagateGroupID}) per stream it read, after {@code XGROUP CREATECONSUMER} when the consumer
 *     has no pending entry (Redis writes it only when the read created the consumer; replaying it for an existing
 *     one changes nothing);</li>
 * <li>a read of the consumer's history (an ID other than {@code >}) as nothing but that consumer creation;</li>
 * <li>a PEL entry whose stream entry was deleted, which XCLAIM and XAUTOCLAIM drop, as an XCLAIM of it too: its
 *     replay drops it the same way. Redis names the entry's former holder, time and count, which are gone when
 *     this rule runs; the claiming consumer and 0 stand in for them.</li>
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
            if (noack && holder != null && holder.pending.isEmpty()) {
                out.add(Propagation.command("XGROUP", Propagation.ascii("CREATECONSUMER"), key, groupName, consumer));
            }
            List<Frame> entries = served.get(Bytes.of(key));
            if (history || entries == null || entries.isEmpty()) {
                continue;
            }
            if (noack) {
                out.add(setId(key, groupName, group));
                continue;
            }
            for (Frame entry : entries) {
                StreamId id = id(entry);
                out.add(xclaim(key, groupName, group.pending.get(id), consumer, id, id));
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
        TreeMap<StreamId, Boolean> touched = new TreeMap<>();
        for (Frame entry : elements(reply)) {
            touched.put(id(entry), true);
        }
        RedisStream stream = (RedisStream) db.peek(Bytes.of(args[1]));
        for (int i = 5; i < args.length; i++) {
            StreamId id = parseId(args[i]);
            if (id == null) {
                break; // the options begin
            }
            if (!touched.containsKey(id) && !stream.contains(id) && !group.pending.containsKey(id)) {
                touched.put(id, false); // maybe a dropped PEL entry of a deleted stream entry
            }
        }
        return claims(args, group, touched);
    }

    /** XAUTOCLAIM key group consumer min-idle start [COUNT n] [JUSTID]: reply [cursor, claimed, deleted]. */
    static List<byte[][]> xautoclaim(Keyspace db, byte[][] args, Frame reply) {
        StreamGroup group = group(db, args[1], args[2]);
        if (group == null) {
            return List.of();
        }
        List<Frame> parts = elements(reply);
        TreeMap<StreamId, Boolean> touched = new TreeMap<>();
        for (Frame entry : elements(parts.get(1))) {
            touched.put(id(entry), true);
        }
        for (Frame deleted : elements(parts.get(2))) {
            touched.put(id(deleted), false);
        }
        return claims(args, group, touched);
    }

    private static List<byte[][]> claims(byte[][] args, StreamGroup group, TreeMap<StreamId, Boolean> touched) {
        List<byte[][]> out = new ArrayList<>();
        touched.forEach((id, claimed) -> {
            StreamGroup.Pending nack = claimed ? group.pending.get(id) : null;
            out.add(xclaim(args[1], args[2], nack, args[3], id, group.lastId));
        });
        return out;
    }

    // tag::xclaim[]
    /** {@code streamPropagateXCLAIM}: an XCLAIM that sets the PEL entry as it is, whatever the replica holds. */
    private static byte[][] xclaim(byte[] key, byte[] group, StreamGroup.Pending nack, byte[] consumer, StreamId id,
                                   StreamId lastId) {
        byte[] holder = nack == null ? consumer : nack.consumer.name.array();
        long time = nack == null ? 0 : nack.deliveryTime;
        long count = nack == null ? 0 : nack.deliveryCount;
        return Propagation.command("XCLAIM", key, group, holder, Propagation.ascii("0"), id.bytes(),
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
