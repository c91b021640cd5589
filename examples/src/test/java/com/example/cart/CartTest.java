// A Jedis-based class tested against Port 6379 with the JUnit 5 extension: one server for the class, reset per test.
package com.example.cart;

import io.port6379.junit.Port6379;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// tag::jedis[]
@Port6379
class CartTest {

    @Port6379
    static URI redis;
    static RedisClient jedis;

    @BeforeAll
    static void connect() {
        jedis = RedisClient.create(redis);
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    @Test
    void addingTwiceSumsTheQuantities() {
        Cart cart = new Cart(jedis, "ada");
        cart.add("apple", 2);
        assertEquals(5, cart.add("apple", 3));
        assertEquals(Map.of("apple", 5L), cart.items());
    }

    @Test
    void everyTestStartsWithAnEmptyServer() {
        assertEquals(Map.of(), new Cart(jedis, "ada").items());
    }
    // end::jedis[]

    @Test
    void aCartIsForgottenADayAfterItsLastChange() {
        Cart cart = new Cart(jedis, "grace");
        cart.add("pear", 1);
        assertTrue(cart.secondsLeft() > 86_000 && cart.secondsLeft() <= 86_400);
        cart.remove("pear");
        assertEquals(-2, cart.secondsLeft(), "an empty hash is no key, as in Redis");
    }
}
