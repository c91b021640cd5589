// The generic key family: existence, deletion, renaming, copying, expiry, iteration (KEYS, SCAN) and OBJECT.
package io.port6379.server.commands;

import io.port6379.server.cluster.Cluster;
import io.port6379.server.transactions.WatchedKeys;
import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.Databases;
import io.port6379.server.util.Glob;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.EncodingLimits;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisStream;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.protocol.RespWriter;

import java.util.ArrayList;
import java.util.List;

import static io.port6379.server.config.NotifyKeyspaceEvents.GENERIC;

/** Commands that work on keys whatever their type. */
public final class KeyCommands {

    private KeyCommands() {
    }

    private static String expireSummary(String name) {
        return switch (name) {
            case "expire" -> "Set a key's time to live in seconds";
            case "pexpire" -> "Set a key's time to live in milliseconds";
            case "expireat" -> "Set the expiration for a key as a UNIX timestamp";
            default -> "Set the expiration for a key as a UNIX timestamp specified in milliseconds";
        };
    }

    // tag::del[]
    /**
     * DEL and UNLINK key [key ...] — the number of keys removed. UNLINK, and DEL with {@code lazyfree-lazy-user-del},
     * hand a big value to the lazyfree thread (see {@link LazyFree}).
     */
    static void del(Client client, byte[][] args, RespWriter reply) {
        delete(client, args, reply, client.server().config().flag("lazyfree-lazy-user-del"));
    }

    static void unlink(Client client, byte[][] args, RespWriter reply) {
        delete(client, args, reply, true);
    }

    private static void delete(Client client, byte[][] args, RespWriter reply, boolean lazy) {
        long removed = 0;
        for (int i = 1; i < args.length; i++) {
            Bytes key = Bytes.of(args[i]);
            RedisValue value = client.db().take(key);
            if (value != null) {
                client.server().lazyFree().deleted(value, lazy);
                client.server().keyspaceEvents().modified(client, key, GENERIC, "del", 1);
                removed++;
            }
        }
        reply.integer(removed);
    }
    // end::del[]

    /** EXISTS key [key ...] — keys named twice are counted twice; each is a read, but not an access (NOTOUCH). */
    static void exists(Client client, byte[][] args, RespWriter reply) {
        long found = 0;
        for (int i = 1; i < args.length; i++) {
            Bytes key = Bytes.of(args[i]);
            boolean hit = client.db().exists(key);
            TypeCommands.counted(client, key, hit);
            if (hit) {
                found++;
            }
        }
        reply.integer(found);
    }

    /** TOUCH key [key ...] — as EXISTS, but each key found counts as accessed now (OBJECT IDLETIME restarts). */
    static void touch(Client client, byte[][] args, RespWriter reply) {
        long found = 0;
        for (int i = 1; i < args.length; i++) {
            if (TypeCommands.lookupRead(client, Bytes.of(args[i])) != null) {
                found++;
            }
        }
        reply.integer(found);
    }

    static void type(Client client, byte[][] args, RespWriter reply) {
        RedisValue value = TypeCommands.peekRead(client, Bytes.of(args[1]), true); // not an access, as in Redis
        reply.simpleString(value == null ? "none" : value.type());
    }

    // tag::keys[]
    /** KEYS pattern — every live key matching the glob; {@code *} alone matches all keys, even the empty one. */
    static void keys(Client client, byte[][] args, RespWriter reply) {
        byte[] pattern = args[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<Bytes> matching = new ArrayList<>();
        for (Bytes key : client.db().keys()) {
            if (all || Glob.matches(pattern, key.array(), false)) {
                matching.add(key);
            }
        }
        reply.arrayHeader(matching.size());
        matching.forEach(key -> reply.bulkString(key.array()));
    }
    // end::keys[]

    // tag::scan[]
    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] — the next cursor and a batch of keys. */
    static void scan(Client client, byte[][] args, RespWriter reply) {
        long cursor = parseCursor(args[1]);
        TypeCommands.ScanOptions options = TypeCommands.ScanOptions.parse(args, 2, true);
        Keyspace db = client.db();
        List<Bytes> batch = new ArrayList<>();
        long next = db.scan(cursor, (int) Math.min(options.count(), Integer.MAX_VALUE), batch::add);
        batch.removeIf(key -> !options.matches(key.array())
                || (options.type() != null && !options.type().equalsIgnoreCase(typeOf(db, key))));
        reply.arrayHeader(2);
        reply.bulkString(Long.toUnsignedString(next));
        reply.arrayHeader(batch.size());
        batch.forEach(key -> reply.bulkString(key.array()));
    }
    // end::scan[]

