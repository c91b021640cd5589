// JMH: ZADD, ZSCORE and ZRANGE on small sorted sets, listpack against skiplist, to show what the compact form costs.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.ScoredMember;
import io.port6379.datastructures.ZAddOptions;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * A sorted set of {@code size} members {@code member:<n>} with score n, kept as a listpack (Redis's limits) or
 * forced into a skiplist ({@code zset-max-listpack-entries 0}). Run with
 * {@code bench/jmh datastructures SmallSortedSetBenchmark -f 1 -wi 2 -i 3 -w 1 -r 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SmallSortedSetBenchmark {

    /** The limits the operations get; a property or benchmark sets its own. */
    private static EncodingLimits limits = EncodingLimits.REDIS_DEFAULTS;

    @Param({"10", "128"})
    public int size;

    @Param({"listpack", "skiplist"})
    public String encoding;

    private RedisSortedSet zset;
    private Bytes[] members;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fill() {
        limits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(encoding.equals("listpack") ? 128 : 0, 64);
        zset = new RedisSortedSet();
        members = new Bytes[size];
        for (int i = 0; i < size; i++) {
            members[i] = Bytes.of("member:" + i);
            zset.add(i, members[i], ZAddOptions.NONE, limits);
        }
        if (!zset.encoding().equals(encoding)) {
            throw new IllegalStateException("expected " + encoding + ", got " + zset.encoding());
        }
    }

    @TearDown(Level.Trial)
    public void defaultLimits() {
        limits = EncodingLimits.REDIS_DEFAULTS.withSortedSets(128, 64);
    }

    /** ZADD of a new member, then ZREM of it, so that the size (and a 128-member listpack) stays as it is. */
    @Benchmark
    public boolean zaddNewMemberThenZrem() {
        Bytes fresh = Bytes.of("new:" + random.nextInt(1_000_000));
        zset.add(random.nextInt(size), fresh, ZAddOptions.NONE, limits);
        return zset.remove(fresh);
    }

    /** ZADD that moves an existing member to a new random score. */
    @Benchmark
    public RedisSortedSet.AddOutcome zaddUpdateScore() {
        return zset.add(random.nextInt(size) + 0.5, members[random.nextInt(size)], ZAddOptions.NONE, limits);
    }

    @Benchmark
    public Double zscore() {
        return zset.score(members[random.nextInt(size)]);
    }

    /** ZRANGE key 0 -1 WITHSCORES: every element. */
    @Benchmark
    public List<ScoredMember> zrangeAll() {
        return zset.rangeByRank(0, -1, false);
    }

    /** ZRANGE key r r+4: five elements from a random rank. */
    @Benchmark
    public List<ScoredMember> zrange5() {
        int start = random.nextInt(size - 4);
        return zset.rangeByRank(start, start + 4, false);
    }
}
