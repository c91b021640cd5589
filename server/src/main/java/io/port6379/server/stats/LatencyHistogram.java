// One command's latency distribution for INFO latencystats: an HdrHistogram with Redis's parameters, in nanoseconds.
package io.port6379.server.stats;

/*
 * Redis 7 keeps, per command, an HdrHistogram (Gil Tene's High Dynamic Range histogram, vendored as
 * hdr_histogram.c) of its call durations, from 1 ns to 1 s with 2 significant digits, and INFO latencystats prints
 * p50, p99 and p99.9 from it. The idea: exact counts in buckets whose width grows with the value, so that every
 * value is kept to within 1% at a fixed, small memory cost.
 *
 * With 2 significant digits a bucket holds 256 sub-buckets; values below 256 are exact. Each further bucket
 * covers twice the range with half the resolution: [256, 512) in steps of 2, [512, 1024) in steps of 4, and so
 * on, 23 buckets up to 1 s. Only the upper half of each bucket's sub-buckets is new (the lower half overlaps the
 * bucket before), so the counts are one array of 24 * 128 longs. A percentile walks the counts in value order and
 * answers the highest value equivalent to the sub-bucket where the running count reaches it: 1000 ns recorded
 * reads back as 1003, which INFO prints as 1.003 µs, exactly what redis-server prints.
 */

/**
 * An HdrHistogram of values from 1 to 1 000 000 000 (nanoseconds) with 2 significant digits, as Redis's
 * {@code hdr_init(1, 1000000000, 2)}; values outside are clamped, as {@code updateCommandLatencyHistogram} does.
 * Not thread-safe: recorded under the execution lock.
 */
public final class LatencyHistogram {

    static final long LOWEST = 1;
    static final long HIGHEST = 1_000_000_000;
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;   // 128
    private static final int SUB_BUCKET_COUNT = 2 * SUB_BUCKET_HALF_COUNT;                   // 256
    private static final long SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
    private static final int BUCKET_COUNT = bucketsNeeded();

    private final long[] counts = new long[(BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT];
    private long totalCount;

    /** How many buckets reach {@link #HIGHEST}: each doubles the range, starting from 256. */
    private static int bucketsNeeded() {
        long smallestUntrackable = SUB_BUCKET_COUNT;
        int buckets = 1;
        while (smallestUntrackable <= HIGHEST) {
            smallestUntrackable <<= 1;
            buckets++;
        }
        return buckets;
    }

    /** Counts one value, clamped to [1, 1 000 000 000]. O(1). */
    void record(long value) {
        long v = Math.clamp(value, LOWEST, HIGHEST);
        int bucket = bucketIndex(v);
        counts[countsIndex(bucket, (int) (v >>> bucket))]++;
        totalCount++;
    }

    public long totalCount() {
        return totalCount;
    }

    // tag::percentile[]
    /**
     * The value at {@code percentile} (0 to 100), as {@code hdr_value_at_percentile}: the highest value equivalent
     * to the first sub-bucket at which the running count reaches {@code percentile}% of all (rounded, at least 1).
     * 0 when empty. O(buckets).
     */
    public long valueAtPercentile(double percentile) {
        long countAtPercentile = Math.max(1, (long) (Math.min(percentile, 100.0) / 100 * totalCount + 0.5));
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i];
            if (running >= countAtPercentile) {
                return highestEquivalentValue(valueAtIndex(i));
            }
        }
        return 0;
    }
    // end::percentile[]

    /** The bucket of {@code v}: 0 below 256, then one more per doubling. */
    private static int bucketIndex(long v) {
        return 64 - Long.numberOfLeadingZeros(v | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
    }

    private static int countsIndex(int bucket, int subBucket) {
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
    }

    /** The lowest value counted at index {@code i} of the counts. */
    private static long valueAtIndex(int i) {
        int bucket = (i >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (i & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }

    /** The largest value that lands in the same sub-bucket as {@code v}. */
    static long highestEquivalentValue(long v) {
        int bucket = bucketIndex(v);
        int subBucket = (int) (v >>> bucket);
        int adjustedBucket = subBucket >= SUB_BUCKET_COUNT ? bucket + 1 : bucket;
        long lowest = (long) subBucket << bucket;
        return lowest + (1L << adjustedBucket) - 1;
    }

    /**
     * LATENCY HISTOGRAM's cumulative distribution, as Redis's {@code fillCommandCDF} walks {@code hdr_iter_log(1024,
     * 2)}: at each power of two from 1024 ns, the microseconds of the sub-bucket reached (its highest equivalent value)
     * and how many calls took up to that long; a step is listed only when the count grew. Pairs, flattened. O(buckets).
     */
    public java.util.List<long[]> cumulativeByPowersOfTwo() {
        java.util.List<long[]> steps = new java.util.ArrayList<>();
        long level = 1024;
        long levelLowest = lowestEquivalentValue(level);
        long cumulative = 0;
        long previous = 0;
        int index = -1;
        long value = 0;
        while (cumulative < totalCount || (index + 1 < counts.length && valueAtIndex(index + 1) > levelLowest)) {
            while (value < levelLowest || index < 0) {
                if (++index >= counts.length) {
                    return steps;
                }
                cumulative += counts[index];
                value = valueAtIndex(index);
            }
            if (cumulative > previous) {
                steps.add(new long[] {highestEquivalentValue(value) / 1000, cumulative});
            }
            previous = cumulative;
            level *= 2;
            levelLowest = lowestEquivalentValue(level);
        }
        return steps;
    }

    private static long lowestEquivalentValue(long v) {
        int bucket = bucketIndex(v);
        return (v >>> bucket) << bucket;
    }
}
