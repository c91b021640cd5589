// A value as it was at the moment of a snapshot, flattened into plain lists nobody else can change.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.ScoredMember;
import io.port6379.datastructures.StreamGroup;
import io.port6379.datastructures.StreamId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link RdbWriter} writes: a value's content, copied out of the live (mutable) value. Freezing costs one
 * pass over the value, O(N); the element byte arrays are shared, not copied, because the data structures never
 * change a stored element in place — they replace it.
 */
sealed interface FrozenValue {

    /** A string (strings are immutable: the bytes are shared). */
    record StringValue(byte[] bytes) implements FrozenValue {
    }

    record ListValue(List<byte[]> elements) implements FrozenValue {
    }

    /**
     * {@code intset} when every member is a small integer held as an intset (written as such, as Redis does), with
     * the intset's element width in bytes (2, 4 or 8; 0 for a hash table).
     */
    record SetValue(List<Bytes> members, boolean intset, int intsetWidth) implements FrozenValue {
    }

    /** Fields and values alternate, in the listpack's order when {@code listpack}, else in the table's. */
    record HashValue(List<byte[]> fieldsAndValues, boolean listpack) implements FrozenValue {
    }

    /** Ascending by score, then member; {@code listpack} when Redis would hold it so (else a skip list). */
    record SortedSetValue(List<ScoredMember> members, boolean listpack) implements FrozenValue {
    }

    /**
     * A stream as its RDB form holds it: each node's radix-tree key and listpack elements, the counters, and the
     * consumer groups with their PELs.
     */
    record StreamValue(List<StreamNode> nodes, long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId,
                       long entriesAdded, List<Group> groups) implements FrozenValue {
    }

    /** A node: its radix-tree key (the master ID) and its listpack, as the stream holds it and an RDB stores it. */
    record StreamNode(StreamId master, byte[] listpack) {

        /** The listpack's elements, integers as their decimal text. O(bytes). */
        List<byte[]> elements() {
            return Listpack.decode(listpack);
        }

        /** An entry of a node's listpack, as {@link #forEachEntry} walks them. */
        @FunctionalInterface
        interface EntryVisitor {
            void visit(StreamId id, byte[][] fieldsAndValues, boolean deleted);
        }

        /** The master fields: the count is the listpack's third element. */
        byte[][] masterFields() {
            return masterFields(elements());
        }

        private static byte[][] masterFields(List<byte[]> elements) {
            int count = (int) RedisNumbers.parseLong(elements.get(2));
            return elements.subList(3, 3 + count).toArray(new byte[0][]);
        }

        /**
         * Walks the entries after the master entry: flags, ID deltas, then the values alone (SAMEFIELDS) or a count
         * and the field-value pairs, then the lp-count. O(elements).
         */
        void forEachEntry(EntryVisitor visitor) {
            List<byte[]> elements = elements();
            byte[][] fields = masterFields(elements);
            int p = 4 + fields.length;
            while (p < elements.size()) {
                int flags = (int) RedisNumbers.parseLong(elements.get(p));
                StreamId id = new StreamId(master.ms() + RedisNumbers.parseLong(elements.get(p + 1)),
                        master.seq() + RedisNumbers.parseLong(elements.get(p + 2)));
                p += 3;
                byte[][] entry;
                if ((flags & 2) != 0) {
                    entry = new byte[2 * fields.length][];
                    for (int i = 0; i < fields.length; i++) {
                        entry[2 * i] = fields[i];
                        entry[2 * i + 1] = elements.get(p++);
                    }
                } else {
                    int pairs = (int) RedisNumbers.parseLong(elements.get(p++));
                    entry = elements.subList(p, p + 2 * pairs).toArray(new byte[0][]);
                    p += 2 * pairs;
                }
                p++; // lp-count, for walking backwards
                visitor.visit(id, entry, (flags & 1) != 0);
            }
        }
    }

    /** A consumer group: its name, last ID, read counter (-1: unknown), PEL, and consumers. */
    record Group(byte[] name, StreamId lastId, long entriesRead, List<Nack> pending, List<Consumer> consumers) {
    }

    record Nack(StreamId id, long deliveryTime, long deliveryCount) {
    }

    /** A consumer: its name, when it was last seen, and the IDs of its pending entries. */
    record Consumer(byte[] name, long seenTime, List<StreamId> pending) {
    }

    /** The content of {@code value} now. O(N) in its elements. */
    static FrozenValue of(RedisValue value) {
        return switch (value) {
            case RedisString s -> new StringValue(s.bytes());
            case RedisList list -> new ListValue(list.range(0, -1));
            case RedisSet set -> new SetValue(set.members(), set.encoding().equals("intset"), set.intsetWidth());
            case RedisHash hash -> {
                List<byte[]> fieldsAndValues = new ArrayList<>(2 * hash.size());
                hash.forEach((field, v) -> {
                    fieldsAndValues.add(field);
                    fieldsAndValues.add(v);
                });
                yield new HashValue(fieldsAndValues, hash.encoding().equals("listpack"));
            }
            case RedisSortedSet zset -> new SortedSetValue(zset.rangeByRank(0, -1, false), zset.encoding().equals("listpack"));
            case RedisStream stream -> stream(stream);
            default -> throw new IllegalArgumentException("RDB cannot save a value of type " + value.type());
        };
    }

    private static StreamValue stream(RedisStream stream) {
        List<StreamNode> nodes = new ArrayList<>(stream.radixTreeKeys());
        stream.forEachListpack((master, listpack) -> nodes.add(new StreamNode(master, listpack)));
        List<Group> groups = new ArrayList<>(stream.groups().size());
        for (Map.Entry<Bytes, StreamGroup> e : stream.groups().entrySet()) {
            StreamGroup group = e.getValue();
            List<Nack> pending = new ArrayList<>(group.pending.size());
            group.pending.forEach((id, nack) -> pending.add(new Nack(id, nack.deliveryTime, nack.deliveryCount)));
            List<Consumer> consumers = new ArrayList<>(group.consumers.size());
            for (StreamGroup.Consumer c : group.consumers.values()) {
                consumers.add(new Consumer(c.name.array(), c.seenTime, new ArrayList<>(c.pending.keySet())));
            }
            groups.add(new Group(e.getKey().array(), group.lastId, group.entriesRead, pending, consumers));
        }
        return new StreamValue(nodes, stream.length(), stream.lastId(), stream.firstId(), stream.maxDeletedEntryId(),
                stream.entriesAdded(), groups);
    }
}