    private static String typeOf(Keyspace db, Bytes key) {
        RedisValue value = db.get(key);
        return value == null ? "none" : value.type();
    }

    /** Redis reads the cursor with {@code strtoul}: unsigned 64-bit, a leading minus wraps around. */
    static long parseCursor(byte[] arg) {
        String text = Args.text(arg);
        try {
            return text.startsWith("-") ? -Long.parseUnsignedLong(text.substring(1)) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new RedisException("ERR invalid cursor");
        }
    }

    static void randomkey(Client client, byte[][] args, RespWriter reply) {
        Bytes key = client.db().randomKey();
        if (key == null) {
            reply.nullBulkString();
        } else {
            reply.bulkString(key.array());
        }
    }

    static void rename(Client client, byte[][] args, RespWriter reply) {
        Bytes source = Bytes.of(args[1]);
        Bytes destination = Bytes.of(args[2]);
        if (!client.db().rename(source, destination)) {
            throw new RedisException("ERR no such key");
        }
        renamed(client, source, destination);
        Replies.ok(reply);
    }

    /** RENAME and RENAMENX: both keys are modified, with an event each; renaming a key to itself is no change. */
    private static void renamed(Client client, Bytes source, Bytes destination) {
        if (source.equals(destination)) {
            return;
        }
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.signalModifiedKey(client.dbIndex(), source);
        events.signalModifiedKey(client.dbIndex(), destination);
        events.notify(GENERIC, "rename_from", source, client.dbIndex());
        events.notify(GENERIC, "rename_to", destination, client.dbIndex());
        events.dirty(1);
    }

    static void renamenx(Client client, byte[][] args, RespWriter reply) {
        Keyspace db = client.db();
        Bytes source = Bytes.of(args[1]);
        Bytes destination = Bytes.of(args[2]);
        if (!db.exists(source)) {
            throw new RedisException("ERR no such key");
        }
        if (db.exists(destination)) {
            reply.integer(0);
            return;
        }
        db.rename(source, destination);
        renamed(client, source, destination);
        reply.integer(1);
    }

    // tag::copy[]
    /** COPY source destination [DB destination-db] [REPLACE] — the value and its expiry, into any database. */
    static void copy(Client client, byte[][] args, RespWriter reply) {
        int targetDb = client.dbIndex();
        boolean replace = false;
        for (int i = 3; i < args.length; i++) {
            if (Args.is(args[i], "replace")) {
                replace = true;
            } else if (Args.is(args[i], "db") && i + 1 < args.length) {
                targetDb = databaseIndex(client, args[++i]);
            } else {
                throw Args.syntaxError();
            }
        }
        if (Cluster.enabled(client.server()) && (client.dbIndex() != 0 || targetDb != 0)) {
            throw new RedisException("ERR Copying to another database is not allowed in cluster mode");
        }
        Bytes source = Bytes.of(args[1]);
        Bytes destination = Bytes.of(args[2]);
        if (targetDb == client.dbIndex() && source.equals(destination)) {
            throw new RedisException("ERR source and destination objects are the same");
        }
        Keyspace from = client.db();
        Keyspace to = client.server().databases().get(targetDb);
        RedisValue value = TypeCommands.lookupRead(client, source); // the source is a read, the destination not
        if (value == null || (!replace && to.exists(destination))) {
            reply.integer(0);
            return;
        }
        long expireAt = from.expireTime(source);
        to.remove(destination);
        to.set(destination, copyOf(value, to.limits()), expireAt >= 0 ? expireAt : -1);
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.signalModifiedKey(targetDb, destination);
        events.notify(GENERIC, "copy_to", destination, targetDb);
        events.dirty(1);
        reply.integer(1);
    }
    // end::copy[]

