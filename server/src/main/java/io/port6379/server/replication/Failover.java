// FAILOVER: a master hands its role to a replica without losing a write, then follows it.
package io.port6379.server.replication;

import io.port6379.datastructures.RedisException;
import io.port6379.server.ServerContext;
import io.port6379.server.util.Log;

/**
 * Redis's coordinated failover ({@code failoverCommand}, {@code updateFailoverStatus}): writes are paused, the master
 * waits until a replica (the one named by TO, else the first) has acknowledged the whole stream, then becomes a
 * replica of it and asks {@code PSYNC <replid> <offset> FAILOVER}, which tells the replica to promote itself before
 * answering. The old master then continues partially, since the new one keeps the old history as its replid2. After a
 * TIMEOUT the failover is aborted, or with FORCE carried out anyway. INFO's {@code master_failover_state} names
 * the state. Under the execution lock.
 */
final class Failover {

    /** Redis's {@code failover_state}, as INFO shows it. */
    enum State {
        NO_FAILOVER("no-failover"), WAIT_FOR_SYNC("waiting-for-sync"), IN_PROGRESS("failover-in-progress");

        final String info;

        State(String info) {
            this.info = info;
        }
    }

    private final Replication replication;
    State state = State.NO_FAILOVER;
    private String targetHost;
    private int targetPort;
    private long endMillis;
    private boolean force;

    Failover(Replication replication) {
        this.replication = replication;
    }

    // tag::start[]
    /** FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | ABORT, with Redis's checks in Redis's order. */
    void command(String host, long port, long timeoutMillis, boolean force, boolean abort) {
        ServerContext server = replication.server;
        if (abort) {
            if (state == State.NO_FAILOVER) {
                throw new RedisException("ERR No failover in progress.");
            }
            abort("Failover manually aborted");
            return;
        }
        if (state != State.NO_FAILOVER) {
            throw new RedisException("ERR FAILOVER already in progress.");
        }
        if (replication.isReplica()) {
            throw new RedisException("ERR FAILOVER is not valid when server is a replica.");
        }
        if (replication.replicas.isEmpty()) {
            throw new RedisException("ERR FAILOVER requires connected replicas.");
        }
        if (force && (timeoutMillis == 0 || host == null)) {
            throw new RedisException("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
        }
        if (host != null) {
            ReplicaLink replica = find(host, (int) port);
            if (replica == null) {
                throw new RedisException("ERR FAILOVER target HOST and PORT is not a replica.");
            }
            if (replica.state != ReplicaLink.State.ONLINE) {
                throw new RedisException("ERR FAILOVER target replica is not online.");
            }
            targetHost = host;
            targetPort = (int) port;
            Log.log("*", "FAILOVER requested to " + host + ":" + port + ".");
        } else {
            Log.log("*", "FAILOVER requested to any replica.");
        }
        endMillis = timeoutMillis == 0 ? 0 : server.clock().millis() + timeoutMillis;
        this.force = force;
        state = State.WAIT_FOR_SYNC;
        server.pauseClients(Long.MAX_VALUE, ServerContext.PauseMode.WRITE); // nothing new to catch up with
        replication.requestAcks(replication.offset());
    }
    // end::start[]

    /** From the cron: a replica caught up (or the time ran out): become its replica. */
    void update() {
        if (state != State.WAIT_FOR_SYNC) {
            return;
        }
        long now = replication.server.clock().millis();
        if (endMillis != 0 && endMillis <= now) {
            if (force) {
                Log.log("*", "FAILOVER to " + targetHost + ":" + targetPort + " time out exceeded, failing over.");
                handOver();
            } else {
                abort("Replica never caught up before timeout");
            }
            return;
        }
        long offset = replication.offset();
        ReplicaLink replica = null;
        if (targetHost != null) {
            replica = find(targetHost, targetPort);
        } else {
            for (ReplicaLink candidate : replication.replicas) {
                if (candidate.ackOffset == offset) {
                    replica = candidate;
                    targetHost = candidate.ip();
                    targetPort = candidate.listeningPort;
                    break;
                }
            }
        }
        if (replica != null && replica.ackOffset == offset) {
            Log.log("*", "Failover target " + targetHost + ":" + targetPort + " is synced, failing over.");
            handOver();
        }
    }

    private void handOver() {
        state = State.IN_PROGRESS;
        replication.replicaOf(targetHost, targetPort);
    }

    /** Whether the link's PSYNC must carry FAILOVER. */
    boolean inProgress() {
        return state == State.IN_PROGRESS;
    }

    /** The target answered our PSYNC FAILOVER: done, or, refused, we are master again. */
    void psyncAnswered(boolean accepted) {
        if (state != State.IN_PROGRESS) {
            return;
        }
        if (accepted) {
            clear();
        } else {
            abort("Failover target rejected psync request");
        }
    }

    private void abort(String why) {
        if (targetHost != null) {
            Log.log("*", "FAILOVER to " + targetHost + ":" + targetPort + " aborted: " + why);
        } else {
            Log.log("*", "FAILOVER to any replica aborted: " + why);
        }
        if (state == State.IN_PROGRESS) {
            replication.promote();
        }
        clear();
    }

    private void clear() {
        state = State.NO_FAILOVER;
        targetHost = null;
        targetPort = 0;
        endMillis = 0;
        force = false;
        replication.server.unpauseClients();
    }

    private ReplicaLink find(String host, int port) {
        for (ReplicaLink replica : replication.replicas) {
            if (replica.ip().equalsIgnoreCase(host) && replica.listeningPort == port) {
                return replica;
            }
        }
        return null;
    }
}
