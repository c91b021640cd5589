// Connections idle long enough to wait without a thread behave as connections that kept theirs: both servers, same replies.
package io.port6379.server.network;

import io.port6379.server.TestServer;
import io.port6379.testing.Binaries;
import io.port6379.testing.RealRedis;
import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each scenario runs on a real redis-server and on ours, and their transcripts must be equal. On ours, the scenario
 * waits at its idle points until the connections have parked in {@link IdleConnections} (after two seconds without a
 * byte), so what follows reaches a connection that has no thread and must be given one; Redis needs no wait.
 */
class IdleConnectionsTest {

    /** Runs on one server; {@code idle} waits until that many connections wait without a thread (ours only). */
    private interface Scenario {
        String run(int port, IdleWait idle) throws Exception;
    }

    private interface IdleWait {
        void atLeast(int connections) throws InterruptedException;
    }

    private static void bothAgree(Scenario scenario, String... arguments) throws Exception {
        Binaries.require("redis-server");
        String redis;
        try (RealRedis real = RealRedis.start(arguments)) {
            redis = scenario.run(real.port(), connections -> { });
        }
        String ours;
        try (TestServer server = TestServer.start(arguments)) {
            ours = scenario.run(server.port(), connections -> awaitParked(server, connections));
        }
        assertEquals(redis, ours);
    }

    private static void awaitParked(TestServer server, int connections) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.server().idleConnections() < connections) {
            assertTrue(System.nanoTime() < deadline, "only " + server.server().idleConnections() + " of "
                    + connections + " connections parked");
            Thread.sleep(50);
        }
    }

    @Test
    void aParkedConnectionKeepsItsDatabaseTransactionNameAndProtocol() throws Exception {
        bothAgree((port, idle) -> {
            try (RespConnection db = new RespConnection(port); RespConnection multi = new RespConnection(port);
                 RespConnection named = new RespConnection(port); RespConnection resp3 = new RespConnection(port)) {
                List<String> transcript = new ArrayList<>();
                transcript.add(db.call("SELECT", "5") + db.call("SET", "k", "v"));
                transcript.add(multi.call("MULTI") + multi.call("SET", "a", "1"));
                transcript.add(named.call("CLIENT", "SETNAME", "idle-one"));
                resp3.send("HELLO", "3");
                resp3.readReply();
                transcript.add(resp3.call("HSET", "h", "f", "v"));
                for (int round = 0; round < 2; round++) { // parked, resumed, parked again
                    idle.atLeast(4);
                    transcript.add(db.call("GET", "k") + multi.call("INCR", "a"));
                    transcript.add(named.call("CLIENT", "GETNAME") + resp3.call("HGETALL", "h"));
                }
                transcript.add(multi.call("EXEC") + db.call("DBSIZE"));
                return String.join("|", transcript);
            }
        });
    }

    @Test
    void aParkedSubscriberAndAParkedMonitorReceiveWhatOthersCause() throws Exception {
        bothAgree((port, idle) -> {
            try (RespConnection subscriber = new RespConnection(port); RespConnection monitor = new RespConnection(port);
                 RespConnection other = new RespConnection(port)) {
                List<String> transcript = new ArrayList<>();
                transcript.add(subscriber.call("SUBSCRIBE", "news"));
                transcript.add(monitor.call("MONITOR"));
                other.call("PING");
                idle.atLeast(3);
                transcript.add(other.call("PUBLISH", "news", "hello"));
                transcript.add(subscriber.readReply());
                String line = monitor.readReply(); // +<time> [0 127.0.0.1:<port>] "PUBLISH" "news" "hello"
                transcript.add(line.substring(line.indexOf(']') + 1));
                transcript.add(subscriber.call("PING") + subscriber.call("UNSUBSCRIBE", "news"));
                return String.join("|", transcript);
            }
        });
    }

    @Test
    void aParkedClientIsClosedByClientKillAndByTheTimeout() throws Exception {
        bothAgree((port, idle) -> {
            List<String> transcript = new ArrayList<>();
            try (RespConnection killed = new RespConnection(port); RespConnection timedOut = new RespConnection(port);
                 RespConnection other = new RespConnection(port)) {
                String id = killed.call("CLIENT", "ID").trim().substring(1);
                transcript.add(other.call("CONFIG", "SET", "timeout", "4"));
                timedOut.call("PING");
                idle.atLeast(3);
                transcript.add(other.call("CLIENT", "KILL", "ID", id));
                transcript.add("killed:" + killed.readToEnd());
                transcript.add("timed out:" + timedOut.readToEnd()); // the cron closes it after 4 idle seconds
                transcript.add("other:" + other.readToEnd()); // idle as long: closed too
            }
            try (RespConnection last = new RespConnection(port)) {
                return String.join("|", transcript) + last.call("CONFIG", "SET", "timeout", "0");
            }
        });
    }

    @Test
    void aResumedConnectionBlocksAndIsServedByAPush() throws Exception {
        bothAgree((port, idle) -> {
            try (RespConnection blocked = new RespConnection(port); RespConnection pusher = new RespConnection(port)) {
                List<String> transcript = new ArrayList<>();
                transcript.add(blocked.call("PING") + pusher.call("PING"));
                idle.atLeast(2);
                blocked.send("BLPOP", "queue", "0"); // resumes it, and it blocks: a blocked client never parks
                transcript.add(pusher.call("CLIENT", "LIST", "TYPE", "normal").lines().count() + " clients");
                Thread.sleep(2_500); // longer than the idle time: the blocked client's thread stays
                transcript.add(pusher.call("LPUSH", "queue", "job"));
                transcript.add(blocked.readReply());
                return String.join("|", transcript);
            }
        });
    }

    @Test
    void shutdownClosesParkedConnections() throws Exception {
        TestServer server = TestServer.start();
        try (RespConnection parked = new RespConnection(server.port())) {
            assertEquals("+PONG\r\n", parked.call("PING"));
            awaitParked(server, 1);
            server.close();
            assertEquals("", parked.readToEnd());
            server.server().awaitStopped();
        } finally {
            server.close();
        }
    }
}
