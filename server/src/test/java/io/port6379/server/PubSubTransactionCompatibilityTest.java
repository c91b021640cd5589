// Dual target for pub/sub and transactions: two connections per server, scripted steps, every frame compared with redis-server's.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pub/sub replies come as several frames per command (one per channel) and messages arrive on <em>another</em>
 * connection, so the one-reply-per-line scripts of {@link CompatibilityTest} do not fit. Each step here names the
 * connection ({@code a} or {@code b}), how many frames to read after it (default 1), and what to do:
 * {@code >} send and compare, {@code !} send without comparing (replies holding client ids), {@code <} only read
 * (a pushed message). Every scenario starts on two fresh connections after FLUSHALL, on both servers; the
 * expected frames are whatever the real Redis 7 sends, byte for byte.
 */
class PubSubTransactionCompatibilityTest {

    private static final Pattern STEP = Pattern.compile("([ab])(\\d*)([>!<])\\s*(.*)");

    private static final Map<String, List<String>> SCENARIOS = Map.ofEntries(
            Map.entry("subscribed mode in RESP2", List.of(
                    "a2> subscribe news sport", "a> ping", "a> ping hi", "a> get x", "a> client info",
                    "a> multi", "a> unsubscribe sport", "a> unsubscribe", "a> unsubscribe",
                    "a> psubscribe n*", "a> punsubscribe", "a> punsubscribe",
                    "a> ssubscribe shard", "a> sunsubscribe", "a> sunsubscribe", "a> get x", "a> ping")),
            Map.entry("publish fans out to channel and pattern subscribers", List.of(
                    "b> subscribe c", "b> psubscribe c*", "b> psubscribe x*", // Redis orders patterns by hash
                    "a> publish c hi", "b2<", "a> publish cx there", "b<", "a> publish xa x", "b<",
                    "a> publish zzz x",
                    "a> pubsub numsub c cx", "a> pubsub numpat", "a> pubsub channels", "a> pubsub channels x*",
                    "a> pubsub channels c", "a> pubsub channels a b", "a> pubsub numpat x", "a> pubsub nosuch",
                    "a> publish nobody x", "a> publish c")),
            Map.entry("shard channels are a namespace of their own", List.of(
                    "b> ssubscribe s", "a> spublish s m", "b<", "a> publish s m", "a> pubsub shardchannels",
                    "a> pubsub shardnumsub s t", "a> pubsub channels", "b> sunsubscribe s")),
            Map.entry("RESP3 pushes interleave with replies", List.of(
                    "a!hello 3", "a> subscribe x", "a> set k v", "a> get k", "b> publish x hi", "a<",
                    "a> get k", "a> ping", "a> unsubscribe", "a> unsubscribe", "a> ping")),
            Map.entry("a RESP3 client publishing to itself inside EXEC gets the push between EXEC's replies", List.of(
                    "a!hello 3", "a> subscribe x", "a> multi", "a> set k v", "a> publish x hi", "a> ping",
                    "a> exec", "a> get k", "a> publish x again", "a<", "a> unsubscribe", "a> ping")),
            Map.entry("MULTI queues, EXEC runs, errors in place", List.of(
                    "a> exec", "a> discard", "a> multi", "a> multi", "a> watch x", "a> set a 1", "a> incr a",
                    "a> lpush a 1", "a> get a", "a> exec", "a> multi", "a> exec", "a> multi", "a> set a 2",
                    "a> discard", "a> get a")),
            Map.entry("a command refused while queuing aborts EXEC", List.of(
                    "a> multi", "a> set x 1", "a> get", "a> nosuch", "a> config nosuch", "a> exec", "a> get x")),
            Map.entry("blocking commands inside MULTI do not block", List.of(
                    "a> multi", "a> blpop l 0", "a> brpop l 0", "a> blmove l m left left 0",
                    "a> brpoplpush l m 0", "a> bzpopmin z 0", "a> blmpop 0 1 l left", "a> exec")),
            Map.entry("WATCH fails EXEC after another client's write", List.of(
                    "b> set x 1", "a> watch x", "b> set x 2", "a> multi", "a> set x 3", "a> exec", "a> get x",
                    "a> watch x", "a> multi", "a> set x 4", "a> exec", "a> get x")),
            Map.entry("WATCH counts the client's own writes before MULTI", List.of(
                    "a> watch x", "a> set x 2", "a> multi", "a> ping", "a> exec")),
            Map.entry("UNWATCH and DISCARD forget the watched keys", List.of(
                    "a> watch x", "b> set x 2", "a> unwatch", "a> multi", "a> ping", "a> exec",
                    "a> watch x", "a> multi", "b> set x 3", "a> discard", "a> multi", "a> ping", "a> exec")),
            Map.entry("WATCH and expiry", List.of(
                    "a> set x 1 px 20", "a> watch x", "a> debug sleep 0.05", "a> multi", "a> ping", "a> exec",
                    "a> set y 1 px 20", "a> debug sleep 0.05", "a> watch y", "a> multi", "a> ping", "a> exec")),
            Map.entry("WATCH and flushes", List.of(
                    "b> set y 1", "a> watch x", "b> flushall", "a> multi", "a> ping", "a> exec",
                    "b> set x 1", "a> watch x", "b> flushall", "a> multi", "a> ping", "a> exec",
                    "b> set x 1", "a> watch x", "b> select 1", "b> flushdb", "a> multi", "a> ping", "a> exec",
                    "b> select 0", "a> watch x", "b> flushdb", "a> multi", "a> ping", "a> exec")),
            Map.entry("a write that changes nothing leaves WATCH alone", List.of(
                    "b> set x 1", "b> sadd s a", "b> zadd z 1 a", "b> rpush l a", "b> hset h f v",
                    "a> watch x missing s z l h",
                    "b> setnx x 2", "b> set x 3 nx", "b> set missing 1 xx", "b> del missing", "b> unlink missing",
                    "b> srem s nope", "b> sadd s a", "b> smove s s a", "b> expire missing 10", "b> expire x 10 xx",
                    "b> persist x", "b> zadd z xx 1 nope", "b> zadd z 1 a", "b> zrem z nope", "b> lpushx missing a",
                    "b> lrem l 0 nope", "b> linsert l before nope b", "b> hdel h nope", "b> hsetnx h f w",
                    "b> rename x x", "b> getex x", "b> setrange x 0 \"\"", "b> lpop missing", "b> spop missing",
                    "b> sinterstore missing missing", "b> zremrangebyscore z 5 6", "b> msetnx x 1 y 2",
                    "b> copy missing y", "b> move missing 1",
                    "a> multi", "a> ping", "a> exec")),
            Map.entry("a write that changes something fails WATCH, even LTRIM keeping everything", List.of(
                    "b> rpush l a b", "a> watch l", "b> ltrim l 0 -1", "a> multi", "a> ping", "a> exec",
                    "b> set x 1", "a> watch x", "b> expire x 100", "a> multi", "a> ping", "a> exec",
                    "a> watch x", "b> set x 1", "a> multi", "a> ping", "a> exec",
                    "b> sadd s a", "a> watch t", "b> smove s t a", "a> multi", "a> ping", "a> exec")),
            Map.entry("a blocked BLMOVE served by a push fails WATCH on its destination", List.of(
                    "b0!blmove src dst left left 0", "a> watch dst", "a> rpush src x", "b<", "a> multi", "a> ping",
                    "a> exec")),
            Map.entry("notify-keyspace-events reads back in Redis's order", List.of(
                    "a> config set notify-keyspace-events nmdt$lgEK", "a> config get notify-keyspace-events",
                    "a> config set notify-keyspace-events An", "a> config get notify-keyspace-events",
                    "a> config set notify-keyspace-events g$lshzxetd", "a> config get notify-keyspace-events",
                    "a> config set notify-keyspace-events KEAq", "a> config get notify-keyspace-events",
                    "a> config set notify-keyspace-events \"\"", "a> config get notify-keyspace-events")),
            Map.entry("WATCH and SWAPDB", List.of(
                    "b> select 1", "b> set x 1", "a> watch x", "b> swapdb 0 1", "a> multi", "a> ping", "a> exec")),
            Map.entry("client-output-buffer-limit changes only the classes named", List.of(
                    "a> config set client-output-buffer-limit \"pubsub 1mb 512kb 10\"",
                    "a> config get client-output-buffer-limit",
                    "a> config set client-output-buffer-limit \"pubsub 1mb 512kb\"",
                    "a> config set client-output-buffer-limit \"foo 1 1 1\"",
                    "a> config set client-output-buffer-limit \"pubsub x 1 1\"",
                    "a> config set client-output-buffer-limit \"replica 1gb 2 3\"",
                    "a> config get client-output-buffer-limit",
                    "a> config set client-output-buffer-limit \"normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\"")),
            Map.entry("SUBSCRIBE inside EXEC, then RESET leaves everything", List.of(
                    "a> multi", "a> subscribe x", "a> get y", "a> exec", "b> publish x m", "a<", "a> reset",
                    "b> publish x m2", "a> get y")));

