// The set family: membership, random members, SMOVE, and the set algebra SINTER/SUNION/SDIFF and their STORE forms.
package io.port6379.server.commands;

import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisSet;
import io.port6379.protocol.RespWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

import static io.port6379.server.AclCategory.SET;

/**
 * Set commands, on top of {@link RedisSet}. Redis 7.0 answers sets with RESP3's set type ({@code ~}):
 * SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count; SRANDMEMBER with a count may repeat members, so it
 * stays an array. A missing key is an empty set everywhere, but every key is type-checked first.
 */
public final class SetCommands {

    private SetCommands() {
    }

    private static RedisSet set(Client client, byte[] key) {
        return TypeCommands.get(client, key, RedisSet.class);
    }

    /** A read: counted as a hit or a miss (see {@link TypeCommands#read}). */
    private static RedisSet readSet(Client client, byte[] key) {
        return TypeCommands.read(client, key, RedisSet.class);
    }

    private static void writeSet(RespWriter reply, List<Bytes> members) {
        reply.setHeader(members.size());
        members.forEach(member -> reply.bulkString(member.array()));
    }

    static void sadd(Client client, byte[][] args, RespWriter reply) {
        RedisSet set = set(client, args[1]);
        if (set == null) { // in the encoding its first member calls for, as Redis's setTypeCreate
            set = RedisSet.forFirstMember(Bytes.of(args[2]));
            TypeCommands.store(client, client.db(), Bytes.of(args[1]), set);
        }
        long added = 0;
        for (int i = 2; i < args.length; i++) {
            if (set.add(Bytes.of(args[i]), client.db().limits())) {
                added++;
            }
        }
        if (added > 0) {
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.SET, "sadd", added);
        }
        reply.integer(added);
    }

    static void srem(Client client, byte[][] args, RespWriter reply) {
        RedisSet set = set(client, args[1]);
        long removed = 0;
        if (set != null) {
            for (int i = 2; i < args.length && set.size() > 0; i++) {
                if (set.remove(Bytes.of(args[i]))) {
                    removed++;
                }
            }
            if (removed > 0) {
                client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.SET, "srem", removed);
                TypeCommands.deleteIfEmpty(client, args[1], set.size() == 0);
            }
        }
        reply.integer(removed);
    }

    static void sismember(Client client, byte[][] args, RespWriter reply) {
        RedisSet set = readSet(client, args[1]);
        reply.integer(set != null && set.contains(Bytes.of(args[2])) ? 1 : 0);
    }

    static void smismember(Client client, byte[][] args, RespWriter reply) {
        RedisSet set = readSet(client, args[1]);
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            reply.integer(set != null && set.contains(Bytes.of(args[i])) ? 1 : 0);
        }
    }

    static void smembers(Client client, byte[][] args, RespWriter reply) {
        RedisSet set = readSet(client, args[1]);
        writeSet(reply, set == null ? List.of() : set.members());
    }

    static void scard(Client client, byte[][] args, RespWriter reply) {
        RedisSet set = readSet(client, args[1]);
        reply.integer(set == null ? 0 : set.size());
    }

    // tag::spop[]
    /** SPOP key [count] — one random member (or nil), or with a count a set of up to count members, removed. */
    static void spop(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw Args.syntaxError();
        }
        if (args.length == 2) {
            RedisSet set = set(client, args[1]);
            if (set == null) {
                reply.nullBulkString();
                return;
            }
            reply.bulkString(set.pop(ThreadLocalRandom.current()).array());
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.SET, "spop", 1);
            TypeCommands.deleteIfEmpty(client, args[1], set.size() == 0);
            return;
        }
        long count = TypeCommands.positiveLong(args[2], TypeCommands.MUST_BE_POSITIVE);
        RedisSet set = set(client, args[1]);
        if (set == null || count == 0) {
            writeSet(reply, List.of());
            return;
        }
        if (count >= set.size()) {
            // Redis replies with SUNION's code (a copy of the set, then let go of) and deletes the key: two values
            // of the set's size for lazyfree-lazy-server-del; the emptied set below then counts for nothing.
            droppedAsSideEffect(client, set);
            droppedAsSideEffect(client, set);
        }
        List<Bytes> popped = set.pop(count, ThreadLocalRandom.current(), client.db().limits());
        writeSet(reply, popped);
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.SET, "spop", popped.size());
        TypeCommands.deleteIfEmpty(client, args[1], set.size() == 0);
    }
    // end::spop[]

    /** SRANDMEMBER key [count] — like SPOP without removing; a negative count may repeat members. */
    static void srandmember(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 3) {
            throw Args.syntaxError();
        }
        if (args.length == 2) {
            RedisSet set = readSet(client, args[1]);
            Bytes member = set == null ? null : set.randomMember(ThreadLocalRandom.current());
            if (member == null) {
                reply.nullBulkString();
            } else {
                reply.bulkString(member.array());
            }
            return;
        }
        long count = Args.parseLong(args[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedisException(RedisHash.COUNT_OUT_OF_RANGE); // the same getRangeLongFromObjectOrReply text
        }
        RedisSet set = readSet(client, args[1]);
        if (count < 0 && set != null) { // picks may repeat: written as drawn, and bounded (see ReplyLimit)
            reply.arrayHeader(ReplyLimit.arrayLength(-count));
            for (long i = 0; i < -count && !ReplyLimit.reached(client, reply); i++) {
                reply.bulkString(set.randomMember(ThreadLocalRandom.current()).array());
            }
            return;
        }
        List<Bytes> members = set == null ? List.of() : set.randomMembers(count, ThreadLocalRandom.current());
        reply.arrayHeader(members.size());
        members.forEach(member -> reply.bulkString(member.array()));
    }

    /** SMOVE source destination member — 0 when the source is missing, before the destination's type is checked. */
    static void smove(Client client, byte[][] args, RespWriter reply) {
        RedisSet source = set(client, args[1]);
        if (source == null) {
            reply.integer(0);
            return;
        }
        RedisSet destination = set(client, args[2]);
        Bytes member = Bytes.of(args[3]);
        if (source == destination || !source.contains(member)) {
            reply.integer(source.contains(member) ? 1 : 0); // a move to itself changes nothing
            return;
        }
        source.remove(member);
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.SET, "srem", 1);
        TypeCommands.deleteIfEmpty(client, args[1], source.size() == 0);
        if (destination == null) {
            destination = new RedisSet();
            TypeCommands.store(client, client.db(), Bytes.of(args[2]), destination);
        }
        if (destination.add(member, client.db().limits())) { // as smoveCommand: a member already there is one change, not two
            events.modified(client, Bytes.of(args[2]), NotifyKeyspaceEvents.SET, "sadd", 1);
        }
        reply.integer(1);
    }

    /**
     * The sets under {@code args[from..to)}, null for missing keys; WRONGTYPE at the first that holds something
     * else. Each is a read, also for the STORE forms (Redis 7.0 counts their sources as hits and misses).
     */
    private static List<RedisSet> sets(Client client, byte[][] args, int from, int to) {
        List<RedisSet> sets = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            sets.add(readSet(client, args[i]));
        }
        return sets;
    }

    // tag::algebra[]
    static void sinter(Client client, byte[][] args, RespWriter reply) {
        writeSet(reply, RedisSet.intersection(sets(client, args, 1, args.length), client.db().limits()).members());
    }

    /** SUNION and SDIFF build their result as a set, as Redis does, and let go of it once it is written. */
    static void sunion(Client client, byte[][] args, RespWriter reply) {
        RedisSet result = RedisSet.union(sets(client, args, 1, args.length), client.db().limits());
        writeSet(reply, result.members());
        droppedAsSideEffect(client, result);
    }

    static void sdiff(Client client, byte[][] args, RespWriter reply) {
        RedisSet result = RedisSet.difference(sets(client, args, 1, args.length), client.db().limits());
        writeSet(reply, result.members());
        droppedAsSideEffect(client, result);
    }

    /** A value let go of as Redis's {@code sunionDiffGenericCommand} does: lazily with lazyfree-lazy-server-del. */
    private static void droppedAsSideEffect(Client client, RedisSet set) {
        client.server().lazyFree().deleted(set, client.server().config().flag("lazyfree-lazy-server-del"));
    }

    /** SINTERSTORE/SUNIONSTORE/SDIFFSTORE destination key [key ...] — the size stored; an empty result deletes destination. */
    private static void store(Client client, byte[][] args, RespWriter reply,
                              BiFunction<List<RedisSet>, EncodingLimits, RedisSet> operation, String event) {
        RedisSet result = operation.apply(sets(client, args, 2, args.length), client.db().limits());
        TypeCommands.storeResult(client, Bytes.of(args[1]), result, result.size() == 0, NotifyKeyspaceEvents.SET, event);
        reply.integer(result.size());
    }
    // end::algebra[]

    static void sinterstore(Client client, byte[][] args, RespWriter reply) {
        store(client, args, reply, RedisSet::intersection, "sinterstore");
    }

    static void sunionstore(Client client, byte[][] args, RespWriter reply) {
        store(client, args, reply, RedisSet::union, "sunionstore");
    }

    static void sdiffstore(Client client, byte[][] args, RespWriter reply) {
        store(client, args, reply, RedisSet::difference, "sdiffstore");
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit] — the intersection's size, counting stops at the limit. */
    static void sintercard(Client client, byte[][] args, RespWriter reply) {
        int numKeys = TypeCommands.numKeys(args, 1, "ERR numkeys should be greater than 0",
                "ERR Number of keys can't be greater than number of args");
        long limit = 0;
        for (int i = 2 + numKeys; i < args.length; i++) {
            if (Args.is(args[i], "limit") && i + 1 < args.length) {
                limit = TypeCommands.positiveLong(args[++i], "ERR LIMIT can't be negative");
            } else {
                throw Args.syntaxError();
            }
        }
        reply.integer(RedisSet.intersectionCardinality(sets(client, args, 2, 2 + numKeys), limit));
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count]. */
    static void sscan(Client client, byte[][] args, RespWriter reply) {
        long cursor = KeyCommands.parseCursor(args[2]);
        RedisSet set = readSet(client, args[1]);
        if (set == null) {
            TypeCommands.emptyScan(reply);
            return;
        }
        TypeCommands.ScanOptions options = TypeCommands.ScanOptions.parse(args, 3, false);
        List<Bytes> found = new ArrayList<>();
        long next = set.scan(cursor, options.count(), member -> {
            if (options.matches(member.array())) {
                found.add(member);
            }
        });
        reply.arrayHeader(2);
        reply.bulkString(Long.toUnsignedString(next));
        reply.arrayHeader(found.size());
        found.forEach(member -> reply.bulkString(member.array()));
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("sadd", SetCommands::sadd);
        table.handle("srem", SetCommands::srem);
        table.handle("sismember", SetCommands::sismember);
        table.handle("smismember", SetCommands::smismember);
        table.handle("smembers", SetCommands::smembers);
        table.handle("scard", SetCommands::scard);
        table.handle("spop", SetCommands::spop);
        table.handle("srandmember", SetCommands::srandmember);
        table.handle("smove", SetCommands::smove);
        table.handle("sinter", SetCommands::sinter);
        table.handle("sintercard", SetCommands::sintercard);
        table.handle("sinterstore", SetCommands::sinterstore);
        table.handle("sunion", SetCommands::sunion);
        table.handle("sunionstore", SetCommands::sunionstore);
        table.handle("sdiff", SetCommands::sdiff);
        table.handle("sdiffstore", SetCommands::sdiffstore);
        table.handle("sscan", SetCommands::sscan);
    }
}
