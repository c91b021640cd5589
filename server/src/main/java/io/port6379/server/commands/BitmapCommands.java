// The bitmap family: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO, on plain strings.
package io.port6379.server.commands;

import io.port6379.datastructures.Bitmaps;
import io.port6379.datastructures.Bitmaps.BitOp;
import io.port6379.datastructures.Bitmaps.FieldOp;
import io.port6379.datastructures.Bitmaps.Overflow;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.datastructures.WrongTypeException;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.util.Args;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.port6379.server.config.NotifyKeyspaceEvents.GENERIC;
import static io.port6379.server.config.NotifyKeyspaceEvents.STRING;

/**
 * Bitmaps are strings seen as arrays of bits ({@link Bitmaps} holds the bit arithmetic and explains the bit
 * order). This class keeps Redis 7.0's order of checks, which the replies give away: GETBIT and SETBIT parse
 * their offset before looking at the key, while BITCOUNT looks the key up first and answers 0 for a missing key
 * whatever its other arguments are (BITPOS checks its bit argument first, then does the same).
 *
 * <p>An offset is limited by {@code proto-max-bulk-len}: its byte ({@code offset / 8}) must be below it, so by
 * default offsets stop at 2^32 - 1, the last bit of a 512 MB string. BITFIELD also takes {@code #N} offsets,
 * meaning N fields of the subcommand's width. The writes announce {@code setbit} (SETBIT and BITFIELD) or
 * {@code set}/{@code del} (BITOP, which replaces its destination like SET), and count in {@code server.dirty}
 * only what changed: SETBIT that leaves the bit as it was, or BITFIELD whose every write FAIL refused, dirty
 * nothing and so reach neither the append-only file nor the replicas. All are recorded as sent.
 */
public final class BitmapCommands {

    static final String BIT_OFFSET_ERROR = "ERR bit offset is not an integer or out of range";
    static final String BIT_ERROR = "ERR bit is not an integer or out of range";
    static final String BIT_ARGUMENT_ERROR = "ERR The bit argument must be 1 or 0.";
    static final String TYPE_ERROR =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    static final String OVERFLOW_ERROR = "ERR Invalid OVERFLOW type specified";
    static final String READONLY_ERROR = "ERR BITFIELD_RO only supports the GET subcommand";
    static final String NOT_ERROR = "ERR BITOP NOT must be called with a single source key.";

    private BitmapCommands() {
    }

    // tag::offset[]
    /**
     * Redis's {@code getBitOffsetFromArgument}: a bit offset, or with {@code fieldBits > 0} also {@code #N} for N
     * fields of that width. Negative offsets, and offsets whose byte lies at or beyond {@code proto-max-bulk-len},
     * are refused with the same error as a non-number.
     */
    static long bitOffset(Client client, byte[] arg, int fieldBits) {
        boolean fields = fieldBits > 0 && arg.length > 0 && arg[0] == '#';
        long offset;
        try {
            offset = RedisNumbers.parseLong(fields ? Arrays.copyOfRange(arg, 1, arg.length) : arg);
        } catch (RedisException notANumber) {
            throw new RedisException(BIT_OFFSET_ERROR);
        }
        if (fields) {
            offset *= fieldBits; // wraps as C's multiplication does: a huge N comes out negative and is refused
        }
        if (offset < 0 || (offset >> 3) >= client.db().limits().maxStringLength()) {
            throw new RedisException(BIT_OFFSET_ERROR);
        }
        return offset;
    }
    // end::offset[]

    /** SETBIT key offset value — the bit's old value; 0 and 1 are the only values. */
    static void setbit(Client client, byte[][] args, RespWriter reply) {
        long offset = bitOffset(client, args[2], 0);
        long on;
        try {
            on = Args.parseLong(args[3]);
        } catch (RedisException notANumber) {
            throw new RedisException(BIT_ERROR);
        }
        if ((on & ~1) != 0) {
            throw new RedisException(BIT_ERROR);
        }
        Bytes key = Bytes.of(args[1]);
        Bitmaps.SetBitResult result = Bitmaps.setBit(client.db(), key, offset, (int) on);
        if (result.changed()) {
            client.server().keyspaceEvents().modified(client, key, STRING, "setbit", 1);
        }
        reply.integer(result.previous());
    }

    /** GETBIT key offset — 0 beyond the end and for a missing key. */
    static void getbit(Client client, byte[][] args, RespWriter reply) {
        long offset = bitOffset(client, args[2], 0);
        RedisString value = TypeCommands.read(client, args[1], RedisString.class);
        reply.integer(value == null ? 0 : Bitmaps.getBit(value.bytesToRead(), offset));
    }

