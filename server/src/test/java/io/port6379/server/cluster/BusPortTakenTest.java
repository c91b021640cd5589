// A node whose cluster bus port is taken stops, as redis-server does, instead of serving unseen by its peers.
package io.port6379.server.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.server.embedded.EmbeddedServer;
import io.port6379.testing.RealRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class BusPortTakenTest {

    @Test
    void aNodeThatCannotListenOnItsBusPortStops() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String busPort = Integer.toString(taken.getLocalPort());
            IOException real = assertThrows(IOException.class,
                    () -> RealRedis.start("--cluster-enabled", "yes", "--cluster-port", busPort).close());
            assertTrue(real.getMessage().contains("Failed listening on port " + busPort + " (cluster), aborting."),
                    real.getMessage());

            EmbeddedServer ours = EmbeddedServer.builder().temporaryDataDirectory().config("cluster-enabled", "yes")
                    .config("cluster-port", busPort).start();
            try {
                ClusterHarness.await("our node to stop", 30, ours::isStopped);
            } finally {
                ours.stopNow();
            }
        }
    }
}
