// JMH: ZADD, ZRANK and ZRANGEBYSCORE at 1 k, 100 k and 1 M members, to show the O(log(N)) growth.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Limit;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.ScoreRange;
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

/**
 * The sorted set {@code member:<n>} with score n, as in the memory figure. Each operation picks a random
 * member, so the work is a real descent through the skip list rather than a cached path. Run with
 * {@code bench/jmh datastructures SortedSetBenchmark -f 1 -wi 2 -i 3 -w 1 -r 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SortedSetBenchmark {

    @Param({"1000", "100000", "1000000"})
    public int size;

    private RedisSortedSet zset;
    private Bytes[] members;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fill() {
        zset = new RedisSortedSet();
        members = new Bytes[size];
        for (int i = 0; i < size; i++) {
            members[i] = Bytes.of("member:" + i);
            zset.add(i, members[i], ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
        }
    }

    /** ZADD of a new member, then ZREM of it, so that the size stays N. */
    @Benchmark
    public boolean zaddNewMemberThenZrem() {
        Bytes fresh = Bytes.of("new:" + random.nextInt(1_000_000));
        zset.add(random.nextInt(size), fresh, ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
        return zset.remove(fresh);
    }

    /** ZADD that moves an existing member to a new random score. */
    @Benchmark
    public RedisSortedSet.AddOutcome zaddUpdateScore() {
        return zset.add(random.nextInt(size) + 0.5, members[random.nextInt(size)], ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
    }

    @Benchmark
    public long zrank() {
        return zset.rank(members[random.nextInt(size)], false);
    }

    /** ZRANGEBYSCORE min min+9: a descent plus a walk over 10 members. */
    @Benchmark
    public List<ScoredMember> zrangebyscore10() {
        double min = random.nextInt(size - 10);
        return zset.rangeByScore(new ScoreRange(min, false, min + 9, false), false, Limit.NONE);
    }
}
