// Scripting cases from Redis's own test suite (unit/scripting), compared byte for byte with redis-server.
package io.port6379.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

/**
 * {@code compat/scripting-suite.redis}: what Redis's unit/scripting checks that needs DEBUG (its test suite runs
 * with {@code enable-debug-command yes}), such as DEBUG SET-DISABLE-DENY-SCRIPTS and DEBUG PROTOCOL from a script.
 */
class ScriptSuiteCasesTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @Test
    void scriptingSuiteCasesGiveRedisReplies() throws IOException {
        CompatibilityTest.runScript(servers, "scripting-suite.redis");
    }
}
