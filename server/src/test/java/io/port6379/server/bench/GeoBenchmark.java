// What GEOADD and GEOSEARCH BYRADIUS cost on a GEO set of 100 000 points spread over Europe.
package io.port6379.server.bench;

import io.port6379.datastructures.Clock;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.main.Port6379;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Through the dispatcher, on one GEO set of 100 000 random points between 35°N and 60°N, 10°W and 30°E (about
 * one point per 40 km²): {@code geoadd} moves one of them to a new random place (a geohash, then a ZADD that
 * updates the score in the skip list), and
 * {@code geosearch} asks GEOSEARCH ... BYRADIUS r km ASC around a random point of that area, for a radius of
 * 10 km (a handful of points) or 100 km (a few hundred), so the figure includes the nine cells' range scans, the
 * distance of every candidate, the sort and the reply.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GeoBenchmark {

    private static final int POINTS = 100_000;

    @Param({"10", "100"})
    public int radiusKm;

    private final RespWriter reply = new RespWriter();
    private final SplittableRandom random = new SplittableRandom(6379);
    private ServerContext server;
    private Client client;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] longitude() {
        return bytes(String.format(Locale.ROOT, "%.6f", random.nextDouble(-10, 30)));
    }

    private byte[] latitude() {
        return bytes(String.format(Locale.ROOT, "%.6f", random.nextDouble(35, 60)));
    }

    @Setup
    public void setUp() throws IOException {
        server = Port6379.context(ServerConfig.fromArguments(), Clock.SYSTEM);
        client = Client.detached(1, server);
        for (int i = 0; i < POINTS; i++) {
            server.execute(client, new byte[][] {bytes("GEOADD"), bytes("europe"), longitude(), latitude(), bytes("p" + i)}, reply);
            reply.clear();
        }
    }

    @Benchmark
    public int geoadd() {
        byte[][] command = {bytes("GEOADD"), bytes("europe"), longitude(), latitude(), bytes("p" + random.nextInt(POINTS))};
        server.execute(client, command, reply);
        int size = reply.size();
        reply.clear();
        return size;
    }

    @Benchmark
    public int geosearch() {
        byte[][] command = {bytes("GEOSEARCH"), bytes("europe"), bytes("FROMLONLAT"), longitude(), latitude(),
            bytes("BYRADIUS"), bytes(Integer.toString(radiusKm)), bytes("km"), bytes("ASC")};
        server.execute(client, command, reply);
        int size = reply.size();
        reply.clear();
        return size;
    }
}
