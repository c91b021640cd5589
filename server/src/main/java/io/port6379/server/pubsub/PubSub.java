// The channels and patterns clients listen on, and PUBLISH's fan-out of one message to all of them.
package io.port6379.server.pubsub;

import io.port6379.server.ServerContext;
import io.port6379.server.Slot;
import io.port6379.server.Client;
import io.port6379.server.util.Glob;
import io.port6379.datastructures.Bytes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redis's {@code pubsub.c}: a registry from each channel (or pattern, or shard channel) to the clients that
 * listen on it, and the same the other way round per client, so that both PUBLISH (channel to clients) and a
 * client's UNSUBSCRIBE or disconnection (client to channels) cost only what they touch.
 *
 * <p>Publishing never waits for a subscriber's socket: {@link #publish} encodes the message once per protocol
 * version and hands the bytes to each receiver's {@link Outbox}, which only appends them to a queue. A
 * subscriber that does not read is cut off by its outbox's limits, not by the publisher.
 *
 * <p>Thread-safety: every method runs under the execution lock. Insertion-ordered sets keep replies stable:
 * UNSUBSCRIBE without arguments lists a client's channels in the order it subscribed (Redis lists them in its
 * hash-table order, which a client cannot rely on either).
 */
public final class PubSub {

    /** The three namespaces of Redis 7: plain channels, glob patterns, and shard channels (SSUBSCRIBE). */
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

    /** What one client listens on, per kind, in subscription order. Kept on the {@link Client}. */
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

    private final Map<Kind, Map<Bytes, Set<Client>>> subscribers = new EnumMap<>(Kind.class);

    private static final Slot<PubSub> SLOT = Slot.named("pubsub");
    /** The channels, patterns and shard channels a client listens on: created on its first SUBSCRIBE. */
    private static final Slot<Subscriptions> SUBSCRIPTIONS = Slot.named("subscriptions", Subscriptions::new);

    /** Who listens on which channel or pattern on this server. */
    public static PubSub of(ServerContext server) {
        return server.get(SLOT);
    }

    public static PubSub install(ServerContext server) {
        PubSub pubSub = new PubSub();
        server.set(SLOT, pubSub);
        return pubSub;
    }

    public static Subscriptions subscriptions(Client client) {
        return client.get(SUBSCRIPTIONS);
    }

    private PubSub() {
        subscribers.put(Kind.CHANNEL, new HashMap<>());
        subscribers.put(Kind.PATTERN, new LinkedHashMap<>()); // PUBLISH walks the patterns: keep their order stable
        subscribers.put(Kind.SHARD, new HashMap<>());
    }

    // tag::subscribe[]
    /** Adds {@code client} to {@code name}'s listeners; false when it already listened. O(1). */
    public boolean subscribe(Client client, Kind kind, Bytes name) {
        if (!subscriptions(client).of(kind).add(name)) {
            return false;
        }
        client.subscribed(true);
        subscribers.get(kind).computeIfAbsent(name, n -> new LinkedHashSet<>()).add(client);
        return true;
    }

    /** Removes {@code client} from {@code name}'s listeners; false when it did not listen. O(1). */
    public boolean unsubscribe(Client client, Kind kind, Bytes name) {
        Subscriptions subscriptions = subscriptions(client);
        if (!subscriptions.of(kind).remove(name)) {
            return false;
        }
        client.subscribed(!subscriptions.isEmpty());
        Map<Bytes, Set<Client>> registry = subscribers.get(kind);
        Set<Client> listeners = registry.get(name);
        listeners.remove(client);
        if (listeners.isEmpty()) {
            registry.remove(name); // PUBSUB CHANNELS lists only channels somebody listens on
        }
        return true;
    }
    // end::subscribe[]

