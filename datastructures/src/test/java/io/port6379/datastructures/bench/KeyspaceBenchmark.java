// GET and SET on a keyspace of 1 000 or 1 000 000 string keys: the cost of the hash table and lazy expiry check.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Clock;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
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

/** Keys {@code key:<n>} with values {@code value:<n>}, half of them with an expiry far in the future. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class KeyspaceBenchmark {

    @Param({"1000", "1000000"})
    int keys;

    private Keyspace keyspace;
    private Bytes[] names;
    private RedisString value;
    private int next;

    @Setup
    public void fill() {
        keyspace = new Keyspace(Clock.SYSTEM);
        names = new Bytes[keys];
        long later = System.currentTimeMillis() + 3_600_000;
        for (int i = 0; i < keys; i++) {
            names[i] = Bytes.of("key:" + i);
            keyspace.set(names[i], RedisString.of("value:" + i), i % 2 == 0 ? -1 : later);
        }
        value = RedisString.of("new-value");
    }

    private Bytes nextKey() {
        int i = next;
        next = i + 7919 < keys ? i + 7919 : (i + 7919) % keys; // a prime stride: spread over the table
        return names[i];
    }

    @Benchmark
    public RedisValue get() {
        return keyspace.get(nextKey());
    }

    @Benchmark
    public void setKeepTtl() {
        keyspace.setKeepTtl(nextKey(), value);
    }
}
