// What the append-only file records for a command that changed the data: the command itself, or a deterministic rewrite.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.GeoHash;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.StreamId;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.protocol.Frame;
import io.port6379.server.Command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Replaying the file must rebuild the same data, whenever it is replayed. Most write commands are already
 * deterministic and are recorded exactly as the client sent them. The others are rewritten, as Redis 7.0's
 * commands do with {@code rewriteClientCommandVector} and {@code alsoPropagate} (each rule below was checked
 * against the incremental file a real redis-server 7.0.15 writes):
 *
 * <ul>
 * <li>relative times become absolute: EXPIRE, PEXPIRE, EXPIREAT, GETEX EX/PX/EXAT/PXAT → {@code PEXPIREAT key ms};
 *     SETEX, PSETEX, SET ... EX/PX/EXAT → {@code SET key value PXAT ms} (NX, XX and GET are dropped: the set
 *     happened); an expiry that deleted the key → {@code DEL key}; GETEX PERSIST → PERSIST; GETDEL → DEL;
 *     RESTORE with a relative TTL → the absolute time in its place and {@code ABSTTL} appended, and a RESTORE
 *     REPLACE whose TTL had already passed (it only deleted the old key) → {@code DEL key} (RESTORE-ASKING
 *     likewise); MIGRATE → {@code DEL} of the keys it moved;</li>
 * <li>floating-point results are recorded, not recomputed: INCRBYFLOAT → {@code SET key result KEEPTTL},
 *     HINCRBYFLOAT → {@code HSET key field result};</li>
 * <li>XADD is recorded with the ID it generated in place of {@code *} or {@code ms-*}; an approximate trim of XADD or
 *     XTRIM ({@code MAXLEN ~ n}) as the exact trim to what it left ({@code MAXLEN = length}); XREADGROUP, XCLAIM and
 *     XAUTOCLAIM are recorded as what they did to the group, as {@code XCLAIM ... FORCE JUSTID LASTID} per entry
 *     and {@code XGROUP SETID ... ENTRIESREAD} ({@link StreamPropagation});</li>
 * <li>GEOADD is recorded as the ZADD it runs: {@code zadd key [options] score member ...}, the scores being the
 *     points' geohashes;</li>
 * <li>random choices are recorded: SPOP → one {@code SREM key member} per popped member, or {@code DEL key}
 *     when a count took the whole set;</li>
 * <li>blocking pops become their non-blocking form on the key that served them: BLPOP → LPOP, BRPOP → RPOP,
 *     BRPOPLPUSH → RPOPLPUSH, BLMOVE → LMOVE, BZPOPMIN/BZPOPMAX → ZPOPMIN/ZPOPMAX; LMPOP/BLMPOP → {@code LPOP|RPOP
 *     key count} and ZMPOP/BZMPOP → {@code ZPOPMIN|ZPOPMAX key count}, with the count actually popped.</li>
 * </ul>
 *
 * The absolute expiry is read back from the keyspace after the command, so the file holds exactly the time
 * the server stored. Stateless; called under the execution lock.
 */
public final class Propagation {

    private Propagation() {
    }

