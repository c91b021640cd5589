// The data as it was at the moment of an AOF rewrite, and the two ways of writing it as a base file: RDB or commands.
package io.port6379.server.persistence;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.ScoredMember;
import io.port6379.protocol.RespWriter;
import io.port6379.server.ServerContext;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A point-in-time copy of every database, taken under the execution lock. The JVM cannot fork, so instead of
 * the kernel's copy-on-write pages we copy each value's content into an immutable {@link FrozenValue}: one pass,
 * O(total elements), but the element byte arrays are shared rather than copied. Encoding and writing the base,
 * the slow part, then happen on the rewrite's thread while clients are served.
 *
 * @param databases per database number, its keys in table order
 * @param keys      the number of keys captured
 * @param capturedAt the clock's time at the capture: keys expired by then are left out
 */
record AofSnapshot(List<List<Key>> databases, long keys, long capturedAt) {

    /** One key, its frozen value and its expiry (Unix ms, -1 for none). */
    record Key(byte[] name, FrozenValue value, long expireAt) {
    }

    /** Captures every live key of every database. Under the lock; O(keys + elements). */
    static AofSnapshot capture(ServerContext server) {
        long now = server.clock().millis();
        List<List<Key>> databases = new ArrayList<>();
        long count = 0;
        for (int i = 0; i < server.databases().count(); i++) {
            Keyspace db = server.databases().get(i);
            List<Key> keys = new ArrayList<>(db.size());
            db.forEachEntry((key, value, expireAt) -> {
                if (expireAt < 0 || expireAt > now) { // expired but not yet collected: not part of the data
                    keys.add(new Key(key, FrozenValue.of(value), expireAt));
                }
            });
            count += keys.size();
            databases.add(keys);
        }
        return new AofSnapshot(databases, count, now);
    }

    // tag::rdb-base[]
    /** The base as an RDB file ({@code aof-use-rdb-preamble yes}), marked {@code aof-base} as Redis marks it. */
    void writeRdb(Path file) throws IOException {
        try (FileChannel channel = AppendOnlyFile.create(file)) {
            RdbWriter rdb = new RdbWriter(Channels.newOutputStream(channel), true);
            rdb.header();
            rdb.aux("redis-ver", RdbFormat.REDIS_VERSION);
            rdb.aux("redis-bits", "64");
            rdb.aux("ctime", Long.toString(capturedAt / 1000));
            rdb.aux("used-mem", Long.toString(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
            rdb.aux("aof-base", "1");
            for (int db = 0; db < databases.size(); db++) {
                List<Key> keys = databases.get(db);
                if (keys.isEmpty()) {
                    continue;
                }
                rdb.selectDb(db, keys.size(), keys.stream().filter(k -> k.expireAt() >= 0).count());
                for (Key key : keys) {
                    rdb.entry(key.name(), key.value(), key.expireAt());
                }
            }
            rdb.finish();
            channel.force(true);
        }
    }
    // end::rdb-base[]

    /** Redis's {@code AOF_REWRITE_ITEMS_PER_CMD}: a big collection becomes several commands of 64 elements. */
    private static final int ITEMS_PER_COMMAND = 64;

    // tag::command-base[]
    /**
     * The base as commands ({@code aof-use-rdb-preamble no}), as Redis's {@code rewriteAppendOnlyFileRio}: SELECT,
     * then per key SET, RPUSH, SADD, HMSET or ZADD (64 elements per command), then PEXPIREAT for its expiry.
     */
    void writeCommands(Path file) throws IOException {
        try (FileChannel channel = AppendOnlyFile.create(file);
             OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
            RespWriter commands = new RespWriter();
            for (int db = 0; db < databases.size(); db++) {
                if (databases.get(db).isEmpty()) {
                    continue;
                }
                command(commands, List.of(ascii("SELECT"), ascii(Integer.toString(db))));
                for (Key key : databases.get(db)) {
                    writeKey(commands, key);
                    if (key.expireAt() >= 0) {
                        command(commands, List.of(ascii("PEXPIREAT"), key.name(), ascii(Long.toString(key.expireAt()))));
                    }
                    if (commands.size() > 1 << 16) {
                        commands.flushTo(out);
                    }
                }
            }
            commands.flushTo(out);
            out.flush();
            channel.force(true);
        }
    }
    // end::command-base[]

    private static void writeKey(RespWriter out, Key key) {
        switch (key.value()) {
            case FrozenValue.StringValue s -> command(out, List.of(ascii("SET"), key.name(), s.bytes()));
            case FrozenValue.ListValue list -> batches(out, "RPUSH", key.name(), list.elements(), 1);
            case FrozenValue.SetValue set -> batches(out, "SADD", key.name(),
                    set.members().stream().map(Bytes::array).toList(), 1);
            case FrozenValue.HashValue hash -> batches(out, "HMSET", key.name(), hash.fieldsAndValues(), 2);
            case FrozenValue.SortedSetValue zset -> {
                List<byte[]> scoresAndMembers = new ArrayList<>(2 * zset.members().size());
                for (ScoredMember member : zset.members()) {
                    scoresAndMembers.add(RedisNumbers.formatG17(member.score()).getBytes(StandardCharsets.US_ASCII));
                    scoresAndMembers.add(member.member().array());
                }
                batches(out, "ZADD", key.name(), scoresAndMembers, 2);
            }
        }
    }

    /** {@code name key item...}, at most 64 items (of {@code width} arguments each) per command. */
    private static void batches(RespWriter out, String name, byte[] key, List<byte[]> arguments, int width) {
        int perCommand = ITEMS_PER_COMMAND * width;
        for (int from = 0; from < arguments.size(); from += perCommand) {
            List<byte[]> command = new ArrayList<>(List.of(ascii(name), key));
            command.addAll(arguments.subList(from, Math.min(arguments.size(), from + perCommand)));
            command(out, command);
        }
    }

    private static void command(RespWriter out, List<byte[]> args) {
        out.arrayHeader(args.size());
        for (byte[] arg : args) {
            out.bulkString(arg);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
