// The eight values of maxmemory-policy: which keys may go, and in what order.
package io.port6379.server.eviction;

import java.util.Locale;

/** Redis's {@code maxmemory-policy}: whether only keys with an expiry may be evicted, and how one is chosen. */
enum EvictionPolicy {
    VOLATILE_LRU(true, Order.LRU),
    VOLATILE_LFU(true, Order.LFU),
    VOLATILE_RANDOM(true, Order.RANDOM),
    VOLATILE_TTL(true, Order.TTL),
    ALLKEYS_LRU(false, Order.LRU),
    ALLKEYS_LFU(false, Order.LFU),
    ALLKEYS_RANDOM(false, Order.RANDOM),
    NOEVICTION(false, Order.NONE);

    /** How candidates are ranked: the pool keeps the best to evict, by idle time, 255 - frequency, or nearest expiry. */
    enum Order { LRU, LFU, TTL, RANDOM, NONE }

    final boolean volatileOnly;
    final Order order;

    EvictionPolicy(boolean volatileOnly, Order order) {
        this.volatileOnly = volatileOnly;
        this.order = order;
    }

    /** The policy a {@code maxmemory-policy} value names ({@code allkeys-lru} ...). */
    static EvictionPolicy named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
