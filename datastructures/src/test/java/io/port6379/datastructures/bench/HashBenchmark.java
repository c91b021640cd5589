// HSET and HGET on a small hash (listpack, linear search) and a large one (hashtable).
package io.port6379.datastructures.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.RedisHash;
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
 * A hash of {@code fields} fields {@code field:<n>}: 16 and 512 stay listpacks (the last one is the worst
 * case of the linear search), 100 000 is a hashtable.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HashBenchmark {

    @Param({"16", "512", "100000"})
    int fields;

    private RedisHash hash;
    private byte[][] names;
    private final byte[] value = "value".getBytes();
    private int next;

    @Setup
    public void fill() {
        hash = new RedisHash();
        names = new byte[fields][];
        for (int i = 0; i < fields; i++) {
            names[i] = ("field:" + i).getBytes();
            hash.put(names[i], value, EncodingLimits.REDIS_DEFAULTS);
        }
    }

    private byte[] nextField() {
        int i = next;
        next = i + 1 == fields ? 0 : i + 1;
        return names[i];
    }

    @Benchmark
    public byte[] hget() {
        return hash.get(nextField());
    }

    @Benchmark
    public boolean hsetExisting() {
        return hash.put(nextField(), value, EncodingLimits.REDIS_DEFAULTS);
    }
}
