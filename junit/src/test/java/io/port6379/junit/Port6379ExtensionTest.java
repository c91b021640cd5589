// @Port6379 on a class: one server, injected into fields and parameters, reset after each test.
package io.port6379.junit;

import io.port6379.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

@Port6379(config = {"maxmemory 64mb", "maxmemory-policy allkeys-lru"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Port6379ExtensionTest {

    @Port6379
    static URI uri;
    @Port6379
    static int port;
    @Port6379
    EmbeddedServer server;

    @Test
    @Order(1)
    void fieldsAndParametersGetTheClassServer(EmbeddedServer parameter, URI uriParameter) {
        assertSame(server, parameter);
        assertEquals(uri, uriParameter);
        assertEquals(server.port(), port);
        try (Jedis jedis = new Jedis(uri)) {
            assertEquals("PONG", jedis.ping());
            assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
            jedis.set("left-by-the-first-test", "1");
            jedis.configSet("maxmemory-policy", "noeviction");
        }
    }

    @Test
    @Order(2)
    void theNextTestFindsTheServerAsItStarted() {
        try (Jedis jedis = new Jedis(uri)) {
            assertNull(jedis.get("left-by-the-first-test"));
            assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
        }
    }
}
