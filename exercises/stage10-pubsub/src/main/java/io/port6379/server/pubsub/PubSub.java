// Exercise 08: your pub/sub registry. It replaces the reference io.port6379.server.pubsub.PubSub.
// Check it with `exercises/check 10`; talk to it with `exercises/run-server 10 --port 6380` and redis-cli.
package io.port6379.server.pubsub;

import io.port6379.datastructures.Bytes;
import io.port6379.server.Client;
import io.port6379.server.ServerContext;
import io.port6379.server.Slot;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redis's {@code pubsub.c}: who listens on which channel, pattern or shard channel, and PUBLISH's fan-out.
 * {@link PubSubCommands} parses the commands and writes the confirmations; this class only keeps the books and
 * delivers messages. Every method runs under the execution lock, so plain collections do.
 *
 * <p>Given: {@link Kind} (the three namespaces and the words their frames use) and {@link Subscriptions} (what
 * one client listens on; {@link #subscriptions} finds it, {@code client.subscribed(...)} sets the client's flag and
 * {@code client.isSubscribed()} reads it). What to build, in the order {@code PubSubTest} checks it:
 * <ol>
 *   <li>The registry, in both directions: a map per {@link Kind} from each name to the clients listening on
 *       it, and {@code subscriptions(client).of(kind)} for the way back. {@link #subscribe} and
 *       {@link #unsubscribe} change both together; a name whose last listener leaves is removed from the map,
 *       so that PUBSUB CHANNELS lists only names somebody listens on.</li>
 *   <li>{@link #publish}: the channel's listeners, then every pattern that matches the channel
 *       ({@code Glob.matches(pattern, channel, false)}, as KEYS matches). Each delivery is
 *       {@code client.push(frame)}, which only queues the bytes in the client's outbox, never waits.</li>
 *   <li>The frames, byte for byte as Redis sends them: {@code *3\r\n$7\r\nmessage\r\n$<n>\r\n<channel>\r\n
 *       $<n>\r\n<message>\r\n} for a channel subscriber and {@code *4 pmessage <pattern> <channel> <message>}
 *       for a pattern subscriber, under RESP2; under RESP3 ({@code client.respVersion() == 3}) the same with
 *       {@code >} instead of {@code *} (a push frame). Encode each frame once per protocol version, not once
 *       per receiver: a thousand subscribers can share one array.</li>
 *   <li>The PUBSUB introspection ({@link #active}, {@link #listeners}, {@link #patternCount}), shard channels
 *       ({@link #shardPublish}), and {@link #unsubscribeAll} for RESET and disconnections.</li>
 * </ol>
 * Tests: server/src/test/java/io/port6379/server/PubSubTest.java, PubSubCommandsTest.java and
 * PubSubClientsTest.java (real clients over sockets: Jedis, Lettuce in RESP3, redis-cli).
 * The reference solution is server/src/main/java/io/port6379/server/pubsub/PubSub.java.
 */
public final class PubSub {

    /** The three namespaces of Redis 7: plain channels, glob patterns, and shard channels (SSUBSCRIBE). Given. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        public final String subscribeReply;
        public final String unsubscribeReply;
        final byte[] messageType;

        Kind(String subscribeReply, String unsubscribeReply, String messageType) {
            this.subscribeReply = subscribeReply;
            this.unsubscribeReply = unsubscribeReply;
            this.messageType = messageType.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** What one client listens on, per kind, in subscription order. Kept on the {@link Client}. Given. */
    public static final class Subscriptions {
        private final Map<Kind, Set<Bytes>> byKind = new EnumMap<>(Kind.class);

        public Subscriptions() {
            for (Kind kind : Kind.values()) {
                byKind.put(kind, new LinkedHashSet<>());
            }
        }

        public Set<Bytes> of(Kind kind) {
            return byKind.get(kind);
        }

        /**
         * The number a (un)subscribe reply carries: channels plus patterns, or shard channels alone, as Redis 7
         * counts them.
         */
        public int count(Kind kind) {
            return kind == Kind.SHARD ? of(Kind.SHARD).size() : of(Kind.CHANNEL).size() + of(Kind.PATTERN).size();
        }

        /** Whether the client listens on nothing: then it leaves subscribed mode. */
        public boolean isEmpty() {
            return of(Kind.CHANNEL).isEmpty() && of(Kind.PATTERN).isEmpty() && of(Kind.SHARD).isEmpty();
        }
    }

    private static final Slot<PubSub> SLOT = Slot.named("pubsub");
    /** The channels, patterns and shard channels a client listens on: created on its first SUBSCRIBE. Given. */
    private static final Slot<Subscriptions> SUBSCRIPTIONS = Slot.named("subscriptions", Subscriptions::new);

    /** The server's registry. Given. */
    public static PubSub of(ServerContext server) {
        return server.get(SLOT);
    }

    /** The composition root makes the registry. Given. */
    public static PubSub install(ServerContext server) {
        PubSub pubSub = new PubSub();
        server.set(SLOT, pubSub);
        return pubSub;
    }

    /** What {@code client} listens on. Given. */
    public static Subscriptions subscriptions(Client client) {
        return client.get(SUBSCRIPTIONS);
    }

    private PubSub() {
        // Hint: one map per Kind from name (Bytes) to its listeners (a Set<Client>). Keep the patterns in an
        // insertion-ordered map (LinkedHashMap): PUBLISH walks them, and a stable order keeps replies stable.
    }

    /** Adds {@code client} to {@code name}'s listeners; false when it already listened. O(1). */
    public boolean subscribe(Client client, Kind kind, Bytes name) {
        // Hint: subscriptions(client).of(kind).add(name) tells you whether it is new; only then touch the map,
        // and mark the client subscribed: client.subscribed(true).
        throw new UnsupportedOperationException("exercise 10: subscribe(): add the client to the name's listeners and the name to the client's subscriptions");
    }

    /** Removes {@code client} from {@code name}'s listeners; false when it did not listen. O(1). */
    public boolean unsubscribe(Client client, Kind kind, Bytes name) {
        // Hint: the mirror of subscribe; remove the name from the map when its last listener leaves, and
        // client.subscribed(!subscriptions(client).isEmpty()).
        throw new UnsupportedOperationException("exercise 10: unsubscribe(): remove both directions, and the name when nobody listens any more");
    }

    /** The client went away or ran RESET: it leaves every channel, pattern and shard channel, without replies. */
    public void unsubscribeAll(Client client) {
        // Hint: return at once when !client.isSubscribed() (most clients never subscribe); otherwise unsubscribe
        // from a copy of each set (List.copyOf), since unsubscribe changes the set you walk.
        throw new UnsupportedOperationException("exercise 10: unsubscribeAll(): leave every name of every kind");
    }

    /**
     * PUBLISH: delivers {@code message} to the channel's subscribers, then to the subscribers of every matching
     * pattern, and returns how many deliveries were made (a client subscribed both ways counts twice, as in
     * Redis). Each delivery only appends to the receiver's outbox. O(N+M): N receivers, M patterns.
     */
    public int publish(Bytes channel, byte[] message) {
        // Hint: client.push(frame) with the frame for client.respVersion(); Kind.CHANNEL.messageType is "message".
        throw new UnsupportedOperationException("exercise 10: publish(): push a message frame to each listener of the channel and of every matching pattern");
    }

    /** SPUBLISH: a shard channel has no patterns. O(N) in its subscribers. */
    public int shardPublish(Bytes channel, byte[] message) {
        throw new UnsupportedOperationException("exercise 10: shardPublish(): like publish, with smessage frames and no patterns");
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: the names somebody listens on that match {@code pattern} (null: all). */
    public List<Bytes> active(Kind kind, byte[] pattern) {
        throw new UnsupportedOperationException("exercise 10: active(): the names of that kind, filtered by Glob.matches when a pattern is given");
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: how many clients listen on {@code name} (patterns not counted). O(1). */
    public int listeners(Kind kind, Bytes name) {
        throw new UnsupportedOperationException("exercise 10: listeners(): the size of the name's listener set, 0 when nobody listens");
    }

    /** PUBSUB NUMPAT: patterns with at least one subscriber. */
    public int patternCount() {
        throw new UnsupportedOperationException("exercise 10: patternCount(): how many patterns are in the registry");
    }
}
