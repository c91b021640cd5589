// BITCOUNT and BITOP a 64-bit word at a time against the same work done one bit at a time.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.Bitmaps;
import java.util.SplittableRandom;
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

/**
 * Two random bitmaps of {@code bytes} bytes. The baselines test one bit at a time, in Redis's bit order, what
 * {@link Bitmaps} does with {@link Long#bitCount} and whole-word AND: the gap is what reading eight bytes as one
 * {@code long} buys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BitmapBenchmark {

    @Param({"1024", "1048576"})
    int bytes;

    private byte[] a;
    private byte[] b;

    @Setup
    public void fill() {
        SplittableRandom random = new SplittableRandom(6379);
        a = new byte[bytes];
        b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            a[i] = (byte) random.nextInt();
            b[i] = (byte) random.nextInt();
        }
    }

    @Benchmark
    public long bitcountWords() {
        return Bitmaps.bitCount(a, 0, bytes - 1, false);
    }

    @Benchmark
    public long bitcountBits() {
        long count = 0;
        for (long bit = 0; bit < bytes * 8L; bit++) {
            count += Bitmaps.getBit(a, bit);
        }
        return count;
    }

    @Benchmark
    public byte[] bitopAndWords() {
        return Bitmaps.bitop(Bitmaps.BitOp.AND, new byte[][] {a, b});
    }

    @Benchmark
    public byte[] bitopAndBits() {
        byte[] result = new byte[bytes];
        for (long bit = 0; bit < bytes * 8L; bit++) {
            if ((Bitmaps.getBit(a, bit) & Bitmaps.getBit(b, bit)) == 1) {
                result[(int) (bit >>> 3)] |= (byte) (1 << (7 - (int) (bit & 7)));
            }
        }
        return result;
    }
}
