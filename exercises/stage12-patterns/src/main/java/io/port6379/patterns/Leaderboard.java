// Exercise 12, chapter 12's patterns, as a client of the server: Leaderboards on the sorted set key =
//   "leaderboard:" + game. score(): ZINCRBY, the new score. top(n): ZREVRANGE 0 n-1 WITHSCORES as Entry(rank counted
//   from 1, player, score). rank(): ZREVRANK + 1, 0 for a player not on the board.
// Stage 12 replaces the reference io.port6379.patterns.Leaderboard (in server's test sources) with this class:
// `exercises/check 12` runs LeaderboardTest against a real redis-server and our server, as the chapter does.
// Given: the constructor. The reference solution is server/src/test/java/io/port6379/patterns/Leaderboard.java.
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

    /** Adds {@code points} to the player's score (a new player starts at 0) and returns the new score. O(log(N)). */
    double score(String player, double points) {
        throw new UnsupportedOperationException("exercise 12: score()");
    }

    /** The best {@code n} players, highest score first; equal scores in reverse name order, as ZREVRANGE sorts. */
    List<Entry> top(int n) {
        throw new UnsupportedOperationException("exercise 12: top()");
    }

    /** The player's rank from 1 (the best), or 0 when the player has no score. O(log(N)). */
    long rank(String player) {
        throw new UnsupportedOperationException("exercise 12: rank()");
    }
}
