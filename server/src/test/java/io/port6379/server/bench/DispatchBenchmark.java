// The server's hottest path without the network: finding a command by name, and dispatching GET/SET through it.
package io.port6379.server.bench;

import io.port6379.server.main.Port6379;
import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code lookupBytes} is {@link CommandTable#lookup}, which folds letter case while hashing the request's bytes;
 * {@code lookupLowerCaseString} is the obvious alternative, a {@code HashMap} keyed by lower-case names, which
 * allocates a String and its lower-case copy per command. Run with {@code -prof gc} to see the allocation.
 * {@code getDispatched} and {@code setDispatched} run whole commands through the dispatcher, minus the socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DispatchBenchmark {

    private final byte[] name = "GET".getBytes(StandardCharsets.US_ASCII);
    private final byte[][] get = {name, "key:42".getBytes(StandardCharsets.US_ASCII)};
    private final byte[][] set = {"SET".getBytes(StandardCharsets.US_ASCII), "key:42".getBytes(StandardCharsets.US_ASCII),
            "value".getBytes(StandardCharsets.US_ASCII)};
    private final RespWriter reply = new RespWriter();
    private final Map<String, Command> byLowerCaseName = new HashMap<>();
    private ServerContext server;
    private Client client;

    @Setup
    public void setUp() throws IOException {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        client = Client.detached(1, server);
        for (Command command : server.commands().all()) {
            byLowerCaseName.put(command.name(), command);
        }
        server.execute(client, set, reply);
        reply.clear();
    }

    @Benchmark
    public Command lookupBytes() {
        return server.commands().lookup(name);
    }

    @Benchmark
    public Command lookupLowerCaseString() {
        return byLowerCaseName.get(new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT));
    }

    @Benchmark
    public int getDispatched() {
        server.execute(client, get, reply);
        int size = reply.size();
        reply.clear();
        return size;
    }

    @Benchmark
    public int setDispatched() {
        server.execute(client, set, reply);
        int size = reply.size();
        reply.clear();
        return size;
    }
}
