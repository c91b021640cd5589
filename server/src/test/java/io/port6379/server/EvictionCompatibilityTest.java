// maxmemory against redis-server 7.0.15: the OOM texts, MULTI/EXEC and DISCARD under OOM, the policies, OBJECT FREQ.
package io.port6379.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.port6379.testing.RespConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each scenario runs on both servers, on two connections each (A runs the commands, B changes the configuration or
 * listens to keyspace events), and its transcript of replies must be the same bytes. The data sizes differ between
 * the servers (ours counts heap bytes), so the scenarios use limits whose outcome does not depend on them:
 * {@code maxmemory 1}, which no server fits, so a policy evicts every key it may and then refuses; and orders of
 * eviction fixed by idle times, LFU counters and expiry times far apart, with a sample covering every key.
 */
class EvictionCompatibilityTest {

    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

    @RegisterExtension
    static final BothServers servers = new BothServers();

    /** A scenario: commands on A and B, whose replies go into the transcript. */
    interface Scenario {
        void run(Connections on) throws IOException;
    }

    /** The two connections to one server and the transcript of their replies. */
    record Connections(RespConnection a, RespConnection b, List<String> transcript) {
        String a(String... args) throws IOException {
            String reply = a.call(args);
            transcript.add("A " + String.join(" ", args) + " -> " + reply);
            return reply;
        }

        String b(String... args) throws IOException {
            String reply = b.call(args);
            transcript.add("B " + String.join(" ", args) + " -> " + reply);
            return reply;
        }

        /** B's next push (a keyspace event), into the transcript. */
        String event() throws IOException {
            String push = b.readReply();
            transcript.add("event " + push);
            return push;
        }

        /** The value of one INFO field, into the transcript. */
        String info(String section, String field) throws IOException {
            String value = a.call("INFO", section).lines().filter(l -> l.startsWith(field + ":"))
                    .findFirst().orElse("missing " + field);
            transcript.add("A INFO " + field + " -> " + value);
            return value;
        }
    }

    private static List<String> transcript(int port, Scenario scenario) throws IOException {
        try (RespConnection a = new RespConnection(port); RespConnection b = new RespConnection(port)) {
            b.call("CONFIG", "SET", "maxmemory", "0");
            b.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
            b.call("CONFIG", "SET", "maxmemory-samples", "5");
            // No time limit on one command's evictions: on a loaded machine 500 µs may end before 16 keys are gone,
            // and the command would then run while the rest is evicted later (Redis's eviction time proc).
            b.call("CONFIG", "SET", "maxmemory-eviction-tenacity", "100");
            b.call("CONFIG", "SET", "notify-keyspace-events", "");
            b.call("FLUSHALL");
            b.call("CONFIG", "RESETSTAT");
            List<String> transcript = new ArrayList<>();
            try {
                scenario.run(new Connections(a, b, transcript));
            } finally {
                try (RespConnection c = new RespConnection(port)) {
                    c.call("CONFIG", "SET", "maxmemory", "0");
                }
            }
            return transcript;
        }
    }

    private static List<String> assertSameOnBoth(Scenario scenario) throws IOException {
        List<String> expected = transcript(servers.redis().port(), scenario);
        List<String> actual = transcript(servers.ours().port(), scenario);
        assertEquals(String.join("\n", expected), String.join("\n", actual));
        return actual;
    }

    @Test
    void writesAreRefusedWithRedisTextAndReadsAndDeletesStillRun() throws IOException {
        List<String> transcript = assertSameOnBoth(s -> {
            s.a("SET", "a", "1");
            s.a("RPUSH", "l", "x");
            s.b("CONFIG", "SET", "maxmemory", "1");
            for (String[] write : new String[][] {{"SET", "a", "2"}, {"INCR", "a"}, {"APPEND", "a", "x"},
                {"LPUSH", "l", "y"}, {"SADD", "s", "m"}, {"HSET", "h", "f", "v"}, {"ZADD", "z", "1", "m"},
                {"SETRANGE", "a", "5", "x"}, {"PFADD", "p", "x"}, {"RESTORE", "r", "0", "x"}}) {
                s.a(write);
            }
            s.a("GET", "a");
            s.a("LPOP", "l"); // not denyoom: it only frees memory
            s.a("DEL", "a");
            s.a("EXISTS", "a");
            s.a("PING");
            s.a("MEMORY", "USAGE", "nokey");
            s.info("stats", "evicted_keys");
            s.b("CONFIG", "SET", "maxmemory", "0");
            s.a("SET", "a", "3");
        });
        assertTrue(transcript.stream().anyMatch(line -> line.endsWith(OOM)));
    }

