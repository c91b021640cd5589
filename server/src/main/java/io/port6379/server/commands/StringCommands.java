// The string family: GET, SET and its options, counters, ranges, and the multi-key MGET/MSET.
package io.port6379.server.commands;

import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.Strings;
import io.port6379.datastructures.WrongTypeException;
import io.port6379.protocol.RespWriter;

import java.util.ArrayList;
import java.util.List;

import static io.port6379.server.AclCategory.STRING;
import static io.port6379.server.config.NotifyKeyspaceEvents.GENERIC;

/**
 * String commands. The semantics live in {@link Strings} (datastructures); this class parses arguments with
 * Redis's rules and errors, writes the replies, and reports each change to {@link KeyspaceEvents}.
 */
public final class StringCommands {

    private static final byte[] EMPTY = new byte[0];

    private StringCommands() {
    }

    // tag::get[]
    /** GET key — the string, or nil. WRONGTYPE for a key of another type. A read: counted as a hit or a miss. */
    static void get(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        bulkOrNil(reply, counted(client, key, stringOf(client, key)));
    }

    private static void bulkOrNil(RespWriter reply, byte[] value) {
        if (value == null) {
            reply.nullBulkString();
        } else {
            reply.bulkString(value);
        }
    }

    /**
     * The string under {@code key} through {@link Strings#get}; a key of another type counts as a hit before its
     * WRONGTYPE, as Redis's {@code lookupKeyRead} then {@code checkType}.
     */
    private static byte[] stringOf(Client client, Bytes key) {
        try {
            return Strings.get(client.db(), key);
        } catch (WrongTypeException e) {
            TypeCommands.counted(client, key, true);
            throw e;
        }
    }

    /**
     * Counts a read {@link Strings} made (GET, GETDEL, GETEX, GETSET, SET ... GET): a hit when {@code value} was
     * found. Called before the command's own events, as Redis's lookup comes before its change. Returns {@code value}.
     */
    private static byte[] counted(Client client, Bytes key, byte[] value) {
        TypeCommands.counted(client, key, value != null);
        return value;
    }
    // end::get[]

