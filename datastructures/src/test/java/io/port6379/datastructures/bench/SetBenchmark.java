// JMH: SADD and SINTER on hashtable-encoded sets of 1 k and 100 k members.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Two sets {@code member:<n>} of N members each, overlapping by half. SINTER is O(N) in the smaller set.
 * Run with {@code bench/jmh datastructures SetBenchmark -f 1 -wi 2 -i 3 -w 1 -r 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SetBenchmark {

    @Param({"1000", "100000"})
    public int size;

    private RedisSet first;
    private RedisSet second;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fill() {
        first = new RedisSet();
        second = new RedisSet();
        for (int i = 0; i < size; i++) {
            first.add(Bytes.of("member:" + i), EncodingLimits.REDIS_DEFAULTS);
            second.add(Bytes.of("member:" + (i + size / 2)), EncodingLimits.REDIS_DEFAULTS);
        }
    }

    /** SADD of a new member, then SREM of it, so that the size stays N. */
    @Benchmark
    public boolean saddNewMemberThenSrem() {
        Bytes fresh = Bytes.of("new:" + random.nextInt(1_000_000));
        first.add(fresh, EncodingLimits.REDIS_DEFAULTS);
        return first.remove(fresh);
    }

    @Benchmark
    public boolean sismember() {
        return first.contains(Bytes.of("member:" + random.nextInt(size)));
    }

    @Benchmark
    public RedisSet sinter() {
        return RedisSet.intersection(List.of(first, second), EncodingLimits.REDIS_DEFAULTS);
    }
}
