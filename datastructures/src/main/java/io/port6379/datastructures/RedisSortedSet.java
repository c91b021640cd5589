// The sorted-set type: members ordered by score, with O(log(N)) rank, as Redis's t_zset.c.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A Redis sorted set, in one of Redis's two encodings. Small sets are a {@code listpack}: a
 * {@link SortedSetListpack}, one byte array of elements in (score, member) order, scanned linearly. Beyond
 * {@code zset-max-listpack-entries} members (128) or once a member longer than {@code zset-max-listpack-value}
 * bytes (64) is added, the set converts for good to a {@code skiplist}: a {@link SkipList} ordered by
 * (score, member) for ranks and ranges, plus a {@link Dict} from member to skip-list node for O(1) ZSCORE, both
 * sharing one node per member. As in Redis, the set never converts back by itself; only a new set made from a
 * result (ZUNIONSTORE and friends, see {@link #convertToListpackIfNeeded}) starts small again.
 *
 * <p>The complexities in the Javadoc are the skiplist's; while a listpack, every operation is O(N) with N at
 * most the entries limit, as Redis documents for its listpack.
 *
 * <p>Ranks are 0-based as in commands. Rank arguments follow ZRANGE: negative values count from the end
 * (-1 is the last member) and out-of-range values are clamped. Empty sorted sets are not kept by Redis:
 * callers delete the key when {@link #size()} reaches 0.
 *
 * <p>Not thread-safe: the server runs one command at a time.
 */
public final class RedisSortedSet implements RedisValue {

    /** Redis's default {@code zset-max-listpack-entries}. */
    public static final int ZSET_MAX_LISTPACK_ENTRIES = 128;
    /** Redis's default {@code zset-max-listpack-value} (bytes of one member). */
    public static final int ZSET_MAX_LISTPACK_VALUE = 64;
    public static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
    /** ZRANDMEMBER with count: below this ratio of size to count, copy the set and remove instead. */
    private static final int ZRANDMEMBER_SUB_STRATEGY_MUL = 3;

    /** What one ZADD element did, as t_zset.c's out flags; anything but SKIPPED counts as processed. */
    public enum AddOutcome { ADDED, UPDATED, UNCHANGED, SKIPPED }

    // tag::encodings[]
    /** The listpack encoding; null once converted to the skiplist. */
    private SortedSetListpack listpack;
    /** The skiplist encoding, list and member table; both null while the listpack is used. */
    private SkipList list;
    private Dict dict;
    // end::encodings[]

    /** An empty sorted set, listpack-encoded as the one ZADD creates. */
    public RedisSortedSet() {
        listpack = new SortedSetListpack();
    }

    private RedisSortedSet(boolean skiplist) {
        if (skiplist) {
            list = new SkipList();
            dict = new Dict();
        } else {
            listpack = new SortedSetListpack();
        }
    }

    /**
     * A sorted set of the given elements (later duplicates win), as ZRANGESTORE builds it: a skiplist from the
     * start when there are more elements than a listpack may hold, otherwise a listpack that converts as
     * ZADD's would. O(N*log(N)).
     */
    public static RedisSortedSet of(Collection<ScoredMember> elements, EncodingLimits limits) {
        RedisSortedSet set = new RedisSortedSet(elements.size() > limits.zsetMaxListpackEntries());
        for (ScoredMember element : elements) {
            set.add(element.score(), element.member(), ZAddOptions.NONE, limits);
        }
        return set;
    }

    /** A deep copy in the same encoding, as COPY makes (member arrays are shared: never changed in place). O(N). */
    public RedisSortedSet copy() {
        if (listpack != null) {
            RedisSortedSet copy = new RedisSortedSet(false);
            copy.listpack = listpack.copy();
            return copy;
        }
        RedisSortedSet copy = new RedisSortedSet(true);
        for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n)) {
            copy.dict.add(copy.list.insert(n.score, n.key, n.hash));
        }
        return copy;
    }

    @Override
    public String type() {
        return "zset";
    }

    /** This object: listpack, list, dict. */
    private static final int SELF = MemorySizes.object(3, 0, 0);

    /**
     * This object and its listpack, or its skip list's nodes, its dict's table and the members'
     * bytes. O(1).
     */
    @Override
    public long memoryUsage() {
        if (listpack != null) {
            return SELF + listpack.memoryUsage();
        }
        return SELF + list.memoryUsage() + dict.tableBytes() + dict.keyBytes();
    }

    /** {@code "listpack"} or {@code "skiplist"}: the representation in use. O(1). */
    @Override
    public String encoding() {
        return listpack != null ? "listpack" : "skiplist";
    }

    /** ZCARD. O(1). */
    public int size() {
        return listpack != null ? listpack.size() : list.length();
    }

    private SkipList.Node node(Bytes member) {
        return (SkipList.Node) dict.find(member.array(), Dict.hash(member));
    }

    private static ScoredMember element(SkipList.Node node) {
        return new ScoredMember(Bytes.of(node.key), node.score);
    }

    private ScoredMember element(int at) {
        return new ScoredMember(Bytes.of(listpack.member(at)), listpack.score(at));
    }

    /** ZSCORE: the member's score, or null when absent. O(1). */
    public Double score(Bytes member) {
        if (listpack != null) {
            int at = listpack.find(member.array());
            return at < 0 ? null : listpack.score(at);
        }
        SkipList.Node node = node(member);
        return node == null ? null : node.score;
    }

    /** ZMSCORE: the score of each member in order, null for absent ones. O(N) for N members asked. */
    public List<Double> scores(List<Bytes> members) {
        List<Double> result = new ArrayList<>(members.size());
        for (Bytes member : members) {
            result.add(score(member));
        }
        return result;
    }

    /**
     * One score-member pair of ZADD, as {@code zsetAdd}. With INCR the score is an increment; ZADD INCR should
     * call {@link #incrementBy(double, Bytes, ZAddOptions, EncodingLimits)}, which also returns the score to reply with. O(log(N)).
     *
     * @throws RedisException {@value #NAN_RESULT} when the score (or, with INCR, the sum) is NaN, e.g.
     *                        +inf incremented by -inf
     */
    // tag::zadd[]
    public AddOutcome add(double score, Bytes member, ZAddOptions options, EncodingLimits limits) {
        if (Double.isNaN(score)) {
            throw new RedisException(NAN_RESULT);
        }
        if (listpack != null) {
            int at = listpack.find(member.array());
            if (at >= 0) {
                double current = listpack.score(at);
                Double updated = updatedScore(current, score, options);
                if (updated == null || updated == current) {
                    return updated == null ? AddOutcome.SKIPPED : AddOutcome.UNCHANGED;
                }
                listpack.delete(at); // a listpack moves a member by deleting and inserting it, as zzlDelete + zzlInsert
                listpack.insert(updated, member.array());
                return AddOutcome.UPDATED;
            }
            if (options.xx()) {
                return AddOutcome.SKIPPED;
            }
            if (listpack.size() + 1 <= limits.zsetMaxListpackEntries() && member.length() <= limits.zsetMaxListpackValue()) {
                listpack.insert(score, member.array());
                return AddOutcome.ADDED;
            }
            convertToSkiplist(); // one-way, as zsetConvert: Redis never converts back on its own
        }
        SkipList.Node node = node(member);
        if (node != null) {
            Double updated = updatedScore(node.score, score, options);
            if (updated == null || updated == node.score) {
                return updated == null ? AddOutcome.SKIPPED : AddOutcome.UNCHANGED;
            }
            SkipList.Node moved = list.updateScore(node, updated);
            if (moved != node) {
                dict.replace(node, moved);
            }
            return AddOutcome.UPDATED;
        }
        if (options.xx()) {
            return AddOutcome.SKIPPED;
        }
        dict.add(list.insert(score, member.array(), Dict.hash(member)));
        return AddOutcome.ADDED;
    }
    // end::zadd[]

    /** An existing member's new score after NX, INCR, GT and LT, or null when they skip the change. */
    private static Double updatedScore(double current, double score, ZAddOptions options) {
        if (options.nx()) {
            return null;
        }
        if (options.incr()) {
            score += current;
            if (Double.isNaN(score)) {
                throw new RedisException(NAN_RESULT);
            }
        }
        if ((options.lt() && score >= current) || (options.gt() && score <= current)) {
            return null;
        }
        return score;
    }

    // tag::convert[]
    /** zsetConvert to the skiplist: every element moves, in order, into a skip list and a member table. O(N). */
    private void convertToSkiplist() {
        SkipList converted = new SkipList();
        Dict index = new Dict();
        for (int at = listpack.first(); at >= 0; at = listpack.next(at)) {
            byte[] member = listpack.member(at);
            index.add(converted.insert(listpack.score(at), member, Dict.hash(member)));
        }
        list = converted;
        dict = index;
        listpack = null;
    }

    /**
     * SORT's {@code zsetConvert(sortval, OBJ_ENCODING_SKIPLIST)}: Redis converts a small sorted set before sorting
     * it and never back, so OBJECT ENCODING says {@code skiplist} afterwards. Does nothing to a skiplist. O(N).
     */
    public void convertForSort() {
        if (listpack != null) {
            convertToSkiplist();
        }
    }

    /**
     * Redis's {@code zsetConvertToListpackIfNeeded}, which ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE call on the
     * result they are about to store: they build it as a skiplist (see {@link #union}), and a result within both
     * limits is stored as a listpack, where a -0 score becomes 0. Does nothing to a listpack. O(N).
     */
    public void convertToListpackIfNeeded(EncodingLimits limits) {
        if (listpack != null || size() > limits.zsetMaxListpackEntries()) {
            return;
        }
        for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n)) {
            if (n.key.length > limits.zsetMaxListpackValue()) {
                return;
            }
        }
        SortedSetListpack compact = new SortedSetListpack();
        for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n)) {
            compact.insert(n.score, n.key);
        }
        listpack = compact;
        list = null;
        dict = null;
    }
    // end::convert[]

    /**
     * ZADD ... INCR with any other options: adds {@code increment} to the member's score (or adds the member
     * with that score) and returns the new score as Redis replies it, or null when NX, XX, GT or LT skipped the
     * change (ZADD then replies nil). The reply is the computed sum, so {@code -0} added to a new member replies
     * "-0" even where a listpack stores 0. O(log(N)).
     *
     * @throws RedisException {@value #NAN_RESULT}
     */
    public Double incrementBy(double increment, Bytes member, ZAddOptions options, EncodingLimits limits) {
        Double current = score(member);
        double computed = current == null ? increment : current + increment;
        ZAddOptions incr = options.incr() ? options
                : new ZAddOptions(options.nx(), options.xx(), options.gt(), options.lt(), options.ch(), true);
        AddOutcome outcome = add(increment, member, incr, limits);
        return outcome == AddOutcome.SKIPPED ? null : computed;
    }

    /** ZINCRBY: {@link #incrementBy(double, Bytes, ZAddOptions, EncodingLimits)} without other options; never null. O(log(N)). */
    public double incrementBy(double increment, Bytes member, EncodingLimits limits) {
        return incrementBy(increment, member, ZAddOptions.INCR, limits);
    }

    /** The limits a skiplist's add is given: it never reads them (only a listpack decides whether to convert). */
    private static final EncodingLimits SKIPLIST = EncodingLimits.REDIS_DEFAULTS;

    /** ZREM of one member; true when it was there. O(log(N)). */
    public boolean remove(Bytes member) {
        if (listpack != null) {
            int at = listpack.find(member.array());
            if (at >= 0) {
                listpack.delete(at);
            }
            return at >= 0;
        }
        SkipList.Node node = node(member);
        if (node == null) {
            return false;
        }
        list.delete(node);
        dict.remove(node.key, node.hash);
        return true;
    }

    /** ZRANK ({@code reverse} false) or ZREVRANK: the member's 0-based rank, or -1 when absent. O(log(N)). */
    public long rank(Bytes member, boolean reverse) {
        long rank;
        if (listpack != null) {
            rank = listpack.rank(member.array());
        } else {
            SkipList.Node node = node(member);
            rank = node == null ? -1 : list.rank(node.score, node.key) - 1;
        }
        return rank < 0 || !reverse ? rank : size() - 1 - rank;
    }

    /** The 0-based [start, end] of a ZRANGE rank range after negative indexes and clamping, or null if empty. */
    private long[] normalize(long start, long stop) {
        long length = size();
        if (start < 0) {
            start += length;
        }
        if (stop < 0) {
            stop += length;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= length) {
            return null;
        }
        return new long[] {start, Math.min(stop, length - 1)};
    }

    // tag::range-by-rank[]
    /**
     * ZRANGE start stop [REV]: the elements from rank {@code start} to {@code stop} inclusive, counted from
     * the highest score with {@code reverse}. O(log(N)+M), M the number returned: the first is found by rank
     * through the spans, the rest by walking the list.
     */
    public List<ScoredMember> rangeByRank(long start, long stop, boolean reverse) {
        long[] range = normalize(start, stop);
        if (range == null) {
            return List.of();
        }
        int count = (int) (range[1] - range[0] + 1);
        List<ScoredMember> result = new ArrayList<>(count);
        if (listpack != null) {
            int[] at = listpack.offsets();
            for (int i = 0; i < count; i++) {
                int rank = (int) range[0] + i;
                result.add(element(at[reverse ? at.length - 1 - rank : rank]));
            }
            return result;
        }
        SkipList.Node node = list.nodeByRank(reverse ? size() - range[0] : range[0] + 1);
        for (int i = 0; i < count; i++) {
            result.add(element(node));
            node = reverse ? node.backward : SkipList.next(node);
        }
        return result;
    }
    // end::range-by-rank[]

    private SkipList.Node firstInRange(ScoreRange range) {
        SkipList.Node node = list.firstByScore(range.min(), range.minExclusive());
        return node != null && range.belowMax(node.score) ? node : null;
    }

    private SkipList.Node lastInRange(ScoreRange range) {
        SkipList.Node node = list.lastByScore(range.max(), range.maxExclusive());
        return node != null && range.aboveMin(node.score) ? node : null;
    }

    private SkipList.Node firstInRange(LexRange range) {
        SkipList.Node node = list.firstNotBefore(n -> !range.aboveMin(n.key));
        return node != null && range.belowMax(node.key) ? node : null;
    }

    private SkipList.Node lastInRange(LexRange range) {
        SkipList.Node node = list.lastNotAfter(n -> range.belowMax(n.key));
        return node != null && range.aboveMin(node.key) ? node : null;
    }

    // ---- The same searches on a listpack, by index into its offsets, as t_zset.c's zzl* functions: a scan from
    // one end for the first element past the near bound, which must also be within the far bound.

    /** zzlFirstInRange: the index of the first element with a score at least the minimum, if within the maximum. */
    private int firstInRange(int[] at, ScoreRange range) {
        for (int i = 0; i < at.length; i++) {
            double score = listpack.score(at[i]);
            if (range.aboveMin(score)) {
                return range.belowMax(score) ? i : -1;
            }
        }
        return -1;
    }

    /** zzlLastInRange: the same from the other end. */
    private int lastInRange(int[] at, ScoreRange range) {
        for (int i = at.length - 1; i >= 0; i--) {
            double score = listpack.score(at[i]);
            if (range.belowMax(score)) {
                return range.aboveMin(score) ? i : -1;
            }
        }
        return -1;
    }

    /** zzlIsInLexRange: the last member is not below the minimum and the first not above the maximum. */
    private boolean overlaps(int[] at, LexRange range) {
        return at.length > 0 && range.aboveMin(listpack.member(at[at.length - 1]))
                && range.belowMax(listpack.member(at[0]));
    }

    /** zzlFirstInLexRange. */
    private int firstInRange(int[] at, LexRange range) {
        for (int i = 0; overlaps(at, range) && i < at.length; i++) {
            byte[] member = listpack.member(at[i]);
            if (range.aboveMin(member)) {
                return range.belowMax(member) ? i : -1;
            }
        }
        return -1;
    }

    /** zzlLastInLexRange. */
    private int lastInRange(int[] at, LexRange range) {
        for (int i = at.length - 1; overlaps(at, range) && i >= 0; i--) {
            byte[] member = listpack.member(at[i]);
            if (range.belowMax(member)) {
                return range.aboveMin(member) ? i : -1;
            }
        }
        return -1;
    }

    // tag::range-by-score[]
    /**
     * ZRANGEBYSCORE / ZREVRANGEBYSCORE / ZRANGE ... BYSCORE [REV] [LIMIT]: elements with scores in
     * {@code range}, ascending (or descending with {@code reverse}), after skipping {@code limit.offset()}.
     * O(log(N)+M), M the number skipped and returned.
     */
    public List<ScoredMember> rangeByScore(ScoreRange range, boolean reverse, Limit limit) {
        if (range.isEmpty()) {
            return List.of();
        }
        if (listpack != null) {
            int[] at = listpack.offsets();
            int start = reverse ? lastInRange(at, range) : firstInRange(at, range);
            return walk(at, start, reverse, limit,
                    i -> reverse ? range.aboveMin(listpack.score(i)) : range.belowMax(listpack.score(i)));
        }
        SkipList.Node start = reverse ? lastInRange(range) : firstInRange(range);
        return walk(start, reverse, limit, n -> range.contains(n.score));
    }
    // end::range-by-score[]

    /** What {@link #forEachByScore} calls with each element; its answer false stops the walk. */
    @FunctionalInterface
    public interface ElementVisitor {
        /** {@code member} is the set's own array (listpack: a copy), not to be changed. */
        boolean visit(byte[] member, double score);
    }

    /**
     * The elements whose scores lie in {@code range}, in order, handed to {@code visitor} one by one until it
     * answers false: what {@link #rangeByScore} returns, without building a list or an object per element, for
     * the callers that look at every element of a range and keep a few (GEO searches). O(log(N)+M).
     */
    public void forEachByScore(ScoreRange range, ElementVisitor visitor) {
        if (range.isEmpty()) {
            return;
        }
        if (listpack != null) {
            for (int at = listpack.first(); at >= 0; at = listpack.next(at)) {
                double score = listpack.score(at);
                if (range.aboveMin(score) && (!range.belowMax(score) || !visitor.visit(listpack.member(at), score))) {
                    return;
                }
            }
            return;
        }
        for (SkipList.Node node = firstInRange(range); node != null && range.belowMax(node.score); node = SkipList.next(node)) {
            if (!visitor.visit(node.key, node.score)) {
                return;
            }
        }
    }

    /**
     * ZRANGEBYLEX / ZREVRANGEBYLEX / ZRANGE ... BYLEX [REV] [LIMIT]: elements whose members lie in
     * {@code range}, for sets whose members all have the same score. O(log(N)+M).
     */
    public List<ScoredMember> rangeByLex(LexRange range, boolean reverse, Limit limit) {
        if (range.isEmpty()) {
            return List.of();
        }
        if (listpack != null) {
            int[] at = listpack.offsets();
            int start = reverse ? lastInRange(at, range) : firstInRange(at, range);
            return walk(at, start, reverse, limit,
                    i -> reverse ? range.aboveMin(listpack.member(i)) : range.belowMax(listpack.member(i)));
        }
        SkipList.Node start = reverse ? lastInRange(range) : firstInRange(range);
        return walk(start, reverse, limit, n -> range.contains(n.key));
    }

    private boolean offsetSkipsAll(Limit limit) {
        return limit.offset() < 0 || (limit.offset() > 0 && limit.offset() >= size());
    }

    private List<ScoredMember> walk(SkipList.Node node, boolean reverse, Limit limit,
                                    Predicate<SkipList.Node> inRange) {
        if (offsetSkipsAll(limit)) {
            return List.of();
        }
        for (long offset = limit.offset(); node != null && offset > 0 && inRange.test(node); offset--) {
            node = reverse ? node.backward : SkipList.next(node);
        }
        List<ScoredMember> result = new ArrayList<>();
        for (long left = limit.count(); node != null && left != 0 && inRange.test(node); left--) {
            result.add(element(node));
            node = reverse ? node.backward : SkipList.next(node);
        }
        return result;
    }

    /**
     * The listpack walk of t_zset.c's range commands: from index {@code start} (-1: none), skip the offset
     * without looking, then emit while the element is within the far bound ({@code withinFarBound}, given an
     * element's offset). The near bound needs no check: the start already satisfied it.
     */
    private List<ScoredMember> walk(int[] at, int start, boolean reverse, Limit limit, IntPredicate withinFarBound) {
        if (start < 0 || offsetSkipsAll(limit)) {
            return List.of();
        }
        long i = reverse ? start - limit.offset() : start + limit.offset();
        List<ScoredMember> result = new ArrayList<>();
        for (long left = limit.count(); i >= 0 && i < at.length && left != 0 && withinFarBound.test(at[(int) i]);
             left--, i += reverse ? -1 : 1) {
            result.add(element(at[(int) i]));
        }
        return result;
    }

    // tag::zcount[]
    /** ZCOUNT: how many scores lie in {@code range}; two rank lookups, no walk. O(log(N)). */
    public long count(ScoreRange range) {
        if (range.isEmpty()) {
            return 0;
        }
        if (listpack != null) {
            return countFrom(listpack.offsets(), range);
        }
        SkipList.Node first = firstInRange(range);
        if (first == null) {
            return 0;
        }
        SkipList.Node last = lastInRange(range);
        return list.rank(last.score, last.key) - list.rank(first.score, first.key) + 1;
    }
    // end::zcount[]

    /** The listpack's ZCOUNT: from the first element in range, count while within the maximum. */
    private long countFrom(int[] at, ScoreRange range) {
        int first = firstInRange(at, range);
        int i = first;
        while (i >= 0 && i < at.length && range.belowMax(listpack.score(at[i]))) {
            i++;
        }
        return first < 0 ? 0 : i - first;
    }

    /** ZLEXCOUNT: how many members lie in {@code range}. O(log(N)). */
    public long lexCount(LexRange range) {
        if (range.isEmpty()) {
            return 0;
        }
        if (listpack != null) {
            int[] at = listpack.offsets();
            int first = firstInRange(at, range);
            int i = first;
            while (i >= 0 && i < at.length && range.belowMax(listpack.member(at[i]))) {
                i++;
            }
            return first < 0 ? 0 : i - first;
        }
        SkipList.Node first = firstInRange(range);
        if (first == null) {
            return 0;
        }
        SkipList.Node last = lastInRange(range);
        // With mixed scores the members are not in lex order and there may be no last one: as zsetRank-based
        // ZLEXCOUNT in t_zset.c, the count then runs from the first to the end.
        long lastRank = last == null ? size() : list.rank(last.score, last.key);
        return lastRank - list.rank(first.score, first.key) + 1;
    }

    private void unindex(SkipList.Node node) {
        dict.remove(node.key, node.hash);
    }

    /** Removes the listpack elements with indexes [from, to) in one copy; returns how many. */
    private long deleteIndexes(int[] at, int from, int to) {
        if (from < 0 || from >= to) {
            return 0;
        }
        listpack.deleteRun(at[from], to < at.length ? at[to] : listpack.bytes(), to - from);
        return to - from;
    }

    /** The listpack's ZREMRANGEBYSCORE/LEX: from the first element in range, while within the far bound. */
    private long deleteFrom(int[] at, int first, IntPredicate withinMax) {
        int end = first;
        while (end >= 0 && end < at.length && withinMax.test(at[end])) {
            end++;
        }
        return deleteIndexes(at, first, end);
    }

    /** ZREMRANGEBYRANK with ZRANGE's index rules; returns how many were removed. O(log(N)+M). */
    public long removeRangeByRank(long start, long stop) {
        long[] range = normalize(start, stop);
        if (range == null) {
            return 0;
        }
        if (listpack != null) {
            return deleteIndexes(listpack.offsets(), (int) range[0], (int) range[1] + 1);
        }
        return list.deleteRangeByRank(range[0] + 1, range[1] + 1, this::unindex);
    }

    /** ZREMRANGEBYSCORE; returns how many were removed. O(log(N)+M). */
    public long removeRangeByScore(ScoreRange range) {
        if (range.isEmpty()) {
            return 0;
        }
        if (listpack != null) {
            int[] at = listpack.offsets();
            return deleteFrom(at, firstInRange(at, range), i -> range.belowMax(listpack.score(i)));
        }
        return list.deleteRange(n -> !range.aboveMin(n.score), n -> range.belowMax(n.score), this::unindex);
    }

    /** ZREMRANGEBYLEX; returns how many were removed. O(log(N)+M). */
    public long removeRangeByLex(LexRange range) {
        if (range.isEmpty()) {
            return 0;
        }
        if (listpack != null) {
            int[] at = listpack.offsets();
            return deleteFrom(at, firstInRange(at, range), i -> range.belowMax(listpack.member(i)));
        }
        return list.deleteRange(n -> !range.aboveMin(n.key), n -> range.belowMax(n.key), this::unindex);
    }

    /** ZPOPMIN with a count (checked non-negative by the caller): the lowest elements, removed. O(log(N)*M). */
    public List<ScoredMember> popMin(long count) {
        return pop(count, false);
    }

    /** ZPOPMAX with a count: the highest elements, highest first, removed. O(log(N)*M). */
    public List<ScoredMember> popMax(long count) {
        return pop(count, true);
    }

    /** ZPOPMIN without a count: the lowest element, removed, or null when empty. O(log(N)). */
    public ScoredMember popMin() {
        return popOne(false);
    }

    /** ZPOPMAX without a count: the highest element, removed, or null when empty. O(log(N)). */
    public ScoredMember popMax() {
        return popOne(true);
    }

    /** One element popped without the list and offsets of {@link #pop(long, boolean)}: the common ZPOPMIN. */
    private ScoredMember popOne(boolean max) {
        if (size() == 0) {
            return null;
        }
        if (listpack != null) {
            int at = max ? listpack.last() : listpack.first();
            ScoredMember element = element(at);
            listpack.delete(at);
            return element;
        }
        SkipList.Node node = max ? list.last() : list.first();
        list.delete(node);
        dict.remove(node.key, node.hash);
        return element(node);
    }

    private List<ScoredMember> pop(long count, boolean max) {
        int popped = (int) Math.min(count, size());
        List<ScoredMember> result = new ArrayList<>(popped);
        if (listpack != null) {
            int[] at = listpack.offsets();
            for (int i = 0; i < popped; i++) {
                result.add(element(at[max ? at.length - 1 - i : i]));
            }
            deleteIndexes(at, max ? at.length - popped : 0, max ? at.length : popped);
            return result;
        }
        while (result.size() < popped) {
            SkipList.Node node = max ? list.last() : list.first();
            result.add(element(node));
            list.delete(node);
            dict.remove(node.key, node.hash);
        }
        return result;
    }

    /** All elements in ascending order. O(N). */
    public void forEach(Consumer<ScoredMember> action) {
        if (listpack != null) {
            for (int at = listpack.first(); at >= 0; at = listpack.next(at)) {
                action.accept(element(at));
            }
            return;
        }
        for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n)) {
            action.accept(element(n));
        }
    }

    /** The element at a 0-based rank, for random picks. O(log(N)); a listpack's offsets are taken once. */
    private IntFunction<ScoredMember> byRank() {
        if (listpack != null) {
            int[] at = listpack.offsets();
            return rank -> element(at[rank]);
        }
        return rank -> element(list.nodeByRank(rank + 1L));
    }

    /** ZRANDMEMBER without count: a uniformly random element, or null when empty. O(log(N)). */
    public ScoredMember randomMember(RandomGenerator random) {
        return size() == 0 ? null : byRank().apply(random.nextInt(size()));
    }

    /**
     * ZRANDMEMBER with a count: a positive count gives up to that many distinct elements, a negative count
     * exactly -count elements that may repeat. O(M*log(N)), M the count (or N if smaller).
     */
    public List<ScoredMember> randomMembers(long count, RandomGenerator random) {
        int size = size();
        if (count == 0 || size == 0) {
            return List.of();
        }
        if (count < 0 || count == 1) {
            long draws = count < 0 ? -count : 1;
            Supplier<ScoredMember> draw = randomDraws(random);
            List<ScoredMember> result = new ArrayList<>((int) Math.min(draws, 1 << 20));
            for (long i = 0; i < draws; i++) {
                result.add(draw.get());
            }
            return result;
        }
        IntFunction<ScoredMember> byRank = byRank();
        if (count >= size) {
            return rangeByRank(0, -1, false);
        }
        List<ScoredMember> result = new ArrayList<>((int) count);
        if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {  // nearly all: drop random ranks
            boolean[] dropped = new boolean[size];
            for (int left = size; left > count; ) {
                int rank = random.nextInt(size);
                if (!dropped[rank]) {
                    dropped[rank] = true;
                    left--;
                }
            }
            int[] rank = {0};
            forEach(element -> {
                if (!dropped[rank[0]++]) {
                    result.add(element);
                }
            });
            return result;
        }
        LinkedHashSet<Integer> ranks = new LinkedHashSet<>();  // few: draw until enough distinct ranks
        while (ranks.size() < count) {
            ranks.add(random.nextInt(size));
        }
        for (int rank : ranks) {
            result.add(byRank.apply(rank));
        }
        return result;
    }

    /**
     * ZRANDMEMBER with a negative count, one pick at a time: each call of the supplier returns an independent
     * uniformly random element, so the server can write picks as it draws them and stop when the reply grows too
     * large. O(N) once for a listpack (its offsets), then O(log(N)) per pick. The set must not be empty or change
     * while the supplier is used.
     */
    public Supplier<ScoredMember> randomDraws(RandomGenerator random) {
        IntFunction<ScoredMember> byRank = byRank();
        int size = size();
        return () -> byRank.apply(random.nextInt(size));
    }

    /**
     * One ZSCAN call: visits elements from {@code cursor} and returns the next cursor, 0 when done. A
     * listpack-encoded set is returned whole in one call, as Redis does; a skiplist-encoded one is walked
     * through its member table with the same guarantee as SSCAN ({@link RedisSet#scan}). O(1) per call on
     * average, O(N) for a full scan.
     */
    public long scan(long cursor, long count, Consumer<ScoredMember> visitor) {
        if (listpack != null) {
            forEach(visitor);
            return 0;
        }
        long[] visited = {0};
        long maxIterations = count * 10;
        do {
            cursor = dict.scan(cursor, entry -> {
                visited[0]++;
                visitor.accept(element((SkipList.Node) entry));
            });
        } while (cursor != 0 && maxIterations-- > 0 && visited[0] < count);
        return cursor;
    }

    /** Structural self-check for tests: null when the encoding's structures agree. O(N). */
    String checkInvariants() {
        if (listpack != null) {
            return list != null || dict != null ? "listpack and skiplist both set" : listpack.checkInvariants();
        }
        String problem = list.checkInvariants();
        if (problem != null) {
            return problem;
        }
        if (dict.size() != list.length()) {
            return "dict size " + dict.size() + " != list length " + list.length();
        }
        for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n)) {
            if (dict.find(n.key, n.hash) != n) {
                return "dict does not map " + Bytes.of(n.key) + " to its node";
            }
        }
        return null;
    }

    // ---- ZUNION, ZINTER, ZDIFF: inputs are sorted sets, plain sets (every score 1) or null (missing keys)

    private static int inputSize(RedisValue input) {
        return switch (input) {
            case null -> 0;
            case RedisSortedSet z -> z.size();
            case RedisSet s -> s.size();
            default -> throw new WrongTypeException();
        };
    }

    private static void forEachInput(RedisValue input, Consumer<ScoredMember> action) {
        switch (input) {
            case null -> { }
            case RedisSortedSet z -> z.forEach(action);
            case RedisSet s -> s.forEach(member -> action.accept(new ScoredMember(member, 1.0)));
            default -> throw new WrongTypeException();
        }
    }

    private static Double inputScore(RedisValue input, Bytes member) {
        return switch (input) {
            case null -> null;
            case RedisSortedSet z -> z.score(member);
            case RedisSet s -> s.contains(member) ? 1.0 : null;
            default -> throw new WrongTypeException();
        };
    }

    private static double weight(double[] weights, int i) {
        return weights == null ? 1.0 : weights[i];
    }

    // tag::zunion[]
    /**
     * ZUNION / ZUNIONSTORE: every member of any input, its score the aggregate of its weighted scores.
     * A weighted score that is NaN (inf × 0) counts as 0, as in Redis. {@code weights} may be null (all 1).
     * Like t_zset.c's, the result is always a skiplist, so ZUNION replies a -0 score as "-0"; the STORE forms
     * call {@link #convertToListpackIfNeeded} before storing it. O(N)+O(M*log(M)), N the sum of the input sizes,
     * M the result size.
     *
     * @throws WrongTypeException when an input is neither a set nor a sorted set
     */
    public static RedisSortedSet union(List<? extends RedisValue> inputs, double[] weights, Aggregate aggregate) {
        Map<Bytes, double[]> accumulator = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            double weight = weight(weights, i);
            forEachInput(inputs.get(i), element -> {
                double score = weight * element.score();
                double initial = Double.isNaN(score) ? 0 : score;
                accumulator.merge(element.member(), new double[] {initial},
                        (old, fresh) -> new double[] {aggregate.combine(old[0], fresh[0])});
            });
        }
        RedisSortedSet result = new RedisSortedSet(true);
        accumulator.forEach((member, score) -> result.add(score[0], member, ZAddOptions.NONE, SKIPLIST));
        return result;
    }
    // end::zunion[]

    /**
     * ZINTER / ZINTERSTORE: the members present in every input, scores aggregated as {@link #union}.
     * Iterates the smallest input. O(N*K)+O(M*log(M)), N the smallest input, K the number of inputs.
     */
    public static RedisSortedSet intersection(List<? extends RedisValue> inputs, double[] weights,
                                              Aggregate aggregate) {
        RedisSortedSet result = new RedisSortedSet(true);
        intersect(inputs, weights, aggregate, Long.MAX_VALUE,
                element -> result.add(element.score(), element.member(), ZAddOptions.NONE, SKIPLIST));
        return result;
    }

    /** ZINTERCARD: the size of the intersection, counting stops at {@code limit} (0: no limit). O(N*K). */
    public static long intersectionCardinality(List<? extends RedisValue> inputs, long limit) {
        long[] count = {0};
        intersect(inputs, null, Aggregate.SUM, limit == 0 ? Long.MAX_VALUE : limit, element -> count[0]++);
        return count[0];
    }

    private static void intersect(List<? extends RedisValue> inputs, double[] weights, Aggregate aggregate,
                                  long limit, Consumer<ScoredMember> found) {
        if (inputs.isEmpty() || inputs.stream().anyMatch(input -> inputSize(input) == 0)) {
            return;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Integer.compare(inputSize(inputs.get(a)), inputSize(inputs.get(b))));
        RedisValue smallest = inputs.get(order.get(0));
        double firstWeight = weight(weights, order.get(0));
        List<ScoredMember> candidates = new ArrayList<>();
        forEachInput(smallest, candidates::add);
        long emitted = 0;
        for (ScoredMember candidate : candidates) {
            if (emitted >= limit) {
                return;
            }
            double score = firstWeight * candidate.score();
            if (Double.isNaN(score)) {
                score = 0;
            }
            boolean inAll = true;
            for (int j = 1; j < order.size() && inAll; j++) {
                RedisValue other = inputs.get(order.get(j));
                Double value = other == smallest ? Double.valueOf(candidate.score()) : inputScore(other, candidate.member());
                if (value == null) {
                    inAll = false;
                } else {
                    score = aggregate.combine(score, value * weight(weights, order.get(j)));
                }
            }
            if (inAll) {
                found.accept(new ScoredMember(candidate.member(), score));
                emitted++;
            }
        }
    }

    /**
     * ZDIFF / ZDIFFSTORE: the members of the first input that are in no other, with their scores.
     * O(N*K)+O(M*log(M)), N the size of the first input.
     */
    public static RedisSortedSet difference(List<? extends RedisValue> inputs) {
        RedisSortedSet result = new RedisSortedSet(true);
        if (inputs.isEmpty()) {
            return result;
        }
        RedisValue first = inputs.get(0);
        forEachInput(first, element -> {
            for (int j = 1; j < inputs.size(); j++) {
                RedisValue other = inputs.get(j);
                if (other == first || inputScore(other, element.member()) != null) {
                    return;
                }
            }
            result.add(element.score(), element.member(), ZAddOptions.NONE, SKIPLIST);
        });
        return result;
    }

    /** DEBUG HTSTATS-KEY's text ({@link Dict#stats}), or null when the value is not in its hash-table encoding. O(capacity). */
    public String hashTableStats() {
        return dict == null ? null : dict.stats();
    }
}
