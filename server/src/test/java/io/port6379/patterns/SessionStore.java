// Pattern: session storage. A hash per session, with a TTL that every request pushes back (a sliding expiry).
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Web sessions in Redis: {@code session:<id>} is a hash of the session's fields, and its TTL is the idle
 * timeout. Redis deletes an abandoned session by itself; no cleanup job is needed.
 */
final class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jedis redis;
    private final long idleSeconds;

    SessionStore(Jedis redis, long idleSeconds) {
        this.redis = redis;
        this.idleSeconds = idleSeconds;
    }

    // tag::create[]
    /** Starts a session holding {@code fields} and returns its id, 128 random bits a client cannot guess. */
    String create(Map<String, String> fields) {
        String id = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        Transaction tx = redis.multi(); // HSET and EXPIRE together: never a session without its timeout
        tx.hset(key(id), fields);
        tx.expire(key(id), idleSeconds);
        tx.exec();
        return id;
    }

    /** The session's fields, empty once it has expired; every read counts as activity and restarts the clock. */
    Map<String, String> load(String id) {
        Map<String, String> fields = redis.hgetAll(key(id));
        if (!fields.isEmpty()) {
            redis.expire(key(id), idleSeconds);
        }
        return fields;
    }
    // end::create[]

    /** Logging out: the session is gone at once, not at the end of its timeout. */
    void destroy(String id) {
        redis.del(key(id));
    }

    static String key(String id) {
        return "session:" + id;
    }
}
