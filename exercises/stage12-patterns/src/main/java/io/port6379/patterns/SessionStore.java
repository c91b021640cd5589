// Exercise 12, chapter 12's patterns, as a client of the server: Session storage with a TTL. create(): a random
//   id (RANDOM, 16 bytes in hex), HSET of the fields under key(id) = "session:" + id and EXPIRE idleSeconds in one
//   MULTI/EXEC (never a session without its timeout). load(): HGETALL, and when found EXPIRE again (an idle timeout,
//   renewed by use); an empty map when gone. destroy(): DEL.
// Stage 12 replaces the reference io.port6379.patterns.SessionStore (in server's test sources) with this class:
// `exercises/check 12` runs SessionStoreTest against a real redis-server and our server, as the chapter does.
// Given: the constructor. The reference solution is server/src/test/java/io/port6379/patterns/SessionStore.java.
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

    /** Starts a session holding {@code fields} and returns its id, 128 random bits a client cannot guess. */
    String create(Map<String, String> fields) {
        throw new UnsupportedOperationException("exercise 12: create()");
    }

    /** The session's fields, empty once it has expired; every read counts as activity and restarts the clock. */
    Map<String, String> load(String id) {
        throw new UnsupportedOperationException("exercise 12: load()");
    }

    /** Logging out: the session is gone at once, not at the end of its timeout. */
    void destroy(String id) {
        throw new UnsupportedOperationException("exercise 12: destroy()");
    }

    static String key(String id) {
        return "session:" + id;
    }
}
