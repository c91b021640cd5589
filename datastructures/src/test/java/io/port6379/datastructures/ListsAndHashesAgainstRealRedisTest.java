// Differential tests: random list and hash command sequences give the same replies here and on a real redis-server.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.port6379.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ListsAndHashesAgainstRealRedisTest {

    @RegisterExtension
    static final SharedRealRedis redis = new SharedRealRedis();
    private final SplittableRandom random = new SplittableRandom(6379);

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] b(Object o) {
        return o.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    /** Our reply to one command, in RespConnection's reply shapes; the key is deleted when its value becomes empty. */
    private static Object ours(Keyspace keyspace, Object[] c) {
        Bytes key = Bytes.of(c[1].toString());
        try {
            Object reply = execute(keyspace, key, c);
            if (keyspace.get(key) instanceof RedisList l && l.isEmpty()
                    || keyspace.get(key) instanceof RedisHash h && h.isEmpty()) {
                keyspace.remove(key);
            }
            return reply;
        } catch (RedisException e) {
            return new RespConnection.Error(e.getMessage());
        }
    }

    private static Object execute(Keyspace keyspace, Bytes key, Object[] c) {
        String command = c[0].toString();
        if (command.startsWith("H")) {
            RedisHash hash = keyspace.get(key, RedisHash.class);
            if (hash == null && (command.equals("HSET") || command.startsWith("HINCRBY"))) {
                hash = new RedisHash();
                keyspace.set(key, hash);
            }
            return switch (command) {
                case "HSET" -> hash.put(b(c[2]), b(c[3]), EncodingLimits.REDIS_DEFAULTS) ? 1L : 0L;
                case "HDEL" -> hash != null && hash.remove(b(c[2])) ? 1L : 0L;
                case "HGET" -> hash == null ? null : s(hash.get(b(c[2])));
                case "HSTRLEN" -> hash == null ? 0L : (long) hash.valueLength(b(c[2]));
                case "HINCRBY" -> hash.incrBy(b(c[2]), Long.parseLong(c[3].toString()), EncodingLimits.REDIS_DEFAULTS);
                case "HINCRBYFLOAT" -> s(hash.incrByFloat(b(c[2]), b(c[3]), EncodingLimits.REDIS_DEFAULTS));
                case "HGETALL" -> {
                    List<Object> all = new ArrayList<>();
                    if (hash != null) {
                        hash.forEach((f, v) -> {
                            all.add(s(f));
                            all.add(s(v));
                        });
                    }
                    yield all;
                }
                default -> throw new IllegalArgumentException(command);
            };
        }
        RedisList list = keyspace.get(key, RedisList.class);
        if (list == null && command.endsWith("PUSH")) {
            list = new RedisList();
            keyspace.set(key, list);
        }
        if (list == null && !command.equals("LSET")) {
            return switch (command) {
                case "LPOP", "RPOP", "LINDEX" -> null;
                case "LRANGE", "LPOS" -> List.of(); // LPOS is always sent with COUNT here: an empty array
                case "LTRIM" -> "OK";
                default -> 0L; // LLEN, LINSERT, LREM on a missing key
            };
        }
        return switch (command) {
            case "LPUSH" -> {
                list.pushLeft(b(c[2]));
                yield (long) list.size();
            }
            case "RPUSH" -> {
                list.pushRight(b(c[2]));
                yield (long) list.size();
            }
            case "LPOP" -> s(list.popLeft());
            case "RPOP" -> s(list.popRight());
            case "LLEN" -> (long) list.size();
            case "LINDEX" -> s(list.get(Long.parseLong(c[2].toString())));
            case "LSET" -> {
                if (list == null) {
                    throw new RedisException(RedisList.NO_SUCH_KEY);
                }
                list.set(Long.parseLong(c[2].toString()), b(c[3]));
                yield "OK";
            }
            case "LRANGE" -> new ArrayList<Object>(list.range(Long.parseLong(c[2].toString()),
                    Long.parseLong(c[3].toString())).stream().map(ListsAndHashesAgainstRealRedisTest::s).toList());
            case "LTRIM" -> {
                list.trim(Long.parseLong(c[2].toString()), Long.parseLong(c[3].toString()));
                yield "OK";
            }
            case "LINSERT" -> (long) list.insert(c[2].equals("BEFORE"), b(c[3]), b(c[4]));
            case "LREM" -> list.remove(Long.parseLong(c[2].toString()), b(c[3]));
            case "LPOS" -> {
                List<Long> positions = list.positions(b(c[2]), Long.parseLong(c[4].toString()),
                        Long.parseLong(c[6].toString()), Long.parseLong(c[8].toString()));
                yield new ArrayList<Object>(positions);
            }
            default -> throw new IllegalArgumentException(command);
        };
    }

    private void compare(List<Object[]> commands) throws Exception {
        List<Object> expected = redis.pipeline(commands);
        Keyspace keyspace = new Keyspace(new FakeClock(0));
        for (int i = 0; i < commands.size(); i++) {
            Object[] c = commands.get(i);
            Object actual = ours(keyspace, c);
            assertEquals(String.valueOf(expected.get(i)), String.valueOf(actual),
                    "command " + i + ": " + String.join(" ", java.util.Arrays.stream(c).map(String::valueOf).toList()));
        }
    }

    @Test
    void randomListCommandsGetTheSameReplies() throws Exception {
        redis.call("FLUSHALL");
        List<Object[]> commands = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String key = pick("l1", "l2");
            String element = pick("a", "b", "c");
            int index = random.nextInt(-8, 8);
            int other = random.nextInt(-8, 8);
            commands.add(switch (random.nextInt(12)) {
                case 0, 1 -> new Object[] {"RPUSH", key, element};
                case 2, 3 -> new Object[] {"LPUSH", key, element};
                case 4 -> new Object[] {pick("LPOP", "RPOP"), key};
                case 5 -> new Object[] {"LINDEX", key, index};
                case 6 -> new Object[] {"LSET", key, index, element};
                case 7 -> new Object[] {"LRANGE", key, index, other};
                case 8 -> new Object[] {"LTRIM", key, random.nextInt(-3, 3), random.nextInt(-3, 10)};
                case 9 -> new Object[] {"LINSERT", key, pick("BEFORE", "AFTER"), element, pick("x", "y")};
                case 10 -> new Object[] {"LREM", key, random.nextInt(-2, 3), element};
                default -> new Object[] {"LPOS", key, element, "RANK", pick("1", "2", "-1", "-2"), "COUNT",
                        random.nextInt(0, 3), "MAXLEN", random.nextInt(0, 6)};
            });
        }
        compare(commands);
    }

    @Test
    void randomHashCommandsGetTheSameRepliesAndListpackOrder() throws Exception {
        redis.call("FLUSHALL");
        List<Object[]> commands = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String key = pick("h1", "h2");
            String field = pick("f1", "f2", "f3", "f4", "num");
            commands.add(switch (random.nextInt(8)) {
                case 0, 1 -> new Object[] {"HSET", key, field, pick("v", "10", "1.5", "", "x".repeat(random.nextInt(1, 5)))};
                case 2 -> new Object[] {"HDEL", key, field};
                case 3 -> new Object[] {"HGET", key, field};
                case 4 -> new Object[] {"HINCRBY", key, field, random.nextLong(-5, 5)};
                case 5 -> new Object[] {"HINCRBYFLOAT", key, field, pick("0.1", "-1.5", "1e3", "inf", "abc", "3")};
                case 6 -> new Object[] {"HSTRLEN", key, field};
                default -> new Object[] {"HGETALL", key};
            });
        }
        compare(commands);
    }
}
