// Dual target for INFO keyspace_hits/keyspace_misses and the keymiss event: per read command, ours vs redis-server.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis 7.0 counts every key a command reads through {@code lookupKeyRead} as a hit or a miss, and announces a
 * miss as a {@code keymiss} event (class {@code m}); write lookups count nothing. Each case prepares keys with
 * notifications off, enables its classes, and runs its commands while a subscriber listens on {@code __key*__:*}.
 * After every command it records the reply and how much {@code keyspace_hits} and {@code keyspace_misses} moved,
 * and publishes a marker, so that each event is listed under the command that sent it. Everything must equal what
 * a real Redis 7 did. Steps: {@code b> cmd} sends on a second connection without reading (a blocking command),
 * {@code b<} reads its reply, {@code wait ms} sleeps on the test's side.
 */
class KeyspaceHitsCompatibilityTest {

    /** One case: classes to enable, the keys before, the commands watched. */
    private record Case(String flags, List<String> setup, List<String> commands) {
    }

    /** The keys most cases read: a string, a list, a hash, two sets, two sorted sets. */
    private static final List<String> KEYS = List.of("set s hello", "rpush l a b c", "hset h f v", "sadd S a",
            "sadd T a c", "zadd z 1 a 2 b", "zadd y 2 b", "set e \"\"");

    private static Case all(String... commands) {
        return new Case("KEAm", KEYS, List.of(commands));
    }

    private static Case with(List<String> moreSetup, String... commands) {
        List<String> setup = new ArrayList<>(KEYS);
        setup.addAll(moreSetup);
        return new Case("KEAm", setup, List.of(commands));
    }

