// A busy script on a server process with one carrier thread (server/jvm.options) still lets others hear BUSY, as Redis.
package io.port6379.server;

import io.port6379.server.main.Main;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server runs with one carrier thread for its virtual threads (server/jvm.options), and a virtual thread is never
 * preempted, so a script in an endless loop must step aside by itself for the connections that answer BUSY, the
 * new ones included, and for SCRIPT KILL. The test processes of the suite have as many carriers as cores, so ours
 * is started here as a process with the options of server/jvm.options that shape the scheduler. Redis's own test
 * suite ("MULTI and script timeout") hung on this before.
 */
class BusyScriptOneCarrierTest {

    private static final String LOOP = "while true do end";

    @Test
    void othersGetBusyAndScriptKillEndsTheLoop() throws Exception {
        List<String> expected;
        try (RealRedis redis = RealRedis.start("--busy-reply-threshold", "10")) {
            expected = busyScenario(redis.port());
        }
        int port = freePort();
        Process ours = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.readPollers=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--busy-reply-threshold", "10")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitForPong(port);
            assertEquals(expected, busyScenario(port));
        } finally {
            ours.destroyForcibly();
        }
        assertTrue(expected.get(0).startsWith("-BUSY"), expected.toString());
    }

    /** A looping script, then PING on an open and on a new connection, SCRIPT KILL, and the script's own reply. */
    private static List<String> busyScenario(int port) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RespConnection looper = new RespConnection(port); RespConnection other = new RespConnection(port)) {
            looper.timeout(10_000);
            other.timeout(10_000);
            looper.send("EVAL", LOOP, "0");
            Thread.sleep(200); // past busy-reply-threshold
            replies.add(other.call("PING"));
            try (RespConnection late = new RespConnection(port)) {
                late.timeout(10_000);
                replies.add(late.call("PING"));
            }
            replies.add(other.call("SCRIPT", "KILL"));
            replies.add(looper.readReply());
            replies.add(looper.call("PING"));
        }
        return replies;
    }

    private static void waitForPong(int port) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (RespConnection c = new RespConnection(port)) {
                if (c.call("PING").equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("ours did not answer PING on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
