// Pattern: a social timeline. Fan-out on write: a post's id is pushed onto every follower's capped list.
package io.port6379.patterns;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A timeline is read far more often than it is written, so the work goes to the write. {@code followers:<user>} is
 * the set of a user's followers; a post is the hash {@code post:<id>}, its id taken from the counter
 * {@code post:next}; posting pushes the id onto {@code timeline:<follower>} of each follower (and of the author) and
 * trims each list to the newest {@code length} ids. Reading a timeline is then one LRANGE and one HGETALL per post,
 * sent as a pipeline.
 */
final class Timeline {

    /** A post as a reader sees it. */
    record Post(long id, String author, String text) {
    }

    private final Jedis redis;
    private final int length;

    /** Timelines keep the newest {@code length} posts. */
    Timeline(Jedis redis, int length) {
        this.redis = redis;
        this.length = length;
    }

    /** {@code follower} now sees {@code author}'s posts, from the next one on. */
    void follow(String follower, String author) {
        redis.sadd("followers:" + author, follower);
    }

    // tag::post[]
    /**
     * Stores the post and fans its id out to the author's followers. The pushes and trims go in one MULTI, so that
     * no reader sees a list pushed but not yet trimmed. O(F) for F followers: the cost a celebrity's post pays.
     */
    long post(String author, String text) {
        long id = redis.incr("post:next");
        List<String> readers = new ArrayList<>(redis.smembers("followers:" + author));
        readers.add(author);
        Transaction tx = redis.multi();
        tx.hset("post:" + id, Map.of("author", author, "text", text));
        for (String reader : readers) {
            tx.lpush("timeline:" + reader, Long.toString(id));
            tx.ltrim("timeline:" + reader, 0, length - 1); // the oldest fall off the end
        }
        tx.exec();
        return id;
    }

    /** The newest {@code n} posts of {@code user}'s timeline, newest first: one round trip for all of them. */
    List<Post> read(String user, int n) {
        List<String> ids = redis.lrange("timeline:" + user, 0, n - 1);
        Pipeline pipeline = redis.pipelined();
        List<Response<Map<String, String>>> posts = ids.stream().map(id -> pipeline.hgetAll("post:" + id)).toList();
        pipeline.sync();
        List<Post> timeline = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> post = posts.get(i).get();
            timeline.add(new Post(Long.parseLong(ids.get(i)), post.get("author"), post.get("text")));
        }
        return timeline;
    }
    // end::post[]
}
