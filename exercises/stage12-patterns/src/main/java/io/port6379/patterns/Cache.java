// Exercise 12, chapter 12's patterns, as a client of the server: Cache-aside. get(key): GET "cache:" + key; on a
//   miss ask the source and, when it has a value, SET it with EX ttlSeconds; a missing value is not cached.
//   invalidate(key): DEL.
// Stage 12 replaces the reference io.port6379.patterns.Cache (in server's test sources) with this class:
// `exercises/check 12` runs CacheTest against a real redis-server and our server, as the chapter does.
// Given: the constructor. The reference solution is server/src/test/java/io/port6379/patterns/Cache.java.
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

    /** The value for {@code key}: from Redis when cached, else from the source, then cached for next time. */
    String get(String key) {
        throw new UnsupportedOperationException("exercise 12: get()");
    }

    /** After a write to the source: the next read loads the new value. */
    void invalidate(String key) {
        throw new UnsupportedOperationException("exercise 12: invalidate()");
    }
}
