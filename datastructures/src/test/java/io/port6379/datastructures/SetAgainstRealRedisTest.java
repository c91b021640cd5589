// Differential test: random set commands answered by RedisSet and by a real redis-server must agree.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same random SADD, SREM, SMOVE, SMISMEMBER, set-algebra and STORE commands go to a real Redis and to a few
 * lines over {@link RedisSet}; replies (unordered ones compared sorted) and OBJECT ENCODING must agree, so the
 * intset rules (what is an integer, 512 members, STORE results) are Redis's.
 */
class SetAgainstRealRedisTest {

    private static final String[] KEYS = {"s1", "s2", "s3"};

    @RegisterExtension
    static final SharedRealRedis redis = new SharedRealRedis();
    private final SplittableRandom random = new SplittableRandom(512);
    private final Map<String, RedisSet> sets = new HashMap<>();

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String key() {
        return KEYS[random.nextInt(KEYS.length)];
    }

    private String member() {
        return random.nextInt(12) == 0
                ? pick("a", "01", "+1", " 1", "-0", "", "9223372036854775808", "-9223372036854775808", "70000")
                : Integer.toString(random.nextInt(40) - 5);
    }

    private List<String> command() {
        List<String> c = new ArrayList<>();
        switch (random.nextInt(11)) {
            case 0, 1, 2 -> {
                c.addAll(List.of("SADD", key()));
                if (random.nextInt(15) == 0) {
                    int from = random.nextInt(3) * 8 - 5;   // -5..506, 3..514 or 11..522: around 512 members
                    for (int i = from; i < from + 512; i++) {
                        c.add(Integer.toString(i));
                    }
                } else {
                    for (int i = 1 + random.nextInt(3); i > 0; i--) {
                        c.add(member());
                    }
                }
            }
            case 3 -> c.addAll(List.of("SREM", key(), member(), member()));
            case 4 -> c.addAll(List.of("SMISMEMBER", key(), member(), member()));
            case 5 -> c.addAll(List.of("SMOVE", key(), key(), member()));
            case 6 -> c.addAll(List.of(pick("SINTER", "SUNION", "SDIFF"), key(), key()));
            case 7 -> c.addAll(List.of(pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), key(), key(), key()));
            case 8 -> c.addAll(List.of("SINTERCARD", "2", key(), key(), "LIMIT", Integer.toString(random.nextInt(4))));
            case 9 -> c.addAll(List.of("OBJECT", "ENCODING", key()));
            default -> c.addAll(List.of(pick("SCARD", "SMEMBERS"), key()));
        }
        return c;
    }

    private static Bytes b(String s) {
        return Bytes.of(s);
    }

    private static List<String> sorted(List<?> members) {
        return members.stream().map(m -> m instanceof Bytes bytes
                ? new String(bytes.array(), StandardCharsets.ISO_8859_1) : (String) m).sorted().toList();
    }

    private RedisSet get(String key) {
        return sets.get(key);
    }

    private void store(String key, RedisSet value) {
        if (value == null || value.size() == 0) {
            sets.remove(key);
        } else {
            sets.put(key, value);
        }
    }

    private Object ours(List<String> c) {
        String name = c.get(0);
        List<String> args = c.subList(1, c.size());
        Object reply = switch (name) {
            case "SADD" -> {
                RedisSet set = sets.computeIfAbsent(args.get(0), k -> new RedisSet());
                yield args.stream().skip(1).filter(m -> set.add(b(m), EncodingLimits.REDIS_DEFAULTS)).count();
            }
            case "SREM" -> {
                RedisSet set = get(args.get(0));
                yield set == null ? 0L : args.stream().skip(1).filter(m -> set.remove(b(m))).count();
            }
            case "SMISMEMBER" -> {
                RedisSet set = get(args.get(0));
                yield args.stream().skip(1).map(m -> set != null && set.contains(b(m)) ? 1L : 0L).toList();
            }
            case "SMOVE" -> {
                RedisSet source = get(args.get(0));
                if (source == null) {
                    yield 0L;
                }
                RedisSet destination = sets.computeIfAbsent(args.get(1), k -> new RedisSet());
                boolean moved = RedisSet.move(source, destination, b(args.get(2)), EncodingLimits.REDIS_DEFAULTS);
                store(args.get(1), destination);
                yield moved ? 1L : 0L;
            }
            case "SINTER", "SUNION", "SDIFF" -> sorted(algebra(name, args).members());
            case "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE" -> {
                RedisSet result = algebra(name.replace("STORE", ""), args.subList(1, args.size()));
                store(args.get(0), result);
                yield (long) result.size();
            }
            case "SINTERCARD" -> RedisSet.intersectionCardinality(
                    List.of(args.get(1), args.get(2)).stream().map(this::get).toList(), Long.parseLong(args.get(4)));
            case "OBJECT" -> get(args.get(1)) == null ? null : get(args.get(1)).encoding();
            case "SCARD" -> get(args.get(0)) == null ? 0L : (long) get(args.get(0)).size();
            case "SMEMBERS" -> get(args.get(0)) == null ? List.of() : sorted(get(args.get(0)).members());
            default -> throw new IllegalArgumentException(name);
        };
        sets.values().removeIf(set -> set.size() == 0);
        return reply;
    }

    private RedisSet algebra(String name, List<String> keys) {
        List<RedisSet> inputs = keys.stream().map(this::get).toList();
        return switch (name) {
            case "SINTER" -> RedisSet.intersection(inputs, EncodingLimits.REDIS_DEFAULTS);
            case "SUNION" -> RedisSet.union(inputs, EncodingLimits.REDIS_DEFAULTS);
            default -> RedisSet.difference(inputs, EncodingLimits.REDIS_DEFAULTS);
        };
    }

    private static Object normalize(List<String> command, Object reply) {
        String name = command.get(0);
        boolean unordered = name.equals("SMEMBERS") || name.equals("SINTER") || name.equals("SUNION")
                || name.equals("SDIFF");
        return unordered && reply instanceof List<?> list ? sorted(list) : reply;
    }

    @Test
    void randomSetCommandsGetTheSameRepliesAsRedis() throws Exception {
        for (int round = 0; round < 30; round++) {
            redis.call("DEL", "s1", "s2", "s3");
            sets.clear();
            List<List<String>> commands = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                commands.add(command());
            }
            List<Object> expected = redis.pipeline(commands.stream().map(List::toArray).toList());
            for (int i = 0; i < commands.size(); i++) {
                List<String> command = commands.get(i);
                assertEquals(normalize(command, expected.get(i)), ours(command),
                        "round " + round + ", command " + i + ": " + command);
            }
        }
    }
}
