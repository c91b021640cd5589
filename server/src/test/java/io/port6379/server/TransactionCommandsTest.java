// MULTI/EXEC/WATCH without a socket: the cases a manual clock or two detached clients make exact.
package io.port6379.server;

import org.junit.jupiter.api.Test;

import static io.port6379.server.CommandRunner.OK;
import static io.port6379.server.CommandRunner.bulk;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TransactionCommandsTest {

    private final CommandRunner runner = new CommandRunner();
    private final Client other = runner.newClient();

    @Test
    void watchedKeyThatExpiresBeforeExecAbortsIt() {
        runner.run("SET", "k", "v", "PX", "100");
        runner.run("WATCH", "k");
        runner.clock.advance(100);
        runner.run("MULTI");
        runner.run("PING");
        assertEquals("*-1\r\n", runner.run("EXEC"));
    }

    @Test
    void watchedKeyWithATimeToLiveThatHasNotExpiredLetsExecRun() {
        runner.run("SET", "k", "v", "PX", "100");
        runner.run("WATCH", "k");
        runner.clock.advance(99);
        runner.run("MULTI");
        runner.run("GET", "k");
        assertEquals("*1\r\n" + bulk("v"), runner.run("EXEC"));
    }

    @Test
    void writeToAnUnwatchedKeyDoesNotAbort() {
        runner.run("WATCH", "k");
        runner.runAs(other, "SET", "other", "1");
        runner.run("MULTI");
        runner.run("SET", "k", "mine");
        assertEquals("*1\r\n" + OK, runner.run("EXEC"));
    }

    @Test
    void writeInAnotherDatabaseDoesNotAbort() {
        runner.run("WATCH", "k");
        runner.runAs(other, "SELECT", "1");
        runner.runAs(other, "SET", "k", "1");
        runner.run("MULTI");
        runner.run("PING");
        assertEquals("*1\r\n+PONG\r\n", runner.run("EXEC"));
    }

    @Test
    void everyWrittenKeyOfAMultiKeyCommandIsTouched() {
        runner.run("WATCH", "c");
        runner.runAs(other, "MSET", "a", "1", "b", "2", "c", "3");
        runner.run("MULTI");
        runner.run("PING");
        assertEquals("*-1\r\n", runner.run("EXEC"));
    }

    @Test
    void aPopWhoseKeysFollowACountTouchesTheKeysItNamesAndNoOthers() {
        runner.runAs(other, "RPUSH", "l", "x", "y");
        runner.run("WATCH", "w");
        runner.runAs(other, "LMPOP", "2", "a", "l", "LEFT");
        runner.runAs(other, "ZMPOP", "1", "z", "MIN");
        runner.run("MULTI");
        runner.run("PING");
        assertEquals("*1\r\n+PONG\r\n", runner.run("EXEC"));

        runner.run("WATCH", "l");
        runner.runAs(other, "LMPOP", "2", "a", "l", "LEFT");
        runner.run("MULTI");
        runner.run("PING");
        assertEquals("*-1\r\n", runner.run("EXEC"));
    }

    @Test
    void readingAWatchedKeyDoesNotAbort() {
        runner.runAs(other, "SET", "k", "1");
        runner.run("WATCH", "k");
        runner.runAs(other, "GET", "k");
        runner.run("MULTI");
        runner.run("INCR", "k");
        assertEquals("*1\r\n:2\r\n", runner.run("EXEC"));
    }

    @Test
    void moveTouchesTheKeyInTheTargetDatabase() {
        runner.run("SELECT", "1");
        runner.run("WATCH", "k");
        runner.runAs(other, "SET", "k", "v");
        runner.runAs(other, "MOVE", "k", "1");
        runner.run("MULTI");
        runner.run("PING");
        assertEquals("*-1\r\n", runner.run("EXEC"));
    }

    @Test
    void aFailedWriteDoesNotCountAsAModification() {
        runner.runAs(other, "LPUSH", "k", "x");
        runner.run("WATCH", "k");
        assertEquals(CommandRunner.error("WRONGTYPE Operation against a key holding the wrong kind of value"),
                runner.runAs(other, "INCR", "k"));
        runner.run("MULTI");
        runner.run("PING");
        assertEquals("*1\r\n+PONG\r\n", runner.run("EXEC"));
    }

    @Test
    void disconnectedWatcherLeavesNothingBehind() {
        runner.runAs(other, "WATCH", "k");
        runner.server.unregister(other);
        runner.run("SET", "k", "1");
        assertEquals(OK, runner.run("MULTI"));
        assertEquals("*0\r\n", runner.run("EXEC"));
    }

    @Test
    void resetLeavesMultiAndForgetsWatches() {
        runner.run("WATCH", "k");
        runner.run("MULTI");
        runner.run("SET", "k", "1");
        assertEquals("+RESET\r\n", runner.run("RESET"));
        runner.runAs(other, "SET", "k", "2");
        assertEquals(CommandRunner.error("ERR EXEC without MULTI"), runner.run("EXEC"));
        runner.run("MULTI");
        runner.run("GET", "k");
        assertEquals("*1\r\n" + bulk("2"), runner.run("EXEC"));
    }
}
