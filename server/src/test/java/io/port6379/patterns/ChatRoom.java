// Pattern: a chat room with history. Each message is published and appended to a capped list in one transaction.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Transaction;

import java.util.List;

/**
 * Pub/sub delivers a message to whoever listens now and forgets it; a room also needs the last messages for whoever
 * joins later. {@link #say} publishes on {@code room:<name>} and appends to {@code history:<name>}, trimmed to the
 * newest {@code keep} lines, in one MULTI: a message is in both or in neither. A newcomer reads the history, then
 * subscribes on a connection of its own (a subscribed connection may run nothing else). A message published
 * between the two is missed; a stream (chapter 18) closes that gap, since a reader asks for what follows the last ID
 * it has.
 */
final class ChatRoom {

    private final Jedis redis;
    private final String channel;
    private final String history;
    private final int keep;

    ChatRoom(Jedis redis, String name, int keep) {
        this.redis = redis;
        this.channel = "room:" + name;
        this.history = "history:" + name;
        this.keep = keep;
    }

    // tag::room[]
    /** Sends a line to the room; returns how many listeners received it live. */
    long say(String who, String text) {
        String line = who + ": " + text;
        Transaction tx = redis.multi();
        tx.publish(channel, line);
        tx.rpush(history, line);
        tx.ltrim(history, -keep, -1); // negative indexes: the newest lines stay
        return (Long) tx.exec().getFirst();
    }

    /** The newest {@code n} lines, oldest first, as a newcomer reads them before listening. */
    List<String> recent(int n) {
        return redis.lrange(history, -n, -1);
    }

    /**
     * Listens on {@code connection}, which stays subscribed until {@code listener} unsubscribes: this call returns
     * only then, so it runs on a thread of its own.
     */
    void listen(Jedis connection, JedisPubSub listener) {
        connection.subscribe(listener, channel);
    }
    // end::room[]
}
