// What the incremental file records for each kind of write: the rules of Propagation, checked against Redis 7.0.15's file.
package io.port6379.server.persistence;

import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every expectation here is what a real redis-server 7.0.15 wrote in {@code appendonly.aof.1.incr.aof} for the
 * same commands (the harness's clock stands at 1 700 000 000 000 ms, so relative times become exact absolute ones).
 */
class AofPropagationTest {

    @TempDir
    Path dir;
    AofHarness aof;

    @BeforeEach
    void open() {
        aof = new AofHarness(dir);
    }

    @AfterEach
    void close() {
        aof.close();
    }

    /** The commands recorded since the test began, after the first SELECT. */
    private List<List<String>> recorded() throws IOException {
        List<List<String>> commands = aof.incrCommands();
        assertEquals(List.of("SELECT", "0"), commands.getFirst());
        return commands.subList(1, commands.size());
    }

    private static List<String> words(String... words) {
        return List.of(words);
    }

    @Test
    void aDeterministicWriteIsRecordedAsSentAndAReadIsNot() throws IOException {
        aof.run("set", "a", "1");
        aof.run("GET", "a");
        aof.run("DEL", "nokey");
        assertEquals(List.of(words("set", "a", "1")), recorded());
    }

    /** A PFCOUNT that writes the cached cardinality into the string is recorded; one that reads it is not. */
    @Test
    void pfcountIsRecordedWhenItWritesTheCacheAndPfdebugWhenItConverts() throws IOException {
        aof.run("pfadd", "h", "a", "b", "c");
        aof.run("pfcount", "h");
        aof.run("pfcount", "h");
        aof.run("pfadd", "h", "a");
        aof.run("pfcount", "h", "x");
        aof.run("pfdebug", "todense", "h");
        aof.run("pfdebug", "todense", "h");
        aof.run("pfdebug", "encoding", "h");
        aof.run("pfmerge", "m", "h");
        aof.run("pfadd", "h");
        assertEquals(List.of(
                words("pfadd", "h", "a", "b", "c"),
                words("pfcount", "h"),
                words("pfdebug", "todense", "h"),
                words("pfmerge", "m", "h")), recorded());
    }

    @Test
    void bitmapWritesAreRecordedAsSentOnlyWhenTheyChangedSomething() throws IOException {
        for (String command : List.of("setbit b 7 1", "setbit b 7 1", "getbit b 7", "bitfield b overflow fail incrby u8 0 1000",
                "bitfield b get u8 0", "bitfield b set u8 0 1", "bitfield b set u8 0 2 get u8 0", "bitfield_ro b get u8 0",
                "bitop not d b", "bitop or d nokey", "bitop or d nokey", "bitcount b", "bitpos b 1")) {
            aof.run(command.split(" "));
        }
        assertEquals(List.of(words("setbit", "b", "7", "1"), words("bitfield", "b", "set", "u8", "0", "2", "get", "u8", "0"),
                words("bitop", "not", "d", "b"), words("bitop", "or", "d", "nokey")), recorded());
    }

    /**
     * GEOADD is recorded as the ZADD it runs (its options as sent, the geohashes as scores), and only when it
     * changed something; the searches that store are recorded as sent, also when they only deleted the destination.
     */
    @Test
    void geoaddIsRecordedAsZaddAndStoringSearchesAsSent() throws IOException {
        for (String command : List.of("geoadd gk NX ch 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                "geoadd gk nx 1 1 Palermo", "geoadd gk xx 1 1 none", "georadius gk 15 37 200 km store d",
                "geosearchstore d2 gk fromlonlat 15 37 byradius 200 km storedist", "georadius gk 15 37 1 km store d",
                "georadius gk 15 37 1 km store d", "geosearch gk fromlonlat 15 37 byradius 200 km")) {
            aof.run(command.split(" "));
        }
        assertEquals(List.of(
                words("zadd", "gk", "NX", "ch", "3479099956230698", "Palermo", "3479447370796909", "Catania"),
                words("georadius", "gk", "15", "37", "200", "km", "store", "d"),
                words("geosearchstore", "d2", "gk", "fromlonlat", "15", "37", "byradius", "200", "km", "storedist"),
                words("georadius", "gk", "15", "37", "1", "km", "store", "d")), recorded());
    }

    /**
     * RESTORE with a relative TTL is recorded with the absolute time and ABSTTL; one whose time has passed is a DEL of
     * the key it replaced, or nothing when there was none; the others as sent.
     */
    @Test
    void restoreRecordsAnAbsoluteTtlAndAPastOneAsDel() throws IOException {
        aof.run("set", "s", "hello");
        String reply = aof.run("DUMP", "s");
        String payload = reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
        aof.run("RESTORE", "r", "100000", payload);
        aof.run("RESTORE", "r0", "0", payload);
        aof.run("RESTORE", "rabs", "4102444800000", payload, "ABSTTL");
        aof.run("RESTORE", "s", "1", payload, "REPLACE", "ABSTTL");
        aof.run("RESTORE", "gone", "1", payload, "ABSTTL");
        aof.run("RESTORE", "r2", "0", payload, "IDLETIME", "10");
        assertEquals(List.of(words("set", "s", "hello"),
                words("RESTORE", "r", "1700000100000", payload, "ABSTTL"),
                words("RESTORE", "r0", "0", payload),
                words("RESTORE", "rabs", "4102444800000", payload, "ABSTTL"),
                words("DEL", "s"),
                words("RESTORE", "r2", "0", payload, "IDLETIME", "10")), recorded());
    }

    /** Redis rewrites MIGRATE as DEL of the keys the target acknowledged; with COPY, or when none moved, nothing. */
    @Test
    void migrateIsRecordedAsDelOfTheKeysThatMoved() throws IOException {
        try (TestServer target = TestServer.start()) {
            String port = Integer.toString(target.port());
            aof.run("set", "a", "1");
            aof.run("set", "b", "2");
            aof.run("set", "c", "3");
            aof.run("MIGRATE", "127.0.0.1", port, "a", "0", "5000", "COPY");
            aof.run("MIGRATE", "127.0.0.1", port, "a", "0", "5000");
            aof.run("MIGRATE", "127.0.0.1", port, "", "0", "5000", "KEYS", "a", "b");
            aof.run("MIGRATE", "127.0.0.1", port, "", "0", "5000", "REPLACE", "KEYS", "a", "c");
            assertEquals(List.of(words("set", "a", "1"), words("set", "b", "2"), words("set", "c", "3"),
                    words("DEL", "b"), words("DEL", "a", "c")), recorded());
        }
    }

    @Test
    void relativeExpiriesBecomeAbsolute() throws IOException {
        aof.run("SET", "a", "1");
        aof.run("EXPIRE", "a", "100");
        aof.run("SET", "b", "2", "EX", "100");
        aof.run("SETEX", "c", "10", "v");
        aof.run("PSETEX", "d", "1000", "v");
        aof.run("SET", "e", "v", "NX", "EX", "10");
        aof.run("SET", "g", "v", "EXAT", "1900000000");
        aof.run("GETEX", "a", "EX", "50");
        assertEquals(List.of(
                words("SET", "a", "1"),
                words("PEXPIREAT", "a", "1700000100000"),
                words("SET", "b", "2", "PXAT", "1700000100000"),
                words("SET", "c", "v", "PXAT", "1700000010000"),
                words("SET", "d", "v", "PXAT", "1700000001000"),
                words("SET", "e", "v", "PXAT", "1700000010000"),
                words("SET", "g", "v", "PXAT", "1900000000000"),
                words("PEXPIREAT", "a", "1700000050000")), recorded());
    }

    @Test
    void anExpiryInThePastIsRecordedAsDel() throws IOException {
        aof.run("SET", "a", "1");
        aof.run("SET", "b", "1");
        aof.run("SET", "c", "1");
        aof.run("EXPIRE", "a", "-1");
        aof.run("PEXPIRE", "b", "0");
        aof.run("EXPIREAT", "c", "1");
        aof.run("GETDEL", "nothing");
        assertEquals(List.of(words("SET", "a", "1"), words("SET", "b", "1"), words("SET", "c", "1"),
                words("DEL", "a"), words("DEL", "b"), words("DEL", "c")), recorded());
    }

    @Test
    void getexPersistAndGetdel() throws IOException {
        aof.run("SET", "a", "1", "PX", "5000");
        aof.run("SET", "b", "1");
        aof.run("GETEX", "a", "PERSIST");
        aof.run("GETEX", "b", "PERSIST"); // no expiry to remove: nothing changed, nothing recorded
        aof.run("GETDEL", "b");
        assertEquals(List.of(words("SET", "a", "1", "PXAT", "1700000005000"), words("SET", "b", "1"),
                words("PERSIST", "a"), words("DEL", "b")), recorded());
    }

    @Test
    void floatIncrementsRecordTheirResult() throws IOException {
        aof.run("SET", "s", "5", "EX", "100");
        aof.run("INCRBYFLOAT", "s", "1e2");
        aof.run("HSET", "h", "a", "1");
        aof.run("HINCRBYFLOAT", "h", "a", "0.1");
        assertEquals(List.of(words("SET", "s", "5", "PXAT", "1700000100000"), words("SET", "s", "105", "KEEPTTL"),
                words("HSET", "h", "a", "1"), words("HSET", "h", "a", "1.1")), recorded());
    }

    @Test
    void spopRecordsTheMembersItRemoved() throws IOException {
        aof.run("SADD", "s", "1", "2", "3");
        String popped = aof.run("SPOP", "s");
        aof.run("SADD", "t", "a", "b", "c");
        aof.run("SPOP", "t", "2");
        aof.run("SADD", "u", "1", "2");
        aof.run("SPOP", "u", "5");
        List<List<String>> recorded = recorded();
        assertEquals(words("SREM", "s", popped.substring(popped.indexOf('\n') + 1, popped.length() - 2)), recorded.get(1));
        assertEquals(words("MULTI"), recorded.get(3));
        assertEquals("SREM", recorded.get(4).getFirst());
        assertEquals("SREM", recorded.get(5).getFirst());
        assertEquals(words("EXEC"), recorded.get(6));
        assertEquals(words("DEL", "u"), recorded.get(8));
        assertEquals(9, recorded.size());
    }

    @Test
    void popsFromSeveralKeysRecordTheKeyAndCountThatServed() throws IOException {
        aof.run("RPUSH", "l", "a", "b", "c");
        aof.run("LMPOP", "1", "l", "LEFT", "COUNT", "2");
        aof.run("RPUSH", "l4", "a", "b");
        aof.run("BLMPOP", "0", "2", "none", "l4", "RIGHT", "COUNT", "5");
        aof.run("ZADD", "z", "1", "a", "2", "b", "3", "c");
        aof.run("ZMPOP", "1", "z", "MIN", "COUNT", "2");
        aof.run("BZPOPMIN", "none", "z", "1");
        aof.run("ZADD", "z3", "1", "a", "2", "b");
        aof.run("BZMPOP", "0", "1", "z3", "MAX", "COUNT", "1");
        assertEquals(List.of(words("RPUSH", "l", "a", "b", "c"), words("LPOP", "l", "2"),
                words("RPUSH", "l4", "a", "b"), words("RPOP", "l4", "2"),
                words("ZADD", "z", "1", "a", "2", "b", "3", "c"), words("ZPOPMIN", "z", "2"), words("ZPOPMIN", "z"),
                words("ZADD", "z3", "1", "a", "2", "b"), words("ZPOPMAX", "z3", "1")), recorded());
    }

    @Test
    void blockingPopsServedAtOnceAreRecordedInTheirNonBlockingForm() throws IOException {
        aof.run("RPUSH", "l", "a", "b", "c");
        aof.run("BLPOP", "l", "0");
        aof.run("BRPOP", "l", "0");
        aof.run("BRPOPLPUSH", "l", "m", "0");
        aof.run("BLMOVE", "m", "n", "LEFT", "RIGHT", "0");
        assertEquals(List.of(words("RPUSH", "l", "a", "b", "c"), words("LPOP", "l"), words("RPOP", "l"),
                words("RPOPLPUSH", "l", "m"), words("LMOVE", "m", "n", "LEFT", "RIGHT")), recorded());
    }

    @Test
    void aBlockedPopServedByAnotherClientIsRecordedAfterThePushThatServedIt() throws IOException {
        Client waiter = aof.newClient();
        RespWriter waiterReply = new RespWriter();
        aof.runAs(waiter, waiterReply, "BLPOP", "q", "0");
        assertEquals(0, waiterReply.size());
        aof.run("RPUSH", "q", "x", "y");
        assertTrue(new String(waiterReply.toByteArray()).contains("x"));
        assertEquals(List.of(words("RPUSH", "q", "x", "y"), words("LPOP", "q")), recorded());
    }

    /** As redis-server 7.0.15 wrote them for the same commands (its times were its clock's). */
    @Test
    void consumerGroupReadsAndClaimsAreRecordedAsIdempotentXclaims() throws IOException {
        String t = "1700000000000";
        for (String id : List.of("1-1", "2-1", "3-1", "4-1")) {
            aof.run("XADD", "s", id, "f", "v");
        }
        aof.run("XGROUP", "CREATE", "s", "g", "0");
        aof.run("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">");
        aof.run("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"); // history: nothing recorded
        aof.run("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "s", ">");
        aof.run("XCLAIM", "s", "g", "carol", "0", "1-1", "LASTID", "9-9", "JUSTID");
        aof.run("XADD", "s", "10-1", "f", "v");
        aof.run("XREADGROUP", "GROUP", "g", "bob", "COUNT", "5", "STREAMS", "s", ">");
        aof.run("XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "10");
        aof.run("XAUTOCLAIM", "s", "g", "erin", "0", "0", "COUNT", "10", "JUSTID");
        List<List<String>> recorded = recorded();
        assertEquals(List.of(words("XGROUP", "CREATE", "s", "g", "0"), words("MULTI"),
                words("XCLAIM", "s", "g", "alice", "0", "1-1", "TIME", t, "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "1-1"),
                words("XCLAIM", "s", "g", "alice", "0", "2-1", "TIME", t, "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "2-1"),
                words("EXEC"), words("MULTI"), words("XGROUP", "CREATECONSUMER", "s", "g", "bob"),
                words("XGROUP", "SETID", "s", "g", "3-1", "ENTRIESREAD", "3"), words("EXEC"),
                words("XCLAIM", "s", "g", "carol", "0", "1-1", "TIME", t, "RETRYCOUNT", "2", "FORCE", "JUSTID", "LASTID", "9-9"),
                words("XADD", "s", "10-1", "f", "v"),
                words("XCLAIM", "s", "g", "bob", "0", "10-1", "TIME", t, "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "10-1"),
                words("MULTI"),
                words("XCLAIM", "s", "g", "dave", "0", "1-1", "TIME", t, "RETRYCOUNT", "3", "FORCE", "JUSTID", "LASTID", "10-1"),
                words("XCLAIM", "s", "g", "dave", "0", "2-1", "TIME", t, "RETRYCOUNT", "3", "FORCE", "JUSTID", "LASTID", "10-1"),
                words("XCLAIM", "s", "g", "dave", "0", "10-1", "TIME", t, "RETRYCOUNT", "2", "FORCE", "JUSTID", "LASTID", "10-1"),
                words("EXEC"),
                words("MULTI"),
                words("XCLAIM", "s", "g", "erin", "0", "1-1", "TIME", t, "RETRYCOUNT", "3", "FORCE", "JUSTID", "LASTID", "10-1"),
                words("XCLAIM", "s", "g", "erin", "0", "2-1", "TIME", t, "RETRYCOUNT", "3", "FORCE", "JUSTID", "LASTID", "10-1"),
                words("XCLAIM", "s", "g", "erin", "0", "10-1", "TIME", t, "RETRYCOUNT", "2", "FORCE", "JUSTID", "LASTID", "10-1"),
                words("EXEC")),
                recorded.subList(4, recorded.size()));
    }

    /**
     * A PEL entry of a deleted stream entry is dropped by XCLAIM and XAUTOCLAIM, and recorded as an XCLAIM of it that
     * names its former holder, delivery time and count.
     */
    @Test
    void aDroppedPendingEntryIsRecordedAsAnXclaimThatDropsItOnReplay() throws IOException {
        String t = "1700000000000";
        aof.run("XADD", "s", "1-1", "f", "v");
        aof.run("XADD", "s", "2-1", "f", "v");
        aof.run("XGROUP", "CREATE", "s", "g", "0");
        aof.run("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        aof.run("XDEL", "s", "1-1", "2-1");
        aof.run("XCLAIM", "s", "g", "carol", "0", "1-1");
        aof.run("XAUTOCLAIM", "s", "g", "dave", "0", "0");
        List<List<String>> recorded = recorded();
        assertEquals(List.of(
                words("XCLAIM", "s", "g", "alice", "0", "1-1", "TIME", t, "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "2-1"),
                words("XCLAIM", "s", "g", "alice", "0", "2-1", "TIME", t, "RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", "2-1")),
                recorded.subList(recorded.size() - 2, recorded.size()));
    }

    @Test
    void aTransactionWithSeveralChangesIsWrappedInMultiExec() throws IOException {
        aof.run("SET", "first", "1");
        aof.run("MULTI");
        aof.run("SET", "q", "1");
        aof.run("INCR", "q");
        aof.run("EXEC");
        aof.run("MULTI");
        aof.run("GET", "q");
        aof.run("EXEC");
        aof.run("SADD", "u", "only");
        aof.run("MULTI");
        aof.run("SPOP", "u");
        aof.run("EXEC");
        assertEquals(List.of(words("SET", "first", "1"), words("MULTI"), words("SET", "q", "1"), words("INCR", "q"), words("EXEC"),
                words("SADD", "u", "only"), words("SREM", "u", "only")), recorded());
    }

    @Test
    void aSelectPrecedesACommandOfAnotherDatabase() throws IOException {
        aof.run("SET", "a", "0");
        aof.run("SELECT", "3");
        aof.run("SET", "x", "y");
        aof.run("SELECT", "0");
        aof.run("SET", "b", "0");
        assertEquals(List.of(words("SET", "a", "0"), words("SELECT", "3"), words("SET", "x", "y"),
                words("SELECT", "0"), words("SET", "b", "0")), recorded());
    }

    @Test
    void aKeyThatExpiresIsRecordedAsDelBeforeTheCommandThatNoticed() throws IOException {
        aof.run("SET", "k", "v", "PX", "50");
        aof.now.addAndGet(100);
        aof.run("SET", "k", "v2");
        assertEquals(List.of(words("SET", "k", "v", "PXAT", "1700000000050"), words("DEL", "k"), words("SET", "k", "v2")),
                recorded());
    }

    /** Redis 7 records a script's effects, not the script: one write alone, several in MULTI/EXEC, SELECT inside. */
    @Test
    void aScriptIsRecordedAsItsEffects() throws IOException {
        aof.run("EVAL", "redis.call('set','a','1') redis.call('incr','a') return 1", "0");
        aof.run("EVAL", "return redis.call('set','b','2')", "0");
        aof.run("EVAL", "return redis.call('get','b')", "0");
        aof.run("SELECT", "3");
        aof.run("EVAL", "redis.call('set','c','3') redis.call('select', 5) redis.call('set','d','4') return 1", "0");
        aof.run("SELECT", "0");
        aof.run("EVAL", "redis.call('set','e','5', 'EX', 100) return redis.call('spop', 'nos')", "0");
        aof.run("EVAL", "redis.call('set','x','1') redis.set_repl(redis.REPL_NONE) redis.call('set','y','2') return 1", "0");
        assertEquals(List.of(words("MULTI"), words("set", "a", "1"), words("incr", "a"), words("EXEC"),
                words("set", "b", "2"),
                words("SELECT", "3"), words("MULTI"), words("set", "c", "3"), words("SELECT", "5"), words("set", "d", "4"),
                words("EXEC"),
                words("SELECT", "0"), words("SET", "e", "5", "PXAT", "1700000100000"),
                words("set", "x", "1")), recorded());
    }
}
