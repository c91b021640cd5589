// The DEBUG family: the subcommands Redis's own tests and operators use, behind enable-debug-command.
package io.port6379.server.commands;

import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Keyspace;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisHash;
import io.port6379.datastructures.RedisList;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.datastructures.RedisSet;
import io.port6379.datastructures.RedisSortedSet;
import io.port6379.datastructures.RedisString;
import io.port6379.datastructures.RedisValue;
import io.port6379.protocol.Frame;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.Concerns;
import io.port6379.server.ServerContext;
import io.port6379.server.config.ConfigParameter;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.security.Acl;
import io.port6379.server.persistence.AofLoader;
import io.port6379.server.persistence.ChecksumValidation;
import io.port6379.server.persistence.DumpPayload;
import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.persistence.RdbWriter;
import io.port6379.server.persistence.StartupLoader;
import io.port6379.server.tracking.Tracking;
import io.port6379.server.transactions.WatchedKeys;
import io.port6379.server.scripting.ScriptEngine;
import io.port6379.server.util.Args;
import io.port6379.server.util.Glob;
import io.port6379.server.replication.Replication;
import io.port6379.server.util.Log;
import io.port6379.server.util.Replies;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.management.ObjectName;

/**
 * DEBUG is Redis's toolbox for tests: compare datasets (DIGEST), save and load in place (RELOAD, LOADAOF), look at
 * a value's representation (OBJECT, LISTPACK, QUICKLIST, HTSTATS), freeze parts of the server (SLEEP, PAUSE-CRON,
 * SET-ACTIVE-EXPIRE) and make replies of every RESP3 type (PROTOCOL). It can crash or stall a server, so Redis 7
 * refuses it unless {@code enable-debug-command} is {@code yes} (or {@code local} and the client is on loopback):
 * the dispatcher checks that before anything else, as for every protected command.
 *
 * <p>The subcommands that would crash the process (SEGFAULT, PANIC, ASSERT, OOM, CRASH-AND-RECOVER), print C
 * structure sizes or tune jemalloc (STRUCTSIZE, MALLCTL, SDSLEN, LEAK) have no meaning in a Java server and answer
 * Redis's unknown-subcommand error; JMAP is ours: the heap's class histogram, the JVM's view of what DEBUG OBJECT
 * shows per key.
 */
public final class DebugCommands {

    private DebugCommands() {
    }

