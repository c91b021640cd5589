// The pub/sub family: SUBSCRIBE and friends, PUBLISH, SPUBLISH and PUBSUB's introspection subcommands.
package io.port6379.server.commands;

import io.port6379.server.util.Args;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.CommandFlag;
import io.port6379.server.CommandTable;
import io.port6379.server.pubsub.PubSub;
import io.port6379.server.util.Replies;
import io.port6379.datastructures.Bytes;
import io.port6379.datastructures.RedisException;
import io.port6379.protocol.RespWriter;

import java.util.List;

import static io.port6379.server.AclCategory.PUBSUB;
import static io.port6379.server.CommandFlag.FAST;
import static io.port6379.server.CommandFlag.LOADING;
import static io.port6379.server.CommandFlag.NOSCRIPT;
import static io.port6379.server.CommandFlag.STALE;

/**
 * SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH and PUBSUB CHANNELS /
 * NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP, as a non-cluster Redis 7 answers them. The registry is
 * {@link PubSub}; delivery is the receivers' {@link Outbox}.
 */
public final class PubSubCommands {


    private PubSubCommands() {
    }

    public static void registerAll(CommandTable table) {
        table.register(subscriber("subscribe", -2, PubSub.Kind.CHANNEL,
                "Listen for messages published to the given channels", "2.0.0",
                "O(N) where N is the number of channels to subscribe to."));
        table.register(unsubscriber("unsubscribe", PubSub.Kind.CHANNEL,
                "Stop listening for messages posted to the given channels", "2.0.0",
                "O(N) where N is the number of clients already subscribed to a channel."));
        table.register(subscriber("psubscribe", -2, PubSub.Kind.PATTERN,
                "Listen for messages published to channels matching the given patterns", "2.0.0",
                "O(N) where N is the number of patterns the client is already subscribed to."));
        table.register(unsubscriber("punsubscribe", PubSub.Kind.PATTERN,
                "Stop listening for messages posted to channels matching the given patterns", "2.0.0",
                "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client)."));
        table.register(Command.named("ssubscribe", -2).flags(CommandFlag.PUBSUB, NOSCRIPT, LOADING, STALE).acl(PUBSUB)
                .keys(1, -1, 1, "not_key")
                .doc("Listen for messages published to the given shard channels", "7.0.0", "pubsub",
                        "O(N) where N is the number of shard channels to subscribe to.")
                .handler((client, args, reply) -> subscribe(client, args, reply, PubSub.Kind.SHARD)));
        table.register(Command.named("sunsubscribe", -1).flags(CommandFlag.PUBSUB, NOSCRIPT, LOADING, STALE).acl(PUBSUB)
                .keys(1, -1, 1, "not_key")
                .doc("Stop listening for messages posted to the given shard channels", "7.0.0", "pubsub",
                        "O(N) where N is the number of clients already subscribed to a shard channel.")
                .handler((client, args, reply) -> unsubscribe(client, args, reply, PubSub.Kind.SHARD)));
        table.register(Command.named("publish", 3).flags(CommandFlag.PUBSUB, LOADING, STALE, FAST).acl(PUBSUB)
                .doc("Post a message to a channel", "2.0.0", "pubsub",
                        "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).")
                .handler(PubSubCommands::publish));
        table.register(Command.named("spublish", 3).flags(CommandFlag.PUBSUB, LOADING, STALE, FAST).acl(PUBSUB)
                .keys(1, 1, 1, "not_key")
                .doc("Post a message to a shard channel", "7.0.0", "pubsub",
                        "O(N) where N is the number of clients subscribed to the receiving shard channel.")
                .handler(PubSubCommands::spublish));
        table.register(Command.named("pubsub", -2).doc("A container for Pub/Sub commands", "2.8.0", "pubsub", "Depends on subcommand.")
                .subcommands(
                        introspection("pubsub|channels", -2, "Lists active channels", "2.8.0",
                                "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)")
                                .handler((client, args, reply) -> channels(client, args, reply, PubSub.Kind.CHANNEL)),
                        introspection("pubsub|numsub", -2, "Get the count of subscribers for channels", "2.8.0",
                                "O(N) for the NUMSUB subcommand, where N is the number of requested channels")
                                .handler((client, args, reply) -> numsub(client, args, reply, PubSub.Kind.CHANNEL)),
                        introspection("pubsub|numpat", 2, "Get the count of unique patterns pattern subscriptions", "2.8.0", "O(1)")
                                .handler((client, args, reply) -> reply.integer(PubSub.of(client.server()).patternCount())),
                        introspection("pubsub|shardchannels", -2, "List active shard channels", "7.0.0",
                                "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).")
                                .handler((client, args, reply) -> channels(client, args, reply, PubSub.Kind.SHARD)),
                        introspection("pubsub|shardnumsub", -2, "Get the count of subscribers for shard channels", "7.0.0",
                                "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels")
                                .handler((client, args, reply) -> numsub(client, args, reply, PubSub.Kind.SHARD)),
                        Command.named("pubsub|help", 2).flags(LOADING, STALE)
                                .doc("Show helpful text about the different subcommands", "6.2.0", "pubsub", "O(1)")
                                .handler(PubSubCommands::help)));
    }

    private static Command subscriber(String name, int arity, PubSub.Kind kind, String summary, String since, String complexity) {
        return Command.named(name, arity).flags(CommandFlag.PUBSUB, NOSCRIPT, LOADING, STALE).acl(PUBSUB)
                .doc(summary, since, "pubsub", complexity)
                .handler((client, args, reply) -> subscribe(client, args, reply, kind));
    }

    private static Command unsubscriber(String name, PubSub.Kind kind, String summary, String since, String complexity) {
        return Command.named(name, -1).flags(CommandFlag.PUBSUB, NOSCRIPT, LOADING, STALE).acl(PUBSUB)
                .doc(summary, since, "pubsub", complexity)
                .handler((client, args, reply) -> unsubscribe(client, args, reply, kind));
    }

    private static Command.Builder introspection(String name, int arity, String summary, String since, String complexity) {
        return Command.named(name, arity).flags(CommandFlag.PUBSUB, LOADING, STALE).acl(PUBSUB)
                .doc(summary, since, "pubsub", complexity);
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
    }

    /** SPUBLISH shardchannel message — in a server without cluster, a publish to a namespace of its own. */
    static void spublish(Client client, byte[][] args, RespWriter reply) {
        reply.integer(PubSub.of(client.server()).shardPublish(Bytes.of(args[1]), args[2]));
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
}
