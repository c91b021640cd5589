// The allow-stale and no-cluster script flags, on a stale replica and in cluster mode, against a real redis-server 7.0.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A script that declares its flags runs on a replica whose link to its master is down (and that does not serve
 * stale data) only with {@code allow-stale}, and then only commands allowed on a stale replica; {@code no-cluster}
 * refuses a script in cluster mode. Each server pair is started here with the settings the case needs.
 */
class ScriptFlagsTest {

    @Test
    void allowStaleLetsAScriptRunOnAStaleReplicaAsInRedis() throws Exception {
        try (BothServers servers = BothServers.start()) {
            CompatibilityTest.runScript(servers, "script-flags-stale.redis");
        }
    }

    @Test
    void noClusterRefusesAScriptInClusterModeAsRedisDoes() throws Exception {
        List<String[]> commands = List.of(
                new String[]{"EVAL", "#!lua flags=no-cluster\nreturn 1", "0"},
                new String[]{"EVAL", "#!lua flags=no-cluster,no-writes\nreturn 1", "0"},
                new String[]{"EVAL", "#!lua flags=no-writes\nreturn 1", "0"},
                new String[]{"EVAL", "return 1", "0"},
                new String[]{"FUNCTION", "LOAD", "#!lua name=nc\nredis.register_function{function_name='f', "
                        + "callback=function() return 1 end, flags={'no-cluster'}}\nredis.register_function{function_name"
                        + "='ok', callback=function() return 2 end, flags={'no-writes'}}"},
                new String[]{"FCALL", "f", "0"},
                new String[]{"FCALL_RO", "f", "0"},
                new String[]{"FCALL", "ok", "0"});
        try (RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes-flags.conf");
             TestServer ours = TestServer.start("--cluster-enabled", "yes");
             RespConnection real = new RespConnection(redis.port());
             RespConnection mine = new RespConnection(ours.port())) {
            for (String[] command : commands) {
                assertEquals(real.call(command), mine.call(command), String.join(" ", command));
            }
        }
    }
}
