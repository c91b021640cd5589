// The sorted-set type: members ordered by score, with O(log(N)) rank, as Redis's t_zset.c.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A Redis sorted set: a {@link SkipList} ordered by (score, member) for ranks and ranges, plus a
 * {@link Dict} from member to skip-list node for O(1) ZSCORE, both sharing one node per member.
 *
 * <p>Ranks are 0-based as in commands. Rank arguments follow ZRANGE: negative values count from the end
 * (-1 is the last member) and out-of-range values are clamped. Empty sorted sets are not kept by Redis:
 * callers delete the key when {@link #size()} reaches 0.
 *
 * <p>Encoding: Redis keeps a sorted set as a {@code listpack} while it has at most
 * {@value #ZSET_MAX_LISTPACK_ENTRIES} members of at most {@value #ZSET_MAX_LISTPACK_VALUE} bytes each, and
 * converts it to a {@code skiplist} for good when either limit is passed. {@link #encoding()} follows exactly
 * that rule (including for the results of ZUNIONSTORE and friends), but this class stores small sets in the
 * skip list as well: the compact representation is not implemented.
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

    private final SkipList list = new SkipList();
    private final Dict dict = new Dict();
    private boolean listpack = true;

    /** An empty sorted set, listpack-encoded as the one ZADD creates. */
    public RedisSortedSet() {
    }

    /** A sorted set of the given elements (later duplicates win), as ZRANGESTORE builds it. O(N*log(N)). */
    public static RedisSortedSet of(Collection<ScoredMember> elements) {
        RedisSortedSet set = new RedisSortedSet();
        for (ScoredMember element : elements) {
            set.add(element.score(), element.member(), ZAddOptions.NONE);
        }
        return set;
    }

    @Override
    public String type() {
        return "zset";
    }

    /** {@code "listpack"} or {@code "skiplist"}, by Redis 7.0's rule (see the class comment). O(1). */
    @Override
    public String encoding() {
        return listpack ? "listpack" : "skiplist";
    }

    /** ZCARD. O(1). */
    public int size() {
        return list.length();
    }

    private SkipList.Node node(Bytes member) {
        return (SkipList.Node) dict.find(member.array(), Dict.hash(member));
    }

    private static ScoredMember element(SkipList.Node node) {
        return new ScoredMember(Bytes.of(node.key), node.score);
    }

    /** ZSCORE: the member's score, or null when absent. O(1). */
    public Double score(Bytes member) {
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
     * call {@link #incrementBy(double, Bytes, ZAddOptions)}, which also returns the score to reply with. O(log(N)).
     *
     * @throws RedisException {@value #NAN_RESULT} when the score (or, with INCR, the sum) is NaN, e.g.
     *                        +inf incremented by -inf
     */
    // tag::zadd[]
    public AddOutcome add(double score, Bytes member, ZAddOptions options) {
        if (Double.isNaN(score)) {
            throw new RedisException(NAN_RESULT);
        }
        SkipList.Node node = node(member);
        if (node != null) {
            if (options.nx()) {
                return AddOutcome.SKIPPED;
            }
            double current = node.score;
            if (options.incr()) {
                score += current;
                if (Double.isNaN(score)) {
                    throw new RedisException(NAN_RESULT);
                }
            }
            if ((options.lt() && score >= current) || (options.gt() && score <= current)) {
                return AddOutcome.SKIPPED;
            }
            if (score == current) {
                return AddOutcome.UNCHANGED;
            }
            score = listpackScore(score);
            SkipList.Node moved = list.updateScore(node, score);
            if (moved != node) {
                dict.replace(node, moved);
            }
            return AddOutcome.UPDATED;
        }
        if (options.xx()) {
            return AddOutcome.SKIPPED;
        }
        if (listpack && (size() + 1 > ZSET_MAX_LISTPACK_ENTRIES || member.length() > ZSET_MAX_LISTPACK_VALUE)) {
            listpack = false; // one-way, as zsetConvert: Redis never converts back on its own
        }
        byte[] bytes = member.array();
        dict.add(list.insert(listpackScore(score), bytes, Dict.hash(member)));
        return AddOutcome.ADDED;
    }
    // end::zadd[]

    /**
     * A listpack keeps scores as text, and stores "-0" as the integer 0: so while listpack-encoded, Redis
     * reads -0.0 back as 0 (ZSCORE answers "0"), and in a skiplist as -0.0 ("-0"). We keep that difference.
     */
    private double listpackScore(double score) {
        return listpack && score == 0 ? 0.0 : score;
    }

    /**
     * ZADD ... INCR with any other options: adds {@code increment} to the member's score (or adds the member
     * with that score) and returns the new score as Redis replies it, or null when NX, XX, GT or LT skipped the
     * change (ZADD then replies nil). The reply is the computed sum, so {@code -0} added to a new member replies
     * "-0" even where a listpack stores 0. O(log(N)).
     *
     * @throws RedisException {@value #NAN_RESULT}
     */
    public Double incrementBy(double increment, Bytes member, ZAddOptions options) {
        Double current = score(member);
        double computed = current == null ? increment : current + increment;
        ZAddOptions incr = options.incr() ? options
                : new ZAddOptions(options.nx(), options.xx(), options.gt(), options.lt(), options.ch(), true);
        AddOutcome outcome = add(increment, member, incr);
        return outcome == AddOutcome.SKIPPED ? null : computed;
    }

    /** ZINCRBY: {@link #incrementBy(double, Bytes, ZAddOptions)} without other options; never null. O(log(N)). */
    public double incrementBy(double increment, Bytes member) {
        return incrementBy(increment, member, ZAddOptions.INCR);
    }

    /** ZREM of one member; true when it was there. O(log(N)). */
    public boolean remove(Bytes member) {
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
        SkipList.Node node = node(member);
        if (node == null) {
            return -1;
        }
        long rank = list.rank(node.score, node.key) - 1;
        return reverse ? size() - 1 - rank : rank;
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
        SkipList.Node node = list.nodeByRank(reverse ? size() - range[0] : range[0] + 1);
        for (int i = 0; i < count; i++) {
            result.add(element(node));
            node = reverse ? node.backward : SkipList.next(node);
        }
        return result;
    }
    // end::range-by-rank[]

    private SkipList.Node firstInRange(ScoreRange range) {
        SkipList.Node node = list.firstNotBefore(n -> !range.aboveMin(n.score));
        return node != null && range.belowMax(node.score) ? node : null;
    }

    private SkipList.Node lastInRange(ScoreRange range) {
        SkipList.Node node = list.lastNotAfter(n -> range.belowMax(n.score));
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
        SkipList.Node start = reverse ? lastInRange(range) : firstInRange(range);
        return walk(start, reverse, limit, n -> range.contains(n.score));
    }
    // end::range-by-score[]

    /**
     * ZRANGEBYLEX / ZREVRANGEBYLEX / ZRANGE ... BYLEX [REV] [LIMIT]: elements whose members lie in
     * {@code range}, for sets whose members all have the same score. O(log(N)+M).
     */
    public List<ScoredMember> rangeByLex(LexRange range, boolean reverse, Limit limit) {
        if (range.isEmpty()) {
            return List.of();
        }
        SkipList.Node start = reverse ? lastInRange(range) : firstInRange(range);
        return walk(start, reverse, limit, n -> range.contains(n.key));
    }

    private List<ScoredMember> walk(SkipList.Node node, boolean reverse, Limit limit,
                                    Predicate<SkipList.Node> inRange) {
        long offset = limit.offset();
        if (offset < 0 || (offset > 0 && offset >= size())) {
            return List.of();
        }
        for (; node != null && offset > 0 && inRange.test(node); offset--) {
            node = reverse ? node.backward : SkipList.next(node);
        }
        List<ScoredMember> result = new ArrayList<>();
        for (long left = limit.count(); node != null && left != 0 && inRange.test(node); left--) {
            result.add(element(node));
            node = reverse ? node.backward : SkipList.next(node);
        }
        return result;
    }

    // tag::zcount[]
    /** ZCOUNT: how many scores lie in {@code range}; two rank lookups, no walk. O(log(N)). */
    public long count(ScoreRange range) {
        if (range.isEmpty()) {
            return 0;
        }
        SkipList.Node first = firstInRange(range);
        if (first == null) {
            return 0;
        }
        SkipList.Node last = lastInRange(range);
        return list.rank(last.score, last.key) - list.rank(first.score, first.key) + 1;
    }
    // end::zcount[]

    /** ZLEXCOUNT: how many members lie in {@code range}. O(log(N)). */
    public long lexCount(LexRange range) {
        if (range.isEmpty()) {
            return 0;
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

    /** ZREMRANGEBYRANK with ZRANGE's index rules; returns how many were removed. O(log(N)+M). */
    public long removeRangeByRank(long start, long stop) {
        long[] range = normalize(start, stop);
        if (range == null) {
            return 0;
        }
        return list.deleteRangeByRank(range[0] + 1, range[1] + 1, this::unindex);
    }

    /** ZREMRANGEBYSCORE; returns how many were removed. O(log(N)+M). */
    public long removeRangeByScore(ScoreRange range) {
        if (range.isEmpty()) {
            return 0;
        }
        return list.deleteRange(n -> !range.aboveMin(n.score), n -> range.belowMax(n.score), this::unindex);
    }

    /** ZREMRANGEBYLEX; returns how many were removed. O(log(N)+M). */
    public long removeRangeByLex(LexRange range) {
        if (range.isEmpty()) {
            return 0;
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

    private List<ScoredMember> pop(long count, boolean max) {
        List<ScoredMember> result = new ArrayList<>((int) Math.min(count, size()));
        while (result.size() < count && size() > 0) {
            SkipList.Node node = max ? list.last() : list.first();
            result.add(element(node));
            list.delete(node);
            dict.remove(node.key, node.hash);
        }
        return result;
    }

    /** All elements in ascending order. O(N). */
    public void forEach(Consumer<ScoredMember> action) {
        for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n)) {
            action.accept(element(n));
        }
    }

    /** ZRANDMEMBER without count: a uniformly random element, or null when empty. O(log(N)). */
    public ScoredMember randomMember(RandomGenerator random) {
        return size() == 0 ? null : element(list.nodeByRank(1 + random.nextInt(size())));
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
            List<ScoredMember> result = new ArrayList<>((int) Math.min(draws, 1 << 20));
            for (long i = 0; i < draws; i++) {
                result.add(randomMember(random));
            }
            return result;
        }
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
            int rank = 0;
            for (SkipList.Node n = list.first(); n != null; n = SkipList.next(n), rank++) {
                if (!dropped[rank]) {
                    result.add(element(n));
                }
            }
            return result;
        }
        LinkedHashSet<Integer> ranks = new LinkedHashSet<>();  // few: draw until enough distinct ranks
        while (ranks.size() < count) {
            ranks.add(1 + random.nextInt(size));
        }
        for (int rank : ranks) {
            result.add(element(list.nodeByRank(rank)));
        }
        return result;
    }

    /**
     * One ZSCAN call: visits elements from {@code cursor} and returns the next cursor, 0 when done. A
     * listpack-encoded set is returned whole in one call, as Redis does; a skiplist-encoded one is walked
     * through its member table with the same guarantee as SSCAN ({@link RedisSet#scan}). O(1) per call on
     * average, O(N) for a full scan.
     */
    public long scan(long cursor, long count, Consumer<ScoredMember> visitor) {
        if (listpack) {
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

    /** Structural self-check for tests: null when the skip list and the member table agree. O(N). */
    String checkInvariants() {
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
     * O(N)+O(M*log(M)), N the sum of the input sizes, M the result size.
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
        RedisSortedSet result = new RedisSortedSet();
        accumulator.forEach((member, score) -> result.add(score[0], member, ZAddOptions.NONE));
        return result;
    }
    // end::zunion[]

    /**
     * ZINTER / ZINTERSTORE: the members present in every input, scores aggregated as {@link #union}.
     * Iterates the smallest input. O(N*K)+O(M*log(M)), N the smallest input, K the number of inputs.
     */
    public static RedisSortedSet intersection(List<? extends RedisValue> inputs, double[] weights,
                                              Aggregate aggregate) {
        RedisSortedSet result = new RedisSortedSet();
        intersect(inputs, weights, aggregate, Long.MAX_VALUE,
                element -> result.add(element.score(), element.member(), ZAddOptions.NONE));
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
        RedisSortedSet result = new RedisSortedSet();
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
            result.add(element.score(), element.member(), ZAddOptions.NONE);
        });
        return result;
    }
}
