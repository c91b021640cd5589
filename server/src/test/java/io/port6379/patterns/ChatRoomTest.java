// A room's history keeps its newest lines for newcomers; listeners receive each line live, in order.
package io.port6379.patterns;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatRoomTest {

    @RegisterExtension
    static final BothServers servers = new BothServers();

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aNewcomerReadsTheNewestLinesOldestFirst(String server) throws Exception {
        ChatRoom room = new ChatRoom(servers.fresh(server), "lobby", 3);
        assertEquals(0, room.say("ada", "hello"));
        room.say("bob", "hi ada");
        room.say("ada", "how are you?");
        room.say("bob", "fine");
        assertEquals(List.of("bob: hi ada", "ada: how are you?", "bob: fine"), room.recent(10));
        assertEquals(List.of("ada: how are you?", "bob: fine"), room.recent(2));
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {BothServers.OURS, BothServers.REDIS})
    void aListenerReceivesEachLineLiveAndTheLineIsKeptToo(String server) throws Exception {
        ChatRoom room = new ChatRoom(servers.fresh(server), "lobby", 100);
        Jedis listening = servers.connect(server);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                received.add(message);
                if (message.endsWith("bye")) {
                    unsubscribe();
                }
            }
        };
        Thread thread = Thread.ofVirtual().start(() -> room.listen(listening, listener));
        assertTrue(subscribed.await(5, TimeUnit.SECONDS));
        assertEquals(1, room.say("ada", "hello"));
        assertEquals(1, room.say("ada", "bye"));
        assertEquals("ada: hello", received.poll(5, TimeUnit.SECONDS));
        assertEquals("ada: bye", received.poll(5, TimeUnit.SECONDS));
        thread.join(5_000);
        assertEquals(List.of("ada: hello", "ada: bye"), room.recent(10));
    }
}
