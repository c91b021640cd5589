// How fast requests become commands, against Netty's codec-redis on identical bytes: the first hot path of a server.
package io.port6379.protocol.bench;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import io.port6379.protocol.ProtocolException;
import io.port6379.protocol.RequestDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Three request shapes, each decoded by our {@link RequestDecoder} and by Netty's {@link RedisDecoder} followed by
 * {@link RedisBulkStringAggregator} and {@link RedisArrayAggregator} (the pipeline Netty documents for whole
 * commands), from the same byte array, in one read each, with one decoder kept across invocations as a connection
 * keeps it. Times are per command. Note what each side hands over: we give fresh {@code byte[]} arguments the
 * keyspace can keep; Netty gives reference-counted slices of the input buffer (no payload copy), to be released.
 *
 * <p>Run: {@code bench/jmh protocol RequestDecoderBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestDecoderBenchmark {

    private static final int SET_COMMANDS = 1000;

    private byte[] setPipeline;
    private List<byte[]> setPipelineIn16kReads;
    private byte[] mget;
    private byte[] bulk1mb;
    private RequestDecoder decoder;
    private EmbeddedChannel netty;

    @Setup
    public void encodeRequests() {
        List<List<String>> sets = new ArrayList<>();
        String value = "v".repeat(64);
        for (int i = 0; i < SET_COMMANDS; i++) {
            sets.add(List.of("SET", "key:" + i, value));
        }
        setPipeline = multibulk(sets);
        setPipelineIn16kReads = new ArrayList<>();
        for (int from = 0; from < setPipeline.length; from += 16 * 1024) {
            setPipelineIn16kReads.add(java.util.Arrays.copyOfRange(setPipeline, from, Math.min(setPipeline.length, from + 16 * 1024)));
        }
        List<String> mgetArgs = new ArrayList<>(List.of("MGET"));
        for (int i = 0; i < 100; i++) {
            mgetArgs.add("key:" + i);
        }
        mget = multibulk(List.of(mgetArgs));
        bulk1mb = multibulk(List.of(List.of("SET", "big", "x".repeat(1024 * 1024))));
        decoder = new RequestDecoder();
        netty = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator());
    }

    @TearDown
    public void closeChannel() {
        netty.finishAndReleaseAll();
    }

    @Benchmark
    @OperationsPerInvocation(SET_COMMANDS)
    public void setPipelinePort6379(Blackhole blackhole) throws ProtocolException {
        decodeWithPort6379(setPipeline, blackhole);
    }

    @Benchmark
    @OperationsPerInvocation(SET_COMMANDS)
    public void setPipelineNetty(Blackhole blackhole) {
        decodeWithNetty(setPipeline, blackhole);
    }

    /** The same pipeline in the server's 16 KB reads: commands cut in the middle resume from the decoder's state. */
    @Benchmark
    @OperationsPerInvocation(SET_COMMANDS)
    public void setPipelineIn16kReadsPort6379(Blackhole blackhole) throws ProtocolException {
        for (byte[] read : setPipelineIn16kReads) {
            decodeWithPort6379(read, blackhole);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SET_COMMANDS)
    public void setPipelineIn16kReadsNetty(Blackhole blackhole) {
        for (byte[] read : setPipelineIn16kReads) {
            decodeWithNetty(read, blackhole);
        }
    }

    @Benchmark
    public void mget100KeysPort6379(Blackhole blackhole) throws ProtocolException {
        decodeWithPort6379(mget, blackhole);
    }

    @Benchmark
    public void mget100KeysNetty(Blackhole blackhole) {
        decodeWithNetty(mget, blackhole);
    }

    @Benchmark
    public void bulk1mbPort6379(Blackhole blackhole) throws ProtocolException {
        decodeWithPort6379(bulk1mb, blackhole);
    }

    @Benchmark
    public void bulk1mbNetty(Blackhole blackhole) {
        decodeWithNetty(bulk1mb, blackhole);
    }

    /** Netty's bulk content copied into a {@code byte[]}, as a server must do to keep the value past the read buffer. */
    @Benchmark
    public void bulk1mbNettyCopiedOut(Blackhole blackhole) {
        netty.writeInbound(Unpooled.wrappedBuffer(bulk1mb));
        ArrayRedisMessage command;
        while ((command = netty.readInbound()) != null) {
            for (RedisMessage argument : command.children()) {
                blackhole.consume(ByteBufUtil.getBytes(((FullBulkStringRedisMessage) argument).content()));
            }
            command.release();
        }
    }

    private void decodeWithPort6379(byte[] bytes, Blackhole blackhole) throws ProtocolException {
        decoder.feed(bytes, 0, bytes.length);
        byte[][] command;
        while ((command = decoder.next()) != null) {
            blackhole.consume(command);
        }
    }

    private void decodeWithNetty(byte[] bytes, Blackhole blackhole) {
        netty.writeInbound(Unpooled.wrappedBuffer(bytes));
        Object command;
        while ((command = netty.readInbound()) != null) {
            blackhole.consume(command);
            ReferenceCountUtil.release(command);
        }
    }

    static byte[] multibulk(List<List<String>> commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<String> command : commands) {
            out.writeBytes(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String argument : command) {
                byte[] bytes = argument.getBytes(StandardCharsets.US_ASCII);
                out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(bytes);
                out.writeBytes(new byte[]{'\r', '\n'});
            }
        }
        return out.toByteArray();
    }
}
