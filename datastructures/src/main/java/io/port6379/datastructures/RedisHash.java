// Redis's hash type: a map from fields to values, compact (a listpack) while small, a hash table beyond.
package io.port6379.datastructures;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A hash value. Like Redis, it starts in a compact encoding, reported as {@code listpack}: one byte array holding
 * field, value, field, value... in insertion order, each prefixed by its length, searched linearly. That costs
 * O(N) per lookup but N is small, the bytes are contiguous, and there is no object at all per field (reads
 * return copies). When a field or value longer than {@code hash-max-listpack-value}
 * (64 bytes) is stored, or the hash grows beyond {@code hash-max-listpack-entries} (512 in Redis 7.0's built-in
 * configuration), it converts once and for all to a {@link Dict}, reported as {@code hashtable}; Redis never
 * converts back, and neither do we.
 *
 * <p>Not thread-safe.
 */
public final class RedisHash implements RedisValue {

    private static final byte[] EMPTY = new byte[0];

    public static final String NOT_AN_INTEGER = "ERR hash value is not an integer";
    public static final String NOT_A_FLOAT = "ERR hash value is not a float";
    public static final String NAN_OR_INFINITY = "ERR value is NaN or Infinity";
    public static final String COUNT_OUT_OF_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    // tag::encodings[]
    /**
     * Listpack encoding: one byte array holding field, value, field, value... in insertion order, each element
     * written as its length (a varint: 1 byte up to 127) followed by its bytes; null once converted.
     */
    private byte[] listpack = EMPTY;
    private int listpackBytes; // bytes of listpack in use
    private int listpackSize;  // number of fields in the listpack
    /** Hashtable encoding: field -> value; null while the listpack is used. */
    private Dict table;
    /** The heap bytes of the table's values, kept as they change (the dict counts the fields). */
    private long tableValueBytes;

    /** HSET of one field: stores the value; true when the field is new. O(1) (O(N) while a listpack). */
    public boolean put(byte[] field, byte[] value, EncodingLimits limits) {
        if (table == null && (field.length > limits.hashMaxListpackValue() || value.length > limits.hashMaxListpackValue())) {
            convertToTable();
        }
        if (table != null) {
            int hash = Dict.hash(field);
            Dict.Entry entry = table.find(field, hash);
            if (entry != null) {
                tableValueBytes += MemorySizes.of(value) - MemorySizes.of((byte[]) entry.value());
                entry.value(value);
                return false;
            }
            table.add(new Dict.Entry(field, hash, value));
            tableValueBytes += MemorySizes.of(value);
            return true;
        }
        int at = find(field);
        if (at >= 0) {
            int valueAt = next(at);
            replace(valueAt, next(valueAt), value);
            return false;
        }
        replace(listpackBytes, listpackBytes, field, value);
        listpackSize++;
        if (listpackSize > limits.hashMaxListpackEntries()) {
            convertToTable();
        }
        return true;
    }
    // end::encodings[]

    /**
     * A deep copy in the same encoding, as COPY makes: changing one hash leaves the other alone. The field and
     * value arrays are shared, since they are never changed in place. O(N).
     */
    public RedisHash copy() {
        RedisHash copy = new RedisHash();
        if (table == null) {
            copy.listpack = Arrays.copyOf(listpack, listpackBytes);
            copy.listpackBytes = listpackBytes;
            copy.listpackSize = listpackSize;
        } else {
            copy.listpack = null;
            copy.table = new Dict();
            table.forEach(e -> copy.table.add(new Dict.Entry(e.key(), Dict.hash(e.key()), e.value())));
            copy.tableValueBytes = tableValueBytes;
        }
        return copy;
    }

    /** HSETNX: stores only a new field; true when stored. O(1) (O(N) while a listpack). */
    public boolean putIfAbsent(byte[] field, byte[] value, EncodingLimits limits) {
        if (get(field) != null) {
            return false;
        }
        return put(field, value, limits);
    }

    /** HGET: the value, or null. O(1) (O(N) while a listpack). */
    public byte[] get(byte[] field) {
        if (table != null) {
            Dict.Entry entry = table.find(field);
            return entry == null ? null : (byte[]) entry.value();
        }
        int at = find(field);
        return at < 0 ? null : element(next(at));
    }

    /** HEXISTS. O(1) (O(N) while a listpack). */
    public boolean contains(byte[] field) {
        return get(field) != null;
    }

    /** HSTRLEN: the value's length, 0 when the field is absent. O(1) (O(N) while a listpack). */
    public int valueLength(byte[] field) {
        byte[] value = get(field);
        return value == null ? 0 : value.length;
    }

    /** HDEL of one field; true when it existed. The caller deletes the key when the hash becomes empty. O(1) (O(N) while a listpack). */
    public boolean remove(byte[] field) {
        if (table != null) {
            Dict.Entry removed = table.remove(field, Dict.hash(field));
            if (removed != null) {
                tableValueBytes -= MemorySizes.of((byte[]) removed.value());
            }
            return removed != null;
        }
        int at = find(field);
        if (at < 0) {
            return false;
        }
        replace(at, next(next(at)));
        listpackSize--;
        return true;
    }

