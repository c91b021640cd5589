// Differential test: random sorted-set commands answered by RedisSortedSet and by a real redis-server must agree.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.port6379.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sends the same random command sequences (with malformed scores and bounds mixed in) to a real Redis and to a
 * small command layer over {@link RedisSortedSet} written here, and compares every reply: results, error texts,
 * the order in which errors are detected, and OBJECT ENCODING. The command layer mirrors what the server's
 * sorted-set commands do with this API (parse, look the key up, call, delete the key when empty).
 */
class SortedSetAgainstRealRedisTest {

    @RegisterExtension
    static final SharedRealRedis redis = new SharedRealRedis();
    private final SplittableRandom random = new SplittableRandom(6379);
    private RedisSortedSet z;
    /** Lexicographic ranges are specified only for members of equal score: then every score is 0. */
    private boolean lexMode;

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String member() {
        return random.nextInt(3) == 0 ? "m" + random.nextInt(150) : pick("a", "b", "c", "d", "e", "", "\u00ff", "ab");
    }

    private String score() {
        if (lexMode) {
            return pick("0", "-0", "0.0", "0x0");
        }
        return random.nextInt(8) == 0
                ? pick("-0", "inf", "-inf", "+inf", "0x10", "1e1", " 1", "nan", "(1", "abc", "", "1e400")
                : Integer.toString(random.nextInt(11) - 5) + pick("", "", ".5");
    }

    private String scoreBound() {
        return pick("-inf", "+inf", "(1", "1", "2", "(2", "3", "(-1", "0", "-2", "(", "", "nan", "x", "0x2", " 2",
                "(+inf", "5");
    }

    private String lexBound() {
        return pick("-", "+", "[a", "(a", "[b", "(c", "[", "(", "[d", "(\u00ff", "a", "++", "[m1", "(m5");
    }

    private String index() {
        return Integer.toString(random.nextInt(21) - 10);
    }

    private List<String> limit() {
        return random.nextInt(3) == 0
                ? List.of("LIMIT", Integer.toString(random.nextInt(5) - 1), Integer.toString(random.nextInt(6) - 1))
                : List.of();
    }