    // DEBUG SLEEP lets a watched key expire
    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes");

    @TestFactory
    Stream<DynamicTest> scenariosGiveRedisFrames() {
        return SCENARIOS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> run(e.getKey(), e.getValue())));
    }

    private static void run(String name, List<String> steps) throws IOException {
        try (RespConnection realA = new RespConnection(servers.redis().port()); RespConnection realB = new RespConnection(servers.redis().port());
             RespConnection oursA = new RespConnection(servers.ours().port()); RespConnection oursB = new RespConnection(servers.ours().port())) {
            realA.call("FLUSHALL");
            oursA.call("FLUSHALL");
            for (String step : steps) {
                Matcher m = STEP.matcher(step);
                if (!m.matches()) {
                    throw new IllegalArgumentException("bad step " + step);
                }
                boolean onA = m.group(1).equals("a");
                int frames = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
                String expected = perform(onA ? realA : realB, m.group(3), m.group(4), frames);
                String actual = perform(onA ? oursA : oursB, m.group(3), m.group(4), frames);
                if (!m.group(3).equals("!")) {
                    assertEquals(expected, actual, name + ": " + step);
                }
            }
        }
    }

    private static String perform(RespConnection connection, String op, String command, int frames) throws IOException {
        if (!op.equals("<")) {
            connection.send(CompatibilityTest.split(command));
        }
        StringBuilder read = new StringBuilder();
        for (int i = 0; i < frames; i++) {
            read.append(connection.readReply());
        }
        return read.toString();
    }
}
