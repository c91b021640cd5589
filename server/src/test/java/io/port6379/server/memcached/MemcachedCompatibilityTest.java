// Dual target: the scripts in resources/memcached/ sent to a real memcached 1.6 and to ours; replies byte for byte.
package io.port6379.server.memcached;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every case of every script runs on a fresh connection to each server, after a {@code flush_all}; each chunk of
 * the case goes out in one write and its replies must be the same bytes, CAS uniques compared by which earlier
 * one they equal (see {@link MemcachedPeers.Conversation}). A failure names the script, the case, its line and
 * both replies. Without memcached the test is skipped loudly; with {@code CI=true} it fails.
 */
class MemcachedCompatibilityTest {

    /** The scripts, one per subject. */
    static final List<String> SCRIPTS = List.of("storage.mc", "retrieval.mc", "arithmetic.mc", "errors.mc",
            "noreply.mc", "expiry.mc", "pipelining.mc", "limits.mc", "meta.mc");

    private static MemcachedPeers peers;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        peers = MemcachedPeers.start();
    }

    @AfterAll
    static void stop() {
        if (peers != null) {
            peers.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseAnswersAsMemcached() throws IOException {
        return SCRIPTS.stream().flatMap(script -> MemcachedPeers.parse(read(script)).stream()
                .map(c -> DynamicTest.dynamicTest(script + ": " + c.name(), () -> run(script, c))));
    }

    private static void run(String script, MemcachedPeers.Case c) throws IOException {
        try (MemcachedPeers.Conversation theirs = peers.toMemcached();
             MemcachedPeers.Conversation ours = peers.toOurs()) {
            byte[] flush = "flush_all\r\n".getBytes(StandardCharsets.US_ASCII);
            theirs.exchange(flush);
            ours.exchange(flush);
            for (int i = 0; i < c.chunks().size(); i++) {
                byte[] chunk = c.chunks().get(i);
                String expected = theirs.exchange(chunk);
                String actual = ours.exchange(chunk);
                assertEquals(expected, actual, script + " line " + c.line() + " (" + c.name() + "), chunk " + (i + 1)
                        + ":\n" + new String(chunk, StandardCharsets.ISO_8859_1));
            }
        }
    }

    static String read(String script) {
        try (InputStream in = MemcachedCompatibilityTest.class.getResourceAsStream("/memcached/" + script)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing script " + script, e);
        }
    }
}
