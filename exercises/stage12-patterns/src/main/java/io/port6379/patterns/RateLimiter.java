// Exercise 12, chapter 12's patterns, as a client of the server: Rate limiting. allowFixedWindow(): window =
//   clock / windowMillis, key "rate:" + client + ":" + window; INCR and PEXPIRE NX (only the first request sets the
//   timeout) in one MULTI/EXEC; allowed while the count is at most the limit. allowSlidingWindow(): key
//   "rate:sliding:" + client, a sorted set of request times; in one MULTI/EXEC ZREMRANGEBYSCORE what left the window
//   (scores up to now - windowMillis), ZADD now with a unique member, ZCARD, PEXPIRE; over the limit, ZREM the
//   request again (a refused request uses no quota) and refuse.
// Stage 12 replaces the reference io.port6379.patterns.RateLimiter (in server's test sources) with this class:
// `exercises/check 12` runs RateLimiterTest against a real redis-server and our server, as the chapter does.
// Given: the constructor. The reference solution is server/src/test/java/io/port6379/patterns/RateLimiter.java.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ExpiryOption;

import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} requests per client in any {@code windowMillis}. Two classic ways, both with one round
 * trip per request and no state in the application (every instance of it shares the same counters):
 * <ul>
 *   <li>{@link #allowFixedWindow}: one counter per client and window ({@code rate:alice:28939140}), O(1) memory
 *       per client, but a burst of {@code 2 * limit} fits across the boundary of two windows;</li>
 *   <li>{@link #allowSlidingWindow}: a sorted set of the client's recent requests, scored by time; exact, at
 *       the cost of one member per request in the window.</li>
 * </ul>
 * The clock is a parameter, so that a test can move time instead of sleeping.
 */
final class RateLimiter {

    private final Jedis redis;
    private final int limit;
    private final long windowMillis;
    private final LongSupplier clock;

    RateLimiter(Jedis redis, int limit, long windowMillis, LongSupplier clock) {
        this.redis = redis;
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Counts this request in the current window and says whether it is within the limit. */
    boolean allowFixedWindow(String client) {
        throw new UnsupportedOperationException("exercise 12: allowFixedWindow()");
    }

    /** Counts this request among those of the last {@code windowMillis} and says whether it is within the limit. */
    boolean allowSlidingWindow(String client) {
        throw new UnsupportedOperationException("exercise 12: allowSlidingWindow()");
    }
}
