// Pattern: a lock shared by several processes, with SET NX PX to take it and a compare-and-delete to give it back.
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

    // tag::acquire[]
    /** Takes the lock for {@code leaseMillis}: the token to release it with, or null when somebody holds it. */
    String tryAcquire() {
        String token = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        // One command: set only if absent (NX), with its expiry (PX). SETNX then EXPIRE would leave a lock
        // without a timeout if the client died between the two.
        String reply = redis.set(key, token, SetParams.setParams().nx().px(leaseMillis));
        return "OK".equals(reply) ? token : null;
    }
    // end::acquire[]

    /** Gives the lock back if {@code token} still owns it; false when the lease had run out and it is not ours. */
    boolean release(String token) {
        return release(token, () -> { });
    }

    // tag::release[]
    /**
     * Compare-and-delete without Lua. {@code betweenCheckAndDelete} lets a test run another client's command
     * at the worst moment; in production it does nothing.
     */
    boolean release(String token, Runnable betweenCheckAndDelete) {
        redis.watch(key); // EXEC will fail if anybody writes the key from here on, or if it expires
        if (!token.equals(redis.get(key))) {
            redis.unwatch();
            return false; // expired, and maybe taken by another client: never delete somebody else's lock
        }
        betweenCheckAndDelete.run();
        Transaction tx = redis.multi();
        tx.del(key);
        List<Object> result = tx.exec(); // null: the key changed after our GET, so nothing was deleted
        return result != null && Long.valueOf(1).equals(result.get(0));
    }
    // end::release[]
}
