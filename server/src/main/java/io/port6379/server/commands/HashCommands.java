// The hash family: fields and values under one key, counters in fields, random fields and HSCAN.
package io.port6379.server.commands;

import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisHash;
import io.port6379.protocol.RespWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static io.port6379.server.AclCategory.HASH;

/**
 * Hash commands, on top of {@link RedisHash}. HGETALL is a map in RESP3 (a flat array in RESP2); HRANDFIELD
 * WITHVALUES is an array of [field, value] pairs in RESP3, again flat in RESP2, as in Redis 7.0.
 */
public final class HashCommands {

    private HashCommands() {
    }

    private static RedisHash hash(Client client, byte[] key) {
        return TypeCommands.get(client, key, RedisHash.class);
    }

    /** A read: counted as a hit or a miss (see {@link TypeCommands#read}). */
    private static RedisHash readHash(Client client, byte[] key) {
        return TypeCommands.read(client, key, RedisHash.class);
    }

    private static void bulkOrNil(RespWriter reply, byte[] value) {
        if (value == null) {
            reply.nullBulkString();
        } else {
            reply.bulkString(value);
        }
    }

    // tag::hset[]
    /** HSET key field value [field value ...] — the number of new fields. */
    static void hset(Client client, byte[][] args, RespWriter reply) {
        reply.integer(setFields(client, args));
    }

    /** HMSET: HSET's older twin, answering OK. */
    static void hmset(Client client, byte[][] args, RespWriter reply) {
        setFields(client, args);
        Replies.ok(reply);
    }

