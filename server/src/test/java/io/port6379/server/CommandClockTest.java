// The time stands still while a command runs, and EXEC's commands keep the time EXEC started with.
package io.port6379.server;

import io.port6379.server.main.Port6379;
import io.port6379.server.util.CommandClock;
import io.port6379.server.config.ServerConfig;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Clock;
import io.port6379.datastructures.RedisString;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandClockTest {

    private final AtomicLong wall = new AtomicLong(1_000);
    private final CommandClock clock = new CommandClock(wall::get);

    @Test
    void outsideACommandEveryReadingIsFresh() {
        assertEquals(1_000, clock.millis());
        wall.set(2_000);
        assertEquals(2_000, clock.millis());
    }

    @Test
    void whileACommandRunsTheTimeIsItsStart() {
        assertEquals(1_000, clock.commandStarted(System.nanoTime()));
        wall.set(5_000);
        assertEquals(1_000, clock.millis());
        clock.commandEnded();
        assertEquals(5_000, clock.millis());
    }

    @Test
    void commandsRunInsideExecKeepTheTimeExecStartedWith() {
        clock.commandStarted(System.nanoTime()); // EXEC
        wall.set(3_000);
        assertEquals(1_000, clock.commandStarted(System.nanoTime())); // a queued command
        clock.commandEnded();
        assertEquals(1_000, clock.millis());
        clock.commandEnded();
        assertEquals(3_000, clock.millis());
    }

    @Test
    void aKeyDoesNotExpireHalfwayThroughACommand() {
        ServerContext server = Port6379.context(new ServerConfig(), wall::get);
        server.databases().get(0).set(Bytes.of("k"), RedisString.of("v"), 1_500);
        server.commandClock().commandStarted(System.nanoTime());
        wall.set(2_000); // the key's time passes while the command runs
        assertTrue(server.databases().get(0).exists(Bytes.of("k")));
        server.commandClock().commandEnded();
        assertFalse(server.databases().get(0).exists(Bytes.of("k")));
    }

    @Test
    void theWallClockCarriedForwardStaysTheWallClock() throws InterruptedException {
        CommandClock system = new CommandClock(Clock.SYSTEM);
        long until = System.nanoTime() + 30_000_000; // 30 ms: across many readings and many carried-forward times
        while (System.nanoTime() < until) {
            long before = System.currentTimeMillis();
            long during = system.commandStarted(System.nanoTime());
            long after = System.currentTimeMillis();
            system.commandEnded();
            assertTrue(before <= during && during <= after, before + " <= " + during + " <= " + after);
            Thread.sleep(0, 200_000);
        }
    }

    @Test
    void aTestClockIsReadAtEveryCommand() {
        clock.commandStarted(System.nanoTime());
        clock.commandEnded();
        wall.set(1_001); // within a millisecond of the last command: still seen at once
        assertEquals(1_001, clock.commandStarted(System.nanoTime()));
        clock.commandEnded();
    }
}
