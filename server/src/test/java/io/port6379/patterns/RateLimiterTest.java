// The limiter lets `limit` requests through per window, refuses the next one, and forgets old windows.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    // A fixed moment, well inside a window of 1000 ms (the windows are aligned on multiples of it).
    private final AtomicLong now = new AtomicLong(1_700_000_000_100L);

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void fixedWindowRefusesRequestNPlusOne(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        RateLimiter limiter = new RateLimiter(redis, 5, 1000, now::get);
        for (int i = 1; i <= 5; i++) {
            assertTrue(limiter.allowFixedWindow("alice"), "request " + i);
        }
        assertFalse(limiter.allowFixedWindow("alice"));
        assertTrue(limiter.allowFixedWindow("bob"), "each client has its own counter");
        String key = "rate:alice:" + now.get() / 1000;
        assertEquals("6", redis.get(key)); // refused requests are counted too: hammering does not help
        long ttl = redis.pttl(key);
        assertTrue(ttl > 0 && ttl <= 1000, "the counter expires with its window: pttl " + ttl);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void fixedWindowStartsAgainInTheNextWindow(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        RateLimiter limiter = new RateLimiter(redis, 2, 1000, now::get);
        assertTrue(limiter.allowFixedWindow("alice"));
        assertTrue(limiter.allowFixedWindow("alice"));
        assertFalse(limiter.allowFixedWindow("alice"));
        now.addAndGet(1000);
        assertTrue(limiter.allowFixedWindow("alice"));
    }

    // tag::boundary[]
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void fixedWindowLetsTwiceTheLimitThroughAcrossABoundary(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        now.set(1_700_000_000_950L); // 50 ms before a window ends
        RateLimiter limiter = new RateLimiter(redis, 3, 1000, now::get);
        int allowed = 0;
        for (int i = 0; i < 3; i++) {
            allowed += limiter.allowFixedWindow("alice") ? 1 : 0;
        }
        now.addAndGet(100); // 100 ms later, in the next window
        for (int i = 0; i < 3; i++) {
            allowed += limiter.allowFixedWindow("alice") ? 1 : 0;
        }
        assertEquals(6, allowed, "the weakness the sliding window fixes");
    }
    // end::boundary[]

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void slidingWindowCountsTheLastWindowMillisecondsExactly(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        now.set(1_700_000_000_950L);
        RateLimiter limiter = new RateLimiter(redis, 3, 1000, now::get);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.allowSlidingWindow("alice"));
        }
        now.addAndGet(100); // the boundary that let the fixed window through
        assertFalse(limiter.allowSlidingWindow("alice"));
        assertEquals(3, redis.zcard("rate:sliding:alice"), "a refused request is not kept");
        now.addAndGet(901); // the first three are now older than the window
        assertTrue(limiter.allowSlidingWindow("alice"));
        assertEquals(1, redis.zcard("rate:sliding:alice"));
        assertTrue(redis.pttl("rate:sliding:alice") > 0);
    }
}