    // tag::bitcount[]
    /** BITCOUNT key [start end [BYTE|BIT]] — a missing key counts 0 before any argument is checked. */
    static void bitcount(Client client, byte[][] args, RespWriter reply) {
        RedisString value = TypeCommands.read(client, args[1], RedisString.class);
        if (value == null) {
            reply.integer(0);
            return;
        }
        byte[] bytes = value.bytesToRead();
        if (args.length == 2) {
            reply.integer(Bitmaps.popcount(bytes, 0, bytes.length));
            return;
        }
        if (args.length != 4 && args.length != 5) {
            throw Args.syntaxError();
        }
        long start = Args.parseLong(args[2]);
        long end = Args.parseLong(args[3]);
        if (start < 0 && end < 0 && start > end) {
            reply.integer(0); // Redis answers this empty range before it reads the unit: BITCOUNT k -1 -2 FOO is 0
            return;
        }
        boolean inBits = args.length == 5 && inBits(args[4]);
        reply.integer(Bitmaps.bitCount(bytes, start, end, inBits));
    }
    // end::bitcount[]

    /** {@code BIT} or {@code BYTE}, the unit of a range; anything else is a syntax error. */
    private static boolean inBits(byte[] unit) {
        if (Args.is(unit, "bit")) {
            return true;
        }
        if (Args.is(unit, "byte")) {
            return false;
        }
        throw Args.syntaxError();
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]] — the first bit set to {@code bit}, or -1. A missing key is all
     * zeros: 0 for a 0, -1 for a 1. The unit is checked before the end.
     */
    static void bitpos(Client client, byte[][] args, RespWriter reply) {
        long bit = Args.parseLong(args[2]);
        if (bit != 0 && bit != 1) {
            throw new RedisException(BIT_ARGUMENT_ERROR);
        }
        RedisString value = TypeCommands.read(client, args[1], RedisString.class);
        if (value == null) {
            reply.integer(bit == 1 ? -1 : 0);
            return;
        }
        byte[] bytes = value.bytesToRead();
        if (args.length == 3) {
            reply.integer(Bitmaps.bitPos(bytes, (int) bit, 0, bytes.length - 1, false, false));
            return;
        }
        if (args.length > 6) {
            throw Args.syntaxError();
        }
        long start = Args.parseLong(args[3]);
        boolean inBits = args.length == 6 && inBits(args[5]);
        boolean endGiven = args.length >= 5;
        long end = endGiven ? Args.parseLong(args[4]) : bytes.length - 1;
        reply.integer(Bitmaps.bitPos(bytes, (int) bit, start, end, endGiven, inBits));
    }

    // tag::bitop[]
    /**
     * BITOP AND|OR|XOR|NOT destkey key [key ...] — the length of the result. The destination is replaced like SET
     * does (its expiry goes), whatever its type; an empty result deletes it instead.
     */
    static void bitop(Client client, byte[][] args, RespWriter reply) {
        BitOp op = bitOp(args[1]);
        if (op == BitOp.NOT && args.length != 4) {
            throw new RedisException(NOT_ERROR);
        }
        byte[][] sources = new byte[args.length - 3][];
        for (int i = 3; i < args.length; i++) {
            RedisValue source = TypeCommands.lookupRead(client, Bytes.of(args[i]));
            if (source != null && !(source instanceof RedisString)) {
                throw new WrongTypeException();
            }
            sources[i - 3] = source == null ? null : ((RedisString) source).bytes();
        }
        byte[] result = Bitmaps.bitop(op, sources);
        Bytes destination = Bytes.of(args[2]);
        KeyspaceEvents events = client.server().keyspaceEvents();
        if (result.length > 0) {
            client.db().set(destination, RedisString.raw(result));
            events.modified(client, destination, STRING, "set", 1);
        } else if (client.db().remove(destination)) {
            events.modified(client, destination, GENERIC, "del", 1);
        }
        reply.integer(result.length);
    }
    // end::bitop[]

    private static BitOp bitOp(byte[] name) {
        for (BitOp op : BitOp.values()) {
            if (Args.is(name, op.name().toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        throw Args.syntaxError();
    }

    /** BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL]... */
    static void bitfield(Client client, byte[][] args, RespWriter reply) {
        bitfield(client, args, reply, false);
    }

    /** BITFIELD_RO key [GET type offset]... — for read-only replicas and ACL rules; its reads are counted. */
    static void bitfieldRo(Client client, byte[][] args, RespWriter reply) {
        bitfield(client, args, reply, true);
    }

    // tag::bitfield[]
    /**
     * Every subcommand is parsed, and every error reported, before any runs. Only GETs: a read of the key (a
     * missing key reads as zeros). With a SET or INCRBY, the key is grown to the last bit written (see
     * {@link Bitmaps#bitfield}); BITFIELD_RO refuses them, but only after parsing them.
     */
    private static void bitfield(Client client, byte[][] args, RespWriter reply, boolean readOnlyCommand) {
        List<FieldOp> ops = parseFieldOps(client, args);
        boolean writes = ops.stream().anyMatch(op -> op.kind() != FieldOp.Kind.GET);
        List<Long> replies;
        if (!writes) {
            RedisString value = TypeCommands.read(client, args[1], RedisString.class);
            byte[] bytes = value == null ? new byte[0] : value.bytesToRead();
            replies = new ArrayList<>();
            for (FieldOp op : ops) {
                replies.add(Bitmaps.getField(bytes, op.offset(), op.bits(), op.signed()));
            }
        } else if (readOnlyCommand) {
            throw new RedisException(READONLY_ERROR);
        } else {
            Bytes key = Bytes.of(args[1]);
            Bitmaps.FieldResult result = Bitmaps.bitfield(client.db(), key, ops);
            if (result.changes() > 0) {
                client.server().keyspaceEvents().modified(client, key, STRING, "setbit", result.changes());
            }
            replies = result.replies();
        }
        reply.arrayHeader(replies.size());
        for (Long value : replies) {
            if (value == null) {
                reply.nullValue(); // FAIL refused this write: $-1 in RESP2, _ in RESP3
            } else {
                reply.integer(value);
            }
        }
    }
    // end::bitfield[]

    private static List<FieldOp> parseFieldOps(Client client, byte[][] args) {
        List<FieldOp> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        for (int j = 2; j < args.length; j++) {
            int remaining = args.length - j - 1;
            FieldOp.Kind kind;
            if (Args.is(args[j], "get") && remaining >= 2) {
                kind = FieldOp.Kind.GET;
            } else if (Args.is(args[j], "set") && remaining >= 3) {
                kind = FieldOp.Kind.SET;
            } else if (Args.is(args[j], "incrby") && remaining >= 3) {
                kind = FieldOp.Kind.INCRBY;
            } else if (Args.is(args[j], "overflow") && remaining >= 1) {
                overflow = overflow(args[++j]);
                continue;
            } else {
                throw Args.syntaxError();
            }
            byte[] type = args[j + 1];
            boolean signed = type.length > 0 && type[0] == 'i';
            int bits = fieldBits(type);
            long offset = bitOffset(client, args[j + 2], bits);
            long value = kind == FieldOp.Kind.GET ? 0 : Args.parseLong(args[j + 3]);
            ops.add(new FieldOp(kind, signed, bits, offset, value, overflow));
            j += kind == FieldOp.Kind.GET ? 2 : 3;
        }
        return ops;
    }

    /** {@code i1}..{@code i64} or {@code u1}..{@code u63} (a u64 could not be replied as a signed integer). */
    private static int fieldBits(byte[] type) {
        if (type.length == 0 || (type[0] != 'i' && type[0] != 'u')) {
            throw new RedisException(TYPE_ERROR);
        }
        long bits;
        try {
            bits = RedisNumbers.parseLong(Arrays.copyOfRange(type, 1, type.length));
        } catch (RedisException notANumber) {
            throw new RedisException(TYPE_ERROR);
        }
        if (bits < 1 || bits > (type[0] == 'i' ? 64 : 63)) {
            throw new RedisException(TYPE_ERROR);
        }
        return (int) bits;
    }

    private static Overflow overflow(byte[] arg) {
        for (Overflow overflow : Overflow.values()) {
            if (Args.is(arg, overflow.name().toLowerCase(Locale.ROOT))) {
                return overflow;
            }
        }
        throw new RedisException(OVERFLOW_ERROR);
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("setbit", BitmapCommands::setbit);
        table.handle("getbit", BitmapCommands::getbit);
        table.handle("bitcount", BitmapCommands::bitcount);
        table.handle("bitpos", BitmapCommands::bitpos);
        table.handle("bitop", BitmapCommands::bitop);
        table.handle("bitfield", BitmapCommands::bitfield);
        table.handle("bitfield_ro", BitmapCommands::bitfieldRo);
    }
}
