// Differential tests: random inputs answered by our code and by a real redis-server must agree byte for byte.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.port6379.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgainstRealRedisTest {

    @RegisterExtension
    static final SharedRealRedis redis = new SharedRealRedis();
    private final SplittableRandom random = new SplittableRandom(20261125);

    /** Numbers in the shapes people type, and the malformed shapes around them. */
    private String numberText() {
        String[] pieces = {"0", "1", "7", "9", "12", "00", ".", "e", "E", "-", "+", "5", "3", "x", " ", "inf",
                "nan", "0x1", "p", "e-", "e+", "30", "400", "99999999999999999999"};
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    private static String reply(Object r) {
        return r instanceof RespConnection.Error e ? "-" + e.message() : String.valueOf(r);
    }

    private static String ours(java.util.function.Supplier<Object> action) {
        try {
            Object r = action.get();
            return r instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(r);
        } catch (RedisException e) {
            return "-" + e.getMessage();
        }
    }

    @Test
    void incrbyfloatAgreesOnAcceptanceArithmeticAndFormatting() throws Exception {
        List<Object[]> commands = new ArrayList<>();
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String base = random.nextInt(4) == 0 ? numberText() : Double.toString(random.nextDouble() * 1000 - 500);
            String increment = random.nextInt(3) == 0 ? numberText()
                    : Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-3, 25)));
            cases.add(new String[] {base, increment});
            commands.add(new Object[] {"SET", "f" + i, base});
            commands.add(new Object[] {"INCRBYFLOAT", "f" + i, increment});
        }
        List<Object> replies = redis.pipeline(commands);
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            String expected = reply(replies.get(2 * i + 1));
            String actual = ours(() -> RedisNumbers.incrByFloat(c[0].getBytes(), c[1].getBytes()));
            assertEquals(expected, actual, "INCRBYFLOAT with " + c[0] + " + " + c[1]);
        }
    }

    @Test
    void scoresAgreeOnParsingAndOnPercent17gFormatting() throws Exception {
        // A skip-list encoded sorted set keeps the parsed double exactly (a listpack would lose -0's sign).
        redis.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
        List<Object[]> commands = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String text = switch (random.nextInt(3)) {
                case 0 -> numberText();
                case 1 -> Double.toString(Double.longBitsToDouble(random.nextLong()));
                default -> Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-30, 30)));
            };
            texts.add(text);
            commands.add(new Object[] {"ZADD", "z" + i, text, "m"});
            commands.add(new Object[] {"ZSCORE", "z" + i, "m"});
        }
        List<Object> replies = redis.pipeline(commands);
        redis.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Object added = replies.get(2 * i);
            if (added instanceof RespConnection.Error e) {
                assertEquals("-" + e.message(), ours(() -> RedisNumbers.parseDouble(text.getBytes())), text);
            } else {
                String formatted = ours(() -> RedisNumbers.formatDouble(RedisNumbers.parseDouble(text.getBytes())));
                assertEquals(reply(replies.get(2 * i + 1)), formatted, "ZSCORE after ZADD " + text);
            }
        }
    }

    @Test
    void incrbyAgreesOnWhatIsAnIntegerAndOnOverflow() throws Exception {
        List<Object[]> commands = new ArrayList<>();
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String base = random.nextBoolean() ? numberText() : Long.toString(random.nextLong() >> random.nextInt(64));
            String delta = Long.toString(random.nextLong() >> random.nextInt(64));
            cases.add(new String[] {base, delta});
            commands.add(new Object[] {"SET", "i" + i, base});
            commands.add(new Object[] {"INCRBY", "i" + i, delta});
        }
        List<Object> replies = redis.pipeline(commands);
        Keyspace keyspace = new Keyspace(Clock.SYSTEM);
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            Bytes key = Bytes.of("i" + i);
            keyspace.set(key, RedisString.of(c[0]));
            assertEquals(reply(replies.get(2 * i + 1)),
                    ours(() -> Strings.incrBy(keyspace, key, Long.parseLong(c[1]))), "INCRBY " + c[0] + " " + c[1]);
        }
    }

    @Test
    void getrangeAndSetrangeAgreeOnEveryIndexShape() throws Exception {
        List<Object[]> commands = new ArrayList<>();
        List<long[]> cases = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long start = random.nextInt(-8, 8);
            long end = random.nextInt(-8, 8);
            long offset = random.nextInt(0, 8);
            cases.add(new long[] {start, end, offset});
            commands.add(new Object[] {"SET", "s" + i, "hello"});
            commands.add(new Object[] {"GETRANGE", "s" + i, start, end});
            commands.add(new Object[] {"SETRANGE", "s" + i, offset, "XY"});
            commands.add(new Object[] {"GET", "s" + i});
            commands.add(new Object[] {"OBJECT", "ENCODING", "s" + i});
        }
        List<Object> replies = redis.pipeline(commands);
        Keyspace keyspace = new Keyspace(Clock.SYSTEM);
        for (int i = 0; i < cases.size(); i++) {
            long[] c = cases.get(i);
            Bytes key = Bytes.of("s" + i);
            keyspace.set(key, RedisString.of("hello"));
            assertEquals(reply(replies.get(5 * i + 1)), ours(() -> Strings.getRange(keyspace, key, c[0], c[1])));
            assertEquals(reply(replies.get(5 * i + 2)), ours(() -> Strings.setRange(keyspace, key, c[2], "XY".getBytes())));
            assertEquals(reply(replies.get(5 * i + 3)), ours(() -> Strings.get(keyspace, key)));
            assertEquals(reply(replies.get(5 * i + 4)), keyspace.get(key).encoding());
        }
    }

    @Test
    void stringEncodingsAgree() throws Exception {
        List<Object[]> commands = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String v = random.nextBoolean() ? numberText() : "x".repeat(random.nextInt(40, 50));
            values.add(v);
            commands.add(new Object[] {"SET", "e" + i, v});
            commands.add(new Object[] {"OBJECT", "ENCODING", "e" + i});
        }
        List<Object> replies = redis.pipeline(commands);
        for (int i = 0; i < values.size(); i++) {
            assertEquals(reply(replies.get(2 * i + 1)), RedisString.of(values.get(i)).encoding(), values.get(i));
        }
    }

    @Test
    void encodingsAgreeAfterEveryKindOfStringWrite() throws Exception {
        List<Object[]> commands = new ArrayList<>();
        Keyspace keyspace = new Keyspace(Clock.SYSTEM);
        List<java.util.function.Supplier<Object>> ourSide = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Bytes key = Bytes.of("w" + random.nextInt(3));
            String k = key.toString();
            String value = random.nextBoolean() ? Integer.toString(random.nextInt(-50, 50)) : numberText();
            switch (random.nextInt(6)) {
                case 0 -> {
                    commands.add(new Object[] {"SET", k, value});
                    ourSide.add(() -> Strings.set(keyspace, key, value.getBytes(), Strings.SetOptions.PLAIN).written() ? "OK" : null);
                }
                case 1 -> {
                    commands.add(new Object[] {"APPEND", k, value});
                    ourSide.add(() -> Strings.append(keyspace, key, value.getBytes()));
                }
                case 2 -> {
                    commands.add(new Object[] {"SETRANGE", k, 1, value});
                    ourSide.add(() -> Strings.setRange(keyspace, key, 1, value.getBytes()));
                }
                case 3 -> {
                    commands.add(new Object[] {"INCR", k});
                    ourSide.add(() -> Strings.incrBy(keyspace, key, 1));
                }
                case 4 -> {
                    commands.add(new Object[] {"INCRBYFLOAT", k, "1.5"});
                    ourSide.add(() -> Strings.incrByFloat(keyspace, key, "1.5".getBytes()));
                }
                default -> {
                    commands.add(new Object[] {"DEL", k});
                    ourSide.add(() -> keyspace.remove(key) ? 1L : 0L);
                }
            }
            commands.add(new Object[] {"OBJECT", "ENCODING", k});
            ourSide.add(() -> keyspace.exists(key) ? keyspace.get(key).encoding() : null);
        }
        List<Object> replies = redis.pipeline(commands);
        for (int i = 0; i < commands.size(); i++) {
            int index = i;
            assertEquals(reply(replies.get(i)), ours(() -> ourSide.get(index).get()),
                    "step " + i + ": " + java.util.Arrays.toString(commands.get(i)));
        }
    }
}
