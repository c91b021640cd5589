// One real redis-server and one connection to it for a whole test class, from before its first test to after its last.
package io.port6379.datastructures;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A JUnit extension around {@link RealRedis} and a {@link RespConnection}:
 * {@code @RegisterExtension static final SharedRealRedis redis = new SharedRealRedis();} then {@code redis.call(...)}.
 * Replies come back in {@link RespConnection#readParsed}'s shapes, errors as {@link RespConnection.Error}. Where
 * the binary is missing, {@link RealRedis#start} fails the class under CI and skips it loudly elsewhere.
 */
final class SharedRealRedis implements BeforeAllCallback, AfterAllCallback {

    private RealRedis redis;
    private RespConnection connection;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis = RealRedis.start();
        connection = new RespConnection(redis.port());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (connection != null) {
            connection.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Sends one command and reads its reply. */
    Object call(Object... args) throws IOException {
        return connection.callParsed(arguments(args));
    }

    /** Sends every command before reading any reply (pipelining), for speed. */
    List<Object> pipeline(List<Object[]> commands) throws IOException {
        for (Object[] command : commands) {
            connection.send(arguments(command));
        }
        List<Object> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(connection.readParsed());
        }
        return replies;
    }

    /**
     * The arguments as RespConnection sends them, one char per byte: a {@code byte[]} as it is, anything else as
     * the UTF-8 bytes of its text, which are the bytes {@link Bytes#of(String)} gives our side of the comparison.
     */
    private static String[] arguments(Object[] args) {
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            byte[] bytes = args[i] instanceof byte[] raw ? raw : args[i].toString().getBytes(StandardCharsets.UTF_8);
            strings[i] = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return strings;
    }
}
