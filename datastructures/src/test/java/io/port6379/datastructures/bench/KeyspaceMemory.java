// Measures bytes per key of 1 000 000 string keys key:<n> = value:<n>, to compare with Redis's used_memory.
package io.port6379.datastructures.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Clock;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.ZAddOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.openjdk.jol.info.GraphLayout;

/**
 * Run with the test class path (see datastructures/README.md); arguments: the number of keys, then
 * {@code strings} (the default), {@code ttl} (every string key with an expiry), {@code hash} (small hashes) or
 * {@code zset} (sorted sets of 10 members each). Prints two figures: JOL's exact size of the
 * object graph reachable from the keyspace, and the growth of the live heap after a full GC, which also
 * includes anything else allocated on the way.
 */
public final class KeyspaceMemory {

    private KeyspaceMemory() {
    }

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String mode = args.length > 1 ? args[1] : "strings";
        boolean withTtl = mode.equals("ttl"); // as SET key:<n> value:<n> EX 100000
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = liveHeap(memory);
        Keyspace keyspace = new Keyspace(Clock.SYSTEM);
        for (int i = 0; i < keys; i++) {
            if (mode.equals("hash")) { // as HSET user:<n> name user-<n> visits <n>
                RedisHash hash = new RedisHash();
                hash.put("name".getBytes(), ("user-" + i).getBytes(), EncodingLimits.REDIS_DEFAULTS);
                hash.put("visits".getBytes(), Integer.toString(i).getBytes(), EncodingLimits.REDIS_DEFAULTS);
                keyspace.set(Bytes.of("user:" + i), hash);
            } else if (mode.equals("zset")) { // as ZADD zset:<n> 1 member:1 2 member:2 ... 10 member:10
                RedisSortedSet zset = new RedisSortedSet();
                for (int j = 1; j <= 10; j++) {
                    zset.add(j, Bytes.of("member:" + j), ZAddOptions.NONE, EncodingLimits.REDIS_DEFAULTS);
                }
                keyspace.set(Bytes.of("zset:" + i), zset);
            } else {
                keyspace.set(Bytes.of("key:" + i), RedisString.of("value:" + i),
                        withTtl ? System.currentTimeMillis() + 100_000_000 : -1);
            }
        }
        long after = liveHeap(memory);
        long graph = GraphLayout.parseInstance(keyspace).totalSize();
        System.out.printf("keys: %d%n", keyspace.size());
        System.out.printf("JOL object graph: %d bytes = %.1f bytes/key%n", graph, graph / (double) keys);
        System.out.printf("live heap growth after GC: %d bytes = %.1f bytes/key%n", after - before,
                (after - before) / (double) keys);
        System.out.println(GraphLayout.parseInstance(keyspace).toFootprint().lines()
                .limit(12).reduce("", (a, b) -> a + b + "\n"));
    }

    private static long liveHeap(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
