// Redis's serverCron, reduced to what this server needs: active expiry, idle-client timeouts, ops/sec samples, the concerns' tasks.
package io.port6379.server;

import io.port6379.server.util.Log;
import io.port6379.datastructures.Keyspace;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs {@code hz} times a second (10 by default, re-read every round so CONFIG SET hz applies at once), under
 * the execution lock like any command, so it never sees a command half done.
 *
 * <p>Active expiry follows Redis's "slow cycle": the databases share a time budget of 25% of one period (more with
 * a higher {@code active-expire-effort}), so with hz 10 the cycle may spend up to 25 ms per round deleting expired
 * keys nobody reads.
 */
public final class ServerCron implements Runnable {

    /** Redis's MAX_CLIENTS_PER_CLOCK_TICK and CONFIG_MAX_HZ. */
    private static final int MAX_CLIENTS_PER_CLOCK_TICK = 200;
    private static final int MAX_HZ = 500;

    private final ServerContext server;
    private volatile boolean running = true;
    /** The thread running the cron, woken by {@link #stop} so that a stop does not wait for the rest of a period. */
    private volatile Thread thread;

    public ServerCron(ServerContext server) {
        this.server = server;
    }

    public void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current); // not an interrupt: the cron may be writing a file, which an interrupt would close
        }
    }

    // tag::cron[]
    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            long wakeAt = System.nanoTime() + 1_000_000_000L / server.hz();
            for (long left = wakeAt - System.nanoTime(); left > 0 && running; left = wakeAt - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    return;
                }
            }
            if (!running) {
                return;
            }
            if (server.cronPaused()) { // DEBUG PAUSE-CRON 1: nothing periodic runs, for tests that need stillness
                continue;
            }
            server.executionLock().lock();
            try {
                int hz = adaptHz();
                if (server.activeExpire() && !server.writesPaused()) { // expiring is a write: not during CLIENT PAUSE
                    activeExpire(hz);
                }
                server.stats().sample(server.clock().millis());
                long now = server.wallClock().millis();
                for (Client client : server.clients()) {
                    client.resizeQueryBuffer(now);
                    server.clientMemoryChanged(client); // output drained (or piled up) since its last command
                    if (server.replyBufferResizing()) {
                        server.stats().replyBufferResized(
                                client.resizeReplyBuffer(now, server.replyBufferPeakResetMillis()));
                    }
                }
                closeIdleClients();
                server.cronTasks().forEach(Runnable::run); // a scheduled BGSAVE, MIGRATE's idle connections...
            } finally {
                server.executionLock().unlock();
            }
        }
    }
    // end::cron[]

    // tag::dynamic-hz[]
    /**
     * Redis's serverCron starts from the configured {@code hz}; with {@code dynamic-hz} it doubles it while there
     * are more than {@value #MAX_CLIENTS_PER_CLOCK_TICK} clients per tick, up to {@value #MAX_HZ}, so that the
     * per-client work of each round (timeouts, buffers) stays small. INFO shows the result as {@code hz}.
     */
    private int adaptHz() {
        int hz = (int) Math.clamp(server.config().number("hz"), 1, MAX_HZ);
        if (server.config().flag("dynamic-hz")) {
            int clients = server.clients().size();
            while (clients / hz > MAX_CLIENTS_PER_CLOCK_TICK) {
                hz *= 2;
                if (hz > MAX_HZ) {
                    hz = MAX_HZ;
                    break;
                }
            }
        }
        server.hz(hz);
        return hz;
    }
    // end::dynamic-hz[]

    // tag::expire-effort[]
    /**
     * The slow cycle of Redis's {@code activeExpireCycle}, scaled by {@code active-expire-effort} (1..10) with
     * Redis's formula: effort {@code e = effort - 1} samples {@code 20 + 5e} keys per loop, allows {@code 25 + 2e}
     * percent of a cron period, and repeats a database while more than {@code 10 - e} percent of a sample had
     * expired.
     */
    private void activeExpire(int hz) {
        int effort = (int) server.config().number("active-expire-effort") - 1;
        int keysPerLoop = Keyspace.KEYS_PER_LOOP + Keyspace.KEYS_PER_LOOP / 4 * effort;
        long timePercent = 25 + 2L * effort;
        int acceptableStale = 10 - effort;
        long budgetNanos = 1_000_000_000L * timePercent / hz / 100;
        Databases databases = server.databases();
        long start = System.nanoTime();
        long expired = 0;
        long volatiles = 0;
        for (int i = 0; i < databases.count(); i++) {
            Keyspace db = databases.get(i);
            if (db.volatileCount() > 0) {
                volatiles += db.volatileCount();
                long left = budgetNanos - (System.nanoTime() - start);
                expired += db.activeExpireCycle(Math.max(left, 1), keysPerLoop, acceptableStale); // counted by keyExpired
            }
        }
        long spent = System.nanoTime() - start;
        server.stats().expireCycle(expired, volatiles, spent / 1000, spent >= budgetNanos);
        server.latency().record("expire-cycle", spent / 1_000_000, server.wallClock().millis()); // LATENCY's event
    }
    // end::expire-effort[]

    /** {@code timeout} seconds without a command closes a client (never a MONITOR one), as Redis's clientsCronHandleTimeout. */
    private void closeIdleClients() {
        long timeout = server.config().number("timeout");
        if (timeout <= 0) {
            return;
        }
        long now = server.clock().millis();
        for (Client client : List.copyOf(server.clients())) {
            if (!client.isMonitor() && !client.isReplica() && !client.isMaster() && now - client.lastInteraction() > timeout * 1000) {
                Log.log("-", "Closing idle client");
                client.kill();
            }
        }
    }
}
