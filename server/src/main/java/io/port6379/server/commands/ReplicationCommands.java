// The replication family: REPLICAOF/SLAVEOF, SYNC, PSYNC, REPLCONF, ROLE, WAIT, FAILOVER.
package io.port6379.server.commands;

import io.port6379.server.cluster.Cluster;
import io.port6379.datastructures.RedisException;
import io.port6379.datastructures.RedisNumbers;
import io.port6379.protocol.RespWriter;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.replication.Replication;
import io.port6379.server.replication.ReplicationReport;
import io.port6379.server.util.Args;
import io.port6379.server.util.Log;
import io.port6379.server.util.Replies;

/**
 * The commands an operator, a replica or Sentinel sends to make and watch replicas. The protocol itself (the
 * handshake, the backlog, the full and partial resynchronisations) lives in the {@code replication} package; these
 * handlers parse arguments and write replies as Redis's {@code replication.c} does.
 */
public final class ReplicationCommands {

    private ReplicationCommands() {
    }

    // tag::replicaof[]
    /** REPLICAOF host port | NO ONE (and its old name SLAVEOF). */
    static void replicaOf(Client client, byte[][] args, RespWriter reply) {
        if (Cluster.enabled(client.server())) { // a cluster node replicates what CLUSTER REPLICATE names
            throw new RedisException("ERR REPLICAOF not allowed in cluster mode.");
        }
        if (client.isReplica()) {
            throw new RedisException("ERR Command is not valid when client is a replica.");
        }
        Replication replication = Replication.of(client.server());
        if (replication.failingOver()) {
            throw new RedisException("ERR REPLICAOF not allowed while failing over.");
        }
        if (Args.is(args[1], "no") && Args.is(args[2], "one")) {
            if (replication.masterHostOrNull() != null) {
                replication.promote();
                Log.log("*", "MASTER MODE enabled (user request from '" + client.describe(client) + "')");
            }
            Replies.ok(reply);
            return;
        }
        long port = RedisNumbers.isLong(args[2]) ? RedisNumbers.parseLong(args[2]) : -1;
        if (port < 0 || port > 65535) {
            throw new RedisException("ERR Invalid master port");
        }
        String host = Args.text(args[1]);
        if (replication.follows(host, (int) port)) {
            Log.log("*", "REPLICAOF would result into synchronization with the master we are already connected with. "
                    + "No operation performed.");
            reply.simpleString("OK Already connected to specified master");
            return;
        }
        replication.replicaOf(host, (int) port);
        Log.log("*", "REPLICAOF " + host + ":" + port + " enabled (user request from '" + client.describe(client) + "')");
        Replies.ok(reply);
    }
    // end::replicaof[]

    /** SYNC, and PSYNC replid offset: this connection becomes a replica's. */
    static void sync(Client client, byte[][] args, RespWriter reply) {
        if (args.length == 3 && !RedisNumbers.isLong(args[2])) {
            throw new RedisException("ERR value is not an integer or out of range");
        }
        Replication.of(client.server()).sync(client, args);
    }

    static void replconf(Client client, byte[][] args, RespWriter reply) {
        Replication.of(client.server()).replconf(client, args, reply);
    }

    static void role(Client client, byte[][] args, RespWriter reply) {
        ReplicationReport.role(client.server(), reply);
    }

    /** FAILOVER [TO host port [FORCE]] [TIMEOUT milliseconds] | FAILOVER ABORT, parsed as Redis's failoverCommand. */
    static void failover(Client client, byte[][] args, RespWriter reply) {
        if (Cluster.enabled(client.server())) {
            throw new RedisException("ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.");
        }
        boolean abort = args.length == 2 && Args.is(args[1], "abort");
        long timeout = 0;
        long port = 0;
        String host = null;
        boolean force = false;
        for (int j = 1; j < args.length && !abort; j++) {
            if (Args.is(args[j], "timeout") && j + 1 < args.length && timeout == 0) {
                timeout = Args.parseLong(args[j + 1]);
                if (timeout <= 0) {
                    throw new RedisException("ERR FAILOVER timeout must be greater than 0");
                }
                j++;
            } else if (Args.is(args[j], "to") && j + 2 < args.length && host == null) {
                port = Args.parseLong(args[j + 2]);
                host = Args.text(args[j + 1]);
                j += 2;
            } else if (Args.is(args[j], "force") && !force) {
                force = true;
            } else {
                throw new RedisException("ERR syntax error");
            }
        }
        Replication.of(client.server()).failover(host, port, timeout, force, abort);
        Replies.ok(reply);
    }

    // tag::wait[]
    /** WAIT numreplicas timeout: how many replicas acknowledged this client's writes, waiting up to the timeout. */
    static void waitCommand(Client client, byte[][] args, RespWriter reply) {
        long replicas = Args.parseLong(args[1]);
        if (!RedisNumbers.isLong(args[2])) {
            throw new RedisException("ERR timeout is not an integer or out of range");
        }
        long timeout = RedisNumbers.parseLong(args[2]);
        if (timeout < 0) {
            throw new RedisException("ERR timeout is negative");
        }
        Replication.of(client.server()).waitForReplicas(client, replicas, timeout, reply);
    }
    // end::wait[]

    public static void registerAll(CommandTable table) {
        table.handle("replicaof", ReplicationCommands::replicaOf);
        table.handle("slaveof", ReplicationCommands::replicaOf);
        table.handle("sync", ReplicationCommands::sync);
        table.handle("psync", ReplicationCommands::sync);
        table.handle("replconf", ReplicationCommands::replconf);
        table.handle("role", ReplicationCommands::role);
        table.handle("wait", ReplicationCommands::waitCommand);
        table.handle("failover", ReplicationCommands::failover);
    }
}
