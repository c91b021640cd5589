// One real redis-server for a whole test class, started before its first test and stopped after its last.
package io.port6379.datastructures;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.List;

/**
 * A JUnit extension around {@link RealRedis}:
 * {@code @RegisterExtension static final SharedRealRedis redis = new SharedRealRedis();} then {@code redis.call(...)}.
 * Where the binary is missing, {@link RealRedis#start} fails the class under CI and skips it loudly elsewhere.
 */
final class SharedRealRedis implements BeforeAllCallback, AfterAllCallback {

    private RealRedis redis;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis = RealRedis.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (redis != null) {
            redis.close();
        }
    }

    Object call(Object... args) throws IOException {
        return redis.call(args);
    }

    List<Object> pipeline(List<Object[]> commands) throws IOException {
        return redis.pipeline(commands);
    }
}
