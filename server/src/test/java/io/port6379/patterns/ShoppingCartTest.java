// Quantities add up per product, every change renews the cart's TTL, and a cart is checked out once only.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShoppingCartTest {

    private static final long WEEK = 7 * 24 * 3600;

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void quantitiesAddUpPerProductAndAZeroRemovesTheLine(String server) throws Exception {
        ShoppingCart cart = new ShoppingCart(servers.fresh(server), "u1", WEEK);
        assertEquals(1, cart.add("sku:42", 1));
        assertEquals(3, cart.add("sku:42", 2));
        assertEquals(1, cart.add("sku:7", 1));
        assertEquals(Map.of("sku:42", 3L, "sku:7", 1L), cart.contents());
        assertEquals(0, cart.add("sku:7", -1));
        cart.remove("sku:missing");
        assertEquals(Map.of("sku:42", 3L), cart.contents());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void everyChangeRenewsTheCartsTimeToLive(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        ShoppingCart cart = new ShoppingCart(redis, "u1", WEEK);
        cart.add("sku:42", 1);
        redis.expire("cart:u1", 10); // as if the week had nearly passed
        cart.add("sku:7", 1);
        long ttl = redis.ttl("cart:u1");
        assertTrue(ttl > WEEK - 60 && ttl <= WEEK, "TTL " + ttl);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aCartIsCheckedOutOnceOnly(String server) throws Exception {
        Jedis redis = servers.fresh(server);
        ShoppingCart cart = new ShoppingCart(redis, "u1", WEEK);
        cart.add("sku:42", 3);
        assertEquals(Map.of("sku:42", 3L), cart.checkout());
        assertEquals(Map.of(), cart.checkout());
        assertEquals(0, redis.exists("cart:u1") ? 1 : 0);
    }
}
