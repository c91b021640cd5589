// Pattern: cache-aside. Look in Redis first; on a miss, ask the slow source and keep its answer for a while.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.util.function.Function;

/**
 * The application owns the cache: it reads {@code cache:<key>}, and on a miss loads the value from the real
 * source (a database, a remote service) and stores it with a TTL. The TTL bounds how stale an entry can get
 * when nobody invalidates it; {@link #invalidate} is for writers that know the source changed.
 */
final class Cache {

    private final Jedis redis;
    private final long ttlSeconds;
    private final Function<String, String> source;

    Cache(Jedis redis, long ttlSeconds, Function<String, String> source) {
        this.redis = redis;
        this.ttlSeconds = ttlSeconds;
        this.source = source;
    }

    // tag::get[]
    /** The value for {@code key}: from Redis when cached, else from the source, then cached for next time. */
    String get(String key) {
        String cached = redis.get("cache:" + key);
        if (cached != null) {
            return cached;
        }
        String value = source.apply(key);
        if (value != null) { // a missing value is not cached here; see the chapter for negative caching
            redis.set("cache:" + key, value, SetParams.setParams().ex(ttlSeconds));
        }
        return value;
    }

    /** After a write to the source: the next read loads the new value. */
    void invalidate(String key) {
        redis.del("cache:" + key);
    }
    // end::get[]
}
