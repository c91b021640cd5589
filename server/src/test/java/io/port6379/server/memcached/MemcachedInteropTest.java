// One keyspace for two protocols: RESP and memcached see each other's writes; a Java client and memcslap on both.
package io.port6379.server.memcached;

import io.port6379.testing.Binaries;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemcachedInteropTest {

    private static MemcachedPeers peers;
    private static Jedis redis;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        peers = MemcachedPeers.start();
        redis = new Jedis("127.0.0.1", peers.ours.port());
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
    }

    private static String ours(String lines) throws IOException {
        try (MemcachedPeers.Conversation ours = peers.toOurs()) {
            return ours.exchange(lines.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aRespSetIsAnItemWithFlagsZero() throws IOException {
        redis.set("fruit", "apple");
        assertEquals("VALUE fruit 0 5\r\napple\r\nEND\r\n", ours("get fruit\n"));
    }

    @Test
    void aMemcachedSetIsARedisStringInDatabaseZero() throws IOException {
        assertEquals("STORED\r\n", ours("set fruit 42 0 4\npear\n"));
        assertEquals("pear", redis.get("fruit"));
        assertEquals("string", redis.type("fruit"));
        assertEquals(-1, redis.ttl("fruit"));
        redis.select(1);
        assertNull(redis.get("fruit"));
        redis.select(0);
    }

    @Test
    void exptimeBecomesTheKeysTtlAndTouchChangesIt() throws IOException {
        ours("set k 0 100 1\nx\n");
        long ttl = redis.ttl("k");
        assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
        ours("touch k 0\n");
        assertEquals(-1, redis.ttl("k"));
        ours("gat 2000000000 k\n"); // above 30 days: a Unix time (memcached reads it into 32 bits)
        assertEquals(2000000000L, redis.expireTime("k"));
        redis.expire("k", 50);
        assertEquals("VALUE k 0 1\r\nx\r\nEND\r\n", ours("get k\n"));
    }

    @Test
    void appendAndIncrKeepTheKeysTtl() throws IOException {
        ours("set k 0 100 1\n5\nappend k 0 0 1\n0\nincr k 1\n");
        assertEquals("51", redis.get("k"));
        assertTrue(redis.ttl("k") > 90);
    }

    @Test
    void flagsSurviveReadsAndRenameButNotARespWrite() throws IOException {
        ours("set k 7 0 1\nx\n");
        assertEquals("x", redis.get("k"));
        assertEquals("VALUE k 7 1\r\nx\r\nEND\r\n", ours("get k\n"));
        redis.rename("k", "moved");
        assertEquals("VALUE moved 7 1\r\nx\r\nEND\r\n", ours("get moved\n"));
        redis.set("moved", "y");
        assertEquals("VALUE moved 0 1\r\ny\r\nEND\r\n", ours("get moved\n"));
    }

    @Test
    void aRespWriteBetweenGetsAndCasMakesTheCasFail() throws IOException {
        try (MemcachedPeers.Conversation ours = peers.toOurs()) {
            ours.exchange("set k 0 0 1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            ours.exchange("gets k\r\n".getBytes(StandardCharsets.US_ASCII));
            redis.append("k", "y");
            assertEquals("EXISTS\r\n", ours.exchange("cas k 0 0 1 $c1\r\nz\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("VALUE k 0 2 $c2\r\nxy\r\n", ours.exchange("gets k\r\n".getBytes(StandardCharsets.US_ASCII))
                    .replace("END\r\n", ""));
            assertEquals("STORED\r\n", ours.exchange("cas k 0 0 1 $c2\r\nz\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals("z", redis.get("k"));
    }

    @Test
    void keysOfOtherTypesAreMissesForReadsAndOverwrittenBySet() throws IOException {
        redis.rpush("list", "a");
        assertEquals("END\r\n", ours("get list\n"));
        assertEquals("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n", ours("incr list 1\n"));
        assertEquals("NOT_STORED\r\nNOT_STORED\r\n", ours("add list 0 0 1\nx\nappend list 0 0 1\nx\n"));
        assertEquals("STORED\r\n", ours("set list 0 0 1\nx\n"));
        assertEquals("string", redis.type("list"));
    }

    @Test
    void deleteAndFlushAllAreRedisDeletes() throws IOException {
        redis.set("a", "1");
        redis.set("b", "2");
        assertEquals("DELETED\r\n", ours("delete a\n"));
        assertEquals(Boolean.FALSE, redis.exists("a"));
        redis.select(1);
        redis.set("other", "db");
        redis.select(0);
        assertEquals("OK\r\n", ours("flush_all\n"));
        assertEquals(0, redis.dbSize());
        redis.select(1);
        assertEquals("db", redis.get("other")); // flush_all empties database 0 only
        redis.select(0);
    }

    @Test
    void aDelayedFlushAllEmptiesDatabaseZeroWhenItsTimeComes() throws IOException, InterruptedException {
        redis.set("a", "1");
        assertEquals("OK\r\n", ours("flush_all 1\n"));
        assertEquals("1", redis.get("a"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (redis.exists("a") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(Boolean.FALSE, redis.exists("a"));
    }

    @Test
    void theConnectionsAreClientsOfTheServer() throws IOException {
        try (MemcachedPeers.Conversation ours = peers.toOurs()) {
            ours.exchange("set k 0 0 1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(redis.clientList().contains("cmd=set"), redis.clientList());
        }
    }

    @Test
    void statsNamesAreMemcachedsInMemcachedsOrder() throws IOException {
        List<String> theirs;
        try (MemcachedPeers.Conversation memcached = peers.toMemcached()) {
            theirs = names(memcached.exchange("stats\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
        List<String> ours = names(ours("get nokey\nstats\n").substring("END\r\n".length()));
        assertTrue(ours.size() >= 30, ours.toString());
        int at = 0;
        for (String name : ours) {
            int found = theirs.subList(at, theirs.size()).indexOf(name);
            assertTrue(found >= 0, name + " is not a memcached stat after position " + at + ": " + theirs);
            at += found + 1;
        }
        assertTrue(ours("get nokey\nstats\n").contains("STAT get_misses "), "counted");
    }

    /** Every name ours prints for {@code stats <sub>} is memcached's, in memcached's order. */
    private static void sameNamesInOrder(String sub, String ours) throws IOException {
        List<String> theirs;
        try (MemcachedPeers.Conversation memcached = peers.toMemcached()) {
            theirs = names(memcached.exchange(("stats " + sub + "\r\n").getBytes(StandardCharsets.US_ASCII)));
        }
        int at = 0;
        for (String name : names(ours)) {
            int found = theirs.subList(at, theirs.size()).indexOf(name);
            assertTrue(found >= 0, name + " is not a memcached setting after position " + at + ": " + theirs);
            at += found + 1;
        }
    }

    @Test
    void statsSettingsShowsTheSettingsWithACounterpartUnderMemcachedsNames() throws IOException {
        String settings = ours("verbosity 5\nstats settings\n");
        assertTrue(settings.startsWith("OK\r\nSTAT maxbytes "), settings);
        assertTrue(settings.contains("STAT tcpport " + peers.oursPort + "\r\n"), settings);
        assertTrue(settings.contains("STAT verbosity 2\r\n"), "capped at memcached's highest level: " + settings);
        assertTrue(settings.contains("STAT item_size_max 1048576\r\n"), settings);
        assertTrue(settings.endsWith("END\r\n"), settings);
        sameNamesInOrder("settings", settings.substring("OK\r\n".length()));
        ours("verbosity 0\n");
    }

    @Test
    void statsSlabsAndItemsListNoSlabClasses() throws IOException {
        assertEquals("END\r\n", ours("stats items\n"));
        String slabs = ours("set k 0 0 1\nx\nstats slabs\n");
        assertTrue(slabs.startsWith("STORED\r\nSTAT active_slabs 0\r\nSTAT total_malloced "), slabs);
        sameNamesInOrder("slabs", slabs.substring("STORED\r\n".length()));
    }

    @Test
    void statsConnsListsEachConnectionWithItsAddress() throws IOException {
        try (MemcachedPeers.Conversation other = peers.toOurs()) {
            other.exchange("version\r\n".getBytes(StandardCharsets.US_ASCII));
            String conns = ours("stats conns\n");
            List<String> lines = conns.lines().toList();
            assertTrue(lines.stream().filter(l -> l.endsWith(":state conn_parse_cmd")).count() == 1, conns);
            assertTrue(lines.stream().filter(l -> l.endsWith(":state conn_waiting")).count() >= 1, conns);
            assertTrue(lines.stream().anyMatch(l -> l.matches("STAT \\d+:addr tcp:127\\.0\\.0\\.1:\\d+")), conns);
            assertTrue(lines.stream().anyMatch(l -> l.matches("STAT \\d+:secs_since_last_cmd \\d+")), conns);
        }
    }

    private static List<String> names(String stats) {
        return stats.lines().filter(l -> l.startsWith("STAT ")).map(l -> l.split(" ")[1]).toList();
    }

    // tag::client[]
    /** spymemcached, a Java memcached client, does the same things against both servers and sees the same results. */
    @Test
    void aJavaClientSeesTheSameResultsFromBoth() throws Exception {
        assertEquals(clientRun(peers.memcached.port()), clientRun(peers.oursPort));
    }

    private static List<Object> clientRun(int port) throws Exception {
        MemcachedClient client = new MemcachedClient(new InetSocketAddress("127.0.0.1", port));
        try {
            client.flush().get();
            List<Object> seen = new java.util.ArrayList<>();
            seen.add(client.set("name", 0, "ada").get());
            seen.add(client.get("name"));
            seen.add(client.add("name", 0, "bob").get());
            seen.add(client.append(0, "name", " lovelace").get());
            seen.add(client.get("name"));
            seen.add(client.set("count", 0, "10").get());
            seen.add(client.incr("count", 5));
            seen.add(client.decr("count", 20));
            seen.add(client.incr("missing", 1));
            CASValue<Object> cas = client.gets("name");
            seen.add(cas.getValue());
            seen.add(client.cas("name", cas.getCas(), "grace"));
            seen.add(client.cas("name", cas.getCas(), "again"));
            seen.add(client.touch("name", 100).get());
            seen.add(client.set("number", 0, 12345).get()); // an Integer: spymemcached's flags say so
            seen.add(client.get("number"));
            Map<String, Object> bulk = new java.util.TreeMap<>(client.getBulk("name", "count", "number", "none"));
            seen.add(bulk);
            seen.add(client.delete("name").get());
            seen.add(client.get("name"));
            return seen;
        } finally {
            client.shutdown(5, TimeUnit.SECONDS);
        }
    }
    // end::client[]

    /** Debian's memcslap (libmemcached-tools) loads and reads keys with several threads, without an error. */
    @Test
    void memcslapRunsWithoutErrors() throws Exception {
        String memcslap = Binaries.require("memcslap").toString();
        for (String test : List.of("set", "get", "mget")) {
            Process process = new ProcessBuilder(memcslap, "--servers=127.0.0.1:" + peers.oursPort, "--concurrency=4",
                    "--execute-number=500", "--test=" + test).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "memcslap did not finish");
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("Time total"), output);
        }
        assertTrue(redis.dbSize() > 0, "memcslap's keys are Redis keys");
    }

    @Test
    void casResponsesAreMemcachedsOwn() throws Exception {
        MemcachedClient client = new MemcachedClient(new InetSocketAddress("127.0.0.1", peers.oursPort));
        try {
            client.set("k", 0, "v").get();
            CASValue<Object> value = client.gets("k");
            redis.set("k", "changed");
            assertEquals(CASResponse.EXISTS, client.cas("k", value.getCas(), "mine"));
            assertEquals(CASResponse.NOT_FOUND, client.cas("gone", 1, "mine"));
        } finally {
            client.shutdown(5, TimeUnit.SECONDS);
        }
    }
}