    /**
     * A deep copy, so that changing the copy leaves the original alone. Strings are immutable, but copied all the
     * same, as Redis does: OBJECT REFCOUNT can tell (see {@link #objectRefcount}).
     * A type without a copy here (none today) is refused rather than shared.
     */
    static RedisValue copyOf(RedisValue value, EncodingLimits limits) {
        return switch (value) {
            case RedisString s -> s.copy();
            case RedisList list -> {
                RedisList copy = new RedisList();
                copy.options(list.options()); // as quicklistDup: the copy keeps the original's settings
                list.range(0, -1).forEach(copy::pushRight);
                yield copy;
            }
            case RedisSet set -> RedisSet.of(set.members(), limits);
            case RedisHash hash -> hash.copy();
            case RedisSortedSet zset -> zset.copy();
            case RedisStream stream -> stream.copy();
            default -> throw new RedisException("ERR COPY of a " + value.type() + " is not supported yet");
        };
    }

    /** MOVE key db — 1 when moved (with its expiry), 0 when missing here or present there. */
    static void move(Client client, byte[][] args, RespWriter reply) {
        if (Cluster.enabled(client.server())) {
            throw new RedisException("ERR MOVE is not allowed in cluster mode");
        }
        int targetDb = databaseIndex(client, args[2]);
        if (targetDb == client.dbIndex()) {
            throw new RedisException("ERR source and destination objects are the same");
        }
        Keyspace from = client.db();
        Keyspace to = client.server().databases().get(targetDb);
        Bytes key = Bytes.of(args[1]);
        RedisValue value = from.get(key);
        if (value == null || to.exists(key)) {
            reply.integer(0);
            return;
        }
        long expireAt = from.expireTime(key);
        from.take(key);
        to.set(key, value, expireAt >= 0 ? expireAt : -1);
        KeyspaceEvents events = client.server().keyspaceEvents();
        events.signalModifiedKey(client.dbIndex(), key);
        events.signalModifiedKey(targetDb, key);
        events.notify(GENERIC, "move_from", key, client.dbIndex());
        events.notify(GENERIC, "move_to", key, targetDb);
        events.dirty(1);
        reply.integer(1);
    }

