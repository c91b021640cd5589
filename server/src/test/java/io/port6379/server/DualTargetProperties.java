// The base of property classes whose laws compare ours with a real redis-server: both servers, once per class.
package io.port6379.server;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A property compares replies for thousands of random inputs, so the two servers are started once for the
 * class and every try works on them (each try begins with FLUSHALL or keys of its own). In CI a missing
 * redis-server fails the class here, as {@link BothServers#start()} does for every dual-target test.
 */
abstract class DualTargetProperties {

    static BothServers servers;

    @BeforeContainer
    static void startBothServers() throws Exception {
        servers = BothServers.start();
    }

    @AfterContainer
    static void stopBothServers() {
        if (servers != null) {
            servers.close();
            servers = null;
        }
    }
}
