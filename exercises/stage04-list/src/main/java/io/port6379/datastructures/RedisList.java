// Exercise 04: your list type. It replaces the reference io.port6379.datastructures.RedisList.
// Check it with `exercises/check 04`; talk to it with `exercises/run-server 04 --port 6380` and redis-cli.
package io.port6379.datastructures;

import java.util.List;
import java.util.function.Consumer;

/**
 * A list value, kept in a growable circular array (a ring buffer): {@code head} is the index of the first
 * element, and the elements continue from there, wrapping around the end of the array.
 *
 * <p>Redis 7.0 stores lists as a <em>quicklist</em>, a doubly linked list of small listpacks, and OBJECT ENCODING
 * reports {@code quicklist} for every list. We report the same name, but a ring buffer is simpler and gives O(1)
 * LINDEX and LSET where Redis's are O(N); the price is that growing copies the array (amortized O(1) per push)
 * and that LINSERT and LREM shift elements (O(N), as Redis's are anyway).
 *
 * <p>What to build, in the order the tests check it:
 * <ol>
 *   <li>The ring: a {@code byte[][]}, the index of the head, and a size. The element at logical index
 *       {@code i} lives in slot {@code (head + i) % elements.length}; a push on the left moves the head one slot
 *       back (wrapping), a push on the right writes after the tail. When the array is full, copy the elements
 *       in order into one twice as large (amortized O(1) per push); halve it when it is less than a quarter
 *       full, so a list that shrank gives its memory back.</li>
 *   <li>Redis's index rules: negative indexes count from the tail (-1 is the last element); LRANGE and LTRIM
 *       clamp their range to the list instead of failing; LSET out of range is {@code ERR index out of range}.</li>
 *   <li>LINSERT, LREM (count > 0 from the head, < 0 from the tail, 0 all) and LPOS (RANK, COUNT, MAXLEN, and
 *       their error texts, checked in Redis's order).</li>
 *   <li>{@link #move}: LMOVE between two keys of a {@link Keyspace}, including a key onto itself (a rotation);
 *       an emptied source key is deleted, as Redis never keeps an empty list.</li>
 * </ol>
 * Tests: datastructures/src/test/java/io/port6379/datastructures/RedisListTest.java and
 * RedisListProperties.java (random operations must agree with a {@code java.util.ArrayList}).
 * The reference solution is datastructures/src/main/java/io/port6379/datastructures/RedisList.java.
 *
 * <p>Not thread-safe.
 */
public final class RedisList implements RedisValue {

    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
            + "2 from the second ... or use negative to start from the end of the list";
    public static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    public static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";

    /** Which end of a list: LEFT is the head (index 0), RIGHT the tail. */
    public enum End { LEFT, RIGHT }

    /** LPUSH of one element. O(1) amortized. */
    public void pushLeft(byte[] element) {
        throw new UnsupportedOperationException("exercise 04: pushLeft(): move the head one slot back, growing the array when full");
    }

    /** RPUSH of one element. O(1) amortized. */
    public void pushRight(byte[] element) {
        throw new UnsupportedOperationException("exercise 04: pushRight()");
    }

    /** LPOP of one element, or null when empty. O(1). */
    public byte[] popLeft() {
        throw new UnsupportedOperationException("exercise 04: popLeft()");
    }

    /** RPOP of one element, or null when empty. O(1). */
    public byte[] popRight() {
        throw new UnsupportedOperationException("exercise 04: popRight()");
    }

    /** Pushes at the given end. O(1) amortized. */
    public void push(End end, byte[] element) {
        throw new UnsupportedOperationException("exercise 04: push()");
    }

    /** Pops from the given end, or null when empty. O(1). */
    public byte[] pop(End end) {
        throw new UnsupportedOperationException("exercise 04: pop()");
    }

    /** LLEN. O(1). */
    public int size() {
        throw new UnsupportedOperationException("exercise 04: size()");
    }

    public boolean isEmpty() {
        throw new UnsupportedOperationException("exercise 04: isEmpty()");
    }

    /** LINDEX: the element at {@code index} (negative counts from the tail, -1 is the last), or null. O(1). */
    public byte[] get(long index) {
        throw new UnsupportedOperationException("exercise 04: get(): -1 is the last element; out of range is null");
    }

    /**
     * LSET: replaces the element at {@code index}. O(1).
     *
     * @throws RedisException {@link #INDEX_OUT_OF_RANGE} when there is no such element
     */
    public void set(long index, byte[] element) {
        throw new UnsupportedOperationException("exercise 04: set()");
    }

