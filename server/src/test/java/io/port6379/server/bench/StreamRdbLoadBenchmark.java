// What loading a stream of 1 M entries from its RDB bytes costs: the nodes' listpacks checked and kept as they are.
package io.port6379.server.bench;

import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.StreamId;
import io.port6379.server.persistence.DumpPayload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One stream of 1 000 000 entries of two small fields ({@code sensor} and {@code temp}, integers and short text),
 * in nodes of 100 entries as Redis's defaults cut them, written as its RDB value (a DUMP payload is the value as
 * an RDB file holds it, plus a footer) and read back by the loader with {@code sanitize-dump-payload no}, as a
 * server start-up reads it. Each measured call loads the whole stream once; {@code -prof gc} gives the bytes
 * allocated per load, which do not depend on the machine's load. Measured on a 2-core machine: 711 MB and 299 ms of
 * thread CPU time per load when the loader decoded each node and built it again, 19.5 MB and 60 ms now that it
 * checks the listpacks and keeps them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class StreamRdbLoadBenchmark {

    private static final int ENTRIES = 1_000_000;
    private final byte[] key = "events".getBytes(StandardCharsets.US_ASCII);
    private byte[] payload;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        RedisStream stream = new RedisStream();
        long ms = 1_700_000_000_000L;
        for (int i = 0; i < ENTRIES; i++) {
            ms += random.nextInt(3);
            StreamId id = stream.nextId(null, false, ms);
            stream.append(id, new byte[][] {bytes("sensor"), bytes(Integer.toString(random.nextInt(1000))),
                    bytes("temp"), bytes("t" + random.nextInt(100))}, 4096, 100);
        }
        payload = DumpPayload.create(stream, false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public RedisValue load() {
        return DumpPayload.load(payload, key, EncodingLimits.REDIS_DEFAULTS, false);
    }
}