    // tag::rules[]
    /**
     * The commands to record for {@code args}, which just ran against {@code db} and changed it.
     *
     * @param name  the command's name in the command table, lower case ({@code "set"})
     * @param reply the command's reply, decoded only by the rules that need it (SPOP and the pops)
     */
    public static List<byte[][]> of(String name, byte[][] args, Keyspace db, Supplier<Frame> reply) {
        return switch (name) {
            case "expire", "pexpire", "expireat", "pexpireat" -> one(expiry(db, args[1]));
            case "setex", "psetex" -> one(setWithExpiry(db, args[1], args[3]));
            case "set" -> hasExpiryOption(args, 3) ? one(setWithExpiry(db, args[1], args[2])) : one(args);
            case "getex" -> hasExpiryOption(args, 2) ? one(expiry(db, args[1]))
                    : one(command("PERSIST", args[1]));
            case "getdel" -> one(command("DEL", args[1]));
            case "restore", "restore-asking" -> one(restore(db, args));
            case "migrate" -> migrated(db, args);
            case "incrbyfloat" -> one(command("SET", args[1], stringAt(db, args[1]), ascii("KEEPTTL")));
            case "hincrbyfloat" -> one(command("HSET", args[1], args[2], fieldAt(db, args[1], args[2])));
            case "geoadd" -> one(GeoHash.zaddArguments(args));
            case "xadd" -> one(xadd(db, args, reply.get()));
            case "xtrim" -> one(exactTrim(db, args.clone(), 2));
            case "xreadgroup" -> StreamPropagation.xreadgroup(db, args, reply.get());
            case "xclaim" -> StreamPropagation.xclaim(db, args, reply.get());
            case "xautoclaim" -> StreamPropagation.xautoclaim(db, args, reply.get());
            case "spop" -> spop(db, args, reply.get());
            case "blpop", "brpop" -> one(command(name.substring(1), key(reply.get())));
            case "brpoplpush" -> one(command("RPOPLPUSH", args[1], args[2]));
            case "blmove" -> one(command("LMOVE", args[1], args[2], args[3], args[4]));
            case "bzpopmin", "bzpopmax" -> one(command(name.substring(1), key(reply.get())));
            case "lmpop", "blmpop" -> one(mpop(args, name.startsWith("b") ? 2 : 1, "LEFT", "LPOP", "RPOP", reply.get()));
            case "zmpop", "bzmpop" -> one(mpop(args, name.startsWith("b") ? 2 : 1, "MIN", "ZPOPMIN", "ZPOPMAX", reply.get()));
            default -> one(args);
        };
    }
    // end::rules[]

