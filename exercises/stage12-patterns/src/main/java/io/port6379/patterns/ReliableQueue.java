// Exercise 12, chapter 12's patterns, as a client of the server: A reliable queue over the lists pending
//   ("queue:" + name) and processing (pending + ":processing"). submit(): LPUSH to pending, the new length. take():
//   BLMOVE pending processing RIGHT LEFT with the timeout (null after it). acknowledge(): LREM processing 1 job.
//   requeueAbandoned(): LMOVE processing pending RIGHT RIGHT until processing is empty; how many moved.
// Stage 12 replaces the reference io.port6379.patterns.ReliableQueue (in server's test sources) with this class:
// `exercises/check 12` runs ReliableQueueTest against a real redis-server and our server, as the chapter does.
// Given: the constructor. The reference solution is server/src/test/java/io/port6379/patterns/ReliableQueue.java.
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

    /** Adds a job; returns the queue's length. */
    long submit(String job) {
        throw new UnsupportedOperationException("exercise 12: submit()");
    }

    /**
     * The oldest job, now in the processing list; waits up to {@code timeoutSeconds} (0: forever) for one, and
     * returns null when none came. The connection is blocked meanwhile: a worker has its own.
     */
    String take(double timeoutSeconds) {
        throw new UnsupportedOperationException("exercise 12: take()");
    }

    /** The job is done: it leaves the processing list. */
    void acknowledge(String job) {
        throw new UnsupportedOperationException("exercise 12: acknowledge()");
    }

    /** After a worker died: its unacknowledged jobs go back to the front of the queue. Returns how many. */
    int requeueAbandoned() {
        throw new UnsupportedOperationException("exercise 12: requeueAbandoned()");
    }
}