    private static final Map<String, Case> CASES = Map.ofEntries(
            Map.entry("string reads", all("get s", "get nx", "get l", "mget s nx l s nx", "strlen s", "strlen e",
                    "strlen nx", "strlen l", "getrange s 0 1", "getrange e 0 1", "getrange nx 0 1", "getrange l 0 1",
                    "getrange nx x 1")),
            Map.entry("string reads that write", all("getdel nx", "getdel l", "getdel s", "getex nx", "getex l",
                    "getex e ex 100", "getex nx ex x", "getex nx ex 0", "getex e ex x", "getex nx bogus",
                    "getset nx v", "getset l v", "getset e w", "set nx2 v get", "set l v get", "set s v get",
                    "set nx3 v get nx", "set nx4 v get xx", "set nx5 v get ex 0", "set nx6 v get bogus")),
            Map.entry("string writes count nothing", all("set nx v", "set s v nx", "set s v xx", "setnx s v",
                    "append s x", "append nx7 x", "incr n", "incrbyfloat n 1", "setrange s 0 x", "mset s 1 k 2",
                    "msetnx s 1 k2 2", "setex sx 100 v", "psetex sx 100000 v")),
            Map.entry("bitmap reads", all("getbit s 0", "getbit nx 0", "getbit l 0", "getbit nx x", "bitcount s",
                    "bitcount nx", "bitcount l", "bitcount nx 0", "bitcount s 0", "bitpos s 1", "bitpos nx 1",
                    "bitpos l 1", "bitpos nx 2", "bitfield_ro s get u8 0", "bitfield_ro nx get u8 0",
                    "bitfield_ro l get u8 0", "bitfield_ro s set u8 0 1", "bitfield s get u8 0", "bitfield nx",
                    "bitop and d s nx e", "bitop or d nx l s", "bitop not d nx")),
            Map.entry("bitmap writes count nothing", all("setbit nx 0 1", "setbit s 0 1", "setbit l 0 1",
                    "bitfield nx2 set u8 0 1", "bitfield s incrby u8 0 1 get u8 0", "bitfield l set u8 0 1")),
            Map.entry("key commands", all("exists s", "exists nx", "exists s nx l s nx", "touch s nx l", "type s",
                    "type nx", "ttl s", "ttl nx", "pttl nx", "expiretime nx", "pexpiretime s", "object encoding s",
                    "object encoding nx", "object refcount nx", "object idletime nx", "object freq nx",
                    "object bogus nx", "copy s s2", "copy nx s3", "copy s l", "copy nx s4 db 99", "copy s s",
                    "copy s s5 bogus")),
            Map.entry("key commands that count nothing", all("del nx s", "unlink nx", "expire l 100", "expire nx 100",
                    "persist nx", "rename h h2", "rename nx x", "renamenx T S", "move S 1", "move nx 1", "keys s*",
                    "scan 0 match s* count 1000", "dbsize", "watch nx", "unwatch")),
            Map.entry("list reads", all("llen l", "llen nx", "llen s", "lrange l 0 -1", "lrange nx 0 -1",
                    "lrange s 0 -1", "lrange nx x 1", "lindex l 0", "lindex nx 0", "lindex s 0", "lindex nx x",
                    "lpos l a", "lpos nx a", "lpos s a", "lpos nx a rank 0", "lpos nx a bogus 1")),
            Map.entry("list writes count nothing", with(List.of("rpush l d e f g"),"lpush nx a", "lpushx nx2 a", "lpop nx3", "lpop l", "lpop s",
                    "lset nx4 0 a", "linsert nx4 before a b", "lrem nx4 0 a", "ltrim nx4 0 1", "lmove nx4 l left left",
                    "lmove l l2 left right", "rpoplpush nx4 l", "lmpop 2 nx4 l left", "blpop nx4 l 0",
                    "brpop nx4 nx5 l2 0", "blmove l l3 left left 0", "brpoplpush l3 l4 0", "blmpop 0 2 nx4 l4 left")),
            Map.entry("hash reads", all("hget h f", "hget nx f", "hget s f", "hmget h f g", "hmget nx f", "hmget s f",
                    "hlen nx", "hstrlen nx f", "hexists nx f", "hkeys nx", "hvals nx", "hgetall nx", "hgetall h",
                    "hrandfield nx", "hrandfield h", "hrandfield nx 2 withvalues", "hrandfield nx x",
                    "hrandfield nx 2 bogus", "hscan nx 0", "hscan h 0", "hscan s 0", "hscan nx x",
                    "hscan nx 0 count 0")),
            Map.entry("hash writes count nothing", all("hset nx f v", "hsetnx nx2 f v", "hdel nx3 f",
                    "hincrby nx4 f 1", "hincrbyfloat nx5 f 1", "hdel h f")),
            Map.entry("set reads", all("sismember S a", "sismember nx a", "sismember s a", "smismember nx a b",
                    "smismember s a", "smembers nx", "smembers S", "scard nx", "srandmember nx", "srandmember S",
                    "srandmember nx 2", "srandmember nx -5", "srandmember nx x", "sscan nx 0", "sscan nx x")),
            Map.entry("set algebra reads every source until one has the wrong type", all("sinter S T",
                    "sinter S nx T", "sinter nx S T", "sinter S s", "sinter s nx", "sinter nx s S", "sunion S nx",
                    "sunion S s nx", "sdiff S nx T", "sdiff nx S", "sdiff s nx", "sintercard 3 S nx T",
                    "sintercard 2 nx S", "sintercard 3 S s nx", "sintercard 2 S T limit x")),
            Map.entry("set stores read their sources", all("sinterstore d S nx T", "sunionstore d S nx T",
                    "sdiffstore d S nx T", "sinterstore d nx s", "sunionstore d S s", "smove S nx a", "smove nx S a",
                    "spop nx", "srem nx a", "sadd nx2 a")),
            Map.entry("sorted-set reads", all("zscore z a", "zscore nx a", "zscore s a", "zmscore nx a b", "zcard nx",
                    "zcount nx 0 1", "zcount nx x 1", "zlexcount nx - +", "zlexcount nx x +", "zrank nx a",
                    "zrevrank z a", "zrange z 0 -1", "zrange nx 0 -1", "zrange s 0 -1", "zrange nx 0 x",
                    "zrange nx (1 2 byscore", "zrange nx 0 -1 bylex", "zrange nx 0 -1 withscores limit 0 1",
                    "zrangebyscore nx 0 1", "zrevrangebyscore nx 1 0", "zrangebylex nx - +", "zrevrangebylex nx + -",
                    "zrevrange nx 0 1", "zrandmember nx", "zrandmember nx 2 withscores", "zrandmember nx x",
                    "zscan nx 0", "zscan nx 0 count 0", "zscan nx x")),
            Map.entry("sorted-set algebra reads every source", all("zunion 3 z nx y", "zinter 3 nx z y",
                    "zdiff 2 nx z", "zunion 3 z s nx", "zunion 3 nx s z", "zinter 2 z y weights 1 x",
                    "zinter 2 z y aggregate bad", "zunion 2 S nx", "zintercard 3 z nx y", "zintercard 2 s nx",
                    "zintercard 2 z y limit -1")),
            Map.entry("sorted-set stores read their sources", all("zunionstore d 3 z nx y", "zinterstore d 3 z nx y",
                    "zdiffstore d 3 z nx y", "zunionstore d 2 z s", "zrangestore d z 0 -1", "zrangestore d nx 0 -1",
                    "zrangestore d s 0 -1", "zrangestore d nx x 1")),
            Map.entry("sorted-set writes count nothing", with(List.of("zadd y 3 c 4 d"),"zadd nx 1 a", "zincrby nx2 1 a", "zrem nx3 a",
                    "zremrangebyrank nx3 0 1", "zpopmin nx3", "zpopmax z", "zmpop 2 nx3 z min", "bzpopmin nx3 y 0",
                    "bzmpop 0 2 nx3 y min")),
            Map.entry("an expired key is expired, then missed", new Case("KEAm",
                    List.of("debug set-active-expire 0", "set a 1 px 20", "set b 1 px 20", "set c 1 px 20",
                            "set d 1 px 20", "set e 1 px 20", "rpush l x", "pexpire l 20"),
                    List.of("wait 60", "get a", "exists b", "ttl c", "object encoding d", "set e 2 get", "lrange l 0 -1",
                            "debug set-active-expire 1"))),
            Map.entry("reads inside a transaction", all("multi", "get nx", "get s", "hget h f", "lpop nx", "exec")),
            Map.entry("a blocked pop counts nothing", new Case("KEAm", List.of(),
                    List.of("b> blpop q 0", "wait 100", "rpush q a", "b<", "lrange q 0 -1"))),
            Map.entry("keymiss names the client's database", all("select 3", "get nx", "exists nx", "select 0")),
            Map.entry("without m a miss is counted but not announced", new Case("KEA", KEYS,
                    List.of("get nx", "getset nx v", "exists nx2"))),
            Map.entry("m alone on the keyevent channel", new Case("Em", KEYS,
                    List.of("get nx", "set nx v get", "get nx", "del nx"))),
            Map.entry("m alone on the keyspace channel", new Case("Km", KEYS, List.of("mget nx nx2", "type nx"))));

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @TestFactory
    Stream<DynamicTest> hitsMissesAndKeymissAreRedis() {
        return CASES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Observed expected = run(servers.redis().port(), e.getValue());
                    Observed actual = run(servers.ours().port(), e.getValue());
                    assertEquals(expected.steps(), actual.steps(), e.getKey() + ": replies and hits/misses per command");
                    assertEquals(expected.messages(), actual.messages(), e.getKey() + ": notifications per command");
                }));
    }

    /** A RESP3 client subscribed to keymiss gets the push before the reply of its own read, as in Redis. */
    @Test
    void aSelfSubscribedResp3ClientGetsItsKeymissBeforeTheReply() throws IOException {
        assertEquals(selfPush(servers.redis().port()), selfPush(servers.ours().port()));
    }

    private static List<String> selfPush(int port) throws IOException {
        try (RespConnection c = new RespConnection(port)) {
            c.call("FLUSHALL");
            c.call("HELLO", "3");
            c.call("CONFIG", "SET", "notify-keyspace-events", "Em");
            c.call("SUBSCRIBE", "__keyevent@0__:keymiss");
            List<String> frames = new ArrayList<>();
            c.send("GET", "missing");
            frames.add(c.readReply());
            frames.add(c.readReply());
            frames.add(c.call("MGET", "a", "b")); // each key's push comes inside the array, before its nil
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
            return frames;
        }
    }

    /** What one server did in a case: per command its reply and counter moves; the messages, with markers. */
    private record Observed(List<String> steps, List<String> messages) {
    }

    private static Observed run(int port, Case c) throws IOException, InterruptedException {
        try (RespConnection a = new RespConnection(port); RespConnection b = new RespConnection(port);
             RespConnection subscriber = new RespConnection(port); RespConnection stats = new RespConnection(port)) {
            KeyspaceEventsCompatibilityTest.prepare(a, subscriber, c.setup(), c.flags(), "after");
            List<String> steps = new ArrayList<>();
            for (String step : c.commands()) {
                long[] before = hitsAndMisses(stats); // apart from a, whose MULTI would queue INFO
                String reply;
                if (step.startsWith("wait ")) {
                    Thread.sleep(Long.parseLong(step.substring(5)));
                    continue;
                } else if (step.startsWith("b> ")) {
                    b.send(CompatibilityTest.split(step.substring(3)));
                    reply = "(sent)";
                } else if (step.equals("b<")) {
                    reply = b.readReply();
                } else {
                    reply = a.call(CompatibilityTest.split(step));
                }
                long[] after = hitsAndMisses(stats);
                steps.add(step + " -> " + reply.replace("\r\n", " ") + " hits+" + (after[0] - before[0])
                        + " misses+" + (after[1] - before[1]));
                stats.call("PUBLISH", "after", step); // a marker: the events above it came from this step
            }
            stats.call("PUBLISH", "after", "end");
            List<String> messages = new ArrayList<>();
            for (String message = readable(subscriber.readReply()); !message.equals("after end");
                 message = readable(subscriber.readReply())) {
                messages.add(message);
            }
            return new Observed(steps, messages);
        }
    }

    /**
     * {@code *4 pmessage <pattern> <channel> <message>} as {@code channel message} and the marker
     * {@code *3 message after <step>} as {@code after step}; anything else (which would be a bug) is kept whole.
     */
    private static String readable(String frame) {
        String[] lines = frame.split("\r\n", -1);
        if (lines.length == 10 && lines[0].equals("*4") && lines[2].equals("pmessage")) {
            return lines[6] + " " + lines[8];
        }
        if (lines.length == 8 && lines[0].equals("*3") && lines[2].equals("message")) {
            return lines[4] + " " + lines[6];
        }
        return frame;
    }

    /** INFO stats' {@code keyspace_hits} and {@code keyspace_misses} (INFO itself reads no key). */
    private static long[] hitsAndMisses(RespConnection connection) throws IOException {
        String info = connection.call("INFO", "stats");
        return new long[] {field(info, "keyspace_hits:"), field(info, "keyspace_misses:")};
    }

    private static long field(String info, String name) {
        int at = info.indexOf(name);
        int end = info.indexOf("\r\n", at);
        return Long.parseLong(info.substring(at + name.length(), end));
    }
}
