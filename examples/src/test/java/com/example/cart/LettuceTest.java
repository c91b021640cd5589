// Lettuce in RESP3 against a server per test: pub/sub and a transaction, as a Lettuce-based project would test them.
package com.example.cart;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.port6379.junit.Port6379;
import io.port6379.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

// tag::lettuce[]
@Port6379(lifecycle = Port6379.Lifecycle.PER_METHOD, config = "notify-keyspace-events KEA")
class LettuceTest {

    @Test
    void aKeyspaceNotificationArrivesForEveryWrite(EmbeddedServer server) throws InterruptedException {
        RedisClient client = RedisClient.create(server.uri().toString());
        try (StatefulRedisPubSubConnection<String, String> events = client.connectPubSub();
             StatefulRedisConnection<String, String> connection = client.connect()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            events.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    received.add(channel + " " + message);
                }
            });
            events.sync().psubscribe("__keyevent@0__:*");
            connection.sync().set("greeting", "hello");
            assertEquals("__keyevent@0__:set greeting", received.poll(5, TimeUnit.SECONDS));
        } finally {
            client.shutdown();
        }
    }
    // end::lettuce[]

    @Test
    void aTransactionRunsItsCommandsTogether(EmbeddedServer server) {
        RedisClient client = RedisClient.create(server.uri().toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.multi();
            redis.incr("visits");
            redis.incr("visits");
            TransactionResult result = redis.exec();
            assertEquals(2L, (Long) result.get(1));
            assertEquals("2", redis.get("visits"));
        } finally {
            client.shutdown();
        }
    }
}
