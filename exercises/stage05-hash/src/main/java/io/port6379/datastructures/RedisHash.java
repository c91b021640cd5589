// Exercise 05: your hash value. It replaces the reference io.port6379.datastructures.RedisHash, under the
// reference keyspace and HashCommands. Check it with `exercises/check 05`; talk to it with
// `exercises/run-server 05 --port 6380` and redis-cli (HSET, HGET, HINCRBY, OBJECT ENCODING, HSCAN...).
//
// What to build, in the order the tests check it (chapter 05):
//  1. Two encodings. Start compact, reported as "listpack": one byte[] holding field, value, field, value... in
//     insertion order, each prefixed by its length, searched linearly (reads return copies). Convert once and for
//     all to a Dict ("hashtable") when a field or a value is longer than limits.hashMaxListpackValue() (64) or
//     the hash would hold more than limits.hashMaxListpackEntries() (512) fields; never convert back, even after
//     deletes. The limits are the server's (CONFIG SET hash-max-listpack-entries / -value), passed to each write.
//  2. HINCRBY and HINCRBYFLOAT with Redis's texts: NOT_AN_INTEGER, Strings.OVERFLOW, NOT_A_FLOAT,
//     NAN_OR_INFINITY. RedisNumbers.parseLong reads a value as Redis does; RedisNumbers.incrByFloat does the long
//     double arithmetic and the text of INCRBYFLOAT (map its NOT_A_FLOAT for a bad current value to yours).
//  3. HRANDFIELD: a count of Long.MIN_VALUE is COUNT_OUT_OF_RANGE; a count >= size returns the whole hash in
//     order; a negative count draws independently (repeats allowed).
//  4. copy() (COPY): same encoding, independent of the original.
//  5. Property: any sequence of HSET/HSETNX/HDEL/HINCRBY... agrees with a LinkedHashMap, and HSCAN returns every
//     field present from the first call to the last (a listpack is returned whole with cursor 0; a hashtable uses
//     Dict.scan).
// Tests: datastructures/src/test/java/io/port6379/datastructures/RedisHashTest.java and RedisHashProperties.java.
// The reference solution is datastructures/src/main/java/io/port6379/datastructures/RedisHash.java.
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

    public static final String NOT_AN_INTEGER = "ERR hash value is not an integer";
    public static final String NOT_A_FLOAT = "ERR hash value is not a float";
    public static final String NAN_OR_INFINITY = "ERR value is NaN or Infinity";
    public static final String COUNT_OUT_OF_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    /** HSET of one field: stores the value; true when the field is new. O(1) (O(N) while a listpack). */
    public boolean put(byte[] field, byte[] value, EncodingLimits limits) {
        throw new UnsupportedOperationException("exercise 05: put()");
    }

    /**
     * A deep copy in the same encoding, as COPY makes: changing one hash leaves the other alone. The field and
     * value arrays are shared, since they are never changed in place. O(N).
     */
    public RedisHash copy() {
        throw new UnsupportedOperationException("exercise 05: copy()");
    }

    /** HSETNX: stores only a new field; true when stored. O(1) (O(N) while a listpack). */
    public boolean putIfAbsent(byte[] field, byte[] value, EncodingLimits limits) {
        throw new UnsupportedOperationException("exercise 05: putIfAbsent()");
    }

    /** HGET: the value, or null. O(1) (O(N) while a listpack). */
    public byte[] get(byte[] field) {
        throw new UnsupportedOperationException("exercise 05: get()");
    }

    /** HEXISTS. O(1) (O(N) while a listpack). */
    public boolean contains(byte[] field) {
        throw new UnsupportedOperationException("exercise 05: contains()");
    }

    /** HSTRLEN: the value's length, 0 when the field is absent. O(1) (O(N) while a listpack). */
    public int valueLength(byte[] field) {
        throw new UnsupportedOperationException("exercise 05: valueLength()");
    }

    /** HDEL of one field; true when it existed. The caller deletes the key when the hash becomes empty. O(1) (O(N) while a listpack). */
    public boolean remove(byte[] field) {
        throw new UnsupportedOperationException("exercise 05: remove()");
    }

    /** HLEN. O(1). */
    public int size() {
        throw new UnsupportedOperationException("exercise 05: size()");
    }

    /** Whether the hash has no field (the caller then deletes the key). O(1). */
    public boolean isEmpty() {
        throw new UnsupportedOperationException("exercise 05: isEmpty()");
    }

    /** Visits every field and value (HGETALL, HKEYS, HVALS): insertion order while a listpack. O(N). */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        throw new UnsupportedOperationException("exercise 05: forEach()");
    }

    /**
     * HINCRBY: adds {@code delta} to the field's integer value (0 when absent); returns the new value. O(1)
     * (O(N) while a listpack).
     *
     * @throws RedisException {@link #NOT_AN_INTEGER} when the value is not a 64-bit integer,
     *                        {@link Strings#OVERFLOW} when the result would not fit
     */
    public long incrBy(byte[] field, long delta, EncodingLimits limits) {
        throw new UnsupportedOperationException("exercise 05: incrBy()");
    }

    /**
     * HINCRBYFLOAT: adds {@code increment} in long double precision, as INCRBYFLOAT; returns the stored text. O(1)
     * (O(N) while a listpack).
     *
     * @throws RedisException {@link RedisNumbers#NOT_A_FLOAT} for a bad increment, {@link #NAN_OR_INFINITY} for an
     *                        infinite one, {@link #NOT_A_FLOAT} when the value is not a float,
     *                        {@link RedisNumbers#INCREMENT_INFINITY} when the result is not finite
     */
    public byte[] incrByFloat(byte[] field, byte[] increment, EncodingLimits limits) {
        throw new UnsupportedOperationException("exercise 05: incrByFloat()");
    }

    /** HRANDFIELD without a count: one random field, or null when empty. O(1) (O(N) while a listpack). */
    public byte[] randomField(RandomGenerator random) {
        throw new UnsupportedOperationException("exercise 05: randomField()");
    }

    /**
     * HRANDFIELD with a count: for count >= 0, min(count, size) distinct fields (all of them, in order, when
     * count >= size); for count < 0, |count| fields drawn independently, so repeats are possible. Each result
     * is {field, value}. O(N) for count >= 0, O(|count|) otherwise (plus O(N) while a listpack).
     *
     * @throws RedisException {@link #COUNT_OUT_OF_RANGE} for -2^63, whose magnitude Redis cannot represent
     */
    public List<byte[][]> randomFields(long count, RandomGenerator random) {
        throw new UnsupportedOperationException("exercise 05: randomFields()");
    }

    /**
     * HRANDFIELD with a negative count, one pick at a time: each call of the supplier returns an independent
     * uniformly random {field, value}. The server writes picks as it draws them and can stop when the reply grows
     * too large, instead of building -count picks first. O(N) once (a snapshot of the pairs), then O(1) per pick.
     * The hash must not be empty or change while the supplier is used.
     */
    public Supplier<byte[][]> randomDraws(RandomGenerator random) {
        throw new UnsupportedOperationException("exercise 05: randomDraws()");
    }

    /**
     * One HSCAN step, as SCAN on the keyspace: a listpack is returned whole with cursor 0 (as Redis does); a
     * hashtable is visited bucket by bucket from {@code cursor} until about {@code count} fields were seen.
     * Returns the next cursor, 0 when done. O(count) on average.
     */
    public long scan(long cursor, int count, BiConsumer<byte[], byte[]> visitor) {
        throw new UnsupportedOperationException("exercise 05: scan()");
    }

    /** This object and its listpack, or its dict with the fields and the values. O(1). */
    @Override
    public long memoryUsage() {
        throw new UnsupportedOperationException("exercise 05: memoryUsage()");
    }

    /** {@code "hash"}. O(1). */
    @Override
    public String type() {
        throw new UnsupportedOperationException("exercise 05: type()");
    }

    /** {@code "listpack"} while compact, {@code "hashtable"} after conversion. O(1). */
    @Override
    public String encoding() {
        throw new UnsupportedOperationException("exercise 05: encoding()");
    }

    /** DEBUG HTSTATS-KEY's text ({@link Dict#stats}), or null when the value is not in its hash-table encoding. O(capacity). */
    public String hashTableStats() {
        throw new UnsupportedOperationException("exercise 05: hashTableStats()");
    }
}
