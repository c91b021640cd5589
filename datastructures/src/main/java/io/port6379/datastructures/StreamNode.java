// One node of a stream: its entries packed in one byte array, in the bytes of Redis's listpack.
package io.port6379.datastructures;

import java.util.Arrays;

/*
 * A node holds up to stream-node-max-entries entries in the listpack Redis's t_stream.c builds, byte for byte:
 *
 *   listpack: | total bytes: u32 LE | elements: u16 LE (65535: too many) | element ... | 0xFF |
 *   element:  | encoding | integer or string bytes | backlen: size of the two before, 1-5 bytes |
 *   master:   | count | deleted | num-fields | field-1 ... field-N | 0 |
 *   entry:    | flags | ms-delta | seq-delta | [num-fields field-1 value-1 ...] or [value-1 ...] | lp-count |
 *
 * The encoding byte says what follows: a 7-bit unsigned integer in the byte itself (0xxxxxxx), a string with a
 * 6-bit length (10xxxxxx), a 13-bit signed integer (110xxxxx + 1 byte), a string with a 12-bit length (1110xxxx
 * + 1 byte) or a 32-bit one (0xF0 + 4 bytes), or a 16, 24, 32 or 64-bit signed integer (0xF1..0xF4 + 2..8 bytes,
 * little-endian). A value that is the canonical decimal text of a 64-bit integer is stored as that integer and
 * read back as the same text. An entry whose fields are the master's (SAMEFIELDS) keeps only its values.
 *
 * So a node costs what Redis's costs plus one array header and this object, and an RDB file can take its bytes
 * as they are (listpack()). The array grows by doubling while the node is the stream's last one, and is cut to
 * its size (trimToSize) when the next node starts. Entries are addressed by the offset of their flags element;
 * every walk is forwards, as the elements hold no index. Deleting an entry sets the DELETED bit of its flags,
 * which is always a one-byte element, in place; the master's count and deleted are rewritten afterwards
 * (setCounts), which moves the bytes behind them only when one of them changes width.
 */

/** A stream node as a listpack. Offsets are into {@link #lp}. Not thread-safe. */
final class StreamNode {

    static final int FLAG_DELETED = 1;
    static final int FLAG_SAMEFIELDS = 2;
    /** The listpack header: total bytes and element count. */
    private static final int HEADER = 6;
    private static final int MIN_CAPACITY = 64;

    final StreamId master;
    private byte[] lp;
    private int used;
    int live;
    int deleted;

    /** The heap bytes of a node without its array: the object's references and ints. */
    static final int SELF = MemorySizes.object(2, 3, 0);

    private StreamNode(StreamId master, byte[] lp, int used, int live, int deleted) {
        this.master = master;
        this.lp = lp;
        this.used = used;
        this.live = live;
        this.deleted = deleted;
    }

    /** An empty node whose master entry has {@code fields}: count 0, deleted 0. O(fields). */
    static StreamNode create(StreamId master, byte[][] fields, int capacity) {
        StreamNode node = new StreamNode(master, new byte[Math.max(MIN_CAPACITY, capacity)], HEADER + 1, 0, 0);
        node.lp[HEADER] = (byte) 0xff;
        node.appendInteger(0);
        node.appendInteger(0);
        node.appendInteger(fields.length);
        for (byte[] field : fields) {
            node.appendElement(field);
        }
        node.appendInteger(0);
        node.finishAppend(3 + fields.length + 1);
        return node;
    }

