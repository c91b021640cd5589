// Exercise 12, chapter 12's patterns, as a client of the server: Feature flags. set(): HSET flags <flag> on|off,
//   for everybody. enableFor(): SADD flag:<flag>:users <user>, for one user. isEnabled(): HGET and SISMEMBER in one
//   pipeline; on for everybody or for that user.
// Stage 12 replaces the reference io.port6379.patterns.FeatureFlags (in server's test sources) with this class:
// `exercises/check 12` runs FeatureFlagsTest against a real redis-server and our server, as the chapter does.
// Given: the constructor. The reference solution is server/src/test/java/io/port6379/patterns/FeatureFlags.java.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * {@code flags} is a hash from flag name to {@code on} or {@code off}; {@code flag:<name>:users} is the set of
 * users who have the flag before everybody does. Flipping a flag is one write, seen by every instance of the
 * application at its next request, without a deployment.
 */
final class FeatureFlags {

    private final Jedis redis;

    FeatureFlags(Jedis redis) {
        this.redis = redis;
    }

    /** Switches {@code flag} on or off for everybody. */
    void set(String flag, boolean on) {
        throw new UnsupportedOperationException("exercise 12: set()");
    }

    /** Lets {@code user} have {@code flag} while it is still off for the others. */
    void enableFor(String flag, String user) {
        throw new UnsupportedOperationException("exercise 12: enableFor()");
    }

    /** Whether {@code user} sees {@code flag}: both questions in one round trip (a pipeline). O(1). */
    boolean isEnabled(String flag, String user) {
        throw new UnsupportedOperationException("exercise 12: isEnabled()");
    }
}
