// CLIENT TRACKING's invalidations across connections, and Lettuce's client-side cache, on both servers.
package io.port6379.server;

import io.port6379.testing.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compat/tracking.redis} has what one connection sees; here the invalidations that travel to another
 * connection (a RESP3 reader, a RESP2 redirection subscribed to {@code __redis__:invalidate}, a broken redirection),
 * every frame compared with redis-server's; then a real client that caches: Lettuce's {@code ClientSideCaching}.
 */
class TrackingTest {

    @RegisterExtension
    static final BothServers servers = new BothServers("--enable-debug-command", "yes"); // DEBUG SLEEP in a MULTI

    @Test
    void resp3ReaderIsToldWhenAnotherClientWrites() throws IOException {
        for (int port : ports()) {
            try (RespConnection reader = new RespConnection(port); RespConnection writer = new RespConnection(port)) {
                reader.call("HELLO", "3");
                assertEquals("+OK\r\n", reader.call("CLIENT", "TRACKING", "ON"));
                reader.call("GET", "a");
                reader.call("HGETALL", "h");
                writer.call("SET", "a", "1");
                writer.call("HSET", "h", "f", "v");
                writer.call("SET", "a", "2"); // no reader any more: nothing sent
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n", reader.readReply(), "port " + port);
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nh\r\n", reader.readReply(), "port " + port);
                assertEquals("+PONG\r\n", reader.call("PING"));
                writer.call("FLUSHALL");
                assertEquals(">2\r\n$10\r\ninvalidate\r\n_\r\n", reader.readReply(), "port " + port);
            }
        }
    }

