// The same pipelined get or set batch through each protocol: decode only, and decode plus run, minus the socket.
package io.port6379.server.memcached;

import io.port6379.datastructures.Clock;
import io.port6379.memcached.TextDecoder;
import io.port6379.memcached.TextReplies;
import io.port6379.memcached.TextRequest;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RequestDecoder;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * 16 requests in one batch, as memcslap's or redis-benchmark's pipeline would send them: {@code get key:N} against
 * {@code *2 $3 GET $5 key:N}, or {@code set key:N 0 0 3 / xxx} against {@code *3 $3 SET $5 key:N $3 xxx}. The
 * {@code decode*} pairs measure the protocols alone; the {@code run*} pairs add the work on the keyspace (a memcached
 * read looks the key up directly, a memcached write runs as the Redis SET through the dispatcher). Scores are per
 * request; run with {@code -prof gc} for the garbage each leaves:
 *
 * <pre>bench/jmh server MemcachedPath -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MemcachedPathBenchmark {

    private static final int PIPELINE = 16;

    @Param({"get", "set"})
    public String test;

    private byte[] textBatch;
    private byte[] respBatch;
    private final TextDecoder textDecoder = new TextDecoder(1 << 20);
    private final RequestDecoder respDecoder = new RequestDecoder();
    private final TextReplies textReplies = new TextReplies();
    private final RespWriter respReplies = new RespWriter();
    private ServerContext server;
    private Client client;
    private TextCommands commands;

    @Setup
    public void setUp() throws java.io.IOException, ProtocolException {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        client = Client.detached(1, server);
        client.authenticated(true);
        commands = new TextCommands(server, client);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteArrayOutputStream resp = new ByteArrayOutputStream();
        for (int i = 0; i < PIPELINE; i++) {
            String key = "key:" + (1000 + i);
            text.writeBytes(bytes(test.equals("get") ? "get " + key + "\r\n" : "set " + key + " 0 0 3\r\nxxx\r\n"));
            resp.writeBytes(test.equals("get") ? resp("GET", key) : resp("SET", key, "xxx"));
            server.execute(client, new byte[][] {bytes("SET"), bytes(key), bytes("xxx")}, respReplies);
        }
        respReplies.clear();
        textBatch = text.toByteArray();
        respBatch = resp.toByteArray();
    }

    // tag::decode[]
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int decodeMemcached() {
        textDecoder.feed(textBatch, 0, textBatch.length);
        int n = 0;
        for (TextRequest request = textDecoder.next(); request != null; request = textDecoder.next()) {
            n += request.keys().length;
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int decodeResp() throws ProtocolException {
        respDecoder.feed(respBatch, 0, respBatch.length);
        int n = 0;
        for (byte[][] command = respDecoder.next(); command != null; command = respDecoder.next()) {
            n += command.length;
        }
        return n;
    }
    // end::decode[]

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int runMemcached() {
        textDecoder.feed(textBatch, 0, textBatch.length);
        for (TextRequest request = textDecoder.next(); request != null; request = textDecoder.next()) {
            commands.execute(request, textReplies);
        }
        int size = (int) textReplies.size();
        textReplies.reset();
        return size;
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int runResp() throws ProtocolException {
        respDecoder.feed(respBatch, 0, respBatch.length);
        for (byte[][] command = respDecoder.next(); command != null; command = respDecoder.next()) {
            server.execute(client, command, respReplies);
        }
        int size = respReplies.size();
        respReplies.clear();
        return size;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] resp(String... args) {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return bytes(request.toString());
    }
}
