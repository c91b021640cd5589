// The per-command latency histogram: percentiles as an exact sort would give them, to the histogram's resolution.
package io.port6379.server.stats;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramProperties {

    // The law of hdr_value_at_percentile: the answer is the highest value equivalent to the k-th smallest recorded
    // value, k = round(p% of the count), at least 1.
    @Property(tries = 300)
    void percentileIsTheKthSmallestValueToTheHistogramsResolution(@ForAll("durations") List<Long> values,
                                                                  @ForAll @DoubleRange(min = 0, max = 100) double p) {
        LatencyHistogram histogram = new LatencyHistogram();
        values.forEach(histogram::record);
        List<Long> sorted = values.stream().map(v -> Math.clamp(v, LatencyHistogram.LOWEST, LatencyHistogram.HIGHEST))
                .sorted().toList();
        int k = (int) Math.max(1, (long) (p / 100 * values.size() + 0.5));
        assertEquals(LatencyHistogram.highestEquivalentValue(sorted.get(k - 1)), histogram.valueAtPercentile(p));
    }

    // Two significant digits: a value reads back no lower and less than 1% higher.
    @Property(tries = 1000)
    void aValueReadsBackWithinOnePercent(@ForAll("durations") List<Long> values) {
        for (long v : values) {
            long clamped = Math.clamp(v, LatencyHistogram.LOWEST, LatencyHistogram.HIGHEST);
            long read = LatencyHistogram.highestEquivalentValue(clamped);
            assertTrue(read >= clamped && read - clamped <= clamped / 100, v + " read back as " + read);
        }
    }

    @Provide
    Arbitrary<List<Long>> durations() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, 2_000_000_000L),
                Arbitraries.longs().between(0, 100_000).map(us -> us * 1000)).list().ofMinSize(1).ofMaxSize(300);
    }

    @Example
    void valuesPrintedByRedisServer() {
        // Seen in INFO latencystats of redis-server 7.0.15: calls of 1, 8 and 64 µs, and a FLUSHALL of ~595 ms;
        // then the clamping of 0 to 1 ns and of 5 s to 1 s (whose sub-bucket ends at 1 002 438 655 ns).
        for (long[] recordedAndPrinted : new long[][] {{1000, 1003}, {8000, 8031}, {64000, 64255},
                {595_000_000, 595_591_167}, {0, 1}, {5_000_000_000L, 1_002_438_655}}) {
            LatencyHistogram histogram = new LatencyHistogram();
            histogram.record(recordedAndPrinted[0]);
            assertEquals(recordedAndPrinted[1], histogram.valueAtPercentile(50));
        }
    }
}
