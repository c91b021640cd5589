// SORT and SORT_RO: sorting a list, set or sorted set by its elements or by keys named after them, as sort.c does.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.WrongTypeException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.security.Acl;
import io.port6379.server.security.AclUser;
import io.port6379.server.util.Args;
import io.port6379.server.util.LazyFree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * SORT is the oldest "query language" in Redis: {@code SORT key [BY pattern] [LIMIT offset count]
 * [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]}. It reads a list, set or sorted set, gives each
 * element a weight (the element itself, or the value of the key its {@code BY} pattern names: {@code weight_*}
 * or the hash field {@code data_*->w}), sorts, cuts the LIMIT window, and answers either the elements or, per
 * element, the value of every {@code GET} pattern ({@code #} is the element itself). SORT_RO is the same without
 * STORE, so that it can run on a read-only replica.
 *
 * <p>The Redis quirks kept here, each from {@code sortCommandGeneric}:
 * <ul>
 *   <li>a BY pattern without {@code *} ({@code BY nosort}) skips sorting: a list or sorted set comes in its own
 *       order (reversed with DESC), a set in its table order, except with STORE or inside a script, where a set
 *       is sorted ALPHA so that replicas store the same list, and a script's writes do not depend on the order;</li>
 *   <li>numeric weights are read with C's {@code strtod}: leading spaces and an empty string (0) pass, a NUL ends
 *       the number, and NaN, overflow and subnormal values fail with
 *       {@code One or more scores can't be converted into double}; a missing weight key weighs 0;</li>
 *   <li>equal weights are ordered by the elements' bytes, so a numeric SORT is deterministic; ALPHA compares with
 *       {@code strcoll} (byte order up to the first NUL in the C locales), but with STORE with {@code memcmp};
 *       with ALPHA and BY a missing weight sorts first and equal weights keep their order;</li>
 *   <li>a sorted set is converted to a skiplist before it is read, and stays one.</li>
 * </ul>
 * The keys that BY and GET patterns name are not in the command's key specifications (they depend on the data);
 * COMMAND GETKEYS finds the sorted key and the STORE destination ({@code sortGetKeys}). So the ACL cannot check
 * them: a user who may not read every key gets an error for a BY pattern with {@code *} or any GET.
 */
public final class SortCommands {

    private static final String NOT_A_DOUBLE = "ERR One or more scores can't be converted into double";
    private static final byte[] EMPTY = new byte[0];

    private SortCommands() {
    }

    static void sort(Client client, byte[][] args, RespWriter reply) {
        sortGeneric(client, args, reply, false);
    }

    static void sortRo(Client client, byte[][] args, RespWriter reply) {
        sortGeneric(client, args, reply, true);
    }

    /** The options of one call, in the order sort.c parses them; the last of a repeated option wins. */
    private static final class Options {
        boolean desc;
        boolean alpha;
        long limitStart;
        long limitCount = -1;
        byte[] by;
        boolean dontSort;
        byte[] store;
        final List<byte[]> gets = new ArrayList<>();
    }

    // tag::parse[]
    private static Options parse(Client client, byte[][] args, boolean readonly) {
        Options options = new Options();
        AclUser user = Acl.user(client);
        boolean readsEveryKey = user == null || user.readsEveryKey(client.server().commands().lookup(args[0]), args);
        for (int j = 2; j < args.length; j++) {
            int left = args.length - j - 1;
            if (Args.is(args[j], "asc")) {
                options.desc = false;
            } else if (Args.is(args[j], "desc")) {
                options.desc = true;
            } else if (Args.is(args[j], "alpha")) {
                options.alpha = true;
            } else if (Args.is(args[j], "limit") && left >= 2) {
                options.limitStart = Args.parseLong(args[j + 1]);
                options.limitCount = Args.parseLong(args[j + 2]);
                j += 2;
            } else if (!readonly && Args.is(args[j], "store") && left >= 1) {
                options.store = args[++j];
            } else if (Args.is(args[j], "by") && left >= 1) {
                options.by = args[++j];
                options.dontSort = star(options.by) < 0; // a constant pattern: nothing to weigh, nothing to sort
                if (!options.dontSort && !readsEveryKey) {
                    throw new RedisException("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
            } else if (Args.is(args[j], "get") && left >= 1) {
                if (!readsEveryKey) {
                    throw new RedisException("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                options.gets.add(args[++j]);
            } else {
                throw Args.syntaxError();
            }
        }
        return options;
    }
    // end::parse[]

    /** One element and its weight: a number, or for ALPHA with BY the weight's bytes (null when missing). */
    private record Entry(byte[] element, double score, byte[] weight) {
    }

    private static void sortGeneric(Client client, byte[][] args, RespWriter reply, boolean readonly) {
        Options options = parse(client, args, readonly);
        RedisValue value = TypeCommands.lookupRead(client, Bytes.of(args[1]));
        if (value != null && !(value instanceof RedisList || value instanceof RedisSet || value instanceof RedisSortedSet)) {
            throw new WrongTypeException();
        }
        byte[] by = options.by;
        boolean alpha = options.alpha;
        boolean dontSort = options.dontSort;
        if (dontSort && value instanceof RedisSet && (options.store != null || client.isScript())) {
            dontSort = false; // a stored result, or a script's, must not depend on the set's table order
            alpha = true;
            by = null;
        }
        if (value instanceof RedisSortedSet zset) {
            zset.convertForSort();
        }
        List<byte[]> elements = elements(value, dontSort && !(value instanceof RedisSet), options.desc);
        int length = elements.size();
        // tag::limit[]
        long start = Math.min(Math.max(options.limitStart, 0), length);
        long count = Math.min(Math.max(options.limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        end = Math.min(end, length - 1);
        // end::limit[]
        List<byte[]> sorted = elements;
        boolean badScore = false;
        if (!dontSort) {
            List<Entry> entries = new ArrayList<>(length);
            for (byte[] element : elements) {
                byte[] weight = by == null ? element : lookupByPattern(client, by, element);
                double score = 0;
                if (!alpha && weight != null) {
                    Double parsed = strtod(weight);
                    badScore |= parsed == null;
                    score = parsed == null ? 0 : parsed;
                }
                entries.add(new Entry(element, score, alpha && by != null ? weight : null));
            }
            entries.sort(comparator(alpha, by != null, options.store != null, options.desc));
            sorted = entries.stream().map(Entry::element).toList();
        }
        if (badScore) {
            throw new RedisException(NOT_A_DOUBLE);
        }
        List<byte[]> window = end >= start ? sorted.subList((int) start, (int) end + 1) : List.of();
        if (options.store == null) {
            writeReply(client, options.gets, window, reply);
            return;
        }
        LazyFree lazyFree = client.server().lazyFree();
        lazyFree.hold(value); // the sorted value is still referenced when STORE replaces it: never freed lazily
        try {
            reply.integer(store(client, Bytes.of(options.store), options.gets, window));
        } finally {
            lazyFree.release();
        }
    }

    /**
     * The elements to sort, in the order Redis loads them: a list from head to tail, a set in its table order, a
     * sorted set by score. With {@code natural} (a list or sorted set under BY nosort) that order is the answer,
     * reversed by DESC. A missing key is an empty list.
     */
    private static List<byte[]> elements(RedisValue value, boolean natural, boolean desc) {
        List<byte[]> elements = new ArrayList<>();
        switch (value) {
            case RedisList list -> elements.addAll(list.range(0, -1));
            case RedisSet set -> set.forEach(member -> elements.add(member.array()));
            case RedisSortedSet zset -> zset.forEach(element -> elements.add(element.member().array()));
            case null, default -> { }
        }
        if (natural && desc) {
            Collections.reverse(elements);
        }
        return elements;
    }

    // tag::compare[]
    /**
     * sort.c's {@code sortCompare}: numbers first, equal numbers by the elements' bytes; ALPHA by the weights
     * (a missing one first, equal ones equal) or by the elements, with {@code strcoll} or, when storing,
     * {@code memcmp}. The list sort is stable, like glibc's merge sort under Redis's {@code qsort}.
     */
    private static Comparator<Entry> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<byte[]> strings = store ? Arrays::compareUnsigned : SortCommands::strcoll;
        Comparator<Entry> compare;
        if (!alpha) {
            compare = (a, b) -> a.score() > b.score() ? 1
                    : a.score() < b.score() ? -1 : Arrays.compareUnsigned(a.element(), b.element());
        } else if (byPattern) {
            compare = (a, b) -> a.weight() == null || b.weight() == null
                    ? Boolean.compare(a.weight() != null, b.weight() != null)
                    : strings.compare(a.weight(), b.weight());
        } else {
            compare = (a, b) -> strings.compare(a.element(), b.element());
        }
        return desc ? compare.reversed() : compare;
    }
    // end::compare[]

    /** C's {@code strcoll} in the C and C.UTF-8 locales, which is {@code strcmp}: unsigned bytes up to a NUL. */
    static int strcoll(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, cLength(a), b, 0, cLength(b));
    }

    /** The length of {@code text} as C sees it: up to its first NUL byte. */
    private static int cLength(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            if (text[i] == 0) {
                return i;
            }
        }
        return text.length;
    }

    /**
     * A weight as {@code strtod(text, &end)} reads it in SORT: leading white space is skipped and the number ends at
     * the first NUL; it is valid when the rest is used up and C sets no ERANGE, so an empty string reads 0 while an
     * overflow, an underflow (even to a subnormal) and NaN do not. Null when invalid.
     */
    static Double strtod(byte[] text) {
        int end = cLength(text);
        int from = 0;
        while (from < end && (text[from] == ' ' || (text[from] >= '\t' && text[from] <= '\r'))) {
            from++;
        }
        if (end == 0) {
            return 0.0; // nothing converted, but the end pointer rests on the terminating NUL
        }
        double value;
        try {
            value = RedisNumbers.parseDouble(Arrays.copyOfRange(text, from, end));
        } catch (RedisException notANumber) {
            return null;
        }
        return value != 0 && Math.abs(value) < Double.MIN_NORMAL ? null : value;
    }

    // tag::pattern[]
    /**
     * sort.c's {@code lookupKeyByPattern}: {@code #} is the element itself; otherwise the first {@code *} is
     * replaced by the element and the key is read (counted as a read); when {@code ->field} follows the
     * {@code *}, the hash field. Null when the pattern has no {@code *}, the key is missing or of another type
     * (a string, or a hash for a field), or the field is missing.
     */
    private static byte[] lookupByPattern(Client client, byte[] pattern, byte[] element) {
        if (pattern.length > 0 && pattern[0] == '#' && cLength(pattern) == 1) {
            return element;
        }
        int star = star(pattern);
        if (star < 0) {
            return null;
        }
        int arrow = arrow(pattern, star + 1);
        int keyEnd = arrow < 0 ? pattern.length : arrow;
        byte[] key = new byte[star + element.length + keyEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        RedisValue value = TypeCommands.lookupRead(client, Bytes.of(key));
        if (arrow >= 0) {
            return value instanceof RedisHash hash ? hash.get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length)) : null;
        }
        return value instanceof RedisString string ? string.bytes() : null;
    }
    // end::pattern[]

    /** The position of the first {@code *} as C's {@code strchr} finds it (not past a NUL), or -1. */
    private static int star(byte[] pattern) {
        int end = cLength(pattern);
        for (int i = 0; i < end; i++) {
            if (pattern[i] == '*') {
                return i;
            }
        }
        return -1;
    }

    /** The first {@code ->} from {@code from} on (as {@code strstr}) that a field name follows, or -1. */
    private static int arrow(byte[] pattern, int from) {
        int end = cLength(pattern);
        for (int i = from; i + 1 < end; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                return i + 2 < end ? i : -1;
            }
        }
        return -1;
    }

    /** The answer without STORE: the elements, or per element the value of every GET pattern (nil when missing). */
    private static void writeReply(Client client, List<byte[]> gets, List<byte[]> window, RespWriter reply) {
        reply.arrayHeader(gets.isEmpty() ? window.size() : gets.size() * window.size());
        for (byte[] element : window) {
            if (gets.isEmpty()) {
                reply.bulkString(element);
            }
            for (byte[] get : gets) {
                byte[] value = lookupByPattern(client, get, element);
                if (value == null) {
                    reply.nullBulkString();
                } else {
                    reply.bulkString(value);
                }
            }
        }
    }

    /**
     * STORE: the answer as a list under {@code destination} (a missing GET value stored as an empty string),
     * replacing whatever was there and its TTL; an empty answer deletes the destination instead. Each stored
     * element counts as a change, and the event is {@code sortstore}. Returns the number of elements.
     */
    private static long store(Client client, Bytes destination, List<byte[]> gets, List<byte[]> window) {
        RedisList list = new RedisList();
        for (byte[] element : window) {
            if (gets.isEmpty()) {
                list.pushRight(element);
            }
            for (byte[] get : gets) {
                byte[] value = lookupByPattern(client, get, element);
                list.pushRight(value == null ? EMPTY : value);
            }
        }
        KeyspaceEvents events = client.server().keyspaceEvents();
        if (list.size() > 0) {
            TypeCommands.store(client, client.db(), destination, list);
            events.modified(client, destination, NotifyKeyspaceEvents.LIST, "sortstore", list.size());
        } else if (client.db().remove(destination)) {
            events.modified(client, destination, NotifyKeyspaceEvents.GENERIC, "del", 1);
        }
        return list.size();
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("sort", SortCommands::sort);
        table.handle("sort_ro", SortCommands::sortRo);
    }
}