    private static int databaseIndex(Client client, byte[] arg) {
        long index = Args.parseLong(arg);
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE || !client.server().databases().isValid(index)) {
            throw new RedisException("ERR DB index is out of range");
        }
        return (int) index;
    }

    static void swapdb(Client client, byte[][] args, RespWriter reply) {
        if (Cluster.enabled(client.server())) {
            throw new RedisException("ERR SWAPDB is not allowed in cluster mode");
        }
        long a;
        long b;
        try {
            a = Args.parseLong(args[1]);
        } catch (RedisException e) {
            throw new RedisException("ERR invalid first DB index");
        }
        try {
            b = Args.parseLong(args[2]);
        } catch (RedisException e) {
            throw new RedisException("ERR invalid second DB index");
        }
        Databases databases = client.server().databases();
        if (!databases.isValid(a) || !databases.isValid(b)) {
            throw new RedisException("ERR DB index is out of range");
        }
        WatchedKeys.of(client.server()).emptied((int) a, (int) b);
        WatchedKeys.of(client.server()).emptied((int) b, (int) a);
        databases.swap((int) a, (int) b);
        client.server().keyspaceEvents().dirty(1);
        Replies.ok(reply);
    }

    /**
     * EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT key time [NX|XX|GT|LT] — as Redis's {@code expireGenericCommand}: a
     * time now or in the past deletes the key; GT treats "no expiry" as infinite, so it never applies to it.
     */
    static void expire(Client client, byte[][] args, RespWriter reply, String name) {
        boolean nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < args.length; i++) {
            if (Args.is(args[i], "nx")) nx = true;
            else if (Args.is(args[i], "xx")) xx = true;
            else if (Args.is(args[i], "gt")) gt = true;
            else if (Args.is(args[i], "lt")) lt = true;
            else throw new RedisException("ERR Unsupported option " + Args.text(args[i]));
        }
        if (nx && (xx || gt || lt)) {
            throw new RedisException("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new RedisException("ERR GT and LT options at the same time are not compatible");
        }
        long when = Args.parseLong(args[2]); // after the options, as Redis: "EXPIRE k x NX XX" is about NX XX
        boolean seconds = name.equals("expire") || name.equals("expireat");
        long base = name.endsWith("at") ? 0 : client.server().clock().millis();
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw new RedisException("ERR invalid expire time in '" + name + "' command");
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) {
            throw new RedisException("ERR invalid expire time in '" + name + "' command");
        }
        when += base;
        Keyspace db = client.db();
        Bytes key = Bytes.of(args[1]);
        long current = db.expireTime(key);
        boolean refused = current == -2
                || (nx && current != -1)
                || (xx && current == -1)
                || (gt && (current == -1 || when <= current))
                || (lt && current != -1 && when >= current);
        if (refused) {
            reply.integer(0);
            return;
        }
        boolean past = when <= client.server().clock().millis();
        if (past) { // deletes the key, a big value lazily with lazyfree-lazy-expire (Redis's dbAsyncDelete here)
            client.server().lazyFree().deleted(db.take(key), client.server().config().flag("lazyfree-lazy-expire"));
        } else {
            db.expireAt(key, when);
        }
        // a time already past deletes the key, which Redis announces as a DEL, not as an expiry
        client.server().keyspaceEvents().modified(client, key, GENERIC, past ? "del" : "expire", 1);
        reply.integer(1);
    }

    /** TTL and PTTL: -2 when absent, -1 without expiry, else the remaining time (TTL rounds to the nearest second). */
    static void ttl(Client client, byte[][] args, RespWriter reply, long unit) {
        long expireAt = expireTimeRead(client, args[1]);
        if (expireAt < 0) {
            reply.integer(expireAt);
            return;
        }
        long remaining = Math.max(0, expireAt - client.server().clock().millis());
        reply.integer(unit == 1 ? remaining : (remaining + 500) / 1000);
    }

    static void expireTime(Client client, byte[][] args, RespWriter reply, long unit) {
        long expireAt = expireTimeRead(client, args[1]);
        reply.integer(expireAt < 0 || unit == 1 ? expireAt : (expireAt + 500) / 1000); // EXPIRETIME rounds, as Redis
    }

    /** The expiry TTL and EXPIRETIME report (-2 absent, -1 none), the lookup counted as a read, as Redis's. */
    private static long expireTimeRead(Client client, byte[] key) {
        Bytes k = Bytes.of(key);
        long expireAt = client.db().expireTime(k);
        TypeCommands.counted(client, k, expireAt != -2);
        return expireAt;
    }

    static void persist(Client client, byte[][] args, RespWriter reply) {
        Bytes key = Bytes.of(args[1]);
        boolean persisted = client.db().persist(key);
        if (persisted) {
            client.server().keyspaceEvents().modified(client, key, GENERIC, "persist", 1);
        }
        reply.integer(persisted ? 1 : 0);
    }

    /**
     * OBJECT looks at a key without counting as an access (Redis's LOOKUP_NOTOUCH), or IDLETIME would be 0; the
     * lookup is a hit or a miss, but a miss sends no {@code keymiss} event (LOOKUP_NONOTIFY).
     */
    private static RedisValue objectOf(Client client, byte[] key) {
        return TypeCommands.peekRead(client, Bytes.of(key), false);
    }

    static void objectEncoding(Client client, byte[][] args, RespWriter reply) {
        RedisValue value = objectOf(client, args[2]);
        if (value == null) {
            reply.nullBulkString();
        } else {
            reply.bulkString(value.encoding());
        }
    }

    /**
     * OBJECT REFCOUNT: how many references Redis's object would have. Integers 0..9999 stored by SET, INCR and the
     * like are Redis's shared objects and report INT_MAX (OBJ_SHARED_REFCOUNT); a COPY of one is not shared. Inside
     * EXEC, a string that a queued SET-like command stored is still referenced by that command's arguments,
     * which Redis frees only when EXEC ends: 2. Everything else: 1.
     */
    static void objectRefcount(Client client, byte[][] args, RespWriter reply) {
        RedisValue value = objectOf(client, args[2]);
        if (value == null) {
            reply.nullBulkString();
        } else if (value instanceof RedisString s && s.hasDefaultEncoding() && s.encoding().equals("int")
                && isSharedInteger(s.bytes())) {
            reply.integer(Integer.MAX_VALUE);
        } else if (value instanceof RedisString s && TransactionCommands.holdsArgument(client, s.bytes())) {
            reply.integer(2);
        } else {
            reply.integer(1);
        }
    }

    private static boolean isSharedInteger(byte[] text) {
        long n = Args.parseLong(text);
        return n >= 0 && n < 10000;
    }

    // tag::object-freq[]
    /**
     * OBJECT IDLETIME key — seconds since the key was last read or written (the LRU clock), or nil when it is
     * absent; under an LFU policy the access bits hold a counter instead, and Redis refuses.
     */
    static void objectIdletime(Client client, byte[][] args, RespWriter reply) {
        if (objectOf(client, args[2]) == null) {
            reply.nullBulkString();
        } else if (client.server().databases().accessTracking().lfu()) {
            throw new RedisException("ERR An LFU maxmemory policy is selected, idle time not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        } else {
            reply.integer(client.db().idleSeconds(Bytes.of(args[2])));
        }
    }

    /** OBJECT FREQ key — the key's LFU counter after decay, under an LFU policy only; nil when it is absent. */
    static void objectFreq(Client client, byte[][] args, RespWriter reply) {
        if (objectOf(client, args[2]) == null) {
            reply.nullBulkString();
        } else if (!client.server().databases().accessTracking().lfu()) {
            throw new RedisException("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        } else {
            reply.integer(client.db().frequency(Bytes.of(args[2])));
        }
    }
    // end::object-freq[]

    static void objectHelp(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.");
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("del", KeyCommands::del);
        table.handle("unlink", KeyCommands::unlink);
        table.handle("exists", KeyCommands::exists);
        table.handle("touch", KeyCommands::touch);
        table.handle("type", KeyCommands::type);
        table.handle("keys", KeyCommands::keys);
        table.handle("scan", KeyCommands::scan);
        table.handle("randomkey", KeyCommands::randomkey);
        table.handle("rename", KeyCommands::rename);
        table.handle("renamenx", KeyCommands::renamenx);
        table.handle("copy", KeyCommands::copy);
        table.handle("move", KeyCommands::move);
        table.handle("swapdb", KeyCommands::swapdb);
        for (String name : List.of("expire", "pexpire", "expireat", "pexpireat")) {
            table.handle(name, (client, args, reply) -> expire(client, args, reply, name));
        }
        table.handle("ttl", (client, args, reply) -> ttl(client, args, reply, 1000));
        table.handle("pttl", (client, args, reply) -> ttl(client, args, reply, 1));
        table.handle("expiretime", (client, args, reply) -> expireTime(client, args, reply, 1000));
        table.handle("pexpiretime", (client, args, reply) -> expireTime(client, args, reply, 1));
        table.handle("persist", KeyCommands::persist);
        table.handle("object|encoding", KeyCommands::objectEncoding);
        table.handle("object|refcount", KeyCommands::objectRefcount);
        table.handle("object|idletime", KeyCommands::objectIdletime);
        table.handle("object|freq", KeyCommands::objectFreq);
        table.handle("object|help", KeyCommands::objectHelp);
    }
}