    private static long setFields(Client client, byte[][] args) {
        if (args.length % 2 != 0) {
            throw new RedisException("ERR wrong number of arguments for '" + Args.text(args[0]).toLowerCase(Locale.ROOT) + "' command");
        }
        RedisHash hash = TypeCommands.getOrCreate(client, args[1], RedisHash.class, RedisHash::new);
        long added = 0;
        for (int i = 2; i < args.length; i += 2) {
            if (hash.put(args[i], args[i + 1], client.db().limits())) {
                added++;
            }
        }
        // one event, but a change per field written, new or not (hsetCommand)
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.HASH, "hset", (args.length - 2) / 2);
        return added;
    }
    // end::hset[]

    static void hsetnx(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = TypeCommands.getOrCreate(client, args[1], RedisHash.class, RedisHash::new);
        boolean added = hash.putIfAbsent(args[2], args[3], client.db().limits());
        if (added) {
            client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.HASH, "hset", 1);
        }
        reply.integer(added ? 1 : 0);
    }

    static void hget(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        bulkOrNil(reply, hash == null ? null : hash.get(args[2]));
    }

    static void hmget(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            bulkOrNil(reply, hash == null ? null : hash.get(args[i]));
        }
    }

    /** HDEL key field [field ...] — the number removed; the key goes with its last field. */
    static void hdel(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = hash(client, args[1]);
        long removed = 0;
        if (hash != null) {
            for (int i = 2; i < args.length; i++) {
                if (hash.remove(args[i])) {
                    removed++;
                }
            }
            if (removed > 0) {
                client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.HASH, "hdel", removed);
                TypeCommands.deleteIfEmpty(client, args[1], hash.isEmpty());
            }
        }
        reply.integer(removed);
    }

    static void hlen(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        reply.integer(hash == null ? 0 : hash.size());
    }

    static void hstrlen(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        reply.integer(hash == null ? 0 : hash.valueLength(args[2]));
    }

    static void hexists(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        reply.integer(hash != null && hash.contains(args[2]) ? 1 : 0);
    }

    static void hkeys(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        reply.arrayHeader(hash == null ? 0 : hash.size());
        if (hash != null) {
            hash.forEach((field, value) -> reply.bulkString(field));
        }
    }

    static void hvals(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        reply.arrayHeader(hash == null ? 0 : hash.size());
        if (hash != null) {
            hash.forEach((field, value) -> reply.bulkString(value));
        }
    }

    // tag::hgetall[]
    /** HGETALL key — a map of fields to values in RESP3, field, value, field, value... in RESP2. */
    static void hgetall(Client client, byte[][] args, RespWriter reply) {
        RedisHash hash = readHash(client, args[1]);
        reply.mapHeader(hash == null ? 0 : hash.size());
        if (hash != null) {
            hash.forEach((field, value) -> reply.bulkString(field).bulkString(value));
        }
    }
    // end::hgetall[]

    /** HINCRBY key field increment — the increment is read before the key is looked at. */
    static void hincrby(Client client, byte[][] args, RespWriter reply) {
        long increment = Args.parseLong(args[3]);
        RedisHash hash = TypeCommands.get(client, args[1], RedisHash.class);
        long value;
        if (hash == null) {
            hash = new RedisHash();
            value = hash.incrBy(args[2], increment, client.db().limits());
            TypeCommands.store(client, client.db(), Bytes.of(args[1]), hash);
        } else {
            value = hash.incrBy(args[2], increment, client.db().limits());
        }
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.HASH, "hincrby", 1);
        reply.integer(value);
    }

    /**
     * HINCRBYFLOAT key field increment. Redis rejects a bad increment before it looks at the key, so the
     * increment is tried on an empty hash first; a missing key is only created when the addition succeeds.
     */
    static void hincrbyfloat(Client client, byte[][] args, RespWriter reply) {
        new RedisHash().incrByFloat(args[2], args[3], client.db().limits());
        RedisHash hash = TypeCommands.get(client, args[1], RedisHash.class);
        byte[] value;
        if (hash == null) {
            hash = new RedisHash();
            value = hash.incrByFloat(args[2], args[3], client.db().limits());
            TypeCommands.store(client, client.db(), Bytes.of(args[1]), hash);
        } else {
            value = hash.incrByFloat(args[2], args[3], client.db().limits());
        }
        client.server().keyspaceEvents().modified(client, Bytes.of(args[1]), NotifyKeyspaceEvents.HASH, "hincrbyfloat", 1);
        reply.bulkString(value);
    }

    // tag::hrandfield[]
    /** HRANDFIELD key [count [WITHVALUES]]. */
    static void hrandfield(Client client, byte[][] args, RespWriter reply) {
        if (args.length == 2) {
            RedisHash hash = readHash(client, args[1]);
            bulkOrNil(reply, hash == null ? null : hash.randomField(ThreadLocalRandom.current()));
            return;
        }
        long count = Args.parseLong(args[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedisException(RedisHash.COUNT_OUT_OF_RANGE);
        }
        boolean withValues = false;
        if (args.length > 4 || (args.length == 4 && !Args.is(args[3], "withvalues"))) {
            throw Args.syntaxError();
        } else if (args.length == 4) {
            withValues = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                throw new RedisException("ERR value is out of range");
            }
        }
        RedisHash hash = readHash(client, args[1]);
        boolean flat = withValues && reply.protocolVersion() == 2;
        if (count < 0 && hash != null) { // picks may repeat: written as drawn, and bounded (see ReplyLimit)
            Supplier<byte[][]> draw = hash.randomDraws(ThreadLocalRandom.current());
            reply.arrayHeader(ReplyLimit.arrayLength(flat ? -2 * count : -count));
            for (long i = 0; i < -count && !ReplyLimit.reached(client, reply); i++) {
                writePick(reply, draw.get(), withValues);
            }
            return;
        }
        List<byte[][]> fields = hash == null ? List.of() : hash.randomFields(count, ThreadLocalRandom.current());
        reply.arrayHeader(flat ? 2 * fields.size() : fields.size());
        for (byte[][] pair : fields) {
            writePick(reply, pair, withValues);
        }
    }
    // end::hrandfield[]

    /** One HRANDFIELD pick: the field, or with WITHVALUES field and value (a pair in RESP3). */
    private static void writePick(RespWriter reply, byte[][] pair, boolean withValues) {
        if (!withValues) {
            reply.bulkString(pair[0]);
            return;
        }
        if (reply.protocolVersion() == 3) {
            reply.arrayHeader(2);
        }
        reply.bulkString(pair[0]).bulkString(pair[1]);
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count] — the cursor is checked first, the options only for a live key. */
    static void hscan(Client client, byte[][] args, RespWriter reply) {
        long cursor = KeyCommands.parseCursor(args[2]);
        RedisHash hash = readHash(client, args[1]);
        if (hash == null) {
            TypeCommands.emptyScan(reply);
            return;
        }
        TypeCommands.ScanOptions options = TypeCommands.ScanOptions.parse(args, 3, false);
        List<byte[]> found = new ArrayList<>();
        long next = hash.scan(cursor, (int) Math.min(options.count(), Integer.MAX_VALUE), (field, value) -> {
            if (options.matches(field)) {
                found.add(field);
                found.add(value);
            }
        });
        reply.arrayHeader(2);
        reply.bulkString(Long.toUnsignedString(next));
        reply.arrayHeader(found.size());
        found.forEach(reply::bulkString);
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("hset", HashCommands::hset);
        table.handle("hsetnx", HashCommands::hsetnx);
        table.handle("hget", HashCommands::hget);
        table.handle("hmget", HashCommands::hmget);
        table.handle("hmset", HashCommands::hmset);
        table.handle("hdel", HashCommands::hdel);
        table.handle("hlen", HashCommands::hlen);
        table.handle("hstrlen", HashCommands::hstrlen);
        table.handle("hexists", HashCommands::hexists);
        table.handle("hkeys", HashCommands::hkeys);
        table.handle("hvals", HashCommands::hvals);
        table.handle("hgetall", HashCommands::hgetall);
        table.handle("hincrby", HashCommands::hincrby);
        table.handle("hincrbyfloat", HashCommands::hincrbyfloat);
        table.handle("hrandfield", HashCommands::hrandfield);
        table.handle("hscan", HashCommands::hscan);
    }
}
