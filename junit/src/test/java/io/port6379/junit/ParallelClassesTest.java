// Test classes run in parallel each get a server of their own.
package io.port6379.junit;

import io.port6379.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import redis.clients.jedis.Jedis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class ParallelClassesTest {

    private static final Map<String, Integer> PORTS = new ConcurrentHashMap<>();
    /** Both classes' tests wait here for each other: they run at the same time, or the run fails. */
    private static final CyclicBarrier TOGETHER = new CyclicBarrier(2);

    @Test
    void classesRunInParallelGetSeparateServers() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(First.class), selectClass(Second.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, summary);
        assertEquals(0, summary.getSummary().getTotalFailureCount(), () -> summary.getSummary().getFailures().toString());
        assertEquals(2, summary.getSummary().getTestsSucceededCount());
        assertNotEquals(PORTS.get("first"), PORTS.get("second"));
    }

    private static void writeAndMeet(String name, EmbeddedServer server) throws Exception {
        PORTS.put(name, server.port());
        try (Jedis jedis = new Jedis(server.host(), server.port())) {
            jedis.set("owner", name);
            TOGETHER.await(20, TimeUnit.SECONDS);
            assertEquals(name, jedis.get("owner"), "no other class wrote here");
        }
    }

    @Port6379
    static class First {
        @Test
        void writesItsName(EmbeddedServer server) throws Exception {
            writeAndMeet("first", server);
        }
    }

    @Port6379
    static class Second {
        @Test
        void writesItsName(EmbeddedServer server) throws Exception {
            writeAndMeet("second", server);
        }
    }
}
