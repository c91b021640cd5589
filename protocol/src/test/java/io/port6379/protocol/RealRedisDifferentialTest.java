// Differential fuzzing: hundreds of damaged requests, decoded by us and sent to a real redis-server; both must agree.
package io.port6379.protocol;

import io.port6379.testing.RealRedis;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The golden cases are the corners we thought of; this test looks for the ones we did not. It builds requests from
 * a few valid commands (multibulk and inline, quotes included), damages them with random bytes that matter to RESP,
 * decodes each with our {@link RequestDecoder}, and predicts from the decoded commands and error exactly what Redis
 * must answer ({@link ReplyOracle}). Every input is then sent to a real redis-server on its own connection.
 * The seed is fixed so that a failure can be replayed; change it to explore further. The templates' words are
 * not Redis commands (an inline fragment such as {@code hello} would run HELLO), so the oracle knows every reply.
 */
class RealRedisDifferentialTest {

    private static final long SEED = 6379;
    private static final int CASES = 1000;
    private static final byte[] ALPHABET = {'*', '$', '\r', '\n', '0', '1', '2', '5', '-', ' ', '"', '\'', '\\', 'x', 'a', 'P', '\t'};
    private static final String[] TEMPLATES = {
            "*1\r\n$4\r\nPING\r\n", "*2\r\n$4\r\nECHO\r\n$5\r\nhowdy\r\n", "*2\r\n$4\r\nPING\r\n$3\r\na b\r\n",
            "*3\r\n$3\r\nfoo\r\n$1\r\nx\r\n$0\r\n\r\n", "PING\r\n", "ECHO \"a\\x41 b\"\r\n", "ECHO 'it\\'s'\r\n",
            "foo bar \"baz qux\"\n", "  ping  \r\n", "*0\r\n", "\r\n"};

    @Test
    void redisAnswersDamagedRequestsAsOurDecoderPredicts() throws Exception {
        Random random = new Random(SEED);
        List<GoldenCase> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            byte[] input = damagedRequest(random);
            Decoding ours = Decoding.whole(input, false);
            cases.add(new GoldenCase("case " + i + " " + Printable.of(input), input, ours.commands(), ours.error(), false));
        }
        try (RealRedis redis = RealRedis.start(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RealRedisGoldenTest.Exchange>> answers = new ArrayList<>();
            for (GoldenCase c : cases) {
                answers.add(threads.submit(() -> RealRedisGoldenTest.Exchange.with(redis.port(), c.input())));
            }
            for (int i = 0; i < cases.size(); i++) {
                assertEquals(RealRedisGoldenTest.expectedExchange(cases.get(i)), answers.get(i).get(), cases.get(i).name());
            }
        }
    }

    private static byte[] damagedRequest(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int commands = 1 + random.nextInt(3);
        for (int i = 0; i < commands; i++) {
            out.writeBytes(GoldenCase.bytes(TEMPLATES[random.nextInt(TEMPLATES.length)]));
        }
        byte[] bytes = out.toByteArray();
        int damages = random.nextInt(4);
        for (int i = 0; i < damages && bytes.length > 0; i++) {
            int at = random.nextInt(bytes.length);
            byte b = ALPHABET[random.nextInt(ALPHABET.length)];
            bytes = switch (random.nextInt(4)) {
                case 0 -> replace(bytes, at, b);
                case 1 -> insert(bytes, at, b);
                case 2 -> delete(bytes, at);
                default -> java.util.Arrays.copyOf(bytes, at); // cut short: Redis must be left waiting
            };
        }
        return bytes;
    }

    private static byte[] replace(byte[] bytes, int at, byte b) {
        byte[] copy = bytes.clone();
        copy[at] = b;
        return copy;
    }

    private static byte[] insert(byte[] bytes, int at, byte b) {
        byte[] copy = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        copy[at] = b;
        System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
        return copy;
    }

    private static byte[] delete(byte[] bytes, int at) {
        byte[] copy = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
        return copy;
    }
}
