// The set type: unordered unique members, an intset while small and all-integer, then a hash table.
package io.port6379.datastructures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A Redis set (t_set.c). Starts as an {@code intset} (a sorted array of integers, see {@link IntSet}) and
 * converts once, for good, to a {@code hashtable} when a member is not an integer in Redis's strict sense
 * ({@link RedisNumbers#parseLong}: no "+1", "01" or " 1") or when it would hold more than
 * {@code set-max-intset-entries} members ({@value #SET_MAX_INTSET_ENTRIES} unless configured). Empty sets are not kept by Redis: callers delete the key when
 * {@link #size()} reaches 0.
 *
 * <p>Random operations take the {@link RandomGenerator} to use, so tests can fix the seed. Not thread-safe:
 * the server runs one command at a time.
 */
public final class RedisSet implements RedisValue {

    /** Redis's default {@code set-max-intset-entries}. */
    public static final int SET_MAX_INTSET_ENTRIES = 512;
    /** SPOP with count: above this ratio of count to remaining members, build the remainder instead. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;
    /** SRANDMEMBER with count: below this ratio of size to count, copy the set and remove instead. */
    private static final int SRANDMEMBER_SUB_STRATEGY_MUL = 3;

    private IntSet intset;
    private Dict dict;

    /** An empty set, intset-encoded like the one SADD creates for an integer and SINTERSTORE fills. */
    public RedisSet() {
        intset = new IntSet();
    }

    private RedisSet(Dict hashtable) {
        dict = hashtable;
    }

    /**
     * An empty set in the encoding SADD creates for its first member, as Redis's {@code setTypeCreate}: an intset
     * for an integer, a hash table otherwise, which spares building an intset only to convert it at once. O(N) in
     * the member's length.
     */
    public static RedisSet forFirstMember(Bytes member) {
        return isInteger(member) ? new RedisSet() : new RedisSet(new Dict());
    }

    /** A set of the given members. O(N) (O(N^2) while intset-encoded, N at most 512). */
    public static RedisSet of(Iterable<Bytes> members, EncodingLimits limits) {
        RedisSet set = new RedisSet();
        for (Bytes member : members) {
            set.add(member, limits);
        }
        return set;
    }

    @Override
    public String type() {
        return "set";
    }

    /** This object (intset, dict) and its intset, or its dict with the members. O(1). */
    @Override
    public long memoryUsage() {
        return MemorySizes.object(2, 0, 0) + (intset != null ? intset.memoryUsage() : dict.memoryUsage());
    }

    /** {@code "intset"} or {@code "hashtable"}, as OBJECT ENCODING reports it in Redis 7.0. O(1). */
    @Override
    public String encoding() {
        return intset != null ? "intset" : "hashtable";
    }

    /** The intset's element width in bytes (2, 4 or 8), which never narrows; 0 for a hash table. O(1). */
    public int intsetWidth() {
        return intset != null ? intset.width() : 0;
    }

    /** SCARD. O(1). */
    public int size() {
        return intset != null ? intset.size() : dict.size();
    }

    private static boolean isInteger(Bytes member) {
        return RedisNumbers.isLong(member.array());
    }

    private static Bytes fromLong(long value) {
        return Bytes.of(Long.toString(value));
    }

    // tag::set-add[]
    /** SADD of one member; true when it was added. O(1) amortized, O(N) while intset-encoded (N at most 512). */
    public boolean add(Bytes member, EncodingLimits limits) {
        if (intset != null) {
            if (isInteger(member)) {
                if (!intset.add(RedisNumbers.parseLong(member.array()))) {
                    return false;
                }
                if (intset.size() > limits.setMaxIntsetEntries()) {
                    convertToHashtable();
                }
                return true;
            }
            convertToHashtable(); // one non-integer member and the set is a hash table for good
        }
        return addTo(dict, member);
    }

    private static boolean addTo(Dict dict, Bytes member) {
        int hash = Dict.hash(member);
        if (dict.find(member.array(), hash) != null) {
            return false;
        }
        dict.add(new Dict.Entry(member.array(), hash, null));
        return true;
    }

    private void convertToHashtable() {
        Dict converted = new Dict();
        for (int i = 0; i < intset.size(); i++) {
            addTo(converted, fromLong(intset.get(i)));
        }
        dict = converted;
        intset = null;
    }
    // end::set-add[]

    /** SREM of one member; true when it was removed. O(1), O(N) while intset-encoded. */
    public boolean remove(Bytes member) {
        if (intset != null) {
            return isInteger(member) && intset.remove(RedisNumbers.parseLong(member.array()));
        }
        return dict.remove(member.array(), Dict.hash(member)) != null;
    }

    /** SISMEMBER. O(1), O(log(N)) while intset-encoded. */
    public boolean contains(Bytes member) {
        if (intset != null) {
            return isInteger(member) && intset.contains(RedisNumbers.parseLong(member.array()));
        }
        return dict.find(member.array(), Dict.hash(member)) != null;
    }

    /** SMISMEMBER: membership of each argument, in order. O(N) for N arguments. */
    public List<Boolean> containsEach(List<Bytes> members) {
        List<Boolean> result = new ArrayList<>(members.size());
        for (Bytes member : members) {
            result.add(contains(member));
        }
        return result;
    }

    /** Calls {@code action} for every member: ascending for an intset, table order for a hash table. O(N). */
    public void forEach(Consumer<Bytes> action) {
        if (intset != null) {
            for (int i = 0; i < intset.size(); i++) {
                action.accept(fromLong(intset.get(i)));
            }
        } else {
            dict.forEach(entry -> action.accept(Bytes.of(entry.key())));
        }
    }

    /** SMEMBERS. O(N). */
    public List<Bytes> members() {
        List<Bytes> result = new ArrayList<>(size());
        forEach(result::add);
        return result;
    }

    /**
     * SRANDMEMBER without count (and each pick of a negative count, and SPOP): a random member, or null when the
     * set is empty; every member equally likely, as Redis's {@code dictGetFairRandomKey} makes it. O(1).
     */
    public Bytes randomMember(RandomGenerator random) {
        if (size() == 0) {
            return null;
        }
        if (intset != null) {
            return fromLong(intset.get(random.nextInt(intset.size())));
        }
        return Bytes.of(dict.fairRandom(random).key());
    }

    /** SPOP without count: removes and returns a random member, or null when the set is empty. O(1). */
    public Bytes pop(RandomGenerator random) {
        Bytes member = randomMember(random);
        if (member != null) {
            remove(member);
        }
        return member;
    }

    // tag::spop-count[]
    /**
     * SPOP with a count (which the caller has checked is not negative): removes and returns {@code count}
     * distinct random members, or all of them. O(N) for N the count, with Redis's two strategies.
     */
    public List<Bytes> pop(long count, RandomGenerator random, EncodingLimits limits) {
        int size = size();
        if (count >= size) {                       // everything: the caller then deletes the key
            List<Bytes> all = members();
            intset = new IntSet();
            dict = null;
            return all;
        }
        List<Bytes> popped = new ArrayList<>((int) count);
        long remaining = size - count;
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            for (long i = 0; i < count; i++) {     // few to pop: pick them one by one
                popped.add(pop(random));
            }
            return popped;
        }
        RedisSet kept = null;                      // most to pop: pick the few that stay instead
        for (long i = 0; i < remaining; i++) {
            Bytes member = pop(random);
            if (kept == null) {
                kept = new RedisSet();
                if (!isInteger(member)) {
                    kept.convertToHashtable();      // Redis's setTypeCreate: the first member decides
                }
            }
            kept.add(member, limits);
        }
        forEach(popped::add);
        intset = kept.intset;
        dict = kept.dict;
        return popped;
    }
    // end::spop-count[]

    // tag::srandmember-count[]
    /**
     * SRANDMEMBER with a count. A positive count returns up to that many distinct members; a negative count
     * returns exactly -count members that may repeat. O(N) for N the count (or the set size, if smaller).
     */
    public List<Bytes> randomMembers(long count, RandomGenerator random) {
        int size = size();
        if (count == 0 || size == 0) {
            return List.of();
        }
        if (count < 0 || count == 1) {             // repeats allowed: independent draws
            long draws = count < 0 ? -count : 1;
            List<Bytes> result = new ArrayList<>((int) Math.min(draws, 1 << 20));
            for (long i = 0; i < draws; i++) {
                result.add(randomMember(random));
            }
            return result;
        }
        if (count >= size) {
            return members();
        }
        Dict chosen = new Dict();
        if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
            forEach(member -> addTo(chosen, member)); // nearly all: copy, then drop random members
            for (int left = size; left > count; left--) {
                Dict.Entry dropped = chosen.random(random);
                chosen.remove(dropped.key(), dropped.hash);
            }
        } else {
            while (chosen.size() < count) {           // few: draw until enough distinct ones
                addTo(chosen, randomMember(random));
            }
        }
        List<Bytes> result = new ArrayList<>((int) count);
        chosen.forEach(entry -> result.add(Bytes.of(entry.key())));
        return result;
    }
    // end::srandmember-count[]

    /**
     * One SSCAN call: visits members from {@code cursor} and returns the next cursor, 0 when done. An intset
     * is returned whole in one call, as Redis does for small encodings; a hash table is walked bucket by
     * bucket until about {@code count} members (or 10 × count buckets). Every member present for the
     * whole scan is visited at least once; some may be visited twice. O(1) per call on average, O(N) for a
     * full scan.
     */
    public long scan(long cursor, long count, Consumer<Bytes> visitor) {
        if (intset != null) {
            forEach(visitor);
            return 0;
        }
        long[] visited = {0};
        long maxIterations = count * 10;
        do {
            cursor = dict.scan(cursor, entry -> {
                visited[0]++;
                visitor.accept(Bytes.of(entry.key()));
            });
        } while (cursor != 0 && maxIterations-- > 0 && visited[0] < count);
        return cursor;
    }

    /**
     * SMOVE between two distinct keys' sets: removes {@code member} from {@code source} and adds it to
     * {@code destination}; false when it was not in {@code source}. When both are the same set, only
     * reports membership, as Redis does. O(1).
     */
    public static boolean move(RedisSet source, RedisSet destination, Bytes member, EncodingLimits limits) {
        if (source == destination) {
            return source.contains(member);
        }
        if (!source.remove(member)) {
            return false;
        }
        destination.add(member, limits);
        return true;
    }

    private static int sizeOf(RedisSet set) {
        return set == null ? 0 : set.size();
    }

    // tag::sinter[]
    /**
     * SINTER: the members in every set; a null (missing key) counts as empty. Iterates the smallest set and
     * probes the others. O(N*M) worst case, N the smallest cardinality and M the number of sets.
     */
    public static RedisSet intersection(List<RedisSet> sets, EncodingLimits limits) {
        RedisSet result = new RedisSet();
        intersect(sets, Long.MAX_VALUE, member -> result.add(member, limits));
        return result;
    }

    /** SINTERCARD: the size of the intersection, counting stops at {@code limit} (0: no limit). O(N*M). */
    public static long intersectionCardinality(List<RedisSet> sets, long limit) {
        long[] count = {0};
        intersect(sets, limit == 0 ? Long.MAX_VALUE : limit, member -> count[0]++);
        return count[0];
    }

    private static void intersect(List<RedisSet> sets, long limit, Consumer<Bytes> found) {
        if (sets.isEmpty() || sets.stream().anyMatch(set -> sizeOf(set) == 0)) {
            return;
        }
        List<RedisSet> bySize = new ArrayList<>(sets);
        bySize.sort(Comparator.comparingInt(RedisSet::size));
        RedisSet smallest = bySize.get(0);
        long[] emitted = {0};
        for (Bytes member : smallest.members()) {
            if (emitted[0] >= limit) {
                return;
            }
            boolean inAll = true;
            for (int j = 1; j < bySize.size() && inAll; j++) {
                inAll = bySize.get(j) == smallest || bySize.get(j).contains(member);
            }
            if (inAll) {
                found.accept(member);
                emitted[0]++;
            }
        }
    }
    // end::sinter[]

    /** SUNION: the members in any set (null: empty). O(N), N the total number of members. */
    public static RedisSet union(List<RedisSet> sets, EncodingLimits limits) {
        RedisSet result = new RedisSet();
        for (RedisSet set : sets) {
            if (set != null) {
                set.forEach(member -> result.add(member, limits));
            }
        }
        return result;
    }

    /** SDIFF: the members of the first set that are in none of the others (null: empty). O(N), N all members. */
    public static RedisSet difference(List<RedisSet> sets, EncodingLimits limits) {
        RedisSet result = new RedisSet();
        if (sets.isEmpty() || sets.get(0) == null) {
            return result;
        }
        sets.get(0).forEach(member -> {
            for (int j = 1; j < sets.size(); j++) {
                RedisSet other = sets.get(j);
                if (other != null && (other == sets.get(0) || other.contains(member))) {
                    return;
                }
            }
            result.add(member, limits);
        });
        return result;
    }

    /** DEBUG HTSTATS-KEY's text ({@link Dict#stats}), or null when the value is not in its hash-table encoding. O(capacity). */
    public String hashTableStats() {
        return dict == null ? null : dict.stats();
    }
}
