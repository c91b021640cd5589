// What SORT costs on a 1000-element list: numbers (strtod per element) against ALPHA (byte comparison).
package io.port6379.server.bench;

import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * SORT through the dispatcher on a list of 1000 random elements: {@code numeric} parses every element as a
 * double (integers and decimals) and sorts the numbers; {@code alpha} sorts random words by their bytes. Both
 * write the whole sorted reply, so the figure includes 1000 bulk strings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SortBenchmark {

    @Param({"numeric", "alpha"})
    public String order;

    private final RespWriter reply = new RespWriter();
    private byte[][] sort;
    private ServerContext server;
    private Client client;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Setup
    public void setUp() throws IOException {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        client = Client.detached(1, server);
        SplittableRandom random = new SplittableRandom(6379);
        for (int i = 0; i < 1000; i++) {
            String element = order.equals("numeric")
                    ? (random.nextBoolean() ? Integer.toString(random.nextInt(-100_000, 100_000)) : random.nextInt(1000) / 8.0 + "")
                    : Long.toString(random.nextLong() >>> 1, 36);
            server.execute(client, new byte[][] {bytes("RPUSH"), bytes("list"), bytes(element)}, reply);
        }
        reply.clear();
        sort = order.equals("numeric")
                ? new byte[][] {bytes("SORT"), bytes("list")}
                : new byte[][] {bytes("SORT"), bytes("list"), bytes("ALPHA")};
    }

    @Benchmark
    public int sort() {
        server.execute(client, sort, reply);
        int size = reply.size();
        reply.clear();
        return size;
    }
}
