// The HyperLogLog family: PFADD, PFCOUNT, PFMERGE, and the PFDEBUG and PFSELFTEST Redis keeps for its own tests.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.HyperLogLog;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisString;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.config.NotifyKeyspaceEvents;
import io.port6379.server.util.Replies;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A HyperLogLog counts distinct elements in 12 KB at most, with an error of about 0.81 %, and it is an ordinary
 * string: GET returns it, SET restores it, TYPE says {@code string}. {@link HyperLogLog} (datastructures) keeps
 * Redis's exact bytes; this class adds what Redis's commands do around them.
 *
 * <p>Three Redis habits shape it:
 * <ul>
 *   <li>Every command checks that the string is a HyperLogLog (magic {@code HYLL}, a known encoding, the dense
 *       length) and answers {@code WRONGTYPE Key is not a valid HyperLogLog string value.} otherwise; a key of
 *       another type gets the usual WRONGTYPE.</li>
 *   <li>PFCOUNT of one key is a read that may write: when the cached cardinality in the header is stale it
 *       computes a new one and stores it in the string. Redis then signals the key (a WATCH fails), counts one
 *       change and propagates the PFCOUNT itself, so a replica or the append-only file writes the same cache;
 *       there is no keyspace event.</li>
 *   <li>PFMERGE announces its write as a {@code pfadd} event, "a mass-add of elements" in Redis's words.</li>
 * </ul>
 * Redis changes the string in place, so a PFADD, PFCOUNT or PFDEBUG also leaves it in the {@code raw} encoding
 * (its {@code dbUnshareStringValue}); we store a new raw string, keeping the TTL.
 */
public final class HyperLogLogCommands {

    private HyperLogLogCommands() {
    }

    // tag::pfadd[]
    /**
     * PFADD key [element ...] — 1 if a register changed or the key was created, else 0. The key's changes count
     * one per element that changed a register, plus one for the creation. O(1) per element.
     */
    static void pfadd(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        RedisString current = client.db().get(key, RedisString.class);
        HyperLogLog hll = (current == null ? HyperLogLog.create() : working(current))
                .sparseMaxBytes(client.db().limits().hllSparseMaxBytes());
        int updated = current == null ? 1 : 0;
        try {
            for (int j = 2; j < args.length; j++) {
                updated += hll.add(args[j]);
            }
        } catch (RedisException corrupted) {
            store(client, key, current, hll); // Redis had already changed its string for the elements before
            throw corrupted;
        }
        if (updated > 0) {
            hll.invalidateCache();
            store(client, key, current, hll);
            client.server().keyspaceEvents().modified(client, key, NotifyKeyspaceEvents.STRING, "pfadd", updated);
        } else {
            unshare(client, key, current);
        }
        reply.integer(updated > 0 ? 1 : 0);
    }
    // end::pfadd[]

    // tag::pfcount[]
    /**
     * PFCOUNT key [key ...] — one key: its cached cardinality, or a new count then cached (a change, see the
     * class comment). Several keys: the cardinality of their union, merged into temporary registers and never
     * cached. A missing key counts as an empty HyperLogLog. O(1) cached, O(16384 × keys) otherwise.
     */
    static void pfcount(Client client, byte[][] args, RespWriter reply) {
        if (args.length > 2) {
            reply.integer(HyperLogLog.countRegisters(union(client, args, 1).max()));
            return;
        }
        Bytes key = Bytes.of(args[1]);
        RedisString current = TypeCommands.read(client, args[1], RedisString.class);
        if (current == null) {
            reply.integer(0);
            return;
        }
        byte[] bytes = checked(current);
        if (HyperLogLog.isCountCached(bytes)) {
            unshare(client, key, current);
            reply.integer(HyperLogLog.cachedCount(bytes));
            return;
        }
        HyperLogLog hll = HyperLogLog.of(bytes);
        long card = hll.count();
        store(client, key, current, hll);
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.signalModifiedKey(client.dbIndex(), key);
        events.dirty(1);
        reply.integer(card);
    }
    // end::pfcount[]

    /** The registers' maxima over the HyperLogLogs at {@code args[from...]}, and whether one of them was dense. */
    private record Union(byte[] max, boolean dense) {
    }

    private static Union union(Client client, byte[][] args, int from) {
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        for (int j = from; j < args.length; j++) {
            RedisString value = TypeCommands.read(client, args[j], RedisString.class);
            if (value == null) {
                continue;
            }
            byte[] bytes = checked(value);
            dense |= HyperLogLog.isDense(bytes);
            HyperLogLog.merge(bytes, max);
        }
        return new Union(max, dense);
    }

