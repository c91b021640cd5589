// Exercise 12, chapter 12's patterns, as a client of the server: A distributed lock. tryAcquire(): SET key
//   <random token> NX PX leaseMillis; the token, or null when somebody holds the lock. release(token): delete the key
//   only while it still holds our token: WATCH it, GET and compare (UNWATCH and false when it is not ours), then DEL
//   inside MULTI/EXEC, true when EXEC ran and DEL deleted it. The Runnable runs between the check and the delete
//   (a test takes the lock over there: EXEC must then fail).
// Stage 12 replaces the reference io.port6379.patterns.DistributedLock (in server's test sources) with this class:
// `exercises/check 12` runs DistributedLockTest against a real redis-server and our server, as the chapter does.
// Given: the constructor. The reference solution is server/src/test/java/io/port6379/patterns/DistributedLock.java.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SetParams;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A lease on one Redis key: {@code lock:<name>} holds the owner's random token and expires by itself, so a
 * holder that crashes cannot keep the lock forever. Releasing must delete the key <em>only if it still holds our
 * token</em>: after our lease ran out, somebody else may own the lock. Redis's usual answer is a Lua script
 * ({@code if GET == token then DEL}); this server has no interpreter, so the comparison runs on the client,
 * and WATCH makes the DEL conditional on the key not changing between our check and our delete.
 *
 * <p>This is the single-instance lock; it is safe as long as that one Redis is up. It is not Redlock.
 */
final class DistributedLock {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jedis redis;
    private final String key;
    private final long leaseMillis;

    DistributedLock(Jedis redis, String name, long leaseMillis) {
        this.redis = redis;
        this.key = "lock:" + name;
        this.leaseMillis = leaseMillis;
    }

    /** Takes the lock for {@code leaseMillis}: the token to release it with, or null when somebody holds it. */
    String tryAcquire() {
        throw new UnsupportedOperationException("exercise 12: tryAcquire()");
    }

    /** Gives the lock back if {@code token} still owns it; false when the lease had run out and it is not ours. */
    boolean release(String token) {
        throw new UnsupportedOperationException("exercise 12: release()");
    }

    /**
     * Compare-and-delete without Lua. {@code betweenCheckAndDelete} lets a test run another client's command
     * at the worst moment; in production it does nothing.
     */
    boolean release(String token, Runnable betweenCheckAndDelete) {
        throw new UnsupportedOperationException("exercise 12: release()");
    }
}
