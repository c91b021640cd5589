// LPUSH then RPOP on a list used as a queue, at a steady length: the O(1) ends of the ring buffer.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.RedisList;
import java.util.concurrent.TimeUnit;
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

/** One LPUSH and one RPOP per operation on a list that stays at {@code length} elements. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ListBenchmark {

    @Param({"100", "1000000"})
    int length;

    private RedisList list;
    private final byte[] element = "element".getBytes();

    @Setup
    public void fill() {
        list = new RedisList();
        for (int i = 0; i < length; i++) {
            list.pushLeft(element);
        }
    }

    @Benchmark
    public byte[] lpushRpop() {
        list.pushLeft(element);
        return list.popRight();
    }

    @Benchmark
    public byte[] lindexMiddle() {
        return list.get(length / 2);
    }
}
