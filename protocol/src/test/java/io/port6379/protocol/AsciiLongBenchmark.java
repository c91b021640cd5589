// Whether string2ll's per-digit overflow test costs anything: AsciiLong.parse against the same loop without it.
package io.port6379.protocol;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The headers of a pipelined {@code SET key:<n> <64 bytes>} (1, 2 and 3 digits) and a long number, parsed by
 * {@link AsciiLong#parse} and by a copy of its loop whose overflow test is dropped (safe only for at most 18 digits).
 * Times are per number. Run: {@code bench/jmh protocol AsciiLongBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AsciiLongBenchmark {

    private static final String[] NUMBERS = {"3", "3", "64", "7", "999", "1234567890123"};

    private byte[][] numbers;

    @Setup
    public void encode() {
        numbers = new byte[NUMBERS.length][];
        for (int i = 0; i < NUMBERS.length; i++) {
            numbers[i] = NUMBERS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Benchmark
    @OperationsPerInvocation(6)
    public long string2ll() throws ProtocolException {
        long sum = 0;
        for (byte[] number : numbers) {
            sum += AsciiLong.parse(number, 0, number.length, "error");
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(6)
    public long withoutOverflowTest() throws ProtocolException {
        long sum = 0;
        for (byte[] number : numbers) {
            sum += parseShort(number, 0, number.length);
        }
        return sum;
    }

    /** {@link AsciiLong#parse} for non-negative numbers of at most 18 digits, which cannot overflow. */
    private static long parseShort(byte[] bytes, int from, int to) throws ProtocolException {
        int length = to - from;
        if (length == 0 || length > 18) {
            throw new ProtocolException("error");
        }
        if (length == 1 && bytes[from] == '0') {
            return 0;
        }
        if (bytes[from] < '1' || bytes[from] > '9') {
            throw new ProtocolException("error");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new ProtocolException("error");
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
