// Pattern: feature flags. A hash of switches for everybody, and a set per flag of the users who try it early.
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

    // tag::flags[]
    /** Switches {@code flag} on or off for everybody. */
    void set(String flag, boolean on) {
        redis.hset("flags", flag, on ? "on" : "off");
    }

    /** Lets {@code user} have {@code flag} while it is still off for the others. */
    void enableFor(String flag, String user) {
        redis.sadd("flag:" + flag + ":users", user);
    }

    /** Whether {@code user} sees {@code flag}: both questions in one round trip (a pipeline). O(1). */
    boolean isEnabled(String flag, String user) {
        Pipeline pipeline = redis.pipelined();
        Response<String> global = pipeline.hget("flags", flag);
        Response<Boolean> early = pipeline.sismember("flag:" + flag + ":users", user);
        pipeline.sync();
        return "on".equals(global.get()) || early.get();
    }
    // end::flags[]
}