    private List<String> command() {
        List<String> c = new ArrayList<>();
        switch (random.nextInt(16)) {
            case 0, 1, 2, 3 -> {
                c.add("ZADD");
                c.add("z");
                for (String option : new String[] {"NX", "XX", "GT", "LT", "CH", "INCR"}) {
                    if (random.nextInt(7) == 0) {
                        c.add(option);
                    }
                }
                int pairs = random.nextInt(10) == 0 ? 40 : 1 + random.nextInt(3);
                for (int i = 0; i < pairs; i++) {
                    c.add(score());
                    c.add(member());
                }
                if (random.nextInt(40) == 0 && c.size() > 4) {
                    c.remove(c.size() - 1); // an odd number of arguments
                }
            }
            case 4 -> c.addAll(List.of("ZINCRBY", "z", score(), member()));
            case 5 -> c.addAll(List.of("ZREM", "z", member()));
            case 6 -> c.addAll(List.of(pick("ZSCORE", "ZRANK", "ZREVRANK"), "z", member()));
            case 7 -> {
                c.addAll(List.of(pick("ZRANGE", "ZREVRANGE"), "z", index(), index()));
                if (random.nextBoolean()) {
                    c.add("WITHSCORES");
                }
            }
            case 8 -> {
                c.addAll(List.of(pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), "z", scoreBound(), scoreBound()));
                c.addAll(limit());
            }
            case 9 -> {
                if (!lexMode) {
                    return List.of("ZCARD", "z");
                }
                c.addAll(List.of(pick("ZRANGEBYLEX", "ZREVRANGEBYLEX"), "z", lexBound(), lexBound()));
                c.addAll(limit());
            }
            case 10 -> c.addAll(List.of("ZCOUNT", "z", scoreBound(), scoreBound()));
            case 11 -> c.addAll(lexMode ? List.of("ZLEXCOUNT", "z", lexBound(), lexBound()) : List.of("ZCARD", "z"));
            case 12 -> {
                int kind = random.nextInt(3);
                if (kind == 0) {
                    c.addAll(List.of("ZREMRANGEBYSCORE", "z", scoreBound(), scoreBound()));
                } else if (kind == 1 && lexMode) {
                    c.addAll(List.of("ZREMRANGEBYLEX", "z", lexBound(), lexBound()));
                } else {
                    c.addAll(List.of("ZREMRANGEBYRANK", "z", index(), index()));
                }
            }
            case 13 -> c.addAll(List.of(pick("ZPOPMIN", "ZPOPMAX"), "z", Integer.toString(random.nextInt(4))));
            case 14 -> c.addAll(List.of("OBJECT", "ENCODING", "z"));
            default -> c.addAll(List.of("ZCARD", "z"));
        }
        return c;
    }

    // ---- our side: what the server's sorted-set commands do with the API

    private static Bytes b(String s) {
        return Bytes.of(s);
    }

    private static String format(double score) {
        return RedisNumbers.formatG17(score);
    }

    private static List<Object> flat(List<ScoredMember> elements, boolean withScores) {
        List<Object> reply = new ArrayList<>();
        for (ScoredMember e : elements) {
            reply.add(new String(e.member().array(), StandardCharsets.ISO_8859_1));
            if (withScores) {
                reply.add(format(e.score()));
            }
        }
        return reply;
    }

    private static Limit parseLimit(List<String> args, int from) {
        return args.size() > from
                ? new Limit(Long.parseLong(args.get(from + 1)), Long.parseLong(args.get(from + 2))) : Limit.NONE;
    }

    private Object ours(List<String> c) {
        try {
            return execute(c);
        } catch (RedisException e) {
            return new RespConnection.Error(e.getMessage());
        } finally {
            if (z != null && z.size() == 0) {
                z = null; // Redis deletes a sorted set that became empty
            }
        }
    }

    private Object execute(List<String> c) {
        String name = c.get(0);
        List<Bytes> args = c.stream().skip(2).map(Bytes::of).toList();
        switch (name) {
            case "ZADD", "ZINCRBY" -> {
                byte[][] pairs = args.stream().map(Bytes::array).toArray(byte[][]::new);
                ZAddOptions options = name.equals("ZADD") ? ZAddOptions.parse(pairs, 0) : ZAddOptions.INCR;
                int firstScore = name.equals("ZADD") ? ZAddOptions.firstScore(pairs, 0) : 0;
                if (!name.equals("ZADD")) {
                    RedisNumbers.parseDouble(pairs[0]); // ZINCRBY's increment is checked before the key
                }
                if (z == null && options.xx()) {
                    return options.incr() ? null : 0L;
                }
                if (z == null) {
                    z = new RedisSortedSet();
                }
                if (options.incr()) {
                    Double score = z.incrementBy(RedisNumbers.parseDouble(pairs[firstScore]), Bytes.of(pairs[firstScore + 1]), options,
                            EncodingLimits.REDIS_DEFAULTS);
                    return score == null ? null : format(score);
                }
                long changed = 0;
                for (int i = firstScore; i < pairs.length; i += 2) {
                    RedisSortedSet.AddOutcome outcome = z.add(RedisNumbers.parseDouble(pairs[i]), Bytes.of(pairs[i + 1]), options, EncodingLimits.REDIS_DEFAULTS);
                    if (outcome == RedisSortedSet.AddOutcome.ADDED
                            || (options.ch() && outcome == RedisSortedSet.AddOutcome.UPDATED)) {
                        changed++;
                    }
                }
                return changed;
            }
            case "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZCOUNT", "ZREMRANGEBYSCORE" -> {
                boolean rev = name.equals("ZREVRANGEBYSCORE");
                ScoreRange range = rev ? ScoreRange.parse(args.get(1), args.get(0))
                        : ScoreRange.parse(args.get(0), args.get(1));
                if (z == null) {
                    return name.startsWith("ZCOUNT") || name.startsWith("ZREM") ? (Object) 0L : List.of();
                }
                return switch (name) {
                    case "ZCOUNT" -> z.count(range);
                    case "ZREMRANGEBYSCORE" -> z.removeRangeByScore(range);
                    default -> flat(z.rangeByScore(range, rev, parseLimit(c, 4)), false);
                };
            }
            case "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZLEXCOUNT", "ZREMRANGEBYLEX" -> {
                boolean rev = name.equals("ZREVRANGEBYLEX");
                LexRange range = rev ? LexRange.parse(args.get(1), args.get(0)) : LexRange.parse(args.get(0), args.get(1));
                if (z == null) {
                    return name.startsWith("ZLEX") || name.startsWith("ZREM") ? (Object) 0L : List.of();
                }
                return switch (name) {
                    case "ZLEXCOUNT" -> z.lexCount(range);
                    case "ZREMRANGEBYLEX" -> z.removeRangeByLex(range);
                    default -> flat(z.rangeByLex(range, rev, parseLimit(c, 4)), false);
                };
            }
            default -> {
                return lookupCommand(name, c);
            }
        }
    }

    private Object lookupCommand(String name, List<String> c) {
        if (name.equals("OBJECT")) {
            return z == null ? null : z.encoding();
        }
        if (z == null) {
            return switch (name) {
                case "ZSCORE", "ZRANK", "ZREVRANK" -> null;
                case "ZRANGE", "ZREVRANGE", "ZPOPMIN", "ZPOPMAX" -> List.of();
                default -> 0L;
            };
        }
        return switch (name) {
            case "ZREM" -> z.remove(b(c.get(2))) ? 1L : 0L;
            case "ZSCORE" -> z.score(b(c.get(2))) == null ? null : format(z.score(b(c.get(2))));
            case "ZRANK", "ZREVRANK" -> {
                long rank = z.rank(b(c.get(2)), name.equals("ZREVRANK"));
                yield rank < 0 ? null : (Object) rank;
            }
            case "ZRANGE", "ZREVRANGE" -> flat(z.rangeByRank(Long.parseLong(c.get(2)), Long.parseLong(c.get(3)),
                    name.equals("ZREVRANGE")), c.size() > 4);
            case "ZREMRANGEBYRANK" -> z.removeRangeByRank(Long.parseLong(c.get(2)), Long.parseLong(c.get(3)));
            case "ZPOPMIN" -> flat(z.popMin(Long.parseLong(c.get(2))), true);
            case "ZPOPMAX" -> flat(z.popMax(Long.parseLong(c.get(2))), true);
            case "ZCARD" -> (long) z.size();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void randomSortedSetCommandsGetTheSameRepliesAsRedis() throws Exception {
        lexMode = false;
        replay(40);
    }

    @Test
    void randomLexRangeCommandsOnEqualScoresGetTheSameRepliesAsRedis() throws Exception {
        lexMode = true;
        replay(20);
    }

    private void replay(int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            redis.call("DEL", "z");
            z = null;
            List<List<String>> commands = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                commands.add(command());
            }
            List<Object> expected = redis.pipeline(commands.stream().map(List::toArray).toList());
            for (int i = 0; i < commands.size(); i++) {
                Object actual = ours(commands.get(i));
                assertEquals(expected.get(i), actual, "round " + round + ", command " + i + ": " + commands.get(i));
            }
        }
    }
}