    @Test
    void multiExecUnderOom() throws IOException {
        assertSameOnBoth(s -> {
            s.a("MULTI");
            s.a("SET", "a", "1");
            s.b("CONFIG", "SET", "maxmemory", "1");
            s.a("EXEC"); // a queued denyoom command: EXECABORT with the OOM text
            s.a("MULTI");
            s.a("PING"); // anything queued under OOM is refused, and dooms the transaction
            s.a("EXEC");
            s.a("MULTI");
            s.a("SET", "a", "1");
            s.a("EXEC");
            s.b("CONFIG", "SET", "maxmemory", "0");
            s.a("MULTI");
            s.a("GET", "a");
            s.b("CONFIG", "SET", "maxmemory", "1");
            s.a("EXEC"); // only reads queued: it runs
            s.a("GET", "a");
        });
    }

    @Test
    void discardDuringOom() throws IOException {
        assertSameOnBoth(s -> {
            s.a("MULTI");
            s.a("SET", "a", "1");
            s.b("CONFIG", "SET", "maxmemory", "1");
            s.a("GET", "a");
            s.a("DISCARD");
            s.a("MULTI");
            s.a("DISCARD");
            s.a("DISCARD");
            s.b("CONFIG", "SET", "maxmemory", "0");
            s.a("EXISTS", "a");
        });
    }

    @Test
    void volatilePoliciesEvictOnlyKeysWithAnExpiry() throws IOException {
        for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")) {
            assertSameOnBoth(s -> {
                for (int i = 0; i < 20; i++) {
                    s.a("SET", "p" + i, "persistent");
                }
                for (int i = 0; i < 10; i++) {
                    s.a("SET", "v" + i, "volatile", "EX", Integer.toString(1000 + i));
                }
                s.b("CONFIG", "SET", "maxmemory-policy", policy);
                s.b("CONFIG", "SET", "maxmemory", "1");
                s.a("SET", "x", "y"); // every volatile key goes, then nothing more may: OOM
                s.a("DBSIZE");
                s.a("EXISTS", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
                s.a("EXISTS", "p0", "p19");
                s.info("stats", "evicted_keys");
                s.a("SET", "x", "y");
            });
        }
    }

    @Test
    void allkeysPoliciesEvictEverything() throws IOException {
        for (String policy : List.of("allkeys-lru", "allkeys-lfu", "allkeys-random")) {
            assertSameOnBoth(s -> {
                for (int i = 0; i < 30; i++) {
                    s.a("SET", "k" + i, "value", i % 2 == 0 ? "KEEPTTL" : "GET");
                }
                s.a("EXPIRE", "k1", "1000");
                s.b("CONFIG", "SET", "maxmemory-policy", policy);
                s.b("CONFIG", "SET", "maxmemory", "1");
                s.a("SET", "x", "y");
                s.a("DBSIZE");
                s.info("stats", "evicted_keys");
            });
        }
    }

