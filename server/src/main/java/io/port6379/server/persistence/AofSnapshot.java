// The data as it was at the moment of an AOF rewrite (a copy-on-write snapshot), and the two ways of writing it as a base file: RDB or commands.
package io.port6379.server.persistence;

import io.port6379.server.util.RedisVersion;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.ScoredMember;
import io.port6379.datastructures.StreamId;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * The data as it was at the moment of a rewrite: the same copy-on-write {@link Snapshot} BGSAVE uses. Taking it
 * under the execution lock costs only the shallow copy of every key (O(keys), no value copied); a collection is
 * frozen when a client is about to change it, or by the rewrite's thread in short batches under the lock. Encoding
 * and writing the base then happen on the rewrite's thread while clients are served.
 *
 * @param snapshot   every live key at the moment of the rewrite
 * @param capturedAt the clock's time at the capture: keys expired by then are left out
 * @param lock       the execution lock, taken to freeze a collection no client has touched yet
 */
record AofSnapshot(Snapshot snapshot, long capturedAt, Lock lock) {

    /** The point-in-time view of every database. Under the lock; O(keys). */
    static AofSnapshot capture(ServerContext server) {
        long now = server.clock().millis();
        Snapshot snapshot = Snapshot.take(server.databases(), now, RdbSaver.savedAccess(server)).withFunctionsOf(server);
        snapshot.keySaveDelay(server.config().number("rdb-key-save-delay"));
        return new AofSnapshot(snapshot, now, server.executionLock());
    }

    long keys() {
        return snapshot.keys();
    }

    // tag::rdb-base[]
    /** The base as an RDB file ({@code aof-use-rdb-preamble yes}), marked {@code aof-base} as Redis marks it. */
    void writeRdb(Path file) throws IOException {
        try (FileChannel channel = AppendOnlyFile.create(file)) {
            RdbWriter rdb = new RdbWriter(Channels.newOutputStream(channel), true);
            rdb.header();
            rdb.aux("redis-ver", RedisVersion.REDIS_VERSION);
            rdb.aux("redis-bits", "64");
            rdb.aux("ctime", Long.toString(capturedAt / 1000));
            rdb.aux("used-mem", Long.toString(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
            rdb.aux("aof-base", "1");
            snapshot.writeTo(rdb, lock, new AtomicLong());
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
            for (byte[] code : snapshot.functions()) { // Redis's rewriteFunctions, before the keys
                command(commands, List.of(ascii("FUNCTION"), ascii("LOAD"), code));
            }
            snapshot.forEach(new Snapshot.Visitor() {
                @Override
                public void database(int db, int size, long expires) {
                    command(commands, List.of(ascii("SELECT"), ascii(Integer.toString(db))));
                }

                @Override
                public void string(byte[] key, byte[] value, long expireAt) throws IOException {
                    command(commands, List.of(ascii("SET"), key, value));
                    ended(key, expireAt);
                }

                @Override
                public void entry(byte[] key, FrozenValue value, long expireAt) throws IOException {
                    writeKey(commands, key, value);
                    ended(key, expireAt);
                }

                private void ended(byte[] key, long expireAt) throws IOException {
                    if (expireAt >= 0) {
                        command(commands, List.of(ascii("PEXPIREAT"), key, ascii(Long.toString(expireAt))));
                    }
                    if (commands.size() > 1 << 16) {
                        commands.flushTo(out);
                    }
                }
            }, lock, new AtomicLong());
            commands.flushTo(out);
            out.flush();
            channel.force(true);
        }
    }
    // end::command-base[]

    private static void writeKey(RespWriter out, byte[] key, FrozenValue value) {
        switch (value) {
            case FrozenValue.StringValue s -> command(out, List.of(ascii("SET"), key, s.bytes()));
            case FrozenValue.ListValue list -> batches(out, "RPUSH", key, list.elements(), 1);
            case FrozenValue.SetValue set -> batches(out, "SADD", key,
                    set.members().stream().map(Bytes::array).toList(), 1);
            case FrozenValue.HashValue hash -> batches(out, "HMSET", key, hash.fieldsAndValues(), 2);
            case FrozenValue.SortedSetValue zset -> {
                List<byte[]> scoresAndMembers = new ArrayList<>(2 * zset.members().size());
                for (ScoredMember member : zset.members()) {
                    scoresAndMembers.add(RedisNumbers.formatG17(member.score()).getBytes(StandardCharsets.US_ASCII));
                    scoresAndMembers.add(member.member().array());
                }
                batches(out, "ZADD", key, scoresAndMembers, 2);
            }
            case FrozenValue.StreamValue stream -> stream(out, key, stream);
        }
    }

    /**
     * A stream as Redis 7.0's rewriteStreamObject writes it: an XADD per entry (an empty stream: {@code XADD key
     * MAXLEN 0 0-1 x y}), XSETID with the last ID and both counters, then per group XGROUP CREATE with its read
     * counter, and per consumer an XCLAIM ... FORCE per pending entry (its delivery time and count), or XGROUP
     * CREATECONSUMER when it holds none.
     */
    private static void stream(RespWriter out, byte[] key, FrozenValue.StreamValue stream) {
        if (stream.length() > 0) {
            for (FrozenValue.StreamNode node : stream.nodes()) {
                node.forEachEntry((id, entry, deleted) -> {
                    if (!deleted) {
                        List<byte[]> command = new ArrayList<>(List.of(ascii("XADD"), key, id.bytes()));
                        command.addAll(List.of(entry));
                        command(out, command);
                    }
                });
            }
        } else {
            command(out, List.of(ascii("XADD"), key, ascii("MAXLEN"), ascii("0"), ascii("0-1"), ascii("x"), ascii("y")));
        }
        command(out, List.of(ascii("XSETID"), key, stream.lastId().bytes(), ascii("ENTRIESADDED"),
                ascii(Long.toString(stream.entriesAdded())), ascii("MAXDELETEDID"), stream.maxDeletedId().bytes()));
        for (FrozenValue.Group group : stream.groups()) {
            command(out, List.of(ascii("XGROUP"), ascii("CREATE"), key, group.name(), group.lastId().bytes(),
                    ascii("ENTRIESREAD"), ascii(Long.toString(group.entriesRead()))));
            Map<StreamId, FrozenValue.Nack> nacks = new HashMap<>();
            group.pending().forEach(nack -> nacks.put(nack.id(), nack));
            for (FrozenValue.Consumer consumer : group.consumers()) {
                if (consumer.pending().isEmpty()) {
                    command(out, List.of(ascii("XGROUP"), ascii("CREATECONSUMER"), key, group.name(), consumer.name()));
                }
                for (StreamId id : consumer.pending()) {
                    FrozenValue.Nack nack = nacks.get(id);
                    command(out, List.of(ascii("XCLAIM"), key, group.name(), consumer.name(), ascii("0"), id.bytes(),
                            ascii("TIME"), ascii(Long.toString(nack.deliveryTime())), ascii("RETRYCOUNT"),
                            ascii(Long.toString(nack.deliveryCount())), ascii("JUSTID"), ascii("FORCE")));
                }
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
