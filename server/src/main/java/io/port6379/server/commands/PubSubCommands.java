// The pub/sub family: SUBSCRIBE and friends, PUBLISH, SPUBLISH and PUBSUB's introspection subcommands.
package io.port6379.server.commands;

import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.CommandTable;
import io.port6379.server.cluster.Cluster;
import io.port6379.server.pubsub.PubSub;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.util.List;


/**
 * SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH and PUBSUB CHANNELS /
 * NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP, as a non-cluster Redis 7 answers them. The registry is
 * {@link PubSub}; delivery is the receivers' {@link Outbox}.
 */
public final class PubSubCommands {


    private PubSubCommands() {
    }

    // tag::subscribeCommand[]
    /** (P|S)SUBSCRIBE name [name ...] — one confirmation per name: kind, name, and the client's count after it. */
    static void subscribe(Client client, byte[][] args, RespWriter reply, PubSub.Kind kind) {
        PubSub pubSub = PubSub.of(client.server());
        for (int i = 1; i < args.length; i++) {
            Bytes name = Bytes.of(args[i]);
            pubSub.subscribe(client, kind, name);
            confirm(client, reply, kind.subscribeReply, name, kind);
        }
    }

    /**
     * (P|S)UNSUBSCRIBE [name ...] — without names, from everything of that kind, one reply per name; when there
     * was nothing, still one reply, with a nil name and a count of 0.
     */
    static void unsubscribe(Client client, byte[][] args, RespWriter reply, PubSub.Kind kind) {
        PubSub pubSub = PubSub.of(client.server());
        List<Bytes> names = args.length > 1 ? names(args) : List.copyOf(PubSub.subscriptions(client).of(kind));
        if (names.isEmpty()) {
            confirm(client, reply, kind.unsubscribeReply, null, kind);
        }
        for (Bytes name : names) {
            pubSub.unsubscribe(client, kind, name);
            confirm(client, reply, kind.unsubscribeReply, name, kind);
        }
    }

    private static void confirm(Client client, RespWriter reply, String type, Bytes name, PubSub.Kind kind) {
        reply.pushHeader(3).bulkString(type);
        if (name == null) {
            reply.nullBulkString();
        } else {
            reply.bulkString(name.array());
        }
        reply.integer(PubSub.subscriptions(client).count(kind));
    }
    // end::subscribeCommand[]

    /** PUBLISH channel message — the number of clients that received it. */
    static void publish(Client client, byte[][] args, RespWriter reply) {
        reply.integer(PubSub.of(client.server()).publish(Bytes.of(args[1]), args[2]));
        propagate(client, args, false);
    }

    /** In cluster mode the message also goes over the cluster bus: to every node, or to the shard's nodes. */
    private static void propagate(Client client, byte[][] args, boolean sharded) {
        Cluster cluster = Cluster.of(client.server());
        if (cluster != null && cluster.bus() != null) {
            cluster.bus().publish(args[1], args[2], sharded);
        }
    }

    /** SPUBLISH shardchannel message — in a server without cluster, a publish to a namespace of its own. */
    static void spublish(Client client, byte[][] args, RespWriter reply) {
        reply.integer(PubSub.of(client.server()).shardPublish(Bytes.of(args[1]), args[2]));
        propagate(client, args, true);
    }

    /** PUBSUB CHANNELS [pattern] and SHARDCHANNELS [pattern]: the names with at least one subscriber. */
    static void channels(Client client, byte[][] args, RespWriter reply, PubSub.Kind kind) {
        if (args.length > 3) {
            throw new RedisException("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
                    + "'. Try PUBSUB HELP.");
        }
        List<Bytes> names = PubSub.of(client.server()).active(kind, args.length == 3 ? args[2] : null);
        reply.arrayHeader(names.size());
        names.forEach(name -> reply.bulkString(name.array()));
    }

    /** PUBSUB NUMSUB [channel ...] and SHARDNUMSUB: channel, count, channel, count... (a flat array in RESP3 too). */
    static void numsub(Client client, byte[][] args, RespWriter reply, PubSub.Kind kind) {
        reply.arrayHeader((args.length - 2) * 2);
        for (int i = 2; i < args.length; i++) {
            reply.bulkString(args[i]).integer(PubSub.of(client.server()).listeners(kind, Bytes.of(args[i])));
        }
    }

    static void help(Client client, byte[][] args, RespWriter reply) {
        Replies.help(reply, "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)");
    }

    private static List<Bytes> names(byte[][] args) {
        Bytes[] names = new Bytes[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            names[i - 1] = Bytes.of(args[i]);
        }
        return List.of(names);
    }

    /** Binds this family's code to its commands, described in {@code commands/*.json}. */
    public static void registerAll(CommandTable table) {
        table.handle("subscribe", (client, args, reply) -> subscribe(client, args, reply, PubSub.Kind.CHANNEL));
        table.handle("unsubscribe", (client, args, reply) -> unsubscribe(client, args, reply, PubSub.Kind.CHANNEL));
        table.handle("psubscribe", (client, args, reply) -> subscribe(client, args, reply, PubSub.Kind.PATTERN));
        table.handle("punsubscribe", (client, args, reply) -> unsubscribe(client, args, reply, PubSub.Kind.PATTERN));
        table.handle("ssubscribe", (client, args, reply) -> subscribe(client, args, reply, PubSub.Kind.SHARD));
        table.handle("sunsubscribe", (client, args, reply) -> unsubscribe(client, args, reply, PubSub.Kind.SHARD));
        table.handle("publish", PubSubCommands::publish);
        table.handle("spublish", PubSubCommands::spublish);
        table.handle("pubsub|channels", (client, args, reply) -> channels(client, args, reply, PubSub.Kind.CHANNEL));
        table.handle("pubsub|numsub", (client, args, reply) -> numsub(client, args, reply, PubSub.Kind.CHANNEL));
        table.handle("pubsub|numpat", (client, args, reply) -> reply.integer(PubSub.of(client.server()).patternCount()));
        table.handle("pubsub|shardchannels", (client, args, reply) -> channels(client, args, reply, PubSub.Kind.SHARD));
        table.handle("pubsub|shardnumsub", (client, args, reply) -> numsub(client, args, reply, PubSub.Kind.SHARD));
        table.handle("pubsub|help", PubSubCommands::help);
    }
}
