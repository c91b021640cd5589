// Redis's subscribed mode, as the kernel sees it: what a subscribed connection may run, and leaving every channel.
package io.port6379.server.pubsub;

import io.port6379.datastructures.Bytes;
import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.server.Concerns;

import java.util.Set;

/** The rules about a client's {@link PubSub.Subscriptions} that the dispatcher, RESET and CLIENT LIST need. */
public final class SubscribedMode implements Concerns.Subscriptions {

    /** What a RESP2 client may still run while it is subscribed (Redis's processCommand lists the same). */
    private static final Set<String> ALLOWED_WHEN_SUBSCRIBED = Set.of("subscribe", "ssubscribe", "psubscribe",
            "unsubscribe", "sunsubscribe", "punsubscribe", "ping", "quit", "reset");

    // tag::refusal[]
    /**
     * The dispatcher's check before running {@code command}: a RESP2 connection that is subscribed can only
     * read messages and (un)subscribe, since any other reply would be mixed up with the messages. RESP3 marks
     * messages as push frames, so there a subscribed client may run anything. Returns Redis's error, or null.
     */
    @Override
    public String refusal(Client client, Command command) {
        if (!client.isSubscribed() || client.respVersion() != 2) {
            return null;
        }
        String name = command.name();
        int bar = name.indexOf('|');
        if (ALLOWED_WHEN_SUBSCRIBED.contains(bar < 0 ? name : name.substring(0, bar))) {
            return null;
        }
        return "ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context";
    }
    // end::refusal[]

    /** RESET and disconnection: leave every channel, pattern and shard channel without replies. */
    @Override
    public void reset(Client client) {
        PubSub.of(client.server()).unsubscribeAll(client);
    }

    @Override
    public String counts(Client client) {
        if (!client.isSubscribed()) {
            return "sub=0 psub=0 ssub=0";
        }
        PubSub.Subscriptions subscriptions = PubSub.subscriptions(client);
        return "sub=" + subscriptions.of(PubSub.Kind.CHANNEL).size() + " psub=" + subscriptions.of(PubSub.Kind.PATTERN).size()
                + " ssub=" + subscriptions.of(PubSub.Kind.SHARD).size();
    }

    @Override
    public boolean allAllowed(Client client, Concerns.ChannelRule allowed) {
        PubSub.Subscriptions subscriptions = PubSub.subscriptions(client);
        for (PubSub.Kind kind : PubSub.Kind.values()) {
            for (Bytes name : subscriptions.of(kind)) {
                if (!allowed.allows(name.array(), kind == PubSub.Kind.PATTERN)) {
                    return false;
                }
            }
        }
        return true;
    }
}
