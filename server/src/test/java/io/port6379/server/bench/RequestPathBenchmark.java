// A connection's work for one pipelined batch, minus the socket: decode 16 commands, run them, write the replies.
package io.port6379.server.bench;

import io.port6379.server.main.Port6379;
import io.port6379.datastructures.Clock;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RequestDecoder;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.ServerContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ClientConnection} does between a read and a write, for the commands {@code redis-benchmark -P 16}
 * sends: the same 16 requests, byte for byte, decoded by {@link RequestDecoder} and executed through
 * {@link ServerContext#execute} into one {@link RespWriter}. Scores are per command. Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} is the garbage one command leaves behind, the number that decides how often the
 * collector pauses the server. Pops are paired with pushes so that the data stays the same size.
 *
 * <pre>bench/jmh server RequestPath -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RequestPathBenchmark {

    private static final int PIPELINE = 16;

    /** redis-benchmark's requests (its default 3-byte value is {@code xxx}); pops alternate with pushes. */
    @Param({"get", "set", "incr", "lpush+lpop", "sadd+spop", "hset", "zadd+zpopmin", "mset", "lrange_100"})
    public String test;

    private final RespWriter replies = new RespWriter();
    private final RequestDecoder decoder = new RequestDecoder();
    private ServerContext server;
    private Client client;
    private byte[] batch;

    @Setup
    public void setUp() throws IOException, ProtocolException {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        client = Client.detached(1, server);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int i = 0; i < PIPELINE; i++) {
            requests.writeBytes(request(i));
        }
        batch = requests.toByteArray();
        for (int i = 0; i < 100; i++) { // the list for LRANGE, and a key for GET
            run("RPUSH", "mylist", "xxx");
        }
        run("SET", "key:__rand_int__", "xxx");
    }

    private byte[] request(int i) {
        return switch (test) {
            case "get" -> resp("GET", "key:__rand_int__");
            case "set" -> resp("SET", "key:__rand_int__", "xxx");
            case "incr" -> resp("INCR", "counter:__rand_int__");
            case "lpush+lpop" -> i % 2 == 0 ? resp("LPUSH", "mylist2", "xxx") : resp("LPOP", "mylist2");
            case "sadd+spop" -> i % 2 == 0 ? resp("SADD", "myset", "element:__rand_int__") : resp("SPOP", "myset");
            case "hset" -> resp("HSET", "myhash", "element:__rand_int__", "xxx");
            case "zadd+zpopmin" -> i % 2 == 0 ? resp("ZADD", "myzset", "0", "element:__rand_int__") : resp("ZPOPMIN", "myzset");
            case "mset" -> resp("MSET", "key:1", "xxx", "key:2", "xxx", "key:3", "xxx", "key:4", "xxx", "key:5", "xxx",
                    "key:6", "xxx", "key:7", "xxx", "key:8", "xxx", "key:9", "xxx", "key:10", "xxx");
            case "lrange_100" -> resp("LRANGE", "mylist", "0", "99");
            default -> throw new IllegalArgumentException(test);
        };
    }

    private void run(String... args) throws ProtocolException {
        byte[] request = resp(args);
        decoder.feed(request, 0, request.length);
        byte[][] command;
        while ((command = decoder.next()) != null) {
            server.execute(client, command, replies);
        }
        replies.clear();
    }

    // tag::batch[]
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int batch() throws ProtocolException {
        decoder.feed(batch, 0, batch.length);
        byte[][] command;
        while ((command = decoder.next()) != null) {
            server.execute(client, command, replies);
        }
        int size = replies.size();
        replies.clear();
        return size;
    }
    // end::batch[]

    private static byte[] resp(String... args) {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return request.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