    /** HLEN. O(1). */
    public int size() {
        return table != null ? table.size() : listpackSize;
    }

    /** Whether the hash has no field (the caller then deletes the key). O(1). */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Visits every field and value (HGETALL, HKEYS, HVALS): insertion order while a listpack. O(N). */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        if (table != null) {
            table.forEach(e -> visitor.accept(e.key(), (byte[]) e.value()));
            return;
        }
        for (int at = 0; at < listpackBytes; at = next(next(at))) {
            visitor.accept(element(at), element(next(at)));
        }
    }

    // tag::hincrby[]
    /**
     * HINCRBY: adds {@code delta} to the field's integer value (0 when absent); returns the new value. O(1)
     * (O(N) while a listpack).
     *
     * @throws RedisException {@link #NOT_AN_INTEGER} when the value is not a 64-bit integer,
     *                        {@link Strings#OVERFLOW} when the result would not fit
     */
    public long incrBy(byte[] field, long delta, EncodingLimits limits) {
        byte[] current = get(field);
        long value = 0;
        if (current != null) {
            if (!RedisNumbers.isLong(current)) {
                throw new RedisException(NOT_AN_INTEGER);
            }
            value = RedisNumbers.parseLong(current);
        }
        long result = value + delta;
        if (((value ^ result) & (delta ^ result)) < 0) {
            throw new RedisException(Strings.OVERFLOW);
        }
        put(field, RedisNumbers.formatLong(result), limits);
        return result;
    }
    // end::hincrby[]

    /**
     * HINCRBYFLOAT: adds {@code increment} in long double precision, as INCRBYFLOAT; returns the stored text. O(1)
     * (O(N) while a listpack).
     *
     * @throws RedisException {@link RedisNumbers#NOT_A_FLOAT} for a bad increment, {@link #NAN_OR_INFINITY} for an
     *                        infinite one, {@link #NOT_A_FLOAT} when the value is not a float,
     *                        {@link RedisNumbers#INCREMENT_INFINITY} when the result is not finite
     */
    public byte[] incrByFloat(byte[] field, byte[] increment, EncodingLimits limits) {
        BigDecimal incr = RedisNumbers.parseLongDouble(increment, RedisNumbers.NOT_A_FLOAT);
        if (RedisNumbers.isInfinite(incr)) {
            throw new RedisException(NAN_OR_INFINITY);
        }
        byte[] current = get(field);
        BigDecimal value = current == null ? BigDecimal.ZERO : RedisNumbers.parseLongDouble(current, NOT_A_FLOAT);
        byte[] result = RedisNumbers.addLongDoubles(value, incr);
        put(field, result, limits);
        return result;
    }

    /** HRANDFIELD without a count: one random field, or null when empty. O(1) (O(N) while a listpack). */
    public byte[] randomField(RandomGenerator random) {
        if (size() == 0) {
            return null;
        }
        if (table != null) {
            return table.random(random).key();
        }
        int at = 0;
        for (int skip = random.nextInt(listpackSize); skip > 0; skip--) {
            at = next(next(at));
        }
        return element(at);
    }

    // tag::hrandfield[]
    /**
     * HRANDFIELD with a count: for count >= 0, min(count, size) distinct fields (all of them, in order, when
     * count >= size); for count < 0, |count| fields drawn independently, so repeats are possible. Each result
     * is {field, value}. O(N) for count >= 0, O(|count|) otherwise (plus O(N) while a listpack).
     *
     * @throws RedisException {@link #COUNT_OUT_OF_RANGE} for -2^63, whose magnitude Redis cannot represent
     */
    public List<byte[][]> randomFields(long count, RandomGenerator random) {
        if (count == Long.MIN_VALUE) {
            throw new RedisException(COUNT_OUT_OF_RANGE);
        }
        List<byte[][]> all = new ArrayList<>(size());
        forEach((f, v) -> all.add(new byte[][] {f, v}));
        if (all.isEmpty() || count == 0) {
            return List.of();
        }
        if (count < 0) {
            Supplier<byte[][]> draw = () -> all.get(random.nextInt(all.size()));
            List<byte[][]> result = new ArrayList<>((int) Math.min(-count, 1 << 20));
            for (long i = 0; i < -count; i++) {
                result.add(draw.get());
            }
            return result;
        }
        if (count >= all.size()) {
            return all;
        }
        for (int i = 0; i < count; i++) { // partial Fisher-Yates: the first count slots become a random sample
            int j = i + random.nextInt(all.size() - i);
            byte[][] t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        return all.subList(0, (int) count);
    }
    // end::hrandfield[]

    /**
     * HRANDFIELD with a negative count, one pick at a time: each call of the supplier returns an independent
     * uniformly random {field, value}. The server writes picks as it draws them and can stop when the reply grows
     * too large, instead of building -count picks first. O(N) once (a snapshot of the pairs), then O(1) per pick.
     * The hash must not be empty or change while the supplier is used.
     */
    public Supplier<byte[][]> randomDraws(RandomGenerator random) {
        List<byte[][]> all = new ArrayList<>(size());
        forEach((f, v) -> all.add(new byte[][] {f, v}));
        return () -> all.get(random.nextInt(all.size()));
    }

    /**
     * One HSCAN step, as SCAN on the keyspace: a listpack is returned whole with cursor 0 (as Redis does); a
     * hashtable is visited bucket by bucket from {@code cursor} until about {@code count} fields were seen.
     * Returns the next cursor, 0 when done. O(count) on average.
     */
    public long scan(long cursor, int count, BiConsumer<byte[], byte[]> visitor) {
        if (table == null) {
            forEach(visitor);
            return 0;
        }
        List<Dict.Entry> seen = new ArrayList<>();
        long budget = Math.max(1, 10L * count);
        do {
            cursor = table.scan(cursor, seen::add);
        } while (cursor != 0 && --budget > 0 && seen.size() < count);
        for (Dict.Entry e : seen) {
            visitor.accept(e.key(), (byte[]) e.value());
        }
        return cursor;
    }

    // tag::listpack[]
    /** The offset of {@code field}'s entry in the listpack, or -1: a linear scan comparing bytes in place. */
    private int find(byte[] field) {
        int n = field.length;
        for (int at = 0; at < listpackBytes; ) {
            int length = lengthAt(at);
            int data = at + varintSize(length);
            if (length == n && Arrays.equals(listpack, data, data + n, field, 0, n)) {
                return at;
            }
            at = next(data + length); // skip the value
        }
        return -1;
    }

    /** The offset of the element after the one at {@code at}. */
    private int next(int at) {
        int length = lengthAt(at);
        return at + varintSize(length) + length;
    }

    /** A copy of the element at {@code at}. */
    private byte[] element(int at) {
        int length = lengthAt(at);
        int data = at + varintSize(length);
        return Arrays.copyOfRange(listpack, data, data + length);
    }
    // end::listpack[]

    /** Replaces the bytes [from, to) of the listpack by the encoded {@code elements}, moving the tail. */
    private void replace(int from, int to, byte[]... elements) {
        int needed = 0;
        for (byte[] e : elements) {
            needed += varintSize(e.length) + e.length;
        }
        int newBytes = listpackBytes - (to - from) + needed;
        if (newBytes > listpack.length) {
            // Grow by a quarter at least: appends stay amortized O(1) while a small hash wastes few bytes.
            listpack = Arrays.copyOf(listpack, Math.max(newBytes, listpackBytes + listpackBytes / 4));
        }
        System.arraycopy(listpack, to, listpack, from + needed, listpackBytes - to);
        int at = from;
        for (byte[] e : elements) {
            at = writeVarint(e.length, at);
            System.arraycopy(e, 0, listpack, at, e.length);
            at += e.length;
        }
        listpackBytes = newBytes;
    }

    private int lengthAt(int at) {
        byte first = listpack[at];
        if (first >= 0) {
            return first; // lengths up to 127, the common case, take one byte
        }
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = listpack[at++];
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    private int writeVarint(int value, int at) {
        while (value >= 0x80) {
            listpack[at++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        listpack[at++] = (byte) value;
        return at;
    }

    private static int varintSize(int value) {
        return value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;
    }

    private void convertToTable() {
        Dict converted = new Dict();
        long[] values = {0};
        forEach((field, value) -> {
            converted.add(new Dict.Entry(field, Dict.hash(field), value));
            values[0] += MemorySizes.of(value);
        });
        table = converted;
        tableValueBytes = values[0];
        listpack = null;
        listpackBytes = 0;
        listpackSize = 0;
    }

    /** This object: listpack, table, listpackBytes, listpackSize, tableValueBytes. */
    private static final int SELF = MemorySizes.object(2, 2, 1);

    /** This object and its listpack, or its dict with the fields and the values. O(1). */
    @Override
    public long memoryUsage() {
        return SELF + (table == null ? MemorySizes.of(listpack) : table.memoryUsage() + tableValueBytes);
    }

    /** {@code "hash"}. O(1). */
    @Override
    public String type() {
        return "hash";
    }

    /** {@code "listpack"} while compact, {@code "hashtable"} after conversion. O(1). */
    @Override
    public String encoding() {
        return table == null ? "listpack" : "hashtable";
    }

    /** DEBUG HTSTATS-KEY's text ({@link Dict#stats}), or null when the value is not in its hash-table encoding. O(capacity). */
    public String hashTableStats() {
        return table == null ? null : table.stats();
    }
}
