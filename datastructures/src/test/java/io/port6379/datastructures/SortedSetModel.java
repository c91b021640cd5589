// A deliberately naive sorted set for model-based tests: a HashMap, sorted afresh on every read.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The specification of {@link RedisSortedSet} written the obvious, slow way: O(N log N) per read. */
final class SortedSetModel {

    /** Redis's order: score with C's {@code <} (so -0.0 equals 0.0), then member bytes unsigned. */
    static final Comparator<ScoredMember> ORDER = (a, b) -> {
        if (a.score() < b.score()) {
            return -1;
        }
        if (a.score() > b.score()) {
            return 1;
        }
        return Arrays.compareUnsigned(a.member().array(), b.member().array());
    };

    final Map<Bytes, Double> scores = new HashMap<>();
    private final int maxEntries;
    private final int maxValue;
    boolean skiplist;

    /** A model with Redis's default limits, zset-max-listpack-entries 128 and zset-max-listpack-value 64. */
    SortedSetModel() {
        this(128, 64);
    }

    SortedSetModel(int maxEntries, int maxValue) {
        this.maxEntries = maxEntries;
        this.maxValue = maxValue;
    }

    List<ScoredMember> sorted() {
        List<ScoredMember> all = new ArrayList<>();
        scores.forEach((member, score) -> all.add(new ScoredMember(member, score)));
        all.sort(ORDER);
        return all;
    }

    RedisSortedSet.AddOutcome add(double score, Bytes member, ZAddOptions o) {
        Double current = scores.get(member);
        if (current != null) {
            if (o.nx()) {
                return RedisSortedSet.AddOutcome.SKIPPED;
            }
            double updated = o.incr() ? current + score : score;
            if (Double.isNaN(updated)) {
                throw new RedisException(RedisSortedSet.NAN_RESULT);
            }
            if ((o.gt() && !(updated > current)) || (o.lt() && !(updated < current))) {
                return RedisSortedSet.AddOutcome.SKIPPED;
            }
            if (updated == current) {
                return RedisSortedSet.AddOutcome.UNCHANGED;
            }
            scores.put(member, !skiplist && updated == 0 ? 0.0 : updated); // listpack turns -0 into 0
            return RedisSortedSet.AddOutcome.UPDATED;
        }
        if (o.xx()) {
            return RedisSortedSet.AddOutcome.SKIPPED;
        }
        if (scores.size() + 1 > maxEntries || member.length() > maxValue) {
            skiplist = true;
        }
        scores.put(member, !skiplist && score == 0 ? 0.0 : score);
        return RedisSortedSet.AddOutcome.ADDED;
    }

    long rank(Bytes member, boolean reverse) {
        List<ScoredMember> all = sorted();
        if (reverse) {
            Collections.reverse(all);
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).member().equals(member)) {
                return i;
            }
        }
        return -1;
    }

    /** ZRANGE's index rules, written with plain Java sublists. */
    List<ScoredMember> rangeByRank(long start, long stop, boolean reverse) {
        List<ScoredMember> all = sorted();
        if (reverse) {
            Collections.reverse(all);
        }
        int n = all.size();
        long from = start < 0 ? Math.max(0, n + start) : start;
        long to = stop < 0 ? n + stop : Math.min(stop, n - 1);
        if (from > to || from >= n) {
            return List.of();
        }
        return new ArrayList<>(all.subList((int) from, (int) to + 1));
    }

    static boolean inScoreRange(ScoreRange r, double score) {
        boolean aboveMin = r.minExclusive() ? score > r.min() : score >= r.min();
        boolean belowMax = r.maxExclusive() ? score < r.max() : score <= r.max();
        return aboveMin && belowMax;
    }

    /** The model's own reading of a lex bound: - below everything, + above, else the bytes. */
    static int compareToBound(byte[] member, LexRange.Bound bound) {
        return switch (bound.kind()) {
            case MINUS_INFINITY -> 1;
            case PLUS_INFINITY -> -1;
            default -> Arrays.compareUnsigned(member, bound.value());
        };
    }

    static boolean inLexRange(LexRange r, byte[] member) {
        int lo = compareToBound(member, r.min());
        int hi = compareToBound(member, r.max());
        boolean minInclusive = r.min().kind() == LexRange.Bound.Kind.INCLUSIVE;
        boolean maxInclusive = r.max().kind() == LexRange.Bound.Kind.INCLUSIVE;
        return (minInclusive ? lo >= 0 : lo > 0) && (maxInclusive ? hi <= 0 : hi < 0);
    }

    List<ScoredMember> range(Predicate<ScoredMember> in, boolean reverse, Limit limit) {
        List<ScoredMember> all = sorted();
        if (reverse) {
            Collections.reverse(all);
        }
        List<ScoredMember> matching = all.stream().filter(in).toList();
        if (limit.offset() < 0) {
            return List.of();
        }
        List<ScoredMember> result = new ArrayList<>();
        for (long i = limit.offset(); i < matching.size() && (limit.count() < 0 || result.size() < limit.count()); i++) {
            result.add(matching.get((int) i));
        }
        return result;
    }

    long removeIf(Predicate<ScoredMember> in) {
        List<ScoredMember> doomed = sorted().stream().filter(in).toList();
        doomed.forEach(e -> scores.remove(e.member()));
        return doomed.size();
    }

    long removeRangeByRank(long start, long stop) {
        List<ScoredMember> doomed = rangeByRank(start, stop, false);
        doomed.forEach(e -> scores.remove(e.member()));
        return doomed.size();
    }

    List<ScoredMember> pop(long count, boolean max) {
        List<ScoredMember> all = sorted();
        if (max) {
            Collections.reverse(all);
        }
        List<ScoredMember> popped = new ArrayList<>(all.subList(0, (int) Math.min(count, all.size())));
        popped.forEach(e -> scores.remove(e.member()));
        return popped;
    }
}
