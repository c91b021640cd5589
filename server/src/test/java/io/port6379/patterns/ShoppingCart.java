// Pattern: a shopping cart. A hash from product to quantity, with a TTL renewed on each change.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cart:<user>} maps each product (SKU) to its quantity. Every change renews the cart's TTL in the same
 * MULTI, so an abandoned cart goes away by itself {@code ttlSeconds} after its last change. Checking out reads and
 * deletes the cart in one transaction: a second checkout, even a concurrent one, finds nothing to buy.
 */
final class ShoppingCart {

    private final Jedis redis;
    private final String key;
    private final long ttlSeconds;

    ShoppingCart(Jedis redis, String user, long ttlSeconds) {
        this.redis = redis;
        this.key = "cart:" + user;
        this.ttlSeconds = ttlSeconds;
    }

    // tag::cart[]
    /** Adds {@code quantity} of a product (negative: removes some) and returns the quantity now in the cart. */
    long add(String sku, long quantity) {
        Transaction tx = redis.multi();
        tx.hincrBy(key, sku, quantity);
        tx.expire(key, ttlSeconds); // renewed on every change
        long now = (Long) tx.exec().getFirst();
        if (now <= 0) {
            remove(sku); // a quantity of zero or less is no line at all
        }
        return Math.max(0, now);
    }

    /** Takes a product out of the cart. */
    void remove(String sku) {
        Transaction tx = redis.multi();
        tx.hdel(key, sku);
        tx.expire(key, ttlSeconds);
        tx.exec();
    }

    /** What the cart holds: product to quantity. */
    Map<String, Long> contents() {
        return quantities(redis.hgetAll(key));
    }

    /** Empties the cart and returns what it held, atomically: empty when it was already checked out. */
    Map<String, Long> checkout() {
        Transaction tx = redis.multi();
        tx.hgetAll(key);
        tx.del(key);
        List<Object> replies = tx.exec();
        @SuppressWarnings("unchecked")
        Map<String, String> held = (Map<String, String>) replies.getFirst();
        return quantities(held);
    }
    // end::cart[]

    private static Map<String, Long> quantities(Map<String, String> hash) {
        Map<String, Long> quantities = new LinkedHashMap<>();
        hash.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(line -> quantities.put(line.getKey(), Long.parseLong(line.getValue())));
        return quantities;
    }
}
