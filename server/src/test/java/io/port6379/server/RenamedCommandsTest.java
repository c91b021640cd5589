// rename-command as COMMAND INFO and ACL rules see it, compared with a real redis-server given the same directives.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis 7.0 looks COMMAND INFO up by the name a command answers to now but describes it under its original name,
 * and resolves ACL rules by original names, even for a command removed with {@code rename-command x ""}.
 * Fails in CI without redis-server.
 */
class RenamedCommandsTest {

    private static final String[] RENAMES = {"--rename-command", "config", "cfg2", "--rename-command", "flushall", ""};

    private static final String[][] SCRIPT = {
            {"COMMAND", "INFO", "cfg2|get", "config|get", "flushall", "get", "cfg2|nosuch"},
            {"cfg2", "GET", "maxclients"},
            {"CONFIG", "GET", "maxclients"},
            {"ACL", "SETUSER", "ren", "+cfg2"},
            {"ACL", "SETUSER", "ren", "+config|get"},
            {"ACL", "GETUSER", "ren"},
            {"ACL", "SETUSER", "ren3", "+flushall"}, // one single command each: Redis lists several in random order
            {"ACL", "GETUSER", "ren3"},
            {"ACL", "SETUSER", "ren2", "+config", "-config|set"},
            {"ACL", "GETUSER", "ren2"},
    };

    @Test
    void commandInfoAndAclRulesSeeRenamedCommandsAsRedisDoes() throws Exception {
        try (RealRedis redis = RealRedis.start(RENAMES); TestServer ours = TestServer.start(RENAMES)) {
            assertEquals(transcript(redis.port()), transcript(ours.port()));
        }
    }

    private static String transcript(int port) throws IOException {
        StringBuilder out = new StringBuilder();
        try (RespConnection c = new RespConnection(port)) {
            for (String[] command : SCRIPT) {
                out.append(String.join(" ", command)).append(" -> ").append(c.call(command));
            }
        }
        return out.toString();
    }
}
