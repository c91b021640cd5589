// The composition root: the one place where the kernel, the concerns and the command families are put together.
package io.port6379.server.main;

import io.port6379.server.cluster.Cluster;
import io.port6379.server.cluster.ClusterBusServer;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.Clock;
import io.port6379.server.CommandTable;
import io.port6379.server.ServerContext;
import io.port6379.server.commands.AclCommands;
import io.port6379.server.commands.AofCommands;
import io.port6379.server.commands.BitmapCommands;
import io.port6379.server.commands.ClientCommands;
import io.port6379.server.commands.CommandCommands;
import io.port6379.server.commands.DumpCommands;
import io.port6379.server.commands.GeoCommands;
import io.port6379.server.commands.ConfigCommands;
import io.port6379.server.commands.ConnectionCommands;
import io.port6379.server.commands.DebugCommands;
import io.port6379.server.commands.HashCommands;
import io.port6379.server.commands.HyperLogLogCommands;
import io.port6379.server.commands.IntrospectionCommands;
import io.port6379.server.commands.KeyCommands;
import io.port6379.server.commands.ListCommands;
import io.port6379.server.commands.MemoryCommands;
import io.port6379.server.commands.MigrateCommands;
import io.port6379.server.commands.PersistenceCommands;
import io.port6379.server.commands.PubSubCommands;
import io.port6379.server.commands.FunctionCommands;
import io.port6379.server.commands.ClusterCommands;
import io.port6379.server.commands.ReplicationCommands;
import io.port6379.server.commands.ScriptingCommands;
import io.port6379.server.commands.ServerCommands;
import io.port6379.server.commands.SetCommands;
import io.port6379.server.commands.SortCommands;
import io.port6379.server.commands.SortedSetCommands;
import io.port6379.server.commands.StreamCommands;
import io.port6379.server.commands.StringCommands;
import io.port6379.server.commands.TransactionCommands;
import io.port6379.server.config.ServerConfig;
import io.port6379.server.network.Outgoing;
import io.port6379.server.network.RedisServer;
import io.port6379.server.persistence.DataFiles;
import io.port6379.server.eviction.Eviction;
import io.port6379.server.memcached.MemcachedListener;
import io.port6379.server.persistence.RdbSaver;
import io.port6379.server.pubsub.PubSub;
import io.port6379.server.replication.Replication;
import io.port6379.server.pubsub.SubscribedMode;
import io.port6379.server.scripting.Scripting;
import io.port6379.server.security.Acl;
import io.port6379.server.security.Gatekeeper;
import io.port6379.server.transactions.MultiExec;
import io.port6379.server.transactions.WatchedKeys;

/**
 * The kernel ({@code io.port6379.server}: connections, dispatch, the command table) knows no command family
 * and no concern; the concerns ({@code security}, {@code pubsub}, {@code transactions}, {@code persistence})
 * know the kernel; the families ({@code commands}) know both. Only this class knows everything, so it is the
 * one to read to see what a server is made of.
 */
public final class Port6379 {

    private Port6379() {
    }

    /**
     * A server without sockets: the kernel with every concern and every command in place. Tests and benchmarks
     * run commands on it with a detached client; {@link #server} puts a listener in front of it.
     */
    public static ServerContext context(ServerConfig config, Clock clock) {
        ServerContext context = new ServerContext(config, clock);
        RdbSaver.install(context);
        ConfigCommands.apply(context);
        // tag::families[]
        CommandTable table = context.commands();
        ConnectionCommands.registerAll(table);
        AclCommands.registerAll(table);
        ClientCommands.registerAll(table);
        KeyCommands.registerAll(table);
        StringCommands.registerAll(table);
        BitmapCommands.registerAll(table);
        HyperLogLogCommands.registerAll(table);
        ListCommands.registerAll(table);
        HashCommands.registerAll(table);
        SetCommands.registerAll(table);
        SortedSetCommands.registerAll(table);
        SortCommands.registerAll(table);
        GeoCommands.registerAll(table);
        StreamCommands.registerAll(table);
        PubSubCommands.registerAll(table);
        TransactionCommands.registerAll(table);
        ScriptingCommands.registerAll(table);
        FunctionCommands.registerAll(table);
        ServerCommands.registerAll(table);
        DebugCommands.registerAll(table);
        IntrospectionCommands.registerAll(table);
        ConfigCommands.registerAll(table);
        CommandCommands.registerAll(table);
        PersistenceCommands.registerAll(table);
        AofCommands.registerAll(table);
        DumpCommands.registerAll(table);
        MigrateCommands.registerAll(table);
        MemoryCommands.registerAll(table);
        ReplicationCommands.registerAll(table);
        ClusterCommands.registerAll(table);
        table.checkEveryCommandHandled();
        // end::families[]
        // tag::concerns[]
        Acl.install(context); // numbers the commands: after the table is complete, before renames (Redis's orig_commands)
        table.renameAll(config.commandRenames());
        DebugCommands.protect(context); // refused unless enable-debug-command allows it
        PubSub pubSub = PubSub.install(context);
        WatchedKeys watchedKeys = WatchedKeys.install(context);
        context.keyspaceEvents().listeners(watchedKeys::touch, pubSub::publish);
        context.concerns(new Gatekeeper(context), new SubscribedMode(), new MultiExec(), new DataFiles(context));
        Scripting.install(context);
        context.addCronTask(RdbSaver.of(context)::cron); // a scheduled BGSAVE, or one the save rules ask for
        Eviction.install(context); // maxmemory: evictions before each command, and in the cron when they run long
        Replication.install(context); // master and replica: PSYNC, the backlog, the link, READONLY, WAIT
        Cluster.install(context); // cluster-enabled yes: nodes.conf, keys by slot, MOVED/ASK before every command
        ClusterBusServer.install(context, (channel, message, sharded) -> { // the bus: gossip, failover, PUBLISH
            if (sharded) {
                pubSub.shardPublish(Bytes.of(channel), message);
            } else {
                pubSub.publish(Bytes.of(channel), message);
            }
        });
        MemcachedListener.install(context); // memcached-port: memcached's text protocol on the same keyspace
        // end::concerns[]
        context.connector(Outgoing.overTcpOnly()); // a server replaces it with one that also knows its TLS set-up
        return context;
    }

    /** The whole server: {@link #context} on the real clock, and a listener on the configured addresses. */
    public static RedisServer server(ServerConfig config) {
        return new RedisServer(context(config, Clock.SYSTEM));
    }
}
