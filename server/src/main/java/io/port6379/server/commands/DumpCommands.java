// DUMP and RESTORE: a value serialized in Redis's own RDB encoding, and loaded back under any key, on either server.
package io.port6379.server.commands;

import io.port6379.server.security.Acl;
import io.port6379.server.security.AclUser;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisValue;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.KeyspaceEvents;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.persistence.ChecksumValidation;
import io.port6379.server.persistence.DumpPayload;
import io.port6379.server.persistence.RdbReader;
import io.port6379.server.util.Args;
import io.port6379.server.util.Replies;

import static io.port6379.server.config.NotifyKeyspaceEvents.GENERIC;

/**
 * DUMP answers a value as Redis 7.0's {@code dumpCommand} does, so that the bytes are the ones a real Redis
 * would answer for the same value in the same encoding, and RESTORE loads a payload from either server
 * ({@code restoreCommand} in Redis's {@code cluster.c}). The format is {@link DumpPayload}'s; the values are
 * written and read by the RDB code of the persistence package.
 */
public final class DumpCommands {

    private DumpCommands() {
    }

    /** DUMP key — the payload, or nil when the key is absent. O(N) in the value's elements. */
    static void dump(Client client, byte[][] args, RespWriter reply) {
        RedisValue value = TypeCommands.lookupRead(client, Bytes.of(args[1]));
        if (value == null) {
            reply.nullBulkString();
            return;
        }
        ServerConfig config = client.server().config();
        reply.bulkString(DumpPayload.create(value, config.flag("rdbcompression")));
    }

    // tag::restore[]
    /**
     * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. The checks come in
     * Redis's order: the options, then BUSYKEY, then the TTL, then the payload's footer, then its body. A TTL of
     * 0 means no expiry; a TTL already past stores nothing (and, with REPLACE, the old key is deleted and the
     * command is recorded as DEL). IDLETIME and FREQ are exclusive of each other, which Redis reports as a
     * syntax error. O(N) in the value's elements.
     */
    static void restore(Client client, byte[][] args, RespWriter reply) {
        boolean replace = false;
        boolean absoluteTtl = false;
        long idleSeconds = -1;
        long frequency = -1;
        for (int i = 4; i < args.length; i++) {
            boolean hasArgument = i + 1 < args.length;
            if (Args.is(args[i], "replace")) {
                replace = true;
            } else if (Args.is(args[i], "absttl")) {
                absoluteTtl = true;
            } else if (Args.is(args[i], "idletime") && hasArgument && frequency == -1) {
                idleSeconds = Args.parseLong(args[++i]);
                if (idleSeconds < 0) {
                    throw new RedisException("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (Args.is(args[i], "freq") && hasArgument && idleSeconds == -1) {
                frequency = Args.parseLong(args[++i]);
                if (frequency < 0 || frequency > 255) {
                    throw new RedisException("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw Args.syntaxError();
            }
        }
        Bytes key = Bytes.of(args[1]);
        Keyspace db = client.db();
        if (!replace && db.peek(key) != null) {
            throw new RedisException("BUSYKEY Target key name already exists.");
        }
        long ttl = Args.parseLong(args[2]);
        if (ttl < 0) {
            throw new RedisException("ERR Invalid TTL value, must be >= 0");
        }
        if (!DumpPayload.verify(args[3], !ChecksumValidation.skipped(client.server()))) {
            throw new RedisException("ERR DUMP payload version or checksum are wrong");
        }
        // sanitize-dump-payload: "clients" sanitizes a client's RESTORE unless its user has skip-sanitize-payload
        String sanitize = client.server().config().get("sanitize-dump-payload");
        AclUser user = Acl.user(client);
        boolean deep = sanitize.equals("yes") || sanitize.equals("clients") && (user == null || !user.skipsSanitization());
        RedisValue value = DumpPayload.load(args[3], args[1], client.db().limits(), deep);
        client.server().stats().dumpPayloadSanitizations += RdbReader.takeSanitizations();
        if (value == null) {
            throw new RedisException("ERR Bad data format");
        }
        long now = client.server().clock().millis();
        long expireAt = ttl == 0 ? -1 : absoluteTtl ? ttl : ttl + now;
        KeyspaceEvents events = client.server().keyspaceEvents();
        boolean deleted = replace && db.remove(key);
        if (expireAt >= 0 && expireAt <= now) {
            if (deleted) {
                events.signalModifiedKey(client.dbIndex(), key);
                events.notify(GENERIC, "del", key, client.dbIndex());
                events.dirty(1);
            }
            Replies.ok(reply);
            return;
        }
        db.set(key, value, expireAt);
        boolean lfu = client.server().databases().accessTracking().lfu();
        if (lfu && frequency >= 0) { // as Redis's objectSetLRUOrLFU: each option counts under its kind of policy only
            db.setFrequency(key, (int) frequency);
        } else if (!lfu && idleSeconds >= 0) {
            db.setIdleSeconds(key, idleSeconds);
        }
        events.signalModifiedKey(client.dbIndex(), key);
        events.notify(GENERIC, "restore", key, client.dbIndex());
        events.dirty(1);
        Replies.ok(reply);
    }
    // end::restore[]

    public static void registerAll(CommandTable table) {
        table.handle("dump", DumpCommands::dump);
        table.handle("restore", DumpCommands::restore);
        table.handle("restore-asking", DumpCommands::restore); // a cluster's RESTORE (ASKING flag); the same here
    }
}
