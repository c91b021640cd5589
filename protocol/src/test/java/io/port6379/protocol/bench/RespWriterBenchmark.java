// How fast typical replies are encoded into the reusable buffer: the last hot path before the socket write.
package io.port6379.protocol.bench;

import io.port6379.protocol.RespWriter;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One thousand replies of each typical shape, written into one writer and cleared, as a pipelined batch is.
 * Times are per reply. Run: {@code bench/jmh protocol RespWriterBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RespWriterBenchmark {

    private static final int REPLIES = 1000;

    private final RespWriter writer = new RespWriter();
    private byte[] value64;
    private byte[][] mgetValues;

    @Setup
    public void values() {
        value64 = "v".repeat(64).getBytes(StandardCharsets.US_ASCII);
        mgetValues = new byte[100][];
        for (int i = 0; i < 100; i++) {
            mgetValues[i] = ("value:" + i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Benchmark
    @OperationsPerInvocation(REPLIES)
    public int ok() {
        writer.clear();
        for (int i = 0; i < REPLIES; i++) {
            writer.simpleString("OK");
        }
        return writer.size();
    }

    @Benchmark
    @OperationsPerInvocation(REPLIES)
    public int integer() {
        writer.clear();
        for (int i = 0; i < REPLIES; i++) {
            writer.integer(1_000_000L + i);
        }
        return writer.size();
    }

    @Benchmark
    @OperationsPerInvocation(REPLIES)
    public int bulk64() {
        writer.clear();
        for (int i = 0; i < REPLIES; i++) {
            writer.bulkString(value64);
        }
        return writer.size();
    }

    @Benchmark
    @OperationsPerInvocation(REPLIES)
    public int mgetReplyOf100() {
        writer.clear();
        for (int i = 0; i < REPLIES; i++) {
            writer.arrayHeader(mgetValues.length);
            for (byte[] value : mgetValues) {
                writer.bulkString(value);
            }
        }
        return writer.size();
    }

    @Benchmark
    @OperationsPerInvocation(REPLIES)
    public int zscoreDouble() {
        writer.clear();
        for (int i = 0; i < REPLIES; i++) {
            writer.doubleValue(i + 0.5);
        }
        return writer.size();
    }
}
