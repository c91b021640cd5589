// Pattern: a leaderboard. A sorted set keeps players ordered by score, with ranks in O(log(N)).
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

import java.util.List;

/**
 * {@code leaderboard:<game>} scores each player; ZINCRBY adds points atomically however many game servers
 * report them, and the top N or a player's rank are reads of the skip list of chapter 7.
 */
final class Leaderboard {

    /** One line of the board: rank from 1, player, score. */
    record Entry(long rank, String player, double score) {
    }

    private final Jedis redis;
    private final String key;

    Leaderboard(Jedis redis, String game) {
        this.redis = redis;
        this.key = "leaderboard:" + game;
    }

    // tag::board[]
    /** Adds {@code points} to the player's score (a new player starts at 0) and returns the new score. O(log(N)). */
    double score(String player, double points) {
        return redis.zincrby(key, points, player);
    }

    /** The best {@code n} players, highest score first; equal scores in reverse name order, as ZREVRANGE sorts. */
    List<Entry> top(int n) {
        List<Tuple> best = redis.zrevrangeWithScores(key, 0, n - 1);
        return java.util.stream.IntStream.range(0, best.size())
                .mapToObj(i -> new Entry(i + 1, best.get(i).getElement(), best.get(i).getScore())).toList();
    }

    /** The player's rank from 1 (the best), or 0 when the player has no score. O(log(N)). */
    long rank(String player) {
        Long fromTop = redis.zrevrank(key, player);
        return fromTop == null ? 0 : fromTop + 1;
    }
    // end::board[]
}
