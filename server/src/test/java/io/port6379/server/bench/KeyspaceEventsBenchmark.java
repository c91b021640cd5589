// What keyspace notifications cost a write: SET through the dispatcher with notify-keyspace-events off and on.
package io.port6379.server.bench;

import io.port6379.server.main.Port6379;
import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
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
import java.util.concurrent.TimeUnit;

/**
 * {@code setDispatched} runs {@code SET key:42 value} through the dispatcher with {@code notify-keyspace-events}
 * set to {@code classes}. With {@code ""} the write's signal is a bit test and an empty-map check and should
 * allocate nothing beyond SET itself; with {@code KEA} and nobody subscribed, each SET builds two channel names
 * and publishes to no one. Run with {@code -prof gc} to compare the bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class KeyspaceEventsBenchmark {

    @Param({"", "KEA"})
    public String classes;

    private final byte[][] set = {bytes("SET"), bytes("key:42"), bytes("value")};
    private final RespWriter reply = new RespWriter();
    private ServerContext server;
    private Client client;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Setup
    public void setUp() throws IOException {
        server = Port6379.context(ServerConfig.fromArguments("--notify-keyspace-events", classes), Clock.SYSTEM);
        client = Client.detached(1, server);
    }

    @Benchmark
    public int setDispatched() {
        server.execute(client, set, reply);
        int size = reply.size();
        reply.clear();
        return size;
    }
}
