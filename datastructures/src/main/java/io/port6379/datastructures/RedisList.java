// Redis's list type: a sequence of byte strings with O(1) push and pop at both ends and O(1) access by index.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.Arrays;
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

    private static final byte[][] EMPTY = new byte[0][];

    // tag::ring[]
    private byte[][] elements = EMPTY;
    private int head;
    private int size;
    /** The heap bytes of the elements, kept as they come and go. */
    private long elementBytes;
    private QuicklistOptions options = QuicklistOptions.DEFAULT;

    /** The array slot of the element at logical {@code index} (0 <= index < size). */
    private int slot(int index) {
        int s = head + index;
        return s >= elements.length ? s - elements.length : s;
    }

    /** LPUSH of one element. O(1) amortized. */
    public void pushLeft(byte[] element) {
        growIfFull();
        head = head == 0 ? elements.length - 1 : head - 1;
        elements[head] = element;
        size++;
        elementBytes += MemorySizes.of(element);
    }

    /** RPUSH of one element. O(1) amortized. */
    public void pushRight(byte[] element) {
        growIfFull();
        elements[slot(size)] = element;
        size++;
        elementBytes += MemorySizes.of(element);
    }

    /** LPOP of one element, or null when empty. O(1). */
    public byte[] popLeft() {
        if (size == 0) {
            return null;
        }
        byte[] element = elements[head];
        elements[head] = null;
        head = slot(1);
        size--;
        elementBytes -= MemorySizes.of(element);
        shrinkIfSparse();
        return element;
    }
    // end::ring[]

    /** RPOP of one element, or null when empty. O(1). */
    public byte[] popRight() {
        if (size == 0) {
            return null;
        }
        int last = slot(size - 1);
        byte[] element = elements[last];
        elements[last] = null;
        size--;
        elementBytes -= MemorySizes.of(element);
        shrinkIfSparse();
        return element;
    }

    /** Pushes at the given end. O(1) amortized. */
    public void push(End end, byte[] element) {
        if (end == End.LEFT) {
            pushLeft(element);
        } else {
            pushRight(element);
        }
    }

    /** Pops from the given end, or null when empty. O(1). */
    public byte[] pop(End end) {
        return end == End.LEFT ? popLeft() : popRight();
    }

    /** LLEN. O(1). */
    public int size() {
        return size;
    }

    /** Whether the list has no element (the caller then deletes the key). O(1). */
    public boolean isEmpty() {
        return size == 0;
    }

    /** LINDEX: the element at {@code index} (negative counts from the tail, -1 is the last), or null. O(1). */
    public byte[] get(long index) {
        int i = normalize(index);
        return i < 0 ? null : elements[slot(i)];
    }

    /**
     * LSET: replaces the element at {@code index}. O(1).
     *
     * @throws RedisException {@link #INDEX_OUT_OF_RANGE} when there is no such element
     */
    public void set(long index, byte[] element) {
        int i = normalize(index);
        if (i < 0) {
            throw new RedisException(INDEX_OUT_OF_RANGE);
        }
        int at = slot(i);
        elementBytes += MemorySizes.of(element) - MemorySizes.of(elements[at]);
        elements[at] = element;
    }

    // tag::range[]
    /**
     * LRANGE: the elements from {@code start} to {@code stop} inclusive. Negative indexes count from the tail;
     * a start before the head is clamped to 0 and a stop past the tail to the last element, so the result is
     * empty only when the range does not meet the list. O(S+N) in Redis; here O(N) for N elements returned.
     */
    public List<byte[]> range(long start, long stop) {
        long[] bounds = clamp(start, stop);
        if (bounds == null) {
            return List.of();
        }
        List<byte[]> result = new ArrayList<>((int) (bounds[1] - bounds[0] + 1));
        for (long i = bounds[0]; i <= bounds[1]; i++) {
            result.add(elements[slot((int) i)]);
        }
        return result;
    }

    /** Redis's LRANGE/LTRIM index rules: the inclusive [start, stop] within the list, or null when empty. */
    private long[] clamp(long start, long stop) {
        if (start < 0) {
            start = Math.max(0, size + start);
        }
        if (stop < 0) {
            stop = size + stop;
        }
        if (start > stop || start >= size) {
            return null;
        }
        return new long[] {start, Math.min(stop, size - 1)};
    }
    // end::range[]

    /** How many elements {@link #range} returns for {@code start} and {@code stop}. O(1). */
    public int rangeSize(long start, long stop) {
        long[] bounds = clamp(start, stop);
        return bounds == null ? 0 : (int) (bounds[1] - bounds[0] + 1);
    }

    /**
     * The elements {@link #range} returns, handed to {@code visitor} in order without copying them into a list:
     * LRANGE writes them straight into its reply, where the list would be garbage at once. The visitor must not
     * change this list. O(N) for N elements visited.
     */
    public void forEachInRange(long start, long stop, Consumer<byte[]> visitor) {
        long[] bounds = clamp(start, stop);
        if (bounds == null) {
            return;
        }
        for (long i = bounds[0]; i <= bounds[1]; i++) {
            visitor.accept(elements[slot((int) i)]);
        }
    }

    /**
     * LTRIM: keeps only the elements from {@code start} to {@code stop} inclusive, with LRANGE's index rules; an
     * empty range empties the list (the caller then deletes the key). O(N) for N elements removed.
     */
    public void trim(long start, long stop) {
        long[] bounds = clamp(start, stop);
        if (bounds == null) {
            while (size > 0) {
                popRight();
            }
            return;
        }
        long removeRight = size - 1 - bounds[1];
        for (long i = 0; i < removeRight; i++) {
            popRight();
        }
        for (long i = 0; i < bounds[0]; i++) {
            popLeft();
        }
    }

    /**
     * LINSERT: inserts {@code element} before or after the first occurrence of {@code pivot} (from the head);
     * returns the new length, or -1 when the pivot is not in the list. O(N).
     */
    public int insert(boolean before, byte[] pivot, byte[] element) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(elements[slot(i)], pivot)) {
                insertAt(before ? i : i + 1, element);
                return size;
            }
        }
        return -1;
    }

    private void insertAt(int index, byte[] element) {
        if (index == 0) {
            pushLeft(element);
            return;
        }
        pushRight(element); // make room at the end, then shift the tail right by one
        for (int i = size - 1; i > index; i--) {
            elements[slot(i)] = elements[slot(i - 1)];
        }
        elements[slot(index)] = element;
    }

    // tag::lrem[]
    /**
     * LREM: removes occurrences of {@code element}: the first {@code count} from the head when count > 0, the
     * last {@code |count|} from the tail when count < 0, all when count = 0. Returns how many were removed.
     * O(N): the survivors are compacted in one pass.
     */
    public long remove(long count, byte[] element) {
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count == Long.MIN_VALUE ? Long.MAX_VALUE : count);
        boolean fromTail = count < 0;
        byte[][] kept = new byte[size][];
        int keptCount = 0;
        long removed = 0;
        for (int n = 0; n < size; n++) {
            int i = fromTail ? size - 1 - n : n;
            byte[] e = elements[slot(i)];
            if (removed < limit && Arrays.equals(e, element)) {
                removed++;
                elementBytes -= MemorySizes.of(e);
            } else {
                kept[keptCount++] = e;
            }
        }
        if (removed > 0) {
            if (fromTail) {
                reverse(kept, keptCount);
            }
            elements = kept.length == 0 ? EMPTY : kept;
            head = 0;
            size = keptCount;
        }
        return removed;
    }
    // end::lrem[]

    private static void reverse(byte[][] array, int length) {
        for (int i = 0, j = length - 1; i < j; i++, j--) {
            byte[] t = array[i];
            array[i] = array[j];
            array[j] = t;
        }
    }

    // tag::lpos[]
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
        checkPositionArguments(rank, count, maxlen);
        boolean fromTail = rank < 0;
        long skipUntil = fromTail ? -rank : rank; // overflows for -2^63, as in Redis: then every match counts
        List<Long> result = new ArrayList<>();
        long matches = 0;
        for (int n = 0; n < size && (maxlen == 0 || n < maxlen); n++) {
            int index = fromTail ? size - 1 - n : n;
            if (Arrays.equals(elements[slot(index)], element)) {
                matches++;
                if (matches >= skipUntil) {
                    result.add((long) index);
                    if (count != 0 && result.size() >= count) {
                        break;
                    }
                }
            }
        }
        return result;
    }
    // end::lpos[]

    /** LPOS's argument checks, in Redis's order, for callers that must fail before looking up the key. O(1). */
    public static void checkPositionArguments(long rank, long count, long maxlen) {
        if (rank == 0) {
            throw new RedisException(RANK_ZERO);
        }
        if (count < 0) {
            throw new RedisException(COUNT_NEGATIVE);
        }
        if (maxlen < 0) {
            throw new RedisException(MAXLEN_NEGATIVE);
        }
    }

    // tag::lmove[]
    /**
     * LMOVE (and RPOPLPUSH): pops from one end of {@code source} and pushes onto one end of {@code destination},
     * creating it if needed and deleting {@code source} when it becomes empty; returns the element moved, or null
     * when {@code source} does not exist. Source and destination may be the same key (a rotation). O(1).
     *
     * @throws WrongTypeException when either key holds something else than a list (nothing is moved)
     */
    public static byte[] move(Keyspace keyspace, Bytes source, Bytes destination, End from, End to) {
        RedisList sourceList = keyspace.get(source, RedisList.class);
        if (sourceList == null) {
            return null;
        }
        RedisList destinationList = keyspace.get(destination, RedisList.class);
        byte[] element = sourceList.pop(from);
        if (destinationList == null) {
            destinationList = new RedisList();
            destinationList.options(keyspace.limits().lists());
            keyspace.set(destination, destinationList);
        }
        destinationList.push(to, element);
        if (sourceList.isEmpty()) {
            keyspace.remove(source);
        }
        return element;
    }
    // end::lmove[]

    /** The element index in [0, size) that a possibly negative Redis index means, or -1 when out of range. */
    private int normalize(long index) {
        if (index < 0) {
            index += size;
        }
        return index < 0 || index >= size ? -1 : (int) index;
    }

    private void growIfFull() {
        if (size < elements.length) {
            return;
        }
        resize(Math.max(4, elements.length * 2));
    }

    /** Gives memory back after many pops: halves the array when it is less than a quarter full. */
    private void shrinkIfSparse() {
        if (elements.length > 16 && size < elements.length / 4) {
            resize(elements.length / 2);
        }
    }

    private void resize(int capacity) {
        byte[][] fresh = new byte[capacity][];
        for (int i = 0; i < size; i++) {
            fresh[i] = elements[slot(i)];
        }
        elements = fresh;
        head = 0;
    }

    /** This object (elements, options, head, size, elementBytes), its array of references and the elements. O(1). */
    @Override
    public long memoryUsage() {
        return MemorySizes.object(2, 2, 1) + MemorySizes.referenceArray(elements.length) + elementBytes;
    }

    /** The quicklist settings this list was made with (see {@link QuicklistOptions}). O(1). */
    public QuicklistOptions options() {
        return options;
    }

    /** Sets them, once, where the list is made: the server's current ones, or a copied list's. O(1). */
    public void options(QuicklistOptions options) {
        this.options = options;
    }

    /** {@code "list"}. O(1). */
    @Override
    public String type() {
        return "list";
    }

    /** Always {@code "quicklist"}, the only list encoding Redis 7.0 reports. O(1). */
    @Override
    public String encoding() {
        return "quicklist";
    }
}