    /** DEBUG subcommand [arguments]: the subcommand and its argument count as Redis's {@code debugCommand} checks them. */
    static void debug(Client client, byte[][] args, RespWriter reply) {
        String sub = Args.text(args[1]).toLowerCase(Locale.ROOT);
        int argc = args.length;
        switch (sub) {
            case "help" -> help(reply);
            case "digest" -> {
                requireArgs(argc == 2, args);
                reply.simpleString(DatasetDigest.hex(new DatasetDigest().dataset(client.server().databases())));
            }
            case "digest-value" -> digestValue(client, args, reply);
            case "object" -> {
                requireArgs(argc == 3, args);
                reply.simpleString(object(client, args[2]));
            }
            case "reload" -> reload(client, args, reply);
            case "loadaof" -> loadAof(client, reply);
            case "protocol" -> {
                requireArgs(argc == 3, args);
                protocol(Args.text(args[2]).toLowerCase(Locale.ROOT), reply);
            }
            case "sleep" -> {
                requireArgs(argc == 3, args);
                sleep(strtod(args[2]));
                Replies.ok(reply);
            }
            case "set-active-expire" -> {
                requireArgs(argc == 3, args);
                client.server().activeExpire(atoi(args[2]) != 0);
                Replies.ok(reply);
            }
            case "quicklist-packed-threshold" -> {
                requireArgs(argc == 3, args);
                packedThreshold(client.server(), args[2]);
                Replies.ok(reply);
            }
            case "listpack" -> {
                requireArgs(argc == 3, args);
                printEncoding(client, args[2], "listpack");
                reply.simpleString("Listpack structure printed on stdout");
            }
            case "quicklist" -> {
                requireArgs(argc == 3 || argc == 4, args);
                printEncoding(client, args[2], "quicklist");
                reply.simpleString("Quicklist structure printed on stdout");
            }
            case "populate" -> populate(client, args, reply);
            case "stringmatch-test" -> {
                requireArgs(argc == 2, args);
                stringMatchFuzz();
                reply.simpleString("Apparently Redis did not crash: test passed");
            }
            case "change-repl-id" -> {
                requireArgs(argc == 2, args);
                Replication.of(client.server()).renewIds();
                Log.log("#", "Changing replication IDs after receiving DEBUG change-repl-id");
                Replies.ok(reply);
            }
            case "replybuffer" -> replyBuffer(client, args, reply);
            case "pause-cron" -> {
                requireArgs(argc == 3, args);
                client.server().cronPaused(atoi(args[2]) != 0);
                Replies.ok(reply);
            }
            case "aof-flush-sleep" -> {
                requireArgs(argc == 3, args);
                DebugSettings.of(client.server()).aofFlushSleepMicros = atoi(args[2]);
                Replies.ok(reply);
            }
            case "config-rewrite-force-all" -> {
                requireArgs(argc == 2, args);
                configRewriteForceAll(client);
                Replies.ok(reply);
            }
            case "set-disable-deny-scripts" -> {
                requireArgs(argc == 3, args);
                ScriptEngine.of(client.server()).disableDenyScripts(atoi(args[2]) != 0);
                Replies.ok(reply);
            }
            case "set-skip-checksum-validation" -> {
                requireArgs(argc == 3, args);
                ChecksumValidation.skip(client.server(), atoi(args[2]) != 0);
                Replies.ok(reply);
            }
            case "htstats" -> {
                requireArgs(argc == 3, args);
                long db = Args.parseLong(args[2]);
                if (db < 0 || db >= client.server().databases().count()) {
                    throw new RedisException("ERR Out of range database");
                }
                reply.verbatim("txt", client.server().databases().get((int) db).hashTableStats()
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            case "htstats-key" -> {
                requireArgs(argc == 3, args);
                String stats = hashTableStats(existing(client, args[2]));
                if (stats == null) {
                    throw new RedisException("ERR The value stored at the specified key is not represented using an hash table");
                }
                reply.verbatim("txt", stats.getBytes(StandardCharsets.ISO_8859_1));
            }
            case "error" -> {
                requireArgs(argc == 3, args);
                String message = new String(args[2], StandardCharsets.ISO_8859_1).replace('\r', ' ').replace('\n', ' ');
                reply.error(message); // as given: Redis's addReplyErrorSds does not add "ERR "
            }
            case "log" -> {
                requireArgs(argc == 3, args);
                Log.log("#", "DEBUG LOG: " + Args.text(args[2]));
                Replies.ok(reply);
            }
            case "jmap" -> {
                requireArgs(argc == 2, args);
                reply.verbatim("txt", classHistogram().getBytes(StandardCharsets.UTF_8));
            }
            default -> throw unknownSubcommand(args);
        }
    }

    private static void requireArgs(boolean ok, byte[][] args) {
        if (!ok) {
            throw unknownSubcommand(args);
        }
    }

    private static RedisException unknownSubcommand(byte[][] args) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
                + "'. Try DEBUG HELP.");
    }

    // tag::digest-value[]
    /** DEBUG DIGEST-VALUE key ...: one status line of 40 hex digits per key, zeros for a missing key. */
    private static void digestValue(Client client, byte[][] args, RespWriter reply) {
        DatasetDigest digest = new DatasetDigest();
        reply.arrayHeader(args.length - 2);
        for (int i = 2; i < args.length; i++) {
            Bytes key = Bytes.of(args[i]);
            Keyspace db = client.db();
            RedisValue value = db.peek(key); // not an access; a key whose time has passed is gone here (Redis sees it)
            reply.simpleString(DatasetDigest.hex(digest.value(value, value != null && db.expireTime(key) >= 0)));
        }
    }
    // end::digest-value[]

