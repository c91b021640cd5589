// Lifecycle.PER_METHOD, and an instance field without a class annotation: a new server for each test.
package io.port6379.junit;

import io.port6379.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import redis.clients.jedis.Jedis;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerTestServerTest {

    private static final Set<EmbeddedServer> SEEN = new HashSet<>();

    @Port6379(lifecycle = Port6379.Lifecycle.PER_METHOD)
    @Nested
    class ByClassAnnotation {

        @RepeatedTest(3)
        void eachTestHasItsOwnEmptyServer(EmbeddedServer server) {
            try (Jedis jedis = new Jedis(server.host(), server.port())) {
                assertEquals(0, jedis.dbSize());
                jedis.set("k", "v");
            }
            assertTrue(SEEN.add(server));
        }
    }

    @Nested
    class ByInstanceField {

        @Port6379(config = "databases 2")
        EmbeddedServer server;

        @RepeatedTest(3)
        void eachTestHasItsOwnServer() {
            try (Jedis jedis = new Jedis(server.host(), server.port())) {
                assertEquals("2", jedis.configGet("databases").get("databases"));
            }
            assertTrue(SEEN.add(server));
        }
    }

    @AfterAll
    static void everyServerWasStopped() {
        assertEquals(6, SEEN.size());
        assertTrue(SEEN.stream().allMatch(EmbeddedServer::isStopped));
    }
}
