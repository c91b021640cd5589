// Real client libraries' stream APIs against our server: Jedis, Lettuce in RESP3, and a worker pool that recovers.
package io.port6379.server;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamClientsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void jedisAddsReadsAndTrims() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.select(2);
            jedis.flushDB();
            StreamEntryID first = jedis.xadd("events", StreamEntryID.NEW_ENTRY, Map.of("type", "click"));
            StreamEntryID second = jedis.xadd("events", XAddParams.xAddParams().id(new StreamEntryID(first.getTime() + 1, 5)),
                    Map.of("type", "view"));
            assertEquals(new StreamEntryID(first.getTime() + 1, 5), second);
            assertEquals(2, jedis.xlen("events"));
            List<StreamEntry> range = jedis.xrange("events", (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(List.of(first, second), range.stream().map(StreamEntry::getID).toList());
            assertEquals(Map.of("type", "view"), jedis.xrevrange("events", (StreamEntryID) null, (StreamEntryID) null, 1)
                    .get(0).getFields());
            List<Map.Entry<String, List<StreamEntry>>> read = jedis.xread(XReadParams.xReadParams().count(1),
                    Map.of("events", first));
            assertEquals(second, read.get(0).getValue().get(0).getID());
            assertEquals(1, jedis.xdel("events", first));
            assertEquals(1, jedis.xtrim("events", 0, false));
            assertEquals(0, jedis.xlen("events"));
            assertEquals("stream", jedis.type("events"));
        }
    }

    @Test
    void lettuceInResp3UsesGroupsAndReadsXinfo() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.select(3);
            redis.flushdb();
            String id = redis.xadd("jobs", Map.of("job", "resize", "size", "64"));
            redis.xadd("jobs", Map.of("job", "crop"));
            redis.xgroupCreate(XReadArgs.StreamOffset.from("jobs", "0-0"), "workers");
            List<StreamMessage<String, String>> got = redis.xreadgroup(Consumer.from("workers", "w1"),
                    XReadArgs.Builder.count(1), XReadArgs.StreamOffset.lastConsumed("jobs"));
            assertEquals(1, got.size());
            assertEquals(id, got.get(0).getId());
            assertEquals(Map.of("job", "resize", "size", "64"), got.get(0).getBody());
            assertEquals(1, redis.xpending("jobs", "workers").getCount());
            List<StreamMessage<String, String>> claimed = redis.xclaim("jobs", Consumer.from("workers", "w2"), 0, id);
            assertEquals(id, claimed.get(0).getId());
            assertEquals(1L, redis.xack("jobs", "workers", id));
            List<Object> info = redis.xinfoStream("jobs");
            assertTrue(info.contains("entries-added"), info.toString());
            assertEquals(2L, info.get(info.indexOf("length") + 1));
        } finally {
            client.shutdown();
        }
    }

    /**
     * A work queue on a consumer group: three workers take jobs with XREADGROUP; one of them "crashes" holding
     * what it took (never acknowledges); a survivor recovers those with XAUTOCLAIM. Every job is acknowledged
     * exactly once in the end.
     */
    @Test
    void aWorkerPoolRecoversTheJobsOfACrashedWorkerWithXautoclaim() {
        try (Jedis producer = new Jedis("127.0.0.1", server.port());
             Jedis w1 = new Jedis("127.0.0.1", server.port());
             Jedis w2 = new Jedis("127.0.0.1", server.port());
             Jedis crashing = new Jedis("127.0.0.1", server.port())) {
            for (Jedis j : List.of(producer, w1, w2, crashing)) {
                j.select(4);
            }
            producer.flushDB();
            producer.xgroupCreate("queue", "pool", new StreamEntryID(), true);
            for (int i = 0; i < 30; i++) {
                producer.xadd("queue", StreamEntryID.NEW_ENTRY, Map.of("job", Integer.toString(i)));
            }
            Set<String> done = new HashSet<>();
            List<StreamEntry> lost = take(crashing, "crasher", 7);
            assertEquals(7, lost.size());
            boolean more = true;
            while (more) {
                more = false;
                for (Jedis worker : List.of(w1, w2)) {
                    String name = worker == w1 ? "w1" : "w2";
                    for (StreamEntry job : take(worker, name, 4)) {
                        assertTrue(done.add(job.getFields().get("job")), "delivered twice: " + job);
                        assertEquals(1, worker.xack("queue", "pool", job.getID()));
                        more = true;
                    }
                }
            }
            assertEquals(23, done.size());
            StreamPendingSummary pending = producer.xpending("queue", "pool");
            assertEquals(7, pending.getTotal());
            assertEquals(Map.of("crasher", 7L), pending.getConsumerMessageCount());
            Map.Entry<StreamEntryID, List<StreamEntry>> recovered = w1.xautoclaim("queue", "pool", "w1", 0,
                    new StreamEntryID(), XAutoClaimParams.xAutoClaimParams().count(100));
            assertEquals(new StreamEntryID(), recovered.getKey());
            for (StreamEntry job : recovered.getValue()) {
                assertTrue(done.add(job.getFields().get("job")));
                assertEquals(1, w1.xack("queue", "pool", job.getID()));
            }
            assertEquals(30, done.size());
            assertEquals(0, producer.xpending("queue", "pool").getTotal());
        }
    }

    private static List<StreamEntry> take(Jedis worker, String name, int count) {
        List<Map.Entry<String, List<StreamEntry>>> got = worker.xreadGroup("pool", name,
                XReadGroupParams.xReadGroupParams().count(count), Map.of("queue", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        return got == null || got.isEmpty() ? List.of() : new ArrayList<>(got.get(0).getValue());
    }
}