    /**
     * A node made of {@code lp}, a listpack read from an RDB file or a DUMP payload, kept as it is (the array is
     * the node's from now on) once it has passed the checks of Redis's deep {@code streamValidateListpackIntegrity}
     * and a few more that this class's walks rely on: every element well formed, within the array and with the right
     * backlen; the header's size and count; the master entry (count, deleted, fields, the 0 that ends it); each
     * entry's flags (a one-byte 0..3), ID deltas, field count, fields and values, and lp-count; and as many live and
     * deleted entries as the master says, with nothing after them. O(bytes), without allocating.
     *
     * @throws IllegalArgumentException naming the first check that failed
     */
    static StreamNode wrap(StreamId master, byte[] lp) {
        int elements = checkElements(lp);
        int count = (int) (lp[4] & 0xff | (lp[5] & 0xff) << 8);
        if (count != 65535 && count != elements) {
            throw new IllegalArgumentException("listpack header counts " + count + " elements, it holds " + elements);
        }
        StreamNode node = new StreamNode(master, lp, lp.length, 0, 0);
        int end = node.end();
        int p = HEADER;
        long[] master3 = new long[3]; // count, deleted, num-fields
        for (int i = 0; i < 3; i++) {
            master3[i] = node.checkedInteger(p, end, "master entry");
            p = node.next(p);
        }
        if (master3[0] < 0 || master3[1] < 0 || master3[2] < 0 || master3[0] + master3[1] > elements) {
            throw new IllegalArgumentException("master entry with negative or impossible counts");
        }
        long fields = master3[2];
        p = node.skip(p, fields, end);
        if (node.checkedInteger(p, end, "master entry's end") != 0) {
            throw new IllegalArgumentException("master entry not ended by 0");
        }
        p = node.next(p);
        // tag::wrap[]
        int live = 0;
        int gone = 0;
        while (p != end) {
            int flags = node.lp[p] & 0xff;
            if (flags > (FLAG_DELETED | FLAG_SAMEFIELDS)) {
                throw new IllegalArgumentException("entry flags not a one-byte 0..3");
            }
            p = node.next(p);
            node.checkedInteger(p, end, "entry's ms-delta");
            p = node.next(p);
            node.checkedInteger(p, end, "entry's seq-delta");
            p = node.next(p);
            long entryFields = fields;
            long extra = 3;
            if ((flags & FLAG_SAMEFIELDS) == 0) {
                entryFields = node.checkedInteger(p, end, "entry's field count");
                if (entryFields < 0 || entryFields > elements) {
                    throw new IllegalArgumentException("entry's field count out of range");
                }
                p = node.skip(node.next(p), entryFields, end);
                extra += entryFields + 1;
            }
            p = node.skip(p, entryFields, end);
            if (node.checkedInteger(p, end, "entry's lp-count") != entryFields + extra) {
                throw new IllegalArgumentException("entry's lp-count does not match its elements");
            }
            p = node.next(p);
            if ((flags & FLAG_DELETED) != 0) {
                gone++;
            } else {
                live++;
            }
        }
        // end::wrap[]
        if (live != master3[0] || gone != master3[1]) {
            throw new IllegalArgumentException("master entry counts " + master3[0] + " live and " + master3[1]
                    + " deleted entries, the node holds " + live + " and " + gone);
        }
        node.live = live;
        node.deleted = gone;
        return node;
    }

    /** The integer element at {@code p}, which must be there (before {@code end}) and be an integer. */
    private long checkedInteger(int p, int end, String what) {
        if (p >= end || !isInteger(lp[p] & 0xff)) {
            throw new IllegalArgumentException(what + " missing or not an integer");
        }
        return integerAt(p);
    }

    /** The offset {@code n} elements after {@code p}, all before {@code end}. */
    private int skip(int p, long n, int end) {
        for (long i = 0; i < n; i++) {
            if (p >= end) {
                throw new IllegalArgumentException("entry ends before its elements");
            }
            p = next(p);
        }
        return p;
    }

