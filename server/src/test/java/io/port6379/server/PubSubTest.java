// The pub/sub registry on its own, in chapter 10's order: both directions of the books, the fan-out, the frames.
package io.port6379.server;

import io.port6379.server.pubsub.PubSub;
import io.port6379.datastructures.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PubSub} without sockets: subscribers are clients whose channel records what is pushed to them, so each
 * test sees the exact bytes a subscriber would read. Exercise 08 is graded by this class first.
 */
class PubSubTest {

    private final CommandRunner runner = new CommandRunner();
    private final PubSub pubSub = PubSub.of(runner.server);

    /** A client whose pushes are kept, as its socket would receive them. */
    private static final class Subscriber implements Client.Channel {
        final List<byte[]> frames = new ArrayList<>();

        @Override
        public void push(byte[] frame) {
            frames.add(frame);
        }

        @Override
        public void close() {
        }

        List<String> texts() {
            return frames.stream().map(f -> new String(f, StandardCharsets.ISO_8859_1)).toList();
        }
    }

    private Client subscriber(Subscriber channel) {
        Client client = new Client(runner.server.nextClientId(), runner.server, channel, "127.0.0.1:40000", "127.0.0.1:6379");
        runner.server.register(client);
        return client;
    }

    private static Bytes name(String text) {
        return Bytes.of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void subscribingTwiceToTheSameChannelCountsOnce() {
        Client client = subscriber(new Subscriber());
        assertTrue(pubSub.subscribe(client, PubSub.Kind.CHANNEL, name("news")));
        assertFalse(pubSub.subscribe(client, PubSub.Kind.CHANNEL, name("news")));
        assertEquals(1, pubSub.listeners(PubSub.Kind.CHANNEL, name("news")));
        assertEquals(List.of(name("news")), List.copyOf(PubSub.subscriptions(client).of(PubSub.Kind.CHANNEL)));
        assertTrue(client.isSubscribed());
    }

    @Test
    void theLastListenerLeavingForgetsTheChannel() {
        Client a = subscriber(new Subscriber());
        Client b = subscriber(new Subscriber());
        pubSub.subscribe(a, PubSub.Kind.CHANNEL, name("news"));
        pubSub.subscribe(b, PubSub.Kind.CHANNEL, name("news"));
        assertTrue(pubSub.unsubscribe(a, PubSub.Kind.CHANNEL, name("news")));
        assertFalse(pubSub.unsubscribe(a, PubSub.Kind.CHANNEL, name("news")));
        assertEquals(List.of(name("news")), pubSub.active(PubSub.Kind.CHANNEL, null));
        assertTrue(pubSub.unsubscribe(b, PubSub.Kind.CHANNEL, name("news")));
        assertEquals(List.of(), pubSub.active(PubSub.Kind.CHANNEL, null));
        assertEquals(0, pubSub.listeners(PubSub.Kind.CHANNEL, name("news")));
        assertFalse(b.isSubscribed());
    }

    @Test
    void publishToAChannelNobodyListensOnReachesNobody() {
        assertEquals(":0\r\n", runner.run("PUBLISH", "nobody", "hello"));
        assertEquals(0, pubSub.publish(name("nobody"), bytes("hello")));
    }

    @Test
    void publishReachesEverySubscriberOfTheChannelAndNoOther() {
        Subscriber first = new Subscriber();
        Subscriber second = new Subscriber();
        Subscriber elsewhere = new Subscriber();
        runner.runAs(subscriber(first), "SUBSCRIBE", "news");
        runner.runAs(subscriber(second), "SUBSCRIBE", "news", "sport");
        runner.runAs(subscriber(elsewhere), "SUBSCRIBE", "sport");
        assertEquals(":2\r\n", runner.run("PUBLISH", "news", "hi"));
        String frame = "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n";
        assertEquals(List.of(frame), first.texts());
        assertEquals(List.of(frame), second.texts());
        assertEquals(List.of(), elsewhere.texts());
    }

    @Test
    void patternSubscribersGetAPmessageNamingThePatternThatMatched() {
        Subscriber listener = new Subscriber();
        runner.runAs(subscriber(listener), "PSUBSCRIBE", "news.*", "sport.*");
        assertEquals(":1\r\n", runner.run("PUBLISH", "news.tech", "hi"));
        assertEquals(":0\r\n", runner.run("PUBLISH", "weather", "rain"));
        assertEquals(List.of("*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$2\r\nhi\r\n"), listener.texts());
    }

    @Test
    void aClientListeningBothWaysReceivesTwoCopiesAndCountsTwice() {
        Subscriber listener = new Subscriber();
        Client client = subscriber(listener);
        runner.runAs(client, "SUBSCRIBE", "news.tech");
        runner.runAs(client, "PSUBSCRIBE", "news.*", "*");
        assertEquals(":3\r\n", runner.run("PUBLISH", "news.tech", "hi"));
        assertEquals(List.of("*3\r\n$7\r\nmessage\r\n$9\r\nnews.tech\r\n$2\r\nhi\r\n",
                "*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$2\r\nhi\r\n",
                "*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$9\r\nnews.tech\r\n$2\r\nhi\r\n"), listener.texts());
    }

    @Test
    void aResp3SubscriberGetsPushFramesAndAResp2OneArrays() {
        Subscriber resp2 = new Subscriber();
        Subscriber resp3 = new Subscriber();
        Client modern = subscriber(resp3);
        modern.respVersion(3);
        runner.runAs(subscriber(resp2), "SUBSCRIBE", "c");
        runner.runAs(modern, "SUBSCRIBE", "c");
        runner.run("PUBLISH", "c", "m");
        assertEquals(List.of("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n"), resp2.texts());
        assertEquals(List.of(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n"), resp3.texts());
    }

    @Test
    void messagesAreBinarySafe() {
        Subscriber listener = new Subscriber();
        runner.runAs(subscriber(listener), "SUBSCRIBE", "c\r\n");
        runner.run("PUBLISH", "c\r\n", "");
        pubSub.publish(name("c\r\n"), new byte[] {0, (byte) 0xff, '\r', '\n'});
        assertEquals(List.of("*3\r\n$7\r\nmessage\r\n$3\r\nc\r\n\r\n$0\r\n\r\n",
                "*3\r\n$7\r\nmessage\r\n$3\r\nc\r\n\r\n$4\r\n\u0000\u00ff\r\n\r\n"), listener.texts());
    }

    @Test
    void oneMessageIsEncodedOncePerProtocolVersionNotPerReceiver() {
        Subscriber first = new Subscriber();
        Subscriber second = new Subscriber();
        runner.runAs(subscriber(first), "SUBSCRIBE", "c");
        runner.runAs(subscriber(second), "SUBSCRIBE", "c");
        pubSub.publish(name("c"), bytes("m"));
        assertSame(first.frames.get(0), second.frames.get(0));
    }

    @Test
    void shardChannelsAreANamespaceOfTheirOwn() {
        Subscriber shard = new Subscriber();
        Subscriber plain = new Subscriber();
        runner.runAs(subscriber(shard), "SSUBSCRIBE", "orders");
        runner.runAs(subscriber(plain), "PSUBSCRIBE", "*");
        assertEquals(":1\r\n", runner.run("SPUBLISH", "orders", "created"));
        assertEquals(":1\r\n", runner.run("PUBLISH", "orders", "created"));
        assertEquals(List.of("*3\r\n$8\r\nsmessage\r\n$6\r\norders\r\n$7\r\ncreated\r\n"), shard.texts());
        assertEquals(List.of("*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$6\r\norders\r\n$7\r\ncreated\r\n"), plain.texts());
        assertEquals(List.of(name("orders")), pubSub.active(PubSub.Kind.SHARD, null));
        assertEquals(List.of(), pubSub.active(PubSub.Kind.CHANNEL, null));
    }

    @Test
    void pubsubIntrospectionCountsChannelsListenersAndPatterns() {
        Client a = subscriber(new Subscriber());
        Client b = subscriber(new Subscriber());
        runner.runAs(a, "SUBSCRIBE", "news.tech", "news.sport", "weather");
        runner.runAs(b, "SUBSCRIBE", "news.tech");
        runner.runAs(b, "PSUBSCRIBE", "news.*", "x*");
        runner.runAs(a, "PSUBSCRIBE", "news.*");
        assertEquals(List.of("news.sport", "news.tech"), pubSub.active(PubSub.Kind.CHANNEL, bytes("news.*"))
                .stream().map(n -> new String(n.array(), StandardCharsets.ISO_8859_1)).sorted().toList());
        assertEquals(3, pubSub.active(PubSub.Kind.CHANNEL, null).size());
        assertEquals(2, pubSub.listeners(PubSub.Kind.CHANNEL, name("news.tech")));
        assertEquals(0, pubSub.listeners(PubSub.Kind.CHANNEL, name("news.*")));
        assertEquals(2, pubSub.patternCount());
        assertEquals("*4\r\n$9\r\nnews.tech\r\n:2\r\n$7\r\nweather\r\n:1\r\n",
                runner.run("PUBSUB", "NUMSUB", "news.tech", "weather"));
    }

    @Test
    void unsubscribeAllLeavesEveryChannelPatternAndShardChannel() {
        Client client = subscriber(new Subscriber());
        runner.runAs(client, "SUBSCRIBE", "a", "b");
        runner.runAs(client, "PSUBSCRIBE", "p*");
        runner.runAs(client, "SSUBSCRIBE", "s");
        pubSub.unsubscribeAll(client);
        assertFalse(client.isSubscribed());
        assertEquals(List.of(), pubSub.active(PubSub.Kind.CHANNEL, null));
        assertEquals(List.of(), pubSub.active(PubSub.Kind.SHARD, null));
        assertEquals(0, pubSub.patternCount());
        pubSub.unsubscribeAll(client); // nothing left: a no-op, as for a client that never subscribed
    }

    @Test
    void aDisconnectedSubscriberReceivesNothingMore() {
        Subscriber listener = new Subscriber();
        Client client = subscriber(listener);
        runner.runAs(client, "SUBSCRIBE", "c");
        runner.runAs(client, "PSUBSCRIBE", "*");
        runner.server.unregister(client);
        assertEquals(":0\r\n", runner.run("PUBLISH", "c", "m"));
        assertEquals(List.of(), listener.texts());
        assertEquals(":0\r\n", runner.run("PUBSUB", "NUMPAT"));
    }
}