    private static RedisValue existing(Client client, byte[] key) {
        RedisValue value = client.db().peek(Bytes.of(key));
        if (value == null) {
            throw new RedisException("ERR no such key");
        }
        return value;
    }

    // tag::object[]
    /**
     * DEBUG OBJECT's line: {@code Value at:<address> refcount:<n> encoding:<enc> serializedlength:<bytes>
     * lru:<clock> lru_seconds_idle:<s>}, and for a list the quicklist's shape. The address is the key's
     * {@linkplain io.port6379.datastructures.Keyspace#identity identity} (a Java object has no stable address), so
     * that it stays the same across INCR as Redis's in-place update keeps it; the serialized length is what the RDB
     * file stores for the value (its DUMP payload without the type byte and the footer), so a string longer than 20
     * bytes that LZF can shorten may differ by a few bytes, as our LZF compressor finds other matches than Redis's;
     * the LRU clock is Redis's: Unix seconds of the last access, modulo 2^24.
     */
    private static String object(Client client, byte[] keyName) {
        RedisValue value = client.db().stored(Bytes.of(keyName)); // Redis's dictFind: an expired key is still there
        if (value == null) {
            throw new RedisException("ERR no such key");
        }
        ServerContext server = client.server();
        ServerConfig config = server.config();
        long serialized = DumpPayload.create(value, config.flag("rdbcompression")).length - 11L;
        long idle = Math.max(0, client.db().idleSeconds(Bytes.of(keyName)));
        long lru = (server.clock().millis() / 1000 - idle) & 0xFFFFFF;
        boolean shared = value instanceof RedisString s && s.hasDefaultEncoding() && s.encoding().equals("int")
                && s.bytes().length <= 4 && Args.parseLong(s.bytes()) >= 0; // Redis's shared integers 0..9999
        int address = client.db().identity(Bytes.of(keyName));
        StringBuilder line = new StringBuilder("Value at:0x7f").append(String.format("%010x", address))
                .append(" refcount:").append(shared ? Integer.MAX_VALUE : 1)
                .append(" encoding:").append(value.encoding()).append(" serializedlength:").append(serialized)
                .append(" lru:").append(lru).append(" lru_seconds_idle:").append(idle);
        if (value instanceof RedisList list) { // the quicklist's settings are the list's own, taken when it was made
            List<byte[]> elements = list.range(0, -1);
            long[] shape = RdbWriter.quicklistShape(elements, list.options().fill());
            line.append(" ql_nodes:").append(shape[0])
                    .append(" ql_avg_node:").append(String.format(Locale.ROOT, "%.2f", (double) elements.size() / shape[0]))
                    .append(" ql_listpack_max:").append(list.options().fill())
                    .append(" ql_compressed:").append(list.options().compressDepth() != 0 ? 1 : 0)
                    .append(" ql_uncompressed_size:").append(shape[1]);
        }
        return line.toString();
    }
    // end::object[]

    /** DEBUG LISTPACK/QUICKLIST key: Redis prints the structure on its standard output; ours writes a summary to the log. */
    private static void printEncoding(Client client, byte[] key, String encoding) {
        RedisValue value = existing(client, key);
        if (!value.encoding().equals(encoding)) {
            throw new RedisException("ERR Not a " + encoding + " encoded object.");
        }
        Log.log("*", "DEBUG " + encoding.toUpperCase(Locale.ROOT) + " " + Args.text(key) + ": " + value.type()
                + " in the " + encoding + " encoding, " + object(client, key));
    }

    private static String hashTableStats(RedisValue value) {
        return switch (value) {
            case RedisSet set -> set.hashTableStats();
            case RedisHash hash -> hash.hashTableStats();
            case RedisSortedSet zset -> zset.hashTableStats();
            default -> null;
        };
    }