    // tag::pfmerge[]
    /**
     * PFMERGE destkey [sourcekey ...] — the destination (itself one of the sources) gets the registers' maxima.
     * It stays sparse while it can, unless one source was dense: then it is made dense first, as Redis does.
     * Always a change, announced as {@code pfadd}. O(16384 × keys).
     */
    static void pfmerge(Client client, byte[][] args, RespWriter reply) {
        Union union = union(client, args, 1);
        Bytes key = Bytes.of(args[1]);
        RedisString current = client.db().get(key, RedisString.class);
        HyperLogLog hll = current == null ? HyperLogLog.create() : HyperLogLog.of(current.bytes());
        hll.setAll(union.max(), union.dense());
        store(client, key, current, hll);
        client.server().keyspaceEvents().modified(client, key, NotifyKeyspaceEvents.STRING, "pfadd", 1);
        Replies.ok(reply);
    }
    // end::pfmerge[]

    /**
     * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key — Redis's window on the representation, used by its tests.
     * GETREG and TODENSE turn a sparse HyperLogLog dense, a change without event (so it is propagated). The
     * subcommand is checked after the key, as in Redis.
     */
    static void pfdebug(Client client, byte[][] args, RespWriter reply) {
        String subcommand = new String(args[1], StandardCharsets.UTF_8);
        Bytes key = Bytes.of(args[2]);
        RedisString current = client.db().get(key, RedisString.class);
        if (current == null) {
            throw new RedisException("ERR The specified key does not exist");
        }
        HyperLogLog hll = HyperLogLog.of(checked(current));
        unshare(client, key, current);
        switch (subcommand.toLowerCase(Locale.ROOT)) {
            case "getreg" -> {
                toDense(client, key, current, hll);
                int[] registers = hll.registers();
                reply.arrayHeader(registers.length);
                for (int register : registers) {
                    reply.integer(register);
                }
            }
            case "decode" -> {
                if (hll.isDense()) {
                    throw new RedisException("ERR HLL encoding is not sparse");
                }
                reply.bulkString(hll.decode());
            }
            case "encoding" -> reply.simpleString(hll.isDense() ? "dense" : "sparse");
            case "todense" -> reply.integer(toDense(client, key, current, hll) ? 1 : 0);
            default -> throw new RedisException("ERR Unknown PFDEBUG subcommand '" + subcommand + "'");
        }
    }

    private static boolean toDense(Client client, Bytes key, RedisString current, HyperLogLog hll) {
        if (!hll.toDense()) {
            return false;
        }
        store(client, key, current, hll);
        client.server().keyspaceEvents().dirty(1);
        return true;
    }

    /** PFSELFTEST — Redis's self-test of the registers and of the estimator's error (see {@link HyperLogLog#selfTest}). */
    static void pfselftest(Client client, byte[][] args, RespWriter reply) {
        String failure = HyperLogLog.selfTest();
        if (failure != null) {
            throw new RedisException(failure);
        }
        Replies.ok(reply);
    }

    /**
     * The HyperLogLog to add to: a writable string's own bytes, changed in place as Redis changes its string, or a
     * copy of a shared one; Redis's WRONGTYPE for a string that is no HyperLogLog.
     */
    private static HyperLogLog working(RedisString current) {
        if (current.isWritable()) {
            if (!HyperLogLog.isValid(current.writableBytes())) {
                throw new RedisException(HyperLogLog.NOT_AN_HLL);
            }
            return HyperLogLog.wrap(current.writableBytes());
        }
        return HyperLogLog.of(checked(current));
    }

    /** The string's bytes if it is a HyperLogLog, else Redis's WRONGTYPE for an invalid one. */
    private static byte[] checked(RedisString value) {
        if (!HyperLogLog.isValid(value.bytes())) {
            throw new RedisException(HyperLogLog.NOT_AN_HLL);
        }
        return value.bytes();
    }

    /**
     * Stores the HyperLogLog as a raw, writable string: a new key, or the existing one's new value with its TTL
     * (the same string when it was changed in place).
     */
    private static void store(Client client, Bytes key, RedisString current, HyperLogLog hll) {
        if (current == null) {
            client.db().set(key, RedisString.writable(hll.bytes()));
        } else if (current.isWritable() && hll.isBackedBy(current.writableBytes())) {
            client.db().setKeepTtl(key, current);
        } else {
            client.db().setKeepTtl(key, RedisString.writable(hll.bytes()));
        }
    }

    /** Redis's {@code dbUnshareStringValue} on an unchanged string: only its encoding becomes {@code raw}. */
    private static void unshare(Client client, Bytes key, RedisString current) {
        if (!current.isRaw()) {
            client.db().setKeepTtl(key, RedisString.raw(current.bytes()));
        }
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("pfadd", HyperLogLogCommands::pfadd);
        table.handle("pfcount", HyperLogLogCommands::pfcount);
        table.handle("pfmerge", HyperLogLogCommands::pfmerge);
        table.handle("pfdebug", HyperLogLogCommands::pfdebug);
        table.handle("pfselftest", HyperLogLogCommands::pfselftest);
    }
}
