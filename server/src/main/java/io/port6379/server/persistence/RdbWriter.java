// Writes an RDB file as Redis 7.0 does: header, AUX fields, databases with their keys, EOF and CRC-64.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.ScoredMember;
import io.port6379.datastructures.StreamId;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the RDB format, version 10 (Redis 7.0). Call {@link #header}, then {@link #aux} fields, then per
 * non-empty database {@link #selectDb} and {@link #entry} per key, then {@link #finish}. The CRC-64 of
 * everything written is kept as it goes and appended by {@link #finish}.
 *
 * <p>Encodings, chosen so that Redis 7.0 loads the file and converts each value to its usual in-memory form:
 * strings as Redis's {@code rdbSaveRawString} does (integers of up to 32 bits as INT8/16/32, strings longer than
 * 20 bytes LZF-compressed when that saves space and {@code rdbcompression} is on), lists as the plain
 * {@code RDB_TYPE_LIST} sequence, sets as an intset blob when they are one in memory and as plain sets
 * otherwise, hashes as plain field/value pairs, sorted sets as ZSET_2 (binary doubles). Not thread-safe.
 */
public final class RdbWriter {

    private final OutputStream out;
    private final boolean compression;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private long crc;
    private long written;
    private int listCompressDepth;
    private long idleSeconds = -1;
    private int frequency = -1;

    /** A writer to {@code out}, which it buffers itself (do not wrap it in another buffer). */
    public RdbWriter(OutputStream out, boolean compression) {
        this.out = out;
        this.compression = compression;
    }

    /** {@code list-compress-depth} for the lists {@link #value} writes as quicklists; 0 compresses none. */
    void listCompressDepth(int depth) {
        this.listCompressDepth = depth;
    }

    // tag::compress-depth[]
    /**
     * {@code list-compress-depth}: Redis's quicklist keeps {@code depth} nodes at each end as they are and the nodes
     * between LZF-compressed when that helps ({@code __quicklistCompressNode}: at least 48 bytes, and 8 saved), and
     * DUMP writes a compressed node as its LZF blob even with {@code rdbcompression no}. Our list is one array, not
     * nodes, so the compression happens here, on the nodes Redis would have. Writes the node and returns true when it
     * is one Redis would hold compressed.
     */
    private boolean compressedNode(byte[] node, int index, int count) throws IOException {
        int depth = listCompressDepth;
        if (depth <= 0 || index < depth || index >= count - depth || node.length < 48) {
            return false;
        }
        byte[] lzf = Lzf.compress(node, node.length);
        if (lzf == null || lzf.length + 8 >= node.length) {
            return false;
        }
        uint8(RdbFormat.ENCVAL << 6 | RdbFormat.ENC_LZF);
        length(lzf.length);
        length(node.length);
        raw(lzf);
        return true;
    }
    // end::compress-depth[]

    /** Bytes written so far. */
    public long bytesWritten() {
        return written + position;
    }

    /** {@code "REDIS0010"}. */
    public void header() throws IOException {
        raw(("REDIS00" + RdbFormat.VERSION).getBytes(StandardCharsets.US_ASCII));
    }

    /** An AUX field: a name and a value, both strings (integer values get the integer encoding). */
    public void aux(String name, String value) throws IOException {
        uint8(RdbFormat.OPCODE_AUX);
        string(name.getBytes(StandardCharsets.UTF_8));
        string(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A function library, as Redis 7.0's rdbSaveFunctions: FUNCTION2 and the library's code. */
    public void function(byte[] code) throws IOException {
        uint8(RdbFormat.OPCODE_FUNCTION2);
        string(code);
    }

    /** SELECTDB and RESIZEDB: the keys that follow belong to database {@code db}. */
    public void selectDb(int db, long size, long expires) throws IOException {
        uint8(RdbFormat.OPCODE_SELECTDB);
        length(db);
        uint8(RdbFormat.OPCODE_RESIZEDB);
        length(size);
        length(expires);
    }

    // tag::write-entry[]
    /** One key: its expiry if any (EXPIRETIME_MS), the value's type byte, the key, the value. */
    public void entry(byte[] key, FrozenValue value, long expireAtMillis) throws IOException {
        expiry(expireAtMillis);
        switch (value) {
            case FrozenValue.StringValue s -> {
                uint8(RdbFormat.TYPE_STRING);
                string(key);
                string(s.bytes());
            }
            case FrozenValue.ListValue list -> {
                uint8(RdbFormat.TYPE_LIST);
                string(key);
                length(list.elements().size());
                for (byte[] element : list.elements()) {
                    string(element);
                }
            }
            case FrozenValue.SetValue set -> set(key, set);
            case FrozenValue.HashValue hash -> {
                uint8(RdbFormat.TYPE_HASH);
                string(key);
                length(hash.fieldsAndValues().size() / 2);
                for (byte[] fieldOrValue : hash.fieldsAndValues()) {
                    string(fieldOrValue);
                }
            }
            case FrozenValue.StreamValue stream -> {
                uint8(RdbFormat.TYPE_STREAM_LISTPACKS_2);
                string(key);
                stream(stream);
            }
            case FrozenValue.SortedSetValue zset -> {
                uint8(RdbFormat.TYPE_ZSET_2);
                string(key);
                length(zset.members().size());
                for (ScoredMember member : zset.members()) {
                    string(member.member().array());
                    littleEndian(Double.doubleToRawLongBits(member.score()), 8);
                }
            }
        }
    }
    // end::write-entry[]

    // tag::write-value[]
    /**
     * One value without a key: its type byte, then its body in the encoding Redis 7.0 keeps it in memory, as
     * {@code rdbSaveObjectType} and {@code rdbSaveObject} write it (what DUMP answers). Strings as above; lists
     * as QUICKLIST_2, nodes of listpacks cut where Redis's quicklist would cut them while appending; intsets and
     * listpack hashes and sorted sets as their blob; hash-table sets and hashes element by element; skip-list
     * sorted sets as ZSET_2 from the highest score down, as Redis walks them so that loading appends at the head.
     *
     * @param listFill {@code list-max-listpack-size}: negative for 4, 8, 16, 32 or 64 KB per node, else a count
     */
    void value(FrozenValue value, int listFill) throws IOException {
        switch (value) {
            case FrozenValue.StringValue s -> {
                uint8(RdbFormat.TYPE_STRING);
                string(s.bytes());
            }
            case FrozenValue.ListValue list -> {
                uint8(RdbFormat.TYPE_LIST_QUICKLIST_2);
                List<List<byte[]>> nodes = quicklistNodes(list.elements(), listFill);
                length(nodes.size());
                for (int i = 0; i < nodes.size(); i++) {
                    length(RdbFormat.QUICKLIST_NODE_PACKED);
                    byte[] node = Listpack.encode(nodes.get(i));
                    if (!compressedNode(node, i, nodes.size())) {
                        string(node);
                    }
                }
            }
            case FrozenValue.SetValue set when set.intset() -> {
                uint8(RdbFormat.TYPE_SET_INTSET);
                long[] sorted = set.members().stream().mapToLong(m -> Long.parseLong(m.toString())).sorted().toArray();
                string(Intsets.encode(sorted, set.intsetWidth()));
            }
            case FrozenValue.SetValue set -> {
                uint8(RdbFormat.TYPE_SET);
                length(set.members().size());
                for (Bytes member : set.members()) {
                    string(member.array());
                }
            }
            case FrozenValue.HashValue hash when hash.listpack() -> {
                uint8(RdbFormat.TYPE_HASH_LISTPACK);
                string(Listpack.encode(hash.fieldsAndValues()));
            }
            case FrozenValue.HashValue hash -> {
                uint8(RdbFormat.TYPE_HASH);
                length(hash.fieldsAndValues().size() / 2);
                for (byte[] fieldOrValue : hash.fieldsAndValues()) {
                    string(fieldOrValue);
                }
            }
            case FrozenValue.SortedSetValue zset when zset.listpack() -> {
                uint8(RdbFormat.TYPE_ZSET_LISTPACK);
                List<byte[]> membersAndScores = new ArrayList<>(2 * zset.members().size());
                for (ScoredMember member : zset.members()) {
                    membersAndScores.add(member.member().array());
                    membersAndScores.add(d2string(member.score()));
                }
                string(Listpack.encode(membersAndScores));
            }
            case FrozenValue.StreamValue stream -> {
                uint8(RdbFormat.TYPE_STREAM_LISTPACKS_2);
                stream(stream);
            }
            case FrozenValue.SortedSetValue zset -> {
                uint8(RdbFormat.TYPE_ZSET_2);
                length(zset.members().size());
                for (int i = zset.members().size() - 1; i >= 0; i--) {
                    string(zset.members().get(i).member().array());
                    littleEndian(Double.doubleToRawLongBits(zset.members().get(i).score()), 8);
                }
            }
        }
    }
    // end::write-value[]

    // tag::write-stream[]
    /**
     * A stream's body as Redis 7.0's rdbSaveObject writes STREAM_LISTPACKS_2:
     * <pre>
     * nodes | (node key: 16 bytes, listpack)...  | length | last ms | last seq | first ms | first seq
     *       | max-deleted ms | max-deleted seq | entries-added | groups
     * group: name | last ms | last seq | entries-read | PEL size | (id: 16 bytes, delivery ms: 8 LE, count)...
     *       | consumers | (name | seen ms: 8 LE | PEL size | id: 16 bytes...)...
     * </pre>
     * Numbers are RDB lengths (the read counter -1 as 2^64-1); the IDs of a PEL are radix-tree keys (big-endian).
     */
    private void stream(FrozenValue.StreamValue stream) throws IOException {
        length(stream.nodes().size());
        for (FrozenValue.StreamNode node : stream.nodes()) {
            string(node.master().raxKey());
            string(node.listpack()); // the node's own bytes: a stream node is a listpack as Redis's is
        }
        length(stream.length());
        for (StreamId id : List.of(stream.lastId(), stream.firstId(), stream.maxDeletedId())) {
            length(id.ms());
            length(id.seq());
        }
        length(stream.entriesAdded());
        length(stream.groups().size());
        for (FrozenValue.Group group : stream.groups()) {
            string(group.name());
            length(group.lastId().ms());
            length(group.lastId().seq());
            length(group.entriesRead());
            length(group.pending().size());
            for (FrozenValue.Nack nack : group.pending()) {
                raw(nack.id().raxKey());
                littleEndian(nack.deliveryTime(), 8);
                length(nack.deliveryCount());
            }
            length(group.consumers().size());
            for (FrozenValue.Consumer consumer : group.consumers()) {
                string(consumer.name());
                littleEndian(consumer.seenTime(), 8);
                length(consumer.pending().size());
                for (StreamId id : consumer.pending()) {
                    raw(id.raxKey());
                }
            }
        }
    }
    // end::write-stream[]

    /**
     * The nodes Redis's quicklist makes when the elements are pushed one by one at the tail
     * ({@code _quicklistNodeAllowInsert}): an element joins the last node while the node's listpack size plus
     * the element's length plus an 8-byte estimate of its overhead stays within the size limit (fill -1..-5:
     * 4..64 KB), or, for a positive fill, within 8 KB and the node holds fewer than {@code fill} elements.
     * A list that reached its shape by other paths (LPUSH, LINSERT, LREM) may be cut elsewhere by Redis.
     */
    private static List<List<byte[]>> quicklistNodes(List<byte[]> elements, int fill) {
        List<List<byte[]>> nodes = new ArrayList<>();
        List<byte[]> node = null;
        long nodeBytes = 0;
        for (byte[] element : elements) {
            long newSize = nodeBytes + element.length + 8;
            boolean fits;
            if (fill < 0) {
                fits = -fill <= 5 && newSize <= 4096L << (-fill - 1);
            } else {
                fits = newSize <= 8192 && node != null && node.size() < fill;
            }
            if (node == null || !fits) {
                node = new ArrayList<>();
                nodes.add(node);
                nodeBytes = Listpack.EMPTY_SIZE;
            }
            node.add(element);
            nodeBytes += Listpack.entrySize(element);
        }
        return nodes;
    }

    /**
     * DEBUG OBJECT's {@code ql_nodes} and {@code ql_uncompressed_size}: how many quicklist nodes {@link #quicklistNodes}
     * cuts and the bytes of their listpacks together. O(N).
     */
    public static long[] quicklistShape(List<byte[]> elements, int fill) {
        List<List<byte[]>> nodes = quicklistNodes(elements, fill);
        long bytes = 0;
        for (List<byte[]> node : nodes) {
            bytes += Listpack.encode(node).length;
        }
        return new long[] {nodes.size(), bytes};
    }

    /** Writes out what is buffered, without an EOF or a checksum (for a value written alone). */
    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    /** A string key, written without wrapping the immutable bytes in a {@link FrozenValue} first. */
    public void stringEntry(byte[] key, byte[] value, long expireAtMillis) throws IOException {
        expiry(expireAtMillis);
        uint8(RdbFormat.TYPE_STRING);
        string(key);
        string(value);
    }

    /** The expiry time, then the eviction data {@link #access} gave for this key, in Redis's order. */
    private void expiry(long expireAtMillis) throws IOException {
        if (expireAtMillis >= 0) {
            uint8(RdbFormat.OPCODE_EXPIRETIME_MS);
            littleEndian(expireAtMillis, 8);
        }
        if (idleSeconds >= 0) {
            uint8(RdbFormat.OPCODE_IDLE);
            length(idleSeconds);
        }
        if (frequency >= 0) {
            uint8(RdbFormat.OPCODE_FREQ);
            uint8(frequency);
        }
        idleSeconds = -1;
        frequency = -1;
    }

    // tag::access[]
    /**
     * The next key's eviction data, as Redis's rdbSaveKeyValuePair writes it: under an LRU policy its idle time in
     * seconds (RDB_OPCODE_IDLE, a length), under an LFU policy its decayed counter (RDB_OPCODE_FREQ, one byte); -1
     * for neither. Loading gives them back to the key, so a restart does not make every key look just used.
     */
    void access(long idleSeconds, int frequency) {
        this.idleSeconds = idleSeconds;
        this.frequency = frequency;
    }
    // end::access[]

    private void set(byte[] key, FrozenValue.SetValue set) throws IOException {
        if (set.intset()) {
            long[] sorted = set.members().stream().mapToLong(m -> Long.parseLong(m.toString())).sorted().toArray();
            uint8(RdbFormat.TYPE_SET_INTSET);
            string(key);
            string(Intsets.encode(sorted, set.intsetWidth()));
            return;
        }
        uint8(RdbFormat.TYPE_SET);
        string(key);
        length(set.members().size());
        for (Bytes member : set.members()) {
            string(member.array());
        }
    }

    /** EOF, then the CRC-64 of every byte before it; flushes (the caller closes and fsyncs). */
    public void finish() throws IOException {
        uint8(RdbFormat.OPCODE_EOF);
        flushBuffer();
        long checksum = crc;
        littleEndian(checksum, 8);
        flushBuffer();
        out.flush();
    }

    // tag::write-length[]
    /** A length: 6 bits in one byte, 14 bits in two, else 0x80 and 32 bits or 0x81 and 64 bits (big-endian). */
    void length(long length) throws IOException {
        if (length < 0) { // an unsigned 64-bit number (a stream ID's part, or -1 as 2^64-1)
            uint8(RdbFormat.LEN_64BIT);
            bigEndian(length, 8);
        } else if (length < 1 << 6) {
            uint8((int) length);
        } else if (length < 1 << 14) {
            uint8(RdbFormat.LEN_14BIT << 6 | (int) (length >> 8));
            uint8((int) length & 0xff);
        } else if (length <= 0xffffffffL) {
            uint8(RdbFormat.LEN_32BIT);
            bigEndian(length, 4);
        } else {
            uint8(RdbFormat.LEN_64BIT);
            bigEndian(length, 8);
        }
    }

    /** A string as rdbSaveRawString: a small integer encoded as one, else maybe LZF, else length and bytes. */
    void string(byte[] s) throws IOException {
        if (s.length <= 11 && integerEncoding(s)) {
            return;
        }
        if (compression && s.length > 20) {
            byte[] compressed = Lzf.compress(s, s.length - 4); // must save at least 4 bytes, as Redis
            if (compressed != null) {
                uint8(RdbFormat.ENCVAL << 6 | RdbFormat.ENC_LZF);
                length(compressed.length);
                length(s.length);
                raw(compressed);
                return;
            }
        }
        length(s.length);
        raw(s);
    }
    // end::write-length[]

    /** INT8/16/32 when {@code s} is exactly the decimal text of such an integer ("007" or "+1" are not). */
    private boolean integerEncoding(byte[] s) throws IOException {
        if (!RedisNumbers.isLong(s)) { // checked first: most strings are not numbers, and no exception is thrown
            return false;
        }
        long value = RedisNumbers.parseLong(s);
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            uint8(RdbFormat.ENCVAL << 6 | RdbFormat.ENC_INT8);
            littleEndian(value, 1);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            uint8(RdbFormat.ENCVAL << 6 | RdbFormat.ENC_INT16);
            littleEndian(value, 2);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            uint8(RdbFormat.ENCVAL << 6 | RdbFormat.ENC_INT32);
            littleEndian(value, 4);
        } else {
            return false;
        }
        return true;
    }

    private void uint8(int b) throws IOException {
        if (position == buffer.length) {
            flushBuffer();
        }
        buffer[position++] = (byte) b;
    }

    private void littleEndian(long value, int width) throws IOException {
        for (int i = 0; i < width; i++) {
            uint8((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private void bigEndian(long value, int width) throws IOException {
        for (int i = width - 1; i >= 0; i--) {
            uint8((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private void raw(byte[] bytes) throws IOException {
        if (bytes.length > buffer.length - position) {
            flushBuffer();
            if (bytes.length > buffer.length) {
                crc = Crc64.update(crc, bytes, 0, bytes.length);
                out.write(bytes);
                written += bytes.length;
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    private void flushBuffer() throws IOException {
        crc = Crc64.update(crc, buffer, 0, position);
        out.write(buffer, 0, position);
        written += position;
        position = 0;
    }

    /**
     * A score as Redis 7.0's {@code d2string} writes it into a listpack: a whole number within ±2^62 as its digits
     * ({@code double2ll}, so the listpack stores an integer), anything else as {@code %.17g}; -0 stays "-0".
     */
    private static byte[] d2string(double score) {
        boolean whole = score == Math.rint(score) && Math.abs(score) <= (double) (Long.MAX_VALUE / 2);
        return whole && !(score == 0 && 1 / score < 0) ? RedisNumbers.formatLong((long) score) : RedisNumbers.formatDouble(score);
    }
}
