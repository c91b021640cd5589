// redis-cli's inline hints, built from COMMAND DOCS, must be the same with our server as with a real Redis.
package io.port6379.server;

import io.port6379.testing.Binaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * As you type a command, redis-cli 7 prints in grey what may follow, e.g. {@code zadd key [NX|XX] [GT|LT] [CH]
 * [INCR] score member [score member ...]}; it builds those hints from the {@code arguments} of COMMAND DOCS
 * when it connects. Hints are drawn only on a terminal, so each run starts redis-cli inside util-linux's
 * {@code script}, which gives it a pseudo-terminal (200 columns wide, or the hint is cut). The test types a
 * command without Enter and reads the last hint drawn. Fails in CI without redis-cli, script or redis-server.
 */
class RedisCliHintsTest {

    private static final Pattern HINT = Pattern.compile("\u001b\\[0;90;49m([^\u001b]*)\u001b\\[0m");

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @Test
    void hintsAreRedisHints() throws Exception {
        for (String typed : List.of("zadd ", "set k v ", "getex k ", "client list ", "lmpop 2 a b ")) {
            assertEquals(hint(servers.redis().port(), typed), hint(servers.ours().port(), typed), typed);
        }
        assertEquals("key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]",
                hint(servers.ours().port(), "zadd "));
    }

    /** The last hint redis-cli draws after {@code typed}, or an empty string when it draws none. */
    private static String hint(int port, String typed) throws IOException, InterruptedException {
        String cli = Binaries.require("redis-cli").toString();
        Process process = new ProcessBuilder(Binaries.require("script").toString(), "-qfc",
                "stty cols 200 rows 40; " + cli + " -p " + port, "/dev/null").redirectErrorStream(true).start();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), screen));
        try (OutputStream keyboard = process.getOutputStream()) {
            awaitOutput(screen, port + "> ");
            keyboard.write(typed.getBytes(StandardCharsets.US_ASCII));
            keyboard.flush();
            awaitOutput(screen, "> " + typed);
            Thread.sleep(200); // the hint is drawn right after the echo of the last key
        } finally {
            process.destroyForcibly().waitFor();
            reader.join(2_000);
        }
        String last = "";
        Matcher hints = HINT.matcher(screen.toString(StandardCharsets.ISO_8859_1));
        while (hints.find()) {
            last = hints.group(1);
        }
        return last;
    }

    private static void awaitOutput(ByteArrayOutputStream screen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!screen.toString(StandardCharsets.ISO_8859_1).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("redis-cli did not print \"" + text + "\": " + screen);
            }
            Thread.sleep(20);
        }
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = from.read(buffer)) > 0; ) {
                to.write(buffer, 0, n); // ByteArrayOutputStream is synchronized: the test thread reads it meanwhile
            }
        } catch (IOException closed) {
            // redis-cli has exited
        }
    }
}
