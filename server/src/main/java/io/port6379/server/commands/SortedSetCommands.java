// The sorted-set family: ZADD and scores, ranks and ranges (by rank, score and lex), pops, and ZUNION/ZINTER/ZDIFF.
package io.port6379.server.commands;

import io.port6379.server.util.Args;
import io.port6379.server.BlockingKeys;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.datastructures.Aggregate;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.LexRange;
import io.port6379.datastructures.Limit;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.ScoreRange;
import io.port6379.datastructures.ScoredMember;
import io.port6379.datastructures.WrongTypeException;
import io.port6379.datastructures.ZAddOptions;
import io.port6379.protocol.RespWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.port6379.server.config.NotifyKeyspaceEvents.ZSET;

/**
 * Sorted-set commands, on top of {@link RedisSortedSet}. Scores are sent as RESP3 doubles ({@code ,2.5}) or,
 * in RESP2, bulk strings printed with {@code %.17g}. Redis 7.0 is not uniform about pairs: WITHSCORES ranges,
 * ZRANDMEMBER and counted pops are arrays of [member, score] arrays in RESP3 but flat in RESP2; ZPOPMIN
 * without a count and BZPOPMIN are flat in both; ZMPOP and BZMPOP nest in both. Each command below says which.
 */
public final class SortedSetCommands {

    private SortedSetCommands() {
    }

    private static RedisSortedSet zset(Client client, byte[] key) {
        return TypeCommands.get(client, key, RedisSortedSet.class);
    }

    /** A read: counted as a hit or a miss (see {@link TypeCommands#read}). */
    private static RedisSortedSet readZset(Client client, byte[] key) {
        return TypeCommands.read(client, key, RedisSortedSet.class);
    }

    private static void doubleOrNil(RespWriter reply, Double score) {
        if (score == null) {
            reply.nullBulkString();
        } else {
            reply.doubleValue(score);
        }
    }

    /**
     * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] — the number added (or changed,
     * with CH); with INCR the new score, or nil when NX/XX/GT/LT skipped it. Every score is parsed before the
     * key is touched, so a bad one changes nothing.
     */
    // tag::zadd[]
    static void zadd(Client client, byte[][] args, RespWriter reply) {
        ZAddOptions options = ZAddOptions.parse(args, 2);
        int firstScore = ZAddOptions.firstScore(args, 2);
        double[] scores = new double[(args.length - firstScore) / 2];
        for (int i = 0; i < scores.length; i++) { // the scores were checked by parse: none fails here
            scores[i] = RedisNumbers.parseDouble(args[firstScore + i * 2]);
        }
        add(client, args[1], options, scores, args, firstScore + 1, 2, reply);
    }

    /**
     * What ZADD and GEOADD do once every score is known: {@code scores[i]} for the member at
     * {@code args[firstMember + i * stride]}, added to the sorted set at {@code key} (created unless XX) with the
     * options, then the reply, the event, and the key deleted if it ended empty.
     */
    static void add(Client client, byte[] key, ZAddOptions options, double[] scores, byte[][] args, int firstMember,
                    int stride, RespWriter reply) {
        RedisSortedSet zset = zset(client, key);
        if (zset == null) {
            if (options.xx()) {
                if (options.incr()) {
                    reply.nullBulkString();
                } else {
                    reply.integer(0);
                }
                return;
            }
            zset = new RedisSortedSet();
            TypeCommands.store(client, client.db(), Bytes.of(key), zset); // wakes BZPOPMIN & co.
        }
        long added = 0;
        long changed = 0;
        RedisSortedSet.AddOutcome last = RedisSortedSet.AddOutcome.SKIPPED;
        for (int i = 0; i < scores.length; i++) {
            last = zset.add(scores[i], Bytes.of(args[firstMember + i * stride]), options, client.db().limits());
            if (last == RedisSortedSet.AddOutcome.ADDED) {
                added++;
            } else if (last == RedisSortedSet.AddOutcome.UPDATED) {
                changed++;
            }
        }
        if (options.incr()) {
            doubleOrNil(reply, last == RedisSortedSet.AddOutcome.SKIPPED ? null : zset.score(Bytes.of(args[firstMember])));
        } else {
            reply.integer(options.ch() ? added + changed : added);
        }
        if (added + changed > 0) { // a score written again unchanged is no change
            client.server().keyspaceEvents().modified(client, Bytes.of(key), ZSET, options.incr() ? "zincr" : "zadd",
                    added + changed);
        }
        TypeCommands.deleteIfEmpty(client, key, zset.size() == 0);
    }
    // end::zadd[]

