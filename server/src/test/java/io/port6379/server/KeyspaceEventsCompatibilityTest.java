// Dual target for keyspace notifications: per write command, the messages a pattern subscriber gets and the dirty count, ours vs redis-server.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each case prepares the keys with notifications off, enables the case's classes, and runs its commands while a
 * subscriber listens on {@code __key*__:*}. Then it compares, with a real Redis 7: every reply, every message the
 * subscriber received (in order, byte for byte), and how much {@code server.dirty} moved (Redis's INFO
 * {@code rdb_changes_since_last_save}). A step {@code b> cmd} sends on a second connection without reading (a
 * blocking command), {@code b<} reads its reply, {@code wait ms} sleeps on the test's side (active expiry).
 */
class KeyspaceEventsCompatibilityTest {

    /** One case: classes to enable, the keys before, the commands watched. */
    private record Case(String flags, List<String> setup, List<String> commands) {
    }

    private static Case kea(List<String> setup, String... commands) {
        return new Case("KEA", setup, List.of(commands));
    }

    private static final Map<String, Case> CASES = Map.ofEntries(
            // strings
            Map.entry("set, setnx, setex, getset, getdel", kea(List.of("set s 1"),
                    "set s 2", "set t 1 nx", "set t 2 nx", "set t 3 xx", "set u 3 xx", "setnx s 4", "setnx v 4",
                    "setex w 100 x", "psetex w 100000 y", "getset s 5", "getset nokey 5", "getdel s", "getdel s",
                    "set g 1 get", "set g 2 keepttl")),
            Map.entry("set with an expiry sends expire", kea(List.of(),
                    "set a 1 ex 100", "set a 1 px 100000", "set a 2 exat 4000000000", "set b 1 pxat 1")),
            Map.entry("getex", kea(List.of("set s 1", "set t 1 ex 100"),
                    "getex s", "getex s ex 100", "getex s persist", "getex t persist", "getex missing ex 5",
                    "getex s pxat 1", "getex s")),
            Map.entry("mset and msetnx", kea(List.of("set a 1"),
                    "mset a 2 b 3", "msetnx a 1 c 1", "msetnx c 1 d 2", "mset a 1 a 2")),
            Map.entry("string updates", kea(List.of("set s abc", "set n 5", "set f 1.5"),
                    "append s def", "append new xy", "setrange s 1 ZZ", "setrange s 0 \"\"", "setrange none 0 \"\"",
                    "setrange other 2 x", "incr n", "decr n", "incrby n 5", "decrby n 2", "incrbyfloat f 1",
                    "incr s", "incr fresh", "incrbyfloat fresh2 0.5")),
            // bitmaps
            Map.entry("setbit dirties only a change", kea(List.of("set s abc", "set n 12", "set t v ex 100"),
                    "setbit b 0 1", "setbit b 0 1", "setbit b 0 0", "setbit b 0 0", "setbit b 100 0", "setbit n 0 0",
                    "setbit s 7 1", "setbit t 30 1", "setbit b 4294967296 1")),
            Map.entry("bitfield writes", kea(List.of("set s abc"),
                    "bitfield s get u8 0", "bitfield s set u8 0 1 set u8 8 2", "bitfield s incrby u8 0 0",
                    "bitfield s overflow fail incrby u8 0 1000", "bitfield s overflow fail incrby u8 0 1000 incrby u8 0 1",
                    "bitfield created overflow fail incrby u2 0 5", "exists created", "bitfield_ro s get u8 0",
                    "bitfield fresh set i8 #2 -1", "bitfield s set u8 0", "bitfield s set u8 100 0 set u8 100 0",
                    "bitfield s set u8 0 7 set u8 0 7 set i8 0 8", "bitfield s overflow wrap set u8 0 264",
                    "bitfield s overflow fail set u8 400 1000 set u8 0 8", "bitfield new overflow fail incrby u8 0 999 set u8 0 0")),
            Map.entry("bitop sends set or del", kea(List.of("set a \"\\xff\"", "set e \"\"", "rpush l x", "set d 1 ex 100"),
                    "bitop and d a missing", "bitop or d missing", "bitop or d missing", "bitop xor d e", "bitop not l a",
                    "bitop or l missing", "bitop not d2 a", "bitop or d3 a l", "bitop foo d a")),
            // hyperloglog: PFMERGE announces pfadd; a PFCOUNT that writes the cache and PFDEBUG TODENSE count a change
            Map.entry("pfadd, pfcount, pfmerge, pfdebug", kea(List.of("set s abc"),
                    "pfadd h a b c", "pfadd h a", "pfadd h", "pfadd new", "pfcount h", "pfcount h", "pfadd h d e",
                    "pfcount h new", "pfmerge m h new", "pfmerge m", "pfdebug todense h", "pfdebug todense h",
                    "pfadd s x", "pfcount s", "pfmerge m s")),
            // generic
            Map.entry("del, unlink, exists", kea(List.of("set a 1", "set b 1", "lpush l x"),
                    "del a missing b", "del a", "unlink l", "unlink l")),
            Map.entry("expire and persist", kea(List.of("set a 1", "set b 1", "set c 1 ex 100"),
                    "expire a 100", "expire missing 100", "pexpire a 200000", "expire a 100 nx", "expire c 50 gt",
                    "expire c 500 gt", "expireat a 4000000000", "pexpireat a 4000000000000", "persist a",
                    "persist a", "persist missing", "expire b 0", "expire b 0", "pexpire c -1")),
            Map.entry("rename, renamenx, copy, move", kea(List.of("set a 1", "set b 2", "set c 3", "select 0"),
                    "rename a z", "rename z z", "rename missing y", "renamenx z b", "renamenx z y",
                    "copy y c", "copy y c2", "copy y c replace", "copy y c db 1", "move y 2", "move missing 2",
                    "move c2 0", "move b 1", "select 1", "move c 0", "select 0")),
            Map.entry("notifications name the client's database", kea(List.of(),
                    "select 3", "set k v", "del k", "select 0")),
            // lists
            Map.entry("list pushes", kea(List.of(),
                    "lpush l a b", "rpush l c", "lpushx l d", "rpushx l e", "lpushx none d", "rpushx none e",
                    "lpush s1 x y z")),
            Map.entry("list pops", kea(List.of("rpush l a b c d e f", "rpush m a"),
                    "lpop l", "rpop l", "lpop l 2", "rpop l 0", "lpop missing", "rpop l 10", "lpop m 5",
                    "lpop l")),
            Map.entry("list edits", kea(List.of("rpush l a b c b a", "rpush m a"),
                    "lset l 0 z", "lset missing 0 z", "linsert l before c x", "linsert l after nope y",
                    "linsert missing after a b", "lrem l 1 b", "lrem l 0 nope", "lrem m 0 a", "ltrim l 0 2",
                    "ltrim l 0 -1", "ltrim l 5 10", "ltrim missing 0 1")),
            Map.entry("lmove and rpoplpush", kea(List.of("rpush src a b c", "rpush one x"),
                    "lmove src dst left right", "rpoplpush src dst", "lmove one one left right",
                    "rpoplpush src src", "lmove src dst right left", "lmove nosrc dst left left", "lmove one fresh left left")),
            Map.entry("lmpop", kea(List.of("rpush l a b c"),
                    "lmpop 2 missing l left count 2", "lmpop 1 l right", "lmpop 1 l left", "lmpop 1 l left")),
            // hashes
            Map.entry("hash writes", kea(List.of("hset h a 1"),
                    "hset h a 2 b 3", "hset h a 2", "hmset h c 4", "hsetnx h a 9", "hsetnx h z 9", "hsetnx new a 1",
                    "hincrby h n 5", "hincrby h2 n 1", "hincrbyfloat h f 1.5", "hincrbyfloat h3 f 1.5",
                    "hdel h a nope b", "hdel h nope", "hdel h c z n f", "hdel h a")),
            // sets
            Map.entry("set writes", kea(List.of("sadd s a b", "sadd t c"),
                    "sadd s a", "sadd s c d", "srem s nope", "srem s a b", "srem missing a", "smove s t c",
                    "smove s t nope", "smove missing t a", "smove s t d", "smove t t c", "smove t u c")),
            Map.entry("spop", kea(List.of("sadd s a b c d e", "sadd one a"),
                    "spop missing", "spop s 0", "spop one", "spop missing 2")),
            Map.entry("spop with a count", kea(List.of("sadd s 1 2 3 4 5", "sadd t 1 2"),
                    "spop t 5", "spop s 10")),
            Map.entry("set algebra stores", kea(List.of("sadd a 1 2 3", "sadd b 2 3 4", "set dst x"),
                    "sinterstore dst a b", "sunionstore dst a b", "sdiffstore dst a b", "sdiffstore dst a a",
                    "sinterstore dst a missing", "sinterstore dst a missing", "sunionstore d2 a")),
            Map.entry("sort store", kea(List.of("rpush l 3 1 2", "sadd s b a", "set dst x", "hset w_1 f 1", "set g_2 v"),
                    "sort l store dst", "sort l get g_* get # store dst", "sort l by w_*->f limit 0 1 store dst",
                    "sort s by nosort store dst", "sort l limit 0 0 store dst", "sort l limit 0 0 store dst",
                    "sort missing store l", "sort_ro s alpha", "sort l by nosort get missing_*")),
            // geo
            Map.entry("geoadd is zadd, storing searches", kea(List.of("set dst x"),
                    "geoadd g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania", "geoadd g nx 1 1 Palermo",
                    "geoadd g xx ch 1 1 Palermo", "geoadd g 200 1 bad", "georadius g 15 37 200 km store dst",
                    "georadiusbymember g Palermo 500 km storedist dst", "geosearchstore dst g fromlonlat 15 37 byradius 1 km",
                    "geosearchstore dst g fromlonlat 15 37 byradius 1 km", "georadius missing 0 0 1 km store g",
                    "geosearchstore g2 g frommember Palermo bybox 1000 1000 km")),
            // sorted sets
            Map.entry("zadd and zincrby", kea(List.of("zadd z 1 a"),
                    "zadd z 2 a", "zadd z 2 a", "zadd z 3 b", "zadd z xx 5 c", "zadd missing xx 1 a",
                    "zadd z nx 9 a", "zadd z gt 1 a", "zadd z incr 1 a", "zadd z nx incr 1 a", "zadd z ch 7 a 8 d",
                    "zincrby z 1 a", "zincrby fresh 2 x")),
            Map.entry("zrem and zremrange", kea(List.of("zadd z 1 a 2 b 3 c 4 d 5 e 6 f", "zadd one 1 x"),
                    "zrem z a nope", "zrem z nope", "zremrangebyrank z 0 0", "zremrangebyrank z 10 20",
                    "zremrangebyscore z 3 3", "zremrangebyscore z 100 200", "zremrangebylex z [e [e",
                    "zremrangebylex z [x [y", "zrem one x", "zremrangebyrank missing 0 1", "zremrangebyrank z 0 -1")),
            Map.entry("zpop and zmpop", kea(List.of("zadd z 1 a 2 b 3 c 4 d", "zadd y 1 a"),
                    "zpopmin z", "zpopmax z", "zpopmin z 0", "zpopmin missing", "zmpop 2 missing z min count 5",
                    "zpopmax y 3", "zmpop 1 z max")),
            Map.entry("sorted-set stores", kea(List.of("zadd a 1 x 2 y", "zadd b 3 y", "set dst s"),
                    "zunionstore dst 2 a b", "zinterstore dst 2 a b", "zdiffstore dst 2 a b", "zdiffstore dst 2 a a",
                    "zinterstore dst 2 a missing", "zrangestore r a 0 0", "zrangestore r a 5 6", "zrangestore r a 5 6")),
            // server
            Map.entry("flushes and swapdb send nothing", kea(List.of("set a 1", "select 1", "set b 1", "select 0"),
                    "swapdb 0 1", "flushdb", "flushall", "flushall")),
            // blocking
            Map.entry("a blocked BLPOP served by a push", kea(List.of(),
                    "b> blpop l 0", "wait 100", "rpush l a b", "b<", "lrange l 0 -1")),
            Map.entry("a blocked BLMOVE served by a push", kea(List.of(),
                    "b> blmove src dst right left 0", "wait 100", "lpush src a", "b<")),
            Map.entry("a blocked BZPOPMIN served by a zadd", kea(List.of(),
                    "b> bzpopmin z 0", "wait 100", "zadd z 1 a 2 b", "b<")),
            Map.entry("a blocked BLMPOP served by a push", kea(List.of(),
                    "b> blmpop 0 2 x l right count 5", "wait 100", "lpush l a b c", "b<")),
            Map.entry("a blocked BZMPOP served by a zadd", kea(List.of(),
                    "b> bzmpop 0 1 z max count 1", "wait 100", "zadd z 1 a 2 b", "b<")),
            Map.entry("blocking pops that need not wait", kea(List.of("rpush l a b c", "zadd z 1 a"),
                    "blpop l 0", "brpop l 0", "bzpopmax z 0", "blmpop 0 2 missing l left")),
            // streams
            Map.entry("stream writes", kea(List.of("set str x"),
                    "xadd s 1-1 f v", "xadd s maxlen 1 1-2 f v", "xadd s 1-1 f v", "xadd s nomkstream 1-3 f v",
                    "xadd none nomkstream 1-1 f v", "xdel s 1-3", "xdel s 9-9", "xtrim s maxlen 0", "xtrim s maxlen 0",
                    "xsetid s 5-5", "xadd str 1-1 f v", "xlen s", "xrange s - +", "del s")),
            Map.entry("stream groups", kea(List.of("xadd s 1-1 f v", "xadd s 1-2 f v"),
                    "xgroup create s g 0", "xgroup create s g 0", "xgroup create new g $ mkstream",
                    "xgroup createconsumer s g alice", "xgroup createconsumer s g alice", "xgroup setid s g 0",
                    "xreadgroup group g bob count 1 streams s >", "xreadgroup group g bob streams s 0",
                    "xreadgroup group g bob noack streams s >", "xack s g 1-1", "xack s g 1-1",
                    "xclaim s g carol 0 1-1 force justid", "xautoclaim s g dave 0 0 justid",
                    "xgroup delconsumer s g alice", "xgroup delconsumer s g nobody", "xgroup destroy s g",
                    "xgroup destroy s g", "xread streams s 0", "xinfo groups s")),
            Map.entry("a blocked XREAD and XREADGROUP served by an xadd", kea(List.of("xgroup create s g $ mkstream"),
                    "b> xreadgroup group g alice block 0 streams s >", "wait 100", "xadd s 1-1 f v", "b<",
                    "b> xread block 0 streams s $", "wait 100", "xadd s 1-2 f v", "b<", "xpending s g")),
            Map.entry("a blocked XREADGROUP ended by xgroup destroy and by del", kea(List.of("xgroup create s g $ mkstream"),
                    "b> xreadgroup group g alice block 0 streams s >", "wait 100", "xgroup destroy s g", "b<",
                    "xgroup create s g $", "b> xreadgroup group g alice block 0 streams s >", "wait 100", "del s", "b<")),
            // expiry
            Map.entry("expired found by an access", new Case("KEA", List.of("debug set-active-expire 0"),
                    List.of("set k v px 20", "wait 60", "get k", "exists k", "debug set-active-expire 1"))),
            Map.entry("expired found by a write", new Case("KEA", List.of("debug set-active-expire 0"),
                    List.of("set k v px 20", "set m v px 20", "rpush l a", "pexpire l 20", "wait 60", "set k w",
                            "mset m w", "rpush l b", "debug set-active-expire 1"))),
            Map.entry("expired found by the active cycle", new Case("KEA", List.of(),
                    List.of("set k v px 20", "wait 400"))),
            // the classes chosen
            Map.entry("only keyspace channels for lists", new Case("Kl", List.of(),
                    List.of("lpush l a", "set s 1", "del l"))),
            Map.entry("only keyevent channels for generic and strings", new Case("Eg$", List.of(),
                    List.of("set s 1", "lpush l a", "del l", "expire s 100"))),
            Map.entry("A without K or E sends nothing", new Case("A", List.of(), List.of("set s 1", "del s"))),
            Map.entry("new-key events", new Case("KEn$gl", List.of("set old 1"),
                    List.of("set old 2", "set s 1", "lpush l a", "rename s t", "copy t u", "incr c", "hset h f v",
                            "append a x", "sunionstore st l", "rpoplpush l l2"))),
            Map.entry("expired only", new Case("Ex", List.of("debug set-active-expire 0"),
                    List.of("set k v px 20", "wait 60", "get k", "del k", "debug set-active-expire 1"))));

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @TestFactory
    Stream<DynamicTest> notificationsAndDirtyAreRedis() {
        return CASES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Observed expected = run(servers.redis().port(), null, e.getValue());
                    Observed actual = run(servers.ours().port(), servers.ours(), e.getValue());
                    assertEquals(expected.replies(), actual.replies(), e.getKey() + ": replies");
                    assertEquals(expected.messages(), actual.messages(), e.getKey() + ": notifications");
                    assertEquals(expected.dirty(), actual.dirty(), e.getKey() + ": dirty");
                }));
    }

    /** What one server did in a case. */
    private record Observed(List<String> replies, List<String> messages, long dirty) {
    }

    private static Observed run(int port, TestServer server, Case c) throws IOException, InterruptedException {
        try (RespConnection a = new RespConnection(port); RespConnection b = new RespConnection(port);
             RespConnection subscriber = new RespConnection(port)) {
            prepare(a, subscriber, c.setup(), c.flags(), "end");
            long dirtyBefore = dirty(a, server);
            List<String> replies = new ArrayList<>();
            for (String step : c.commands()) {
                if (step.startsWith("wait ")) {
                    Thread.sleep(Long.parseLong(step.substring(5)));
                } else if (step.startsWith("b> ")) {
                    b.send(CompatibilityTest.split(step.substring(3)));
                } else if (step.equals("b<")) {
                    replies.add(b.readReply());
                } else {
                    replies.add(a.call(CompatibilityTest.split(step)));
                }
            }
            long dirty = dirty(a, server) - dirtyBefore;
            a.call("PUBLISH", "end", "."); // the last message: everything before it has arrived
            List<String> messages = new ArrayList<>();
            for (String message = subscriber.readReply(); !message.contains("$3\r\nend\r\n"); message = subscriber.readReply()) {
                messages.add(readable(message));
            }
            return new Observed(replies, messages, dirty);
        }
    }

    /**
     * A case's start, shared with {@link KeyspaceHitsCompatibilityTest}: an empty server, the case's data written
     * with notifications off, then its flags, and a subscriber to every keyspace event and to {@code marker}.
     */
    static void prepare(RespConnection a, RespConnection subscriber, List<String> setup, String flags, String marker)
            throws IOException {
        a.call("CONFIG", "SET", "notify-keyspace-events", "");
        a.call("FLUSHALL");
        for (String command : setup) {
            a.call(CompatibilityTest.split(command));
        }
        a.call("CONFIG", "SET", "notify-keyspace-events", flags);
        subscriber.call("PSUBSCRIBE", "__key*__:*");
        subscriber.call("SUBSCRIBE", marker);
    }

    /**
     * A pattern message {@code *4 pmessage <pattern> <channel> <message>} as {@code channel message}, so that a
     * failure reads as a list of events; anything else (which would be a bug) is kept whole.
     */
    private static String readable(String frame) {
        String[] lines = frame.split("\r\n", -1);
        if (lines.length == 10 && lines[0].equals("*4") && lines[2].equals("pmessage")) {
            return lines[6] + " " + lines[8];
        }
        return frame;
    }

    /** Redis's {@code server.dirty}: INFO's {@code rdb_changes_since_last_save}, or our counter read under the lock. */
    private static long dirty(RespConnection connection, TestServer server) throws IOException {
        if (server != null) {
            ServerContext context = server.server().context();
            context.executionLock().lock();
            try {
                return context.stats().dirty();
            } finally {
                context.executionLock().unlock();
            }
        }
        String info = connection.call("INFO", "persistence");
        int at = info.indexOf("rdb_changes_since_last_save:");
        int end = info.indexOf("\r\n", at);
        return Long.parseLong(info.substring(at + "rdb_changes_since_last_save:".length(), end));
    }
}