    /**
     * LRANGE: the elements from {@code start} to {@code stop} inclusive. Negative indexes count from the tail;
     * a start before the head is clamped to 0 and a stop past the tail to the last element, so the result is
     * empty only when the range does not meet the list. O(S+N) in Redis; here O(N) for N elements returned.
     */
    public List<byte[]> range(long start, long stop) {
        throw new UnsupportedOperationException("exercise 04: range(): clamp start and stop to the list");
    }

    /** How many elements {@link #range} returns for {@code start} and {@code stop}. O(1). */
    public int rangeSize(long start, long stop) {
        return range(start, stop).size(); // given: the reference clamps without building the range
    }

    /**
     * The elements {@link #range} returns, handed to {@code visitor} in order without copying them into a list:
     * LRANGE writes them straight into its reply, where the list would be garbage at once. The visitor must not
     * change this list. O(N) for N elements visited.
     */
    public void forEachInRange(long start, long stop, Consumer<byte[]> visitor) {
        range(start, stop).forEach(visitor); // given: the reference walks the ring instead of copying
    }

    /**
     * LTRIM: keeps only the elements from {@code start} to {@code stop} inclusive, with LRANGE's index rules; an
     * empty range empties the list (the caller then deletes the key). O(N) for N elements removed.
     */
    public void trim(long start, long stop) {
        throw new UnsupportedOperationException("exercise 04: trim()");
    }

    /**
     * LINSERT: inserts {@code element} before or after the first occurrence of {@code pivot} (from the head);
     * returns the new length, or -1 when the pivot is not in the list. O(N).
     */
    public int insert(boolean before, byte[] pivot, byte[] element) {
        throw new UnsupportedOperationException("exercise 04: insert()");
    }

    /**
     * LREM: removes occurrences of {@code element}: the first {@code count} from the head when count > 0, the
     * last {@code |count|} from the tail when count < 0, all when count = 0. Returns how many were removed.
     * O(N): the survivors are compacted in one pass.
     */
    public long remove(long count, byte[] element) {
        throw new UnsupportedOperationException("exercise 04: remove()");
    }

    /**
     * LPOS: the indexes (from the head) of the elements equal to {@code element}. {@code rank} picks where to
     * start: 1 is the first match from the head, 2 the second..., -1 the first match from the tail. {@code count}
     * is how many to return (0: all), {@code maxlen} how many elements to compare at most (0: all). O(N).
     *
     * <p>Like Redis 7.0, a rank of -2^63 cannot be negated and so behaves as -1.
     *
     * @throws RedisException {@link #RANK_ZERO}, {@link #COUNT_NEGATIVE}, {@link #MAXLEN_NEGATIVE}
     */
    public List<Long> positions(byte[] element, long rank, long count, long maxlen) {
        throw new UnsupportedOperationException("exercise 04: positions(): LPOS with RANK, COUNT and MAXLEN");
    }

    /** LPOS's argument checks, in Redis's order, for callers that must fail before looking up the key. */
    public static void checkPositionArguments(long rank, long count, long maxlen) {
        throw new UnsupportedOperationException("exercise 04: checkPositionArguments()");
    }

    /**
     * LMOVE (and RPOPLPUSH): pops from one end of {@code source} and pushes onto one end of {@code destination},
     * creating it if needed and deleting {@code source} when it becomes empty; returns the element moved, or null
     * when {@code source} does not exist. Source and destination may be the same key (a rotation). O(1).
     *
     * @throws WrongTypeException when either key holds something else than a list (nothing is moved)
     */
    public static byte[] move(Keyspace keyspace, Bytes source, Bytes destination, End from, End to) {
        throw new UnsupportedOperationException("exercise 04: move(): LMOVE; delete the source key when it becomes empty");
    }

    @Override
    public String type() {
        throw new UnsupportedOperationException("exercise 04: type(): \"list\", as TYPE answers");
    }

    /** Always {@code "quicklist"}, the only list encoding Redis 7.0 reports. O(1). */
    @Override
    public String encoding() {
        throw new UnsupportedOperationException("exercise 04: encoding(): \"quicklist\", as OBJECT ENCODING answers in Redis 7.0");
    }

    /**
     * The heap bytes of the list for used_memory (the reference keeps them up to date with MemorySizes); 0 here, so
     * that the server runs with this exercise's list before it counts them. O(1).
     */
    @Override
    public long memoryUsage() {
        return 0;
    }

    // Given: the quicklist settings the server gives a list when it makes it (DUMP and DEBUG OBJECT read them).
    private QuicklistOptions options = QuicklistOptions.DEFAULT;

    /** The quicklist settings this list was made with (see {@link QuicklistOptions}). O(1). */
    public QuicklistOptions options() {
        return options;
    }

    /** Sets them, once, where the list is made: the server's current ones, or a copied list's. O(1). */
    public void options(QuicklistOptions options) {
        this.options = options;
    }
}
