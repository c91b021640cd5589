// Pattern: rate limiting. A fixed window with INCR and EXPIRE, and a sliding window with a sorted set.
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

    // tag::fixed[]
    /** Counts this request in the current window and says whether it is within the limit. */
    boolean allowFixedWindow(String client) {
        long window = clock.getAsLong() / windowMillis;
        String key = "rate:" + client + ":" + window;
        Transaction tx = redis.multi();
        Response<Long> count = tx.incr(key);
        // NX: only the first request of the window sets the timeout, so the counter dies with its window. Sent
        // in the same MULTI as INCR: a client that crashes in between cannot leave a counter without expiry.
        tx.pexpire(key, windowMillis, ExpiryOption.NX);
        tx.exec();
        return count.get() <= limit;
    }
    // end::fixed[]

    // tag::sliding[]
    /** Counts this request among those of the last {@code windowMillis} and says whether it is within the limit. */
    boolean allowSlidingWindow(String client) {
        long now = clock.getAsLong();
        String key = "rate:sliding:" + client;
        String request = now + ":" + UUID.randomUUID(); // members are unique; two requests may share a millisecond
        Transaction tx = redis.multi();
        tx.zremrangeByScore(key, Double.NEGATIVE_INFINITY, now - windowMillis); // forget what left the window
        tx.zadd(key, now, request);
        Response<Long> count = tx.zcard(key);
        tx.pexpire(key, windowMillis); // an idle client's set goes away by itself
        tx.exec();
        if (count.get() > limit) {
            redis.zrem(key, request); // a refused request does not use up the client's quota
            return false;
        }
        return true;
    }
    // end::sliding[]
}
