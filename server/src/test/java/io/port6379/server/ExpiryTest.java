// Expiry through commands, with a clock the test moves instead of sleeping.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import static io.port6379.server.CommandRunner.NIL;
import static io.port6379.server.CommandRunner.OK;
import static io.port6379.server.CommandRunner.bulk;
import static io.port6379.server.CommandRunner.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExpiryTest {

    private final CommandRunner redis = new CommandRunner();

    @Test
    void setWithExpiresAfterItsTime() {
        assertEquals(OK, redis.run("SET", "k", "v", "PX", "1500"));
        assertEquals(integer(2), redis.run("TTL", "k")); // 1.5 s rounds to 2, as Redis does
        redis.clock.advance(1499);
        assertEquals(bulk("v"), redis.run("GET", "k"));
        redis.clock.advance(1);
        assertEquals(NIL, redis.run("GET", "k"));
        assertEquals(integer(-2), redis.run("TTL", "k"));
    }

    @Test
    void objectIdletimeCountsSecondsSinceTheLastAccessAndTypeIsNotAnAccess() {
        assertEquals(NIL, redis.run("OBJECT", "IDLETIME", "k"));
        redis.run("SET", "k", "v");
        redis.clock.advance(5_000);
        redis.run("TYPE", "k");
        redis.run("OBJECT", "ENCODING", "k");
        assertEquals(":5\r\n", redis.run("OBJECT", "IDLETIME", "k"));
        redis.run("GET", "k");
        assertEquals(":0\r\n", redis.run("OBJECT", "IDLETIME", "k"));
    }

    @Test
    void setexAndGetexUseTheSameClock() {
        redis.run("SETEX", "k", "10", "v");
        assertEquals(integer(10_000), redis.run("PTTL", "k"));
        assertEquals(bulk("v"), redis.run("GETEX", "k", "PX", "100"));
        assertEquals(integer(100), redis.run("PTTL", "k"));
        assertEquals(bulk("v"), redis.run("GETEX", "k", "PERSIST"));
        assertEquals(integer(-1), redis.run("PTTL", "k"));
    }

    @Test
    void expireAtAnAbsoluteTimeAndExpireTimeReportsIt() {
        long at = redis.clock.millis() / 1000 + 100;
        redis.run("SET", "k", "v");
        assertEquals(integer(1), redis.run("EXPIREAT", "k", Long.toString(at)));
        assertEquals(integer(at), redis.run("EXPIRETIME", "k"));
        assertEquals(integer(at * 1000), redis.run("PEXPIRETIME", "k"));
    }

    @Test
    void expireInThePastDeletesTheKeyAndStillAnswersOne() {
        redis.run("SET", "k", "v");
        assertEquals(integer(1), redis.run("EXPIRE", "k", "-5"));
        assertEquals(integer(0), redis.run("EXISTS", "k"));
    }

    @Test
    void greaterThanTreatsNoExpiryAsInfinite() {
        redis.run("SET", "k", "v");
        assertEquals(integer(0), redis.run("EXPIRE", "k", "100", "GT"));
        assertEquals(integer(1), redis.run("EXPIRE", "k", "100", "LT"));
        assertEquals(integer(1), redis.run("EXPIRE", "k", "200", "GT"));
        assertEquals(integer(0), redis.run("EXPIRE", "k", "150", "GT"));
        assertEquals(integer(200), redis.run("TTL", "k"));
    }

    @Test
    void incrKeepsTheExpiryAndSetRemovesIt() {
        redis.run("SET", "n", "1", "EX", "100");
        redis.run("INCR", "n");
        assertEquals(integer(100), redis.run("TTL", "n"));
        redis.run("SET", "n", "5");
        assertEquals(integer(-1), redis.run("TTL", "n"));
    }

    @Test
    void keepTtlKeepsIt() {
        redis.run("SET", "k", "a", "EX", "100");
        redis.run("SET", "k", "b", "KEEPTTL");
        assertEquals(integer(100), redis.run("TTL", "k"));
    }

    @Test
    void moveAndCopyCarryTheExpiry() {
        redis.run("SET", "k", "v", "EX", "50");
        assertEquals(integer(1), redis.run("COPY", "k", "c"));
        assertEquals(integer(50), redis.run("TTL", "c"));
        assertEquals(integer(1), redis.run("MOVE", "k", "3"));
        redis.run("SELECT", "3");
        assertEquals(integer(50), redis.run("TTL", "k"));
    }

    @Test
    void renameCarriesTheExpiry() {
        redis.run("SET", "k", "v", "EX", "50");
        redis.run("RENAME", "k", "r");
        assertEquals(integer(50), redis.run("TTL", "r"));
    }

    @Test
    void expiredKeysDisappearFromKeysAndDbsizeCountsThemUntilCollected() {
        redis.run("SET", "gone", "v", "PX", "10");
        redis.run("SET", "stays", "v");
        redis.clock.advance(10);
        assertEquals("*1\r\n" + bulk("stays"), redis.run("KEYS", "*"));
        assertEquals(integer(1), redis.run("EXISTS", "gone", "stays"));
    }

    @Test
    void infoKeyspaceCountsKeysAndExpiries() {
        redis.run("SET", "a", "1", "EX", "10");
        redis.run("SET", "b", "1");
        String info = redis.run("INFO", "keyspace");
        assertEquals(true, info.contains("db0:keys=2,expires=1,avg_ttl=0\r\n"), info);
    }
}