    // tag::set[]
    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT unix-s|PXAT unix-ms|KEEPTTL]. */
    static void set(Client client, byte[][] args, RespWriter reply) {
        ExpiryOptions options = ExpiryOptions.parse(args, 3, ExpiryOptions.Kind.SET, client.server().clock().millis());
        Bytes key = Bytes.of(args[1]);
        Strings.SetResult result = setCounted(client, key, args[2], options.setOptions());
        if (result.written()) {
            setEvents(client, key, options.expireAtMillis() >= 0);
        }
        if (options.get()) {
            bulkOrNil(reply, result.previous());
        } else if (result.written()) {
            Replies.ok(reply);
        } else {
            reply.nullBulkString();
        }
    }

    /** {@link Strings#set}; with GET its read of the old value is counted (a key of another type is a hit). */
    private static Strings.SetResult setCounted(Client client, Bytes key, byte[] value, Strings.SetOptions options) {
        Strings.SetResult result;
        try {
            result = Strings.set(client.db(), key, value, options);
        } catch (WrongTypeException e) {
            TypeCommands.counted(client, key, true); // only GET reads, so only GET fails with WRONGTYPE
            throw e;
        }
        if (options.get()) {
            counted(client, key, result.previous());
        }
        return result;
    }

    /** What Redis's {@code setGenericCommand} announces after a write: {@code set}, then {@code expire} with a time. */
    private static void setEvents(Client client, Bytes key, boolean withExpiry) {
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.modified(client, key, NotifyKeyspaceEvents.STRING, "set", 1);
        if (withExpiry) {
            events.notify(GENERIC, "expire", key, client.dbIndex());
        }
    }
    // end::set[]

    static void setnx(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        Strings.SetResult result = Strings.set(client.db(), key, args[2],
                new Strings.SetOptions(Strings.Condition.NX, -1, false, false));
        if (result.written()) {
            setEvents(client, key, false);
        }
        reply.integer(result.written() ? 1 : 0);
    }

    static void setex(Client client, byte[][] args, RespWriter reply) {
        setWithExpiry(client, args, reply, 1000, "setex");
    }

    static void psetex(Client client, byte[][] args, RespWriter reply) {
        setWithExpiry(client, args, reply, 1, "psetex");
    }

    private static void setWithExpiry(Client client, byte[][] args, RespWriter reply, long unit, String name) {
        long expireAt = ExpiryOptions.relativeToAbsolute(args[2], unit, client.server().clock().millis(), name);
        Bytes key = Bytes.of(args[1]);
        Strings.set(client.db(), key, args[3], new Strings.SetOptions(Strings.Condition.ALWAYS, expireAt, false, false));
        setEvents(client, key, true);
        Replies.ok(reply);
    }

    static void getset(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        Strings.SetResult result = setCounted(client, key, args[2],
                new Strings.SetOptions(Strings.Condition.ALWAYS, -1, false, true));
        setEvents(client, key, false);
        bulkOrNil(reply, result.previous());
    }

    static void getdel(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        byte[] value = counted(client, key, getDel(client, key));
        if (value != null) {
            client.server().keyspaceEvents().modified(client, key, GENERIC, "del", 1);
        }
        bulkOrNil(reply, value);
    }

    /** GETEX key [EX s|PX ms|EXAT unix-s|PXAT unix-ms|PERSIST]. */
    static void getex(Client client, byte[][] args, RespWriter reply) {
        ExpiryOptions options;
        try {
            options = ExpiryOptions.parse(args, 2, ExpiryOptions.Kind.GETEX, client.server().clock().millis());
        } catch (RedisException badTime) {
            // Redis checks only the syntax before the lookup: a bad or non-positive time is reported for an
            // existing string; a missing key is still nil and another type still WRONGTYPE.
            if (!badTime.getMessage().equals(Args.syntaxError().getMessage())
                    && TypeCommands.read(client, args[1], RedisString.class) == null) {
                reply.nullBulkString();
                return;
            }
            throw badTime;
        }
        Bytes key = Bytes.of(args[1]);
        boolean hadExpiry = client.db().expireTime(key) >= 0;
        byte[] value = counted(client, key, getEx(client, key, options));
        if (value != null) {
            getexEvents(client, key, options, hadExpiry);
        }
        bulkOrNil(reply, value);
    }

    /** {@link Strings#getDel}, a key of another type counted as a hit before its WRONGTYPE. */
    private static byte[] getDel(Client client, Bytes key) {
        try {
            return Strings.getDel(client.db(), key);
        } catch (WrongTypeException e) {
            TypeCommands.counted(client, key, true);
            throw e;
        }
    }

    /** {@link Strings#getEx}, a key of another type counted as a hit before its WRONGTYPE. */
    private static byte[] getEx(Client client, Bytes key, ExpiryOptions options) {
        try {
            return Strings.getEx(client.db(), key, options.expireAtMillis(), options.persist());
        } catch (WrongTypeException e) {
            TypeCommands.counted(client, key, true);
            throw e;
        }
    }

    /** As {@code getexCommand}: a time already past deletes the key, a time sets it, PERSIST removes one if any. */
    private static void getexEvents(Client client, Bytes key, ExpiryOptions options, boolean hadExpiry) {
        KeyspaceEvents events = client.server().keyspaceEvents();
        if (options.expireAtMillis() >= 0) {
            boolean deleted = options.expireAtMillis() <= client.server().clock().millis();
            events.modified(client, key, GENERIC, deleted ? "del" : "expire", 1);
        } else if (options.persist() && hadExpiry) {
            events.modified(client, key, GENERIC, "persist", 1);
        }
    }

    /** MGET key [key ...] — nil for keys that are missing or hold another type (which count as hits, as in Redis). */
    static void mget(Client client, byte[][] args, RespWriter reply) {
        reply.arrayHeader(args.length - 1);
        for (int i = 1; i < args.length; i++) {
            Object value = TypeCommands.lookupRead(client, Bytes.of(args[i]));
            bulkOrNil(reply, value instanceof RedisString s ? s.bytes() : null);
        }
    }

    static void mset(Client client, byte[][] args, RespWriter reply) {
        checkPairs(args, "mset");
        Strings.mset(client.db(), args, 1);
        msetEvents(client, args);
        Replies.ok(reply);
    }

    static void msetnx(Client client, byte[][] args, RespWriter reply) {
        checkPairs(args, "msetnx");
        boolean written = Strings.msetnx(client.db(), args, 1);
        if (written) {
            msetEvents(client, args);
        }
        reply.integer(written ? 1 : 0);
    }

    /** A {@code set} event per pair (a key named twice gets two), and one change per pair. */
    private static void msetEvents(Client client, byte[][] args) {
        KeyspaceEvents events = client.server().keyspaceEvents();
        for (int i = 1; i < args.length; i += 2) {
            events.modified(client, Bytes.of(args[i]), NotifyKeyspaceEvents.STRING, "set", 1);
        }
    }

    private static void checkPairs(byte[][] args, String name) {
        if (args.length % 2 == 0) {
            throw new RedisException("ERR wrong number of arguments for '" + name + "' command");
        }
    }

    static void append(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        long length = Strings.append(client.db(), key, args[2]);
        client.server().keyspaceEvents().modified(client, key, NotifyKeyspaceEvents.STRING, "append", 1);
        reply.integer(length);
    }

    static void strlen(Client client, byte[][] args, RespWriter reply) {
        RedisString value = TypeCommands.read(client, args[1], RedisString.class);
        reply.integer(value == null ? 0 : value.length());
    }

    static void getrange(Client client, byte[][] args, RespWriter reply) {
        long start = Args.parseLong(args[2]);
        long end = Args.parseLong(args[3]);
        if (TypeCommands.read(client, args[1], RedisString.class) == null) { // the read counted; the range looks again
            reply.bulkString(EMPTY);
            return;
        }
        reply.bulkString(Strings.getRange(client.db(), Bytes.of(args[1]), start, end));
    }

    // tag::lcs[]
    /**
     * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] — the longest common subsequence of two strings
     * (a missing key is the empty string), by t_string.c's {@code lcsCommand}: the textbook table of LCS lengths
     * of every pair of prefixes, then a walk back from its corner. Plain, the subsequence; LEN, its length; IDX,
     * the matching ranges from the ends of the strings backwards, each {@code [[a_start, a_end], [b_start, b_end]]}
     * (and its length with WITHMATCHLEN), those shorter than MINMATCHLEN left out, then the length. The table
     * takes 4 bytes per cell, so it may not exceed proto-max-bulk-len. O(N*M) time and memory.
     */
    static void lcs(Client client, byte[][] args, RespWriter reply) {
        RedisValue first = TypeCommands.lookupRead(client, Bytes.of(args[1]));
        RedisValue second = TypeCommands.lookupRead(client, Bytes.of(args[2]));
        if ((first != null && !(first instanceof RedisString)) || (second != null && !(second instanceof RedisString))) {
            throw new RedisException("ERR The specified keys must contain string values");
        }
        byte[] a = first == null ? EMPTY : ((RedisString) first).bytes();
        byte[] b = second == null ? EMPTY : ((RedisString) second).bytes();
        boolean idx = false;
        boolean len = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < args.length; j++) {
            if (Args.is(args[j], "idx")) {
                idx = true;
            } else if (Args.is(args[j], "len")) {
                len = true;
            } else if (Args.is(args[j], "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(args[j], "minmatchlen") && j + 1 < args.length) {
                minMatchLen = Math.max(0, Args.parseLong(args[++j]));
            } else {
                throw Args.syntaxError();
            }
        }
        if (idx && len) {
            throw new RedisException("ERR If you want both the length and indexes, please just use IDX.");
        }
        if ((long) (a.length + 1) * (b.length + 1) * Integer.BYTES > client.server().config().protoMaxBulkLength()) {
            throw new RedisException("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[][] table = lcsTable(a, b);
        if (len) {
            reply.integer(table[a.length][b.length]);
        } else if (idx) {
            reply.mapHeader(2);
            reply.bulkString("matches");
            List<long[]> ranges = lcsRanges(a, b, table, minMatchLen);
            reply.arrayHeader(ranges.size());
            for (long[] range : ranges) {
                reply.arrayHeader(withMatchLen ? 3 : 2);
                reply.arrayHeader(2).integer(range[0]).integer(range[1]);
                reply.arrayHeader(2).integer(range[2]).integer(range[3]);
                if (withMatchLen) {
                    reply.integer(range[1] - range[0] + 1);
                }
            }
            reply.bulkString("len").integer(table[a.length][b.length]);
        } else {
            reply.bulkString(lcsString(a, b, table));
        }
    }

    /** {@code table[i][j]} is the length of the LCS of the first i bytes of a and the first j of b. O(N*M). */
    static int[][] lcsTable(byte[] a, byte[] b) {
        int[][] table = new int[a.length + 1][b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                table[i][j] = a[i - 1] == b[j - 1] ? table[i - 1][j - 1] + 1 : Math.max(table[i - 1][j], table[i][j - 1]);
            }
        }
        return table;
    }

    /** The subsequence, walking back from the corner: a match is taken, otherwise the larger neighbour (b's on a tie). */
    private static byte[] lcsString(byte[] a, byte[] b, int[][] table) {
        byte[] result = new byte[table[a.length][b.length]];
        int k = result.length;
        for (int i = a.length, j = b.length; i > 0 && j > 0; ) {
            if (a[i - 1] == b[j - 1]) {
                result[--k] = a[i - 1];
                i--;
                j--;
            } else if (table[i - 1][j] > table[i][j - 1]) {
                i--;
            } else {
                j--;
            }
        }
        return result;
    }

    /**
     * The same walk, gathering runs of consecutive matches as {a_start, a_end, b_start, b_end}: a run ends at a
     * step without a match, or once it reaches the first byte of either string. As in Redis, a match that does not
     * continue the run ends it without starting a new one (the walk never produces one).
     */
    private static List<long[]> lcsRanges(byte[] a, byte[] b, int[][] table, long minMatchLen) {
        List<long[]> ranges = new ArrayList<>();
        int aStart = -1;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        for (int i = a.length, j = b.length; i > 0 && j > 0; ) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                if (aStart < 0) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                emit |= aStart == 0 || bStart == 0;
                i--;
                j--;
            } else {
                if (table[i - 1][j] > table[i][j - 1]) {
                    i--;
                } else {
                    j--;
                }
                emit = aStart >= 0;
            }
            if (emit) {
                if (minMatchLen == 0 || aEnd - aStart + 1 >= minMatchLen) {
                    ranges.add(new long[] {aStart, aEnd, bStart, bEnd});
                }
                aStart = -1;
            }
        }
        return ranges;
    }
    // end::lcs[]

    static void setrange(Client client, byte[][] args, RespWriter reply) {
        long offset = Args.parseLong(args[2]);
        Bytes key = Bytes.of(args[1]);
        long length = Strings.setRange(client.db(), key, offset, args[3]);
        if (args[3].length > 0) { // an empty value changes nothing, not even a missing key
            client.server().keyspaceEvents().modified(client, key, NotifyKeyspaceEvents.STRING, "setrange", 1);
        }
        reply.integer(length);
    }

    static void incr(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        counted(client, key, Strings.incrBy(client.db(), key, 1), reply);
    }

    static void decr(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        counted(client, key, Strings.incrBy(client.db(), key, -1), reply);
    }

    static void incrby(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        counted(client, key, Strings.incrBy(client.db(), key, Args.parseLong(args[2])), reply);
    }

    static void decrby(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        counted(client, key, Strings.decrBy(client.db(), key, Args.parseLong(args[2])), reply);
    }

    /** INCR, DECR, INCRBY and DECRBY are all Redis's {@code incrDecrCommand}: one event name, {@code incrby}. */
    private static void counted(Client client, Bytes key, long value, RespWriter reply) {
        client.server().keyspaceEvents().modified(client, key, NotifyKeyspaceEvents.STRING, "incrby", 1);
        reply.integer(value);
    }

    static void incrbyfloat(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        byte[] value = Strings.incrByFloat(client.db(), key, args[2]);
        client.server().keyspaceEvents().modified(client, key, NotifyKeyspaceEvents.STRING, "incrbyfloat", 1);
        reply.bulkString(value);
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("get", StringCommands::get);
        table.handle("set", StringCommands::set);
        table.handle("setnx", StringCommands::setnx);
        table.handle("setex", StringCommands::setex);
        table.handle("psetex", StringCommands::psetex);
        table.handle("getset", StringCommands::getset);
        table.handle("getdel", StringCommands::getdel);
        table.handle("getex", StringCommands::getex);
        table.handle("mget", StringCommands::mget);
        table.handle("mset", StringCommands::mset);
        table.handle("msetnx", StringCommands::msetnx);
        table.handle("append", StringCommands::append);
        table.handle("strlen", StringCommands::strlen);
        table.handle("getrange", StringCommands::getrange);
        table.handle("substr", StringCommands::getrange); // GETRANGE's name before Redis 2.4, still served by the same code
        table.handle("lcs", StringCommands::lcs);
        table.handle("setrange", StringCommands::setrange);
        table.handle("incr", StringCommands::incr);
        table.handle("decr", StringCommands::decr);
        table.handle("incrby", StringCommands::incrby);
        table.handle("decrby", StringCommands::decrby);
        table.handle("incrbyfloat", StringCommands::incrbyfloat);
    }
}
