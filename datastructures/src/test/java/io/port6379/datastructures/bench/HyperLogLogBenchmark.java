// JMH: PFADD and PFCOUNT on a sparse and on a dense HyperLogLog, with and without the copy a command makes.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.HyperLogLog;
import java.nio.charset.StandardCharsets;
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
 * A HyperLogLog of {@code elements} distinct elements {@code element:<n>}: 500 leave it sparse (about 1.5 KB),
 * 100 000 make it dense (12 KB). The command-shaped benchmarks do what PFADD and PFCOUNT do with a stored string:
 * a working copy, the change, the new string. Run with
 * {@code bench/jmh datastructures HyperLogLogBenchmark -f 1 -wi 2 -i 3 -w 1 -r 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HyperLogLogBenchmark {

    @Param({"500", "100000"})
    public int elements;

    private byte[] stored;
    private byte[] stale;
    private HyperLogLog working;
    private byte[][] fresh;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        HyperLogLog hll = HyperLogLog.create();
        for (int i = 0; i < elements; i++) {
            hll.add(("element:" + i).getBytes(StandardCharsets.US_ASCII));
        }
        hll.count();
        stored = hll.bytes();
        hll.invalidateCache();
        stale = hll.bytes();
        working = HyperLogLog.of(stored);
        SplittableRandom random = new SplittableRandom(42);
        fresh = new byte[4096][];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = ("new:" + random.nextLong()).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private byte[] nextElement() {
        next = (next + 1) & (fresh.length - 1);
        return fresh[next];
    }

    /** PFADD key element, as the command does it: copy the stored string, add, make the new string. */
    @Benchmark
    public byte[] pfadd() {
        HyperLogLog hll = HyperLogLog.of(stored);
        hll.add(nextElement());
        return hll.bytes();
    }

    /** The add alone, on a working copy that lives across calls (it is dense, or soon becomes dense). */
    @Benchmark
    public int addOnly() {
        return working.add(nextElement());
    }

    /** PFCOUNT with a valid cache: eight bytes read. */
    @Benchmark
    public long pfcountCached() {
        return HyperLogLog.cachedCount(stored);
    }

    /** PFCOUNT after a change: the histogram of the 16384 registers and the estimator, plus the copy. */
    @Benchmark
    public long pfcountStale() {
        return HyperLogLog.of(stale).count();
    }
}
