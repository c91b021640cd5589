// Runs the recorded command/reply cases (lists, hashes, sets, sorted sets, blocking) against our server.
package io.port6379.server;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every case file of {@link ReplyCases} must get exactly the replies redis-server 7.0.15 gave. */
class CommandCasesTest {

    static final List<String> FILES = ReplyCases.FILES;

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @ParameterizedTest(name = "{0}.cases")
    @FieldSource("FILES")
    void ourServerRepliesAsRecordedFromRedis(String file) throws IOException {
        List<String> mismatches = ReplyCases.load(file).runAgainst(server.port());
        assertEquals("", String.join("\n", mismatches));
    }
}