    @Test
    void resp2RedirectionSendsMessagesOnTheInvalidateChannel() throws IOException {
        for (int port : ports()) {
            try (RespConnection listener = new RespConnection(port); RespConnection reader = new RespConnection(port);
                 RespConnection writer = new RespConnection(port)) {
                String id = listener.call("CLIENT", "ID").substring(1).strip();
                listener.call("SUBSCRIBE", "__redis__:invalidate");
                assertEquals("+OK\r\n", reader.call("CLIENT", "TRACKING", "ON", "REDIRECT", id));
                assertEquals(":" + id + "\r\n", reader.call("CLIENT", "GETREDIR"));
                writer.call("MSET", "x", "0", "y", "0");
                reader.call("MGET", "x", "y");
                writer.call("DEL", "x", "y");
                writer.call("SET", "y", "1"); // y is no longer tracked: nothing more is sent
                assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nx\r\n", listener.readReply());
                assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\ny\r\n", listener.readReply());
                reader.call("CLIENT", "TRACKING", "OFF");
                reader.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "REDIRECT", id);
                writer.call("MSET", "user:1", "a", "user:2", "b", "other", "c");
                assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n",
                        listener.readReply(), "port " + port);
            }
        }
    }

    @Test
    void optinRemembersOnlyReadsAfterCachingYesAndBcastAnnouncesPrefixes() throws IOException {
        for (int port : ports()) {
            try (RespConnection reader = new RespConnection(port); RespConnection writer = new RespConnection(port)) {
                reader.call("HELLO", "3");
                assertEquals("+OK\r\n", reader.call("CLIENT", "TRACKING", "ON", "OPTIN"));
                reader.call("GET", "o1");
                assertEquals("+OK\r\n", reader.call("CLIENT", "CACHING", "YES"));
                reader.call("GET", "o2");
                writer.call("MSET", "o1", "1", "o2", "2");
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\no2\r\n", reader.readReply(), "port " + port);
                assertEquals("+OK\r\n", reader.call("CLIENT", "TRACKING", "OFF"));
                assertEquals("+OK\r\n", reader.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:", "NOLOOP"));
                reader.call("SET", "p:mine", "1"); // NOLOOP: not announced to its writer
                writer.call("MSET", "p:1", "a", "q:1", "b", "p:2", "c");
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*2\r\n$3\r\np:1\r\n$3\r\np:2\r\n", reader.readReply(),
                        "port " + port);
                assertEquals("+PONG\r\n", reader.call("PING"));
            }
        }
    }

    @Test
    void aRedirectionToAClientThatLeftIsBroken() throws IOException {
        for (int port : ports()) {
            try (RespConnection reader = new RespConnection(port); RespConnection writer = new RespConnection(port)) {
                String id;
                try (RespConnection gone = new RespConnection(port)) {
                    id = gone.call("CLIENT", "ID").substring(1).strip();
                    reader.call("HELLO", "3");
                    reader.call("CLIENT", "TRACKING", "ON", "REDIRECT", id);
                }
                reader.call("GET", "b");
                writer.call("SET", "b", "1");
                assertEquals(">2\r\n$21\r\ntracking-redir-broken\r\n:" + id + "\r\n", reader.readReply(), "port " + port);
                String info = reader.call("CLIENT", "TRACKINGINFO");
                assertTrue(info.contains("broken_redirect"), port + ": " + info);
            }
        }
    }

    /**
     * Lettuce's client-side cache keeps GET replies in a map and drops an entry when the server's invalidation
     * arrives: after another client's write, the entry goes, and the next GET reads the new value. (Jedis 8 refuses
     * client-side caching with servers older than Redis 7.4, which ours reports being.)
     */
    @Test
    void lettuceClientSideCacheSeesEveryWriteOfAnotherClient() throws Exception {
        for (int port : ports()) {
            io.lettuce.core.RedisClient lettuce = io.lettuce.core.RedisClient.create(io.lettuce.core.RedisURI.create("127.0.0.1", port));
            try (var connection = lettuce.connect(); RespConnection writer = new RespConnection(port)) {
                java.util.Map<String, String> cache = new java.util.concurrent.ConcurrentHashMap<>();
                io.lettuce.core.support.caching.CacheFrontend<String, String> frontend =
                        io.lettuce.core.support.caching.ClientSideCaching.enable(
                                io.lettuce.core.support.caching.CacheAccessor.forMap(cache), connection,
                                io.lettuce.core.TrackingArgs.Builder.enabled());
                writer.call("SET", "csc", "v0");
                for (int i = 1; i <= 20; i++) {
                    assertEquals("v" + (i - 1), frontend.get("csc"), "port " + port);
                    assertEquals("v" + (i - 1), cache.get("csc"), "cached, port " + port);
                    writer.call("SET", "csc", "v" + i);
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (cache.containsKey("csc") && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    assertTrue(!cache.containsKey("csc"), "invalidated, port " + port);
                }
                assertEquals("v20", frontend.get("csc"));
                frontend.close();
            } finally {
                lettuce.shutdown();
            }
        }
    }

    @Test
    void clientListShowsTrackingFlagsAndRedirection() throws IOException {
        for (int port : ports()) {
            try (RespConnection listener = new RespConnection(port); RespConnection c = new RespConnection(port)) {
                String id = listener.call("CLIENT", "ID").substring(1).strip();
                assertTrue(c.call("CLIENT", "INFO").contains(" flags=N db=0 "), "port " + port);
                assertTrue(c.call("CLIENT", "INFO").contains(" redir=-1 "), "port " + port);
                c.call("CLIENT", "TRACKING", "ON");
                String info = c.call("CLIENT", "INFO");
                assertTrue(info.contains(" flags=t db=0 ") && info.contains(" redir=0 "), port + ": " + info);
                c.call("CLIENT", "TRACKING", "OFF");
                c.call("CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", id);
                info = c.call("CLIENT", "INFO");
                assertTrue(info.contains(" flags=tB db=0 ") && info.contains(" redir=" + id + " "), port + ": " + info);
                c.call("CLIENT", "TRACKING", "OFF");
                c.call("CLIENT", "TRACKING", "ON", "REDIRECT", id);
                c.call("GET", "gone");
                listener.close();
                try (RespConnection writer = new RespConnection(port)) {
                    for (int i = 0; i < 100 && !writer.call("CLIENT", "LIST").lines().noneMatch(l -> l.contains("id=" + id + " ")); i++) {
                        Thread.sleep(10);
                    }
                    writer.call("SET", "gone", "1"); // the redirection has gone: marked broken
                }
                info = c.call("CLIENT", "INFO");
                assertTrue(info.contains(" flags=tR db=0 "), port + ": " + info);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void trackingTableMaxKeysInvalidatesKeysOverTheLimit() throws IOException {
        for (int port : ports()) {
            try (RespConnection reader = new RespConnection(port)) {
                reader.call("HELLO", "3");
                reader.call("CONFIG", "SET", "tracking-table-max-keys", "1");
                reader.call("CLIENT", "TRACKING", "ON");
                reader.call("GET", "k1");
                reader.call("GET", "k2"); // two keys in a table of one: one of them is dropped with an invalidation
                String first = reader.call("PING");
                String push = first.startsWith(">") ? first : reader.readReply();
                assertTrue(push.matches(">2\r\n\\$10\r\ninvalidate\r\n\\*1\r\n\\$2\r\nk[12]\r\n"), port + ": " + push);
                assertEquals("+PONG\r\n", first.startsWith(">") ? reader.readReply() : first, "port " + port);
                assertTrue(reader.call("INFO", "stats").contains("tracking_total_keys:1\r\n"), "port " + port);
                reader.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
                reader.call("CLIENT", "TRACKING", "OFF");
            }
        }
    }

    private static final String PONG_AFTER_NOTHING = "+PONG\r\n";

    /** Redis's invalidation push for one key. */
    private static String invalidate(String key) {
        return ">2\r\n$10\r\ninvalidate\r\n*1\r\n$" + key.length() + "\r\n" + key + "\r\n";
    }

    @Test
    void bcastNoloopStillAnnouncesAKeyTheServerExpired() throws IOException {
        for (int port : ports()) {
            try (RespConnection reader = new RespConnection(port)) {
                reader.call("HELLO", "3");
                reader.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "exp:", "NOLOOP");
                reader.call("SET", "exp:mine", "v"); // the client's own writes: NOLOOP leaves them out
                reader.call("SET", "exp:k", "v", "PX", "1");
                assertEquals(invalidate("exp:k"), reader.readReply(), "the cron's expiry, port " + port);
                reader.call("MULTI");
                reader.call("SET", "exp:lazy", "v", "PX", "1");
                reader.call("DEBUG", "SLEEP", "0.01");
                reader.call("GET", "exp:lazy"); // the time stands still in a transaction: still there
                assertEquals("*3\r\n+OK\r\n+OK\r\n$1\r\nv\r\n", reader.call("EXEC"), "port " + port);
                assertEquals(invalidate("exp:lazy"), reader.readReply(), "expired after the EXEC, port " + port);
                assertEquals(PONG_AFTER_NOTHING, reader.call("PING"), "port " + port);
                reader.call("CLIENT", "TRACKING", "OFF");
            }
        }
    }

    @Test
    void aScriptsWriteIsItsCallersForNoloop() throws IOException {
        for (int port : ports()) {
            try (RespConnection c = new RespConnection(port)) {
                c.call("HELLO", "3");
                c.call("CLIENT", "TRACKING", "ON", "NOLOOP");
                c.call("SET", "sn", "1");
                assertEquals("$1\r\n1\r\n", c.call("GET", "sn"));
                assertEquals("+OK\r\n", c.call("EVAL", "return redis.call('set', KEYS[1], '2')", "1", "sn"), "port " + port);
                assertEquals("$1\r\n2\r\n", c.call("GET", "sn"), "no invalidation before the reply, port " + port);
                assertEquals(PONG_AFTER_NOTHING, c.call("PING"), "port " + port);
                c.call("CLIENT", "TRACKING", "OFF");
            }
        }
    }

    @Test
    void aScriptThatReadsTracksTheKeysItDeclared() throws IOException {
        for (int port : ports()) {
            try (RespConnection reader = new RespConnection(port); RespConnection writer = new RespConnection(port)) {
                reader.call("HELLO", "3");
                reader.call("CLIENT", "TRACKING", "ON");
                reader.call("EVAL", "redis.call('set', 'sk3{t}', 'bar')", "2", "sk1{t}", "sk2{t}"); // no read: nothing
                writer.call("MSET", "sk2{t}", "1", "sk1{t}", "1");
                assertEquals(PONG_AFTER_NOTHING, reader.call("PING"), "port " + port);
                reader.call("EVAL", "redis.call('get', 'sk3{t}')", "2", "sk1{t}", "sk2{t}"); // declared keys, not sk3
                writer.call("MSET", "sk3{t}", "2", "sk2{t}", "2", "sk1{t}", "2");
                assertEquals(invalidate("sk2{t}"), reader.readReply(), "port " + port);
                assertEquals(invalidate("sk1{t}"), reader.readReply(), "port " + port);
                reader.call("EVAL_RO", "redis.call('ping')", "2", "sk1{t}", "sk2{t}"); // read-only, yet no read
                writer.call("MSET", "sk2{t}", "3", "sk1{t}", "3");
                assertEquals(PONG_AFTER_NOTHING, reader.call("PING"), "port " + port);
                reader.call("EVAL_RO", "redis.call('get', 'sk1{t}')", "2", "sk1{t}", "sk2{t}");
                writer.call("MSET", "sk2{t}", "4", "sk1{t}", "4");
                assertEquals(invalidate("sk2{t}"), reader.readReply(), "port " + port);
                assertEquals(invalidate("sk1{t}"), reader.readReply(), "port " + port);
                reader.call("CLIENT", "TRACKING", "OFF");
            }
        }
    }

    @Test
    void aServedBlmoveRepliesBeforeItsOwnInvalidation() throws Exception {
        for (int port : ports()) {
            try (RespConnection blocked = new RespConnection(port); RespConnection writer = new RespConnection(port)) {
                writer.call("RPUSH", "bl2{t}", "a");
                blocked.call("HELLO", "3");
                blocked.call("CLIENT", "TRACKING", "ON");
                blocked.call("LRANGE", "bl2{t}", "0", "-1");
                blocked.send("BLMOVE", "bl1{t}", "bl2{t}", "LEFT", "LEFT", "0");
                for (int i = 0; i < 500 && !writer.call("INFO", "clients").contains("blocked_clients:1\r\n"); i++) {
                    Thread.sleep(10);
                }
                writer.call("RPUSH", "bl1{t}", "foo");
                assertEquals("$3\r\nfoo\r\n", blocked.readReply(), "port " + port);
                assertEquals(invalidate("bl2{t}"), blocked.readReply(), "port " + port);
                blocked.call("CLIENT", "TRACKING", "OFF");
            }
        }
    }

    /** Redis's serverCron shrinks the table too: more keys than one round's effort (100) go without any command. */
    @Test
    void theCronShrinksTheTableToItsLimitWithoutCommands() throws IOException {
        for (int port : ports()) {
            try (RespConnection listener = new RespConnection(port); RespConnection reader = new RespConnection(port);
                 RespConnection admin = new RespConnection(port)) {
                admin.call("FLUSHALL"); // an empty table: only this test's keys count
                String id = listener.call("CLIENT", "ID").substring(1).strip();
                listener.call("SUBSCRIBE", "__redis__:invalidate");
                reader.call("CLIENT", "TRACKING", "ON", "REDIRECT", id);
                String[] mget = new String[251];
                mget[0] = "MGET";
                for (int i = 0; i < 250; i++) {
                    mget[i + 1] = "cron:" + i;
                }
                reader.call(mget);
                admin.call("CONFIG", "SET", "tracking-table-max-keys", "1");
                for (int i = 0; i < 249; i++) {
                    assertTrue(listener.readReply().startsWith("*3\r\n$7\r\nmessage\r\n"), "message " + i + ", port " + port);
                }
                assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", listener.call("PING"), "no 250th, port " + port);
                admin.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
                reader.call("CLIENT", "TRACKING", "OFF");
            }
        }
    }

    private static int[] ports() {
        return new int[] {servers.redis().port(), servers.ours().port()};
    }
}
