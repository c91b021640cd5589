// SET and GET of a large value through a connection's path minus the socket: read as the connection reads, run, write.
package io.port6379.server.bench;

import io.port6379.datastructures.Clock;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ClientConnection} does for {@code redis-benchmark -d SIZE -t set,get}: the request read from a
 * stream as the connection reads its socket (16 KB reads fed to the decoder, and the rest of a payload of 32 KB or
 * more read straight into its array), the command run, the reply flushed to a stream that discards it. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per command. A SET
 * must allocate its value once (it is stored); a GET need allocate nothing of its size: the value goes from the
 * keyspace to the stream without a copy in between ({@code RespWriter}'s lent bulk strings).
 *
 * <pre>bench/jmh server LargeValue -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LargeValueBenchmark {

    private static final int READ = 16 * 1024;

    @Param({"10000", "1000000"})
    public int size;

    @Param({"set", "get"})
    public String command;

    private final RespWriter replies = new RespWriter();
    private final byte[] readBuffer = new byte[READ];
    private final RequestDecoder decoder = new RequestDecoder();
    private final OutputStream socket = OutputStream.nullOutputStream();
    private ServerContext server;
    private Client client;
    private byte[] request;

    @Setup
    public void setUp() throws IOException, ProtocolException {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        client = Client.detached(1, server);
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        request = request("SET".getBytes(StandardCharsets.US_ASCII), "key:__rand_int__".getBytes(StandardCharsets.US_ASCII),
                value);
        run(); // the key GET reads
        if (command.equals("get")) {
            request = request("GET".getBytes(StandardCharsets.US_ASCII), "key:__rand_int__".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Benchmark
    public int run() throws ProtocolException, IOException {
        int replied = 0;
        InputStream in = new ByteArrayInputStream(request);
        while (true) {
            int n = decoder.readPayload(in); // the rest of a large argument, straight into its array
            if (n == 0) {
                n = in.read(readBuffer);
                if (n > 0) {
                    decoder.feed(readBuffer, 0, n);
                }
            }
            if (n < 0) {
                break;
            }
            byte[][] args;
            while ((args = decoder.next()) != null) {
                server.execute(client, args, replies);
            }
        }
        replied += replies.size();
        replies.flushTo(socket);
        return replied;
    }

    private static byte[] request(byte[]... args) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            request.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(arg);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return request.toByteArray();
    }
}
