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
 * Here a node keeps its entries in arrays rather than in one byte array, and counts the bytes its listpack
 * would take, so that nodes split exactly where Redis's do (an RDB writes the listpack itself: see
 * forEachNode). The nodes are found through a navigable map keyed by the node's first ID; radixTreeNodes()
 * counts the nodes Redis's radix tree would have for those keys, which XINFO STREAM reports.
 */

/**
 * A stream: entries with IDs that only grow, in nodes of entries, with the counters Redis 7.0 keeps
 * ({@code entries_added}, {@code max_deleted_entry_id}) and its consumer groups. Not thread-safe.
 */
public final class RedisStream implements RedisValue {

    /** Redis's entry flags. */
    static final int FLAG_DELETED = 1;
    static final int FLAG_SAMEFIELDS = 2;

    /** An entry: its ID and its field-value pairs, alternating. */
    public record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    private final TreeMap<StreamId, Node> nodes = new TreeMap<>();
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedEntryId = StreamId.MIN;
    private long entriesAdded;
    private final TreeMap<Bytes, StreamGroup> groups = new TreeMap<>();
    /** The heap bytes of every node ({@link Node#heap}), kept as nodes come and go. */
    private long nodesHeap;

    private static final int SELF = MemorySizes.object(7, 0, 3);
    private static final int NODE_SELF = MemorySizes.object(7, 3, 2);
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
        long total = SELF + 2L * TREE_MAP + nodesHeap + (long) nodes.size() * (TREE_ENTRY + STREAM_ID);
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
        Map.Entry<StreamId, Node> tail = nodes.lastEntry();
        Node node = tail == null ? null : tail.getValue();
        if (node != null) {
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > (1L << 30) ? 1L << 30 : nodeMaxBytes;
            long elementBytes = 0;
            for (byte[] element : fieldsAndValues) {
                elementBytes += element.length;
            }
            if (node.bytes + elementBytes >= maxBytes
                    || (nodeMaxEntries != 0 && node.live + node.deleted >= nodeMaxEntries)) {
                node = null;
            }
        }
        if (node == null) {
            node = new Node(id, fieldsAndValues);
            nodes.put(id, node);
            nodesHeap += node.heap;
        }
        long before = node.heap;
        node.add(id, fieldsAndValues);
        nodesHeap += node.heap - before;
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
    }

    /**
     * Adds a node as an RDB holds it: its master ID and fields, then each entry's ID, field-value pairs and
     * DELETED flag. The counters come with {@link #restoreCounters}. O(entries).
     */
    public void restoreNode(StreamId master, byte[][] masterFields, List<StreamId> ids, List<byte[][]> fieldsAndValues,
                            List<Boolean> deleted) {
        byte[][] asEntry = new byte[2 * masterFields.length][];
        for (int i = 0; i < masterFields.length; i++) {
            asEntry[2 * i] = masterFields[i];
            asEntry[2 * i + 1] = masterFields[i];
        }
        Node node = new Node(master, asEntry);
        for (int i = 0; i < ids.size(); i++) {
            node.add(ids.get(i), fieldsAndValues.get(i));
            if (deleted.get(i)) {
                node.delete(node.size - 1);
            }
        }
        nodes.put(master, node);
        nodesHeap += node.heap;
    }

    /**
     * Deletes the entry {@code id} (XDEL); false when there is none. Keeps {@code first_id} and
     * {@code max_deleted_entry_id} as Redis's xdelCommand does. O(log nodes + node size).
     */
    public boolean delete(StreamId id) {
        Map.Entry<StreamId, Node> floor = nodes.floorEntry(id);
        if (floor == null) {
            return false;
        }
        Node node = floor.getValue();
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

    private void removeAt(Node node, int at) {
        if (node.live == 1) {
            nodes.remove(node.master);
            nodesHeap -= node.heap;
        } else {
            node.delete(at);
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
            Node node = nodes.firstEntry().getValue();
            if (limit != 0 && removed + node.live > limit) {
                break;
            }
            boolean whole = minId == null ? length - node.live >= maxLen : node.idAt(node.size - 1).compareTo(minId) < 0;
            if (whole) {
                nodes.pollFirstEntry();
                nodesHeap -= node.heap;
                length -= node.live;
                removed += node.live;
                continue;
            }
            if (approx) {
                break;
            }
            for (int i = 0; i < node.size; i++) {
                boolean stop = minId == null ? length <= maxLen : node.idAt(i).compareTo(minId) >= 0;
                if (stop) {
                    break;
                }
                if ((node.flags[i] & FLAG_DELETED) == 0) {
                    node.delete(i);
                    length--;
                    removed++;
                }
            }
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
        NavigableMap<StreamId, Node> span;
        if (rev) {
            StreamId from = nodes.floorKey(start);
            span = nodes.subMap(from == null ? start : from, true, end, true).descendingMap();
        } else {
            StreamId from = nodes.floorKey(start);
            span = nodes.subMap(from == null ? start : from, true, end, true);
        }
        Iterator<Node> nodeIt = span.values().iterator();
        return new Iterator<>() {
            private Node node;
            private int at;
            private Entry next = advance();

            private Entry advance() {
                while (true) {
                    if (node != null) {
                        while (rev ? at >= 0 : at < node.size) {
                            int i = rev ? at-- : at++;
                            if ((node.flags[i] & FLAG_DELETED) != 0) {
                                continue;
                            }
                            StreamId id = node.idAt(i);
                            if (rev ? id.compareTo(end) > 0 : id.compareTo(start) < 0) {
                                continue;
                            }
                            if (rev ? id.compareTo(start) < 0 : id.compareTo(end) > 0) {
                                return null;
                            }
                            return new Entry(id, node.entry(i));
                        }
                    }
                    if (!nodeIt.hasNext()) {
                        return null;
                    }
                    node = nodeIt.next();
                    at = rev ? node.size - 1 : 0;
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

    /** The first (or last) live entry, or null when the stream is empty. O(1) on average. */
    public Entry first(boolean first) {
        Iterator<Entry> it = iterator(StreamId.MIN, StreamId.MAX, !first);
        return it.hasNext() ? it.next() : null;
    }

    /** Whether the live entry {@code id} exists. O(log nodes + node size). */
    public boolean contains(StreamId id) {
        Map.Entry<StreamId, Node> floor = nodes.floorEntry(id);
        return floor != null && floor.getValue().find(id) >= 0;
    }

    /** The live entry {@code id}, or null. O(log nodes + node size). */
    public Entry get(StreamId id) {
        Map.Entry<StreamId, Node> floor = nodes.floorEntry(id);
        if (floor == null) {
            return null;
        }
        int at = floor.getValue().find(id);
        return at < 0 ? null : new Entry(id, floor.getValue().entry(at));
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
    /** A group's lag as XINFO reports it ({@code streamReplyWithCGLag}), or -1 when it cannot be known. O(1). */
    public long lag(StreamGroup group) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (group.entriesRead != -1 && !hasTombstonesFrom(group.lastId)) {
            return entriesAdded - group.entriesRead;
        }
        long read = entriesReadAt(group.lastId);
        return read == -1 ? -1 : entriesAdded - read;
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
        for (StreamId id : nodes.keySet()) {
            keys.add(id.raxKey());
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

    /** A node as Redis's listpack holds it, for an RDB file. */
    @FunctionalInterface
    public interface NodeVisitor {
        /** {@code master} is the radix-tree key's ID; {@code elements} the listpack's elements in order. */
        void visit(StreamId master, List<byte[]> elements);
    }

    /** Visits every node, first to last, as the elements of its listpack. O(N). */
    public void forEachNode(NodeVisitor visitor) {
        for (Node node : nodes.values()) {
            visitor.visit(node.master, node.elements());
        }
    }

    /** The consumer groups, by name. O(1). */
    public NavigableMap<Bytes, StreamGroup> groups() {
        return groups;
    }

    /** A deep copy (COPY). O(N). */
    public RedisStream copy() {
        RedisStream copy = new RedisStream();
        for (Node node : nodes.values()) {
            copy.nodes.put(node.master, node.copy());
        }
        copy.nodesHeap = nodesHeap;
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

    /** The bytes {@code v} takes as a listpack integer element, backlen included. */
    static int integerSize(long v) {
        int size = v >= 0 && v <= 127 ? 1 : v >= -4096 && v <= 4095 ? 2 : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 3
                : v >= -(1 << 23) && v < 1 << 23 ? 4 : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 9;
        return size + 1;
    }

    /** The bytes {@code element} takes in a listpack (as an integer when it reads as one), backlen included. */
    static int elementSize(byte[] element) {
        if (element.length <= 20 && RedisNumbers.isLong(element)) {
            return integerSize(RedisNumbers.parseLong(element));
        }
        int size = (element.length < 64 ? 1 : element.length < 4096 ? 2 : 5) + element.length;
        return size + (size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5);
    }

    /** One listpack's worth of entries; {@link #bytes} is the size that listpack would have. */
    private static final class Node {
        final StreamId master;
        final byte[][] masterFields;
        int size;
        int live;
        int deleted;
        long bytes;
        /** The heap bytes of this node's objects (see {@link MemorySizes}), kept as entries are added. */
        long heap;
        int[] flags = new int[4];
        long[] msDelta = new long[4];
        long[] seqDelta = new long[4];
        /** The entry's fields, or null when they are the master's. */
        byte[][][] fields = new byte[4][][];
        byte[][][] values = new byte[4][][];

        Node(StreamId master, byte[][] firstEntry) {
            this.master = master;
            masterFields = new byte[firstEntry.length / 2][];
            bytes = 7 + integerSize(0) + integerSize(0) + integerSize(masterFields.length) + integerSize(0);
            heap = NODE_SELF + MemorySizes.referenceArray(masterFields.length) + arraysHeap(flags.length);
            for (int i = 0; i < masterFields.length; i++) {
                masterFields[i] = firstEntry[2 * i];
                bytes += elementSize(masterFields[i]);
                heap += MemorySizes.of(masterFields[i]);
            }
        }

        /** The five per-entry arrays at {@code capacity}. */
        static long arraysHeap(int capacity) {
            return MemorySizes.intArray(capacity) + 2 * MemorySizes.align(MemorySizes.ARRAY_HEADER + 8L * capacity)
                    + 2 * MemorySizes.referenceArray(capacity);
        }

        private Node(Node other) {
            master = other.master;
            masterFields = other.masterFields;
            size = other.size;
            live = other.live;
            deleted = other.deleted;
            bytes = other.bytes;
            heap = other.heap;
            flags = other.flags.clone();
            msDelta = other.msDelta.clone();
            seqDelta = other.seqDelta.clone();
            fields = other.fields.clone();
            values = other.values.clone();
        }

        Node copy() {
            return new Node(this);
        }

        StreamId idAt(int i) {
            return new StreamId(master.ms() + msDelta[i], master.seq() + seqDelta[i]);
        }

        void add(StreamId id, byte[][] fieldsAndValues) {
            if (size == flags.length) {
                int n = size * 2;
                heap += arraysHeap(n) - arraysHeap(size);
                flags = Arrays.copyOf(flags, n);
                msDelta = Arrays.copyOf(msDelta, n);
                seqDelta = Arrays.copyOf(seqDelta, n);
                fields = Arrays.copyOf(fields, n);
                values = Arrays.copyOf(values, n);
            }
            int pairs = fieldsAndValues.length / 2;
            boolean same = pairs == masterFields.length;
            for (int i = 0; same && i < pairs; i++) {
                same = Arrays.equals(fieldsAndValues[2 * i], masterFields[i]);
            }
            byte[][] vals = new byte[pairs][];
            byte[][] flds = same ? null : new byte[pairs][];
            long entryBytes = 0;
            heap += MemorySizes.referenceArray(pairs) + (same ? 0 : MemorySizes.referenceArray(pairs));
            for (int i = 0; i < pairs; i++) {
                vals[i] = fieldsAndValues[2 * i + 1];
                entryBytes += elementSize(vals[i]);
                heap += MemorySizes.of(vals[i]);
                if (!same) {
                    flds[i] = fieldsAndValues[2 * i];
                    entryBytes += elementSize(flds[i]);
                    heap += MemorySizes.of(flds[i]);
                }
            }
            long msd = id.ms() - master.ms();
            long seqd = id.seq() - master.seq();
            long lpCount = pairs + 3 + (same ? 0 : pairs + 1);
            entryBytes += integerSize(same ? FLAG_SAMEFIELDS : 0) + integerSize(msd) + integerSize(seqd)
                    + (same ? 0 : integerSize(pairs)) + integerSize(lpCount);
            bytes += entryBytes + integerSize(live + 1) - integerSize(live);
            flags[size] = same ? FLAG_SAMEFIELDS : 0;
            msDelta[size] = msd;
            seqDelta[size] = seqd;
            fields[size] = flds;
            values[size] = vals;
            size++;
            live++;
        }

        /** Flags entry {@code i} as deleted, and moves it from the live count to the deleted count. */
        void delete(int i) {
            flags[i] |= FLAG_DELETED;
            bytes += integerSize(live - 1) - integerSize(live) + integerSize(deleted + 1) - integerSize(deleted);
            live--;
            deleted++;
        }

        /** The index of the live entry {@code id}, or -1. */
        int find(StreamId id) {
            for (int i = 0; i < size; i++) {
                int c = idAt(i).compareTo(id);
                if (c == 0) {
                    return (flags[i] & FLAG_DELETED) != 0 ? -1 : i;
                }
                if (c > 0) {
                    return -1;
                }
            }
            return -1;
        }

        byte[][] entry(int i) {
            byte[][] vals = values[i];
            byte[][] flds = fields[i] == null ? masterFields : fields[i];
            byte[][] out = new byte[2 * vals.length][];
            for (int j = 0; j < vals.length; j++) {
                out[2 * j] = flds[j];
                out[2 * j + 1] = vals[j];
            }
            return out;
        }

        List<byte[]> elements() {
            List<byte[]> out = new ArrayList<>();
            out.add(number(live));
            out.add(number(deleted));
            out.add(number(masterFields.length));
            out.addAll(Arrays.asList(masterFields));
            out.add(number(0));
            for (int i = 0; i < size; i++) {
                int pairs = values[i].length;
                out.add(number(flags[i]));
                out.add(number(msDelta[i]));
                out.add(number(seqDelta[i]));
                if (fields[i] != null) {
                    out.add(number(pairs));
                }
                for (int j = 0; j < pairs; j++) {
                    if (fields[i] != null) {
                        out.add(fields[i][j]);
                    }
                    out.add(values[i][j]);
                }
                out.add(number(pairs + 3 + (fields[i] == null ? 0 : pairs + 1)));
            }
            return out;
        }

        private static byte[] number(long v) {
            return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