    /** The client went away or ran RESET: it leaves every channel, pattern and shard channel, without replies. */
    public void unsubscribeAll(Client client) {
        if (!client.isSubscribed()) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (Bytes name : List.copyOf(subscriptions(client).of(kind))) {
                unsubscribe(client, kind, name);
            }
        }
    }

    // tag::publish[]
    /**
     * PUBLISH: delivers {@code message} to the channel's subscribers, then to the subscribers of every matching
     * pattern, and returns how many deliveries were made (a client subscribed both ways counts twice, as in
     * Redis). Each delivery only appends to the receiver's outbox. O(N+M): N receivers, M patterns.
     */
    public int publish(Bytes channel, byte[] message) {
        int receivers = 0;
        Set<Client> listeners = subscribers.get(Kind.CHANNEL).get(channel);
        if (listeners != null) {
            Encoded encoded = new Encoded(Kind.CHANNEL, null, channel, message);
            for (Client client : listeners) {
                client.push(encoded.forVersion(client.respVersion()));
                receivers++;
            }
        }
        for (Map.Entry<Bytes, Set<Client>> pattern : subscribers.get(Kind.PATTERN).entrySet()) {
            if (Glob.matches(pattern.getKey().array(), channel.array(), false)) {
                Encoded encoded = new Encoded(Kind.PATTERN, pattern.getKey(), channel, message);
                for (Client client : pattern.getValue()) {
                    client.push(encoded.forVersion(client.respVersion()));
                    receivers++;
                }
            }
        }
        return receivers;
    }
    // end::publish[]

    /** SPUBLISH: a shard channel has no patterns. O(N) in its subscribers. */
    public int shardPublish(Bytes channel, byte[] message) {
        Set<Client> listeners = subscribers.get(Kind.SHARD).get(channel);
        if (listeners == null) {
            return 0;
        }
        Encoded encoded = new Encoded(Kind.SHARD, null, channel, message);
        for (Client client : listeners) {
            client.push(encoded.forVersion(client.respVersion()));
        }
        return listeners.size();
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: the names somebody listens on that match {@code pattern} (null: all). */
    public List<Bytes> active(Kind kind, byte[] pattern) {
        List<Bytes> names = new ArrayList<>();
        for (Bytes name : subscribers.get(kind).keySet()) {
            if (pattern == null || Glob.matches(pattern, name.array(), false)) {
                names.add(name);
            }
        }
        return names;
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: how many clients listen on {@code name} (patterns not counted). O(1). */
    public int listeners(Kind kind, Bytes name) {
        Set<Client> listeners = subscribers.get(kind).get(name);
        return listeners == null ? 0 : listeners.size();
    }

    /** PUBSUB NUMPAT: patterns with at least one subscriber. */
    public int patternCount() {
        return subscribers.get(Kind.PATTERN).size();
    }

    /**
     * One message, encoded at most once per protocol version however many clients receive it: RESP2 sends
     * {@code *3 message channel payload}, RESP3 the same as a push frame {@code >3}, so a RESP3 client can tell
     * it from the reply to a command it is running meanwhile.
     */
    private static final class Encoded {
        private final byte[][] parts;
        private byte[] resp2;
        private byte[] resp3;

        Encoded(Kind kind, Bytes pattern, Bytes channel, byte[] message) {
            this.parts = pattern == null
                    ? new byte[][] {kind.messageType, channel.array(), message}
                    : new byte[][] {kind.messageType, pattern.array(), channel.array(), message};
        }

        byte[] forVersion(int version) {
            if (version == 3) {
                return resp3 == null ? resp3 = encode('>') : resp3;
            }
            return resp2 == null ? resp2 = encode('*') : resp2;
        }

        private byte[] encode(char header) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            ascii(out, header + Integer.toString(parts.length) + "\r\n");
            for (byte[] part : parts) {
                ascii(out, "$" + part.length + "\r\n");
                out.writeBytes(part);
                ascii(out, "\r\n");
            }
            return out.toByteArray();
        }

        private static void ascii(ByteArrayOutputStream out, String text) {
            out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
