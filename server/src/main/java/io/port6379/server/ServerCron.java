// Redis's serverCron, reduced to what this server needs: active expiry, idle-client timeouts, ops/sec samples, the concerns' tasks.
package io.port6379.server;

import io.port6379.server.util.Log;
import io.port6379.datastructures.Keyspace;

import java.util.List;

/**
 * Runs {@code hz} times a second (10 by default, re-read every round so CONFIG SET hz applies at once), under
 * the execution lock like any command, so it never sees a command half done.
 *
 * <p>Active expiry follows Redis's "slow cycle": each database gets a share of a time budget of 25% of one
 * period, so with hz 10 the cycle may spend up to 25 ms per round deleting expired keys nobody reads.
 */
public final class ServerCron implements Runnable {

    private final ServerContext server;
    private volatile boolean running = true;

    public ServerCron(ServerContext server) {
        this.server = server;
    }

    public void stop() {
        running = false;
    }

    // tag::cron[]
    @Override
    public void run() {
        while (running) {
            long hz = Math.clamp(server.config().number("hz"), 1, 500);
            try {
                Thread.sleep(1000 / hz);
            } catch (InterruptedException e) {
                return;
            }
            if (server.cronPaused()) { // DEBUG PAUSE-CRON 1: nothing periodic runs, for tests that need stillness
                continue;
            }
            server.executionLock().lock();
            try {
                if (server.activeExpire()) {
                    long budgetNanos = 1_000_000_000L / hz * 25 / 100;
                    Databases databases = server.databases();
                    long start = System.nanoTime();
                    long expired = 0;
                    long volatiles = 0;
                    for (int i = 0; i < databases.count(); i++) {
                        Keyspace db = databases.get(i);
                        if (db.volatileCount() > 0) {
                            volatiles += db.volatileCount();
                            expired += db.activeExpireCycle(budgetNanos / databases.count()); // counted by keyExpired
                        }
                    }
                    long spent = System.nanoTime() - start;
                    server.stats().expireCycle(expired, volatiles, spent / 1000, spent >= budgetNanos);
                }
                server.stats().sample(server.clock().millis());
                closeIdleClients();
                server.cronTasks().forEach(Runnable::run); // a scheduled BGSAVE, MIGRATE's idle connections...
            } finally {
                server.executionLock().unlock();
            }
        }
    }
    // end::cron[]

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
