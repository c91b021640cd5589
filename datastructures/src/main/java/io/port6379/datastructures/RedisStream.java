// The stream type: an append-only log of field-value entries under growing IDs, in nodes of up to 100 entries.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/*
 * How Redis lays a stream out (t_stream.c), and how this class follows it.
 *
 * Entries are grouped in nodes. Each node is a listpack filed in a radix tree under its first entry's ID (16
 * big-endian bytes), and begins with a "master entry": the fields of that first entry. Every entry is stored
 * as deltas from the node's ID, and when its fields are the master's, only its values are kept (the
 * SAMEFIELDS flag): a log of events of one shape costs little more than its values.
 *
 *   master: | count | deleted | num-fields | field-1 ... field-N | 0 |
 *   entry:  | flags | ms-delta | seq-delta | [num-fields field-1 value-1 ...] or [value-1 ...] | lp-count |
 *
 * A new node starts when the last one holds stream-node-max-entries entries (live and deleted) or when the new
 * entry's bytes would take it to stream-node-max-bytes. Deleting an entry only sets its DELETED flag; a node
 * goes when its last live entry does. Trimming drops whole nodes from the front, and (unless "~" allows it to
 * stop early) flags entries in the first node it cannot drop.
 *
 * Here too a node is that listpack, byte for byte (StreamNode), so that nodes split exactly where Redis's do and
 * an RDB file can take a node's bytes as they are (forEachListpack). The nodes are filed in a radix tree (Rax)
 * under their first ID as 16 big-endian bytes; radixTreeNodes() counts the nodes Redis's own tree has for those
 * keys (its node layout differs from Rax's in detail), which XINFO STREAM reports.
 */

/**
 * A stream: entries with IDs that only grow, in nodes of entries, with the counters Redis 7.0 keeps
 * ({@code entries_added}, {@code max_deleted_entry_id}) and its consumer groups. Not thread-safe.
 */
public final class RedisStream implements RedisValue {

    /** An entry: its ID and its field-value pairs, alternating. */
    public record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    private final Rax<StreamNode> nodes = new Rax<>();
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedEntryId = StreamId.MIN;
    private long entriesAdded;
    private final TreeMap<Bytes, StreamGroup> groups = new TreeMap<>();
    /** The heap bytes of every node ({@link StreamNode#heap}), kept as nodes come and go. */
    private long nodesHeap;

    private static final int SELF = MemorySizes.object(7, 0, 3);
    private static final int TREE_MAP = MemorySizes.object(3, 2, 0);
    private static final int TREE_ENTRY = MemorySizes.object(5, 1, 0);
    private static final int STREAM_ID = MemorySizes.object(0, 0, 2);
    private static final int BYTES = MemorySizes.object(1, 1, 0);
    private static final int GROUP = MemorySizes.object(3, 0, 1);
    private static final int PENDING = MemorySizes.object(1, 0, 2);
    private static final int CONSUMER = MemorySizes.object(2, 0, 1);

    /**
     * The nodes' heap bytes as kept, their tree's entries and master IDs, and the groups counted from their sizes
     * (PEL entries, consumers): O(groups + consumers), which is O(1) for the streams applications keep.
     */
    @Override
    public long memoryUsage() {
        long total = SELF + TREE_MAP + nodes.heapBytes() + nodesHeap + (long) nodes.size() * STREAM_ID;
        for (Map.Entry<Bytes, StreamGroup> entry : groups.entrySet()) {
            StreamGroup group = entry.getValue();
            total += TREE_ENTRY + BYTES + MemorySizes.byteArray(entry.getKey().length()) + GROUP + 2L * TREE_MAP
                    + STREAM_ID + (long) group.pending.size() * (TREE_ENTRY + STREAM_ID + PENDING);
            for (StreamGroup.Consumer consumer : group.consumers.values()) {
                total += TREE_ENTRY + CONSUMER + TREE_MAP + BYTES + MemorySizes.byteArray(consumer.name.length())
                        + (long) consumer.pending.size() * TREE_ENTRY;
            }
        }
        return total;
    }

    @Override
    public String type() {
        return "stream";
    }

    @Override
    public String encoding() {
        return "stream";
    }

    /** The number of live entries (XLEN). O(1). */
    public long length() {
        return length;
    }

    /** The ID of the last entry ever added, or set by XSETID. O(1). */
    public StreamId lastId() {
        return lastId;
    }

    /** The first live entry's ID as Redis records it ({@code recorded-first-entry-id}), 0-0 when empty. O(1). */
    public StreamId firstId() {
        return firstId;
    }

    /** The greatest ID ever deleted by XDEL (or set by XSETID). O(1). */
    public StreamId maxDeletedEntryId() {
        return maxDeletedEntryId;
    }

    /** How many entries were ever added (XADD, or XSETID's ENTRIESADDED). O(1). */
    public long entriesAdded() {
        return entriesAdded;
    }

    /** XSETID: the last ID, and where given (not null, not -1) the counters. The caller checked them. O(1). */
    public void setId(StreamId last, long added, StreamId maxDeleted) {
        lastId = last;
        if (added != -1) {
            entriesAdded = added;
        }
        if (maxDeleted != null && !maxDeleted.isZero()) {
            maxDeletedEntryId = maxDeleted;
        }
    }

    /** Sets the counters as an RDB file holds them. O(1). */
    public void restoreCounters(long len, StreamId last, StreamId first, StreamId maxDeleted, long added) {
        length = len;
        lastId = last;
        firstId = first;
        maxDeletedEntryId = maxDeleted;
        entriesAdded = added;
    }

    // tag::next-id[]
    /**
     * The ID XADD gives a new entry, or null when it would not be greater than the last one ({@code streamAppendItem}):
     * {@code given} null means {@code *} (the clock's milliseconds, or the last ID plus one when the clock has not
     * moved past it); {@code ms-*} ({@code seqGiven} false) means the next sequence in that millisecond. O(1).
     *
     * @throws RedisException when {@code ms-*} names the last millisecond and its sequences are used up
     */
    public StreamId nextId(StreamId given, boolean seqGiven, long nowMillis) {
        StreamId id;
        if (given == null) {
            id = Long.compareUnsigned(nowMillis, lastId.ms()) > 0 ? new StreamId(nowMillis, 0) : lastId.next();
        } else if (!seqGiven && given.ms() == lastId.ms()) {
            if (lastId.seq() == -1L) {
                // Redis 7.0.15 answers this overflow with the error of an oversized entry (its errno is not EDOM)
                throw new RedisException("ERR Elements are too large to be stored");
            }
            id = new StreamId(lastId.ms(), lastId.seq() + 1);
        } else {
            id = given;
        }
        return id == null || id.compareTo(lastId) <= 0 ? null : id;
    }
    // end::next-id[]

    /**
     * Appends an entry with {@code id} (greater than {@link #lastId}, from {@link #nextId}) to the last node, or to
     * a new node when that one is full by Redis's two limits. O(fields).
     */
    public void append(StreamId id, byte[][] fieldsAndValues, long nodeMaxBytes, long nodeMaxEntries) {
        StreamNode node = nodes.lastValue();
        long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > (1L << 30) ? 1L << 30 : nodeMaxBytes;
        if (node != null) {
            long elementBytes = 0;
            for (byte[] element : fieldsAndValues) {
                elementBytes += element.length;
            }
            if (node.bytes() + elementBytes >= maxBytes || (nodeMaxEntries != 0 && node.size() >= nodeMaxEntries)) {
                nodesHeap -= node.heap();
                node.trimToSize(); // it will not grow again: give back its spare room, as lpShrinkToFit does
                nodesHeap += node.heap();
                node = null;
            }
        }
        if (node == null) {
            byte[][] fields = new byte[fieldsAndValues.length / 2][];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = fieldsAndValues[2 * i];
            }
            node = StreamNode.create(id, fields, 0);
            nodes.put(id.raxKey(), node);
            nodesHeap += node.heap();
        }
        long before = node.heap();
        node.add(id, fieldsAndValues);
        nodesHeap += node.heap() - before;
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
    }

    /**
     * Adds a node as an RDB holds it: the listpack under its master ID, kept as it is once checked
     * ({@link StreamNode#wrap}: the array becomes the node's). The counters come with {@link #restoreCounters}.
     * O(bytes of the node), without decoding an entry.
     *
     * @throws IllegalArgumentException when the listpack is not a well-formed stream node, or a node has that ID
     */
    public void restoreNode(StreamId master, byte[] listpack) {
        StreamNode node = StreamNode.wrap(master, listpack);
        if (nodes.get(master.raxKey()) != null) {
            throw new IllegalArgumentException("node re-added with an existing key"); // Redis: raxTryInsert refuses
        }
        nodes.put(master.raxKey(), node);
        nodesHeap += node.heap();
    }

    /**
     * Deletes the entry {@code id} (XDEL); false when there is none. Keeps {@code first_id} and
     * {@code max_deleted_entry_id} as Redis's xdelCommand does. O(log nodes + node size).
     */
    public boolean delete(StreamId id) {
        StreamNode node = nodes.floorValue(id.raxKey());
        if (node == null) {
            return false;
        }
        int at = node.find(id);
        if (at < 0) {
            return false;
        }
        removeAt(node, at);
        if (id.compareTo(maxDeletedEntryId) > 0) {
            maxDeletedEntryId = id;
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (id.equals(firstId)) {
            firstId = first(true).id();
        }
        return true;
    }

    private void removeAt(StreamNode node, int at) {
        if (node.live == 1) {
            nodes.remove(node.master.raxKey());
            nodesHeap -= node.heap();
        } else {
            long before = node.heap();
            node.delete(at);
            nodesHeap += node.heap() - before;
        }
        length--;
    }

    // tag::trim[]
    /**
     * Redis's {@code streamTrim}: removes entries from the front while more than {@code maxLen} remain
     * ({@code minId} null) or while they are below {@code minId}. Whole nodes go first; with {@code approx} the
     * trim stops at the first node it cannot drop whole, otherwise it flags entries in that node as deleted.
     * {@code limit} (0: none) caps the entries removed, counted in whole nodes. Returns how many went.
     * O(nodes removed + one node).
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        long removed = 0;
        while (!nodes.isEmpty()) {
            if (minId == null && length <= maxLen) {
                break;
            }
            StreamNode node = nodes.firstValue();
            if (limit != 0 && removed + node.live > limit) {
                break;
            }
            boolean whole = minId == null ? length - node.live >= maxLen : node.lastId().compareTo(minId) < 0;
            if (whole) {
                nodes.remove(node.master.raxKey());
                nodesHeap -= node.heap();
                length -= node.live;
                removed += node.live;
                continue;
            }
            if (approx) {
                break;
            }
            int flagged = 0;
            for (int p = node.firstEntry(); p != node.end(); p = node.nextEntry(p)) {
                boolean stop = minId == null ? length <= maxLen : node.idAt(p).compareTo(minId) >= 0;
                if (stop) {
                    break;
                }
                if (!node.deletedAt(p)) {
                    node.markDeleted(p);
                    flagged++;
                    length--;
                    removed++;
                }
            }
            long before = node.heap();
            node.setCounts(node.live - flagged, node.deleted + flagged);
            nodesHeap += node.heap() - before;
            break;
        }
        firstId = length == 0 ? StreamId.MIN : first(true).id();
        return removed;
    }
    // end::trim[]

    /**
     * The entries from {@code start} to {@code end} inclusive, ascending (descending when {@code rev}), at most
     * {@code count} of them (0: all). O(log nodes + entries visited).
     */
    public List<Entry> range(StreamId start, StreamId end, long count, boolean rev) {
        List<Entry> out = new ArrayList<>();
        if (start.compareTo(end) > 0) {
            return out;
        }
        Iterator<Entry> it = iterator(start, end, rev);
        while (it.hasNext() && (count == 0 || out.size() < count)) {
            out.add(it.next());
        }
        return out;
    }

    /**
     * The live entries from {@code start} to {@code end} inclusive, lazily, ascending or descending. The stream must
     * not change while the iterator is in use. O(log nodes) to start, then O(1) per entry on average.
     */
    public Iterator<Entry> iterator(StreamId start, StreamId end, boolean rev) {
        // the nodes from the one holding start (the last whose first ID is at most start) to the last at most end
        Rax.Entry<StreamNode> from = nodes.floor(start.raxKey());
        byte[] low = from == null ? start.raxKey() : from.key();
        Iterator<StreamNode> nodeIt = nodeIterator(low, end.raxKey(), rev);
        return new Iterator<>() {
            private StreamNode node;
            private byte[][] masterFields;
            /** Forwards: the offset of the next entry. Backwards: the index into offsets. */
            private int at;
            private int[] offsets;
            private Entry next = advance();

            private Entry advance() {
                while (true) {
                    if (node != null) {
                        while (rev ? at >= 0 : at != node.end()) {
                            int p;
                            if (rev) {
                                p = offsets[at--];
                            } else {
                                p = at;
                                at = node.nextEntry(p);
                            }
                            if (node.deletedAt(p)) {
                                continue;
                            }
                            StreamId id = node.idAt(p);
                            if (rev ? id.compareTo(end) > 0 : id.compareTo(start) < 0) {
                                continue;
                            }
                            if (rev ? id.compareTo(start) < 0 : id.compareTo(end) > 0) {
                                return null;
                            }
                            return new Entry(id, node.entryAt(p, masterFields));
                        }
                    }
                    if (!nodeIt.hasNext()) {
                        return null;
                    }
                    node = nodeIt.next();
                    masterFields = node.masterFields();
                    if (rev) {
                        offsets = node.entryOffsets();
                        at = offsets.length - 1;
                    } else {
                        at = node.firstEntry();
                    }
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Entry next() {
                Entry current = next;
                next = advance();
                return current;
            }
        };
    }

    /** The nodes whose keys are from {@code low} to {@code high}, ascending or descending. O(16) per node. */
    private Iterator<StreamNode> nodeIterator(byte[] low, byte[] high, boolean rev) {
        return new Iterator<>() {
            private Rax.Entry<StreamNode> next = within(rev ? nodes.floor(high) : nodes.ceiling(low));

            private Rax.Entry<StreamNode> within(Rax.Entry<StreamNode> e) {
                return e == null || Arrays.compareUnsigned(e.key(), low) < 0 || Arrays.compareUnsigned(e.key(), high) > 0
                        ? null : e;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public StreamNode next() {
                Rax.Entry<StreamNode> current = next;
                next = within(rev ? nodes.lower(current.key()) : nodes.higher(current.key()));
                return current.value();
            }
        };
    }

    /** The first (or last) live entry, or null when the stream is empty. O(1) on average. */
    public Entry first(boolean first) {
        Iterator<Entry> it = iterator(StreamId.MIN, StreamId.MAX, !first);
        return it.hasNext() ? it.next() : null;
    }

    /** Whether the live entry {@code id} exists. O(log nodes + node size). */
    public boolean contains(StreamId id) {
        StreamNode node = nodes.floorValue(id.raxKey());
        return node != null && node.find(id) >= 0;
    }

    /** The live entry {@code id}, or null. O(log nodes + node size). */
    public Entry get(StreamId id) {
        StreamNode node = nodes.floorValue(id.raxKey());
        if (node == null) {
            return null;
        }
        int at = node.find(id);
        return at < 0 ? null : new Entry(id, node.entryAt(at, node.masterFields()));
    }

    /**
     * Redis 7.0's {@code streamEstimateDistanceFromFirstEverEntry}: the logical position (1 for the first entry
     * ever added) of {@code id}, when it can be known without counting; -1 when not (an ID inside a stream that
     * has had entries deleted, or beyond the last). O(1).
     */
    public long entriesReadAt(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        int cmpLast = id.compareTo(lastId);
        if (length == 0 && cmpLast < 1) {
            return entriesAdded;
        }
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return -1;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedEntryId.isZero() || maxDeletedEntryId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return -1;
    }

    /** Redis's {@code streamRangeHasTombstones}: whether an entry between {@code start} and the end was deleted. O(1). */
    public boolean hasTombstonesFrom(StreamId start) {
        if (length == 0 || maxDeletedEntryId.isZero() || firstId.compareTo(maxDeletedEntryId) > 0) {
            return false;
        }
        return start.compareTo(maxDeletedEntryId) <= 0;
    }

    // tag::lag[]
    /** {@link #lag} when it cannot be known: not -1, which is a lag Redis reports (ENTRIESREAD past the stream's count). */
    public static final long UNKNOWN_LAG = Long.MIN_VALUE;

    /**
     * A group's lag as XINFO reports it ({@code streamReplyWithCGLag}), or {@link #UNKNOWN_LAG}. It may be negative:
     * XGROUP SETID ... ENTRIESREAD or XSETID ... ENTRIESADDED can leave a group having read more than was added,
     * and Redis then answers the difference. O(1).
     */
    public long lag(StreamGroup group) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (group.entriesRead != -1 && !hasTombstonesFrom(group.lastId)) {
            return entriesAdded - group.entriesRead;
        }
        long read = entriesReadAt(group.lastId);
        return read == -1 ? UNKNOWN_LAG : entriesAdded - read;
    }

    /** The group has been handed the entry {@code id}: its last ID and read counter move on as Redis's do. O(1). */
    public void delivered(StreamGroup group, StreamId id) {
        if (id.compareTo(group.lastId) <= 0) {
            return;
        }
        if (group.entriesRead != -1 && !hasTombstonesFrom(id)) {
            group.entriesRead++;
        } else if (entriesAdded != 0) {
            group.entriesRead = entriesReadAt(id);
        }
        group.lastId = id;
    }
    // end::lag[]

    /** The number of nodes ({@code radix-tree-keys} in XINFO STREAM). O(1). */
    public int radixTreeKeys() {
        return nodes.size();
    }

    /**
     * The number of nodes Redis's radix tree holds for these keys ({@code radix-tree-nodes}): one per branching
     * point, one per compressed run of bytes, one per key end, and the root. O(nodes * 16).
     */
    public int radixTreeNodes() {
        List<byte[]> keys = new ArrayList<>(nodes.size());
        for (Rax.Entry<StreamNode> e = nodes.first(); e != null; e = nodes.higher(e.key())) {
            keys.add(e.key());
        }
        return keys.isEmpty() ? 1 : raxNodes(keys, 0, keys.size(), 0);
    }

    /** The rax nodes under the position {@code depth} bytes into the sorted keys {@code [from, to)}. */
    private static int raxNodes(List<byte[]> keys, int from, int to, int depth) {
        if (depth == 16) {
            return 1;
        }
        byte[] a = keys.get(from);
        byte[] b = keys.get(to - 1);
        int common = depth;
        while (common < 16 && a[common] == b[common]) {
            common++;
        }
        if (common > depth) {
            return 1 + raxNodes(keys, from, to, common);
        }
        int count = 1;
        int groupStart = from;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || keys.get(i)[depth] != keys.get(groupStart)[depth]) {
                count += raxNodes(keys, groupStart, i, depth + 1);
                groupStart = i;
            }
        }
        return count;
    }

    /** A node as Redis's listpack holds it, byte for byte. */
    @FunctionalInterface
    public interface ListpackVisitor {
        /** {@code master} is the radix-tree key's ID; {@code listpack} a copy of the node's listpack. */
        void visit(StreamId master, byte[] listpack);
    }

    /** Visits every node, first to last, as a copy of its listpack's bytes. O(N). */
    public void forEachListpack(ListpackVisitor visitor) {
        for (Rax.Entry<StreamNode> e = nodes.first(); e != null; e = nodes.higher(e.key())) {
            visitor.visit(e.value().master, e.value().listpack());
        }
    }

    /** The consumer groups, by name. O(1). */
    public NavigableMap<Bytes, StreamGroup> groups() {
        return groups;
    }

    /** A deep copy (COPY). O(N). */
    public RedisStream copy() {
        RedisStream copy = new RedisStream();
        for (Rax.Entry<StreamNode> e = nodes.first(); e != null; e = nodes.higher(e.key())) {
            StreamNode twin = e.value().copy();
            copy.nodes.put(e.key(), twin);
            copy.nodesHeap += twin.heap();
        }
        copy.length = length;
        copy.lastId = lastId;
        copy.firstId = firstId;
        copy.maxDeletedEntryId = maxDeletedEntryId;
        copy.entriesAdded = entriesAdded;
        for (Map.Entry<Bytes, StreamGroup> group : groups.entrySet()) {
            copy.groups.put(group.getKey(), group.getValue().copy());
        }
        return copy;
    }
}