    /**
     * XADD with the ID it generated in place of {@code *} or {@code ms-*}, as Redis rewrites its argument: the ID is
     * the first argument after the options (NOMKSTREAM, MAXLEN/MINID [=|~] threshold, LIMIT count).
     */
    private static byte[][] xadd(Keyspace db, byte[][] args, Frame reply) {
        if (!(reply instanceof Frame.BulkString id)) {
            return args; // NOMKSTREAM on a missing key: nothing was added
        }
        byte[][] rewritten = args.clone();
        int i = 2;
        while (i < args.length) {
            String word = new String(args[i], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (word.equals("nomkstream")) {
                i++;
            } else if (word.equals("maxlen") || word.equals("minid")) {
                exactTrim(db, rewritten, i);
                String next = i + 1 < args.length ? new String(args[i + 1], StandardCharsets.ISO_8859_1) : "";
                i += next.equals("=") || next.equals("~") ? 3 : 2;
            } else if (word.equals("limit")) {
                i += 2;
            } else {
                break;
            }
        }
        rewritten[i] = id.value();
        return rewritten;
    }

    /**
     * An approximate trim ({@code MAXLEN|MINID ~ threshold} at {@code args[at]}) is recorded as the exact trim to
     * what it left, {@code MAXLEN = <length>} or {@code MINID = <first ID>}, as Redis's
     * {@code streamRewriteTrimArgument} does: how far {@code ~} trims depends on the node size
     * ({@code stream-node-max-entries}), which the replica or the next load may not share. A LIMIT stays; the
     * master's and the AOF's clients ignore it (StreamCommands).
     */
    private static byte[][] exactTrim(Keyspace db, byte[][] args, int at) {
        if (at + 2 >= args.length || !new String(args[at + 1], StandardCharsets.ISO_8859_1).equals("~")
                || !(db.peek(Bytes.of(args[1])) instanceof RedisStream stream)) {
            return args;
        }
        boolean maxlen = new String(args[at], StandardCharsets.ISO_8859_1).equalsIgnoreCase("maxlen");
        args[at + 1] = ascii("=");
        args[at + 2] = maxlen ? ascii(Long.toString(stream.length()))
                : (stream.length() == 0 ? StreamId.MAX.bytes() : stream.firstId().bytes()); // Redis's edge of none
        return args;
    }

    /** RESTORE as Redis records it: its TTL made absolute (ABSTTL appended), or DEL when it only deleted. */
    private static byte[][] restore(Keyspace db, byte[][] args) {
        long at = db.expireTime(Bytes.of(args[1]));
        if (at == -2) {
            return command("DEL", args[1]);
        }
        for (int i = 4; i < args.length; i++) {
            if (new String(args[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase("absttl")) {
                return args;
            }
        }
        if (at == -1) {
            return args;
        }
        byte[][] rewritten = Arrays.copyOf(args, args.length + 1);
        rewritten[2] = ascii(Long.toString(at));
        rewritten[args.length] = ascii("ABSTTL");
        return rewritten;
    }

    /**
     * MIGRATE as {@code DEL} of the keys it moved away: those it names that are gone now. A named key that was
     * already missing is named too, which Redis leaves out; replaying the DEL changes nothing for it. Nothing when
     * no key moved (the MIGRATE only deleted keys past their time, which were recorded as they went).
     */
    private static List<byte[][]> migrated(Keyspace db, byte[][] args) {
        List<byte[]> del = new ArrayList<>();
        del.add(ascii("DEL"));
        for (Command.KeyReference key : Command.migrateKeys(args)) {
            if (!db.exists(Bytes.of(args[key.position()]))) {
                del.add(args[key.position()]);
            }
        }
        return del.size() == 1 ? List.of() : List.<byte[][]>of(del.toArray(new byte[0][]));
    }

    /** The key's expiry as {@code PEXPIREAT key ms}, or {@code DEL key} when setting it deleted the key. */
    private static byte[][] expiry(Keyspace db, byte[] key) {
        long at = db.expireTime(Bytes.of(key));
        if (at == -2) {
            return command("DEL", key);
        }
        return at == -1 ? command("PERSIST", key) : command("PEXPIREAT", key, ascii(Long.toString(at)));
    }

    private static byte[][] setWithExpiry(Keyspace db, byte[] key, byte[] value) {
        long at = db.expireTime(Bytes.of(key));
        if (at == -2) {
            return command("DEL", key);
        }
        return at == -1 ? command("SET", key, value) : command("SET", key, value, ascii("PXAT"), ascii(Long.toString(at)));
    }

    /** Whether one of SET's or GETEX's options from index {@code from} on sets an expiry. */
    private static boolean hasExpiryOption(byte[][] args, int from) {
        for (int i = from; i < args.length; i++) {
            String option = new String(args[i], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
            if (option.equals("EX") || option.equals("PX") || option.equals("EXAT") || option.equals("PXAT")) {
                return true;
            }
        }
        return false;
    }

    private static byte[] stringAt(Keyspace db, byte[] key) {
        RedisValue value = db.peek(Bytes.of(key));
        return ((RedisString) value).bytes();
    }

    private static byte[] fieldAt(Keyspace db, byte[] key, byte[] field) {
        return ((RedisHash) db.peek(Bytes.of(key))).get(field);
    }

    /** SPOP key → SREM key member; SPOP key count → one SREM per member, or DEL when it took the whole set. */
    private static List<byte[][]> spop(Keyspace db, byte[][] args, Frame reply) {
        byte[] key = args[1];
        if (args.length > 2 && !db.exists(Bytes.of(key))) {
            return List.<byte[][]>of(command("DEL", key));
        }
        List<byte[][]> removals = new ArrayList<>();
        List<Frame> members = switch (reply) {
            case Frame.Array array -> array.elements();
            case Frame.Set set -> set.elements();
            default -> List.of(reply);
        };
        for (Frame member : members) {
            removals.add(command("SREM", key, ((Frame.BulkString) member).value()));
        }
        return removals;
    }

    /** LMPOP/ZMPOP as the plain pop of the key that served it, with the count actually popped. */
    private static byte[][] mpop(byte[][] args, int numkeysAt, String first, String firstPop, String otherPop, Frame reply) {
        int numkeys = Integer.parseInt(new String(args[numkeysAt], StandardCharsets.US_ASCII));
        boolean fromFirst = new String(args[numkeysAt + 1 + numkeys], StandardCharsets.ISO_8859_1).equalsIgnoreCase(first);
        List<Frame> pair = ((Frame.Array) reply).elements();
        int count = ((Frame.Array) pair.get(1)).elements().size();
        return command(fromFirst ? firstPop : otherPop, ((Frame.BulkString) pair.get(0)).value(), ascii(Integer.toString(count)));
    }

    /** The key a BLPOP or BZPOPMIN reply names first. */
    private static byte[] key(Frame reply) {
        return ((Frame.BulkString) ((Frame.Array) reply).elements().get(0)).value();
    }

    private static List<byte[][]> one(byte[][] command) {
        return List.<byte[][]>of(command);
    }

    static byte[][] command(String name, byte[]... args) {
        byte[][] command = new byte[args.length + 1][];
        command[0] = ascii(name.toUpperCase(Locale.ROOT));
        System.arraycopy(args, 0, command, 1, args.length);
        return command;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
