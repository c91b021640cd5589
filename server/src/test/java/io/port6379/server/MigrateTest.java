// MIGRATE between our server and a real redis-server, in both directions, with the data compared on both sides.
package io.port6379.server;

import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each direction proves the other's half: from ours to Redis, Redis's RESTORE judges our payloads and our
 * pipeline; from Redis to ours, ours answers Redis's own MIGRATE. Redis is started with {@code --requirepass}, so
 * every MIGRATE towards it needs AUTH or AUTH2; ours has no password. The data is compared by reading each key
 * back by its type (DUMP bytes differ where Redis's hash-table order shows through), and each error is compared
 * with the one Redis answers in the same situation.
 */
class MigrateTest {

    private static final String PASSWORD = "pw";

    private static RealRedis realRedis;
    private static TestServer ours;
    private static RespConnection redis;
    private static RespConnection our;

    @BeforeAll
    static void start() throws Exception {
        realRedis = RealRedis.start("--requirepass", PASSWORD);
        ours = TestServer.start();
        redis = new RespConnection(realRedis.port());
        our = new RespConnection(ours.port());
        assertEquals("+OK\r\n", redis.call("AUTH", PASSWORD));
        assertEquals("+OK\r\n", redis.call("ACL", "SETUSER", "mover", "on", ">secret", "~*", "+@all"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (our != null) {
            our.close();
            redis.close();
        }
        if (ours != null) {
            ours.close();
        }
        if (realRedis != null) {
            realRedis.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        redis.call("FLUSHALL");
        our.call("FLUSHALL");
    }

    /** Keys of every type in each of their encodings, and one with a time to live; returns their names. */
    private static List<String> fill(RespConnection server, String prefix, int copies) throws IOException {
        List<String> keys = new ArrayList<>();
        for (int n = 0; n < copies; n++) {
            String p = prefix + n + ":";
            server.send("SET", p + "int", Integer.toString(n * 7919));
            server.send("SET", p + "str", "hello " + n);
            server.send("SET", p + "raw", "x".repeat(60 + n % 50));
            server.send("RPUSH", p + "list", "a", "1", "300", Integer.toString(n), "-5");
            server.send("HSET", p + "hash", "f", "1", "g", "v" + n);
            server.send("SADD", p + "intset", "1", "2", Integer.toString(n));
            server.send("SADD", p + "set", "a", "b", "m" + n);
            server.send("ZADD", p + "zset", "1", "a", "2.5", "b", "-1", "m" + n);
            server.send("SET", p + "ttl", "v", "PX", "100000");
            keys.addAll(List.of(p + "int", p + "str", p + "raw", p + "list", p + "hash", p + "intset", p + "set",
                    p + "zset", p + "ttl"));
            if (n % 1000 == 0) { // the large encodings: quicklist, hash table, skip list
                List<String> list = new ArrayList<>(List.of("RPUSH", p + "biglist"));
                List<String> hash = new ArrayList<>(List.of("HSET", p + "bighash"));
                List<String> set = new ArrayList<>(List.of("SADD", p + "bigset"));
                List<String> zset = new ArrayList<>(List.of("ZADD", p + "bigzset"));
                for (int i = 0; i < 300; i++) {
                    list.add("e" + i);
                    hash.addAll(List.of("f" + i, "v" + i));
                    set.add("s" + i);
                    zset.addAll(List.of(Integer.toString(i % 17), "z" + i));
                }
                server.send(list.toArray(String[]::new));
                server.send(hash.toArray(String[]::new));
                server.send(set.toArray(String[]::new));
                server.send(zset.toArray(String[]::new));
                keys.addAll(List.of(p + "biglist", p + "bighash", p + "bigset", p + "bigzset"));
            }
        }
        int replies = keys.size();
        for (int i = 0; i < replies; i++) {
            server.readReply();
        }
        return keys;
    }

    /**
     * Every key's content by its type (sets and hashes sorted), with "ttl" when it has a time to live; missing keys
     * read as "none". Two pipelined rounds, so 10 000 keys take a moment.
     */
    private static Map<String, Object> content(RespConnection server, List<String> keys) throws IOException {
        for (String key : keys) {
            server.send("TYPE", key);
        }
        List<String> types = new ArrayList<>();
        for (String ignored : keys) {
            types.add((String) server.readParsed());
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            switch (types.get(i)) {
                case "string" -> server.send("GET", key);
                case "list" -> server.send("LRANGE", key, "0", "-1");
                case "hash" -> server.send("HGETALL", key);
                case "set" -> server.send("SMEMBERS", key);
                case "zset" -> server.send("ZRANGE", key, "0", "-1", "WITHSCORES");
                default -> server.send("EXISTS", key);
            }
            server.send("PTTL", key);
        }
        Map<String, Object> content = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            Object value = server.readParsed();
            long ttl = (Long) server.readParsed();
            String type = types.get(i);
            if (type.equals("set")) {
                value = new TreeSet<>(castList(value));
            } else if (type.equals("hash")) {
                List<Object> pairs = castList(value);
                Map<Object, Object> fields = new TreeMap<>();
                for (int j = 0; j < pairs.size(); j += 2) {
                    fields.put(pairs.get(j), pairs.get(j + 1));
                }
                value = fields;
            }
            content.put(keys.get(i), List.of(type, type.equals("none") ? "" : value, ttl > 0 ? "ttl" : ttl));
        }
        return content;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object value) {
        return (List<Object>) value;
    }

    private static Map<String, Object> missing(List<String> keys) {
        Map<String, Object> content = new LinkedHashMap<>();
        keys.forEach(key -> content.put(key, List.of("none", "", -2L)));
        return content;
    }

    private static String[] migrateKeys(int port, int db, String[] options, List<String> keys) {
        List<String> args = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(port), "", Integer.toString(db),
                "5000"));
        args.addAll(List.of(options));
        args.add("KEYS");
        args.addAll(keys);
        return args.toArray(String[]::new);
    }

    @Test
    void everyTypeMovesOneKeyAtATimeFromOursToRedisAndBackWithKeys() throws IOException {
        List<String> keys = fill(our, "k", 2);
        Map<String, Object> before = content(our, keys);
        for (String key : keys) {
            assertEquals("+OK\r\n", our.call("MIGRATE", "127.0.0.1", Integer.toString(realRedis.port()), key, "0", "5000",
                    "AUTH", PASSWORD), key);
        }
        assertEquals(before, content(redis, keys));
        assertEquals(missing(keys), content(our, keys));

        assertEquals("+OK\r\n", redis.call(migrateKeys(ours.port(), 0, new String[0], keys)));
        assertEquals(before, content(our, keys));
        assertEquals(missing(keys), content(redis, keys));
    }

    @Test
    void copyKeepsTheSourceReplaceOverwritesAndBusykeyIsRedisError() throws IOException {
        List<String> keys = fill(our, "c", 1);
        Map<String, Object> before = content(our, keys);
        String[] copy = migrateKeys(realRedis.port(), 0, new String[] {"COPY", "AUTH", PASSWORD}, keys);
        assertEquals("+OK\r\n", our.call(copy));
        assertEquals(before, content(our, keys));
        assertEquals(before, content(redis, keys));

        String busy = "-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n";
        assertEquals(busy, our.call(copy), "ours towards Redis");
        assertEquals(busy, redis.call(migrateKeys(ours.port(), 0, new String[] {"COPY"}, keys)), "Redis towards ours");
        assertEquals(busy, redis.call(migrateKeys(ours.port(), 0, new String[0], keys)), "without COPY");
        assertEquals(before, content(redis, keys), "nothing moved, so nothing deleted");

        our.call("SET", keys.get(0), "changed");
        Map<String, Object> replacing = content(our, keys);
        assertEquals("+OK\r\n", our.call(migrateKeys(realRedis.port(), 0, new String[] {"REPLACE", "AUTH", PASSWORD}, keys)));
        assertEquals(replacing, content(redis, keys));
        assertEquals(missing(keys), content(our, keys));
    }

    @Test
    void keysWhoseRestoreSucceededMoveEvenWhenAnotherFails() throws IOException {
        our.call("SET", "p", "ours");
        our.call("SET", "q", "ours");
        redis.call("SET", "p", "redis");
        redis.call("SET", "r", "redis");
        String busy = "-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n";
        assertEquals(busy, our.call(migrateKeys(realRedis.port(), 0, new String[] {"AUTH", PASSWORD}, List.of("p", "q"))));
        assertEquals(Map.of("p", "ours", "q", "none"), Map.of("p", our.callParsed("GET", "p"), "q", our.callParsed("TYPE", "q")));
        assertEquals("ours", redis.callParsed("GET", "q"));

        assertEquals(busy, redis.call(migrateKeys(ours.port(), 0, new String[0], List.of("p", "r"))));
        assertEquals("redis", redis.callParsed("GET", "p"));
        assertEquals("none", redis.callParsed("TYPE", "r"));
        assertEquals("redis", our.callParsed("GET", "r"));
    }

    @Test
    void auth2AndAnotherDatabaseAndTheTargetsErrors() throws IOException {
        List<String> keys = fill(our, "d", 1);
        Map<String, Object> before = content(our, keys);
        String port = Integer.toString(realRedis.port());
        assertEquals("+OK\r\n", our.call(migrateKeys(realRedis.port(), 5, new String[] {"AUTH2", "mover", "secret"}, keys)));
        redis.call("SELECT", "5");
        assertEquals(before, content(redis, keys));
        assertEquals("+OK\r\n", redis.call(migrateKeys(ours.port(), 3, new String[0], keys)));
        redis.call("SELECT", "0");
        our.call("SELECT", "3");
        assertEquals(before, content(our, keys));
        assertEquals("+OK\r\n", our.call(migrateKeys(realRedis.port(), 5, new String[] {"AUTH", PASSWORD}, keys)),
                "the cached connection has db 5 selected: no SELECT is sent, and none is needed");
        our.call("SELECT", "0");
        redis.call("SELECT", "5");
        assertEquals(before, content(redis, keys));
        redis.call("SELECT", "0");

        our.call("SET", "k", "v");
        // "localhost" names another cached connection, one that has not authenticated
        assertEquals("-ERR Target instance replied with error: NOAUTH Authentication required.\r\n",
                our.call("MIGRATE", "localhost", port, "k", "0", "1000"));
        assertEquals("-ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.\r\n",
                our.call("MIGRATE", "127.0.0.1", port, "k", "0", "1000", "AUTH2", "mover", "wrong"));
        assertEquals("-ERR Target instance replied with error: ERR DB index is out of range\r\n",
                our.call("MIGRATE", "127.0.0.1", port, "k", "16", "1000", "AUTH", PASSWORD));
        assertEquals("v", our.callParsed("GET", "k"), "a key the target refused stays");
        assertEquals("+NOKEY\r\n", our.call("MIGRATE", "127.0.0.1", port, "nokey", "0", "1000"));
        assertEquals("+NOKEY\r\n", redis.call("MIGRATE", "127.0.0.1", Integer.toString(ours.port()), "nokey", "0", "1000"));
    }

    @Test
    void aTargetThatNeverAnswersTimesOutAsOnRedis() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) { // the kernel accepts connections; nobody reads or answers
            String port = Integer.toString(silent.getLocalPort());
            our.call("SET", "k", "v");
            redis.call("SET", "k", "v");
            String reading = "-IOERR error or timeout reading to target instance\r\n";
            assertEquals(reading, redis.call("MIGRATE", "127.0.0.1", port, "k", "0", "200"));
            assertEquals(reading, our.call("MIGRATE", "127.0.0.1", port, "k", "0", "200"));
            assertEquals("v", our.callParsed("GET", "k"), "the key stays where it was");
        }
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        String writing = "-IOERR error or timeout writing to target instance\r\n"; // Redis 7.0: a refused connection fails at the write
        assertEquals(writing, redis.call("MIGRATE", "127.0.0.1", Integer.toString(closed), "k", "0", "200"));
        assertEquals(writing, our.call("MIGRATE", "127.0.0.1", Integer.toString(closed), "k", "0", "200"));
        String connecting = "-IOERR error or timeout connecting to the client\r\n";
        assertEquals(connecting, redis.call("MIGRATE", "127.0.0.1", "-1", "k", "0", "200"));
        assertEquals(connecting, our.call("MIGRATE", "127.0.0.1", "-1", "k", "0", "200"));
    }

    /** A cached connection the target has closed fails before any reply: MIGRATE opens a new one and tries again. */
    @Test
    void aCachedConnectionTheTargetClosedIsReopenedOnce() throws IOException {
        String port = Integer.toString(realRedis.port());
        our.call("SET", "a", "1");
        our.call("SET", "b", "2");
        assertEquals("+OK\r\n", our.call("MIGRATE", "127.0.0.1", port, "a", "0", "5000", "AUTH", PASSWORD));
        redis.call("CLIENT", "KILL", "SKIPME", "yes"); // every other client of Redis, our cached connection among them
        assertEquals("+OK\r\n", our.call("MIGRATE", "127.0.0.1", port, "b", "0", "5000", "AUTH", PASSWORD));
        assertEquals(List.of("1", "2"), List.of(redis.callParsed("GET", "a"), redis.callParsed("GET", "b")));
    }

    /** One connection serves every MIGRATE to the same host:port, until the cron finds it unused for over 10 s. */
    @Test
    void theConnectionIsCachedAndClosedByTheCronAfterTenIdleSeconds() throws Exception {
        // A Redis of its own, so that no other test's cached connection comes or goes meanwhile.
        try (RealRedis target = RealRedis.start(); RespConnection targetConnection = new RespConnection(target.port())) {
            CommandRunner runner = new CommandRunner();
            long clients = connectedClients(targetConnection);
            String port = Integer.toString(target.port());
            runner.run("SET", "a", "1");
            runner.run("SET", "b", "2");
            assertEquals("+OK\r\n", runner.run("MIGRATE", "127.0.0.1", port, "a", "0", "5000"));
            assertEquals("+OK\r\n", runner.run("MIGRATE", "127.0.0.1", port, "b", "0", "5000"));
            assertEquals(clients + 1, connectedClients(targetConnection));
            runner.clock.advance(10_000);
            runner.server.cronTasks().forEach(Runnable::run);
            assertEquals(clients + 1, connectedClients(targetConnection), "10 s unused is not yet too long");
            runner.clock.advance(1);
            runner.server.cronTasks().forEach(Runnable::run);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (connectedClients(targetConnection) != clients && System.nanoTime() < deadline) {
                Thread.sleep(10); // Redis notices the closed connection on its next event-loop turn
            }
            assertEquals(clients, connectedClients(targetConnection));
        }
    }

    private static long connectedClients(RespConnection server) throws IOException {
        String info = (String) server.callParsed("INFO", "clients");
        String line = info.lines().filter(l -> l.startsWith("connected_clients:")).findFirst().orElseThrow();
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
    }

    @Test
    void tenThousandKeysOfEveryTypeGoToRedisAndComeBack() throws IOException {
        List<String> keys = fill(our, "bulk", 1112); // 9 keys per round, and the 4 large ones twice: 10 016 keys
        assertTrue(keys.size() >= 10_000);
        Map<String, Object> before = content(our, keys);
        long start = System.nanoTime();
        assertEquals("+OK\r\n", our.call(migrateKeys(realRedis.port(), 0, new String[] {"AUTH", PASSWORD}, keys)));
        long there = System.nanoTime();
        assertEquals("+OK\r\n", redis.call(migrateKeys(ours.port(), 0, new String[0], keys)));
        long back = System.nanoTime();
        System.out.printf("MigrateTest: %d keys moved from ours to redis-server in %d ms, and back in %d ms%n",
                keys.size(), (there - start) / 1_000_000, (back - there) / 1_000_000);
        assertEquals(0L, redis.callParsed("DBSIZE"));
        assertEquals(before, content(our, keys));
    }
}