    /**
     * Checks the listpack's frame, {@code lpValidateIntegrity} in depth: the header's size is the array's, each
     * element's encoding and length stay inside it and its backlen says its length, and the 0xFF terminator comes
     * last. Returns the number of elements.
     */
    private static int checkElements(byte[] lp) {
        if (lp.length < HEADER + 1) {
            throw new IllegalArgumentException("listpack shorter than its header");
        }
        long total = (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
        if (total != lp.length || (lp[lp.length - 1] & 0xff) != 0xff) {
            throw new IllegalArgumentException("listpack size or terminator does not match its " + lp.length + " bytes");
        }
        int end = lp.length - 1;
        int elements = 0;
        int p = HEADER;
        while (p < end) {
            long length = checkedEncodedLength(lp, p, end);
            int size = length < end - p ? backlenSize((int) length) : 0;
            if (size == 0 || p + length + size > end || backlenAt(lp, (int) (p + length), size) != length) {
                throw new IllegalArgumentException("listpack element at " + p + " runs past the end or has a wrong backlen");
            }
            p += (int) length + size;
            elements++;
        }
        return elements;
    }

    /** The encoded length of the element at {@code p} (without backlen), reading nothing at or past {@code end}. */
    private static long checkedEncodedLength(byte[] lp, int p, int end) {
        int b = lp[p] & 0xff;
        if (b < 0x80) {
            return 1;
        } else if ((b & 0xc0) == 0x80) {
            return 1 + (b & 0x3f);
        } else if ((b & 0xe0) == 0xc0) {
            return 2;
        } else if ((b & 0xf0) == 0xe0) {
            return p + 1 < end ? 2 + (((b & 0x0f) << 8) | (lp[p + 1] & 0xff)) : Long.MAX_VALUE / 2;
        }
        return switch (b) {
            case 0xf0 -> p + 4 < end ? 5 + ((lp[p + 1] & 0xffL) | (lp[p + 2] & 0xffL) << 8 | (lp[p + 3] & 0xffL) << 16
                    | (lp[p + 4] & 0xffL) << 24) : Long.MAX_VALUE / 2;
            case 0xf1 -> 3;
            case 0xf2 -> 4;
            case 0xf3 -> 5;
            case 0xf4 -> 9;
            default -> throw new IllegalArgumentException("bad listpack encoding byte " + b + " at " + p);
        };
    }

    /** The backlen of {@code size} bytes at {@code p}, as {@link #putBacklen} writes it. */
    private static long backlenAt(byte[] lp, int p, int size) {
        long length = 0;
        for (int i = 0; i < size; i++) {
            int b = lp[p + i] & 0xff;
            if ((i == 0) != (b < 128)) {
                return -1;
            }
            length = length << 7 | (b & 127);
        }
        return length;
    }
    /** The listpack's size in bytes ({@code lpBytes}). O(1). */
    int bytes() {
        return used;
    }

    /** The heap this node takes: the object and its array. O(1). */
    long heap() {
        return SELF + MemorySizes.byteArray(lp.length);
    }

    /** Live and deleted entries. O(1). */
    int size() {
        return live + deleted;
    }

    /** An exact copy, with no spare room. O(bytes). */
    StreamNode copy() {
        return new StreamNode(master, Arrays.copyOf(lp, used), used, live, deleted);
    }

    /** Gives back the spare room of the array. O(bytes). */
    void trimToSize() {
        if (lp.length != used) {
            lp = Arrays.copyOf(lp, used);
        }
    }

    /** The listpack, exactly as Redis would store it. O(bytes). */
    byte[] listpack() {
        return Arrays.copyOf(lp, used);
    }

    // tag::add[]
    /** Appends an entry, with only its values when its fields are the master's (SAMEFIELDS). O(bytes of the entry). */
    void add(StreamId id, byte[][] fieldsAndValues) {
        int pairs = fieldsAndValues.length / 2;
        boolean same = sameFieldsAsMaster(fieldsAndValues);
        ensure(3 * 10 + 10 + 2 * elementsBound(fieldsAndValues));
        appendInteger(same ? FLAG_SAMEFIELDS : 0);
        appendInteger(id.ms() - master.ms());
        appendInteger(id.seq() - master.seq());
        if (!same) {
            appendInteger(pairs);
        }
        for (int i = 0; i < pairs; i++) {
            if (!same) {
                appendElement(fieldsAndValues[2 * i]);
            }
            appendElement(fieldsAndValues[2 * i + 1]);
        }
        int lpCount = pairs + 3 + (same ? 0 : pairs + 1);
        appendInteger(lpCount);
        finishAppend(lpCount + 1);
        setCounts(live + 1, deleted);
    }
    // end::add[]

    private boolean sameFieldsAsMaster(byte[][] fieldsAndValues) {
        int p = next(next(HEADER));
        if (integerAt(p) != fieldsAndValues.length / 2) {
            return false;
        }
        p = next(p);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            if (!equalsAt(p, fieldsAndValues[i])) {
                return false;
            }
            p = next(p);
        }
        return true;
    }

