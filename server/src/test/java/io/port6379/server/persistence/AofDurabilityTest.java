// The crash test: the server process is SIGKILLed at a random moment and every acknowledged write survives.
package io.port6379.server.persistence;

import io.port6379.server.main.Main;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers send {@code SET w<writer>:<n> <n>} one at a time and note the last {@code n} acknowledged; the server
 * process is killed with SIGKILL (no shutdown hook runs, nothing is flushed) after a random delay, restarted on
 * the same directory, and every acknowledged key must be there with its value. Each restart is also the next
 * round's server, so 20 rounds cost 21 process starts.
 */
class AofDurabilityTest {

    private static final int ROUNDS = 20;
    private static final int WRITERS = 2;

    @TempDir
    Path dir;

    @Test
    void withAppendfsyncAlwaysEveryAcknowledgedWriteSurvivesSigkill() throws Exception {
        Result result = crashRounds("always", ROUNDS);
        System.out.printf("AOF durability (appendfsync always): %d rounds, %d acknowledged writes, %d lost%n",
                ROUNDS, result.acknowledged, result.lost);
        assertEquals(0, result.lost, "acknowledged writes lost");
        assertTrue(result.acknowledged > ROUNDS * WRITERS, "the writers got writes acknowledged in every round");
    }

    @Test
    void withAppendfsyncEverysecASigkillLosesNothingEitherBecauseTheWriteHappensBeforeTheReply() throws Exception {
        // everysec fsyncs once a second, but the write(2) to the file still happens before any reply is sent, as in
        // Redis: killing the process leaves the data in the kernel's page cache. Only an OS crash or power loss
        // can drop the last second, which a test cannot provoke.
        Result result = crashRounds("everysec", 5);
        System.out.printf("AOF durability (appendfsync everysec): %d rounds, %d acknowledged writes, %d lost%n",
                5, result.acknowledged, result.lost);
        assertEquals(0, result.lost, "acknowledged writes lost");
    }

    private record Result(long acknowledged, long lost) {
    }

    private Result crashRounds(String fsync, int rounds) throws Exception {
        long[] next = new long[WRITERS]; // the first n each writer has not written yet
        long acknowledged = 0;
        long lost = 0;
        Process server = start(fsync);
        try {
            for (int round = 0; round < rounds; round++) {
                int port = port(server);
                List<Thread> writers = new ArrayList<>();
                AtomicLong[] lastAcked = new AtomicLong[WRITERS];
                for (int w = 0; w < WRITERS; w++) {
                    lastAcked[w] = new AtomicLong(next[w] - 1);
                    int writer = w;
                    writers.add(Thread.ofPlatform().start(() -> write(port, writer, next[writer], lastAcked[writer])));
                }
                Thread.sleep(50 + ThreadLocalRandom.current().nextInt(150));
                server.destroyForcibly(); // SIGKILL
                server.waitFor();
                for (Thread writer : writers) {
                    writer.join();
                }
                server = start(fsync);
                try (RespConnection client = new RespConnection(port(server))) {
                    for (int w = 0; w < WRITERS; w++) {
                        for (long n = next[w]; n <= lastAcked[w].get(); n++) {
                            acknowledged++;
                            if (!Long.toString(n).equals(client.callParsed("GET", "w" + w + ":" + n))) {
                                lost++;
                            }
                        }
                        next[w] = lastAcked[w].get() + 2; // the write in flight at the kill may or may not be there
                    }
                }
            }
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
        return new Result(acknowledged, lost);
    }

    /** One writer: SET after SET until the connection dies; {@code lastAcked} holds the last n answered +OK. */
    private static void write(int port, int writer, long from, AtomicLong lastAcked) {
        try (RespConnection client = new RespConnection(port)) {
            for (long n = from; ; n++) {
                Object reply = client.callParsed("SET", "w" + writer + ":" + n, Long.toString(n));
                if (!"OK".equals(reply)) {
                    throw new AssertionError("SET answered " + reply);
                }
                lastAcked.set(n);
            }
        } catch (IOException killed) {
            // the server died: the round is over
        }
    }

    private final java.util.Map<Process, Integer> ports = new java.util.HashMap<>();

    private int port(Process server) {
        return ports.get(server);
    }

    /** Starts the server as a separate JVM on a free port, with the AOF on in {@link #dir}; returns once it accepts. */
    private Process start(String fsync) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--appendonly", "yes", "--appendfsync", fsync);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        ports.put(process, port);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("the server did not start; see " + dir.resolve("server.log"), notYet);
                }
                Thread.sleep(10);
            }
        }
    }
}
