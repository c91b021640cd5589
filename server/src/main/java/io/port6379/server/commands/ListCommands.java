// The list family: pushes and pops at both ends, indexes and ranges, LMOVE, LMPOP, and the blocking pops.
package io.port6379.server.commands;

import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;
import io.port6379.server.BlockingKeys;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.util.Replies;
import io.port6379.server.stats.ServerStats;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisList.End;
import io.port6379.protocol.RespWriter;

import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import static io.port6379.server.AclCategory.LIST;

/**
 * List commands, on top of {@link RedisList}. The order of the checks follows {@code t_list.c}, because it
 * decides which error a client sees: LRANGE parses its indexes before it looks at the key, LINDEX after.
 * The blocking variants first try exactly what their non-blocking twin does; only when every key is empty
 * do they park the client in {@link BlockingKeys}.
 */
public final class ListCommands {

    private ListCommands() {
    }

    private static RedisList list(Client client, byte[] key) {
        return TypeCommands.get(client, key, RedisList.class);
    }

    /** A read: counted as a hit or a miss (see {@link TypeCommands#read}). */
    private static RedisList readList(Client client, byte[] key) {
        return TypeCommands.read(client, key, RedisList.class);
    }

    // tag::push[]
    /** LPUSH/RPUSH key element [element ...] — the new length; LPUSHX/RPUSHX only push onto an existing list. */
    private static void push(Client client, byte[][] args, RespWriter reply, End end, boolean onlyIfExists) {
        RedisList list = list(client, args[1]);
        if (list == null) {
            if (onlyIfExists) {
                reply.integer(0);
                return;
            }
            list = new RedisList();
            list.options(client.db().limits().lists()); // fixed now, as Redis's quicklist takes them at creation
            for (int i = 2; i < args.length; i++) {
                list.push(end, args[i]);
            }
            TypeCommands.store(client, client.db(), Bytes.of(args[1]), list); // wakes BLPOP & co. waiting on it
        } else {
            for (int i = 2; i < args.length; i++) {
                list.push(end, args[i]);
            }
        }
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.LIST, pushEvent(end), args.length - 2);
        reply.integer(list.size());
    }
    // end::push[]

    private static String pushEvent(End end) {
        return end == End.LEFT ? "lpush" : "rpush";
    }

    /**
     * Redis's {@code listElementsRemoved}, after {@code count} elements were popped from the {@code end} of the
     * list under {@code key}: an {@code lpop} or {@code rpop} event, the key deleted when the list is empty,
     * and one change per element.
     */
    private static void popped(Client client, byte[] key, RedisList list, End end, long count) {
        String event = end == End.LEFT ? "lpop" : "rpop";
        client.server().keyspaceEvents().modified(client, Bytes.of(key), NotifyKeyspaceEvents.LIST, event, count);
        TypeCommands.deleteIfEmpty(client, key, list.isEmpty());
    }

    static void lpush(Client client, byte[][] args, RespWriter reply) {
        push(client, args, reply, End.LEFT, false);
    }

    static void rpush(Client client, byte[][] args, RespWriter reply) {
        push(client, args, reply, End.RIGHT, false);
    }

    static void lpushx(Client client, byte[][] args, RespWriter reply) {
        push(client, args, reply, End.LEFT, true);
    }

    static void rpushx(Client client, byte[][] args, RespWriter reply) {
        push(client, args, reply, End.RIGHT, true);
    }

    // tag::pop[]
    /**
     * LPOP/RPOP key [count] — one element (or nil); with a count an array of up to count elements (or a nil
     * array for a missing key). A count of 0 on an existing list is an empty array.
     */
    private static void pop(Client client, byte[][] args, RespWriter reply, End end) {
        if (args.length > 3) {
            throw new RedisException("ERR wrong number of arguments for '" + Args.text(args[0]).toLowerCase(Locale.ROOT) + "' command");
        }
        boolean hasCount = args.length == 3;
        long count = hasCount ? TypeCommands.positiveLong(args[2], TypeCommands.MUST_BE_POSITIVE) : 1;
        RedisList list = list(client, args[1]);
        if (list == null) {
            if (hasCount) {
                reply.nullArray();
            } else {
                reply.nullBulkString();
            }
            return;
        }
        if (!hasCount) {
            reply.bulkString(list.pop(end));
            popped(client, args[1], list, end, 1);
            return;
        }
        int n = (int) Math.min(count, list.size());
        reply.arrayHeader(n);
        for (int i = 0; i < n; i++) {
            reply.bulkString(list.pop(end));
        }
        if (n > 0) { // a count of 0 only answers
            popped(client, args[1], list, end, n);
        }
    }
    // end::pop[]

    static void lpop(Client client, byte[][] args, RespWriter reply) {
        pop(client, args, reply, End.LEFT);
    }

    static void rpop(Client client, byte[][] args, RespWriter reply) {
        pop(client, args, reply, End.RIGHT);
    }

    static void llen(Client client, byte[][] args, RespWriter reply) {
        RedisList list = readList(client, args[1]);
        reply.integer(list == null ? 0 : list.size());
    }

    /** LRANGE key start stop — the indexes are parsed before the key is looked at. */
    static void lrange(Client client, byte[][] args, RespWriter reply) {
        long start = Args.parseLong(args[2]);
        long stop = Args.parseLong(args[3]);
        RedisList list = readList(client, args[1]);
        if (list == null) {
            reply.arrayHeader(0);
            return;
        }
        reply.arrayHeader(list.rangeSize(start, stop));
        list.forEachInRange(start, stop, reply::bulkString);
    }

    /** LINDEX key index — nil for a missing key even when the index is not a number, as in Redis. */
    static void lindex(Client client, byte[][] args, RespWriter reply) {
        RedisList list = readList(client, args[1]);
        if (list == null) {
            reply.nullBulkString();
            return;
        }
        byte[] element = list.get(Args.parseLong(args[2]));
        if (element == null) {
            reply.nullBulkString();
        } else {
            reply.bulkString(element);
        }
    }

    static void lset(Client client, byte[][] args, RespWriter reply) {
        RedisList list = list(client, args[1]);
        if (list == null) {
            throw new RedisException(RedisList.NO_SUCH_KEY);
        }
        list.set(Args.parseLong(args[2]), args[3]);
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.LIST, "lset", 1);
        Replies.ok(reply);
    }

    /** LINSERT key BEFORE|AFTER pivot element — the new length, -1 without the pivot, 0 without the key. */
    static void linsert(Client client, byte[][] args, RespWriter reply) {
        boolean before;
        if (Args.is(args[2], "before")) {
            before = true;
        } else if (Args.is(args[2], "after")) {
            before = false;
        } else {
            throw Args.syntaxError();
        }
        RedisList list = list(client, args[1]);
        long length = list == null ? 0 : list.insert(before, args[3], args[4]);
        if (length > 0) {
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.LIST, "linsert", 1);
        }
        reply.integer(length);
    }

    static void lrem(Client client, byte[][] args, RespWriter reply) {
        long count = Args.parseLong(args[2]);
        RedisList list = list(client, args[1]);
        if (list == null) {
            reply.integer(0);
            return;
        }
        long removed = list.remove(count, args[3]);
        if (removed > 0) {
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.LIST, "lrem", removed);
            TypeCommands.deleteIfEmpty(client, args[1], list.isEmpty());
        }
        reply.integer(removed);
    }

    static void ltrim(Client client, byte[][] args, RespWriter reply) {
        long start = Args.parseLong(args[2]);
        long stop = Args.parseLong(args[3]);
        RedisList list = list(client, args[1]);
        if (list != null) {
            int before = list.size();
            list.trim(start, stop);
            // Redis announces and signals LTRIM even when it removed nothing; the changes are the elements removed
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.LIST, "ltrim", before - list.size());
            TypeCommands.deleteIfEmpty(client, args[1], list.isEmpty());
        }
        Replies.ok(reply);
    }

    // tag::lpos[]
    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] — options are checked as they are read. */
    static void lpos(Client client, byte[][] args, RespWriter reply) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int i = 3; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            if (Args.is(args[i], "rank") && hasValue) {
                rank = Args.parseLong(args[++i]);
                if (rank == 0) {
                    throw new RedisException(RedisList.RANK_ZERO);
                }
            } else if (Args.is(args[i], "count") && hasValue) {
                count = TypeCommands.positiveLong(args[++i], RedisList.COUNT_NEGATIVE);
            } else if (Args.is(args[i], "maxlen") && hasValue) {
                maxlen = TypeCommands.positiveLong(args[++i], RedisList.MAXLEN_NEGATIVE);
            } else {
                throw Args.syntaxError();
            }
        }
        RedisList list = readList(client, args[1]);
        List<Long> positions = list == null ? List.of() : list.positions(args[2], rank, Math.max(count, 0), maxlen);
        if (count >= 0) {
            reply.arrayHeader(positions.size());
            positions.forEach(reply::integer);
        } else if (positions.isEmpty()) {
            reply.nullBulkString();
        } else {
            reply.integer(positions.getFirst());
        }
    }
    // end::lpos[]

    private static End where(byte[] arg) {
        if (Args.is(arg, "left")) {
            return End.LEFT;
        }
        if (Args.is(arg, "right")) {
            return End.RIGHT;
        }
        throw Args.syntaxError();
    }

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT — the element moved, or nil when the source is missing. */
    static void lmove(Client client, byte[][] args, RespWriter reply) {
        move(client, args[1], args[2], where(args[3]), where(args[4]), reply);
    }

    static void rpoplpush(Client client, byte[][] args, RespWriter reply) {
        move(client, args[1], args[2], End.RIGHT, End.LEFT, reply);
    }

    /** Writes the element moved, or nothing and returns false when the source list is missing. */
    private static boolean tryMove(Client client, byte[] source, byte[] destination, End from, End to, RespWriter reply) {
        Bytes target = Bytes.of(destination);
        boolean created = !client.db().exists(target);
        Bytes origin = Bytes.of(source);
        byte[] element = RedisList.move(client.db(), origin, target, from, to);
        if (element == null) {
            return false;
        }
        if (created) {
            client.server().blockingKeys().signal(client.dbIndex(), target); // LMOVE into a key someone waits on
        }
        // as lmoveGenericCommand: the push is announced first, then the pop, then the source's deletion
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.modified(client, target, NotifyKeyspaceEvents.LIST, pushEvent(to), 0);
        events.modified(client, origin, NotifyKeyspaceEvents.LIST, from == End.LEFT ? "lpop" : "rpop", 1);
        if (!client.db().exists(origin)) {
            events.notify(NotifyKeyspaceEvents.GENERIC, "del", origin, client.dbIndex());
        }
        reply.bulkString(element);
        return true;
    }

    private static void move(Client client, byte[] source, byte[] destination, End from, End to, RespWriter reply) {
        if (!tryMove(client, source, destination, from, to, reply)) {
            reply.nullBulkString();
        }
    }

    /** LMPOP's and BLMPOP's arguments after numkeys: the keys, the end, and COUNT (1 when absent). */
    private record MultiPop(List<byte[]> keys, End end, long count) {

        static MultiPop parse(byte[][] args, int numKeysIndex) {
            long numKeys = TypeCommands.strictlyPositiveLong(args[numKeysIndex], "ERR numkeys should be greater than 0");
            if (numKeys >= args.length - numKeysIndex - 1) {
                throw Args.syntaxError(); // no room left for LEFT|RIGHT
            }
            int whereIndex = numKeysIndex + (int) numKeys + 1;
            End end = where(args[whereIndex]);
            long count = TypeCommands.multiPopCount(args, whereIndex);
            return new MultiPop(TypeCommands.argumentRange(args, numKeysIndex + 1, whereIndex), end, count);
        }
    }

    // tag::lmpop[]
    /** Pops from the first non-empty list and writes {@code [key, [elements]]}; false (nothing written) if none. */
    private static boolean tryMultiPop(Client client, MultiPop pop, RespWriter reply) {
        for (byte[] key : pop.keys()) {
            RedisList list = list(client, key);
            if (list == null) {
                continue;
            }
            int n = (int) Math.min(pop.count(), list.size());
            reply.arrayHeader(2);
            reply.bulkString(key);
            reply.arrayHeader(n);
            for (int i = 0; i < n; i++) {
                reply.bulkString(list.pop(pop.end()));
            }
            popped(client, key, list, pop.end(), n);
            return true;
        }
        return false;
    }
    // end::lmpop[]

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
    static void lmpop(Client client, byte[][] args, RespWriter reply) {
        if (!tryMultiPop(client, MultiPop.parse(args, 1), reply)) {
            reply.nullArray();
        }
    }

    // ---- blocking variants: try once, else wait in BlockingKeys until a key is ready or the timeout passes

    /** Pops one element from the first non-empty list as {@code [key, element]}; false if all are empty. */
    private static boolean tryBlockingPop(Client client, List<byte[]> keys, End end, RespWriter reply) {
        for (byte[] key : keys) {
            RedisList list = list(client, key);
            if (list != null) {
                reply.arrayHeader(2);
                reply.bulkString(key);
                reply.bulkString(list.pop(end));
                popped(client, key, list, end, 1);
                return true;
            }
        }
        return false;
    }

    // tag::blpop[]
    /** BLPOP/BRPOP key [key ...] timeout — {@code [key, element]}, or a nil array when the timeout passes. */
    private static void blockingPop(Client client, byte[][] args, RespWriter reply, End end) {
        long deadline = BlockingKeys.deadline(client, args[args.length - 1]);
        List<byte[]> keys = List.of(args).subList(1, args.length - 1);
        if (!tryBlockingPop(client, keys, end, reply)) {
            client.server().blockingKeys().block(client, keys, RedisList.class, deadline, reply,
                    (key, out) -> uncounted(client, () -> tryBlockingPop(client, List.of(key), end, out)));
        }
    }
    // end::blpop[]

    static void blpop(Client client, byte[][] args, RespWriter reply) {
        blockingPop(client, args, reply, End.LEFT);
    }

    static void brpop(Client client, byte[][] args, RespWriter reply) {
        blockingPop(client, args, reply, End.RIGHT);
    }

    private static void blockingMove(Client client, byte[] source, byte[] destination, End from, End to,
                                     byte[] timeout, RespWriter reply) {
        long deadline = BlockingKeys.deadline(client, timeout);
        if (tryMove(client, source, destination, from, to, reply)) {
            return;
        }
        if (client.inMulti()) {
            reply.nullBulkString(); // BLMOVE inside MULTI: a nil string at once, not the nil array of a timeout
        } else {
            client.server().blockingKeys().block(client, List.of(source), RedisList.class, deadline, reply,
                    (key, out) -> uncounted(client, () -> tryMove(client, source, destination, from, to, out)));
        }
    }

    /**
     * Runs a blocked BLPOP, BRPOP or BLMOVE when a push served it. Redis's {@code serveClientBlockedOnList}
     * announces the events but, unlike a served BLMPOP (or BZPOPMIN), counts no change in {@code server.dirty}.
     */
    private static boolean uncounted(Client client, BooleanSupplier serve) {
        ServerStats stats = client.server().stats();
        long dirty = stats.dirty();
        boolean served = serve.getAsBoolean();
        stats.dirty(dirty - stats.dirty());
        return served;
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static void blmove(Client client, byte[][] args, RespWriter reply) {
        End from = where(args[3]);
        End to = where(args[4]);
        blockingMove(client, args[1], args[2], from, to, args[5], reply);
    }

    /** BRPOPLPUSH source destination timeout. */
    static void brpoplpush(Client client, byte[][] args, RespWriter reply) {
        blockingMove(client, args[1], args[2], End.RIGHT, End.LEFT, args[3], reply);
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
    static void blmpop(Client client, byte[][] args, RespWriter reply) {
        long deadline = BlockingKeys.deadline(client, args[1]);
        MultiPop pop = MultiPop.parse(args, 2);
        if (!tryMultiPop(client, pop, reply)) {
            client.server().blockingKeys().block(client, pop.keys(), RedisList.class, deadline, reply,
                    (key, out) -> tryMultiPop(client, new MultiPop(List.of(key), pop.end(), pop.count()), out));
        }
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("lpush", ListCommands::lpush);
        table.handle("rpush", ListCommands::rpush);
        table.handle("lpushx", ListCommands::lpushx);
        table.handle("rpushx", ListCommands::rpushx);
        table.handle("lpop", ListCommands::lpop);
        table.handle("rpop", ListCommands::rpop);
        table.handle("llen", ListCommands::llen);
        table.handle("lrange", ListCommands::lrange);
        table.handle("lindex", ListCommands::lindex);
        table.handle("lset", ListCommands::lset);
        table.handle("linsert", ListCommands::linsert);
        table.handle("lrem", ListCommands::lrem);
        table.handle("ltrim", ListCommands::ltrim);
        table.handle("lpos", ListCommands::lpos);
        table.handle("lmove", ListCommands::lmove);
        table.handle("rpoplpush", ListCommands::rpoplpush);
        table.handle("lmpop", ListCommands::lmpop);
        table.handle("blpop", ListCommands::blpop);
        table.handle("brpop", ListCommands::brpop);
        table.handle("blmove", ListCommands::blmove);
        table.handle("brpoplpush", ListCommands::brpoplpush);
        table.handle("blmpop", ListCommands::blmpop);
    }
}