    /** ZINCRBY key increment member — the new score. */
    static void zincrby(Client client, byte[][] args, RespWriter reply) {
        double increment = RedisNumbers.parseDouble(args[2]);
        RedisSortedSet zset = zset(client, args[1]);
        boolean created = zset == null;
        if (created) {
            zset = new RedisSortedSet();
        }
        double score = zset.incrementBy(increment, Bytes.of(args[3]), client.db().limits());
        if (created) {
            TypeCommands.store(client, client.db(), Bytes.of(args[1]), zset);
        }
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), ZSET, "zincr", 1);
        reply.doubleValue(score);
    }

    static void zscore(Client client, byte[][] args, RespWriter reply) {
        RedisSortedSet zset = readZset(client, args[1]);
        doubleOrNil(reply, zset == null ? null : zset.score(Bytes.of(args[2])));
    }

    static void zmscore(Client client, byte[][] args, RespWriter reply) {
        RedisSortedSet zset = readZset(client, args[1]);
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            doubleOrNil(reply, zset == null ? null : zset.score(Bytes.of(args[i])));
        }
    }

    static void zcard(Client client, byte[][] args, RespWriter reply) {
        RedisSortedSet zset = readZset(client, args[1]);
        reply.integer(zset == null ? 0 : zset.size());
    }

    /** ZCOUNT key min max — the range is parsed before the key is looked at. */
    static void zcount(Client client, byte[][] args, RespWriter reply) {
        ScoreRange range = ScoreRange.parse(Bytes.of(args[2]), Bytes.of(args[3]));
        RedisSortedSet zset = readZset(client, args[1]);
        reply.integer(zset == null ? 0 : zset.count(range));
    }

    static void zlexcount(Client client, byte[][] args, RespWriter reply) {
        LexRange range = LexRange.parse(Bytes.of(args[2]), Bytes.of(args[3]));
        RedisSortedSet zset = readZset(client, args[1]);
        reply.integer(zset == null ? 0 : zset.lexCount(range));
    }

    private static void rank(Client client, byte[][] args, RespWriter reply, boolean reverse) {
        RedisSortedSet zset = readZset(client, args[1]);
        long rank = zset == null ? -1 : zset.rank(Bytes.of(args[2]), reverse);
        if (rank < 0) {
            reply.nullBulkString();
        } else {
            reply.integer(rank);
        }
    }

    static void zrank(Client client, byte[][] args, RespWriter reply) {
        rank(client, args, reply, false);
    }

    static void zrevrank(Client client, byte[][] args, RespWriter reply) {
        rank(client, args, reply, true);
    }

    // ---- ZRANGE and its older forms: one parser, as zrangeGenericCommand

    private enum RangeType { AUTO, RANK, SCORE, LEX }

    // tag::zrange-options[]
    /**
     * ZRANGE and friends, as {@code zrangeGenericCommand}: {@code keyIndex} is the source key, followed by
     * min and max; then options in any order. The legacy commands preset the type and direction, so that
     * ZRANGEBYSCORE ... BYLEX or ZREVRANGE ... REV is a syntax error. With {@code destination} (ZRANGESTORE)
     * the result is stored instead of returned.
     */
    private static void range(Client client, byte[][] args, RespWriter reply, int keyIndex, byte[] destination,
                              RangeType type, Boolean reverse) {
        boolean withScores = false;
        long offset = 0;
        long count = -1;
        for (int j = keyIndex + 3; j < args.length; j++) {
            int left = args.length - j - 1;
            if (destination == null && Args.is(args[j], "withscores")) {
                withScores = true;
            } else if (Args.is(args[j], "limit") && left >= 2) {
                offset = Args.parseLong(args[j + 1]);
                count = Args.parseLong(args[j + 2]);
                j += 2;
            } else if (reverse == null && Args.is(args[j], "rev")) {
                reverse = true;
            } else if (type == RangeType.AUTO && Args.is(args[j], "bylex")) {
                type = RangeType.LEX;
            } else if (type == RangeType.AUTO && Args.is(args[j], "byscore")) {
                type = RangeType.SCORE;
            } else {
                throw Args.syntaxError();
            }
        }
        // end::zrange-options[]
        // tag::zrange-query[]
        boolean rev = reverse != null && reverse;
        if (type == RangeType.AUTO) {
            type = RangeType.RANK;
        }
        if (count != -1 && type == RangeType.RANK) {
            throw new RedisException("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == RangeType.LEX) {
            throw new RedisException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] min = args[keyIndex + (rev && type != RangeType.RANK ? 2 : 1)];
        byte[] max = args[keyIndex + (rev && type != RangeType.RANK ? 1 : 2)];
        Limit limit = new Limit(offset, count);
        RangeType kind = type;
        Function<RedisSortedSet, List<ScoredMember>> query = switch (kind) {
            case SCORE -> {
                ScoreRange scores = ScoreRange.parse(Bytes.of(min), Bytes.of(max));
                yield zset -> zset.rangeByScore(scores, rev, limit);
            }
            case LEX -> {
                LexRange members = LexRange.parse(Bytes.of(min), Bytes.of(max));
                yield zset -> zset.rangeByLex(members, rev, limit);
            }
            default -> {
                long start = Args.parseLong(min);
                long stop = Args.parseLong(max);
                yield zset -> zset.rangeByRank(start, stop, rev);
            }
        };
        RedisSortedSet zset = readZset(client, args[keyIndex]);
        List<ScoredMember> result = zset == null ? List.of() : query.apply(zset);
        if (destination != null) {
            store(client, destination, RedisSortedSet.of(result, client.db().limits()), reply, "zrangestore");
        } else {
            writeElements(reply, result, withScores);
        }
    }
    // end::zrange-query[]

    /** A range or algebra result: members, with WITHSCORES [member, score] pairs in RESP3 and flat in RESP2. */
    private static void writeElements(RespWriter reply, List<ScoredMember> elements, boolean withScores) {
        boolean pairs = withScores && reply.protocolVersion() == 3;
        reply.arrayHeader(withScores && !pairs ? elements.size() * 2 : elements.size());
        for (ScoredMember element : elements) {
            writeElement(reply, element, withScores);
        }
    }

    /** One element of such a reply: the member, and with WITHSCORES its score ([member, score] in RESP3). */
    private static void writeElement(RespWriter reply, ScoredMember element, boolean withScores) {
        if (withScores && reply.protocolVersion() == 3) {
            reply.arrayHeader(2);
        }
        reply.bulkString(element.member().array());
        if (withScores) {
            reply.doubleValue(element.score());
        }
    }

    /** The STORE forms: an empty result deletes the destination; the reply is the size stored. */
    private static void store(Client client, byte[] destination, RedisSortedSet result, RespWriter reply, String event) {
        TypeCommands.storeResult(client, Bytes.of(destination), result, result.size() == 0, ZSET, event);
        reply.integer(result.size());
    }

    static void zrange(Client client, byte[][] args, RespWriter reply) {
        range(client, args, reply, 1, null, RangeType.AUTO, null);
    }

    static void zrangestore(Client client, byte[][] args, RespWriter reply) {
        range(client, args, reply, 2, args[1], RangeType.AUTO, null);
    }

    static void zrevrange(Client client, byte[][] args, RespWriter reply) {
        range(client, args, reply, 1, null, RangeType.RANK, true);
    }

    static void zrangebyscore(Client client, byte[][] args, RespWriter reply) {
        range(client, args, reply, 1, null, RangeType.SCORE, false);
    }

    static void zrevrangebyscore(Client client, byte[][] args, RespWriter reply) {
        range(client, args, reply, 1, null, RangeType.SCORE, true);
    }

    static void zrangebylex(Client client, byte[][] args, RespWriter reply) {
        range(client, args, reply, 1, null, RangeType.LEX, false);
    }

    static void zrevrangebylex(Client client, byte[][] args, RespWriter reply) {
        range(client, args, reply, 1, null, RangeType.LEX, true);
    }

    static void zrem(Client client, byte[][] args, RespWriter reply) {
        RedisSortedSet zset = zset(client, args[1]);
        long removed = 0;
        if (zset != null) {
            for (int i = 2; i < args.length; i++) {
                if (zset.remove(Bytes.of(args[i]))) {
                    removed++;
                }
            }
            if (removed > 0) {
                client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), ZSET, "zrem", removed);
                TypeCommands.deleteIfEmpty(client, args[1], zset.size() == 0);
            }
        }
        reply.integer(removed);
    }

    static void zremrangebyrank(Client client, byte[][] args, RespWriter reply) {
        long start = Args.parseLong(args[2]);
        long stop = Args.parseLong(args[3]);
        RedisSortedSet zset = zset(client, args[1]);
        removed(client, args[1], zset, reply, zset == null ? 0 : zset.removeRangeByRank(start, stop), "zremrangebyrank");
    }

    static void zremrangebyscore(Client client, byte[][] args, RespWriter reply) {
        ScoreRange range = ScoreRange.parse(Bytes.of(args[2]), Bytes.of(args[3]));
        RedisSortedSet zset = zset(client, args[1]);
        removed(client, args[1], zset, reply, zset == null ? 0 : zset.removeRangeByScore(range), "zremrangebyscore");
    }

    static void zremrangebylex(Client client, byte[][] args, RespWriter reply) {
        LexRange range = LexRange.parse(Bytes.of(args[2]), Bytes.of(args[3]));
        RedisSortedSet zset = zset(client, args[1]);
        removed(client, args[1], zset, reply, zset == null ? 0 : zset.removeRangeByLex(range), "zremrangebylex");
    }

    private static void removed(Client client, byte[] key, RedisSortedSet zset, RespWriter reply, long count, String event) {
        if (count > 0) {
            client.server().keyspaceEvents().modified(client, Bytes.of(key), ZSET, event, count);
            TypeCommands.deleteIfEmpty(client, key, zset.size() == 0);
        }
        reply.integer(count);
    }

    // ---- pops: ZPOPMIN/ZPOPMAX, ZMPOP and the blocking BZPOPMIN/BZPOPMAX/BZMPOP

    // tag::zpop[]
    /** ZPOPMIN/ZPOPMAX key [count] — flat [member, score, ...]; with a count, pairs in RESP3. */
    private static void pop(Client client, byte[][] args, RespWriter reply, boolean max) {
        if (args.length > 3) {
            throw Args.syntaxError();
        }
        long count = args.length == 3 ? TypeCommands.positiveLong(args[2], TypeCommands.MUST_BE_POSITIVE) : -1;
        RedisSortedSet zset = zset(client, args[1]);
        if (zset == null || count == 0) {
            reply.arrayHeader(0);
            return;
        }
        if (count == -1) { // one element, flat, as the common ZPOPMIN key: no list is built for it
            ScoredMember popped = max ? zset.popMax() : zset.popMin();
            reply.arrayHeader(2);
            reply.bulkString(popped.member().array());
            reply.doubleValue(popped.score());
            popped(client, args[1], zset, max, 1);
            return;
        }
        List<ScoredMember> popped = max ? zset.popMax(count) : zset.popMin(count);
        writeElements(reply, popped, true);
        popped(client, args[1], zset, max, popped.size());
    }
    // end::zpop[]

    /** As {@code genericZpopCommand}: a {@code zpopmin} or {@code zpopmax} event, then the key's deletion if empty. */
    private static void popped(Client client, byte[] key, RedisSortedSet zset, boolean max, long count) {
        client.server().keyspaceEvents().modified(client, Bytes.of(key), ZSET, max ? "zpopmax" : "zpopmin", count);
        TypeCommands.deleteIfEmpty(client, key, zset.size() == 0);
    }

    /** [key,] member, score, member, score... in one array, in both protocols (ZPOPMIN alone, BZPOPMIN). */
    private static void writeFlat(RespWriter reply, List<ScoredMember> elements, byte[] key) {
        reply.arrayHeader(elements.size() * 2 + (key == null ? 0 : 1));
        if (key != null) {
            reply.bulkString(key);
        }
        for (ScoredMember element : elements) {
            reply.bulkString(element.member().array());
            reply.doubleValue(element.score());
        }
    }

    static void zpopmin(Client client, byte[][] args, RespWriter reply) {
        pop(client, args, reply, false);
    }

    static void zpopmax(Client client, byte[][] args, RespWriter reply) {
        pop(client, args, reply, true);
    }

    /** ZMPOP's and BZMPOP's arguments after numkeys: the keys, MIN or MAX, and COUNT (1 when absent). */
    private record MultiPop(List<byte[]> keys, boolean max, long count) {

        static MultiPop parse(byte[][] args, int numKeysIndex) {
            long numKeys = TypeCommands.strictlyPositiveLong(args[numKeysIndex], "ERR numkeys should be greater than 0");
            if (numKeys >= args.length - numKeysIndex - 1) {
                throw Args.syntaxError(); // no room left for MIN|MAX
            }
            int whereIndex = numKeysIndex + (int) numKeys + 1;
            boolean max;
            if (Args.is(args[whereIndex], "min")) {
                max = false;
            } else if (Args.is(args[whereIndex], "max")) {
                max = true;
            } else {
                throw Args.syntaxError();
            }
            long count = TypeCommands.multiPopCount(args, whereIndex);
            return new MultiPop(TypeCommands.argumentRange(args, numKeysIndex + 1, whereIndex), max, count);
        }
    }

    // tag::zmpop[]
    /**
     * Pops from the first non-empty sorted set among {@code keys}: {@code [key, [[member, score], ...]]}
     * (nested in both protocols) or, with {@code flat}, BZPOPMIN's {@code [key, member, score]}. Stops at the
     * first key of another type (WRONGTYPE), as {@code genericZpopCommand}. False when all are missing.
     */
    private static boolean tryPop(Client client, List<byte[]> keys, boolean max, long count, boolean flat, RespWriter reply) {
        for (byte[] key : keys) {
            RedisSortedSet zset = zset(client, key);
            if (zset == null) {
                continue;
            }
            List<ScoredMember> popped = max ? zset.popMax(count) : zset.popMin(count);
            if (flat) {
                writeFlat(reply, popped, key);
            } else {
                reply.arrayHeader(2);
                reply.bulkString(key);
                reply.arrayHeader(popped.size());
                for (ScoredMember element : popped) {
                    reply.arrayHeader(2);
                    reply.bulkString(element.member().array());
                    reply.doubleValue(element.score());
                }
            }
            popped(client, key, zset, max, popped.size());
            return true;
        }
        return false;
    }
    // end::zmpop[]

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. */
    static void zmpop(Client client, byte[][] args, RespWriter reply) {
        MultiPop pop = MultiPop.parse(args, 1);
        if (!tryPop(client, pop.keys(), pop.max(), pop.count(), false, reply)) {
            reply.nullArray();
        }
    }

    /** BZPOPMIN/BZPOPMAX key [key ...] timeout — {@code [key, member, score]}, or a nil array on timeout. */
    private static void blockingPop(Client client, byte[][] args, RespWriter reply, boolean max) {
        long deadline = BlockingKeys.deadline(client, args[args.length - 1]);
        List<byte[]> keys = List.of(args).subList(1, args.length - 1);
        if (!tryPop(client, keys, max, 1, true, reply)) {
            client.server().blockingKeys().block(client, keys, RedisSortedSet.class, deadline, reply,
                    (key, out) -> tryPop(client, List.of(key), max, 1, true, out));
        }
    }

    static void bzpopmin(Client client, byte[][] args, RespWriter reply) {
        blockingPop(client, args, reply, false);
    }

    static void bzpopmax(Client client, byte[][] args, RespWriter reply) {
        blockingPop(client, args, reply, true);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]. */
    static void bzmpop(Client client, byte[][] args, RespWriter reply) {
        long deadline = BlockingKeys.deadline(client, args[1]);
        MultiPop pop = MultiPop.parse(args, 2);
        if (!tryPop(client, pop.keys(), pop.max(), pop.count(), false, reply)) {
            client.server().blockingKeys().block(client, pop.keys(), RedisSortedSet.class, deadline, reply,
                    (key, out) -> tryPop(client, List.of(key), pop.max(), pop.count(), false, out));
        }
    }

    // ---- ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, as zunionInterDiffGenericCommand

    private enum Operation { UNION, INTER, DIFF, INTERCARD }

    // tag::zunion-inputs[]
    /**
     * Parses numkeys at {@code numKeysIndex}, reads (and type-checks) the inputs, which may be sets or sorted
     * sets, then the options this operation allows; computes the result and replies, or stores it in
     * {@code destination}.
     */
    private static void algebra(Client client, byte[][] args, RespWriter reply, int numKeysIndex, byte[] destination,
                                Operation operation) {
        String name = Args.text(args[0]).toLowerCase(Locale.ROOT);
        long numKeys = Args.parseLong(args[numKeysIndex]);
        if (numKeys < 1) {
            throw new RedisException("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (numKeys > args.length - numKeysIndex - 1) {
            throw Args.syntaxError();
        }
        List<RedisValue> inputs = new ArrayList<>((int) numKeys);
        int j = numKeysIndex + 1;
        for (int i = 0; i < numKeys; i++, j++) {
            RedisValue input = TypeCommands.lookupRead(client, Bytes.of(args[j])); // counted, as zunionInterDiffGenericCommand
            if (input != null && !(input instanceof RedisSortedSet) && !(input instanceof RedisSet)) {
                throw new WrongTypeException();
            }
            inputs.add(input);
        }
        // end::zunion-inputs[]
        // tag::zunion-options[]
        double[] weights = null;
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        boolean combines = operation == Operation.UNION || operation == Operation.INTER;
        while (j < args.length) {
            int remaining = args.length - j;
            if (combines && remaining >= numKeys + 1 && Args.is(args[j], "weights")) {
                j++;
                weights = new double[(int) numKeys];
                for (int i = 0; i < numKeys; i++, j++) {
                    weights[i] = parseWeight(args[j]);
                }
            } else if (combines && remaining >= 2 && Args.is(args[j], "aggregate")) {
                aggregate = switch (Args.text(args[j + 1]).toLowerCase(Locale.ROOT)) {
                    case "sum" -> Aggregate.SUM;
                    case "min" -> Aggregate.MIN;
                    case "max" -> Aggregate.MAX;
                    default -> throw Args.syntaxError();
                };
                j += 2;
            } else if (destination == null && operation != Operation.INTERCARD && Args.is(args[j], "withscores")) {
                withScores = true;
                j++;
            } else if (operation == Operation.INTERCARD && remaining >= 2 && Args.is(args[j], "limit")) {
                limit = TypeCommands.positiveLong(args[j + 1], "ERR LIMIT can't be negative");
                j += 2;
            } else {
                throw Args.syntaxError();
            }
        }
        // end::zunion-options[]
        // tag::zunion-result[]
        if (operation == Operation.INTERCARD) {
            reply.integer(RedisSortedSet.intersectionCardinality(inputs, limit));
            return;
        }
        RedisSortedSet result = switch (operation) {
            case UNION -> RedisSortedSet.union(inputs, weights, aggregate);
            case INTER -> RedisSortedSet.intersection(inputs, weights, aggregate);
            default -> RedisSortedSet.difference(inputs);
        };
        if (destination != null) {
            result.convertToListpackIfNeeded(client.db().limits()); // built as a skiplist, stored small when it fits, as Redis
            store(client, destination, result, reply, switch (operation) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                default -> "zdiffstore";
            });
        } else {
            writeElements(reply, result.rangeByRank(0, -1, false), withScores);
        }
    }
    // end::zunion-result[]

    private static double parseWeight(byte[] arg) {
        try {
            return RedisNumbers.parseDouble(arg);
        } catch (RedisException e) {
            throw new RedisException("ERR weight value is not a float");
        }
    }

    static void zunion(Client client, byte[][] args, RespWriter reply) {
        algebra(client, args, reply, 1, null, Operation.UNION);
    }

    static void zinter(Client client, byte[][] args, RespWriter reply) {
        algebra(client, args, reply, 1, null, Operation.INTER);
    }

    static void zdiff(Client client, byte[][] args, RespWriter reply) {
        algebra(client, args, reply, 1, null, Operation.DIFF);
    }

    static void zunionstore(Client client, byte[][] args, RespWriter reply) {
        algebra(client, args, reply, 2, args[1], Operation.UNION);
    }

    static void zinterstore(Client client, byte[][] args, RespWriter reply) {
        algebra(client, args, reply, 2, args[1], Operation.INTER);
    }

    static void zdiffstore(Client client, byte[][] args, RespWriter reply) {
        algebra(client, args, reply, 2, args[1], Operation.DIFF);
    }

    static void zintercard(Client client, byte[][] args, RespWriter reply) {
        algebra(client, args, reply, 1, null, Operation.INTERCARD);
    }

    // tag::zrandmember[]
    /** ZRANDMEMBER key [count [WITHSCORES]] — the count rules are HRANDFIELD's. */
    static void zrandmember(Client client, byte[][] args, RespWriter reply) {
        if (args.length == 2) {
            RedisSortedSet zset = readZset(client, args[1]);
            ScoredMember member = zset == null ? null : zset.randomMember(ThreadLocalRandom.current());
            if (member == null) {
                reply.nullBulkString();
            } else {
                reply.bulkString(member.member().array());
            }
            return;
        }
        long count = Args.parseLong(args[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedisException(RedisHash.COUNT_OUT_OF_RANGE);
        }
        boolean withScores = false;
        if (args.length > 4 || (args.length == 4 && !Args.is(args[3], "withscores"))) {
            throw Args.syntaxError();
        } else if (args.length == 4) {
            withScores = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                throw new RedisException("ERR value is out of range");
            }
        }
        RedisSortedSet zset = readZset(client, args[1]);
        if (count < 0 && zset != null) { // picks may repeat: written as drawn, and bounded (see ReplyLimit)
            Supplier<ScoredMember> draw = zset.randomDraws(ThreadLocalRandom.current());
            boolean flat = withScores && reply.protocolVersion() == 2;
            reply.arrayHeader(ReplyLimit.arrayLength(flat ? -2 * count : -count));
            for (long i = 0; i < -count && !ReplyLimit.reached(client, reply); i++) {
                writeElement(reply, draw.get(), withScores);
            }
            return;
        }
        writeElements(reply, zset == null ? List.of() : zset.randomMembers(count, ThreadLocalRandom.current()), withScores);
    }
    // end::zrandmember[]

    /** ZSCAN key cursor [MATCH pattern] [COUNT count] — members and scores, the scores as bulk strings. */
    static void zscan(Client client, byte[][] args, RespWriter reply) {
        long cursor = KeyCommands.parseCursor(args[2]);
        RedisSortedSet zset = readZset(client, args[1]);
        if (zset == null) {
            TypeCommands.emptyScan(reply);
            return;
        }
        TypeCommands.ScanOptions options = TypeCommands.ScanOptions.parse(args, 3, false);
        List<ScoredMember> found = new ArrayList<>();
        long next = zset.scan(cursor, options.count(), element -> {
            if (options.matches(element.member().array())) {
                found.add(element);
            }
        });
        reply.arrayHeader(2);
        reply.bulkString(Long.toUnsignedString(next));
        reply.arrayHeader(found.size() * 2);
        for (ScoredMember element : found) {
            reply.bulkString(element.member().array());
            reply.bulkString(RedisNumbers.formatDouble(element.score()));
        }
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("zadd", SortedSetCommands::zadd);
        table.handle("zincrby", SortedSetCommands::zincrby);
        table.handle("zscore", SortedSetCommands::zscore);
        table.handle("zmscore", SortedSetCommands::zmscore);
        table.handle("zcard", SortedSetCommands::zcard);
        table.handle("zcount", SortedSetCommands::zcount);
        table.handle("zlexcount", SortedSetCommands::zlexcount);
        table.handle("zrank", SortedSetCommands::zrank);
        table.handle("zrevrank", SortedSetCommands::zrevrank);
        table.handle("zrange", SortedSetCommands::zrange);
        table.handle("zrangestore", SortedSetCommands::zrangestore);
        table.handle("zrangebyscore", SortedSetCommands::zrangebyscore);
        table.handle("zrevrangebyscore", SortedSetCommands::zrevrangebyscore);
        table.handle("zrangebylex", SortedSetCommands::zrangebylex);
        table.handle("zrevrangebylex", SortedSetCommands::zrevrangebylex);
        table.handle("zrevrange", SortedSetCommands::zrevrange);
        table.handle("zrem", SortedSetCommands::zrem);
        table.handle("zremrangebyrank", SortedSetCommands::zremrangebyrank);
        table.handle("zremrangebyscore", SortedSetCommands::zremrangebyscore);
        table.handle("zremrangebylex", SortedSetCommands::zremrangebylex);
        table.handle("zpopmin", SortedSetCommands::zpopmin);
        table.handle("zpopmax", SortedSetCommands::zpopmax);
        table.handle("zmpop", SortedSetCommands::zmpop);
        table.handle("bzpopmin", SortedSetCommands::bzpopmin);
        table.handle("bzpopmax", SortedSetCommands::bzpopmax);
        table.handle("bzmpop", SortedSetCommands::bzmpop);
        table.handle("zunion", SortedSetCommands::zunion);
        table.handle("zinter", SortedSetCommands::zinter);
        table.handle("zdiff", SortedSetCommands::zdiff);
        table.handle("zunionstore", SortedSetCommands::zunionstore);
        table.handle("zinterstore", SortedSetCommands::zinterstore);
        table.handle("zdiffstore", SortedSetCommands::zdiffstore);
        table.handle("zintercard", SortedSetCommands::zintercard);
        table.handle("zrandmember", SortedSetCommands::zrandmember);
        table.handle("zscan", SortedSetCommands::zscan);
    }
}