    // tag::reload[]
    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB file (unless NOSAVE), empty every database (unless
     * NOFLUSH), and load the file back, so a test proves that what it wrote survives a restart. Keys the file
     * brings that are already present replace them with MERGE; without MERGE Redis stops the whole server on such a
     * key, ours refuses the load with nothing changed.
     */
    private static void reload(Client client, byte[][] args, RespWriter reply) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int i = 2; i < args.length; i++) {
            if (Args.is(args[i], "merge")) {
                merge = true;
            } else if (Args.is(args[i], "noflush")) {
                flush = false;
            } else if (Args.is(args[i], "nosave")) {
                save = false;
            } else {
                throw new RedisException("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        ServerContext server = client.server();
        if (save) {
            try {
                RdbSaver.of(server).save();
            } catch (IOException e) {
                Log.log("#", "DEBUG RELOAD could not save: " + e.getMessage());
                throw new RedisException("ERR");
            }
        }
        if (flush) {
            emptyAll(server);
        }
        try {
            StartupLoader.reload(server, RdbSaver.file(server.config()), merge, flush);
        } catch (IOException e) {
            Log.log("#", "DEBUG RELOAD could not load: " + e.getMessage());
            throw new RedisException("ERR Error trying to load the RDB dump");
        }
        Log.log("#", "DB reloaded by DEBUG RELOAD");
        Replies.ok(reply);
    }
    // end::reload[]

    /** Redis's {@code emptyData}: every database emptied, WATCHers of their keys told, as FLUSHALL does it. */
    private static void emptyAll(ServerContext server) {
        for (int db = 0; db < server.databases().count(); db++) {
            WatchedKeys.of(server).emptied(db, null);
        }
        server.databases().flushAll();
        Tracking.flushed(server);
    }

    /**
     * DEBUG LOADAOF: the append-only file written out, the data emptied and the file replayed. The replay is not
     * recorded again (the file already holds it). Without an append-only file Redis exits; ours answers an error.
     */
    private static void loadAof(Client client, RespWriter reply) {
        ServerContext server = client.server();
        Concerns.Propagation aof = server.propagation();
        if (aof != null) {
            aof.beforeReplies(); // Redis's flushAppendOnlyFile(1)
        }
        emptyAll(server);
        server.propagation(null);
        try {
            if (!AofLoader.loadIfPresent(server)) {
                throw new RedisException("ERR DEBUG LOADAOF: there is no append only file to load");
            }
        } catch (IOException e) {
            Log.log("#", "DEBUG LOADAOF failed: " + e.getMessage());
            throw new RedisException("ERR DEBUG LOADAOF failed: " + e.getMessage());
        } finally {
            server.propagation(aof);
        }
        Log.log("#", "Append Only File loaded by DEBUG LOADAOF");
        Replies.ok(reply);
    }

    // tag::protocol[]
    /** DEBUG PROTOCOL type: Redis's sample reply of each RESP3 type, which a RESP2 client gets in its nearest form. */
    private static void protocol(String type, RespWriter reply) {
        switch (type) {
            case "string" -> reply.bulkString("Hello World");
            case "integer" -> reply.integer(12345);
            case "double" -> reply.doubleValue("3.141".getBytes(StandardCharsets.US_ASCII));
            case "bignum" -> reply.bigNumber(new BigInteger("1234567999999999999999999999999999999"));
            case "null" -> reply.nullValue();
            case "array", "set", "map" -> {
                if (type.equals("array")) {
                    reply.arrayHeader(3);
                } else if (type.equals("set")) {
                    reply.setHeader(3);
                } else {
                    reply.mapHeader(3);
                }
                for (int i = 0; i < 3; i++) {
                    reply.integer(i);
                    if (type.equals("map")) {
                        reply.bool(i == 1);
                    }
                }
            }
            case "attrib" -> {
                if (reply.protocolVersion() == 3) { // RESP2 has no attributes: only the reply they describe
                    Frame popularity = new Frame.Array(List.of(bulk("key:123"), new Frame.Integer(90)));
                    reply.frame(new Frame.Attribute(List.of(new Frame.Entry(bulk("key-popularity"), popularity)),
                            bulk("Some real reply following the attribute")));
                } else {
                    reply.bulkString("Some real reply following the attribute");
                }
            }
            case "push" -> {
                if (reply.protocolVersion() != 3) {
                    throw new RedisException("ERR RESP2 is not supported by this command");
                }
                reply.pushHeader(2).bulkString("server-cpu-usage").integer(42);
                reply.bulkString("Some real reply following the push reply");
            }
            case "true" -> reply.bool(true);
            case "false" -> reply.bool(false);
            case "verbatim" -> reply.verbatim("txt", "This is a verbatim\nstring".getBytes(StandardCharsets.US_ASCII));
            default -> throw new RedisException("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }
    // end::protocol[]

    private static Frame bulk(String text) {
        return new Frame.BulkString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** DEBUG SLEEP: the whole server stops, on purpose (it holds the execution lock), as Redis's single thread would. */
    private static void sleep(double seconds) {
        long micros = (long) (seconds * 1_000_000);
        if (micros <= 0) {
            return;
        }
        try {
            Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * DEBUG QUICKLIST-PACKED-THRESHOLD size: above it Redis stores a list element in a node of its own ("plain").
     * Our lists have no nodes, so the size only decides how DUMP and the RDB file cut a list; the value is checked as
     * Redis checks it (a memory size up to 4 GB - 1 MB, 0 meaning the 1 GB default) and kept for those writers.
     */
    private static void packedThreshold(ServerContext server, byte[] arg) {
        long size;
        try {
            size = ConfigParameter.parseMemory(Args.text(arg));
        } catch (RuntimeException e) {
            size = -1;
        }
        if (size < 0 || size > (1L << 32) - (1L << 20)) {
            throw new RedisException("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
        }
        DebugSettings.of(server).packedThreshold = size == 0 ? 1L << 30 : size;
    }

    /**
     * DEBUG POPULATE count [prefix] [size]: keys {@code prefix:0} .. {@code prefix:<count-1>} (prefix {@code key})
     * holding {@code value:<n>}, cut or padded with zero bytes to {@code size}; existing keys are left alone. As
     * in Redis the keys are added silently: no keyspace event, no change counted, nothing in the append-only file.
     */
    private static void populate(Client client, byte[][] args, RespWriter reply) {
        requireArgs(args.length >= 3 && args.length <= 5, args);
        long count = positive(args[2]);
        String prefix = args.length >= 4 ? Args.text(args[3]) : "key";
        long size = args.length == 5 ? positive(args[4]) : 0;
        Keyspace db = client.db();
        for (long j = 0; j < count; j++) {
            Bytes key = Bytes.of(prefix + ":" + j);
            if (db.peek(key) != null) {
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = text;
            if (size > 0) {
                value = new byte[(int) size];
                System.arraycopy(text, 0, value, 0, (int) Math.min(size, text.length));
            }
            db.set(key, RedisString.formatted(value));
        }
        Replies.ok(reply);
    }

    /** Redis's {@code getPositiveLongFromObjectOrReply}: one message for a bad number and a negative one. */
    private static long positive(byte[] arg) {
        if (!RedisNumbers.isLong(arg) || RedisNumbers.parseLong(arg) < 0) {
            throw new RedisException("ERR value is out of range, must be positive");
        }
        return RedisNumbers.parseLong(arg);
    }

    /** DEBUG REPLYBUFFER PEAK-RESET-TIME never|reset|ms and RESIZING 0|1: how the cron resizes reply buffers. */
    private static void replyBuffer(Client client, byte[][] args, RespWriter reply) {
        requireArgs(args.length == 4, args);
        ServerContext server = client.server();
        if (Args.is(args[2], "peak-reset-time")) {
            if (Args.is(args[3], "never")) {
                server.replyBufferPeakResetMillis(-1);
            } else if (Args.is(args[3], "reset")) {
                server.replyBufferPeakResetMillis(ServerContext.DEFAULT_PEAK_RESET_MILLIS);
            } else {
                server.replyBufferPeakResetMillis(Args.parseLong(args[3]));
            }
        } else if (Args.is(args[2], "resizing")) {
            server.replyBufferResizing(atoi(args[3]) != 0);
        } else {
            throw unknownSubcommand(args);
        }
        Replies.ok(reply);
    }

    /**
     * DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE, then every parameter the file does not name yet written with its
     * value, defaults included. Without a configuration file Redis fails inside {@code fopen(NULL)}: the same text.
     */
    private static void configRewriteForceAll(Client client) {
        ServerConfig config = client.server().config();
        if (config.file() == null) {
            throw new RedisException("ERR CONFIG-REWRITE-FORCE-ALL failed: Bad address");
        }
        try {
            List<String> users = new ArrayList<>();
            Acl.of(client.server()).users().forEach(user -> users.add(user.describe()));
            config.rewrite(users);
            List<String> named = new ArrayList<>();
            List<String> lines = java.nio.file.Files.readAllLines(config.file());
            for (String line : lines) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    named.add(trimmed.split("\\s+", 2)[0].toLowerCase(Locale.ROOT));
                }
            }
            StringBuilder missing = new StringBuilder();
            for (ConfigParameter parameter : config.parameters()) {
                String name = parameter.name();
                if (!named.contains(name)) {
                    missing.append(name).append(' ').append(quoted(config.get(name))).append('\n');
                }
            }
            java.nio.file.Files.writeString(config.file(), missing.toString(), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new RedisException("ERR CONFIG-REWRITE-FORCE-ALL failed: " + e.getMessage());
        }
    }

    /** A value as redis.conf holds it: quoted when empty or when it has spaces. */
    private static String quoted(String value) {
        return value.isEmpty() || value.contains(" ") ? "\"" + value.replace("\"", "\\\"") + "\"" : value;
    }

    /**
     * DEBUG STRINGMATCH-TEST: Redis fuzzes its {@code stringmatchlen} with random patterns and strings to prove it
     * never crashes or runs forever; ours does the same to {@link Glob} (100 000 rounds, as Redis).
     */
    private static void stringMatchFuzz() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < 100_000; round++) {
            byte[] pattern = new byte[random.nextInt(32)];
            byte[] text = new byte[random.nextInt(32)];
            random.nextBytes(pattern);
            random.nextBytes(text);
            Glob.matches(pattern, text, false);
        }
    }

    /** The JVM's class histogram (jmap -histo) of live objects: where the heap goes. */
    private static String classHistogram() {
        try {
            Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.valueOf(histogram);
        } catch (javax.management.JMException e) {
            throw new RedisException("ERR the JVM's class histogram is not available: " + e.getMessage());
        }
    }

    /** C's {@code atoi}: the leading integer, 0 when there is none. */
    static long atoi(byte[] arg) {
        int i = 0;
        while (i < arg.length && Character.isWhitespace(arg[i])) {
            i++;
        }
        int start = i;
        if (i < arg.length && (arg[i] == '-' || arg[i] == '+')) {
            i++;
        }
        while (i < arg.length && arg[i] >= '0' && arg[i] <= '9' && i - start < 18) {
            i++;
        }
        try {
            return Long.parseLong(new String(arg, start, i - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** C's {@code strtod} as DEBUG SLEEP uses it: the leading number, 0 when there is none. */
    static double strtod(byte[] arg) {
        String text = new String(arg, StandardCharsets.US_ASCII).strip();
        for (int end = text.length(); end > 0; end--) {
            try {
                return Double.parseDouble(text.substring(0, end));
            } catch (NumberFormatException e) {
                // shorter prefix
            }
        }
        return 0;
    }

    private static void help(RespWriter reply) {
        Replies.help(reply, "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "AOF-FLUSH-SLEEP <microsec>",
                "    Server will sleep before flushing the AOF, this is used for testing.",
                "ASSERT",
                "    Crash by assertion failed.",
                "CHANGE-REPL-ID",
                "    Change the replication IDs of the instance.",
                "    Dangerous: should be used only for testing the replication subsystem.",
                "CONFIG-REWRITE-FORCE-ALL",
                "    Like CONFIG REWRITE but writes all configuration options, including",
                "    keywords not listed in original configuration file or default values.",
                "CRASH-AND-RECOVER [<milliseconds>]",
                "    Hard crash and restart after a <milliseconds> delay (default 0).",
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "ERROR <string>",
                "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LEAK <string>",
                "    Create a memory leak of the input string.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "HTSTATS <dbid>",
                "    Return hash table statistics of the specified Redis database.",
                "HTSTATS-KEY <key>",
                "    Like HTSTATS but for the hash table stored at <key>'s value.",
                "LOADAOF",
                "    Flush the AOF buffers on disk and reload the AOF in memory.",
                "REPLICATE <string>",
                "    Replicates the provided string to replicas, allowing data divergence.",
                "MALLCTL <key> [<val>]",
                "    Get or set a malloc tuning integer.",
                "MALLCTL-STR <key> [<val>]",
                "    Get or set a malloc tuning string.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "DROP-CLUSTER-PACKET-FILTER <packet-type>",
                "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
                "OOM",
                "    Crash the server simulating an out-of-memory error.",
                "PANIC",
                "    Crash the server simulating a panic.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix. These are not propagated to",
                "    replicas. Cluster slots are not respected so keys not belonging to the",
                "    current node can be created in cluster mode.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "RELOAD [option ...]",
                "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
                "    * MERGE: conflicting keys will be loaded from RDB.",
                "    * NOFLUSH: the existing database will not be removed before load, but",
                "      conflicting keys will generate an exception and kill the server.",
                "    * NOSAVE: the database will be loaded from an existing RDB file.",
                "    Examples:",
                "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
                "      the database.",
                "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
                "      existing RDB file.",
                "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
                "      file to the database.",
                "RESTART [<milliseconds>]",
                "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
                "SDSLEN <key>",
                "    Show low level SDS string info representing `key` and value.",
                "SEGFAULT",
                "    Crash the server with sigsegv.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "QUICKLIST-PACKED-THRESHOLD <size>",
                "    Sets the threshold for elements to be inserted as plain vs packed nodes",
                "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
                "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
                "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
                "STRINGMATCH-TEST",
                "    Run a fuzz tester against the stringmatchlen() function.",
                "STRUCTSIZE",
                "    Return the size of different Redis core C structures.",
                "LISTPACK <key>",
                "    Show low level info about the listpack encoding of <key>.",
                "QUICKLIST <key> [<0|1>]",
                "    Show low level info about the quicklist encoding of <key>.",
                "    The optional argument (0 by default) sets the level of detail",
                "CLIENT-EVICTION",
                "    Show low level client eviction pools info (maxmemory-clients).",
                "PAUSE-CRON <0|1>",
                "    Stop periodic cron job processing.",
                "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
                "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
                "    In case NEVER is provided the last observed peak will never be reset",
                "    In case RESET is provided the peak reset time will be restored to the default value",
                "REPLYBUFFER RESIZING <0|1>",
                "    Enable or disable the reply buffer resize cron job",
                "CLUSTERLINK KILL <to|from|all> <node-id>",
                "    Kills the link based on the direction to/from (both) with the provided node.");
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("debug", DebugCommands::debug);
    }

    /** Puts DEBUG behind {@code enable-debug-command}, as Redis's CMD_PROTECTED. */
    public static void protect(ServerContext server) {
        server.protect("debug", "enable-debug-command");
    }
}
