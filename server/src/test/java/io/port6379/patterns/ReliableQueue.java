// Pattern: a reliable work queue. BLMOVE hands a job to a worker and keeps it in a processing list until acknowledged.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;

/**
 * Producers push on the left of {@code queue:<name>}; a worker takes from the right, so jobs run in arrival order.
 * A plain BRPOP would lose the job if the worker crashed right after taking it. BLMOVE moves it instead, in one
 * atomic step, to {@code queue:<name>:processing}, where it stays until the worker acknowledges it; jobs left
 * there by a dead worker are put back with {@link #requeueAbandoned}.
 */
final class ReliableQueue {

    private final Jedis redis;
    private final String pending;
    private final String processing;

    ReliableQueue(Jedis redis, String name) {
        this.redis = redis;
        this.pending = "queue:" + name;
        this.processing = "queue:" + name + ":processing";
    }

    // tag::queue[]
    /** Adds a job; returns the queue's length. */
    long submit(String job) {
        return redis.lpush(pending, job);
    }

    /**
     * The oldest job, now in the processing list; waits up to {@code timeoutSeconds} (0: forever) for one, and
     * returns null when none came. The connection is blocked meanwhile: a worker has its own.
     */
    String take(double timeoutSeconds) {
        return redis.blmove(pending, processing, ListDirection.RIGHT, ListDirection.LEFT, timeoutSeconds);
    }

    /** The job is done: it leaves the processing list. */
    void acknowledge(String job) {
        redis.lrem(processing, 1, job);
    }

    /** After a worker died: its unacknowledged jobs go back to the front of the queue. Returns how many. */
    int requeueAbandoned() {
        int moved = 0;
        while (redis.lmove(processing, pending, ListDirection.RIGHT, ListDirection.RIGHT) != null) {
            moved++;
        }
        return moved;
    }
    // end::queue[]
}
