// JMH: a stream's node index as a radix tree (Rax) and as a TreeMap of IDs: lookups of the node holding an ID, appends.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.Rax;
import io.port6379.datastructures.StreamId;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
 * N node keys as XADD makes them (one node per 100 entries, one entry per millisecond from 1 700 000 000 000), in
 * both indexes. floor: the node that holds a random ID (XRANGE's start, XDEL, XCLAIM's lookups). tail: the last
 * node (every XADD). newNode: a key added at the end and the first removed (every 100th XADD of a stream capped by
 * MAXLEN ~).
 * Run with {@code bench/jmh datastructures RaxBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RaxBenchmark {

    private static final long BASE = 1_700_000_000_000L;

    @Param({"10000", "1000000"})
    public int nodes;

    private final Rax<Object> rax = new Rax<>();
    private final TreeMap<StreamId, Object> tree = new TreeMap<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private long nextRax;
    private long nextTree;
    private long firstRax;
    private long firstTree;

    @Setup(Level.Trial)
    public void fill() {
        for (int i = 0; i < nodes; i++) {
            StreamId id = new StreamId(BASE + 100L * i, 0);
            rax.put(id.raxKey(), id);
            tree.put(id, id);
        }
        nextRax = nextTree = nodes;
    }

    @Benchmark
    public Object raxFloor() {
        StreamId id = new StreamId(BASE + random.nextLong(100L * nodes), 0);
        return rax.floorValue(id.raxKey());
    }

    @Benchmark
    public Object treeMapFloor() {
        StreamId id = new StreamId(BASE + random.nextLong(100L * nodes), 0);
        return tree.floorEntry(id).getValue();
    }

    @Benchmark
    public Object raxTail() {
        return rax.lastValue();
    }

    @Benchmark
    public Object treeMapTail() {
        return tree.lastEntry().getValue();
    }

    @Benchmark
    public Object raxNewNode() {
        StreamId id = new StreamId(BASE + 100L * nextRax++, 0);
        rax.put(id.raxKey(), id);
        return rax.remove(new StreamId(BASE + 100L * firstRax++, 0).raxKey());
    }

    @Benchmark
    public Object treeMapNewNode() {
        StreamId id = new StreamId(BASE + 100L * nextTree++, 0);
        tree.put(id, id);
        return tree.remove(new StreamId(BASE + 100L * firstTree++, 0));
    }
}
