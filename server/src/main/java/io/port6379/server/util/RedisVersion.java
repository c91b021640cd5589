// The version of Redis this server answers as: INFO, HELLO, LOLWUT, the RDB's redis-ver field and the start-up banner.
package io.port6379.server.util;

/** One constant, so that every place that reports the version agrees with the others. */
public final class RedisVersion {

    /** Redis 7.0.15: the release whose replies, errors and file formats the tests compare against. */
    public static final String REDIS_VERSION = "7.0.15";

    private RedisVersion() {
    }
}
