// One server for a whole test class, started before its first test and stopped after its last.
package io.port6379.server;

import io.port6379.server.network.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * A JUnit extension around {@link TestServer}:
 * {@code @RegisterExtension static final SharedServer server = new SharedServer();} then {@code server.port()}.
 */
final class SharedServer implements BeforeAllCallback, AfterAllCallback {

    private final String[] arguments;
    private TestServer server;

    SharedServer(String... arguments) {
        this.arguments = arguments;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = TestServer.start(arguments);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    int port() {
        return server.port();
    }

    RedisServer server() {
        return server.server();
    }
}
