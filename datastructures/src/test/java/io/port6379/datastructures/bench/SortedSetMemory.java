// Measures heap bytes per member of a 1 M-member sorted set (member:<n> with score n), after full GCs.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.ZAddOptions;

/**
 * Heap used with the sorted set minus heap used without it, both after repeated {@code System.gc()}; run on a
 * JDK 21+ with compressed references (any heap under 32 GB), e.g. from the module's test class path:
 * {@code java -cp <test-classes:classes> io.port6379.datastructures.bench.SortedSetMemory 1000000}.
 * The same data in Redis: {@code ZADD z n member:<n>} for every n, then {@code INFO memory} used_memory.
 */
public final class SortedSetMemory {

    private SortedSetMemory() {
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            Runtime rt = Runtime.getRuntime();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = usedAfterGc();
        RedisSortedSet zset = new RedisSortedSet();
        for (int i = 0; i < n; i++) {
            zset.add(i, Bytes.of("member:" + i), ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
        }
        long after = usedAfterGc();
        System.out.printf("members=%d heap=%d bytes per member=%.1f (size check %d)%n",
                n, after - before, (after - before) / (double) n, zset.size());
    }
}
