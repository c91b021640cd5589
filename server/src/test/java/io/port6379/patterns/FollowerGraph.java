// Pattern: the follower graph. A set per user and direction; mutual follows and suggestions are set algebra.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.util.List;
import java.util.Set;

/**
 * {@code following:<user>} holds whom a user follows and {@code followers:<user>} who follows them, written together
 * in one MULTI so that the two directions never disagree. Mutual follows are an intersection ({@code SINTER}; only
 * their number, {@code SINTERCARD}, which stops counting at a limit); "people you may know" a difference. A set's
 * order is its hash table's, so what a person reads is sorted here.
 */
final class FollowerGraph {

    private final Jedis redis;

    FollowerGraph(Jedis redis) {
        this.redis = redis;
    }

    // tag::graph[]
    /** {@code user} follows {@code other}; false when it already did. Both directions in one transaction. */
    boolean follow(String user, String other) {
        Transaction tx = redis.multi();
        tx.sadd("following:" + user, other);
        tx.sadd("followers:" + other, user);
        return Long.valueOf(1).equals(tx.exec().getFirst());
    }

    /** {@code user} no longer follows {@code other}. */
    void unfollow(String user, String other) {
        Transaction tx = redis.multi();
        tx.srem("following:" + user, other);
        tx.srem("followers:" + other, user);
        tx.exec();
    }

    /** Whom both follow, sorted. O(N*M) in Redis's words: the smaller set is walked, the other probed. */
    List<String> followedByBoth(String user, String other) {
        return sorted(redis.sinter("following:" + user, "following:" + other));
    }

    /** How many both follow, counting no further than {@code limit} (0: all): enough for "12+ in common". */
    long followedByBothCount(String user, String other, int limit) {
        return redis.sintercard(limit, "following:" + user, "following:" + other);
    }

    /** Whom {@code other} follows and {@code user} does not yet, {@code user} excluded, sorted. */
    List<String> suggestions(String user, String other) {
        Set<String> candidates = redis.sdiff("following:" + other, "following:" + user);
        candidates.remove(user);
        return sorted(candidates);
    }

    /** The number of followers: SCARD, O(1). */
    long followers(String user) {
        return redis.scard("followers:" + user);
    }
    // end::graph[]

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
