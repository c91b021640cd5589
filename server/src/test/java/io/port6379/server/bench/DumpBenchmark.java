// What DUMP and RESTORE cost without the network: a 1000-member sorted set and a 1 KB string, each way.
package io.port6379.server.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.ZAddOptions;
import io.port6379.server.persistence.DumpPayload;
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

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code dump} builds the payload ({@link DumpPayload#create}: the RDB value, the version, the CRC-64) and
 * {@code restore} checks and loads one ({@link DumpPayload#verify}, {@link DumpPayload#load}). The sorted set has
 * 1000 members {@code member:<n>} with random scores, so it is a skip list written as ZSET_2; the string is 1 KB
 * of random bytes, which LZF cannot shrink. {@code rdbcompression} is on, as by default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DumpBenchmark {

    @Param({"zset1000", "string1k"})
    public String value;

    private RedisValue stored;
    private byte[] payload;
    private final byte[] key = "k".getBytes(StandardCharsets.US_ASCII);

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        if (value.equals("zset1000")) {
            RedisSortedSet zset = new RedisSortedSet();
            for (int i = 0; i < 1000; i++) {
                zset.add(random.nextDouble() * 1000, Bytes.of(("member:" + i).getBytes(StandardCharsets.US_ASCII)),
                        ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
            }
            stored = zset;
        } else {
            byte[] bytes = new byte[1024];
            random.nextBytes(bytes);
            stored = new RedisString(bytes);
        }
        payload = DumpPayload.create(stored, true);
    }

    @Benchmark
    public byte[] dump() {
        return DumpPayload.create(stored, true);
    }

    @Benchmark
    public RedisValue restore() {
        return DumpPayload.verify(payload) ? DumpPayload.load(payload, key, EncodingLimits.REDIS_DEFAULTS, false) : null;
    }
}
