// How fast the server turns request bytes into commands: the first hot path of every request.
package io.port6379.protocol.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Decoding 1 000 pipelined {@code SET key:<n> <64-byte value>} commands, reported per command. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestDecoderBenchmark {

    private static final int COMMANDS = 1000;
    private byte[] pipeline;

    @Setup
    public void encodePipeline() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String value = "v".repeat(64);
        for (int i = 0; i < COMMANDS; i++) {
            String key = "key:" + i;
            String command = "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$64\r\n" + value + "\r\n";
            out.writeBytes(command.getBytes(StandardCharsets.US_ASCII));
        }
        pipeline = out.toByteArray();
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public void decodeSetPipeline(Blackhole blackhole) throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder();
        decoder.feed(pipeline, 0, pipeline.length);
        byte[][] command;
        while ((command = decoder.next()) != null) {
            blackhole.consume(command);
        }
    }
}
