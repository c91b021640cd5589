// The code under test: a shopping cart kept in a Redis hash, with an expiry, through Jedis.
package com.example.cart;

import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** A user's cart: one hash per user, item to quantity, forgotten after a day without changes. */
public final class Cart {

    private static final Duration KEPT = Duration.ofDays(1);

    private final UnifiedJedis redis;
    private final String key;

    public Cart(UnifiedJedis redis, String user) {
        this.redis = redis;
        this.key = "cart:" + user;
    }

    /** Adds {@code quantity} of {@code item}; returns the new quantity. */
    public long add(String item, long quantity) {
        long total = redis.hincrBy(key, item, quantity);
        redis.expire(key, KEPT.toSeconds());
        return total;
    }

    /** Removes the item entirely. */
    public void remove(String item) {
        redis.hdel(key, item);
    }

    /** Item to quantity, sorted by item. */
    public Map<String, Long> items() {
        Map<String, Long> items = new TreeMap<>();
        redis.hgetAll(key).forEach((item, quantity) -> items.put(item, Long.parseLong(quantity)));
        return items;
    }

    /** Seconds until the cart is forgotten, -2 when it is empty. */
    public long secondsLeft() {
        return redis.ttl(key);
    }
}
