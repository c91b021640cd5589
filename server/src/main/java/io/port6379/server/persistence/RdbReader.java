// Loads an RDB file as Redis 7.0 writes it (and the older encodings Redis 7.0 still reads) into values.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.StreamId;
import io.port6379.datastructures.StreamGroup;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.ZAddOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a whole RDB file and hands every key to a {@link Sink}. It understands everything Redis 7.0.15 writes —
 * strings (plain, integer, LZF), lists as quicklists of listpacks, sets and intsets, hashes and sorted sets
 * plain or as listpacks, both expiry opcodes, AUX fields, RESIZEDB — and the older encodings Redis 7.0 still
 * loads (ziplists, quicklists of ziplists, zipmaps, text scores), streams with their consumer groups, and function
 * libraries (their code). Modules are refused with a message that says so, since this server has none.
 *
 * <p>The reader only parses; it never touches a database. Callers that must not load half a file collect the
 * entries and apply them once {@link #read} has returned (see {@link StartupLoader}). Not thread-safe.
 */
public final class RdbReader {

    /** Where the keys go. */
    public interface Sink {
        /** One key: its database, name, value and expiry (Unix milliseconds, -1 for none). */
        void entry(int db, byte[] key, RedisValue value, long expireAtMillis);

        /** A function library's code (FUNCTION2), met before the keys. */
        default void function(byte[] code) {
        }

        /** An AUX field ({@code redis-ver}, {@code ctime}...): informational. */
        default void aux(String name, byte[] value) {
        }

        /**
         * The key just given to {@link #entry} came with Redis's eviction data: its LRU idle time in seconds
         * (RDB_OPCODE_IDLE) and its LFU counter (RDB_OPCODE_FREQ), -1 for the one not saved.
         */
        default void access(int db, byte[] key, long idleSeconds, int frequency) {
        }

        /** The bytes parsed so far, after each key and each other opcode (INFO's loading_loaded_bytes). */
        default void parsed(long bytes) {
        }
    }

    private final RdbInput in;
    private final boolean verifyChecksum;
    private long keyLoadDelayMicros;
    /** The server's limits: a loaded hash, set or sorted set gets the encoding its size and the config choose. */
    private final EncodingLimits limits;
    private int version;

    private RdbReader(InputStream in, boolean verifyChecksum, EncodingLimits limits) {
        this.in = new RdbInput(in);
        this.verifyChecksum = verifyChecksum;
        this.limits = limits;
    }

    /**
     * Reads the whole stream. O(size of the file).
     *
     * @param verifyChecksum whether to compare the trailing CRC-64 ({@code rdbchecksum}); a stored 0 is never compared
     * @throws RdbException when the file is not valid RDB or holds something this server cannot load
     * @throws IOException  when reading fails or the file ends early
     */
    public static void read(InputStream in, boolean verifyChecksum, Sink sink) throws IOException {
        read(in, verifyChecksum, EncodingLimits.REDIS_DEFAULTS, false, 0, sink);
    }

    /** {@link #read} into a server with {@code limits}: a loaded collection gets the encoding they choose. */
    public static void read(InputStream in, boolean verifyChecksum, EncodingLimits limits, Sink sink) throws IOException {
        read(in, verifyChecksum, limits, false, 0, sink);
    }

    /**
     * {@link #read}, with Redis's deep sanitization of every listpack and intset when {@code deep}, and
     * {@code key-load-delay}: microseconds slept per key loaded (see Snapshot.debugDelay).
     */
    public static void read(InputStream in, boolean verifyChecksum, EncodingLimits limits, boolean deep,
                            long keyLoadDelayMicros, Sink sink) throws IOException {
        boolean outer = DEEP.get();
        DEEP.set(deep);
        try {
            RdbReader reader = new RdbReader(in, verifyChecksum, limits);
            reader.keyLoadDelayMicros = keyLoadDelayMicros;
            reader.readAll(sink);
        } finally {
            DEEP.set(outer);
        }
    }

    // tag::sanitize[]
    /**
     * {@code sanitize-dump-payload}: Redis checks a payload's encoded blobs in depth only when asked (yes; clients,
     * for a client's RESTORE, which here is every RESTORE), since it keeps the blobs as they are and walks them
     * later. This server decodes every blob into its own structures as it reads, so it always refuses what those
     * cannot hold (duplicate members or fields, a count that does not match, an entry that does not decode), even
     * with {@code no}, where Redis may accept such a payload and fail on it later. What deep sanitization adds here
     * are the checks that decoding alone does not need: each listpack entry's back length, and an intset's order.
     * A stream node is the exception: it keeps its listpack as it is and walks it backwards too, so its listpack is
     * always checked in depth (see streamNode), and the setting only decides whether that is counted.
     */
    private static final ThreadLocal<Boolean> DEEP = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Blobs checked in depth on this thread since the last {@link #takeSanitizations}: INFO's dump_payload_sanitizations. */
    private static final ThreadLocal<long[]> SANITIZATIONS = ThreadLocal.withInitial(() -> new long[1]);

    /** Whether the read in progress on this thread sanitizes deeply; each blob that asks is counted, as Redis does. */
    static boolean deep() {
        return DEEP.get();
    }

    /** Called once per encoded blob (listpack, ziplist, zipmap, intset) read while sanitizing deeply. */
    static void sanitizing() {
        if (DEEP.get()) {
            SANITIZATIONS.get()[0]++;
        }
    }

    /** The deep checks counted on this thread since the last call, for RESTORE to add to INFO. */
    public static long takeSanitizations() {
        long[] count = SANITIZATIONS.get();
        long taken = count[0];
        count[0] = 0;
        return taken;
    }

    /** The RDB loads' setting: only {@code yes} (Redis's {@code clients} spares the files, as the master's data). */
    public static boolean deepForFiles(String sanitizeDumpPayload) {
        return sanitizeDumpPayload.equals("yes");
    }
    // end::sanitize[]

    /**
     * One value as {@link RdbWriter#value} writes it, a type byte then the body (a DUMP payload before its
     * footer), or null for an empty collection. O(size of the value).
     *
     * @param key only for messages (a stream or module value is refused by name)
     * @throws RdbException when the bytes are not a value this server can load
     * @throws IOException  when they end early
     */
    static RedisValue readValue(InputStream in, byte[] key, EncodingLimits limits, boolean deep) throws IOException {
        boolean outer = DEEP.get();
        DEEP.set(deep);
        try {
            RdbReader reader = new RdbReader(in, false, limits);
            reader.version = RdbFormat.VERSION;
            return reader.value(reader.in.uint8(), key);
        } finally {
            DEEP.set(outer);
        }
    }

    /** {@code REDIS} and a four-digit version we can read. */
    private void readHeader() throws IOException {
        byte[] magic = in.bytes(9);
        String header = new String(magic, StandardCharsets.ISO_8859_1);
        if (!header.startsWith("REDIS") || !header.substring(5).chars().allMatch(Character::isDigit)) {
            throw new RdbException("Wrong signature trying to load DB from file");
        }
        version = Integer.parseInt(header.substring(5));
        if (version < 1 || version > RdbFormat.VERSION) {
            throw new RdbException("Can't handle RDB format version " + version);
        }
    }

    // tag::read-loop[]
    private void readAll(Sink sink) throws IOException {
        readHeader();
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int frequency = -1;
        while (true) {
            int type = in.uint8();
            switch (type) {
                case RdbFormat.OPCODE_EOF -> {
                    checkChecksum();
                    return;
                }
                case RdbFormat.OPCODE_SELECTDB -> db = in.count();
                case RdbFormat.OPCODE_RESIZEDB -> {
                    in.length(); // the database's size and number of keys with an expiry: sizing hints only
                    in.length();
                }
                case RdbFormat.OPCODE_EXPIRETIME_MS -> expireAt = in.littleEndian(8);
                case RdbFormat.OPCODE_EXPIRETIME -> expireAt = in.littleEndian(4) * 1000;
                case RdbFormat.OPCODE_AUX -> sink.aux(new String(in.string(), StandardCharsets.ISO_8859_1), in.string());
                case RdbFormat.OPCODE_IDLE -> idle = in.length(); // written under an LRU policy, before the key
                case RdbFormat.OPCODE_FREQ -> frequency = in.uint8(); // written under an LFU policy
                case RdbFormat.OPCODE_MODULE_AUX -> throw new RdbException(
                        "The RDB file contains AUX module data I can't load: no modules are loaded in this server");
                case RdbFormat.OPCODE_FUNCTION2 -> sink.function(in.string());
                case RdbFormat.OPCODE_FUNCTION -> throw new RdbException("Pre-GA function format not supported");
                default -> {
                    if (type > RdbFormat.TYPE_STREAM_LISTPACKS_2 || type == 8) {
                        throw new RdbException("Unknown RDB value type " + type + " at offset " + (in.offset() - 1));
                    }
                    byte[] key = in.string();
                    RedisValue value = value(type, key);
                    if (keyLoadDelayMicros != 0) {
                        Snapshot.debugDelay(keyLoadDelayMicros);
                    }
                    if (value != null) { // Redis 7 skips empty collections an older version may have saved
                        sink.entry(db, key, value, expireAt);
                        if (idle >= 0 || frequency >= 0) {
                            sink.access(db, key, idle, frequency);
                        }
                    }
                    expireAt = -1;
                    idle = -1;
                    frequency = -1;
                }
            }
            sink.parsed(in.offset());
        }
    }
    // end::read-loop[]

    private void checkChecksum() throws IOException {
        if (version < 5) {
            return;
        }
        long computed = in.crc();
        long stored = in.littleEndian(8);
        if (verifyChecksum && stored != 0 && stored != computed) {
            throw new RdbException("Wrong RDB checksum expected: (" + HexFormat.of().toHexDigits(stored) + ") got: ("
                    + HexFormat.of().toHexDigits(computed) + ")");
        }
    }

    // tag::read-value[]
    /** The value of one key, or null for an empty collection. */
    private RedisValue value(int type, byte[] key) throws IOException {
        return switch (type) {
            case RdbFormat.TYPE_STRING -> new RedisString(in.string());
            case RdbFormat.TYPE_LIST -> list(strings(in.count()));
            case RdbFormat.TYPE_LIST_ZIPLIST -> list(Ziplist.decode(in.string()));
            case RdbFormat.TYPE_LIST_QUICKLIST -> quicklist(false);
            case RdbFormat.TYPE_LIST_QUICKLIST_2 -> quicklist(true);
            case RdbFormat.TYPE_SET -> set(strings(in.count()));
            case RdbFormat.TYPE_SET_INTSET -> set(Intsets.decode(in.string()));
            case RdbFormat.TYPE_HASH -> hash(strings(2 * in.count()));
            case RdbFormat.TYPE_HASH_ZIPLIST -> hash(Ziplist.decode(in.string()));
            case RdbFormat.TYPE_HASH_LISTPACK -> hash(Listpack.decode(in.string()));
            case RdbFormat.TYPE_HASH_ZIPMAP -> hash(Zipmap.decode(in.string()));
            case RdbFormat.TYPE_ZSET, RdbFormat.TYPE_ZSET_2 -> sortedSet(type);
            case RdbFormat.TYPE_ZSET_ZIPLIST -> sortedSet(Ziplist.decode(in.string()));
            case RdbFormat.TYPE_ZSET_LISTPACK -> sortedSet(Listpack.decode(in.string()));
            case RdbFormat.TYPE_STREAM_LISTPACKS -> stream(false, key);
            case RdbFormat.TYPE_STREAM_LISTPACKS_2 -> stream(true, key);
            case RdbFormat.TYPE_MODULE, RdbFormat.TYPE_MODULE_2 -> throw new RdbException(
                    "Key '" + printable(key) + "' holds module data I can't load: no modules are loaded in this server");
            default -> throw new RdbException("Unknown RDB value type " + type + " at offset " + (in.offset() - 1));
        };
    }
    // end::read-value[]

    /**
     * A stream as {@link RdbWriter} describes it; {@code version2} false is Redis 6's STREAM_LISTPACKS, without the
     * first and max-deleted IDs, entries-added and the groups' read counters (estimated then, as Redis does).
     */
    private RedisStream stream(boolean version2, byte[] key) throws IOException {
        RedisStream stream = new RedisStream();
        long nodes = in.length();
        for (long n = 0; n < nodes; n++) {
            byte[] raxKey = in.string();
            if (raxKey.length != 16) {
                throw new RdbException("Stream node key entry is not the size of a stream ID in key '" + printable(key) + "'");
            }
            streamNode(stream, StreamId.ofRaxKey(raxKey), in.string(), key);
        }
        long length = in.length();
        StreamId last = new StreamId(in.unsignedLength(), in.unsignedLength());
        StreamId first = StreamId.MIN;
        StreamId maxDeleted = StreamId.MIN;
        long added = length;
        if (version2) {
            first = new StreamId(in.unsignedLength(), in.unsignedLength());
            maxDeleted = new StreamId(in.unsignedLength(), in.unsignedLength());
            added = in.unsignedLength();
        }
        stream.restoreCounters(length, last, first, maxDeleted, added);
        if (!version2 && length > 0) {
            stream.restoreCounters(length, last, stream.first(true).id(), maxDeleted, added);
        }
        long groups = in.length();
        for (long g = 0; g < groups; g++) {
            byte[] name = in.string();
            StreamId lastId = new StreamId(in.unsignedLength(), in.unsignedLength());
            long entriesRead = version2 ? in.unsignedLength() : stream.entriesReadAt(lastId);
            StreamGroup group = new StreamGroup(lastId, entriesRead);
            if (stream.groups().putIfAbsent(Bytes.of(name), group) != null) {
                throw new RdbException("Duplicated consumer group name " + printable(name));
            }
            long pending = in.length();
            for (long i = 0; i < pending; i++) {
                StreamId id = rawId();
                group.pending.put(id, new StreamGroup.Pending(in.littleEndian(8), in.length(), null));
            }
            long consumers = in.length();
            for (long c = 0; c < consumers; c++) {
                StreamGroup.Consumer consumer = new StreamGroup.Consumer(Bytes.of(in.string()), in.littleEndian(8));
                group.consumers.put(consumer.name, consumer);
                long owned = in.length();
                for (long i = 0; i < owned; i++) {
                    StreamId id = rawId();
                    StreamGroup.Pending nack = group.pending.get(id);
                    if (nack == null) {
                        throw new RdbException("Consumer entry not found in group global PEL");
                    }
                    nack.consumer = consumer;
                    consumer.pending.put(id, nack);
                }
            }
        }
        return stream;
    }

    /**
     * One node's listpack, the master entry then the entries as deltas from the node's ID, kept as it is: the
     * stream's nodes have Redis's listpack layout, so the bytes are checked ({@code streamValidateListpackIntegrity},
     * always in depth here since the node is walked later without bounds checks) and adopted, not decoded and
     * built again. A sanitization is counted when {@code sanitize-dump-payload} asks for depth, as Redis counts it.
     */
    private static void streamNode(RedisStream stream, StreamId master, byte[] listpack, byte[] key) {
        sanitizing();
        if (listpack.length == Listpack.EMPTY_SIZE) {
            throw new RdbException("Empty listpack inside stream '" + printable(key) + "'");
        }
        try {
            stream.restoreNode(master, listpack);
        } catch (IllegalArgumentException e) {
            throw new RdbException("Stream listpack integrity check failed in key '" + printable(key) + "': "
                    + e.getMessage());
        }
    }

    private StreamId rawId() throws IOException {
        byte[] raw = new byte[16];
        in.readFully(raw, 0, 16);
        return StreamId.ofRaxKey(raw);
    }

    private List<byte[]> strings(int count) throws IOException {
        byte[][] strings = new byte[count][];
        for (int i = 0; i < count; i++) {
            strings[i] = in.string();
        }
        return List.of(strings);
    }

    /** QUICKLIST: nodes that are ziplists; QUICKLIST_2: nodes that are listpacks or one plain (large) element. */
    private RedisValue quicklist(boolean version2) throws IOException {
        RedisList list = new RedisList();
        list.options(limits.lists());
        long nodes = in.length();
        for (long i = 0; i < nodes; i++) {
            int container = version2 ? in.count() : RdbFormat.QUICKLIST_NODE_PACKED;
            byte[] blob = in.string();
            if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
                list.pushRight(blob);
            } else if (container == RdbFormat.QUICKLIST_NODE_PACKED) {
                (version2 ? Listpack.decode(blob) : Ziplist.decode(blob)).forEach(list::pushRight);
            } else {
                throw new RdbException("Quicklist integrity check failed: unknown container " + container);
            }
        }
        return list.isEmpty() ? null : list;
    }

    private RedisValue list(List<byte[]> elements) {
        RedisList list = new RedisList();
        list.options(limits.lists());
        elements.forEach(list::pushRight);
        return list.isEmpty() ? null : list;
    }

    private RedisValue set(List<byte[]> members) {
        RedisSet set = new RedisSet();
        for (byte[] member : members) {
            if (!set.add(Bytes.of(member), limits)) {
                throw new RdbException("Duplicate set members detected");
            }
        }
        return set.size() == 0 ? null : set;
    }

    /** Fields and values alternate. */
    private RedisValue hash(List<byte[]> fieldsAndValues) {
        if (fieldsAndValues.size() % 2 != 0) {
            throw new RdbException("Hash with an odd number of fields and values");
        }
        RedisHash hash = new RedisHash();
        for (int i = 0; i < fieldsAndValues.size(); i += 2) {
            if (!hash.put(fieldsAndValues.get(i), fieldsAndValues.get(i + 1), limits)) {
                throw new RdbException("Duplicate hash fields detected");
            }
        }
        return hash.isEmpty() ? null : hash;
    }

    /**
     * ZSET (scores as text) or ZSET_2 (scores as 8-byte binary doubles). As Redis's {@code rdbLoadObject}, the
     * elements go into a skiplist, which is made a listpack afterwards when small enough: so a -0 score of a large
     * set stays -0 (a listpack would have stored 0 while the set was still small).
     */
    private RedisValue sortedSet(int type) throws IOException {
        int count = in.count();
        RedisSortedSet zset = new RedisSortedSet();
        zset.convertForSort();
        for (int i = 0; i < count; i++) {
            byte[] member = in.string();
            double score = type == RdbFormat.TYPE_ZSET_2 ? Double.longBitsToDouble(in.littleEndian(8)) : textScore();
            if (Double.isNaN(score)) {
                throw new RdbException("Zset with NAN score detected");
            }
            add(zset, member, score);
        }
        zset.convertToListpackIfNeeded(limits);
        return zset.size() == 0 ? null : zset;
    }

    /** Members and scores alternate; a score is text or an integer element. */
    private RedisValue sortedSet(List<byte[]> membersAndScores) {
        if (membersAndScores.size() % 2 != 0) {
            throw new RdbException("Sorted set with an odd number of members and scores");
        }
        RedisSortedSet zset = new RedisSortedSet();
        for (int i = 0; i < membersAndScores.size(); i += 2) {
            add(zset, membersAndScores.get(i), RedisNumbers.parseDouble(membersAndScores.get(i + 1)));
        }
        return zset.size() == 0 ? null : zset;
    }

    private void add(RedisSortedSet zset, byte[] member, double score) {
        if (zset.add(score, Bytes.of(member), ZAddOptions.NONE, limits) != RedisSortedSet.AddOutcome.ADDED) {
            throw new RdbException("Duplicate zset fields detected");
        }
    }

    /** The old ZSET's score: a length byte, where 253, 254 and 255 mean NaN, +inf and -inf, then ASCII. */
    private double textScore() throws IOException {
        int length = in.uint8();
        return switch (length) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(new String(in.bytes(length), StandardCharsets.US_ASCII));
        };
    }

    private static String printable(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
