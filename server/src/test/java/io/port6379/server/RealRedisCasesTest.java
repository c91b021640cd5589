// Proves the recorded command/reply cases: a real redis-server must answer each one exactly as recorded.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The other half of the dual-target check: what {@link CommandCasesTest} demands of our server is what
 * redis-server answers, so no expectation in the case files is made up. Fails in CI without redis-server.
 */
class RealRedisCasesTest {

    static final List<String> FILES = ReplyCases.FILES;

    private static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest(name = "{0}.cases")
    @FieldSource("FILES")
    void realRedisRepliesAsRecorded(String file) throws Exception {
        List<String> mismatches = ReplyCases.load(file).runAgainst(redis.port());
        assertEquals("", String.join("\n", mismatches));
    }
}
