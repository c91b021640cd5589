// What INFO replication and ROLE say about a master or a replica, field for field as redis-server 7.0.15.
package io.port6379.server.replication;

import io.port6379.protocol.RespWriter;
import io.port6379.server.ServerContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields and their order are Redis's {@code genRedisInfoString} ("replication") and {@code roleCommand}; Sentinel
 * and client libraries parse both, so every name and format matters. Under the execution lock.
 */
public final class ReplicationReport {

    private ReplicationReport() {
    }

    // tag::info[]
    /** INFO replication's fields, in Redis's order. */
    public static Map<String, Object> info(ServerContext server) {
        Replication r = Replication.of(server);
        long now = server.clock().millis();
        long offset = r.offset();
        Map<String, Object> fields = new LinkedHashMap<>();
        MasterLink link = r.link;
        fields.put("role", r.isReplica() ? "slave" : "master");
        if (r.isReplica()) {
            fields.put("master_host", r.masterHost);
            fields.put("master_port", r.masterPort);
            boolean up = link != null && link.state() == MasterLink.State.CONNECTED;
            fields.put("master_link_status", up ? "up" : "down");
            fields.put("master_last_io_seconds_ago", up ? (now - link.lastIoMillis) / 1000 : -1);
            boolean syncing = link != null && link.state() == MasterLink.State.TRANSFER;
            fields.put("master_sync_in_progress", syncing ? 1 : 0);
            fields.put("slave_read_repl_offset", up ? link.readOffsetSinceSync() : offset);
            fields.put("slave_repl_offset", offset);
            if (syncing) {
                long total = link.transferSize;
                long read = link.transferRead;
                fields.put("master_sync_total_bytes", total);
                fields.put("master_sync_read_bytes", read);
                fields.put("master_sync_left_bytes", total - read);
                fields.put("master_sync_perc", String.format(Locale.ROOT, "%.2f", total > 0 ? 100.0 * read / total : 0.0));
                fields.put("master_sync_last_io_seconds_ago", (now - link.lastIoMillis) / 1000);
            }
            if (!up) {
                long since = link == null ? -1 : link.downSinceMillis;
                fields.put("master_link_down_since_seconds", since < 0 ? -1 : (now - since) / 1000);
            }
            fields.put("slave_priority", server.config().number("replica-priority"));
            fields.put("slave_read_only", server.config().flag("replica-read-only") ? 1 : 0);
            fields.put("replica_announced", server.config().flag("replica-announced") ? 1 : 0);
        }
        fields.put("connected_slaves", r.replicas.size());
        if (!r.isReplica()) {
            long minReplicas = server.config().number("min-replicas-to-write");
            long maxLag = server.config().number("min-replicas-max-lag");
            if (minReplicas > 0 && maxLag > 0) {
                fields.put("min_slaves_good_slaves", r.replicas.stream().filter(s -> s.state == ReplicaLink.State.ONLINE
                        && (now - s.ackMillis) / 1000 <= maxLag).count());
            }
        }
        int i = 0;
        for (ReplicaLink replica : r.replicas) {
            fields.put("slave" + i++, "ip=" + replica.ip() + ",port=" + replica.listeningPort + ",state=" + replica.state.info
                    + ",offset=" + replica.ackOffset + ",lag=" + (now - replica.ackMillis) / 1000);
        }
        fields.put("master_failover_state", r.failover.state.info);
        fields.put("master_replid", r.replid);
        fields.put("master_replid2", r.replid2);
        fields.put("master_repl_offset", offset);
        fields.put("second_repl_offset", r.secondReplOffset);
        ReplicationBacklog backlog = r.backlog;
        fields.put("repl_backlog_active", backlog == null ? 0 : 1);
        fields.put("repl_backlog_size", backlog == null ? server.config().number("repl-backlog-size") : backlog.size());
        fields.put("repl_backlog_first_byte_offset", backlog == null ? 0 : backlog.firstByteOffset());
        fields.put("repl_backlog_histlen", backlog == null ? 0 : backlog.histlen());
        return fields;
    }
    // end::info[]

    /** INFO stats' full and partial resynchronisations served. */
    public static Map<String, Object> stats(ServerContext server) {
        Replication r = Replication.of(server);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sync_full", r.syncFull);
        fields.put("sync_partial_ok", r.syncPartialOk);
        fields.put("sync_partial_err", r.syncPartialErr);
        return fields;
    }

    /** INFO's unexpected_error_replies: commands of the master's stream that answered an error here. */
    public static long unexpectedErrorReplies(ServerContext server) {
        Replication r = Replication.of(server);
        return r == null ? 0 : r.unexpectedErrorReplies;
    }

    /**
     * INFO's {@code mem_replication_backlog}, {@code mem_clients_slaves} and {@code mem_total_replication_buffers},
     * as Redis 7.0 counts its one replication buffer, shared by the backlog and the replicas: the buffer spans the
     * stream from the oldest byte still needed (by the backlog or by the replica furthest behind); up to
     * {@code repl-backlog-size} of it is the backlog's, the rest the replicas'.
     */
    public static long[] replicationMemory(ServerContext server) {
        Replication r = Replication.of(server);
        if (r == null) {
            return new long[] {0, 0, 0};
        }
        long held = r.backlog == null ? 0 : r.backlog.histlen();
        long behind = r.replicas.stream().mapToLong(replica -> replica.client.outputMemory()).max().orElse(0);
        long buffer = Math.max(held, behind);
        long backlogSize = server.config().number("repl-backlog-size");
        boolean overflow = !r.replicas.isEmpty() && buffer > backlogSize;
        return new long[] {overflow ? backlogSize : buffer, overflow ? buffer - backlogSize : 0, buffer};
    }

    // tag::role[]
    /**
     * ROLE: {@code master offset [[ip port offset] ...]} (online replicas only, the numbers of each replica as
     * strings), or {@code slave host port state offset}.
     */
    public static void role(ServerContext server, RespWriter reply) {
        Replication r = Replication.of(server);
        if (r.isReplica()) {
            MasterLink link = r.link;
            MasterLink.State state = link == null ? MasterLink.State.CONNECT : link.state();
            reply.arrayHeader(5).bulkString("slave").bulkString(r.masterHost).integer(r.masterPort).bulkString(state.role)
                    .integer(state == MasterLink.State.CONNECTED ? r.offset() : -1);
            return;
        }
        List<ReplicaLink> online = r.replicas.stream().filter(s -> s.state == ReplicaLink.State.ONLINE).toList();
        reply.arrayHeader(3).bulkString("master").integer(r.offset()).arrayHeader(online.size());
        for (ReplicaLink replica : online) {
            reply.arrayHeader(3).bulkString(replica.ip()).bulkString(Integer.toString(replica.listeningPort))
                    .bulkString(Long.toString(replica.ackOffset));
        }
    }
    // end::role[]
}
