// The LIMIT offset count of ZRANGEBYSCORE, ZRANGEBYLEX and ZRANGE ... BYSCORE|BYLEX.
package io.port6379.datastructures;

/**
 * Skip {@code offset} matching elements, then return at most {@code count}. As in Redis, a negative count
 * means "all the rest" and a negative offset selects nothing (t_zset.c counts it down and never reaches 0).
 */
public record Limit(long offset, long count) {

    /** No LIMIT given: everything in the range. */
    public static final Limit NONE = new Limit(0, -1);
}
