// A flag is off unless switched on for everybody or for the user asking.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureFlagsTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void anUnknownFlagIsOff(String server) throws Exception {
        FeatureFlags flags = new FeatureFlags(servers.fresh(server));
        assertFalse(flags.isEnabled("new-checkout", "alice"));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void earlyUsersSeeAFlagThatIsOffForEverybodyElse(String server) throws Exception {
        FeatureFlags flags = new FeatureFlags(servers.fresh(server));
        flags.set("new-checkout", false);
        flags.enableFor("new-checkout", "alice");
        assertTrue(flags.isEnabled("new-checkout", "alice"));
        assertFalse(flags.isEnabled("new-checkout", "bob"));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void switchingAFlagOnReachesEveryInstanceAtOnce(String server) throws Exception {
        Jedis admin = servers.fresh(server);
        FeatureFlags instanceA = new FeatureFlags(servers.connect(server));
        FeatureFlags instanceB = new FeatureFlags(servers.connect(server));
        assertFalse(instanceA.isEnabled("dark-mode", "bob"));
        new FeatureFlags(admin).set("dark-mode", true);
        assertTrue(instanceA.isEnabled("dark-mode", "bob"));
        assertTrue(instanceB.isEnabled("dark-mode", "carol"));
        new FeatureFlags(admin).set("dark-mode", false);
        assertFalse(instanceB.isEnabled("dark-mode", "carol"));
        assertEquals(Map.of("dark-mode", "off"), admin.hgetAll("flags"));
    }
}