    /** The master entry's fields. O(fields). */
    byte[][] masterFields() {
        int p = next(next(HEADER));
        byte[][] fields = new byte[(int) integerAt(p)][];
        p = next(p);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = elementAt(p);
            p = next(p);
        }
        return fields;
    }

    /** The offset of the first entry, or {@link #end} when there is none. O(master fields). */
    int firstEntry() {
        int p = next(next(HEADER));
        int fields = (int) integerAt(p);
        p = next(p);
        for (int i = 0; i <= fields; i++) {
            p = next(p);
        }
        return p;
    }

    /** The offset past the last entry: the terminator's. O(1). */
    int end() {
        return used - 1;
    }

    /** The offset of the entry after the one at {@code p}. O(entry's fields). */
    int nextEntry(int p) {
        boolean same = (lp[p] & FLAG_SAMEFIELDS) != 0;
        p = next(next(next(p)));
        int elements;
        if (same) {
            elements = masterFieldCount();
        } else {
            elements = 2 * (int) integerAt(p);
            p = next(p);
        }
        for (int i = 0; i <= elements; i++) {
            p = next(p);
        }
        return p;
    }

    /**
     * The offset of the last entry, live or deleted ({@code lpGetEdgeStreamID}): back from the terminator over the
     * lp-count, which says how many elements come before it in its entry. O(entry's fields).
     */
    int lastEntry() {
        int p = prev(end());
        for (long n = integerAt(p); n > 0; n--) {
            p = prev(p);
        }
        return p;
    }

    /** The ID of the last entry, live or deleted. O(entry's fields). */
    StreamId lastId() {
        return idAt(lastEntry());
    }

    /** The offsets of all entries, first to last, for walking backwards. O(bytes). */
    int[] entryOffsets() {
        int[] offsets = new int[size()];
        int p = firstEntry();
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = p;
            p = nextEntry(p);
        }
        return offsets;
    }

    /** Whether the entry at {@code p} is deleted. O(1). */
    boolean deletedAt(int p) {
        return (lp[p] & FLAG_DELETED) != 0;
    }

    /** The ID of the entry at {@code p}. O(1). */
    StreamId idAt(int p) {
        int ms = next(p);
        return new StreamId(master.ms() + integerAt(ms), master.seq() + integerAt(next(ms)));
    }

    /** The field-value pairs of the entry at {@code p}; {@code masterFields} from {@link #masterFields}. O(fields). */
    byte[][] entryAt(int p, byte[][] masterFields) {
        boolean same = (lp[p] & FLAG_SAMEFIELDS) != 0;
        p = next(next(next(p)));
        if (same) {
            byte[][] out = new byte[2 * masterFields.length][];
            for (int i = 0; i < masterFields.length; i++) {
                out[2 * i] = masterFields[i];
                out[2 * i + 1] = elementAt(p);
                p = next(p);
            }
            return out;
        }
        byte[][] out = new byte[2 * (int) integerAt(p)][];
        p = next(p);
        for (int i = 0; i < out.length; i++) {
            out[i] = elementAt(p);
            p = next(p);
        }
        return out;
    }

    /** The offset of the live entry {@code id}, or -1. O(node). */
    int find(StreamId id) {
        for (int p = firstEntry(), end = end(); p != end; p = nextEntry(p)) {
            int c = idAt(p).compareTo(id);
            if (c == 0) {
                return deletedAt(p) ? -1 : p;
            }
            if (c > 0) {
                return -1;
            }
        }
        return -1;
    }

    /** Sets the DELETED flag of the entry at {@code p}; the counts are the caller's ({@link #setCounts}). O(1). */
    void markDeleted(int p) {
        lp[p] |= FLAG_DELETED; // flags are 0..3: a one-byte element whose byte is the value
    }

    /** Deletes the live entry at {@code p}. O(bytes) when a count changes width, else O(1). */
    void delete(int p) {
        markDeleted(p);
        setCounts(live - 1, deleted + 1);
    }

    /** Rewrites the master's count and deleted ({@code lpReplaceInteger}). */
    void setCounts(int newLive, int newDeleted) {
        if (newLive != live) {
            replaceInteger(HEADER, newLive);
            live = newLive;
        }
        if (newDeleted != deleted) {
            replaceInteger(next(HEADER), newDeleted);
            deleted = newDeleted;
        }
    }

    private int masterFieldCount() {
        return (int) integerAt(next(next(HEADER)));
    }

    // ---- listpack elements -------------------------------------------------------------------------------

    /** The offset of the element after the one at {@code p}. */
    private int next(int p) {
        int len = encodedLength(p);
        return p + len + backlenSize(len);
    }

    /** The offset of the element before the one at {@code p} ({@code lpPrev}), read from its backlen. */
    private int prev(int p) {
        int q = p - 1;
        int length = 0;
        int shift = 0;
        while (true) {
            length |= (lp[q] & 127) << shift;
            if ((lp[q] & 128) == 0) {
                break;
            }
            shift += 7;
            q--;
        }
        return p - length - backlenSize(length);
    }

    /** The length of the element at {@code p} without its backlen. */
    private int encodedLength(int p) {
        int b = lp[p] & 0xff;
        if (b < 0x80) {
            return 1;
        } else if ((b & 0xc0) == 0x80) {
            return 1 + (b & 0x3f);
        } else if ((b & 0xe0) == 0xc0) {
            return 2;
        } else if ((b & 0xf0) == 0xe0) {
            return 2 + (((b & 0x0f) << 8) | (lp[p + 1] & 0xff));
        }
        return switch (b) {
            case 0xf0 -> 5 + (int) littleEndian(p + 1, 4);
            case 0xf1 -> 3;
            case 0xf2 -> 4;
            case 0xf3 -> 5;
            case 0xf4 -> 9;
            default -> throw new IllegalStateException("bad listpack encoding byte " + b);
        };
    }

    private boolean isInteger(int b) {
        return b < 0x80 || (b & 0xe0) == 0xc0 || (b >= 0xf1 && b <= 0xf4);
    }

    /** The integer element at {@code p}. */
    private long integerAt(int p) {
        int b = lp[p] & 0xff;
        if (b < 0x80) {
            return b;
        } else if ((b & 0xe0) == 0xc0) {
            int v = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
            return v >= 1 << 12 ? v - (1 << 13) : v;
        }
        return switch (b) {
            case 0xf1 -> (short) littleEndian(p + 1, 2);
            case 0xf2 -> ((int) littleEndian(p + 1, 3) << 8) >> 8;
            case 0xf3 -> (int) littleEndian(p + 1, 4);
            case 0xf4 -> littleEndian(p + 1, 8);
            default -> throw new IllegalStateException("not a listpack integer: " + b);
        };
    }

    /** Where the string bytes of the string element at {@code p} start. */
    private int stringStart(int p) {
        int b = lp[p] & 0xff;
        return (b & 0xc0) == 0x80 ? p + 1 : (b & 0xf0) == 0xe0 ? p + 2 : p + 5;
    }

    /** The element at {@code p}, an integer as its decimal text. */
    private byte[] elementAt(int p) {
        if (isInteger(lp[p] & 0xff)) {
            return RedisNumbers.formatLong(integerAt(p));
        }
        int start = stringStart(p);
        return Arrays.copyOfRange(lp, start, p + encodedLength(p));
    }

    /** Whether the element at {@code p} reads as {@code s}. */
    private boolean equalsAt(int p, byte[] s) {
        if (isInteger(lp[p] & 0xff)) {
            return s.length <= 20 && RedisNumbers.isLong(s) && RedisNumbers.parseLong(s) == integerAt(p);
        }
        int start = stringStart(p);
        return Arrays.equals(lp, start, p + encodedLength(p), s, 0, s.length);
    }

    private long littleEndian(int at, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (lp[at + i] & 0xffL) << (8 * i);
        }
        return v;
    }

    /** An upper bound of the bytes {@code elements} take encoded. */
    private static long elementsBound(byte[][] elements) {
        long n = 0;
        for (byte[] e : elements) {
            n += e.length + 10;
        }
        return n;
    }

    /** Room for {@code more} bytes after the used ones, doubling. */
    private void ensure(long more) {
        long need = used + more;
        if (need > lp.length) {
            lp = Arrays.copyOf(lp, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * lp.length)));
        }
    }

    /** Appends before the terminator; {@link #finishAppend} moves the terminator and updates the header. */
    private void appendElement(byte[] s) {
        if (s.length <= 20 && RedisNumbers.isLong(s)) {
            appendInteger(RedisNumbers.parseLong(s));
            return;
        }
        ensure(s.length + 10);
        int p = used - 1;
        int start = p;
        if (s.length < 64) {
            lp[p++] = (byte) (0x80 | s.length);
        } else if (s.length < 4096) {
            lp[p++] = (byte) (0xe0 | s.length >> 8);
            lp[p++] = (byte) s.length;
        } else {
            lp[p++] = (byte) 0xf0;
            p = putLittleEndian(p, s.length, 4);
        }
        System.arraycopy(s, 0, lp, p, s.length);
        p += s.length;
        used = putBacklen(p, p - start) + 1;
    }

    private void appendInteger(long v) {
        ensure(10 + 1);
        int start = used - 1;
        int p = writeInteger(start, v);
        used = putBacklen(p, p - start) + 1;
    }

    /** Writes the encoding and bytes of {@code v} at {@code p}; returns the offset after them. */
    private int writeInteger(int p, long v) {
        if (v >= 0 && v <= 127) {
            lp[p++] = (byte) v;
        } else if (v >= -4096 && v <= 4095) {
            long u = v < 0 ? (1 << 13) + v : v;
            lp[p++] = (byte) ((u >> 8) | 0xc0);
            lp[p++] = (byte) u;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            lp[p++] = (byte) 0xf1;
            p = putLittleEndian(p, v, 2);
        } else if (v >= -(1 << 23) && v < 1 << 23) {
            lp[p++] = (byte) 0xf2;
            p = putLittleEndian(p, v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            lp[p++] = (byte) 0xf3;
            p = putLittleEndian(p, v, 4);
        } else {
            lp[p++] = (byte) 0xf4;
            p = putLittleEndian(p, v, 8);
        }
        return p;
    }

    /** The encoded length of {@code v} without backlen. */
    private static int integerLength(long v) {
        return v >= 0 && v <= 127 ? 1 : v >= -4096 && v <= 4095 ? 2 : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 3
                : v >= -(1 << 23) && v < 1 << 23 ? 4 : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 9;
    }

    /** Replaces the integer element at {@code p} by {@code v}, moving what follows when the width changes. */
    private void replaceInteger(int p, long v) {
        int oldSize = next(p) - p;
        int len = integerLength(v);
        int newSize = len + backlenSize(len);
        if (newSize != oldSize) {
            ensure(newSize - oldSize);
            System.arraycopy(lp, p + oldSize, lp, p + newSize, used - p - oldSize);
            used += newSize - oldSize;
            putLittleEndian(0, used, 4);
        }
        int q = writeInteger(p, v);
        putBacklen(q, q - p);
    }

    /** Moves the terminator after the appended elements and counts them in the header. */
    private void finishAppend(int elements) {
        lp[used - 1] = (byte) 0xff;
        putLittleEndian(0, used, 4);
        int count = (int) littleEndian(4, 2);
        if (count != 65535) {
            putLittleEndian(4, Math.min(65535, count + elements), 2);
        }
    }

    private int putLittleEndian(int at, long value, int width) {
        for (int i = 0; i < width; i++) {
            lp[at + i] = (byte) (value >>> (8 * i));
        }
        return at + width;
    }

    /** {@code lpEncodeBacklen}: 7 bits per byte, most significant first; every byte but the first has bit 7 set. */
    private int putBacklen(int p, int length) {
        int size = backlenSize(length);
        for (int i = size - 1; i >= 0; i--) {
            int seven = (length >>> (7 * i)) & 127;
            lp[p++] = (byte) (i == size - 1 ? seven : seven | 128);
        }
        return p;
    }

    /** How many bytes the backlen of an element of {@code length} bytes takes. */
    static int backlenSize(int length) {
        return length <= 127 ? 1 : length < 16383 ? 2 : length < 2097151 ? 3 : length < 268435455 ? 4 : 5;
    }
}