    @Test
    void volatileTtlEvictsTheNearestExpiryFirst() throws IOException {
        List<String> transcript = assertSameOnBoth(s -> {
            s.b("CONFIG", "SET", "notify-keyspace-events", "Ee");
            s.b("SUBSCRIBE", "__keyevent@0__:evicted");
            for (int i = 0; i < 8; i++) {
                s.a("SET", "v" + i, "volatile", "EX", Integer.toString(10_000 - 1000 * ((i * 5) % 8)));
            }
            s.a("SET", "persistent", "x");
            s.a("CONFIG", "SET", "maxmemory-samples", "10");
            s.a("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
            s.a("CONFIG", "SET", "maxmemory", "1");
            s.a("SET", "x", "y");
            for (int i = 0; i < 8; i++) {
                s.event();
            }
        });
        assertTrue(transcript.stream().filter(l -> l.startsWith("event")).count() == 8);
    }

    @Test
    void lruEvictsTheLongestIdleFirstAndLfuTheLeastFrequent() throws IOException {
        assertSameOnBoth(s -> {
            s.b("CONFIG", "SET", "notify-keyspace-events", "Ee");
            s.b("SUBSCRIBE", "__keyevent@0__:evicted");
            s.a("SET", "template", "value");
            String dump = s.a.callParsed("DUMP", "template").toString();
            s.a("DEL", "template");
            s.a("CONFIG", "SET", "maxmemory-samples", "10");
            for (int i = 0; i < 6; i++) { // idle 300 s, 800 s, 100 s ... apart: the LRU order is fixed
                s.a("RESTORE", "idle" + i, "0", dump, "IDLETIME", Integer.toString(100 + 500 * ((i * 5) % 6)));
            }
            s.a("OBJECT", "IDLETIME", "idle1");
            s.a("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            s.a("CONFIG", "SET", "maxmemory", "1");
            s.a("SET", "x", "y");
            for (int i = 0; i < 6; i++) {
                s.event();
            }
            s.a("CONFIG", "SET", "maxmemory", "0");
            s.a("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            for (int i = 0; i < 6; i++) { // counters 200, 40, ... apart: the LFU order is fixed
                s.a("RESTORE", "freq" + i, "0", dump, "FREQ", Integer.toString(20 + 40 * ((i * 5) % 6)));
            }
            s.a("OBJECT", "FREQ", "freq1");
            s.a("CONFIG", "SET", "maxmemory", "1");
            s.a("SET", "x", "y");
            for (int i = 0; i < 6; i++) {
                s.event();
            }
        });
    }

    @Test
    void objectFreqAndIdletimeFollowThePolicy() throws IOException {
        assertSameOnBoth(s -> {
            s.a("SET", "k", "v");
            s.a("OBJECT", "FREQ", "k");
            s.a("OBJECT", "IDLETIME", "k");
            s.a("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            s.a("SET", "n", "v");
            s.a("OBJECT", "FREQ", "n"); // a new key starts at LFU_INIT_VAL, 5
            s.a("GET", "n");
            s.a("OBJECT", "FREQ", "n"); // at 5 the first access always counts
            s.a("OBJECT", "FREQ", "nokey");
            s.a("OBJECT", "IDLETIME", "n");
            s.a("SET", "template", "value");
            String dump = s.a.callParsed("DUMP", "template").toString();
            s.a("RESTORE", "f", "0", dump, "FREQ", "100");
            s.a("OBJECT", "FREQ", "f");
            s.a("RESTORE", "i", "0", dump, "IDLETIME", "100");
            s.a("OBJECT", "FREQ", "i");
            s.a("CONFIG", "SET", "lfu-decay-time", "0");
            s.a("CONFIG", "GET", "lfu-decay-time");
            s.a("CONFIG", "GET", "lfu-log-factor");
            s.a("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
            s.a("OBJECT", "FREQ", "n");
            s.a("RESTORE", "j", "0", dump, "IDLETIME", "1000");
            s.a("OBJECT", "IDLETIME", "j");
            s.a("CONFIG", "SET", "lfu-decay-time", "1");
            s.a("CONFIG", "GET", "maxmemory-eviction-tenacity");
            s.a("CONFIG", "GET", "lazyfree-lazy-eviction");
            s.a("MEMORY", "USAGE", "k", "SAMPLES", "-1");
            s.a("MEMORY", "USAGE", "k", "SAMPLES", "x");
            s.a("MEMORY", "USAGE", "k", "FOO");
            s.a("MEMORY", "USAGE", "nokey", "SAMPLES", "0");
            s.a("MEMORY", "HELP");
        });
    }
}
